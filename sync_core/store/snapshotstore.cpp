#include "snapshotstore.h"

#include "workspace.h"

#include <QVariant>

namespace lockstep {

namespace {
constexpr int kRowsPerStatement = 400;

QString placeholders(int n, const QString& one)
{
    QString s;
    s.reserve(n * (one.size() + 1));
    for (int i = 0; i < n; ++i) {
        if (i)
            s += QLatin1Char(',');
        s += one;
    }
    return s;
}
} // namespace

Result<MemberSet> SnapshotStore::load(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT distinct_id FROM snapshot_members WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the snapshot"); !st)
        return st.error();
    MemberSet set;
    while (q.next()) {
        const QByteArray k = q.value(0).toString().toUtf8();
        set.add(std::string_view(k.constData(), size_t(k.size())));
    }
    set.finalize();
    return set;
}

Result<qint64> SnapshotStore::count(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT COUNT(*) FROM snapshot_members WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot count the snapshot"); !st)
        return st.error();
    q.next();
    return q.value(0).toLongLong();
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
            "INSERT INTO journal_batches (run_id, seq, mapping_id, op, size, keys, state) "
            "VALUES (?,?,?,?,?,?,'planned')"));
        for (const JournalBatch& b : batches) {
            q.bindValue(0, runId);
            q.bindValue(1, b.seq);
            q.bindValue(2, mappingId);
            q.bindValue(3, JournalBatch::opName(b.op));
            q.bindValue(4, b.size);
            q.bindValue(5, QString::fromUtf8(b.keys));
            if (auto st = Workspace::exec(q, "cannot journal the planned batches"); !st)
                return st;
        }
        return {};
    });
}

Status SnapshotStore::acknowledge(qint64 runId, qint64 mappingId, const JournalBatch& batch)
{
    const QList<QByteArray> keys = batch.keyList();
    return m_ws.transaction([&]() -> Status {
        QSqlQuery j = m_ws.query(QStringLiteral(
            "UPDATE journal_batches SET state='acked', error='' WHERE run_id=? AND seq=?"));
        j.addBindValue(runId);
        j.addBindValue(batch.seq);
        if (auto st = Workspace::exec(j, "cannot mark the batch acknowledged"); !st)
            return st;
        for (qsizetype start = 0; start < keys.size(); start += kRowsPerStatement) {
            const int n = int(std::min<qsizetype>(kRowsPerStatement, keys.size() - start));
            QSqlQuery q = batch.op == JournalBatch::Op::Add
                ? m_ws.query(QStringLiteral("INSERT INTO snapshot_members (mapping_id, distinct_id) "
                                            "VALUES %1 ON CONFLICT DO NOTHING")
                                 .arg(placeholders(n, QStringLiteral("(?,?)"))))
                : m_ws.query(QStringLiteral("DELETE FROM snapshot_members WHERE mapping_id=? AND "
                                            "distinct_id IN (%1)")
                                 .arg(placeholders(n, QStringLiteral("?"))));
            if (batch.op == JournalBatch::Op::Add) {
                for (int i = 0; i < n; ++i) {
                    q.addBindValue(mappingId);
                    q.addBindValue(QString::fromUtf8(keys[start + i]));
                }
            } else {
                q.addBindValue(mappingId);
                for (int i = 0; i < n; ++i)
                    q.addBindValue(QString::fromUtf8(keys[start + i]));
            }
            if (auto st = Workspace::exec(q, "cannot advance the snapshot"); !st)
                return st;
        }
        return {};
    });
}

Status SnapshotStore::fail(qint64 runId, int seq, const QString& error)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE journal_batches SET state='failed', error=? WHERE run_id=? AND seq=?"));
    q.addBindValue(error);
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

Status SnapshotStore::compact(qint64 runId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE journal_batches SET keys='' WHERE run_id=? AND state='acked'"));
    q.addBindValue(runId);
    return Workspace::exec(q, "cannot compact the journal");
}

Status SnapshotStore::clear(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral("DELETE FROM snapshot_members WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot clear the snapshot");
}

} // namespace lockstep
