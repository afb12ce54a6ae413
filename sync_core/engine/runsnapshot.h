// The acknowledged snapshot as one run uses it, on the run's writer: read (the journal
// replayed) before the segment is, folded together while the segment is read when earlier
// runs left a long journal, and settled or compacted once the run's batches are answered.
#pragma once

#include "members/identitykey.h"
#include "store/snapshotstore.h"

#include <functional>
#include <memory>
#include <optional>

namespace lockstep {

class RunSnapshot
{
public:
    // Runs `job` on the writer (MappingRun::write); `then` gets its status in this thread.
    using Write = std::function<void(std::function<Status(Workspace&)> job,
                                     std::function<void(const Status&)> then)>;
    using Perf = std::function<void(const char* phase)>;
    using Synced = std::function<void(qint64 syncedCount)>;

    RunSnapshot(SnapshotStore& store, qint64 mappingId, Write write, Perf perf);

    void load(std::function<void(Result<SnapshotStore::Loaded>)> done);
    // When the journal `loaded` replayed is long (SnapshotStore::settle): writes the keys
    // with it folded in while the segment is read, not at the end of a run.
    void foldJournal(qint64 runId, std::shared_ptr<const MemberSet> loaded, qint64 replayed);

    // The people behind the members are written with the snapshot (SnapshotPeople): their
    // cio_ids as the members carry them, and `shared` (IdentityResolver::sharedPeople()).
    // `merge`: added to the stored ones (the run held exits, whose people stay).
    void setPeople(IdentityKey key, QByteArray shared, bool merge);

    bool written() const { return m_written; }
    // Every planned batch acknowledged (and earlier uncertain ones re-decided by this
    // plan): Mixpanel holds exactly `members`. Settled on the writer.
    void settle(qint64 runId, MemberSet members, Synced synced);
    // As the run is recorded, here and now: settled from `members`, or (not every batch
    // acknowledged) the acknowledged batches folded in from the journal.
    void settleNow(qint64 runId, MemberSet members, bool acknowledged, Synced synced);

private:
    void done(const Result<bool>& compacted, const Synced& synced);
    struct People
    {
        IdentityKey key = IdentityKey::CioId;
        QByteArray shared;
        bool merge = false;
    };
    // Writes the people of `members` on `ws`; a failure is logged, the snapshot stands.
    static void writePeople(Workspace& ws, qint64 mappingId, qint64 runId, const People& people,
                            const MemberSet& members);

    SnapshotStore& m_store;
    qint64 m_mappingId;
    Write m_write;
    Perf m_perf;
    bool m_written = false;
    std::optional<People> m_people;
};

} // namespace lockstep
