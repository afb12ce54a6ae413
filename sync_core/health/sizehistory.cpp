#include "sizehistory.h"

#include "store/workspace.h"

#include <QVariant>

#include <algorithm>

namespace lockstep {

namespace {
const char* kColumns =
    "run_id, at_ms, segment_count, synced_count, entered, exited, mismatched, mixpanel_count";

SizePoint pointFrom(const QSqlQuery& q)
{
    SizePoint p;
    p.runId = q.value(0).toLongLong();
    p.atMs = q.value(1).toLongLong();
    p.segmentCount = q.value(2).toLongLong();
    p.syncedCount = q.value(3).toLongLong();
    p.entered = q.value(4).toLongLong();
    p.exited = q.value(5).toLongLong();
    p.mismatched = q.value(6).toLongLong();
    const QVariant mp = q.value(7);
    p.mixpanelCount = mp.isNull() ? -1 : mp.toLongLong();
    return p;
}
} // namespace

Result<std::vector<SizePoint>> SizeHistory::window(qint64 mappingId, qint64 fromMs, qint64 toMs)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT %1 FROM size_points WHERE mapping_id=? AND "
                                            "at_ms>=? AND at_ms<? ORDER BY at_ms, run_id")
                                 .arg(QLatin1String(kColumns)));
    q.addBindValue(mappingId);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (auto st = Workspace::exec(q, "cannot read the size history"); !st)
        return st.error();
    std::vector<SizePoint> out;
    while (q.next())
        out.push_back(pointFrom(q));
    return out;
}

Result<std::vector<SizePoint>> SizeHistory::latest(qint64 mappingId, int count)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT %1 FROM size_points WHERE mapping_id=? "
                                            "ORDER BY at_ms DESC, run_id DESC LIMIT %2")
                                 .arg(QLatin1String(kColumns))
                                 .arg(qMax(0, count)));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the size history"); !st)
        return st.error();
    std::vector<SizePoint> out;
    while (q.next())
        out.push_back(pointFrom(q));
    std::reverse(out.begin(), out.end());
    return out;
}

Result<std::optional<SizePoint>> SizeHistory::before(qint64 mappingId, qint64 atMs)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT %1 FROM size_points WHERE mapping_id=? AND "
                                            "at_ms<? ORDER BY at_ms DESC, run_id DESC LIMIT 1")
                                 .arg(QLatin1String(kColumns)));
    q.addBindValue(mappingId);
    q.addBindValue(atMs);
    if (auto st = Workspace::exec(q, "cannot read the size history"); !st)
        return st.error();
    if (!q.next())
        return std::optional<SizePoint>();
    return std::optional<SizePoint>(pointFrom(q));
}

Result<qint64> SizeHistory::lastAt(qint64 mappingId)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT MAX(at_ms) FROM size_points WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the size history"); !st)
        return st.error();
    return q.next() ? q.value(0).toLongLong() : qint64(0);
}

Status SizeHistory::setMixpanelCount(qint64 runId, qint64 count)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("UPDATE size_points SET mixpanel_count=? WHERE run_id=?"));
    q.addBindValue(count);
    q.addBindValue(runId);
    return Workspace::exec(q, "cannot record the verified Mixpanel count");
}

Status SizeHistory::append(qint64 mappingId, const SizePoint& p)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO size_points (run_id, mapping_id, at_ms, segment_count, synced_count, "
        "entered, exited, mismatched, mixpanel_count) VALUES (?,?,?,?,?,?,?,?,?)"));
    q.addBindValue(p.runId);
    q.addBindValue(mappingId);
    q.addBindValue(p.atMs);
    q.addBindValue(p.segmentCount);
    q.addBindValue(p.syncedCount);
    q.addBindValue(p.entered);
    q.addBindValue(p.exited);
    q.addBindValue(p.mismatched);
    q.addBindValue(p.verified() ? QVariant(p.mixpanelCount)
                                : QVariant(QMetaType(QMetaType::LongLong)));
    return Workspace::exec(q, "cannot record the size point");
}

} // namespace lockstep
