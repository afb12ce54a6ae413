#include "synccontroller.h"

#include "engineworker.h"

namespace lockstep {

namespace {
void registerTypes()
{
    static const bool once = [] {
        qRegisterMetaType<SyncError>();
        qRegisterMetaType<Mapping>();
        qRegisterMetaType<RunRecord>();
        qRegisterMetaType<MappingOverview>();
        qRegisterMetaType<SyncProgress>();
        qRegisterMetaType<BatchError>();
        qRegisterMetaType<QList<MappingOverview>>();
        qRegisterMetaType<QList<RunRecord>>();
        qRegisterMetaType<QList<BatchError>>();
        qRegisterMetaType<QList<qint64>>();
        return true;
    }();
    Q_UNUSED(once);
}
} // namespace

SyncController::SyncController(QString workspace, Credentials credentials, QObject* parent)
    : QObject(parent), m_workspace(std::move(workspace))
{
    registerTypes();
    m_thread.setObjectName(QStringLiteral("lockstep-engine"));
    m_worker = new EngineWorker(m_workspace, std::move(credentials));
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
    });
    m_thread.start();
}

SyncController::~SyncController()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::cancel, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_worker, &EngineWorker::shutdown, Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void SyncController::start()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::open, Qt::QueuedConnection);
}

void SyncController::refresh()
{
    QMetaObject::invokeMethod(m_worker, &EngineWorker::refresh, Qt::QueuedConnection);
}

void SyncController::loadBatchErrors(qint64 runId)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, runId] { w->loadBatchErrors(runId); },
                              Qt::QueuedConnection);
}

void SyncController::syncMappings(const QList<qint64>& mappingIds, RunKind kind)
{
    if (mappingIds.isEmpty())
        return;
    setBusy(true); // at once, so a second click cannot queue a second request
    QMetaObject::invokeMethod(m_worker, [w = m_worker, mappingIds, kind] { w->sync(mappingIds, int(kind)); },
                              Qt::QueuedConnection);
}

void SyncController::syncAll(RunKind kind)
{
    setBusy(true);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, kind] { w->syncAll(int(kind)); },
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

void SyncController::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace lockstep
