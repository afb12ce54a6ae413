#include "enginecontext.h"

#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "trust/querybudget.h"
#include "workspacerategate.h"

#include <QNetworkAccessManager>

#include <algorithm>

namespace lockstep {

EngineContext::Setup EngineContext::Setup::fromEnvironment()
{
    Setup s;
    s.options = EngineOptions::fromEnvironment();
    s.queriesPerHour = QueryBudget::perHourFromEnvironment();
    s.allowedHosts = HostAllowList::fromEnvironment();
    s.tokenProbe = TokenProbeOptions::fromEnvironment();
    return s;
}

EngineContext::EngineContext(Setup setup)
    : m_options(setup.options), m_clock(setup.clock ? setup.clock : Clock::system()),
      m_queriesPerHour(setup.queriesPerHour), m_network(std::move(setup.network)),
      m_limits(std::make_shared<RateLimits>()), m_allowedHosts(std::move(setup.allowedHosts)),
      m_tokenProbe(setup.tokenProbe), m_engineThreadNice(std::max(setup.engineThreadNice, 0))
{
    if (!m_network)
        m_network = [](QObject* parent) { return new QNetworkAccessManager(parent); };
    // The vendors' limits (docs/API.md), in one place for the whole process.
    const qint64 now = m_clock->nowMs();
    m_limits->setLimit(QString::fromLatin1(CustomerIoClient::kLimitKey),
                       HostLimit{m_options.customerIoPerSecond, 1, 0, 0}, now);
    m_limits->setLimit(QString::fromLatin1(MixpanelClient::kIngestionKey),
                       HostLimit{0, 1, m_options.sendConcurrency, 0}, now);
    m_limits->setLimit(QString::fromLatin1(MixpanelClient::kQueryKey),
                       HostLimit{0, 1, 5, m_queriesPerHour}, now);
}

DoctorOptions EngineContext::doctorOptions() const
{
    DoctorOptions o;
    o.queriesPerHour = m_queriesPerHour;
    o.allowedHosts = m_allowedHosts;
    o.tokenProbe = m_tokenProbe;
    return o;
}

RequestScheduler* EngineContext::createScheduler(QObject* parent) const
{
    auto* http = new RequestScheduler(m_network, m_limits, m_clock, parent);
    http->setBackoffScale(m_options.backoffScale);
    http->setTimeoutMs(m_options.requestTimeoutMs);
    return http;
}

void EngineContext::shareLimitsThrough(const QString& location) const
{
    if (!m_options.sharedLimits || location.isEmpty())
        return;
    QMutexLocker lock(&m_sharedMutex);
    if (location == m_sharedLocation)
        return;
    m_sharedLocation = location;
    // The Mixpanel limits stay per process: ingestion's is a volume a minute, met with
    // 429s and backoff, and the hourly query budget is in the workspace already (QueryBudget).
    m_limits->setSharedGate(QString::fromLatin1(CustomerIoClient::kLimitKey),
                            std::make_shared<WorkspaceRateGate>(location));
}

Status EngineContext::checkService(ServiceEndpoint service, const QString& url) const
{
    return checkServiceEndpoint(service, QUrl(url), m_allowedHosts);
}

Result<ServiceConfig> EngineContext::services(const ConnectionSettings& connection,
                                              const Credentials& credentials, Need need) const
{
    using C = SyncError::Category;
    if (!connection.isComplete())
        return SyncError::make(C::Config, QStringLiteral("the workspace is not connected yet: run "
                                                         "`lockstep connect` or open Settings"));
    const std::pair<ServiceEndpoint, QString> addresses[] = {
        {ServiceEndpoint::CustomerIo, connection.customerIoUrl},
        {ServiceEndpoint::MixpanelIngestion, connection.mixpanelUrl},
        {ServiceEndpoint::MixpanelQuery, connection.mixpanelQueryUrl}};
    for (const auto& [service, url] : addresses)
        if (auto st = checkService(service, url); !st)
            return st.error();
    if (credentials.customerIoAppApiKey.isEmpty())
        return SyncError::make(C::Config, QStringLiteral("no Customer.io App API key: set "
                                                         "LOCKSTEP_CUSTOMERIO_APP_API_KEY"));
    if (credentials.mixpanelProjectToken.isEmpty())
        return SyncError::make(C::Config, QStringLiteral("no Mixpanel project token: set "
                                                         "LOCKSTEP_MIXPANEL_PROJECT_TOKEN"));
    if (need == Need::AllSecrets && credentials.mixpanelServiceAccount.isEmpty())
        return SyncError::make(C::Config,
                               QStringLiteral("no Mixpanel service account: set "
                                              "LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT (user:secret)"));
    ServiceConfig s;
    s.customerIo = QUrl(connection.customerIoUrl);
    s.appApiKey = credentials.customerIoAppApiKey;
    s.mixpanel.ingestion = QUrl(connection.mixpanelUrl);
    s.mixpanel.query = QUrl(connection.mixpanelQueryUrl);
    s.mixpanel.projectToken = credentials.mixpanelProjectToken;
    s.mixpanel.serviceAccount = credentials.mixpanelServiceAccount;
    s.mixpanel.projectId = connection.projectId;
    return s;
}

} // namespace lockstep
