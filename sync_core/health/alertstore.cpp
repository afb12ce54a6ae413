#include "alertstore.h"

#include "alertoutbox.h"

#include "store/workspace.h"
#include "util/clock.h"

#include <QSet>
#include <QVariant>
#include <optional>

namespace lockstep {

namespace {
const char* kColumns = "id, mapping_id, rule, subject, severity, message, value, first_seen_at, "
                       "last_seen_at, occurrences, acknowledged_at, acknowledged_by, resolved_at";

Alert alertFrom(const QSqlQuery& q)
{
    Alert a;
    a.id = q.value(0).toLongLong();
    a.mappingId = q.value(1).toLongLong();
    a.rule = q.value(2).toString();
    a.subject = q.value(3).toString();
    a.severity = parseAlertSeverity(q.value(4).toString());
    a.message = q.value(5).toString();
    a.value = q.value(6).toDouble();
    a.firstSeenMs = q.value(7).toLongLong();
    a.lastSeenMs = q.value(8).toLongLong();
    a.occurrences = q.value(9).toInt();
    a.acknowledgedAtMs = q.value(10).toLongLong();
    a.acknowledgedBy = q.value(11).toString();
    a.resolvedAtMs = q.value(12).toLongLong();
    return a;
}

QString keyOf(qint64 mappingId, const QString& rule, const QString& subject)
{
    return QString::number(mappingId) + QLatin1Char('\x1f') + rule + QLatin1Char('\x1f') + subject;
}

// Critical first, then warning, then info; newest first within a severity.
const char* kOrder = "CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
                     "last_seen_at DESC, id DESC";
} // namespace

Result<qint64> AlertStore::raiseInTransaction(const HealthFinding& f, qint64 nowMs)
{
    QSqlQuery find = m_ws.query(QStringLiteral(
        "SELECT id, severity FROM alerts WHERE mapping_id=? AND rule=? AND subject=? AND "
        "resolved_at=0"));
    find.addBindValue(f.mappingId);
    find.addBindValue(f.rule);
    find.addBindValue(Workspace::text(f.subject));
    if (auto st = Workspace::exec(find, "cannot read alerts"); !st)
        return st.error();
    if (find.next()) {
        const qint64 id = find.value(0).toLongLong();
        const bool escalated = int(f.severity) > int(parseAlertSeverity(find.value(1).toString()));
        std::optional<Alert> before;
        if (escalated) {
            auto b = get(id);
            if (!b)
                return b.error();
            before = *b;
        }
        // A rise in severity is news: the operator acknowledged something milder.
        QSqlQuery up = m_ws.query(
            QStringLiteral("UPDATE alerts SET severity=?, message=?, value=?, last_seen_at=?, "
                           "occurrences=occurrences+1%1 WHERE id=?")
                .arg(escalated ? QStringLiteral(", acknowledged_at=0, acknowledged_by=''")
                               : QString()));
        up.addBindValue(alertSeverityName(f.severity));
        up.addBindValue(Workspace::text(f.message));
        up.addBindValue(f.value);
        up.addBindValue(nowMs);
        up.addBindValue(id);
        if (auto st = Workspace::exec(up, "cannot update the alert"); !st)
            return st.error();
        if (before)
            if (auto st = announce(AlertChange::Raised, id, &*before, nowMs); !st)
                return st.error();
        return id;
    }
    QSqlQuery ins = m_ws.query(QStringLiteral(
        "INSERT INTO alerts (mapping_id, rule, subject, severity, message, value, first_seen_at, "
        "last_seen_at) VALUES (?,?,?,?,?,?,?,?)"));
    ins.addBindValue(f.mappingId);
    ins.addBindValue(f.rule);
    ins.addBindValue(Workspace::text(f.subject));
    ins.addBindValue(alertSeverityName(f.severity));
    ins.addBindValue(Workspace::text(f.message));
    ins.addBindValue(f.value);
    ins.addBindValue(nowMs);
    ins.addBindValue(nowMs);
    if (auto st = Workspace::exec(ins, "cannot record the alert"); !st)
        return st.error();
    qint64 id = 0;
    if (const QVariant inserted = ins.lastInsertId(); inserted.isValid()) {
        id = inserted.toLongLong();
    } else {
        auto found = openId(f);
        if (!found)
            return found.error();
        id = *found;
    }
    if (auto st = announce(AlertChange::Opened, id, nullptr, nowMs); !st)
        return st.error();
    return id;
}

Result<qint64> AlertStore::openId(const HealthFinding& f)
{
    QSqlQuery back = m_ws.query(QStringLiteral(
        "SELECT id FROM alerts WHERE mapping_id=? AND rule=? AND subject=? AND resolved_at=0"));
    back.addBindValue(f.mappingId);
    back.addBindValue(f.rule);
    back.addBindValue(Workspace::text(f.subject));
    if (auto st = Workspace::exec(back, "cannot read the alert id"); !st)
        return st.error();
    back.next();
    return back.value(0).toLongLong();
}

Result<qint64> AlertStore::raise(const HealthFinding& f)
{
    qint64 id = 0;
    const qint64 now = m_clock.nowMs();
    Status st = m_ws.transaction([&]() -> Status {
        auto r = raiseInTransaction(f, now);
        if (!r)
            return r.error();
        id = *r;
        return {};
    });
    if (!st)
        return st.error();
    return id;
}

Status AlertStore::reconcile(qint64 mappingId, const QStringList& rules,
                             const std::vector<HealthFinding>& findings)
{
    const qint64 now = m_clock.nowMs();
    return m_ws.transaction([&]() -> Status {
        QSet<QString> fired;
        for (const HealthFinding& f : findings) {
            if (auto r = raiseInTransaction(f, now); !r)
                return r.error();
            fired.insert(keyOf(f.mappingId, f.rule, f.subject));
        }
        if (rules.isEmpty())
            return {};
        QStringList marks;
        for (qsizetype i = 0; i < rules.size(); ++i)
            marks.append(QStringLiteral("?"));
        QSqlQuery q = m_ws.query(
            QStringLiteral("SELECT id, mapping_id, rule, subject FROM alerts WHERE resolved_at=0 "
                           "AND rule IN (%1)%2")
                .arg(marks.join(QLatin1Char(',')),
                     mappingId ? QStringLiteral(" AND mapping_id=?") : QString()));
        for (const QString& r : rules)
            q.addBindValue(r);
        if (mappingId)
            q.addBindValue(mappingId);
        if (auto st = Workspace::exec(q, "cannot read alerts"); !st)
            return st;
        QList<qint64> cleared;
        while (q.next())
            if (!fired.contains(
                    keyOf(q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString())))
                cleared.append(q.value(0).toLongLong());
        for (qint64 id : cleared)
            if (auto st = resolveInTransaction(id, now); !st)
                return st;
        return {};
    });
}

Status AlertStore::resolveInTransaction(qint64 alertId, qint64 nowMs)
{
    auto before = get(alertId);
    if (!before)
        return before.error().category == SyncError::Category::NotFound ? Status{} : before.error();
    if (!before->isOpen())
        return {};
    QSqlQuery q =
        m_ws.query(QStringLiteral("UPDATE alerts SET resolved_at=? WHERE id=? AND resolved_at=0"));
    q.addBindValue(nowMs);
    q.addBindValue(alertId);
    if (auto st = Workspace::exec(q, "cannot resolve the alert"); !st)
        return st;
    // Another process may have resolved it between our read and our write.
    if (q.numRowsAffected() == 0)
        return {};
    return announce(AlertChange::Resolved, alertId, &*before, nowMs);
}

Status AlertStore::announce(AlertChange change, qint64 alertId, const Alert* before, qint64 nowMs)
{
    auto now = get(alertId);
    if (!now)
        return now.error();
    return AlertOutbox(m_ws).enqueue(change, *now, before, nowMs);
}

Status AlertStore::resolve(qint64 alertId)
{
    const qint64 now = m_clock.nowMs();
    return m_ws.transaction([&] { return resolveInTransaction(alertId, now); });
}

Status AlertStore::acknowledge(qint64 alertId, const QString& by)
{
    const qint64 now = m_clock.nowMs();
    return m_ws.transaction([&]() -> Status {
        QSqlQuery q = m_ws.query(QStringLiteral(
            "UPDATE alerts SET acknowledged_at=?, acknowledged_by=? WHERE id=? AND resolved_at=0 "
            "AND acknowledged_at=0"));
        q.addBindValue(now);
        q.addBindValue(Workspace::text(by));
        q.addBindValue(alertId);
        if (auto st = Workspace::exec(q, "cannot acknowledge the alert"); !st)
            return st;
        if (q.numRowsAffected() > 0)
            return announce(AlertChange::Acknowledged, alertId, nullptr, now);
        // Acknowledged already (nothing new to announce) or not open at all.
        auto a = get(alertId);
        if (a && a->isOpen())
            return {};
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("no open alert with id %1 (it may have been "
                                              "resolved already)")
                                   .arg(alertId));
    });
}

Result<QList<Alert>> AlertStore::open(qint64 mappingId, bool includeAcknowledged)
{
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT %1 FROM alerts WHERE resolved_at=0%2%3 "
                       "ORDER BY %4")
            .arg(QLatin1String(kColumns),
                 mappingId ? QStringLiteral(" AND mapping_id=?") : QString(),
                 includeAcknowledged ? QString() : QStringLiteral(" AND acknowledged_at=0"),
                 QLatin1String(kOrder)));
    if (mappingId)
        q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read alerts"); !st)
        return st.error();
    QList<Alert> out;
    while (q.next())
        out.append(alertFrom(q));
    return out;
}

Result<QList<Alert>> AlertStore::history(qint64 mappingId, int limit)
{
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT %1 FROM alerts WHERE mapping_id=? ORDER BY id DESC LIMIT %2")
            .arg(QLatin1String(kColumns))
            .arg(qMax(0, limit)));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read alerts"); !st)
        return st.error();
    QList<Alert> out;
    while (q.next())
        out.append(alertFrom(q));
    return out;
}

Result<Alert> AlertStore::get(qint64 alertId)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT %1 FROM alerts WHERE id=?").arg(QLatin1String(kColumns)));
    q.addBindValue(alertId);
    if (auto st = Workspace::exec(q, "cannot read the alert"); !st)
        return st.error();
    if (!q.next())
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("no alert with id %1").arg(alertId));
    return alertFrom(q);
}

} // namespace lockstep
