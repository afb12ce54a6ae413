#include "faultinjector.h"

#include <QDateTime>

namespace lockstep::sandbox {
namespace {

bool routeMatches(const QString& pattern, const QString& route)
{
    if (pattern == QStringLiteral("*") || pattern == route)
        return true;
    if (pattern.endsWith(QLatin1Char('*')))
        return route.startsWith(QStringView(pattern).chopped(1));
    return false;
}

} // namespace

QJsonObject FaultRule::toJson() const
{
    QJsonObject o{{QStringLiteral("route"), route}, {QStringLiteral("hits"), hits}};
    if (status)
        o.insert(QStringLiteral("status"), status);
    if (retryAfter >= 0)
        o.insert(QStringLiteral("retry_after"), retryAfter);
    if (body)
        o.insert(QStringLiteral("body"), QString::fromUtf8(*body));
    if (latencyMs)
        o.insert(QStringLiteral("latency_ms"), latencyMs);
    if (hang)
        o.insert(QStringLiteral("hang"), true);
    if (truncate)
        o.insert(QStringLiteral("truncate"), true);
    if (malformed)
        o.insert(QStringLiteral("malformed"), true);
    if (reset)
        o.insert(QStringLiteral("reset"), true);
    o.insert(QStringLiteral("count"), count);
    o.insert(QStringLiteral("probability"), probability);
    if (skip)
        o.insert(QStringLiteral("skip"), skip);
    if (untilMs)
        o.insert(QStringLiteral("until_ms"), untilMs);
    return o;
}

QString FaultInjector::install(const QJsonValue& rules)
{
    const QJsonArray list = rules.isArray() ? rules.toArray() : QJsonArray{rules};
    std::vector<FaultRule> parsed;
    static const QStringList known = {
        QStringLiteral("route"),      QStringLiteral("status"),      QStringLiteral("retry_after"),
        QStringLiteral("body"),       QStringLiteral("latency_ms"),  QStringLiteral("hang"),
        QStringLiteral("truncate"),   QStringLiteral("malformed"),   QStringLiteral("reset"),
        QStringLiteral("count"),      QStringLiteral("probability"), QStringLiteral("skip"),
        QStringLiteral("duration_ms")};
    for (int i = 0; i < list.size(); ++i) {
        const QString p = QStringLiteral("faults[%1]").arg(i);
        if (!list.at(i).isObject())
            return p + QStringLiteral(": must be an object");
        const QJsonObject o = list.at(i).toObject();
        for (const QString& k : o.keys()) {
            if (!known.contains(k))
                return p + QLatin1Char('.') + k + QStringLiteral(": unknown field");
        }
        FaultRule r;
        r.route = o.value(QStringLiteral("route")).toString(QStringLiteral("*"));
        r.status = o.value(QStringLiteral("status")).toInt(0);
        if (r.status != 0 && (r.status < 100 || r.status > 599))
            return p + QStringLiteral(".status: must be an HTTP status");
        r.retryAfter = o.value(QStringLiteral("retry_after")).toInt(-1);
        if (o.contains(QStringLiteral("body")))
            r.body = o.value(QStringLiteral("body")).toString().toUtf8();
        r.latencyMs = o.value(QStringLiteral("latency_ms")).toInt(0);
        if (r.latencyMs < 0)
            return p + QStringLiteral(".latency_ms: must be >= 0");
        r.hang = o.value(QStringLiteral("hang")).toBool(false);
        r.truncate = o.value(QStringLiteral("truncate")).toBool(false);
        r.malformed = o.value(QStringLiteral("malformed")).toBool(false);
        r.reset = o.value(QStringLiteral("reset")).toBool(false);
        r.count = o.value(QStringLiteral("count")).toInt(-1);
        r.probability = o.value(QStringLiteral("probability")).toDouble(1.0);
        if (r.probability < 0.0 || r.probability > 1.0)
            return p + QStringLiteral(".probability: must be between 0 and 1");
        r.skip = o.value(QStringLiteral("skip")).toInt(0);
        const int duration = o.value(QStringLiteral("duration_ms")).toInt(0);
        if (duration > 0)
            r.untilMs = QDateTime::currentMSecsSinceEpoch() + duration;
        if (!r.status && !r.latencyMs && !r.hang && !r.truncate && !r.malformed && !r.reset)
            return p + QStringLiteral(": does nothing (set status, latency_ms, hang, truncate, "
                                      "malformed or reset)");
        parsed.push_back(r);
    }
    m_rules.insert(m_rules.end(), parsed.begin(), parsed.end());
    return {};
}

QJsonArray FaultInjector::toJson() const
{
    QJsonArray out;
    for (const FaultRule& r : m_rules)
        out.append(r.toJson());
    return out;
}

FaultDecision FaultInjector::decide(const QString& route, qint64 nowMs)
{
    for (FaultRule& r : m_rules) {
        if (r.count == 0 || (r.untilMs && nowMs > r.untilMs) || !routeMatches(r.route, route))
            continue;
        if (r.skip > 0) {
            --r.skip;
            continue;
        }
        if (r.probability < 1.0 && !m_prng.chance(r.probability))
            continue;
        if (r.count > 0)
            --r.count;
        ++r.hits;
        return {true, r};
    }
    return {};
}

} // namespace lockstep::sandbox
