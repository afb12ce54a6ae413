#include "alert.h"

namespace lockstep {

QJsonObject alertToJson(const Alert& a)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), a.id);
    o.insert(QStringLiteral("mapping_id"), a.mappingId);
    o.insert(QStringLiteral("rule"), a.rule);
    if (!a.subject.isEmpty())
        o.insert(QStringLiteral("subject"), a.subject);
    o.insert(QStringLiteral("severity"), alertSeverityName(a.severity));
    o.insert(QStringLiteral("message"), a.message);
    o.insert(QStringLiteral("value"), a.value);
    o.insert(QStringLiteral("first_seen_ms"), a.firstSeenMs);
    o.insert(QStringLiteral("last_seen_ms"), a.lastSeenMs);
    o.insert(QStringLiteral("occurrences"), a.occurrences);
    o.insert(QStringLiteral("acknowledged"), a.isAcknowledged());
    if (a.isAcknowledged()) {
        o.insert(QStringLiteral("acknowledged_ms"), a.acknowledgedAtMs);
        o.insert(QStringLiteral("acknowledged_by"), a.acknowledgedBy);
    }
    o.insert(QStringLiteral("open"), a.isOpen());
    if (!a.isOpen())
        o.insert(QStringLiteral("resolved_ms"), a.resolvedAtMs);
    return o;
}

QJsonArray alertsToJson(const QList<Alert>& alerts)
{
    QJsonArray arr;
    for (const Alert& a : alerts)
        arr.append(alertToJson(a));
    return arr;
}

} // namespace lockstep
