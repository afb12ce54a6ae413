// The console's read/edit side of the engine seam. Lives in the engine's worker thread
// next to EngineWorker, with its own workspace connection (one per object, opened in
// that thread) and its own network access for the set-up wizard and Mixpanel
// verification. It answers each request with a queued signal carrying value types, so
// the GUI thread never touches the database or the network.
#pragma once

#include "seamtypes.h"
#include "util/clock.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <memory>

namespace lockstep {

class ChangeWatcher;
class EngineContext;
class RequestScheduler;
class Workspace;

// Which trust check an answer or a failure belongs to.
namespace trustop {
inline constexpr char kSegments[] = "segments";
inline constexpr char kRehearsal[] = "rehearsal";
inline constexpr char kCleanup[] = "cleanup";
inline constexpr char kSpotCheck[] = "spot_check";
} // namespace trustop

class QueryWorker : public QObject
{
    Q_OBJECT
public:
    QueryWorker(const EngineContext& context, QString workspace, Credentials credentials);
    ~QueryWorker() override;

    // All of these run in the worker thread (queued from SyncController).
    void open();
    void shutdown();
    void setCredentials(const Credentials& credentials);

    // Mapping edits; each answers mappingSaved() or failed().
    void addMapping(const Mapping& m);
    void updateMapping(const Mapping& m);
    // A copy with version + 1 and the name's " | v<N>" moved on; the original is kept.
    void duplicateAsNewVersion(qint64 mappingId);
    void setPaused(const QList<qint64>& mappingIds, bool paused);
    void deleteMappings(const QList<qint64>& mappingIds);

    void loadSizeHistory(const QList<qint64>& mappingIds, int days, int maxPoints);
    void loadAlerts(bool includeResolved);
    void acknowledgeAlert(qint64 alertId, const QString& by);
    // Verifies Mixpanel cohort counts (one /cohorts/list, when the query API is
    // configured), evaluates every health rule and watched pair, then emits
    // healthEvaluated() with the open alerts and the ones that are new.
    void evaluateHealth();
    void loadMappingHealth();
    void loadOverlap();
    void addWatchedPair(const WatchedPair& pair);
    void removeWatchedPair(qint64 mappingA, qint64 mappingB);
    void loadMismatches(qint64 mappingId);
    void loadAudit();

    void loadSettings();
    // Writes what differs from `base` (the settings the editor started from), then
    // answers settingsLoaded().
    void saveSettings(const WorkspaceSettings& settings, const WorkspaceSettings& base);

    // The wizard and Settings › Check connection: runs the doctor's checks (Doctor) with
    // these settings and secrets, then lists Customer.io's segments with their sizes.
    void testConnection(const ConnectionSettings& settings, const Credentials& credentials);
    void previewIdentity(qint64 segmentId);

    // --- Trust checks: each answers its signal, or trustCheckFailed(op, error);
    // every check ends with queryBudgetLoaded() and checklistsLoaded().
    // The workspace's Customer.io segments with their sizes (for picking a test segment).
    void loadTrustSegments();
    void loadQueryBudget();
    // The rollout checklist of every mapping.
    void loadChecklists();
    // The operator's documented latency expectation (0 clears it); re-evaluates the
    // latency alert and answers with checklistsLoaded().
    void setLatencyExpectation(qint64 mappingId, int minutes);
    void rehearse(qint64 mappingId, qint64 testSegmentId);
    // Removes the temporary value an earlier rehearsal wrote, and verifies it is gone.
    void cleanupRehearsal(const RehearsalResult& earlier);
    void spotCheck(qint64 mappingId, int count, const QStringList& named);

    // --- Changes made elsewhere (ChangeWatcher on this connection) ---
    // Starts reporting workspaceChanged(), now or once open (consoles do; the CLI not).
    void watchChanges();
    // The caller is about to reload these tables (empty: all): what they hold now is
    // not news. workspaceChanged() reports only what changed after this.
    void markChangesSeen(const QStringList& tables = {});

Q_SIGNALS:
    void opened();
    void failed(const lockstep::SyncError& error);
    void mappingSaved(qint64 mappingId);
    void mappingsRemoved(const QList<qint64>& mappingIds);
    void sizeHistoryLoaded(const lockstep::SizeHistoryData& data);
    void alertsLoaded(const QList<lockstep::Alert>& alerts);
    void healthEvaluated(const QList<lockstep::Alert>& open, const QList<lockstep::Alert>& raised);
    void mappingHealthLoaded(const QList<lockstep::MappingHealth>& health);
    void overlapLoaded(const lockstep::OverlapData& data);
    void mismatchesLoaded(qint64 mappingId, const QList<lockstep::StoredMismatch>& mismatches);
    void auditLoaded(const lockstep::AuditReport& report);
    void settingsLoaded(const lockstep::WorkspaceSettings& settings);
    void connectionTested(const lockstep::ConnectionTest& result);
    void identityPreviewed(const lockstep::IdentityPreview& preview);
    // Another console, the CLI or a runner changed these tables (names as in
    // ChangeWatcher::watchedTables()); coalesced, never for this worker's own writes.
    void workspaceChanged(const QStringList& tables);

    // --- Trust checks ---
    void trustSegmentsLoaded(const QList<lockstep::SegmentChoice>& segments);
    void queryBudgetLoaded(const lockstep::QueryBudgetState& budget);
    void checklistsLoaded(const QList<lockstep::RolloutChecklist>& checklists);
    void trustProgress(const QString& op, const QString& step);
    void rehearsalFinished(const lockstep::RehearsalResult& result);
    void rehearsalCleanedUp(const lockstep::RehearsalCleanup& cleanup);
    void spotCheckFinished(const lockstep::SpotCheckResult& result);
    void trustCheckFailed(const QString& op, const lockstep::SyncError& error);

private:
    bool ready();
    void evaluateStored(const QList<qint64>& openBefore);
    void countSegments(std::shared_ptr<ConnectionTest> result, int next,
                       std::shared_ptr<CustomerIoClient> client);

    const EngineContext& m_context;
    QString m_location;
    Credentials m_credentials;
    const Clock* m_clock;
    std::unique_ptr<Workspace> m_ws;
    RequestScheduler* m_http = nullptr;
    bool m_verifying = false;

    // --- Trust checks ---
    Result<Mapping> trustMapping(qint64 mappingId);
    bool trustServices(const QString& op, ServiceConfig* out);
    void trustCheckOver();
    template <typename Check, typename Result>
    void wireTrustCheck(const QString& op, Check* check, void (Check::*done)(const Result&),
                        void (QueryWorker::*answer)(const Result&));

    ChangeWatcher* m_changes = nullptr; // while open and watching
    bool m_watchChanges = false;
};

} // namespace lockstep
