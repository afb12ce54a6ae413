// The one seam between the engine and its callers (GUI and CLI). The controller lives
// in the caller's thread and owns a worker thread in which the engine, its workspace
// connection and its network access live. Every call here is queued to the worker;
// every result comes back as a queued signal carrying value types.
#pragma once

#include "api/credentials.h"
#include "engine/healthservice.h"
#include "engine/mappingservice.h"
#include "engine/pending.h"
#include "engine/queryworker.h"
#include "engine/setupservice.h"
#include "engine/trustservice.h"
#include "store/records.h"
#include "util/syncerror.h"

#include <QList>
#include <QObject>
#include <QThread>

namespace lockstep {

class EngineContext;
class EngineWorker;
class QueryWorker;

class SyncController : public QObject
{
    Q_OBJECT
public:
    // `workspace` is a SQLite file path (created when missing) or a PostgreSQL URL. The
    // context (one per process) must outlive the controller.
    SyncController(const EngineContext& context, QString workspace, Credentials credentials,
                   QObject* parent = nullptr);
    ~SyncController() override;

    QString workspaceLocation() const { return m_workspace; }

    // Opens the workspace in the worker thread; emits opened() or failed().
    void start();

    // Reloads mappings and run history; emits mappingsLoaded() and runsLoaded().
    void refresh();
    // Loads the per-batch errors of one run; emits batchErrorsLoaded().
    void loadBatchErrors(qint64 runId);

    // The runs of this request once it is over (syncFinished() announces them too), or a
    // failure when a sync request is already running.
    Pending<QList<RunRecord>> syncMappings(const QList<qint64>& mappingIds,
                                           RunKind kind = RunKind::Incremental);
    Pending<QList<RunRecord>> syncAll(RunKind kind = RunKind::Incremental);
    // Syncs the mappings sending their pending held exits (`sync --accept-exits`, the
    // console's Apply; recorded as applied by `by`), answered as syncMappings().
    Pending<QList<RunRecord>> acceptExits(const QList<qint64>& mappingIds, const QString& by);
    // How many exits a run looks up in Customer.io to tell merges from real exits (0: off);
    // for runs started after this call. Without it: the workspace's exit_check_limit, or
    // LOCKSTEP_EXIT_CHECK.
    void setExitCheckLimit(int exits);
    // How many entered keys each later run looks up in Mixpanel (0: none). Without it:
    // the workspace's verify_sample, or LOCKSTEP_VERIFY_SAMPLE.
    void setVerifySample(int n);
    // Stops the runs in flight: nothing new is sent, acknowledged work is kept.
    void cancel();
    // Lets the batches in flight finish and be recorded, starts nothing new (SIGTERM).
    void stopGracefully();

    bool isBusy() const { return m_busy; }

    // --- The console's reads, edits and trust checks (QueryWorker's services) ---
    // Replaces the secrets of this session (e.g. after the set-up wizard or Settings).
    // The engine is re-created with them when idle, otherwise after the sync in flight.
    void setCredentials(const Credentials& credentials);

    // The query services, asked from the caller's thread; each request answers its own
    // Pending (pending.h).
    MappingRequests* mappings() const { return m_mappings; }
    // Health, overlap, identity mismatches, the audit.
    HealthRequests* health() const { return m_health; }
    // Rehearsals, spot checks, checklists, the query budget, latency expectations.
    TrustRequests* trust() const { return m_trust; }
    // The workspace's settings and the set-up wizard's checks.
    SetupRequests* setup() const { return m_setup; }

    // --- Changes made elsewhere ---
    // Emit workspaceChanged() from now on (a console calls this; the CLI has no use).
    void watchWorkspaceChanges();

Q_SIGNALS:
    void opened();
    // The engine's failures, and those of requests whose callers left them (pending.h).
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

    // --- Changes made elsewhere ---
    // Another console, the CLI or a runner changed these workspace tables ("mappings",
    // "runs", "alerts", "watched_pairs"): reload what shows them. Coalesced; not emitted
    // for this controller's own edits (their requests are answered, and the services
    // announce them: MappingRequests::saved() and friends), and while its own sync runs
    // only once, after syncFinished(), for what that sync's
    // reload (refresh() + health()->evaluate()) does not cover.
    void workspaceChanged(const QStringList& tables);

private:
    void onWorkspaceChanged(const QStringList& tables);

    void setBusy(bool busy);
    void createEngine(const Credentials& credentials);
    Pending<QList<RunRecord>> startSync(std::function<void(EngineWorker*)> call);
    template <typename F> void toQuery(F&& f);

    const EngineContext& m_context;
    QString m_workspace;
    QThread m_thread;
    EngineWorker* m_worker = nullptr; // lives in m_thread
    QueryWorker* m_query = nullptr;   // lives in m_thread
    RequestRouter m_router;           // the answers to the query services
    MappingRequests* m_mappings = nullptr;
    HealthRequests* m_health = nullptr;
    TrustRequests* m_trust = nullptr;
    SetupRequests* m_setup = nullptr;
    RequestId m_syncRequest = 0;                     // the sync request in flight
    std::optional<Credentials> m_pendingCredentials; // applied when the sync in flight ends
    std::optional<int> m_exitCheckLimit; // kept for an engine re-created with new credentials
    std::optional<int> m_verifySample;   // kept across engine swaps
    bool m_started = false;
    bool m_busy = false;
    QStringList m_changedDuringSync; // reported after syncFinished()
};

} // namespace lockstep
