#include "runrepository.h"

#include "workspace.h"

#include <QVariant>

namespace lockstep {

namespace {
const char* kRunColumns =
    "id, mapping_id, kind, status, started_at, finished_at, segment_count, synced_count, "
    "entered, exited, unchanged, mismatched, failed, api_calls, http_429, message, error_category, "
    "verify_status, verify_entered, verify_checked, verify_unknown, verify_value_missing, "
    "verify_note, held_exits";

RunRecord runFrom(const QSqlQuery& q)
{
    RunRecord r;
    r.id = q.value(0).toLongLong();
    r.mappingId = q.value(1).toLongLong();
    r.kind = parseRunKind(q.value(2).toString()).value_or(RunKind::Incremental);
    r.status = parseRunStatus(q.value(3).toString()).value_or(RunStatus::Failed);
    r.startedAtMs = q.value(4).toLongLong();
    r.finishedAtMs = q.value(5).toLongLong();
    r.segmentCount = q.value(6).toLongLong();
    r.syncedCount = q.value(7).toLongLong();
    r.entered = q.value(8).toLongLong();
    r.exited = q.value(9).toLongLong();
    r.unchanged = q.value(10).toLongLong();
    r.mismatched = q.value(11).toLongLong();
    r.failed = q.value(12).toLongLong();
    r.apiCalls = q.value(13).toInt();
    r.http429 = q.value(14).toInt();
    r.message = q.value(15).toString();
    r.errorCategory = q.value(16).toString();
    r.verification.status = q.value(17).toString();
    r.verification.entered = q.value(18).toLongLong();
    r.verification.verified = q.value(19).toInt();
    r.verification.unknown = q.value(20).toInt();
    r.verification.valueMissing = q.value(21).toInt();
    r.verification.note = q.value(22).toString();
    r.heldExits = q.value(23).toLongLong();
    return r;
}
} // namespace

Result<qint64> RunRepository::begin(qint64 mappingId, RunKind kind, qint64 startedAtMs)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO runs (mapping_id, kind, status, started_at) VALUES (?, ?, 'running', ?)"));
    q.addBindValue(mappingId);
    q.addBindValue(runKindName(kind));
    q.addBindValue(startedAtMs);
    if (auto st = Workspace::exec(q, "cannot record the run"); !st)
        return st.error();
    const QVariant id = q.lastInsertId();
    if (id.isValid())
        return id.toLongLong();
    QSqlQuery back = m_ws.query(QStringLiteral("SELECT MAX(id) FROM runs WHERE mapping_id=?"));
    back.addBindValue(mappingId);
    if (auto st = Workspace::exec(back, "cannot read the run id"); !st)
        return st.error();
    back.next();
    return back.value(0).toLongLong();
}

Status RunRepository::amend(const RunRecord& r)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE runs SET message=?, api_calls=?, verify_status=?, verify_entered=?, "
        "verify_checked=?, verify_unknown=?, verify_value_missing=?, verify_note=? WHERE id=?"));
    q.addBindValue(Workspace::text(r.message));
    q.addBindValue(r.apiCalls);
    const EntryVerification& v = r.verification;
    q.addBindValue(Workspace::text(v.status));
    q.addBindValue(v.entered);
    q.addBindValue(v.verified);
    q.addBindValue(v.unknown);
    q.addBindValue(v.valueMissing);
    q.addBindValue(Workspace::text(v.note));
    q.addBindValue(r.id);
    return Workspace::exec(q, "cannot record what was learnt after the run");
}

Status RunRepository::finish(const RunRecord& r)
{
    return m_ws.transaction([&]() -> Status {
        QSqlQuery q = m_ws.query(QStringLiteral(
            "UPDATE runs SET status=?, finished_at=?, segment_count=?, synced_count=?, entered=?, "
            "exited=?, unchanged=?, mismatched=?, failed=?, api_calls=?, http_429=?, message=?, "
            "error_category=?, verify_status=?, verify_entered=?, verify_checked=?, "
            "verify_unknown=?, verify_value_missing=?, verify_note=?, held_exits=? WHERE id=?"));
        q.addBindValue(runStatusName(r.status));
        q.addBindValue(r.finishedAtMs);
        q.addBindValue(r.segmentCount);
        q.addBindValue(r.syncedCount);
        q.addBindValue(r.entered);
        q.addBindValue(r.exited);
        q.addBindValue(r.unchanged);
        q.addBindValue(r.mismatched);
        q.addBindValue(r.failed);
        q.addBindValue(r.apiCalls);
        q.addBindValue(r.http429);
        q.addBindValue(Workspace::message(r.message));
        q.addBindValue(Workspace::text(r.errorCategory));
        const EntryVerification& v = r.verification;
        q.addBindValue(Workspace::text(v.status));
        q.addBindValue(v.entered);
        q.addBindValue(v.verified);
        q.addBindValue(v.unknown);
        q.addBindValue(v.valueMissing);
        q.addBindValue(Workspace::message(v.note));
        q.addBindValue(r.heldExits);
        q.addBindValue(r.id);
        if (auto st = Workspace::exec(q, "cannot record the run result"); !st)
            return st;
        const bool measured = r.kind != RunKind::DryRun && r.status != RunStatus::Skipped &&
                              r.status != RunStatus::Running && r.segmentCount > 0;
        if (!measured)
            return {};
        QSqlQuery p = m_ws.query(QStringLiteral(
            "INSERT INTO size_points (run_id, mapping_id, at_ms, segment_count, synced_count, "
            "entered, exited, mismatched) VALUES (?,?,?,?,?,?,?,?)"));
        p.addBindValue(r.id);
        p.addBindValue(r.mappingId);
        p.addBindValue(r.finishedAtMs);
        p.addBindValue(r.segmentCount);
        p.addBindValue(r.syncedCount);
        p.addBindValue(r.joined >= 0 ? r.joined : r.entered);
        p.addBindValue(r.exited);
        p.addBindValue(r.mismatched);
        return Workspace::exec(p, "cannot record the size point");
    });
}

Result<QList<RunRecord>> RunRepository::recent(int limit, qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT %1 FROM runs %2 ORDER BY id DESC LIMIT %3")
                                 .arg(QLatin1String(kRunColumns),
                                      mappingId ? QStringLiteral("WHERE mapping_id=?") : QString())
                                 .arg(limit));
    if (mappingId)
        q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read run history"); !st)
        return st.error();
    QList<RunRecord> out;
    while (q.next())
        out.append(runFrom(q));
    return out;
}

Result<std::optional<RunRecord>> RunRepository::last(qint64 mappingId)
{
    auto runs = recent(1, mappingId);
    if (!runs)
        return runs.error();
    if (runs->isEmpty())
        return std::optional<RunRecord>{};
    return std::optional<RunRecord>{runs->first()};
}

Result<std::optional<RunRecord>> RunRepository::newest(qint64 mappingId, const QString& condition)
{
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT %1 FROM runs WHERE mapping_id=? AND %2 ORDER BY id DESC LIMIT 1")
            .arg(QLatin1String(kRunColumns), condition));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read run history"); !st)
        return st.error();
    if (!q.next())
        return std::optional<RunRecord>{};
    return std::optional<RunRecord>{runFrom(q)};
}

Result<std::optional<RunRecord>> RunRepository::lastSucceeded(qint64 mappingId)
{
    return newest(mappingId, QStringLiteral("status='succeeded' AND kind<>'dry_run'"));
}

Result<std::optional<RunRecord>> RunRepository::lastEnded(qint64 mappingId)
{
    return newest(mappingId, QStringLiteral("status<>'running' AND kind<>'dry_run'"));
}

Result<std::optional<RunRecord>> RunRepository::lastVerified(qint64 mappingId)
{
    return newest(mappingId, QStringLiteral("verify_status='verified' AND verify_checked>0"));
}

Result<QList<RunRecord>> RunRepository::unfinished()
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT %1 FROM runs WHERE status='running' ORDER BY id")
                       .arg(QLatin1String(kRunColumns)));
    if (auto st = Workspace::exec(q, "cannot read unfinished runs"); !st)
        return st.error();
    QList<RunRecord> out;
    while (q.next())
        out.append(runFrom(q));
    return out;
}

Result<QList<BatchError>> RunRepository::batchErrors(qint64 runId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT seq, op, size, error FROM journal_batches WHERE run_id=? AND state='failed' "
        "ORDER BY seq"));
    q.addBindValue(runId);
    if (auto st = Workspace::exec(q, "cannot read batch errors"); !st)
        return st.error();
    QList<BatchError> out;
    while (q.next()) {
        BatchError e;
        e.runId = runId;
        e.batch = q.value(0).toInt();
        e.operation = q.value(1).toString();
        e.size = q.value(2).toInt();
        e.error = q.value(3).toString();
        out.append(e);
    }
    return out;
}

} // namespace lockstep
