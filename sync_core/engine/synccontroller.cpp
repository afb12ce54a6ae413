#include "synccontroller.h"

#include "enginecontext.h"
#include "engineworker.h"
#include "queryworker.h"

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
    connect(m_query, &QueryWorker::failed, this, &SyncController::failed);
    connect(m_query, &QueryWorker::mappingSaved, this, [this](qint64 id) {
        Q_EMIT mappingSaved(id);
        refresh();
    });
    connect(m_query, &QueryWorker::mappingsRemoved, this, [this](const QList<qint64>& ids) {
        Q_EMIT mappingsRemoved(ids);
        refresh();
    });
    connect(m_query, &QueryWorker::sizeHistoryLoaded, this, &SyncController::sizeHistoryLoaded);
    connect(m_query, &QueryWorker::alertsLoaded, this, &SyncController::alertsLoaded);
    connect(m_query, &QueryWorker::healthEvaluated, this, &SyncController::healthEvaluated);
    connect(m_query, &QueryWorker::mappingHealthLoaded, this, &SyncController::mappingHealthLoaded);
    connect(m_query, &QueryWorker::overlapLoaded, this, &SyncController::overlapLoaded);
    connect(m_query, &QueryWorker::mismatchesLoaded, this, &SyncController::mismatchesLoaded);
    connect(m_query, &QueryWorker::auditLoaded, this, &SyncController::auditLoaded);
    connect(m_query, &QueryWorker::settingsLoaded, this, &SyncController::settingsLoaded);
    connect(m_query, &QueryWorker::connectionTested, this, &SyncController::connectionTested);
    connect(m_query, &QueryWorker::identityPreviewed, this, &SyncController::identityPreviewed);
    connectTrust();
    connect(m_query, &QueryWorker::workspaceChanged, this, &SyncController::onWorkspaceChanged);
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
        Q_EMIT syncFinished(runs);
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

void SyncController::syncMappings(const QList<qint64>& mappingIds, RunKind kind)
{
    if (mappingIds.isEmpty())
        return;
    setBusy(true); // at once, so a second click cannot queue a second request
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, mappingIds, kind] { w->sync(mappingIds, int(kind)); },
        Qt::QueuedConnection);
}

void SyncController::setVerifySample(int n)
{
    m_verifySample = n;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, n] { w->setVerifySample(n); }, Qt::QueuedConnection);
}

void SyncController::syncAll(RunKind kind)
{
    setBusy(true);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, kind] { w->syncAll(int(kind)); }, Qt::QueuedConnection);
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

void SyncController::addMapping(const Mapping& mapping)
{
    toQuery([mapping](QueryWorker* q) { q->addMapping(mapping); });
}

void SyncController::updateMapping(const Mapping& mapping)
{
    toQuery([mapping](QueryWorker* q) { q->updateMapping(mapping); });
}

void SyncController::duplicateAsNewVersion(qint64 mappingId)
{
    toQuery([mappingId](QueryWorker* q) { q->duplicateAsNewVersion(mappingId); });
}

void SyncController::setPaused(const QList<qint64>& mappingIds, bool paused)
{
    toQuery([mappingIds, paused](QueryWorker* q) { q->setPaused(mappingIds, paused); });
}

void SyncController::deleteMappings(const QList<qint64>& mappingIds)
{
    toQuery([mappingIds](QueryWorker* q) { q->deleteMappings(mappingIds); });
}

void SyncController::loadSizeHistory(const QList<qint64>& mappingIds, int days, int maxPoints)
{
    toQuery([=](QueryWorker* q) { q->loadSizeHistory(mappingIds, days, maxPoints); });
}

void SyncController::loadAlerts(bool includeResolved)
{
    toQuery([includeResolved](QueryWorker* q) { q->loadAlerts(includeResolved); });
}

void SyncController::acknowledgeAlert(qint64 alertId, const QString& by)
{
    toQuery([alertId, by](QueryWorker* q) { q->acknowledgeAlert(alertId, by); });
}

void SyncController::evaluateHealth()
{
    m_changedDuringSync.removeAll(QStringLiteral("alerts")); // evaluating reloads them
    toQuery([](QueryWorker* q) { q->evaluateHealth(); });
}

void SyncController::loadMappingHealth()
{
    toQuery([](QueryWorker* q) { q->loadMappingHealth(); });
}

void SyncController::loadOverlap()
{
    toQuery([](QueryWorker* q) { q->loadOverlap(); });
}

void SyncController::addWatchedPair(const WatchedPair& pair)
{
    toQuery([pair](QueryWorker* q) { q->addWatchedPair(pair); });
}

void SyncController::removeWatchedPair(qint64 mappingA, qint64 mappingB)
{
    toQuery([mappingA, mappingB](QueryWorker* q) { q->removeWatchedPair(mappingA, mappingB); });
}

void SyncController::loadMismatches(qint64 mappingId)
{
    toQuery([mappingId](QueryWorker* q) { q->loadMismatches(mappingId); });
}

void SyncController::loadAudit()
{
    toQuery([](QueryWorker* q) { q->loadAudit(); });
}

void SyncController::loadSettings()
{
    toQuery([](QueryWorker* q) { q->loadSettings(); });
}

void SyncController::saveSettings(const WorkspaceSettings& settings, const WorkspaceSettings& base)
{
    toQuery([settings, base](QueryWorker* q) { q->saveSettings(settings, base); });
}

void SyncController::testConnection(const ConnectionSettings& settings,
                                    const Credentials& credentials)
{
    toQuery([settings, credentials](QueryWorker* q) { q->testConnection(settings, credentials); });
}

void SyncController::previewIdentity(qint64 segmentId)
{
    toQuery([segmentId](QueryWorker* q) { q->previewIdentity(segmentId); });
}

// --- Trust checks ---

void SyncController::connectTrust()
{
    connect(m_query, &QueryWorker::trustSegmentsLoaded, this, &SyncController::trustSegmentsLoaded);
    connect(m_query, &QueryWorker::queryBudgetLoaded, this, &SyncController::queryBudgetLoaded);
    connect(m_query, &QueryWorker::checklistsLoaded, this, &SyncController::checklistsLoaded);
    connect(m_query, &QueryWorker::trustProgress, this, &SyncController::trustProgress);
    connect(m_query, &QueryWorker::rehearsalFinished, this, &SyncController::rehearsalFinished);
    connect(m_query, &QueryWorker::rehearsalCleanedUp, this, &SyncController::rehearsalCleanedUp);
    connect(m_query, &QueryWorker::spotCheckFinished, this, &SyncController::spotCheckFinished);
    connect(m_query, &QueryWorker::trustCheckFailed, this, &SyncController::trustCheckFailed);
}

void SyncController::loadTrustSegments()
{
    toQuery([](QueryWorker* q) { q->loadTrustSegments(); });
}

void SyncController::loadQueryBudget()
{
    toQuery([](QueryWorker* q) { q->loadQueryBudget(); });
}

void SyncController::loadChecklists()
{
    toQuery([](QueryWorker* q) { q->loadChecklists(); });
}

void SyncController::rehearse(qint64 mappingId, qint64 testSegmentId)
{
    toQuery([mappingId, testSegmentId](QueryWorker* q) { q->rehearse(mappingId, testSegmentId); });
}

void SyncController::cleanupRehearsal(const RehearsalResult& earlier)
{
    toQuery([earlier](QueryWorker* q) { q->cleanupRehearsal(earlier); });
}

void SyncController::setLatencyExpectation(qint64 mappingId, int minutes)
{
    toQuery([mappingId, minutes](QueryWorker* q) { q->setLatencyExpectation(mappingId, minutes); });
}

void SyncController::spotCheck(qint64 mappingId, int count, const QStringList& named)
{
    toQuery([mappingId, count, named](QueryWorker* q) { q->spotCheck(mappingId, count, named); });
}

void SyncController::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace lockstep
