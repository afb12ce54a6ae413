#include "runsnapshot.h"

#include "identity/identityresolver.h"
#include "store/snapshotpeople.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSync) // mappingrun.cpp

namespace lockstep {

RunSnapshot::RunSnapshot(SnapshotStore& store, qint64 mappingId, Write write, Perf perf)
    : m_store(store), m_mappingId(mappingId), m_write(std::move(write)), m_perf(std::move(perf))
{}

void RunSnapshot::load(std::function<void(Result<SnapshotStore::Loaded>)> done)
{
    const qint64 mappingId = m_mappingId;
    auto loaded = std::make_shared<std::optional<Result<SnapshotStore::Loaded>>>();
    m_write(
        [loaded, mappingId](Workspace& ws) {
            *loaded = SnapshotStore(ws).loadReplaying(mappingId);
            return (*loaded)->ok() ? Status() : Status((*loaded)->error());
        },
        [loaded, done = std::move(done)](const Status&) { done(std::move(**loaded)); });
}

void RunSnapshot::foldJournal(qint64 runId, std::shared_ptr<const MemberSet> loaded,
                              qint64 replayed)
{
    if (replayed * SnapshotStore::kRebaseShare <= qint64(loaded->size()))
        return;
    const qint64 mappingId = m_mappingId;
    m_write([loaded, mappingId,
             runId](Workspace& ws) { return SnapshotStore(ws).rebase(mappingId, runId, *loaded); },
            [this](const Status& st) {
                m_perf("snapshot compacted while reading");
                if (!st)
                    qCWarning(lcSync) << "could not compact the snapshot of mapping" << m_mappingId
                                      << st.error().toString();
            });
}

void RunSnapshot::done(const Result<bool>& compacted, const Synced& synced)
{
    // Either way the synced count is known afterwards without a replay of the journal.
    if (!compacted)
        qCWarning(lcSync) << "could not write the snapshot of mapping" << m_mappingId
                          << compacted.error().toString();
    else
        m_perf(*compacted ? "snapshot compacted" : "snapshot settled in the journal");
    if (auto count = m_store.count(m_mappingId); count)
        synced(*count);
}

void RunSnapshot::setPeople(IdentityKey key, QByteArray shared, bool merge)
{
    m_people = People{key, std::move(shared), merge};
}

void RunSnapshot::writePeople(Workspace& ws, qint64 mappingId, qint64 runId, const People& people,
                              const MemberSet& members)
{
    const QByteArray blob = IdentityResolver::peopleOf(people.key, members, people.shared);
    SnapshotPeople store(ws);
    const Status st =
        people.merge ? store.merge(mappingId, runId, blob) : store.write(mappingId, runId, blob);
    if (!st)
        qCWarning(lcSync) << "could not record the people of mapping" << mappingId
                          << st.error().toString();
}

void RunSnapshot::settle(qint64 runId, MemberSet members, Synced synced)
{
    // The journal says so already; the keys are rewritten only once the journal holds
    // many changes (SnapshotStore::settle).
    m_written = true;
    m_perf("settling the snapshot");
    auto kept = std::make_shared<MemberSet>(std::move(members));
    auto result = std::make_shared<Result<bool>>(false);
    const qint64 mappingId = m_mappingId;
    const std::optional<People> people = m_people;
    m_write(
        [kept, mappingId, runId, result, people](Workspace& ws) {
            // Before the settle consumes the members (their identifiers go with them).
            if (people)
                writePeople(ws, mappingId, runId, *people, *kept);
            *result = SnapshotStore(ws).settle(mappingId, runId, std::move(*kept));
            kept->clear(); // its memory goes back in the writer's thread
            return result->ok() ? Status() : Status(result->error());
        },
        [this, result, synced = std::move(synced)](const Status&) { done(*result, synced); });
}

void RunSnapshot::settleNow(qint64 runId, MemberSet members, bool acknowledged, Synced synced)
{
    m_written = true;
    m_perf("settling the snapshot");
    if (acknowledged) {
        if (m_people)
            writePeople(m_store.workspace(), m_mappingId, runId, *m_people, members);
        return done(m_store.settle(m_mappingId, runId, std::move(members)), synced);
    }
    const Status st = m_store.compact(m_mappingId);
    done(st ? Result<bool>(true) : Result<bool>(st.error()), synced);
}

} // namespace lockstep
