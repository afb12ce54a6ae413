#include "queryworker.h"

#include "enginecontext.h"
#include "healthservice.h"
#include "mappingservice.h"
#include "setupservice.h"
#include "trustservice.h"

#include "api/requestscheduler.h"
#include "store/changewatcher.h"
#include "store/workspace.h"
#include "trust/querybudget.h"

namespace lockstep {

QueryWorker::QueryWorker(const EngineContext& context, QString workspace, Credentials credentials)
    : m_context(context), m_location(std::move(workspace)), m_credentials(std::move(credentials)),
      m_clock(context.clock()), m_mappings(new MappingService(*this)),
      m_health(new HealthService(*this)), m_trust(new TrustService(*this)),
      m_setup(new SetupService(*this))
{}

QueryWorker::~QueryWorker()
{
    shutdown();
}

void QueryWorker::open()
{
    auto ws = Workspace::open(m_location);
    if (!ws) {
        // EngineWorker reports the same failure to the window; one banner is enough.
        return;
    }
    m_ws = std::move(*ws);
    // Its own queue, the engine's limits: a spot check during a sync shares the key's 10/s,
    // with every other process on the workspace too.
    m_context.shareLimitsThrough(m_location);
    m_http = m_context.createScheduler(this);
    QueryBudget::watch(m_http, m_ws.get(), m_clock);
    if (m_watchChanges)
        watchChanges();
    Q_EMIT opened();
}

void QueryWorker::shutdown()
{
    delete m_changes; // before its connection goes
    m_changes = nullptr;
    if (m_http)
        m_http->cancelAll();
    delete m_http;
    m_http = nullptr;
    m_ws.reset();
}

void QueryWorker::setCredentials(const Credentials& credentials)
{
    m_credentials = credentials;
}

void QueryWorker::watchChanges()
{
    m_watchChanges = true;
    if (!m_ws || m_changes)
        return;
    m_changes = new ChangeWatcher(*m_ws, this);
    connect(m_changes, &ChangeWatcher::changed, this, &QueryWorker::workspaceChanged);
    m_changes->start();
}

void QueryWorker::markChangesSeen(const QStringList& tables)
{
    if (m_changes)
        m_changes->markSeen(tables);
}

QueryService::QueryService(QueryWorker& host) : QObject(&host), m_host(host) {}

Workspace* QueryService::workspaceFor(RequestId id)
{
    if (Workspace* ws = m_host.workspace())
        return ws;
    Q_EMIT failed(id, notOpen());
    return nullptr;
}

SyncError QueryService::notOpen()
{
    return SyncError::make(SyncError::Category::Storage,
                           QStringLiteral("the workspace is not open"));
}

} // namespace lockstep
