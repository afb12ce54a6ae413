// The one seam between the engine and its callers (GUI and CLI). The controller lives
// in the caller's thread and owns a worker thread in which the engine, its workspace
// connection and its network access live. Every call here is queued to the worker;
// every result comes back as a queued signal carrying value types.
#pragma once

#include "api/credentials.h"
#include "engine/queryworker.h"
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

    void syncMappings(const QList<qint64>& mappingIds, RunKind kind = RunKind::Incremental);
    void syncAll(RunKind kind = RunKind::Incremental);
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

    // --- The console's reads and edits (QueryWorker, same worker thread) ---
    // Replaces the secrets of this session (e.g. after the set-up wizard or Settings).
    // The engine is re-created with them when idle, otherwise after the sync in flight.
    void setCredentials(const Credentials& credentials);

    // Mapping edits: mappingSaved() (then a refresh) or failed().
    void addMapping(const Mapping& mapping);
    void updateMapping(const Mapping& mapping);
    void duplicateAsNewVersion(qint64 mappingId);
    void setPaused(const QList<qint64>& mappingIds, bool paused);
    void deleteMappings(const QList<qint64>& mappingIds);

    // Size history of the mappings over the last `days`, at most `maxPoints` per mapping.
    void loadSizeHistory(const QList<qint64>& mappingIds, int days, int maxPoints = 400);
    void loadAlerts(bool includeResolved = false);
    void acknowledgeAlert(qint64 alertId, const QString& by);
    // Verifies Mixpanel counts, runs the health rules and watched pairs: healthEvaluated().
    void evaluateHealth();
    void loadMappingHealth();
    void loadOverlap();
    void addWatchedPair(const WatchedPair& pair);
    void removeWatchedPair(qint64 mappingA, qint64 mappingB);
    // Identity mismatches of the latest runs; mappingId 0 = every mapping.
    void loadMismatches(qint64 mappingId = 0);
    void loadAudit();
    void loadSettings();
    // Validates `settings` and writes what differs from `base`, the settings the editor
    // started from: settingsLoaded(), or failed() naming the invalid key.
    void saveSettings(const WorkspaceSettings& settings, const WorkspaceSettings& base);
    void testConnection(const ConnectionSettings& settings, const Credentials& credentials);
    void previewIdentity(qint64 segmentId);

    // --- Trust checks — run by QueryWorker in the worker thread ---
    void loadTrustSegments();
    void loadQueryBudget();
    void loadChecklists();
    void setLatencyExpectation(qint64 mappingId, int minutes);
    void rehearse(qint64 mappingId, qint64 testSegmentId);
    void cleanupRehearsal(const RehearsalResult& earlier);
    void spotCheck(qint64 mappingId, int count, const QStringList& named = {});

    // --- Changes made elsewhere ---
    // Emit workspaceChanged() from now on (a console calls this; the CLI has no use).
    void watchWorkspaceChanges();

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

    void mappingSaved(qint64 mappingId);
    void mappingsRemoved(const QList<qint64>& mappingIds);
    void sizeHistoryLoaded(const lockstep::SizeHistoryData& data);
    void alertsLoaded(const QList<lockstep::Alert>& alerts);
    // After evaluateHealth(): every open alert, and those raised by this evaluation.
    void healthEvaluated(const QList<lockstep::Alert>& open, const QList<lockstep::Alert>& raised);
    void mappingHealthLoaded(const QList<lockstep::MappingHealth>& health);
    void overlapLoaded(const lockstep::OverlapData& data);
    void mismatchesLoaded(qint64 mappingId, const QList<lockstep::StoredMismatch>& mismatches);
    void auditLoaded(const lockstep::AuditReport& report);
    void settingsLoaded(const lockstep::WorkspaceSettings& settings);
    void connectionTested(const lockstep::ConnectionTest& result);
    void identityPreviewed(const lockstep::IdentityPreview& preview);

    // --- Trust checks ---
    void trustSegmentsLoaded(const QList<lockstep::SegmentChoice>& segments);
    void queryBudgetLoaded(const lockstep::QueryBudgetState& budget);
    void checklistsLoaded(const QList<lockstep::RolloutChecklist>& checklists);
    void trustProgress(const QString& op, const QString& step);
    void rehearsalFinished(const lockstep::RehearsalResult& result);
    void rehearsalCleanedUp(const lockstep::RehearsalCleanup& cleanup);
    void spotCheckFinished(const lockstep::SpotCheckResult& result);
    // op: trustop::* (segments, rehearsal, cleanup, spot_check).
    void trustCheckFailed(const QString& op, const lockstep::SyncError& error);

    // --- Changes made elsewhere ---
    // Another console, the CLI or a runner changed these workspace tables ("mappings",
    // "runs", "alerts", "watched_pairs"): reload what shows them. Coalesced; not emitted
    // for this controller's own edits (they answer mappingSaved() and friends), and
    // while its own sync runs only once, after syncFinished(), for what that sync's
    // reload (refresh() + evaluateHealth()) does not cover.
    void workspaceChanged(const QStringList& tables);

private:
    void onWorkspaceChanged(const QStringList& tables);

    void setBusy(bool busy);
    void createEngine(const Credentials& credentials);
    template <typename F> void toQuery(F&& f);
    void connectTrust();

    const EngineContext& m_context;
    QString m_workspace;
    QThread m_thread;
    EngineWorker* m_worker = nullptr;                // lives in m_thread
    QueryWorker* m_query = nullptr;                  // lives in m_thread
    std::optional<Credentials> m_pendingCredentials; // applied when the sync in flight ends
    std::optional<int> m_exitCheckLimit; // kept for an engine re-created with new credentials
    std::optional<int> m_verifySample;   // kept across engine swaps
    bool m_started = false;
    bool m_busy = false;
    QStringList m_changedDuringSync; // reported after syncFinished()
};

} // namespace lockstep
