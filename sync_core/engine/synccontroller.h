// The one seam between the engine and its callers (GUI and CLI). The controller lives
// in the caller's thread and owns a worker thread in which the engine, its workspace
// connection and its network access live. Every call here is queued to the worker;
// every result comes back as a queued signal carrying value types.
#pragma once

#include "store/records.h"
#include "util/syncerror.h"
#include "engine/credentials.h"

#include <QList>
#include <QObject>
#include <QThread>

namespace lockstep {

class EngineWorker;

class SyncController : public QObject
{
    Q_OBJECT
public:
    // `workspace` is a SQLite file path (created when missing).
    SyncController(QString workspace, Credentials credentials, QObject* parent = nullptr);
    ~SyncController() override;

    QString workspaceLocation() const { return m_workspace; }

    // Opens the workspace in the worker thread; emits opened() or failed().
    void start();

    // Reloads mappings and run history; emits mappingsLoaded() and runsLoaded().
    void refresh();
    // Loads the per-batch errors of one run; emits batchErrorsLoaded().
    void loadBatchErrors(qint64 runId);

    void syncMappings(const QList<qint64>& mappingIds, RunKind kind = RunKind::Incremental);
    void syncAll(RunKind kind = RunKind::Incremental);
    // Stops the runs in flight: nothing new is sent, acknowledged work is kept.
    void cancel();
    // Lets the batches in flight finish and be recorded, starts nothing new (SIGTERM).
    void stopGracefully();

    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void opened();
    void failed(const lockstep::SyncError& error);
    void mappingsLoaded(const QList<lockstep::MappingOverview>& mappings);
    void runsLoaded(const QList<lockstep::RunRecord>& runs);
    void batchErrorsLoaded(qint64 runId, const QList<lockstep::BatchError>& errors);
    void syncStarted(int mappingCount);
    void progress(const lockstep::SyncProgress& progress);
    void runFinished(const lockstep::RunRecord& run);
    // Emitted once the whole request (one or many mappings) is over.
    void syncFinished(const QList<lockstep::RunRecord>& runs);
    void busyChanged(bool busy);

private:
    void setBusy(bool busy);

    QString m_workspace;
    QThread m_thread;
    EngineWorker* m_worker = nullptr; // lives in m_thread
    bool m_busy = false;
};

} // namespace lockstep
