#include "queryworker.h"
#include "cohortcounts.h"
#include "enginecontext.h"
#include "trust/latencymonitor.h"
#include "trust/truststore.h"

#include "api/endpointpolicy.h"
#include "api/mixpanelclient.h"
#include "api/requestscheduler.h"
#include "health/alertstore.h"
#include "health/downsampler.h"
#include "health/healthevaluator.h"
#include "health/healthrules.h"
#include "health/overlapindex.h"
#include "health/sizehistory.h"
#include "health/watchedpairrepository.h"
#include "identity/identityresolver.h"
#include "store/changewatcher.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/doctor.h"
#include "trust/querybudget.h"
#include "trust/rehearsal.h"
#include "trust/spotcheck.h"
#include "trust/workspaceaudit.h"

#include <QSet>

#include <array>

namespace lockstep {

namespace {

SyncError notOpen()
{
    return SyncError::make(SyncError::Category::Storage,
                           QStringLiteral("the workspace is not open"));
}

} // namespace

QueryWorker::QueryWorker(const EngineContext& context, QString workspace, Credentials credentials)
    : m_context(context), m_location(std::move(workspace)), m_credentials(std::move(credentials)),
      m_clock(context.clock())
{}

QueryWorker::~QueryWorker()
{
    shutdown();
}

void QueryWorker::open()
{
    auto ws = Workspace::open(m_location);
    if (!ws) {
        // EngineWorker reports the same failure to the window; one banner is enough.
        return;
    }
    m_ws = std::move(*ws);
    // Its own queue, the engine's limits: a spot check during a sync shares the key's 10/s,
    // with every other process on the workspace too.
    m_context.shareLimitsThrough(m_location);
    m_http = m_context.createScheduler(this);
    QueryBudget::watch(m_http, m_ws.get(), m_clock);
    if (m_watchChanges)
        watchChanges();
    Q_EMIT opened();
}

void QueryWorker::shutdown()
{
    delete m_changes; // before its connection goes
    m_changes = nullptr;
    if (m_http)
        m_http->cancelAll();
    delete m_http;
    m_http = nullptr;
    m_ws.reset();
}

void QueryWorker::setCredentials(const Credentials& credentials)
{
    m_credentials = credentials;
}

bool QueryWorker::ready()
{
    if (m_ws)
        return true;
    Q_EMIT failed(notOpen());
    return false;
}

void QueryWorker::addMapping(const Mapping& m)
{
    if (!ready())
        return;
    auto id = MappingRepository(*m_ws).add(m);
    if (!id) {
        Q_EMIT failed(id.error());
        return;
    }
    Q_EMIT mappingSaved(*id);
}

void QueryWorker::updateMapping(const Mapping& m)
{
    if (!ready())
        return;
    if (auto st = MappingRepository(*m_ws).update(m); !st) {
        Q_EMIT failed(st.error());
        return;
    }
    Q_EMIT mappingSaved(m.id);
}

void QueryWorker::duplicateAsNewVersion(qint64 mappingId)
{
    if (!ready())
        return;
    MappingRepository repo(*m_ws);
    auto m = repo.get(mappingId);
    if (!m) {
        Q_EMIT failed(m.error());
        return;
    }
    Mapping copy = *m;
    copy.cohortName = nextCohortVersionName(m->cohortName, m->version);
    copy.version = m->version + 1;
    // The new version starts paused only if the old one was; the old one stays as is so
    // the operator decides when to retire it.
    auto id = repo.add(copy);
    if (!id) {
        Q_EMIT failed(id.error());
        return;
    }
    Q_EMIT mappingSaved(*id);
}

void QueryWorker::setPaused(const QList<qint64>& mappingIds, bool paused)
{
    if (!ready())
        return;
    MappingRepository repo(*m_ws);
    for (qint64 id : mappingIds) {
        auto m = repo.get(id);
        if (!m) {
            Q_EMIT failed(m.error());
            return;
        }
        m->paused = paused;
        if (auto st = repo.update(*m); !st) {
            Q_EMIT failed(st.error());
            return;
        }
        Q_EMIT mappingSaved(id);
    }
}

void QueryWorker::deleteMappings(const QList<qint64>& mappingIds)
{
    if (!ready())
        return;
    MappingRepository repo(*m_ws);
    for (qint64 id : mappingIds)
        if (auto st = repo.remove(id); !st) {
            Q_EMIT failed(st.error());
            return;
        }
    Q_EMIT mappingsRemoved(mappingIds);
}

void QueryWorker::loadSizeHistory(const QList<qint64>& mappingIds, int days, int maxPoints)
{
    if (!ready())
        return;
    SizeHistoryData data;
    data.days = days;
    data.toMs = m_clock->nowMs() + 1;
    data.fromMs = data.toMs - qint64(days) * HealthThresholds::kDayMs;
    SizeHistory history(*m_ws);
    for (qint64 id : mappingIds) {
        auto points = history.window(id, data.fromMs, data.toMs);
        if (!points) {
            Q_EMIT failed(points.error());
            return;
        }
        // LTTB keeps the line's shape (a collapse survives) with real runs as points.
        const std::vector<SizePoint> reduced = points->size() > size_t(maxPoints)
                                                   ? downsampleLttb(*points, size_t(maxPoints))
                                                   : std::move(*points);
        SizeHistorySeries s;
        s.mappingId = id;
        s.points = QList<SizePoint>(reduced.begin(), reduced.end());
        data.series.append(s);
    }
    Q_EMIT sizeHistoryLoaded(data);
}

void QueryWorker::loadAlerts(bool includeResolved)
{
    if (!ready())
        return;
    AlertStore store(*m_ws, *m_clock);
    if (!includeResolved) {
        auto open = store.open();
        if (!open) {
            Q_EMIT failed(open.error());
            return;
        }
        Q_EMIT alertsLoaded(*open);
        return;
    }
    auto mappings = MappingRepository(*m_ws).list();
    if (!mappings) {
        Q_EMIT failed(mappings.error());
        return;
    }
    QList<Alert> all;
    for (const Mapping& m : *mappings)
        if (auto h = store.history(m.id, 100); h)
            all.append(*h);
    Q_EMIT alertsLoaded(all);
}

void QueryWorker::acknowledgeAlert(qint64 alertId, const QString& by)
{
    if (!ready())
        return;
    AlertStore store(*m_ws, *m_clock);
    if (auto st = store.acknowledge(alertId, by); !st) {
        Q_EMIT failed(st.error());
        return;
    }
    markChangesSeen({QStringLiteral("alerts")}); // our own write, reloaded below
    loadAlerts(false);
    loadMappingHealth();
}

void QueryWorker::evaluateHealth()
{
    if (!ready())
        return;
    QList<qint64> openBefore;
    if (auto open = AlertStore(*m_ws, *m_clock).open(); open)
        for (const Alert& a : *open)
            openBefore.append(a.id);

    auto settings = SettingsRepository(*m_ws).connection();
    const bool canVerify =
        settings && !settings->mixpanelQueryUrl.isEmpty() && settings->projectId > 0 &&
        !m_credentials.mixpanelServiceAccount.isEmpty() &&
        m_context.checkService(ServiceEndpoint::MixpanelQuery, settings->mixpanelQueryUrl).ok();
    if (!canVerify || m_verifying) {
        evaluateStored(openBefore);
        return;
    }
    // One /cohorts/list answers every mapping's count, on its newest size point.
    QList<CohortCountTarget> targets;
    if (auto mappings = MappingRepository(*m_ws).list(); mappings) {
        SizeHistory history(*m_ws);
        for (const Mapping& m : *mappings)
            if (auto points = history.latest(m.id, 1); points && !points->empty())
                targets.append({m.id, points->back().runId});
    }
    MixpanelEndpoints ep;
    ep.query = QUrl(settings->mixpanelQueryUrl);
    ep.projectId = settings->projectId;
    ep.serviceAccount = m_credentials.mixpanelServiceAccount;
    ep.projectToken = m_credentials.mixpanelProjectToken;
    m_verifying = true;
    readCohortCounts(*m_ws, m_http, ep, m_clock, m_context.queriesPerHour(), targets,
                     QStringLiteral("verifying the cohort counts"),
                     [this, openBefore](const Result<int>&) {
                         // Without fresh counts (budget, network), the stored ones are judged.
                         m_verifying = false;
                         if (m_ws)
                             evaluateStored(openBefore);
                     });
}

void QueryWorker::evaluateStored(const QList<qint64>& openBefore)
{
    auto settings = readWorkspaceSettings(*m_ws);
    if (!settings) {
        Q_EMIT failed(settings.error());
        return;
    }
    HealthEvaluator evaluator(*m_ws, *m_clock, settings->thresholds);
    if (auto st = evaluator.evaluateAll(); !st) {
        Q_EMIT failed(st.error());
        return;
    }
    if (auto st = WatchedPairRepository(*m_ws).evaluate(*m_clock); !st) {
        Q_EMIT failed(st.error());
        return;
    }
    auto open = AlertStore(*m_ws, *m_clock).open();
    if (!open) {
        Q_EMIT failed(open.error());
        return;
    }
    const QSet<qint64> before(openBefore.begin(), openBefore.end());
    QList<Alert> raised;
    for (const Alert& a : *open)
        if (!before.contains(a.id))
            raised.append(a);
    markChangesSeen({QStringLiteral("alerts")}); // our own writes, reloaded by the receivers
    Q_EMIT healthEvaluated(*open, raised);
    Q_EMIT alertsLoaded(*open);
    loadMappingHealth();
}

void QueryWorker::loadMappingHealth()
{
    if (!ready())
        return;
    auto mappings = MappingRepository(*m_ws).list();
    auto open = AlertStore(*m_ws, *m_clock).open();
    if (!mappings || !open) {
        Q_EMIT failed(!mappings ? mappings.error() : open.error());
        return;
    }
    QHash<qint64, MappingHealth> byId;
    for (const Mapping& m : *mappings)
        byId[m.id].mappingId = m.id;
    for (const Alert& a : *open) {
        // Pair alerts are filed under their first mapping; that one shows the badge.
        auto it = byId.find(a.mappingId);
        if (it == byId.end())
            continue;
        it->openAlerts += 1;
        it->worstSeverity = std::max(it->worstSeverity, int(a.severity));
    }
    auto settings = readWorkspaceSettings(*m_ws);
    if (!settings) {
        Q_EMIT failed(settings.error());
        return;
    }
    SizeHistory history(*m_ws);
    QList<MappingHealth> out;
    for (const Mapping& m : *mappings) {
        MappingHealth h = byId.value(m.id);
        auto verdict = readVerdict(*m_ws, m, *open, settings->naming);
        if (!verdict) {
            Q_EMIT failed(verdict.error());
            return;
        }
        h.verdict = *verdict;
        // The newest verified point within the last 20 runs gives the drift figure.
        if (auto points = history.latest(m.id, 20); points)
            for (auto p = points->rbegin(); p != points->rend(); ++p)
                if (p->verified()) {
                    h.mixpanelCount = p->mixpanelCount;
                    h.syncedCount = p->syncedCount;
                    break;
                }
        out.append(h);
    }
    Q_EMIT mappingHealthLoaded(out);
}

void QueryWorker::loadOverlap()
{
    if (!ready())
        return;
    auto mappings = MappingRepository(*m_ws).list();
    if (!mappings) {
        Q_EMIT failed(mappings.error());
        return;
    }
    OverlapIndex index;
    SnapshotStore snapshots(*m_ws);
    QList<qint64> ids;
    for (const Mapping& m : *mappings) {
        auto members = snapshots.load(m.id);
        if (!members) {
            Q_EMIT failed(members.error());
            return;
        }
        index.setMembers(m.id, m.cohortName, *members);
        ids.append(m.id);
    }
    OverlapData data;
    data.matrix = index.matrix(ids);
    auto watched = WatchedPairRepository(*m_ws).list();
    if (watched)
        data.watched = *watched;
    Q_EMIT overlapLoaded(data);
}

void QueryWorker::addWatchedPair(const WatchedPair& pair)
{
    if (!ready())
        return;
    WatchedPair p = pair.normalized();
    p.createdAtMs = m_clock->nowMs();
    if (auto st = WatchedPairRepository(*m_ws).add(p); !st) {
        Q_EMIT failed(st.error());
        return;
    }
    markChangesSeen({QStringLiteral("watched_pairs")});
    loadOverlap();
}

void QueryWorker::removeWatchedPair(qint64 mappingA, qint64 mappingB)
{
    if (!ready())
        return;
    if (auto st = WatchedPairRepository(*m_ws).remove(std::min(mappingA, mappingB),
                                                      std::max(mappingA, mappingB));
        !st) {
        Q_EMIT failed(st.error());
        return;
    }
    markChangesSeen({QStringLiteral("watched_pairs")});
    loadOverlap();
}

void QueryWorker::loadMismatches(qint64 mappingId)
{
    if (!ready())
        return;
    auto list = MismatchRepository(*m_ws).list(mappingId);
    if (!list) {
        Q_EMIT failed(list.error());
        return;
    }
    Q_EMIT mismatchesLoaded(mappingId, *list);
}

void QueryWorker::loadAudit()
{
    if (!ready())
        return;
    auto settings = readWorkspaceSettings(*m_ws);
    if (!settings) {
        Q_EMIT failed(settings.error());
        return;
    }
    auto report = auditWorkspace(*m_ws, settings->naming, *m_clock);
    if (!report) {
        Q_EMIT failed(report.error());
        return;
    }
    Q_EMIT auditLoaded(*report);
}

void QueryWorker::loadSettings()
{
    if (!ready())
        return;
    auto s = readWorkspaceSettings(*m_ws);
    if (!s) {
        Q_EMIT failed(s.error());
        return;
    }
    Q_EMIT settingsLoaded(*s);
}

void QueryWorker::saveSettings(const WorkspaceSettings& s, const WorkspaceSettings& base)
{
    if (!ready())
        return;
    if (auto st = writeWorkspaceSettingsChanges(*m_ws, base, s); !st) {
        Q_EMIT failed(st.error());
        return;
    }
    loadSettings();
}

void QueryWorker::testConnection(const ConnectionSettings& settings, const Credentials& credentials)
{
    auto result = std::make_shared<ConnectionTest>();
    if (!m_ws || !m_http) {
        result->message = tr("The workspace is not open.");
        Q_EMIT connectionTested(*result);
        return;
    }
    DoctorOptions options;
    options.queriesPerHour = m_context.queriesPerHour();
    options.allowedHosts = m_context.allowedHosts();
    auto* doctor = new Doctor(*m_ws, m_http, settings, credentials, m_clock, options, this);
    connect(
        doctor, &Doctor::finished, this,
        [this, doctor, result, url = settings.customerIoUrl,
         key = credentials.customerIoAppApiKey](const DoctorReport& report) {
            doctor->deleteLater();
            result->report = report;
            result->ok = report.passed();
            for (const SegmentInfo& s : report.segments)
                result->segments.append({s, -1});
            if (result->ok) {
                result->message = tr("All %1 checks passed. Customer.io answered with %2 segments.")
                                      .arg(report.checks.size())
                                      .arg(report.segments.size());
            } else {
                QStringList failed;
                for (const DoctorCheck& c : report.checks)
                    if (c.failed())
                        failed << c.title + QStringLiteral(": ") + c.detail;
                result->message = tr("Failed checks: %1. %2")
                                      .arg(failed.size())
                                      .arg(failed.join(QLatin1Char(' ')));
            }
            if (report.segments.isEmpty()) {
                Q_EMIT connectionTested(*result);
                return;
            }
            // The wizard offers the segments with their sizes.
            countSegments(result, 0, std::make_shared<CustomerIoClient>(m_http, QUrl(url), key));
        });
    doctor->start();
}

void QueryWorker::countSegments(std::shared_ptr<ConnectionTest> result, int next,
                                std::shared_ptr<CustomerIoClient> client)
{
    // One count at a time keeps the wizard inside Customer.io's 10 requests/s.
    if (next >= result->segments.size()) {
        Q_EMIT connectionTested(*result);
        return;
    }
    client->customerCount(result->segments[next].info.id,
                          [this, result, next, client](Result<qint64> count) {
                              if (count)
                                  result->segments[next].count = *count;
                              countSegments(result, next + 1, client);
                          });
}

void QueryWorker::previewIdentity(qint64 segmentId)
{
    IdentityPreview preview;
    preview.segmentId = segmentId;
    auto settings =
        m_ws ? SettingsRepository(*m_ws).connection() : Result<ConnectionSettings>(notOpen());
    if (!settings || !settings->isComplete() || !m_http) {
        preview.error = QStringLiteral("Connect the workspace first.");
        Q_EMIT identityPreviewed(preview);
        return;
    }
    struct State
    {
        std::array<std::unique_ptr<IdentityResolver>, 3> resolvers;
        std::unique_ptr<CustomerIoClient> client;
        IdentityPreview preview;
        int pages = 0;
        std::function<void(const QString&)> fetch;
    };
    auto state = std::make_shared<State>();
    state->preview = preview;
    for (int k = 0; k < 3; ++k)
        state->resolvers[size_t(k)] = std::make_unique<IdentityResolver>(IdentityKey(k), 0);
    state->client = std::make_unique<CustomerIoClient>(m_http, QUrl(settings->customerIoUrl),
                                                       m_credentials.customerIoAppApiKey);
    // `fetch` holds the state weakly (no cycle); each request in flight holds it strongly,
    // so the state lives exactly as long as the paging does.
    std::weak_ptr<State> weak = state;
    state->fetch = [this, weak, segmentId](const QString& start) {
        auto s = weak.lock();
        if (!s)
            return;
        s->client->membershipPage(segmentId, start, CustomerIoClient::kMaxPageSize,
                                  [this, s](Result<MembershipPage> p) {
                                      if (!p) {
                                          s->preview.error = p.error().message;
                                          Q_EMIT identityPreviewed(s->preview);
                                          return;
                                      }
                                      for (const MemberIdentifiers& m : p->members)
                                          for (auto& r : s->resolvers)
                                              r->add(m);
                                      // A preview of a huge segment stops after 20 pages (600,000
                                      // members).
                                      if (!p->next.isEmpty() && ++s->pages < 20) {
                                          s->fetch(p->next);
                                          return;
                                      }
                                      for (auto& r : s->resolvers) {
                                          (void)r->takeMembers();
                                          s->preview.total = r->total();
                                          s->preview.unmatched.append(r->unmatched());
                                          s->preview.matchRate.append(r->matchRate());
                                      }
                                      Q_EMIT identityPreviewed(s->preview);
                                  });
    };
    state->fetch(QString());
}

// --- Trust checks ---

Result<Mapping> QueryWorker::trustMapping(qint64 mappingId)
{
    if (!m_ws)
        return notOpen();
    return MappingRepository(*m_ws).get(mappingId);
}

bool QueryWorker::trustServices(const QString& op, ServiceConfig* out)
{
    auto fail = [this, &op](const QString& message) {
        Q_EMIT trustCheckFailed(op, SyncError::make(SyncError::Category::Config, message));
        return false;
    };
    if (!m_ws || !m_http)
        return fail(QStringLiteral("The workspace is not open."));
    auto settings = SettingsRepository(*m_ws).connection();
    if (!settings) {
        Q_EMIT trustCheckFailed(op, settings.error());
        return false;
    }
    if (!settings->isComplete())
        return fail(QStringLiteral("Connect the workspace first (File › Guided set-up)."));
    if (m_credentials.customerIoAppApiKey.isEmpty() || m_credentials.mixpanelProjectToken.isEmpty())
        return fail(QStringLiteral("Trust checks need the Customer.io App API key and the "
                                   "Mixpanel project token (File › Settings)."));
    auto services = m_context.services(*settings, m_credentials, EngineContext::Need::Sync);
    if (!services)
        return fail(services.error().message);
    *out = *services;
    return true;
}

void QueryWorker::trustCheckOver()
{
    loadQueryBudget();
    loadChecklists();
}

void QueryWorker::loadTrustSegments()
{
    const QString op = QString::fromLatin1(trustop::kSegments);
    ServiceConfig services;
    if (!trustServices(op, &services))
        return;
    auto client =
        std::make_shared<CustomerIoClient>(m_http, services.customerIo, services.appApiKey);
    auto found = std::make_shared<QList<SegmentChoice>>();
    // Counted one after the other, inside Customer.io's 10 requests/s.
    auto count = std::make_shared<std::function<void(int)>>();
    std::weak_ptr<std::function<void(int)>> weak = count;
    *count = [this, client, found, weak](int next) {
        if (next >= found->size()) {
            Q_EMIT trustSegmentsLoaded(*found);
            return;
        }
        auto self = weak.lock();
        client->customerCount((*found)[next].info.id, [this, found, next, self](Result<qint64> n) {
            if (n)
                (*found)[next].count = *n;
            (*self)(next + 1);
        });
    };
    client->segments([this, op, found, count](Result<QList<SegmentInfo>> segs) {
        if (!segs) {
            Q_EMIT trustCheckFailed(op, segs.error());
            return;
        }
        for (const SegmentInfo& s : *segs)
            found->append({s, -1});
        (*count)(0);
    });
}

void QueryWorker::loadQueryBudget()
{
    if (!m_ws)
        return;
    const QueryBudget budget(*m_ws, m_http, m_clock, m_context.queriesPerHour());
    QueryBudgetState state;
    state.perHour = budget.perHour();
    state.left = budget.left();
    state.nextFreeAtMs = budget.nextFreeAtMs();
    Q_EMIT queryBudgetLoaded(state);
}

void QueryWorker::loadChecklists()
{
    if (!ready())
        return;
    auto mappings = MappingRepository(*m_ws).list();
    if (!mappings) {
        Q_EMIT failed(mappings.error());
        return;
    }
    auto settings = readWorkspaceSettings(*m_ws);
    if (!settings) {
        Q_EMIT failed(settings.error());
        return;
    }
    ChecklistEvaluator evaluator(*m_ws, settings->naming);
    QList<RolloutChecklist> out;
    for (const Mapping& m : *mappings) {
        auto list = evaluator.evaluate(m);
        if (!list) {
            Q_EMIT failed(list.error());
            return;
        }
        // The Mappings page shows the latency next to the checklist.
        if (auto latency = LatencyMonitor(*m_ws, *m_clock).report(m.id); latency)
            list->latency = *latency;
        out.append(*list);
    }
    Q_EMIT checklistsLoaded(out);
}

void QueryWorker::setLatencyExpectation(qint64 mappingId, int minutes)
{
    if (!ready())
        return;
    if (minutes < 0 || minutes > 7 * 24 * 60) {
        Q_EMIT failed(
            SyncError::make(SyncError::Category::Config,
                            QStringLiteral("a latency expectation is 0 (none) to 10080 minutes")));
        return;
    }
    if (auto st = TrustStore(*m_ws).setLatencyExpectationMinutes(mappingId, minutes); !st) {
        Q_EMIT failed(st.error());
        return;
    }
    // Raises or resolves the latency alert against the new expectation.
    if (auto r = LatencyMonitor(*m_ws, *m_clock).evaluate(mappingId); !r)
        Q_EMIT failed(r.error());
    loadChecklists();
}

// A trust check's signals, answered the same way for every kind: progress as it goes,
// the result (or the failure) once, then the budget and checklists again.
template <typename Check, typename Result>
void QueryWorker::wireTrustCheck(const QString& op, Check* check,
                                 void (Check::*done)(const Result&),
                                 void (QueryWorker::*answer)(const Result&))
{
    connect(check, &Check::progress, this,
            [this, op](const QString& step) { Q_EMIT trustProgress(op, step); });
    connect(check, done, this, [this, check, answer](const Result& result) {
        check->deleteLater();
        Q_EMIT(this->*answer)(result);
        trustCheckOver();
    });
    connect(check, &Check::failed, this, [this, check, op](const SyncError& e) {
        check->deleteLater();
        Q_EMIT trustCheckFailed(op, e);
        if (m_ws)
            trustCheckOver();
    });
}

void QueryWorker::rehearse(qint64 mappingId, qint64 testSegmentId)
{
    const QString op = QString::fromLatin1(trustop::kRehearsal);
    auto mapping = trustMapping(mappingId);
    if (!mapping) {
        Q_EMIT trustCheckFailed(op, mapping.error());
        return;
    }
    ServiceConfig services;
    if (!trustServices(op, &services))
        return;
    RehearsalOptions options;
    options.queriesPerHour = m_context.queriesPerHour();
    auto* r =
        new Rehearsal(*m_ws, m_http, services, m_clock, *mapping, testSegmentId, options, this);
    wireTrustCheck(op, r, &Rehearsal::finished, &QueryWorker::rehearsalFinished);
    r->start();
}

void QueryWorker::cleanupRehearsal(const RehearsalResult& earlier)
{
    const QString op = QString::fromLatin1(trustop::kCleanup);
    auto mapping = trustMapping(earlier.mappingId);
    if (!mapping) {
        Q_EMIT trustCheckFailed(op, mapping.error());
        return;
    }
    ServiceConfig services;
    if (!trustServices(op, &services))
        return;
    RehearsalOptions options;
    options.queriesPerHour = m_context.queriesPerHour();
    auto* r = new Rehearsal(*m_ws, m_http, services, m_clock, *mapping, earlier.testSegmentId,
                            options, this);
    wireTrustCheck(op, r, &Rehearsal::cleanupFinished, &QueryWorker::rehearsalCleanedUp);
    r->cleanup(earlier);
}

void QueryWorker::spotCheck(qint64 mappingId, int count, const QStringList& named)
{
    const QString op = QString::fromLatin1(trustop::kSpotCheck);
    auto mapping = trustMapping(mappingId);
    if (!mapping) {
        Q_EMIT trustCheckFailed(op, mapping.error());
        return;
    }
    ServiceConfig services;
    if (!trustServices(op, &services))
        return;
    SpotCheckOptions options;
    options.count = std::clamp(count, 0, SpotCheckOptions::kMaxPeople);
    options.named = named;
    options.queriesPerHour = m_context.queriesPerHour();
    auto* check = new SpotCheck(*m_ws, m_http, services, m_clock, *mapping, options, this);
    wireTrustCheck(op, check, &SpotCheck::finished, &QueryWorker::spotCheckFinished);
    check->start();
}

void QueryWorker::watchChanges()
{
    m_watchChanges = true;
    if (!m_ws || m_changes)
        return;
    m_changes = new ChangeWatcher(*m_ws, this);
    connect(m_changes, &ChangeWatcher::changed, this, &QueryWorker::workspaceChanged);
    m_changes->start();
}

void QueryWorker::markChangesSeen(const QStringList& tables)
{
    if (m_changes)
        m_changes->markSeen(tables);
}

} // namespace lockstep
