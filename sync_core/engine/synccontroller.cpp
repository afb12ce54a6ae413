#include "synccontroller.h"

#include "enginecontext.h"
#include "engineworker.h"
#include "queryworker.h"
#include "util/threadpriority.h"

#include <algorithm>
#include <utility>

namespace lockstep {

SyncController::SyncController(const EngineContext& context, QString workspace,
                               Credentials credentials, QObject* parent)
    : QObject(parent), m_context(context), m_workspace(std::move(workspace))
{
    registerSeamTypes();
    m_thread.setObjectName(QStringLiteral("lockstep-engine"));
    createEngine(credentials);

    // The console's queries share the engine's thread (one place that blocks on the
    // database and the network) but not its connection or request queue.
    m_query = new QueryWorker(m_context, m_workspace, std::move(credentials));
    m_query->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_query, &QObject::deleteLater);
    connect(&m_router, &RequestRouter::unclaimedFailure, this, &SyncController::failed);
    m_mappings = new MappingRequests(m_query->mappings(), &m_router, this);
    // Every edit reloads the mappings, whoever asked for it.
    connect(m_mappings, &MappingRequests::saved, this, &SyncController::refresh);
    connect(m_mappings, &MappingRequests::removed, this, &SyncController::refresh);
    m_health = new HealthRequests(m_query->health(), &m_router, this);
    // Evaluating reloads the alerts: what changed in them during a sync is not news.
    connect(m_health, &HealthRequests::evaluating, this,
            [this] { m_changedDuringSync.removeAll(QStringLiteral("alerts")); });
    m_trust = new TrustRequests(m_query->trust(), &m_router, this);
    m_setup = new SetupRequests(m_query->setup(), &m_router, this);
    connect(m_query, &QueryWorker::workspaceChanged, this, &SyncController::onWorkspaceChanged);
    // In the new thread, before it starts any other: they inherit its priority.
    if (const int nice = m_context.engineThreadNice(); nice > 0)
        connect(
            &m_thread, &QThread::started, &m_thread,
            [nice] { (void)lowerCurrentThreadPriority(nice); }, Qt::DirectConnection);
    m_thread.start();
}

void SyncController::createEngine(const Credentials& credentials)
{
    m_worker = new EngineWorker(m_context, m_workspace, credentials);
    if (m_exitCheckLimit) // not in its thread yet: nothing else touches it
        m_worker->setExitCheckLimit(*m_exitCheckLimit);
    if (m_verifySample)
        m_worker->setVerifySample(*m_verifySample);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &EngineWorker::opened, this, &SyncController::opened);
    connect(m_worker, &EngineWorker::failed, this, &SyncController::failed);
    connect(m_worker, &EngineWorker::mappingsLoaded, this, &SyncController::mappingsLoaded);
    connect(m_worker, &EngineWorker::runsLoaded, this, &SyncController::runsLoaded);
    connect(m_worker, &EngineWorker::batchErrorsLoaded, this, &SyncController::batchErrorsLoaded);
    connect(m_worker, &EngineWorker::progress, this, &SyncController::progress);
    connect(m_worker, &EngineWorker::runFinished, this, &SyncController::runFinished);
    connect(m_worker, &EngineWorker::syncStarted, this, [this](int n) {
        setBusy(true);
        Q_EMIT syncStarted(n);
    });
    connect(m_worker, &EngineWorker::syncFinished, this, [this](const QList<RunRecord>& runs) {
        setBusy(false);
        // Free before anyone hears of it: a receiver may start the next sync.
        const RequestId request = std::exchange(m_syncRequest, 0);
        Q_EMIT syncFinished(runs);
        m_router.resolve(request, runs);
        // The receivers have reloaded mappings and runs (refresh() cleared those); the
        // rest changed during the sync is reported once now.
        if (!m_changedDuringSync.isEmpty())
            Q_EMIT workspaceChanged(std::exchange(m_changedDuringSync, {}));
        if (m_pendingCredentials) {
            const Credentials c = *m_pendingCredentials;
            m_pendingCredentials.reset();
            setCredentials(c);
        }
    });
}

void SyncController::setCredentials(const Credentials& credentials)
{
    QMetaObject::invokeMethod(
        m_query, [q = m_query, credentials] { q->setCredentials(credentials); },
        Qt::QueuedConnection);
    if (m_busy) {
        m_pendingCredentials = credentials;
        return;
    }
    // EngineWorker takes its secrets once, at construction: swap in a new one. The old
    // one is shut down and deleted in the worker thread, after anything queued to it.
    EngineWorker* old = m_worker;
    disconnect(old, nullptr, this, nullptr);
    QMetaObject::invokeMethod(
        old,
        [old] {
            old->shutdown();
            old->deleteLater();
        },
        Qt::QueuedConnection);
    createEngine(credentials);
    if (m_started) {
        // Opened quietly: the window already knows the workspace is open.
        QMetaObject::invokeMethod(m_worker, &EngineWorker::open, Qt::QueuedConnection);
    }
}

SyncController::~SyncController()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::cancel, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_worker, &EngineWorker::shutdown, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_query, &QueryWorker::shutdown, Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void SyncController::start()
{
    m_started = true;
    QMetaObject::invokeMethod(m_worker, &EngineWorker::open, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_query, &QueryWorker::open, Qt::QueuedConnection);
}

void SyncController::refresh()
{
    // Queued to the same thread in this order: the counters are read before the rows,
    // so what the reload reads is not reported again as a change made elsewhere.
    const QStringList tables{QStringLiteral("mappings"), QStringLiteral("runs")};
    toQuery([tables](QueryWorker* q) { q->markChangesSeen(tables); });
    for (const QString& t : tables)
        m_changedDuringSync.removeAll(t);
    QMetaObject::invokeMethod(m_worker, &EngineWorker::refresh, Qt::QueuedConnection);
}

void SyncController::watchWorkspaceChanges()
{
    toQuery([](QueryWorker* q) { q->watchChanges(); });
}

void SyncController::onWorkspaceChanged(const QStringList& tables)
{
    if (!m_busy) {
        Q_EMIT workspaceChanged(tables);
        return;
    }
    // Most of what changes during our own sync is that sync's writes (another
    // connection, so the watcher sees them); syncFinished() reloads anyway.
    for (const QString& t : tables)
        if (!m_changedDuringSync.contains(t))
            m_changedDuringSync.append(t);
}

void SyncController::loadBatchErrors(qint64 runId)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, runId] { w->loadBatchErrors(runId); }, Qt::QueuedConnection);
}

Pending<QList<RunRecord>> SyncController::syncMappings(const QList<qint64>& mappingIds,
                                                       RunKind kind)
{
    if (mappingIds.isEmpty()) {
        // Nothing to run: answered with no runs (later, once the caller has its Pending).
        auto pending = m_router.open<QList<RunRecord>>();
        QMetaObject::invokeMethod(
            this, [this, id = pending.id()] { m_router.resolve(id, QList<RunRecord>()); },
            Qt::QueuedConnection);
        return pending;
    }
    return startSync([mappingIds, kind](EngineWorker* w) { w->sync(mappingIds, int(kind)); });
}

Pending<QList<RunRecord>> SyncController::acceptExits(const QList<qint64>& mappingIds,
                                                      const QString& by)
{
    if (mappingIds.isEmpty())
        return syncMappings(mappingIds);
    return startSync([mappingIds, by](EngineWorker* w) { w->acceptExits(mappingIds, by); });
}

Pending<QList<RunRecord>> SyncController::startSync(std::function<void(EngineWorker*)> call)
{
    auto pending = m_router.open<QList<RunRecord>>();
    if (m_syncRequest != 0) {
        // The engine runs one sync request at a time and would refuse this one.
        QMetaObject::invokeMethod(
            this,
            [this, id = pending.id()] {
                m_router.fail(id, SyncError::make(SyncError::Category::Usage,
                                                  QStringLiteral("a sync is already running")));
            },
            Qt::QueuedConnection);
        return pending;
    }
    m_syncRequest = pending.id();
    setBusy(true); // at once, so a second click cannot queue a second request
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, call = std::move(call)] { call(w); }, Qt::QueuedConnection);
    return pending;
}

void SyncController::setVerifySample(int n)
{
    m_verifySample = n;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, n] { w->setVerifySample(n); }, Qt::QueuedConnection);
}

Pending<QList<RunRecord>> SyncController::syncAll(RunKind kind)
{
    return startSync([kind](EngineWorker* w) { w->syncAll(int(kind)); });
}

void SyncController::setExitCheckLimit(int exits)
{
    m_exitCheckLimit = std::max(0, exits);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, n = *m_exitCheckLimit] { w->setExitCheckLimit(n); },
        Qt::QueuedConnection);
}

void SyncController::stopGracefully()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::stopGracefully, Qt::QueuedConnection);
}

void SyncController::cancel()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::cancel, Qt::QueuedConnection);
}

template <typename F> void SyncController::toQuery(F&& f)
{
    QMetaObject::invokeMethod(
        m_query, [q = m_query, f = std::forward<F>(f)] { f(q); }, Qt::QueuedConnection);
}

void SyncController::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace lockstep
