#include "heldexits.h"

#include "workspace.h"

#include <QVariant>

namespace lockstep {

namespace {
const char* kColumns = "id, mapping_id, run_id, held_at, reason, last_size, segment_count, "
                       "exit_count, share_percent, state, decided_at, decided_by, decided_run_id";

QStringList firstKeys(const QByteArray& keys, int n)
{
    QStringList out;
    qsizetype start = 0;
    while (out.size() < n && start < keys.size()) {
        qsizetype end = keys.indexOf('\n', start);
        if (end < 0)
            end = keys.size();
        if (end > start)
            out.append(QString::fromUtf8(keys.constData() + start, end - start));
        start = end + 1;
    }
    return out;
}
} // namespace

QString HeldExits::stateName(State s)
{
    switch (s) {
    case State::Held:
        return QStringLiteral("held");
    case State::Applied:
        return QStringLiteral("applied");
    case State::Discarded:
        return QStringLiteral("discarded");
    case State::Superseded:
        return QStringLiteral("superseded");
    }
    return QString();
}

std::optional<HeldExits::State> HeldExits::parseState(const QString& s)
{
    for (State st : {State::Held, State::Applied, State::Discarded, State::Superseded})
        if (stateName(st) == s)
            return st;
    return std::nullopt;
}

Status HeldExitStore::hold(const HeldExits& h)
{
    if (auto st = supersede(h.mappingId, h.runId); !st)
        return st;
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO held_exits (mapping_id, run_id, held_at, reason, last_size, segment_count, "
        "exit_count, share_percent, keys, state) VALUES (?,?,?,?,?,?,?,?,?,'held')"));
    q.addBindValue(h.mappingId);
    q.addBindValue(h.runId);
    q.addBindValue(h.heldAtMs);
    q.addBindValue(Workspace::text(h.reason));
    q.addBindValue(h.lastSize);
    q.addBindValue(h.segmentCount);
    q.addBindValue(h.exitCount);
    q.addBindValue(h.sharePercent);
    q.addBindValue(h.keys.isNull() ? QByteArray("") : h.keys);
    return Workspace::exec(q, "cannot record the held exits");
}

Status HeldExitStore::supersede(qint64 mappingId, qint64 runId)
{
    QSqlQuery q = m_ws.query(
        QStringLiteral("UPDATE held_exits SET state='superseded', decided_run_id=? WHERE "
                       "mapping_id=? AND state='held'"));
    q.addBindValue(runId);
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot close the held exits");
}

Status HeldExitStore::markApplied(qint64 heldId, qint64 runId, const QString& by, qint64 atMs)
{
    QSqlQuery q = m_ws.query(
        QStringLiteral("UPDATE held_exits SET state='applied', decided_run_id=?, decided_by=?, "
                       "decided_at=? WHERE id=? AND state='held'"));
    q.addBindValue(runId);
    q.addBindValue(Workspace::text(by));
    q.addBindValue(atMs);
    q.addBindValue(heldId);
    return Workspace::exec(q, "cannot record the applied exits");
}

Status HeldExitStore::discard(qint64 mappingId, qint64 heldId, const QString& by, qint64 atMs)
{
    QSqlQuery q = m_ws.query(
        QStringLiteral("UPDATE held_exits SET state='discarded', decided_by=?, decided_at=? "
                       "WHERE id=? AND mapping_id=? AND state='held'"));
    q.addBindValue(Workspace::text(by));
    q.addBindValue(atMs);
    q.addBindValue(heldId);
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot discard the held exits"); !st)
        return st;
    if (q.numRowsAffected() == 0)
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("mapping %1 has no such held exits any more: a "
                                              "later run or another console decided them")
                                   .arg(mappingId));
    return {};
}

Result<QList<HeldExits>> HeldExitStore::select(const QString& where, const QVariantList& binds,
                                               Keys keys, int limit)
{
    // A hold of a million exits is tens of MB: read only when someone looks at it.
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT %1, %2 FROM held_exits WHERE %3 ORDER BY "
                       "id DESC LIMIT %4")
            .arg(QLatin1String(kColumns),
                 keys == Keys::None ? QStringLiteral("''") : QStringLiteral("keys"), where)
            .arg(limit));
    for (const QVariant& v : binds)
        q.addBindValue(v);
    if (auto st = Workspace::exec(q, "cannot read the held exits"); !st)
        return st.error();
    QList<HeldExits> out;
    while (q.next()) {
        HeldExits h;
        h.id = q.value(0).toLongLong();
        h.mappingId = q.value(1).toLongLong();
        h.runId = q.value(2).toLongLong();
        h.heldAtMs = q.value(3).toLongLong();
        h.reason = q.value(4).toString();
        h.lastSize = q.value(5).toLongLong();
        h.segmentCount = q.value(6).toLongLong();
        h.exitCount = q.value(7).toLongLong();
        h.sharePercent = q.value(8).toDouble();
        h.state = HeldExits::parseState(q.value(9).toString()).value_or(HeldExits::State::Held);
        h.decidedAtMs = q.value(10).toLongLong();
        h.decidedBy = q.value(11).toString();
        h.decidedRunId = q.value(12).toLongLong();
        if (keys != Keys::None) {
            const QByteArray blob = q.value(13).toByteArray();
            h.sample = firstKeys(blob, kSampleKeys);
            if (keys == Keys::All)
                h.keys = blob;
        }
        out.append(h);
    }
    return out;
}

Result<std::optional<HeldExits>> HeldExitStore::pending(qint64 mappingId, Keys keys)
{
    auto rows = select(QStringLiteral("mapping_id=? AND state='held'"), {mappingId}, keys, 1);
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<HeldExits>();
    return std::optional<HeldExits>(rows->first());
}

Result<QList<HeldExits>> HeldExitStore::pendingAll()
{
    return select(QStringLiteral("state='held' AND mapping_id IN (SELECT id FROM mappings WHERE "
                                 "deleted=0)"),
                  {}, Keys::Sample, 1000);
}

Result<QList<HeldExits>> HeldExitStore::history(qint64 mappingId, int limit)
{
    return select(QStringLiteral("mapping_id=?"), {mappingId}, Keys::None, limit);
}

} // namespace lockstep
