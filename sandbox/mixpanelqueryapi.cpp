#include "mixpanelqueryapi.h"

#include "formdata.h"
#include "jsonwriter.h"
#include "sandboxstate.h"
#include "whereexpression.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace lockstep::sandbox {
namespace {

constexpr std::size_t kMaxSessions = 256;

QHash<QString, QString> parameters(const HttpRequest& request)
{
    QHash<QString, QString> params;
    if (request.method == "POST")
        params = formdata::parse(request.body);
    for (const auto& [k, v] : request.query.queryItems(QUrl::FullyDecoded))
        params.insert(k, v);
    return params;
}

QString stripQuotes(QString s)
{
    s = s.trimmed();
    if (s.size() >= 2 && s.startsWith(QLatin1Char('\'')) && s.endsWith(QLatin1Char('\'')))
        s = s.mid(1, s.size() - 2);
    return s;
}

} // namespace

QString MixpanelQueryApi::routeOf(const HttpRequest& request)
{
    for (const QString& prefix : {QStringLiteral("/api/query"), QStringLiteral("/api/2.0")}) {
        if (!request.path.startsWith(prefix + QLatin1Char('/')))
            continue;
        const QString rest = request.path.mid(prefix.size());
        if (rest == QStringLiteral("/cohorts/list") || rest == QStringLiteral("/cohorts/list/"))
            return QStringLiteral("mp.query.cohorts_list");
        if (rest == QStringLiteral("/engage") || rest == QStringLiteral("/engage/"))
            return QStringLiteral("mp.query.engage");
        return QStringLiteral("mp.query.unknown");
    }
    return {};
}

HttpReply MixpanelQueryApi::error(int status, const QString& message)
{
    QByteArray body = "{\"error\":";
    json::appendString(body, message);
    body.append(",\"status\":\"error\"}");
    return HttpReply::json(status, body);
}

std::optional<HttpReply> MixpanelQueryApi::admit(const HttpRequest& request, qint64 nowMs,
                                                 bool& admitted)
{
    admitted = false;
    const QByteArray auth = request.header("Authorization");
    const QString credentials =
        auth.startsWith("Basic ") ? QString::fromUtf8(QByteArray::fromBase64(auth.mid(6).trimmed()))
                                  : QString();
    if (credentials != m_state.scenario.serviceAccount)
        return error(
            401, QStringLiteral("Invalid credentials: use the service account's username:secret"));
    const QHash<QString, QString> params = parameters(request);
    const QString projectId = params.value(QStringLiteral("project_id"));
    if (projectId.isEmpty())
        return error(400, QStringLiteral(
                              "project_id is required when authenticating with a service account"));
    if (projectId != QString::number(m_state.scenario.projectId))
        return error(403,
                     QStringLiteral("service account has no access to project %1").arg(projectId));
    if (request.header("X-Lockstep-Sandbox-Exempt") == "1")
        return std::nullopt; // test inspection: does not use the budget the client under test has
    int retryAfter = 1;
    const QueryBudget::Verdict verdict = m_state.queryBudget.admit(nowMs, retryAfter);
    if (verdict == QueryBudget::Verdict::Ok) {
        admitted = true;
        return std::nullopt;
    }
    HttpReply refused =
        verdict == QueryBudget::Verdict::TooManyConcurrent
            ? error(429, QStringLiteral("too many concurrent queries: at most %1 at a time")
                             .arg(m_state.scenario.queryConcurrency))
            : error(429, QStringLiteral("query rate limit exceeded: %1 queries per hour")
                             .arg(m_state.scenario.queryLimitPerHour));
    // Mixpanel documents the limits and the 429 (docs.mixpanel.com/reference/rate-limits),
    // no Retry-After: one is sent only when the scenario asks for it.
    if (m_state.scenario.queryRetryAfter)
        refused.withHeader("Retry-After", QByteArray::number(retryAfter));
    return refused;
    return std::nullopt;
}

HttpReply MixpanelQueryApi::handle(const QString& route, const HttpRequest& request)
{
    if (request.method != "POST" && request.method != "GET")
        return error(405, QStringLiteral("method not allowed"));
    if (route == QStringLiteral("mp.query.cohorts_list"))
        return cohortsList();
    if (route == QStringLiteral("mp.query.engage"))
        return engage(request);
    return error(404, QStringLiteral("unknown query endpoint %1").arg(request.path));
}

HttpReply MixpanelQueryApi::cohortsList() const
{
    QByteArray body = "[";
    bool first = true;
    for (const CohortDef& c : m_state.profiles.cohorts()) {
        if (!first)
            body.append(',');
        first = false;
        body.append("{\"count\":" + QByteArray::number(m_state.profiles.cohortCount(c)) +
                    ",\"is_visible\":" + QByteArray(c.spec.visible ? "1" : "0") +
                    ",\"description\":");
        json::appendString(body, c.spec.description);
        body.append(",\"created\":\"2024-01-15 09:30:00\",\"project_id\":" +
                    QByteArray::number(m_state.scenario.projectId) +
                    ",\"id\":" + QByteArray::number(c.spec.id) + ",\"name\":");
        json::appendString(body, c.spec.name);
        body.append('}');
    }
    body.append(']');
    return HttpReply::json(200, body);
}

HttpReply MixpanelQueryApi::engage(const HttpRequest& request)
{
    const QHash<QString, QString> params = parameters(request);
    bool ok = true;
    const int page = params.value(QStringLiteral("page"), QStringLiteral("0")).toInt(&ok);
    if (!ok || page < 0)
        return error(400, QStringLiteral("page must be a non-negative integer"));
    QString sessionId = params.value(QStringLiteral("session_id"));
    if (page > 0 && sessionId.isEmpty())
        return error(400, QStringLiteral("session_id is required when page is above 0"));

    QSet<std::uint32_t> only;
    bool restrictOutput = false;
    if (params.contains(QStringLiteral("output_properties"))) {
        const QJsonDocument doc =
            QJsonDocument::fromJson(params.value(QStringLiteral("output_properties")).toUtf8());
        if (!doc.isArray())
            return error(
                400, QStringLiteral("output_properties must be a JSON array of property names"));
        restrictOutput = true;
        for (const QJsonValue& v : doc.array()) {
            const std::uint32_t key = m_state.profiles.keyId(QByteArrayView(v.toString().toUtf8()));
            if (key != StringPool::kNone)
                only.insert(key);
        }
    }

    const std::vector<std::uint32_t>* results = nullptr;
    if (!sessionId.isEmpty() && page > 0) {
        auto it = m_sessions.find(sessionId);
        if (it == m_sessions.end())
            return error(400, QStringLiteral("unknown or expired session_id %1").arg(sessionId));
        results = &it.value();
    } else {
        // A new query: evaluate the filters once and keep the result for paging.
        const ProfileStore& store = m_state.profiles;
        std::optional<WhereExpression> where;
        if (!params.value(QStringLiteral("where")).trimmed().isEmpty()) {
            auto parsed = WhereExpression::parse(params.value(QStringLiteral("where")));
            if (auto* err = std::get_if<QString>(&parsed))
                return error(400, *err);
            where = std::get<WhereExpression>(parsed);
        }
        const CohortDef* cohort = nullptr;
        if (params.contains(QStringLiteral("filter_by_cohort"))) {
            const QJsonDocument doc = QJsonDocument::fromJson(
                stripQuotes(params.value(QStringLiteral("filter_by_cohort"))).toUtf8());
            const QJsonValue id = doc.object().value(QStringLiteral("id"));
            if (!doc.isObject() || !id.isDouble())
                return error(
                    400,
                    QStringLiteral("filter_by_cohort must be a JSON object like {\"id\":12345}"));
            cohort = store.cohort(id.toInteger());
            if (!cohort)
                return error(400, QStringLiteral("cohort %1 not found in project %2")
                                      .arg(id.toInteger())
                                      .arg(m_state.scenario.projectId));
        }
        std::vector<std::uint32_t> matched;
        auto consider = [&](std::uint32_t index) {
            if (!store.profile(index).alive)
                return;
            if (cohort && !store.inCohort(*cohort, index))
                return;
            if (where && !where->matches(store, index))
                return;
            matched.push_back(index);
        };
        QStringList ids;
        if (params.contains(QStringLiteral("distinct_ids"))) {
            const QJsonDocument doc =
                QJsonDocument::fromJson(params.value(QStringLiteral("distinct_ids")).toUtf8());
            if (!doc.isArray())
                return error(400, QStringLiteral("distinct_ids must be a JSON array of strings"));
            for (const QJsonValue& v : doc.array())
                ids.append(v.toVariant().toString());
        }
        if (params.contains(QStringLiteral("distinct_id")))
            ids.append(params.value(QStringLiteral("distinct_id")));
        if (!ids.isEmpty() || params.contains(QStringLiteral("distinct_ids"))) {
            QSet<std::uint32_t> seen;
            for (const QString& id : ids) {
                const std::uint32_t index = store.lookup(QByteArrayView(id.toUtf8()));
                if (index != StringPool::kNone && !seen.contains(index)) {
                    seen.insert(index);
                    consider(index);
                }
            }
        } else {
            for (std::uint32_t i = 0; i < store.capacity(); ++i)
                consider(i);
        }
        if (sessionId.isEmpty())
            sessionId = QStringLiteral("%1-SBX%2").arg(m_state.startedMs).arg(++m_sessionCounter);
        m_sessions.insert(sessionId, std::move(matched));
        m_sessionOrder.push_back(sessionId);
        while (m_sessionOrder.size() > kMaxSessions) {
            m_sessions.remove(m_sessionOrder.front());
            m_sessionOrder.pop_front();
        }
        results = &m_sessions[sessionId];
    }

    const std::size_t begin = std::size_t(page) * kPageSize;
    const std::size_t end = std::min(results->size(), begin + kPageSize);
    QByteArray body;
    body.reserve(qsizetype(end > begin ? (end - begin) * 96 : 0) + 160);
    body.append("{\"page\":" + QByteArray::number(page) +
                ",\"page_size\":" + QByteArray::number(kPageSize) + ",\"session_id\":");
    json::appendString(body, sessionId);
    body.append(",\"status\":\"ok\",\"total\":" + QByteArray::number(qulonglong(results->size())) +
                ",\"results\":[");
    for (std::size_t i = begin; i < end; ++i) {
        if (i > begin)
            body.append(',');
        m_state.profiles.writeProfile(body, (*results)[i], restrictOutput ? &only : nullptr);
    }
    body.append("]}");
    HttpReply reply = HttpReply::json(200, body);
    reply.updates = qint64(end > begin ? end - begin : 0);
    return reply;
}

} // namespace lockstep::sandbox
