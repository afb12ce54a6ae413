#include "engineworker.h"
#include "cohortcounts.h"
#include "config/mappingthresholds.h"
#include "enginecontext.h"
#include "fleetverifier.h"
#include "store/backgroundwriter.h"

#include "api/customerioclient.h"
#include "api/endpointpolicy.h"
#include "api/mixpanelclient.h"
#include "api/requestscheduler.h"
#include "config/settings.h"
#include "health/alertstore.h"
#include "health/healthevaluator.h"
#include "health/sizehistory.h"
#include "health/watchedpairrepository.h"
#include "mappingrun.h"
#include "store/mappinglocks.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "testrunhooks.h"
#include "trust/latencymonitor.h"
#include "trust/querybudget.h"
#include "trust/tokenprobe.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QThread>

#include <algorithm>
#include <limits>

Q_LOGGING_CATEGORY(lcEngine, "lockstep.engine")

namespace lockstep {

namespace {
// A token found writing elsewhere is not probed again for this long: each probe spends up
// to four queries of the hour's 60, and a runner would otherwise probe every cycle.
constexpr qint64 kRejectedMemoMs = 15 * 60 * 1000;
} // namespace

EngineWorker::EngineWorker(const EngineContext& context, QString workspace, Credentials credentials)
    : m_context(context), m_location(std::move(workspace)), m_credentials(std::move(credentials)),
      m_options(context.options()), m_clock(context.clock())
{}

EngineWorker::~EngineWorker()
{
    shutdown();
}

void EngineWorker::shutdown()
{
    delete m_probe;
    m_probe = nullptr;
    m_probeBudget.reset();
    delete m_verifier;
    m_verifier = nullptr;
    qDeleteAll(m_active);
    m_active.clear();
    m_services.reset();
    delete m_http;
    m_http = nullptr;
    m_writer.reset(); // finishes what the runs handed it
    m_locks.reset();  // before the connection that holds them
    m_ws.reset();
}

void EngineWorker::open()
{
    auto ws = Workspace::open(m_location);
    if (!ws) {
        Q_EMIT failed(ws.error());
        return;
    }
    m_ws = std::move(*ws);
    // Runs write tens of megabytes (journal, snapshot): the log is copied into the
    // database between runs, not inside them (onRunFinished).
    m_ws->deferCheckpoints();
    m_writer = std::make_unique<BackgroundWriter>(m_location);
    m_context.shareLimitsThrough(m_location);
    m_http = m_context.createScheduler(this);
    QueryBudget::watch(m_http, m_ws.get(), m_clock);
    Q_EMIT opened();
}

Status EngineWorker::ensureClients()
{
    if (!m_ws)
        return SyncError::make(SyncError::Category::Storage,
                               QStringLiteral("the workspace is not open"));
    auto settings = SettingsRepository(*m_ws).connection();
    if (!settings)
        return settings.error();
    auto services = m_context.services(*settings, m_credentials, EngineContext::Need::Sync);
    if (!services)
        return services.error();
    m_services = *services;
    return {};
}

Status EngineWorker::loadSettings()
{
    auto settings = readWorkspaceSettings(*m_ws);
    if (!settings)
        return settings.error();
    m_settings = *settings;
    return {};
}

void EngineWorker::refresh()
{
    if (!m_ws)
        return;
    auto mappings = MappingRepository(*m_ws).list();
    if (!mappings) {
        Q_EMIT failed(mappings.error());
        return;
    }
    RunRepository runs(*m_ws);
    SnapshotStore snapshots(*m_ws);
    QList<MappingOverview> overview;
    for (const Mapping& m : *mappings) {
        MappingOverview o;
        o.mapping = m;
        if (auto last = runs.last(m.id); last)
            o.lastRun = *last;
        if (auto n = snapshots.count(m.id); n)
            o.syncedCount = *n;
        overview.append(o);
    }
    Q_EMIT mappingsLoaded(overview);
    auto recent = runs.recent(500);
    if (!recent) {
        Q_EMIT failed(recent.error());
        return;
    }
    Q_EMIT runsLoaded(*recent);
}

void EngineWorker::loadBatchErrors(qint64 runId)
{
    if (!m_ws)
        return;
    auto errors = RunRepository(*m_ws).batchErrors(runId);
    if (!errors) {
        Q_EMIT failed(errors.error());
        return;
    }
    Q_EMIT batchErrorsLoaded(runId, *errors);
}

RunRecord EngineWorker::refusedRun(qint64 mappingId, RunKind kind, const SyncError& error)
{
    RunRecord r;
    r.mappingId = mappingId;
    r.kind = kind;
    r.status = RunStatus::Failed;
    r.startedAtMs = r.finishedAtMs = m_clock->nowMs();
    r.message = error.message;
    r.errorCategory = error.categoryName();
    return r;
}

void EngineWorker::sync(const QList<qint64>& mappingIds, int kind)
{
    if (m_active.isEmpty() && m_queue.empty()) {
        m_acceptExits.clear();
        m_acceptedBy.clear();
    }
    startRequest(mappingIds, kind);
}

void EngineWorker::startRequest(const QList<qint64>& mappingIds, int kind)
{
    if (!m_active.isEmpty() || !m_queue.empty()) {
        // One request at a time; the GUI disables its actions meanwhile.
        Q_EMIT failed(SyncError::make(SyncError::Category::Usage,
                                      QStringLiteral("a sync is already running")));
        return;
    }
    m_results.clear();
    m_cancelled = false;
    Q_EMIT syncStarted(int(mappingIds.size()));
    Status st = ensureClients();
    if (st)
        st = loadSettings();
    if (!st) {
        for (qint64 id : mappingIds)
            m_results.append(refusedRun(id, RunKind(kind), st.error()));
        Q_EMIT failed(st.error());
        Q_EMIT syncFinished(m_results);
        return;
    }
    for (qint64 id : mappingIds)
        m_queue.emplace_back(id, RunKind(kind));
    orderQueue();
    delete m_verifier;
    m_verifier = nullptr;
    const int verifySample = m_options.verifySample.value_or(m_settings.verifySample);
    if (RunKind(kind) != RunKind::DryRun && verifySample > 0 &&
        !m_services->mixpanel.serviceAccount.isEmpty())
        m_verifier = new FleetVerifier(
            *m_ws, m_http, m_clock, m_services->mixpanel, m_context.queriesPerHour(),
            m_options.verifyQueriesPerHour.value_or(m_settings.verifyQueriesPerHour), this);
    m_tokenNote.clear();
    if (RunKind(kind) == RunKind::DryRun || mappingIds.isEmpty())
        return startNext(); // nothing is sent
    proveTokenThen([this] { startNext(); });
}

void EngineWorker::proveTokenThen(std::function<void()> proceed)
{
    const MixpanelEndpoints& ep = m_services->mixpanel;
    const QString fingerprint = TokenProbe::fingerprint(ep.projectToken, ep.projectId);
    Settings settings(*m_ws);
    // A storage error reads as "not proven": the probe runs.
    if (auto proven = settings.get(keys::TokenProven); proven && *proven == fingerprint)
        return proceed();
    auto memo = settings.get(keys::TokenRejected);
    const QJsonObject rejected =
        QJsonDocument::fromJson(memo ? memo->toUtf8() : QByteArray()).object();
    const qint64 rejectedAt = rejected.value(QLatin1String("at_ms")).toInteger();
    if (rejected.value(QLatin1String("fingerprint")).toString() == fingerprint &&
        m_clock->nowMs() - rejectedAt < kRejectedMemoMs) {
        const QString message =
            tr("%1; found %2, probed again from %3")
                .arg(rejected.value(QLatin1String("message")).toString(),
                     QDateTime::fromMSecsSinceEpoch(rejectedAt).toString(QStringLiteral("HH:mm")),
                     QDateTime::fromMSecsSinceEpoch(rejectedAt + kRejectedMemoMs)
                         .toString(QStringLiteral("HH:mm")));
        refuseQueued(SyncError::make(SyncError::Category::Auth, message));
        return startNext();
    }
    m_probeBudget =
        std::make_unique<QueryBudget>(*m_ws, m_http, m_clock, m_context.queriesPerHour());
    m_probe =
        new TokenProbe(m_http, ep, m_probeBudget.get(), m_clock, m_context.tokenProbe(), this);
    SyncProgress p;
    p.phase = QStringLiteral("token"); // before any mapping's run: mappingId 0
    Q_EMIT progress(p);
    qCInfo(lcEngine) << "proving that the project token writes to project" << ep.projectId;
    m_probe->start([this, fingerprint, proceed = std::move(proceed)](TokenProbeResult result) {
        onTokenProbed(result, fingerprint, proceed);
    });
}

void EngineWorker::onTokenProbed(const TokenProbeResult& result, const QString& fingerprint,
                                 const std::function<void()>& proceed)
{
    m_probe->deleteLater();
    m_probe = nullptr;
    Settings settings(*m_ws);
    using O = TokenProbeResult::Outcome;
    switch (result.outcome) {
    case O::Proven:
        qCInfo(lcEngine) << result.message;
        if (auto st = settings.set(keys::TokenProven, fingerprint); !st)
            qCWarning(lcEngine) << "could not remember the proven token:" << st.error().toString();
        (void)settings.set(keys::TokenRejected, QString());
        break;
    case O::WrongProject: {
        qCWarning(lcEngine) << result.message;
        const QJsonObject memo{{QStringLiteral("fingerprint"), fingerprint},
                               {QStringLiteral("at_ms"), m_clock->nowMs()},
                               {QStringLiteral("message"), result.message}};
        (void)settings.set(keys::TokenRejected,
                           QString::fromUtf8(QJsonDocument(memo).toJson(QJsonDocument::Compact)));
        // Syncing would be answered 1 and land nowhere: no run may pass for a success.
        refuseQueued(SyncError::make(SyncError::Category::Auth, result.message));
        break;
    }
    case O::CannotProve:
    case O::Failed:
        // Not evidence against the token: the sync goes ahead, and says so. The entry
        // check still looks for the value on the profiles it entered.
        qCWarning(lcEngine) << "the project token is not proven:" << result.message;
        m_tokenNote = tr("the project token is not proven (%1)").arg(result.message);
        break;
    }
    proceed();
}

void EngineWorker::refuseQueued(const SyncError& error)
{
    // Recorded as failed runs, so the history, the console and `sync` all say why.
    while (!m_queue.empty()) {
        const auto [id, kind] = m_queue.front();
        m_queue.pop_front();
        RunRecord r = refusedRun(id, kind, error);
        if (MappingRepository(*m_ws).get(id)) {
            if (auto runId = RunRepository(*m_ws).begin(id, kind, r.startedAtMs); runId) {
                r.id = *runId;
                if (auto st = RunRepository(*m_ws).finish(r); !st)
                    qCWarning(lcEngine) << "could not record run" << r.id << st.error().toString();
            }
        }
        m_results.append(r);
        pauseIfFailingRepeatedly(r);
        Q_EMIT runFinished(r);
    }
}

void EngineWorker::acceptExits(const QList<qint64>& mappingIds, const QString& by)
{
    if (!m_active.isEmpty() || !m_queue.empty()) {
        Q_EMIT failed(SyncError::make(SyncError::Category::Usage,
                                      QStringLiteral("a sync is already running")));
        return;
    }
    m_acceptExits = mappingIds;
    m_acceptedBy = by;
    startRequest(mappingIds, int(RunKind::Incremental));
}

void EngineWorker::syncAll(int kind)
{
    QList<qint64> ids;
    if (m_ws) {
        if (auto mappings = MappingRepository(*m_ws).list(); mappings) {
            for (const Mapping& m : *mappings)
                if (!m.paused)
                    ids.append(m.id);
        } else {
            Q_EMIT failed(mappings.error());
        }
    }
    sync(ids, kind);
}

void EngineWorker::orderQueue()
{
    // What each mapping asks of the key: its segment read and its pages, by its last run.
    const int pageSize = std::max(1, m_options.pageSize);
    RunRepository runs(*m_ws);
    std::map<qint64, qint64> requests;
    for (const auto& [id, kind] : m_queue) {
        auto last = runs.last(id);
        // Never synced: the size is unknown, and the first sync is the longest; first.
        requests[id] = last && *last ? 1 + ((*last)->segmentCount + pageSize - 1) / pageSize
                                     : std::numeric_limits<qint64>::max();
    }
    std::stable_sort(m_queue.begin(), m_queue.end(), [&requests](const auto& a, const auto& b) {
        return requests[a.first] > requests[b.first];
    });
}

int EngineWorker::readingRuns() const
{
    return int(std::count_if(m_active.cbegin(), m_active.cend(),
                             [](const MappingRun* r) { return !r->readingDone(); }));
}

bool EngineWorker::customerIoContended(const MappingRun* run) const
{
    if (!m_queue.empty())
        return true;
    for (const MappingRun* r : m_active)
        if (r != run && !r->readingDone())
            return true;
    if (!m_services)
        return false;
    return m_context.limits()->sharedBusy(CustomerIoClient::limitKeyFor(m_services->appApiKey),
                                          m_clock->nowMs());
}

void EngineWorker::startNext()
{
    startRuns();
    if (m_active.isEmpty() && m_queue.empty())
        finishSync();
}

void EngineWorker::startRuns()
{
    const int inFlight = m_options.runsInFlight > 0
                             ? std::max(m_options.runsInFlight, m_options.parallelMappings)
                             : 2 * m_options.parallelMappings;
    while (!m_queue.empty() && readingRuns() < m_options.parallelMappings &&
           int(m_active.size()) < inFlight) {
        const auto [id, kind] = m_queue.front();
        m_queue.pop_front();
        if (m_cancelled)
            continue;
        auto mapping = MappingRepository(*m_ws).get(id);
        if (!mapping) {
            m_results.append(refusedRun(id, kind, mapping.error()));
            Q_EMIT runFinished(m_results.back());
            continue;
        }
        RunOptions opts;
        opts.kind = kind;
        opts.pageSize = m_options.pageSize;
        opts.sendConcurrency = m_options.sendConcurrency;
        opts.exitCheckLimit = m_options.exitCheckLimit.value_or(m_settings.exitCheckLimit);
        opts.exitCheckSample = m_options.exitCheckSample.value_or(m_settings.exitCheckSample);
        opts.onPhase = delayingPhaseHook(m_options.testLoadDelayMs, m_options.testMergeDelayMs);
        opts.verifySample = m_options.verifySample.value_or(m_settings.verifySample);
        opts.queriesPerHour = m_context.queriesPerHour();
        opts.note = m_tokenNote;
        opts.massExitPercent = mapping->usesWorkspaceMassExit() ? m_settings.massExitPercent
                                                                : mapping->massExitPercent;
        opts.acceptHeldExits = m_acceptExits.contains(id);
        opts.acceptedBy = m_acceptedBy;

        if (!tryLockMapping(id)) {
            RunRecord r = refusedRun(
                id, kind,
                SyncError::make(
                    SyncError::Category::Usage,
                    QStringLiteral("mapping %1 is being synced, or changed by a mappings file, in "
                                   "another process; skipped")
                        .arg(id)));
            r.status = RunStatus::Skipped;
            m_results.append(r);
            Q_EMIT runFinished(r);
            continue;
        }
        opts.kind = effectiveKind(id, kind);
        // Runs this mapping left "running" belong to a process that died: what they
        // got acknowledged is in the snapshot, the rest is planned again by this run.
        QSqlQuery q = m_ws->query(QStringLiteral(
            "UPDATE runs SET status='interrupted', message='the process stopped during the run; "
            "the next run resumed from the last acknowledged batch' WHERE mapping_id=? AND "
            "status='running'"));
        q.addBindValue(id);
        (void)Workspace::exec(q, "cannot close interrupted runs");

        if (m_verifier)
            opts.deferVerification = [v = QPointer<FleetVerifier>(m_verifier)](EntrySample s) {
                if (v)
                    v->add(std::move(s));
            };
        auto self = std::make_shared<const MappingRun*>(nullptr);
        opts.customerIoContended = [this, self] { return customerIoContended(*self); };
        auto* run = new MappingRun(*m_ws, m_http, *m_services, m_clock, *mapping, opts, this,
                                   m_writer.get());
        *self = run;
        connect(run, &MappingRun::progress, this, &EngineWorker::progress);
        // Past its pages, a run leaves the key to the next mapping (queued: not from
        // inside the run's own phase change).
        connect(run, &MappingRun::readingFinished, this, &EngineWorker::startRuns,
                Qt::QueuedConnection);
        connect(run, &MappingRun::finished, this, [this, run, id](const RunRecord& r) {
            unlockMapping(id);
            onRunFinished(run, r);
        });
        m_active.append(run);
        run->start();
    }
}

void EngineWorker::onRunFinished(MappingRun* run, const RunRecord& record)
{
    m_active.removeAll(run);
    run->deleteLater();
    m_results.append(record);
    pauseIfFailingRepeatedly(record);
    Q_EMIT runFinished(record);
    // Refused at sending (Mixpanel's token, once proven, is not probed again): the other
    // runs would each read their whole segment, on the Customer.io key every process
    // shares, to be refused the same way. (A refusal while reading costs the others one
    // request each, and they find it themselves.)
    if (record.errorCategory == QLatin1String("auth") && record.failed > 0)
        refuseTheRest(record);
    startNext();
    // Between runs, or every few runs when they overlap, so the log stays bounded.
    if (m_active.isEmpty() || ++m_runsSinceCheckpoint >= 4) {
        m_ws->checkpoint();
        m_runsSinceCheckpoint = 0;
    }
}

void EngineWorker::refuseTheRest(const RunRecord& refused)
{
    const QString why = QStringLiteral("the credentials were refused in mapping %1's run (%2)")
                            .arg(QString::number(refused.mappingId), refused.message);
    if (!m_queue.empty())
        refuseQueued(
            SyncError::make(SyncError::Category::Auth, QStringLiteral("not started: ") + why));
    // Later, not from inside another run's finished(): a run may end at once.
    for (MappingRun* run : std::as_const(m_active))
        QMetaObject::invokeMethod(
            run,
            [run, why] {
                run->refuse(
                    SyncError::make(SyncError::Category::Auth, QStringLiteral("stopped: ") + why));
            },
            Qt::QueuedConnection);
}

bool EngineWorker::tryLockMapping(qint64 id)
{
    if (!m_locks)
        m_locks = std::make_unique<MappingLocks>(*m_ws);
    return m_locks->tryLock(id);
}

void EngineWorker::unlockMapping(qint64 id)
{
    if (m_ws && m_locks)
        m_locks->unlock(id);
}

RunKind EngineWorker::effectiveKind(qint64 mappingId, RunKind requested)
{
    if (requested != RunKind::Incremental)
        return requested;
    // A snapshot that has not been checked against Mixpanel for a while may have drifted
    // (profiles edited or deleted there): resend everyone now and then.
    auto last = SnapshotStore(*m_ws).lastFullSyncMs(mappingId);
    if (!last)
        return requested;
    const qint64 maxAgeMs = qint64(m_settings.fullResyncDays * 86400000.0);
    if (maxAgeMs > 0 && m_clock->nowMs() - *last > maxAgeMs)
        return RunKind::Full;
    return requested;
}

void EngineWorker::pauseIfFailingRepeatedly(const RunRecord& record)
{
    const bool hard = record.errorCategory == QLatin1String("auth") ||
                      record.errorCategory == QLatin1String("not_found");
    if (!hard || record.id == 0)
        return;
    auto recent = RunRepository(*m_ws).recent(kPauseAfterFailures, record.mappingId);
    if (!recent || recent->size() < kPauseAfterFailures)
        return;
    for (const RunRecord& r : *recent)
        if (r.errorCategory != QLatin1String("auth") &&
            r.errorCategory != QLatin1String("not_found"))
            return;
    auto mapping = MappingRepository(*m_ws).get(record.mappingId);
    if (!mapping || mapping->paused)
        return;
    mapping->paused = true;
    if (!MappingRepository(*m_ws).update(*mapping).ok())
        return;
    HealthFinding f;
    f.mappingId = record.mappingId;
    f.rule = QStringLiteral("sync_paused");
    f.severity = AlertSeverity::Critical;
    f.message =
        QStringLiteral("Paused after %1 runs in a row failed: %2. Fix the credentials or the "
                       "segment, then resume the mapping.")
            .arg(QString::number(kPauseAfterFailures), record.message);
    (void)AlertStore(*m_ws, *m_clock).raise(f);
}

void EngineWorker::verifyFleet(std::function<void()> then)
{
    QList<qint64> succeeded;
    for (const RunRecord& r : std::as_const(m_results))
        if (r.id != 0 && r.status == RunStatus::Succeeded)
            succeeded.append(r.id);
    SyncProgress p;
    p.phase = QStringLiteral("verifying"); // the sync's runs together: mappingId 0
    Q_EMIT progress(p);
    m_verifier->run(succeeded, [this,
                                then = std::move(then)](const QHash<qint64, FleetVerdict>& verdicts,
                                                        const VerificationBatch& batch) {
        if (!m_ws)
            return;
        if (batch.queries > 0 || !batch.note.isEmpty())
            qCInfo(lcEngine).noquote()
                << QStringLiteral("verified %1 entered keys of %2 runs in %3 queries (%4 of %5 "
                                  "verification queries this hour)%6")
                       .arg(batch.keys)
                       .arg(batch.runs)
                       .arg(batch.queries)
                       .arg(batch.usedThisHour)
                       .arg(batch.perHour)
                       .arg(batch.note.isEmpty() ? QString() : QStringLiteral("; ") + batch.note);
        for (RunRecord& r : m_results) {
            const auto it = verdicts.constFind(r.id);
            if (it == verdicts.cend())
                continue;
            r.verification = it->verification;
            // The queries that held its keys count as its calls, as its own query did.
            r.apiCalls += it->queries;
            if (!it->message.isEmpty())
                r.message += (r.message.isEmpty() ? QString() : QStringLiteral("; ")) + it->message;
            if (auto st = RunRepository(*m_ws).amend(r); !st)
                qCWarning(lcEngine) << "could not record run" << r.id << st.error().toString();
        }
        then();
    });
}

void EngineWorker::finishSync()
{
    if (m_verifier && m_verifier->pending() > 0) {
        if (!m_cancelled)
            return verifyFleet([this] { finishSync(); });
        delete m_verifier; // its samples go unverified
        m_verifier = nullptr;
        for (RunRecord& r : m_results)
            if (r.verification.note == EntryCheck::kDeferredNote) {
                r.verification.note = QStringLiteral("the sync was stopped before its runs' "
                                                     "entered keys were verified");
                if (r.id != 0)
                    (void)RunRepository(*m_ws).amend(r);
            }
    }
    auto done = [this] {
        afterSync();
        Q_EMIT syncFinished(m_results);
        m_results.clear();
    };
    bool measured = false;
    for (const RunRecord& r : std::as_const(m_results))
        measured |= r.id != 0 && r.kind != RunKind::DryRun &&
                    (r.status == RunStatus::Succeeded || r.status == RunStatus::Partial);
    if (!measured || !m_services || m_services->mixpanel.serviceAccount.isEmpty() || m_cancelled)
        return done();
    Settings settings(*m_ws);
    const qint64 last = settings.getOr(keys::CohortsCheckedAtMs);
    const qint64 now = m_clock->nowMs();
    if (now - last < qint64(m_settings.cohortCheckMinutes * 60000))
        return done();
    (void)settings.set(keys::CohortsCheckedAtMs, now);
    // Said on each run that was measured; the sync itself stands.
    auto note = [this](const QString& why) {
        for (RunRecord& r : m_results)
            if (r.id != 0 && r.kind != RunKind::DryRun)
                r.message += (r.message.isEmpty() ? QString() : QStringLiteral("; ")) +
                             QStringLiteral("cohort counts were not read back: ") + why;
    };
    QList<CohortCountTarget> targets;
    for (const RunRecord& r : std::as_const(m_results))
        if (r.id != 0 && r.kind != RunKind::DryRun)
            targets.append({r.mappingId, r.id});
    readCohortCounts(*m_ws, m_http, m_services->mixpanel, m_clock, m_context.queriesPerHour(),
                     targets, QStringLiteral("reading the cohort counts back"),
                     [this, done, note](const Result<int>& counted) {
                         if (!m_ws)
                             return;
                         if (!counted &&
                             (counted.error().category == SyncError::Category::RateLimited ||
                              MixpanelClient::isQueryBudgetSpent(counted.error())))
                             note(counted.error().message);
                         else if (!counted)
                             qCWarning(lcEngine) << "could not read the Mixpanel cohorts back:"
                                                 << counted.error().message;
                         done();
                     });
}

void EngineWorker::afterSync()
{
    // Health is judged where the data is written, so headless runs raise alerts too.
    HealthEvaluator evaluator(*m_ws, *m_clock, m_settings.thresholds);
    if (auto perMapping = thresholdsPerMapping(*m_ws, m_settings.thresholds); perMapping)
        evaluator.setThresholdsFor(*perMapping);
    for (const RunRecord& r : std::as_const(m_results)) {
        if (r.id == 0 || r.kind == RunKind::DryRun)
            continue;
        if (auto m = MappingRepository(*m_ws).get(r.mappingId); m)
            (void)evaluator.evaluateAndStore(*m);
        (void)LatencyMonitor(*m_ws, *m_clock).evaluate(r.mappingId); // raises "latency" alerts
    }
    (void)WatchedPairRepository(*m_ws).evaluate(*m_clock);
}

void EngineWorker::abandonQueued()
{
    while (!m_queue.empty()) {
        const auto [id, kind] = m_queue.front();
        m_queue.pop_front();
        RunRecord r;
        r.mappingId = id;
        r.kind = kind;
        r.status = RunStatus::Cancelled;
        r.startedAtMs = r.finishedAtMs = m_clock->nowMs();
        r.message = QStringLiteral("not started: the sync was stopped before this mapping's "
                                   "turn; nothing was read or sent");
        r.errorCategory =
            QString::fromLatin1(SyncError::categoryName(SyncError::Category::Cancelled));
        m_results.append(r);
    }
}

void EngineWorker::stopGracefully()
{
    m_cancelled = true;
    abandonQueued();
    if (m_probe) {
        // Nothing was sent yet: stop proving (the probe's profile may stay behind).
        delete m_probe;
        m_probe = nullptr;
    }
    for (MappingRun* r : std::as_const(m_active))
        r->stopGracefully();
    if (m_active.isEmpty()) {
        Q_EMIT syncFinished(m_results);
        m_results.clear();
    }
}

void EngineWorker::cancel()
{
    m_cancelled = true;
    abandonQueued();
    for (MappingRun* r : std::as_const(m_active))
        r->cancel();
    if (m_http)
        m_http->cancelAll();
    if (m_probe) {
        // The probe may be waiting between reads: end the request now.
        delete m_probe;
        m_probe = nullptr;
        startNext();
    }
}

} // namespace lockstep
