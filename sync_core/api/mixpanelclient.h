// Writes profile updates to Mixpanel's ingestion API and reads cohorts and profiles
// back through its query API (service-account Basic auth, project_id).
#pragma once

#include "requestscheduler.h"

#include <QJsonObject>
#include <QUrl>

#include <functional>

namespace lockstep {

struct CohortInfo
{
    qint64 id = 0;
    QString name;
    qint64 count = 0;
    QString description;
};

struct ProfilePage
{
    QStringList distinctIds;
    QList<QJsonObject> properties;
    int page = 0;
    int pageSize = 0;
    QString sessionId;
    qint64 total = 0;
};

struct MixpanelEndpoints
{
    QUrl ingestion; // https://api.mixpanel.com
    QUrl query;     // https://mixpanel.com/api/query
    QString projectToken;
    QString serviceAccount; // "user:secret"
    qint64 projectId = 0;
};

class MixpanelClient
{
public:
    static constexpr int kMaxBatch = 2000;
    static constexpr const char* kIngestionKey = "mixpanel-ingestion";
    static constexpr const char* kQueryKey = "mixpanel-query";
    static constexpr const char* kIntegrationId = "lockstep";

    MixpanelClient(RequestScheduler* http, MixpanelEndpoints endpoints,
                   std::shared_ptr<RequestCounters> counters = {});

    template <typename T> using Callback = std::function<void(Result<T>)>;

    const QString& projectToken() const { return m_ep.projectToken; }
    // The query API needs a service account and a project id.
    bool canQuery() const { return !m_ep.serviceAccount.isEmpty() && m_ep.projectId > 0; }

    // Sends a JSON array of at most kMaxBatch profile updates.
    void engage(QByteArray jsonArray, std::function<void(Status)> done);
    // Sends a JSON array of at most kMaxBatch events to /import (strict mode). Basic auth
    // with the service account, or the project token as user when there is none.
    void importEvents(QByteArray jsonArray, std::function<void(Status)> done);
    static Status parseImportReply(const HttpResponse& reply);
    void cohorts(Callback<QList<CohortInfo>> done);
    // One page of profiles: `where` (Mixpanel expression) or a cohort id, paged with
    // session id and page number.
    struct ProfileQuery
    {
        QString where;
        qint64 cohortId = 0;
        QStringList distinctIds;
        QStringList outputProperties;
        QString sessionId;
        int page = 0;
    };
    void profiles(const ProfileQuery& q, Callback<ProfilePage> done);

    // The query API's 429 without Retry-After: the project's hourly budget is spent.
    static bool isQueryBudgetSpent(const SyncError& error);
    // A query reply that is not a success, as an error (a bare 429 says the budget is spent).
    static SyncError queryError(const HttpResponse& reply);

    // Pure parsers, for tests and fuzzing.
    static Status parseEngageReply(const HttpResponse& reply);
    static Result<QList<CohortInfo>> parseCohorts(const QByteArray& body);
    static Result<ProfilePage> parseProfiles(const QByteArray& body);

private:
    HttpRequest queryRequest(const QString& path,
                             const QList<std::pair<QString, QString>>& form) const;

    RequestScheduler* m_http;
    MixpanelEndpoints m_ep;
    std::shared_ptr<RequestCounters> m_counters;
};

} // namespace lockstep
