#include "snapshotstore.h"

#include "workspace.h"
#include "util/clock.h"

#include <QVariant>

#include <string>
#include <unordered_map>

namespace lockstep {

Result<MemberSet> SnapshotStore::load(qint64 mappingId)
{
    QSqlQuery base = m_ws.query(QStringLiteral("SELECT keys, member_count FROM snapshot_meta WHERE mapping_id=?"));
    base.addBindValue(mappingId);
    if (auto st = Workspace::exec(base, "cannot read the snapshot"); !st)
        return st.error();
    QByteArray blob;
    qint64 count = 0;
    if (base.next()) {
        blob = base.value(0).toByteArray();
        count = base.value(1).toLongLong();
    }
    base.finish();

    // Batches acknowledged since the last compaction, in the order they happened; for a
    // key, the last operation wins.
    QSqlQuery replay = m_ws.query(QStringLiteral(
        "SELECT op, keys FROM journal_batches WHERE mapping_id=? AND state='acked' "
        "ORDER BY run_id, seq"));
    replay.addBindValue(mappingId);
    if (auto st = Workspace::exec(replay, "cannot read the journal"); !st)
        return st.error();
    std::unordered_map<std::string, bool> changes; // key -> present after replay
    while (replay.next()) {
        const bool add = replay.value(0).toString() == QLatin1String("add");
        const QByteArray keys = replay.value(1).toString().toUtf8();
        for (const QByteArray& k : keys.split('\n'))
            if (!k.isEmpty())
                changes[std::string(k.constData(), size_t(k.size()))] = add;
    }

    MemberSet set;
    set.reserve(size_t(count) + changes.size(), size_t(blob.size()));
    qsizetype start = 0;
    while (start < blob.size()) {
        qsizetype end = blob.indexOf('\n', start);
        if (end < 0)
            end = blob.size();
        const std::string_view key(blob.constData() + start, size_t(end - start));
        start = end + 1;
        if (key.empty())
            continue;
        if (!changes.empty()) {
            auto it = changes.find(std::string(key));
            if (it != changes.end()) {
                const bool present = it->second;
                changes.erase(it); // decided here: keep once or drop
                if (!present)
                    continue;
            }
        }
        set.add(key);
    }
    for (const auto& [key, present] : changes)
        if (present)
            set.add(key);
    set.finalize();
    return set;
}

Result<qint64> SnapshotStore::count(qint64 mappingId)
{
    QSqlQuery pending = m_ws.query(QStringLiteral(
        "SELECT COUNT(*) FROM journal_batches WHERE mapping_id=? AND state='acked'"));
    pending.addBindValue(mappingId);
    if (auto st = Workspace::exec(pending, "cannot read the journal"); !st)
        return st.error();
    pending.next();
    if (pending.value(0).toLongLong() > 0) {
        auto set = load(mappingId);
        if (!set)
            return set.error();
        return qint64(set->size());
    }
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT member_count FROM snapshot_meta WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot count the snapshot"); !st)
        return st.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

Status SnapshotStore::plan(qint64 runId, qint64 mappingId, const QList<JournalBatch>& batches)
{
    return m_ws.transaction([&]() -> Status {
        QSqlQuery sup = m_ws.query(QStringLiteral(
            "UPDATE journal_batches SET state='superseded' WHERE mapping_id=? AND run_id<? AND "
            "state IN ('planned','failed')"));
        sup.addBindValue(mappingId);
        sup.addBindValue(runId);
        if (auto st = Workspace::exec(sup, "cannot supersede earlier batches"); !st)
            return st;
        QSqlQuery q = m_ws.query(QStringLiteral(
            "INSERT INTO journal_batches (run_id, seq, mapping_id, op, size, keys, state, "
            "planned_at_ms) VALUES (?,?,?,?,?,?,'planned',?)"));
        const qint64 plannedAt = Clock::system()->nowMs(); // latency: changes observed
        for (const JournalBatch& b : batches) {
            q.bindValue(0, runId);
            q.bindValue(1, b.seq);
            q.bindValue(2, mappingId);
            q.bindValue(3, JournalBatch::opName(b.op));
            q.bindValue(4, b.size);
            q.bindValue(5, QString::fromUtf8(b.keys));
            q.bindValue(6, plannedAt);
            if (auto st = Workspace::exec(q, "cannot journal the planned batches"); !st)
                return st;
        }
        return {};
    });
}

Status SnapshotStore::acknowledge(qint64 runId, qint64 mappingId, const JournalBatch& batch)
{
    // One row: the batch's keys are already journaled, and load() replays them.
    QSqlQuery j = m_ws.query(QStringLiteral(
        "UPDATE journal_batches SET state='acked', error='', acked_at_ms=CASE WHEN "
        "acked_at_ms=0 THEN ? ELSE acked_at_ms END WHERE run_id=? AND seq=? AND "
        "mapping_id=? AND state IN ('planned','failed','acked')"));
    j.addBindValue(Clock::system()->nowMs()); // latency: the first acknowledgement counts
    j.addBindValue(runId);
    j.addBindValue(batch.seq);
    j.addBindValue(mappingId);
    return Workspace::exec(j, "cannot mark the batch acknowledged");
}

Status SnapshotStore::fail(qint64 runId, int seq, const QString& error)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE journal_batches SET state='failed', error=? WHERE run_id=? AND seq=?"));
    q.addBindValue(Workspace::text(error));
    q.addBindValue(runId);
    q.addBindValue(seq);
    return Workspace::exec(q, "cannot record the failed batch");
}

Result<QList<JournalBatch>> SnapshotStore::open(qint64 runId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT seq, op, size, keys FROM journal_batches WHERE run_id=? AND state='planned' "
        "ORDER BY seq"));
    q.addBindValue(runId);
    if (auto st = Workspace::exec(q, "cannot read the journal"); !st)
        return st.error();
    QList<JournalBatch> out;
    while (q.next()) {
        JournalBatch b;
        b.seq = q.value(0).toInt();
        b.op = q.value(1).toString() == QLatin1String("remove") ? JournalBatch::Op::Remove
                                                                 : JournalBatch::Op::Add;
        b.size = q.value(2).toInt();
        b.keys = q.value(3).toString().toUtf8();
        out.append(b);
    }
    return out;
}

Result<QList<JournalBatch>> SnapshotStore::uncertain(qint64 mappingId, qint64 beforeRunId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT seq, op, size, keys FROM journal_batches WHERE mapping_id=? AND run_id<? AND "
        "state IN ('planned','failed') ORDER BY run_id, seq"));
    q.addBindValue(mappingId);
    q.addBindValue(beforeRunId);
    if (auto st = Workspace::exec(q, "cannot read the journal"); !st)
        return st.error();
    QList<JournalBatch> out;
    while (q.next()) {
        JournalBatch b;
        b.seq = q.value(0).toInt();
        b.op = q.value(1).toString() == QLatin1String("remove") ? JournalBatch::Op::Remove
                                                                 : JournalBatch::Op::Add;
        b.size = q.value(2).toInt();
        b.keys = q.value(3).toString().toUtf8();
        out.append(b);
    }
    return out;
}

Status SnapshotStore::compact(qint64 mappingId)
{
    auto set = load(mappingId);
    if (!set)
        return set.error();
    QByteArray blob;
    size_t bytes = 0;
    for (size_t i = 0; i < set->size(); ++i)
        bytes += set->key(i).size() + 1;
    blob.reserve(qsizetype(bytes));
    for (size_t i = 0; i < set->size(); ++i) {
        if (i)
            blob += '\n';
        blob.append(set->key(i).data(), qsizetype(set->key(i).size()));
    }
    return m_ws.transaction([&]() -> Status {
        if (auto st = ensureMeta(mappingId); !st)
            return st;
        QSqlQuery q = m_ws.query(QStringLiteral(
            "UPDATE snapshot_meta SET keys=?, member_count=? WHERE mapping_id=?"));
        q.addBindValue(blob);
        q.addBindValue(qint64(set->size()));
        q.addBindValue(mappingId);
        if (auto st = Workspace::exec(q, "cannot write the snapshot"); !st)
            return st;
        QSqlQuery j = m_ws.query(QStringLiteral(
            "UPDATE journal_batches SET state='applied', keys='' WHERE mapping_id=? AND "
            "state='acked'"));
        j.addBindValue(mappingId);
        return Workspace::exec(j, "cannot compact the journal");
    });
}

Status SnapshotStore::ensureMeta(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO snapshot_meta (mapping_id) VALUES (?) ON CONFLICT (mapping_id) DO NOTHING"));
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot create the snapshot");
}

Status SnapshotStore::recordSegment(qint64 mappingId, qint64 segmentUpdatedAt)
{
    if (auto st = ensureMeta(mappingId); !st)
        return st;
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE snapshot_meta SET segment_updated_at=? WHERE mapping_id=?"));
    q.addBindValue(segmentUpdatedAt);
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot record the segment state");
}

Status SnapshotStore::recordFullSync(qint64 mappingId, qint64 atMs)
{
    if (auto st = ensureMeta(mappingId); !st)
        return st;
    QSqlQuery q = m_ws.query(QStringLiteral("UPDATE snapshot_meta SET full_sync_at=? WHERE mapping_id=?"));
    q.addBindValue(atMs);
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot record the full sync");
}

Result<qint64> SnapshotStore::lastFullSyncMs(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT full_sync_at FROM snapshot_meta WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the snapshot state"); !st)
        return st.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

Status SnapshotStore::clear(qint64 mappingId)
{
    return m_ws.transaction([&]() -> Status {
        QSqlQuery q = m_ws.query(QStringLiteral("DELETE FROM snapshot_meta WHERE mapping_id=?"));
        q.addBindValue(mappingId);
        if (auto st = Workspace::exec(q, "cannot clear the snapshot"); !st)
            return st;
        QSqlQuery j = m_ws.query(QStringLiteral(
            "UPDATE journal_batches SET state='applied', keys='' WHERE mapping_id=? AND state='acked'"));
        j.addBindValue(mappingId);
        return Workspace::exec(j, "cannot clear the journal");
    });
}

} // namespace lockstep
