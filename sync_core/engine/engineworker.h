// The engine's side of the SyncController seam. Lives in the worker thread and owns
// everything that blocks or talks to the network there: the workspace connection,
// the network access manager, the request scheduler and the runs in flight.
#pragma once

#include "api/credentials.h"
#include "api/serviceconfig.h"
#include "config/workspacesettings.h"
#include "engineoptions.h"
#include "store/records.h"
#include "util/clock.h"
#include "util/result.h"

#include <QList>
#include <QObject>

#include <map>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace lockstep {

class BackgroundWriter;
class MappingLocks;
class EngineContext;
class Workspace;
class RequestScheduler;
class CustomerIoClient;
class MixpanelClient;
class MappingRun;
class FleetVerifier;
class QueryBudget;
class TokenProbe;
struct TokenProbeResult;

class EngineWorker : public QObject
{
    Q_OBJECT
public:
    EngineWorker(const EngineContext& context, QString workspace, Credentials credentials);
    ~EngineWorker() override;

    // All of these run in the worker thread (queued from the controller).
    void open();
    void refresh();
    void loadBatchErrors(qint64 runId);
    void sync(const QList<qint64>& mappingIds, int kind); // kind: RunKind as int
    void syncAll(int kind);
    // An incremental sync of `mappingIds` that sends their pending held exits (the
    // operator `by` applies them).
    void acceptExits(const QList<qint64>& mappingIds, const QString& by);
    // For runs started from now on (RunOptions::exitCheckLimit).
    void setExitCheckLimit(int exits) { m_options.exitCheckLimit = exits; }
    void cancel();
    // Finishes the batches in flight, records them, starts nothing new (SIGTERM).
    void stopGracefully();
    void shutdown();
    // For the runs started from now on (`lockstep sync --verify-sample N`).
    void setVerifySample(int n) { m_options.verifySample = n; }

    // After this many consecutive runs fail on credentials or a missing segment, the
    // mapping is paused with an alert (as Mixpanel's own cohort sync does).
    static constexpr int kPauseAfterFailures = 3;

Q_SIGNALS:
    void opened();
    void failed(const lockstep::SyncError& error);
    void mappingsLoaded(const QList<lockstep::MappingOverview>& mappings);
    void runsLoaded(const QList<lockstep::RunRecord>& runs);
    void batchErrorsLoaded(qint64 runId, const QList<lockstep::BatchError>& errors);
    void syncStarted(int mappingCount);
    void progress(const lockstep::SyncProgress& progress);
    void runFinished(const lockstep::RunRecord& run);
    void syncFinished(const QList<lockstep::RunRecord>& runs);

private:
    // sync() and acceptExits(): one request of runs.
    void startRequest(const QList<qint64>& mappingIds, int kind);
    Status ensureClients();
    // Reads the workspace's settings for the sync request about to start (m_settings).
    Status loadSettings();
    // Starts queued mappings while fewer than parallelMappings read and fewer than
    // runsInFlight are in flight; ends the sync when nothing is left.
    void startNext();
    void startRuns();
    // Longest first: the mappings with the most Customer.io requests (by their last
    // run's size) start first, so the smallest end the sync and the key's tail is short.
    void orderQueue();
    // Whether work other than `run` waits for the Customer.io key: mappings of this sync
    // still to start or to read, or another process drawing on the workspace's bucket
    // for the key. A run then looks up a sample of its exits (ExitCheck).
    bool customerIoContended(const MappingRun* run) const;
    int readingRuns() const;
    void onRunFinished(MappingRun* run, const RunRecord& record);
    RunRecord refusedRun(qint64 mappingId, RunKind kind, const SyncError& error);
    // One process syncs a mapping at a time (MappingLocks).
    bool tryLockMapping(qint64 id);
    void unlockMapping(qint64 id);
    void pauseIfFailingRepeatedly(const RunRecord& record);
    // After a run's changes were refused for its credentials: the queued runs fail
    // unstarted and the active ones stop, since the same credentials serve them.
    void refuseTheRest(const RunRecord& refused);
    void afterSync();
    // Ends a sync request: reads the Mixpanel cohort counts back (one budgeted
    // /cohorts/list, at most every cohort_check_minutes), judges health with the
    // workspace's thresholds, reports.
    void finishSync();
    // The runs' samples of entered keys, verified together (FleetVerifier); then `then`.
    void verifyFleet(std::function<void()> then);
    RunKind effectiveKind(qint64 mappingId, RunKind requested);
    // Before a sync that sends: unless the workspace remembers this token and project as
    // proven, runs a TokenProbe; `proceed` follows unless the token writes elsewhere, in
    // which case every queued mapping's run is recorded as failed with the probe's message.
    void proveTokenThen(std::function<void()> proceed);
    void onTokenProbed(const TokenProbeResult& result, const QString& fingerprint,
                       const std::function<void()>& proceed);
    void refuseQueued(const SyncError& error);
    // A stop leaves the mappings still queued unrun: they join the request's results as
    // cancelled runs with no id (not stored), so the request's answer counts them.
    void abandonQueued();

    const EngineContext& m_context;
    QString m_location;
    Credentials m_credentials;
    EngineOptions m_options;
    const Clock* m_clock;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<BackgroundWriter> m_writer; // the runs' bulk writes, on its own connection
    RequestScheduler* m_http = nullptr;
    std::optional<ServiceConfig> m_services;
    WorkspaceSettings m_settings; // as read when the sync request started

    std::deque<std::pair<qint64, RunKind>> m_queue;
    QList<MappingRun*> m_active;
    QList<RunRecord> m_results;
    bool m_cancelled = false;
    std::unique_ptr<MappingLocks> m_locks; // the runs' mappings, on m_ws
    int m_runsSinceCheckpoint = 0;
    FleetVerifier* m_verifier = nullptr; // this sync request's, when it verifies
    std::unique_ptr<QueryBudget> m_probeBudget;
    TokenProbe* m_probe = nullptr;
    QString m_tokenNote;         // for the runs of this sync request: the token is not proven
    QList<qint64> m_acceptExits; // this request applies these mappings' held exits
    QString m_acceptedBy;
};

} // namespace lockstep
