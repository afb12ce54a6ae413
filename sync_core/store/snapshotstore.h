// The acknowledged snapshot (which keys Mixpanel holds for a mapping) and the journal
// of planned batches. A batch is journaled before it is sent; when Mixpanel
// acknowledges it, its journal entry says so, and the snapshot is the stored keys with
// the acknowledged entries replayed over them, so it never runs ahead of what Mixpanel
// has. The keys are rewritten (compaction) only now and then: see settle() and rebase().
#pragma once

#include "members/memberset.h"
#include "util/result.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace lockstep {

class Workspace;

struct JournalBatch
{
    enum class Op
    {
        Add,
        Remove
    };
    int seq = 0;
    Op op = Op::Add;
    QByteArray keys; // UTF-8 keys joined by '\n' (keys never contain control characters)
    int size = 0;

    QList<QByteArray> keyList() const { return keys.split('\n'); }
    static QString opName(Op op)
    {
        return op == Op::Add ? QStringLiteral("add") : QStringLiteral("remove");
    }
};

class SnapshotStore
{
public:
    explicit SnapshotStore(Workspace& ws) : m_ws(ws) {}
    Workspace& workspace() const { return m_ws; }

    Result<MemberSet> load(qint64 mappingId);
    // The same, and how many keys' changes came from the journal (acknowledged since the
    // keys were last written): a run that replays many has rebase() fold them in.
    struct Loaded
    {
        MemberSet members;
        qint64 replayed = 0;
    };
    Result<Loaded> loadReplaying(qint64 mappingId);
    // Stores `members`, as load() returned them at the start of run `runId`, as the keys,
    // and marks the acknowledged batches of earlier runs (what load() replayed) folded
    // in, in one transaction. Lets a run compact while it reads the segment instead of
    // at its end.
    Status rebase(qint64 mappingId, qint64 runId, const MemberSet& members);
    Result<qint64> count(qint64 mappingId);

    // Journals the batches of `runId` and, in the same transaction, marks the
    // unresolved batches of earlier runs of the mapping as superseded (the new plan
    // re-decides their keys, see uncertain()). `alongside`, when given, writes in the same
    // transaction (the run's held exits): all of it or none survives a crash.
    Status plan(qint64 runId, qint64 mappingId, const QList<JournalBatch>& batches,
                const std::function<Status()>& alongside = {});
    // Journals batches of `runId` planned early (while the segment is still read),
    // leaving earlier runs' batches to the run's final plan().
    Status append(qint64 runId, qint64 mappingId, const QList<JournalBatch>& batches);
    // Batches of earlier runs whose fate is unknown: planned but never acknowledged (the
    // process died) or failed (a timeout may still have been applied). Their keys must
    // be re-sent according to the current membership, whatever the snapshot says.
    Result<QList<JournalBatch>> uncertain(qint64 mappingId, qint64 beforeRunId);
    // `atMs`: when Mixpanel answered (0: now); the first acknowledgement of a batch counts.
    Status acknowledge(qint64 runId, qint64 mappingId, const JournalBatch& batch, qint64 atMs = 0);
    Status fail(qint64 runId, int seq, const QString& error);
    // Batches of `runId` neither acknowledged nor failed.
    Result<QList<JournalBatch>> open(qint64 runId);
    // Folds the acknowledged batches into the snapshot blob (one transaction) and drops
    // their key lists from the journal. Called when a run ends with batches unsettled.
    Status compact(qint64 mappingId);
    // The same, when the caller knows the result: after a run whose every batch (and
    // every earlier uncertain one) was settled, the snapshot is exactly the members.
    // The set is consumed (its memory is released before the blob is written).
    Status compactTo(qint64 mappingId, MemberSet&& acknowledged);
    // After run `runId`, whose every batch was settled: Mixpanel holds exactly `members`.
    // The journal's acknowledged batches say so already; they are folded into the blob
    // (every key rewritten) here only when the run itself changed more than a quarter of
    // the members (a first sync, a big churn), or when the journal somehow outgrew the
    // members; otherwise the run writes a count, not the whole set, and a later run's
    // rebase() folds the journal in while it reads. Returns whether it compacted. The set
    // is consumed.
    Result<bool> settle(qint64 mappingId, qint64 runId, MemberSet&& members);
    static constexpr qint64 kCompactShare = 4; // settle() compacts past members / 4 changes
    static constexpr qint64 kRebaseShare = 8;  // a run rebases past members / 8 replayed
    Status clear(qint64 mappingId);

    // The segment's updated_at as last read (health watches it move).
    Status recordSegment(qint64 mappingId, qint64 segmentUpdatedAt);
    Status recordFullSync(qint64 mappingId, qint64 atMs);
    Result<qint64> lastFullSyncMs(qint64 mappingId);

private:
    Status insert(qint64 runId, qint64 mappingId, const QList<JournalBatch>& batches);
    Status write(qint64 mappingId, MemberSet&& keys);
    Status writeKeys(qint64 mappingId, const QByteArray& blob, qint64 members);
    Status ensureMeta(qint64 mappingId);
    // The synced count is unknown from now until the next settle() or compaction.
    Status forgetCount(qint64 mappingId);
    Workspace& m_ws;
};

} // namespace lockstep
