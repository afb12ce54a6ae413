// One run of one mapping, as an asynchronous state machine in the engine's thread (its
// phases: runphase.h): read the segment, page its membership, resolve identities, diff
// against the acknowledged snapshot, journal the batches RunPlanner cuts, send them
// (several in flight), and advance the snapshot batch by batch as Mixpanel acknowledges
// them. How it ends is decided by decideEnding() (runending.h).
#pragma once

#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "api/serviceconfig.h"
#include "batchbodies.h"
#include "identity/identityresolver.h"
#include "runending.h"
#include "runperf.h"
#include "runphase.h"
#include "runplanner.h"
#include "runsnapshot.h"
#include "store/records.h"
#include "store/snapshotstore.h"

#include <QObject>
#include <QSet>
#include <QThreadPool>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace lockstep {

class BackgroundWriter;
class BatchSender;
class ExitCheck;
struct ExitCheckResult;
class EntryCheck;
struct EntrySample;
struct PageDigest;
class SegmentPager;
class Workspace;

struct RunOptions
{
    RunKind kind = RunKind::Incremental;
    int pageSize = CustomerIoClient::kMaxPageSize;
    int batchSize = MixpanelClient::kMaxBatch;
    int sendConcurrency = 10; // batches in flight for this run
    int maxPages = 100000;    // a guard against cursors that never end
    // Exits looked up in Customer.io to tell merges from real exits (ExitCheck), at most
    // this many a run (0 = off). The lookups can only leave after the last page, 100 exits
    // a request on the paging's 10 requests/s: the default, 5 requests (0.5 s), keeps a
    // 1%-churn run of a million members within 1.3x of its paging-and-sending bound
    // (docs/BENCH.md) and checks every exit of runs with up to 500.
    static constexpr int kDefaultExitCheck = 500;
    int exitCheckLimit = kDefaultExitCheck;
    // While other work waits for the Customer.io key, this many exits (a random sample,
    // one lookup request) are looked up, and the merged share is estimated from them.
    int exitCheckSample = 100;
    // Whether other work waits for the run's Customer.io key (EngineWorker: more mappings
    // of the sync to read, or another process drawing on the key); null: never.
    std::function<bool()> customerIoContended;
    int verifySample = 1000; // entered keys looked up in Mixpanel after the sends (0: off)
    // The project's hourly Mixpanel query budget (the EngineContext's): the run's own
    // verification and a full resync's listing of cohort holders take from it.
    int queriesPerHour = 60;
    // Takes the run's sample of entered keys to verify it with other runs' (FleetVerifier)
    // instead of the run spending a query of its own; null: the run verifies alone.
    std::function<void(EntrySample)> deferVerification;
    // The mass-exit safeguard (MassExitGuard): exits past this share of the last synced
    // size are held (percent, 0: only an empty read is held).
    double massExitPercent = MassExitGuard::kDefaultPercent;
    // Send the mapping's pending held exits (`sync --accept-exits`, the console's Apply),
    // recorded as decided by `acceptedBy`.
    bool acceptHeldExits = false;
    QString acceptedBy;
    // Said at the end of the run's message (a warning from before the run, e.g. that the
    // project token could not be proven).
    QString note;
    // Test seam at the phases whose work leaves for another thread (runphase.h); null in
    // production. testrunhooks.h builds the one tests configure by environment.
    RunPhaseHook onPhase;
};

class MappingRun : public QObject
{
    Q_OBJECT
public:
    // `writer` (may be null: then on `ws`, in this thread) takes the run's bulk writes.
    // (A second writer for the mismatch rows was tried: SQLite's one write lock queued the
    // snapshot behind them all the same.)
    MappingRun(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
               const Clock* clock, Mapping mapping, RunOptions options, QObject* parent = nullptr,
               BackgroundWriter* writer = nullptr);
    ~MappingRun() override;

    void start();
    // Stops sending; what was acknowledged stays. finished() follows.
    void cancel();
    // Stops after the batches in flight are answered and recorded (SIGTERM): nothing is
    // aborted mid-request. finished() follows.
    void stopGracefully();
    // Stops as a failure of its own would, with another run's refusal of the credentials
    // this run uses too: what is in flight is answered and recorded. finished() follows.
    void refuse(const SyncError& error);

    // The $insert_id of a membership event (BatchBodies::eventInsertId).
    static QByteArray eventInsertId(qint64 mappingId, qint64 baseRunId, bool entered,
                                    std::string_view key)
    {
        return BatchBodies::eventInsertId(mappingId, baseRunId, entered, key);
    }

    const RunRecord& record() const { return m_run; }
    RunPhase phase() const { return m_phase; }
    // Past its segment and pages: the run needs Customer.io's key for its exit lookups at
    // most (isReadingPhase).
    bool readingDone() const { return !isReadingPhase(m_phase); }

Q_SIGNALS:
    void progress(const lockstep::SyncProgress& progress);
    void finished(const lockstep::RunRecord& run);
    // The run left its reading phases (readingDone() is true from now on).
    void readingFinished();

private:
    // What the caller asked for; the larger one wins.
    enum class StopRequest
    {
        None,
        Graceful,
        Cancel
    };

    // The one place the phase changes: checks the move against isLegalTransition() and
    // logs it (lockstep.sync, debug). Entering the phase the run is in does nothing.
    void enterPhase(RunPhase next);
    // Runs `work`, the start of `phase`'s work on another thread, through the test hook.
    void atPhaseWork(RunPhase phase, std::function<void()> work);
    // Past the plan: the batches of this run are all journaled (also while stopping).
    bool planned() const;
    // Batches may still leave.
    bool canSend() const;
    RunTally tally() const;
    // Stops reading and sending with `error` as the cause (none: a stop request, or a
    // send that halted sending). The ending is decided now; the run finishes once the
    // batches and parses in flight are answered (an answer Mixpanel gave is never lost).
    void stop(const SyncError& error = {});
    void fail(const SyncError& error);
    // Ends the run with `ending` once the writer has its rows; record() then stores it.
    void conclude(const RunEnding& ending);
    void record();

    void onSegment(const Result<SegmentInfo>& segment);
    void loadSnapshot();
    void onSnapshotLoaded(Result<SnapshotStore::Loaded> previous);
    // Full resync: who holds the cohort value in Mixpanel (HolderList).
    void listHolders();
    void startReading();
    void onRawPage(Result<QByteArray> body);
    void onPageParsed(const PageDigest& page);
    void maybeFinishReading();
    // Journals and sends the full batches the planner cuts from keys sent early.
    void streamAdds(const QByteArray& keys, int count);
    void startDiff();
    // The members merged and diffed (on the parser thread): plan, journal, send.
    void onDiffed(MemberSet members, MemberDiff diff, qsizetype earlyExits);
    // The resolver's mismatches replace the mapping's (on the writer when there is one).
    void recordMismatches(std::shared_ptr<const IdentityResolver> resolver);
    // Runs `job` on the writer (or here, at once, without one); `then` gets its status in
    // this thread, and the run does not end before it has.
    void write(std::function<Status(Workspace&)> job, std::function<void(const Status&)> then);
    RunSnapshot::Write writeHook(); // write(), for the run's helpers
    void onWritten();

    // Sends what may go; then, with nothing in flight, moves the run on.
    void pump();
    // Past the plan with nothing in flight: verify, write the snapshot, wait for the exit
    // check and the writer, then end.
    void settle();
    // Verifies the entered keys: here (EntryCheck), or hands them over
    // (RunOptions::deferVerification).
    void runEntryCheck();
    // A batch was answered (BatchSender): report, send more, move on.
    void onAnswered();
    // Looks the first exits up in Customer.io while the run sends (exitcheck.h).
    void startExitCheck(const MemberSet& previous, const std::vector<uint32_t>& exited);
    void onExitCheckDone(const ExitCheckResult& result);
    void report(const QString& phase, qint64 done, qint64 total);
    // The members with the held exits added back: what Mixpanel holds after a run that
    // held exits (they were not removed).
    MemberSet withHeldExits(MemberSet members) const;
    // What the run says about the exits it held, would hold or applied (its message).
    QString holdNote(const RunPlan& plan, qint64 lastSize) const;
    void perf(const char* phase);

    Workspace& m_ws;
    BackgroundWriter* m_writer = nullptr;
    int m_writesPending = 0;
    std::shared_ptr<RequestCounters> m_counters; // this run's share of the traffic
    CustomerIoClient m_cio;
    MixpanelClient m_mixpanel;
    const Clock* m_clock;
    Mapping m_mapping;
    RunOptions m_options;
    RunRecord m_run;
    SnapshotStore m_snapshots;
    RunSnapshot m_snapshot; // what Mixpanel holds, as this run reads and writes it

    RunPhase m_phase = RunPhase::Created;
    RunPhase m_workPhase = RunPhase::Created; // the last phase before Stopping/Finishing
    StopRequest m_stopRequest = StopRequest::None;
    SyncError m_runError;              // what stopped the run, if an error did
    QString m_notReady;                // the segment is still building: the run is skipped
    std::optional<RunEnding> m_ending; // decided: Stopping, Finishing

    std::unique_ptr<IdentityResolver> m_resolver;
    // The acknowledged snapshot, loaded before reading: the parser decides against it
    // which members are new, so their batches leave while the segment is still read.
    std::shared_ptr<const MemberSet> m_previous;
    std::optional<Result<QByteArray>> m_stashedPage; // arrived before the snapshot
    // Which snapshot members the pages have shown so far (one bit each, set by the parser
    // thread): once the last page is parsed, the rest are the exits, and the exit check
    // starts before the members are merged and diffed.
    std::shared_ptr<std::vector<uint64_t>> m_seen;
    MemberSet m_current; // the members once reading is over (kept for the snapshot)
    qint64 m_membersRead = 0;
    int m_pagesRead = 0;
    int m_parsesPending = 0; // pages and the merge on the parser thread
    // Pages are parsed and resolved here, one at a time and in order, while the next
    // page is on the wire; then the members are merged and diffed here.
    QThreadPool m_parser;
    std::unique_ptr<SegmentPager> m_pager; // on m_cio and m_parser

    RunPlanner m_planner;
    std::unique_ptr<BatchSender> m_sender; // on m_mixpanel and m_snapshots
    RequestScheduler* m_http = nullptr;
    RunPerf m_perf;
    std::vector<std::string> m_holders; // full resync: keys Mixpanel says hold the value
    QString m_holdersNote;              // why the holder check was skipped, if it was
    ExitCheck* m_exitCheck = nullptr;   // a child; running until onExitCheckDone()
    // The exit check ended before the resolver's rows went to the writer: applied right
    // after them, or the replace would delete what it found.
    std::unique_ptr<ExitCheckResult> m_exitCheckWaiting;
    QString m_exitNote;                  // the exit check's summary, for the message
    std::vector<std::string> m_heldKeys; // exits held by the safeguard (sorted)
    QString m_holdNote;                  // what the safeguard did, for the message
    EntryCheck* m_entryCheck = nullptr;  // child: entered keys checked in Mixpanel at the end
};

} // namespace lockstep
