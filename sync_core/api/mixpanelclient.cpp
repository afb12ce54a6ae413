#include "mixpanelclient.h"

#include "apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace lockstep {

namespace {
SyncError protocol(const QString& what)
{
    return SyncError::make(SyncError::Category::Protocol,
                           QStringLiteral("Mixpanel sent an unexpected reply: ") + what);
}

QUrl withPath(const QUrl& base, const QString& path)
{
    QUrl u = base;
    QString p = base.path();
    if (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    u.setPath(p + path);
    return u;
}
} // namespace

MixpanelClient::MixpanelClient(RequestScheduler* http, MixpanelEndpoints endpoints,
                               std::shared_ptr<RequestCounters> counters)
    : m_http(http), m_ep(std::move(endpoints)), m_counters(std::move(counters))
{}

Status MixpanelClient::parseEngageReply(const HttpResponse& reply)
{
    if (reply.status < 200 || reply.status > 299)
        return errorFromReply(QStringLiteral("Mixpanel"), reply);
    const QByteArray body = reply.body.trimmed();
    if (body == "1")
        return {};
    if (body == "0")
        return SyncError::make(SyncError::Category::BadRequest,
                               QStringLiteral("Mixpanel rejected the batch (reply 0)"),
                               reply.status);
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return protocol(QStringLiteral("an /engage reply that is neither 1, 0 nor JSON"));
    const QJsonObject o = doc.object();
    const QJsonValue status = o.value(QLatin1String("status"));
    const bool ok = status.toInt(-1) == 1 || status.toString() == QLatin1String("1") ||
                    status.toString() == QLatin1String("OK");
    if (ok)
        return {};
    return SyncError::make(SyncError::Category::BadRequest,
                           QStringLiteral("Mixpanel rejected the batch: %1")
                               .arg(o.value(QLatin1String("error")).toString()),
                           reply.status);
}

void MixpanelClient::engage(QByteArray jsonArray, std::function<void(Status)> done)
{
    HttpRequest r;
    r.method = "POST";
    r.url = withPath(m_ep.ingestion, QStringLiteral("/engage"));
    r.url.setQuery(QStringLiteral("verbose=1&ip=0"));
    r.headers = {{"Content-Type", "application/json"},
                 {"Accept", "application/json"},
                 {"X-Mixpanel-Integration-ID", kIntegrationId}};
    r.body = std::move(jsonArray);
    r.limitKey = QString::fromLatin1(kIngestionKey);
    r.counters = m_counters;
    r.retry.baseDelayMs = 2000; // Mixpanel: back off from 2 s to 60 s, 1-5 s jitter
    r.retry.jitterMinMs = 1000;
    r.retry.jitterMaxMs = 5000;
    m_http->send(std::move(r), [done = std::move(done)](const Result<HttpResponse>& res) {
        if (!res.ok())
            done(res.error());
        else
            done(parseEngageReply(*res));
    });
}

Status MixpanelClient::parseImportReply(const HttpResponse& reply)
{
    if (reply.status == 200) {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(reply.body, &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            return protocol(QStringLiteral("/import answered 200 with a body that is not JSON"));
        if (doc.object().value(QLatin1String("code")).toInt(200) == 200)
            return {};
        return protocol(QStringLiteral("/import answered 200 without success"));
    }
    if (reply.status == 400) {
        // Strict mode: some records failed validation; they will fail again the same way.
        const QJsonObject o = QJsonDocument::fromJson(reply.body).object();
        const QJsonArray failed = o.value(QLatin1String("failed_records")).toArray();
        QString first;
        if (!failed.isEmpty())
            first = failed.first().toObject().value(QLatin1String("message")).toString();
        return SyncError::make(
            SyncError::Category::BadRequest,
            QStringLiteral("Mixpanel /import rejected %1 events: %2")
                .arg(QString::number(failed.size()),
                     first.isEmpty() ? o.value(QLatin1String("error")).toString() : first),
            400);
    }
    return errorFromReply(QStringLiteral("Mixpanel /import"), reply);
}

void MixpanelClient::importEvents(QByteArray jsonArray, std::function<void(Status)> done)
{
    HttpRequest r;
    r.method = "POST";
    r.url = withPath(m_ep.ingestion, QStringLiteral("/import"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("strict"), QStringLiteral("1"));
    q.addQueryItem(QStringLiteral("project_id"), QString::number(m_ep.projectId));
    r.url.setQuery(q);
    const QByteArray user = m_ep.serviceAccount.isEmpty()
                                ? (m_ep.projectToken + QLatin1Char(':')).toUtf8()
                                : m_ep.serviceAccount.toUtf8();
    r.headers = {{"Authorization", "Basic " + user.toBase64()},
                 {"Content-Type", "application/json"},
                 {"Accept", "application/json"},
                 {"X-Mixpanel-Integration-ID", kIntegrationId}};
    r.body = std::move(jsonArray);
    r.limitKey = QString::fromLatin1(kIngestionKey);
    r.counters = m_counters;
    r.retry.baseDelayMs = 2000;
    r.retry.jitterMinMs = 1000;
    r.retry.jitterMaxMs = 5000;
    m_http->send(std::move(r), [done = std::move(done)](const Result<HttpResponse>& res) {
        if (!res.ok())
            done(res.error());
        else
            done(parseImportReply(*res));
    });
}

HttpRequest MixpanelClient::queryRequest(const QString& path,
                                         const QList<std::pair<QString, QString>>& form) const
{
    HttpRequest r;
    r.method = "POST";
    r.url = withPath(m_ep.query, path);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("project_id"), QString::number(m_ep.projectId));
    r.url.setQuery(q);
    QUrlQuery body;
    for (const auto& [k, v] : form)
        body.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    r.body = body.toString(QUrl::FullyEncoded).toLatin1();
    r.headers = {{"Authorization", "Basic " + m_ep.serviceAccount.toUtf8().toBase64()},
                 {"Content-Type", "application/x-www-form-urlencoded"},
                 {"Accept", "application/json"},
                 {"X-Mixpanel-Integration-ID", kIntegrationId}};
    r.limitKey = QString::fromLatin1(kQueryKey);
    r.counters = m_counters;
    // 60 queries an hour, shared by every tool of the project; the documented 429 has no
    // Retry-After (docs.mixpanel.com/reference/rate-limits): retrying it only wastes time.
    r.retry.bareRateLimitIsFinal = true;
    return r;
}

bool MixpanelClient::isQueryBudgetSpent(const SyncError& error)
{
    return error.category == SyncError::Category::RateLimited && error.httpStatus == 429 &&
           !error.retryable;
}

SyncError MixpanelClient::queryError(const HttpResponse& reply)
{
    if (reply.status == 429 && reply.header("Retry-After").isEmpty())
        return SyncError::make(
            SyncError::Category::RateLimited,
            QStringLiteral("Mixpanel's query budget for this hour is spent (429 without "
                           "Retry-After; every tool of the project shares 60 queries an hour)"),
            429, false);
    return errorFromReply(QStringLiteral("Mixpanel"), reply);
}

Result<QList<CohortInfo>> MixpanelClient::parseCohorts(const QByteArray& body)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray())
        return protocol(QStringLiteral("/cohorts/list did not return a JSON array"));
    QList<CohortInfo> out;
    for (const QJsonValue& v : doc.array()) {
        const QJsonObject o = v.toObject();
        if (!o.value(QLatin1String("id")).isDouble())
            return protocol(QStringLiteral("a cohort without a numeric id"));
        CohortInfo c;
        // toInteger(), never a cast: a double out of qint64 range is undefined behaviour
        // (UBSan in fuzz_mixpanel_reply); such a value reads as 0.
        c.id = o.value(QLatin1String("id")).toInteger();
        c.name = o.value(QLatin1String("name")).toString();
        c.count = o.value(QLatin1String("count")).toInteger();
        c.description = o.value(QLatin1String("description")).toString();
        out.append(c);
    }
    return out;
}

Result<ProfilePage> MixpanelClient::parseProfiles(const QByteArray& body)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return protocol(QStringLiteral("/engage query did not return a JSON object"));
    const QJsonObject o = doc.object();
    if (!o.value(QLatin1String("results")).isArray())
        return protocol(QStringLiteral("/engage query without \"results\""));
    ProfilePage p;
    p.page = o.value(QLatin1String("page")).toInt();
    p.pageSize = o.value(QLatin1String("page_size")).toInt(1000);
    p.sessionId = o.value(QLatin1String("session_id")).toString();
    p.total = o.value(QLatin1String("total")).toInteger();
    for (const QJsonValue& v : o.value(QLatin1String("results")).toArray()) {
        const QJsonObject r = v.toObject();
        // The reference's own example has a numeric $distinct_id (engage-query): read its text.
        const QJsonValue id = r.value(QLatin1String("$distinct_id"));
        p.distinctIds.append(id.isDouble() ? QString::number(id.toDouble(), 'g', 17)
                                           : id.toString());
        p.properties.append(r.value(QLatin1String("$properties")).toObject());
    }
    return p;
}

void MixpanelClient::cohorts(Callback<QList<CohortInfo>> done)
{
    m_http->send(queryRequest(QStringLiteral("/cohorts/list"), {}),
                 [done = std::move(done)](const Result<HttpResponse>& r) {
                     if (!r.ok())
                         return done(r.error());
                     if (r->status < 200 || r->status > 299)
                         return done(queryError(*r));
                     done(parseCohorts(r->body));
                 });
}

void MixpanelClient::profiles(const ProfileQuery& q, Callback<ProfilePage> done)
{
    QList<std::pair<QString, QString>> form;
    if (!q.where.isEmpty())
        form.append({QStringLiteral("where"), q.where});
    if (q.cohortId)
        form.append(
            {QStringLiteral("filter_by_cohort"), QStringLiteral("{\"id\":%1}").arg(q.cohortId)});
    if (!q.distinctIds.isEmpty())
        form.append({QStringLiteral("distinct_ids"),
                     QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(q.distinctIds))
                                           .toJson(QJsonDocument::Compact))});
    if (!q.outputProperties.isEmpty())
        form.append({QStringLiteral("output_properties"),
                     QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(q.outputProperties))
                                           .toJson(QJsonDocument::Compact))});
    if (!q.sessionId.isEmpty()) {
        form.append({QStringLiteral("session_id"), q.sessionId});
        form.append({QStringLiteral("page"), QString::number(q.page)});
    }
    m_http->send(queryRequest(QStringLiteral("/engage"), form),
                 [done = std::move(done)](const Result<HttpResponse>& r) {
                     if (!r.ok())
                         return done(r.error());
                     if (r->status < 200 || r->status > 299)
                         return done(queryError(*r));
                     done(parseProfiles(r->body));
                 });
}

} // namespace lockstep
