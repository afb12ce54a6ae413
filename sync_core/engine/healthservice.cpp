#include "healthservice.h"

#include "cohortcounts.h"
#include "config/mappingthresholds.h"
#include "enginecontext.h"

#include "api/endpointpolicy.h"
#include "health/alertstore.h"
#include "health/downsampler.h"
#include "health/healthevaluator.h"
#include "health/healthrules.h"
#include "health/overlapindex.h"
#include "health/overlapviews.h"
#include "health/sizehistory.h"
#include "health/watchedpairrepository.h"
#include "store/heldexits.h"
#include "store/mappingrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "trust/workspaceaudit.h"

#include <QSet>

namespace lockstep {

void HealthService::loadSizeHistory(RequestId id, const QList<qint64>& mappingIds, int days,
                                    int maxPoints)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    SizeHistoryData data;
    data.days = days;
    data.toMs = m_host.clock()->nowMs() + 1;
    data.fromMs = data.toMs - qint64(days) * HealthThresholds::kDayMs;
    SizeHistory history(*ws);
    for (qint64 mappingId : mappingIds) {
        auto points = history.window(mappingId, data.fromMs, data.toMs);
        if (!points) {
            Q_EMIT failed(id, points.error());
            return;
        }
        // LTTB keeps the line's shape (a collapse survives) with real runs as points.
        const std::vector<SizePoint> reduced = points->size() > size_t(maxPoints)
                                                   ? downsampleLttb(*points, size_t(maxPoints))
                                                   : std::move(*points);
        SizeHistorySeries s;
        s.mappingId = mappingId;
        s.points = QList<SizePoint>(reduced.begin(), reduced.end());
        data.series.append(s);
    }
    Q_EMIT sizeHistoryLoaded(id, data);
}

void HealthService::loadAlerts(RequestId id, bool includeResolved)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    AlertStore store(*ws, *m_host.clock());
    if (!includeResolved) {
        auto open = store.open();
        if (!open) {
            Q_EMIT failed(id, open.error());
            return;
        }
        Q_EMIT alertsLoaded(id, *open);
        return;
    }
    auto mappings = MappingRepository(*ws).list();
    if (!mappings) {
        Q_EMIT failed(id, mappings.error());
        return;
    }
    QList<Alert> all;
    for (const Mapping& m : *mappings)
        if (auto h = store.history(m.id, 100); h)
            all.append(*h);
    Q_EMIT alertsLoaded(id, all);
}

void HealthService::acknowledgeAlert(RequestId id, qint64 alertId, const QString& by)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    AlertStore store(*ws, *m_host.clock());
    if (auto st = store.acknowledge(alertId, by); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    m_host.markChangesSeen({QStringLiteral("alerts")}); // our own write, reloaded below
    loadAlerts(id, false);
    loadMappingHealth(0);
}

void HealthService::loadHeldExits(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto held = HeldExitStore(*ws).pendingAll();
    if (!held) {
        Q_EMIT failed(id, held.error());
        return;
    }
    Q_EMIT heldExitsLoaded(id, *held);
}

void HealthService::discardHeldExits(RequestId id, qint64 mappingId, qint64 heldId,
                                     const QString& by)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    if (auto st = HeldExitStore(*ws).discard(mappingId, heldId, by, m_host.clock()->nowMs()); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    // The mass_exit alert closes now, not at the next evaluation.
    auto settings = readWorkspaceSettings(*ws);
    auto mapping = MappingRepository(*ws).get(mappingId);
    if (settings && mapping)
        (void)HealthEvaluator(*ws, *m_host.clock(), settings->thresholds)
            .evaluateAndStore(*mapping);
    m_host.markChangesSeen({QStringLiteral("alerts")}); // our own write, reloaded by the caller
    loadHeldExits(id);
    loadMappingHealth(0);
}

void HealthService::evaluate(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    QList<qint64> openBefore;
    if (auto open = AlertStore(*ws, *m_host.clock()).open(); open)
        for (const Alert& a : *open)
            openBefore.append(a.id);

    const Credentials& credentials = m_host.credentials();
    auto settings = SettingsRepository(*ws).connection();
    const bool canVerify =
        settings && !settings->mixpanelQueryUrl.isEmpty() && settings->projectId > 0 &&
        !credentials.mixpanelServiceAccount.isEmpty() &&
        m_host.context()
            .checkService(ServiceEndpoint::MixpanelQuery, settings->mixpanelQueryUrl)
            .ok();
    if (!canVerify || m_verifying) {
        evaluateStored(id, openBefore);
        return;
    }
    // One /cohorts/list answers every mapping's count, on its newest size point.
    QList<CohortCountTarget> targets;
    if (auto mappings = MappingRepository(*ws).list(); mappings) {
        SizeHistory history(*ws);
        for (const Mapping& m : *mappings)
            if (auto points = history.latest(m.id, 1); points && !points->empty())
                targets.append({m.id, points->back().runId});
    }
    MixpanelEndpoints ep;
    ep.query = QUrl(settings->mixpanelQueryUrl);
    ep.projectId = settings->projectId;
    ep.serviceAccount = credentials.mixpanelServiceAccount;
    ep.projectToken = credentials.mixpanelProjectToken;
    m_verifying = true;
    readCohortCounts(*ws, m_host.http(), ep, m_host.clock(), m_host.context().queriesPerHour(),
                     targets, QStringLiteral("verifying the cohort counts"),
                     [this, id, openBefore](const Result<int>&) {
                         // Without fresh counts (budget, network), the stored ones are judged.
                         m_verifying = false;
                         if (workspaceFor(id))
                             evaluateStored(id, openBefore);
                     });
}

void HealthService::evaluateStored(RequestId id, const QList<qint64>& openBefore)
{
    Workspace& ws = *m_host.workspace();
    const Clock& clock = *m_host.clock();
    auto settings = readWorkspaceSettings(ws);
    if (!settings) {
        Q_EMIT failed(id, settings.error());
        return;
    }
    HealthEvaluator evaluator(ws, clock, settings->thresholds);
    auto perMapping = thresholdsPerMapping(ws, settings->thresholds);
    if (!perMapping) {
        Q_EMIT failed(id, perMapping.error());
        return;
    }
    evaluator.setThresholdsFor(*perMapping);
    if (auto st = evaluator.evaluateAll(); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    if (auto st = WatchedPairRepository(ws).evaluate(clock); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    auto open = AlertStore(ws, clock).open();
    if (!open) {
        Q_EMIT failed(id, open.error());
        return;
    }
    const QSet<qint64> before(openBefore.begin(), openBefore.end());
    HealthEvaluation evaluation;
    evaluation.open = *open;
    for (const Alert& a : *open)
        if (!before.contains(a.id))
            evaluation.raised.append(a);
    m_host.markChangesSeen({QStringLiteral("alerts")}); // our own writes, reloaded by the receivers
    Q_EMIT evaluated(id, evaluation);
    loadMappingHealth(0);
}

void HealthService::loadMappingHealth(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto mappings = MappingRepository(*ws).list();
    auto open = AlertStore(*ws, *m_host.clock()).open();
    if (!mappings || !open) {
        Q_EMIT failed(id, !mappings ? mappings.error() : open.error());
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
    auto settings = readWorkspaceSettings(*ws);
    if (!settings) {
        Q_EMIT failed(id, settings.error());
        return;
    }
    SizeHistory history(*ws);
    QList<MappingHealth> out;
    for (const Mapping& m : *mappings) {
        MappingHealth h = byId.value(m.id);
        auto verdict = readVerdict(*ws, m, *open, settings->checklistRules());
        if (!verdict) {
            Q_EMIT failed(id, verdict.error());
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
    Q_EMIT mappingHealthLoaded(id, out);
}

void HealthService::loadOverlap(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto mappings = MappingRepository(*ws).list();
    if (!mappings) {
        Q_EMIT failed(id, mappings.error());
        return;
    }
    auto views = loadOverlapViews(*ws, *mappings);
    if (!views) {
        Q_EMIT failed(id, views.error());
        return;
    }
    QList<qint64> ids;
    for (const Mapping& m : *mappings)
        ids.append(m.id);
    OverlapData data;
    data.matrix = (*views)->keys.matrix(ids);
    data.people = (*views)->people.matrix(ids);
    data.peopleMissing = (*views)->peopleMissing;
    auto watched = WatchedPairRepository(*ws).list();
    if (watched)
        data.watched = *watched;
    Q_EMIT overlapLoaded(id, data);
}

void HealthService::addWatchedPair(RequestId id, const WatchedPair& pair)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    WatchedPair p = pair.normalized();
    p.createdAtMs = m_host.clock()->nowMs();
    if (auto st = WatchedPairRepository(*ws).add(p); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    m_host.markChangesSeen({QStringLiteral("watched_pairs")});
    loadOverlap(id);
}

void HealthService::removeWatchedPair(RequestId id, qint64 mappingA, qint64 mappingB)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    if (auto st = WatchedPairRepository(*ws).remove(std::min(mappingA, mappingB),
                                                    std::max(mappingA, mappingB));
        !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    m_host.markChangesSeen({QStringLiteral("watched_pairs")});
    loadOverlap(id);
}

void HealthService::loadMismatches(RequestId id, qint64 mappingId)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto list = MismatchRepository(*ws).list(mappingId);
    if (!list) {
        Q_EMIT failed(id, list.error());
        return;
    }
    Q_EMIT mismatchesLoaded(id, *list);
}

void HealthService::loadAudit(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto settings = readWorkspaceSettings(*ws);
    if (!settings) {
        Q_EMIT failed(id, settings.error());
        return;
    }
    auto report = auditWorkspace(*ws, settings->checklistRules(), *m_host.clock());
    if (!report) {
        Q_EMIT failed(id, report.error());
        return;
    }
    Q_EMIT auditLoaded(id, *report);
}

HealthRequests::HealthRequests(HealthService* service, RequestRouter* router, QObject* parent)
    : QObject(parent), m_service(service), m_router(router)
{
    connect(service, &QueryService::failed, router, &RequestRouter::fail);
    answerFrom(router, service, &HealthService::sizeHistoryLoaded);
    answerFrom(router, service, &HealthService::alertsLoaded);
    answerFrom(router, service, &HealthService::heldExitsLoaded);
    answerFrom(router, service, &HealthService::evaluated, this,
               [this](const HealthEvaluation& e) { Q_EMIT healthEvaluated(e.open, e.raised); });
    answerFrom(router, service, &HealthService::mappingHealthLoaded, this,
               [this](const QList<MappingHealth>& h) { Q_EMIT mappingHealthLoaded(h); });
    answerFrom(router, service, &HealthService::overlapLoaded);
    answerFrom(router, service, &HealthService::mismatchesLoaded);
    answerFrom(router, service, &HealthService::auditLoaded);
}

Pending<SizeHistoryData> HealthRequests::loadSizeHistory(const QList<qint64>& mappingIds, int days,
                                                         int maxPoints)
{
    return ask<SizeHistoryData>(m_router, m_service, [=](HealthService* s, RequestId id) {
        s->loadSizeHistory(id, mappingIds, days, maxPoints);
    });
}

Pending<QList<Alert>> HealthRequests::loadAlerts(bool includeResolved)
{
    return ask<QList<Alert>>(
        m_router, m_service,
        [includeResolved](HealthService* s, RequestId id) { s->loadAlerts(id, includeResolved); });
}

Pending<QList<Alert>> HealthRequests::acknowledgeAlert(qint64 alertId, const QString& by)
{
    return ask<QList<Alert>>(m_router, m_service, [alertId, by](HealthService* s, RequestId id) {
        s->acknowledgeAlert(id, alertId, by);
    });
}

Pending<QList<HeldExits>> HealthRequests::loadHeldExits()
{
    return ask<QList<HeldExits>>(m_router, m_service,
                                 [](HealthService* s, RequestId id) { s->loadHeldExits(id); });
}

Pending<QList<HeldExits>> HealthRequests::discardHeldExits(qint64 mappingId, qint64 heldId,
                                                           const QString& by)
{
    return ask<QList<HeldExits>>(m_router, m_service,
                                 [mappingId, heldId, by](HealthService* s, RequestId id) {
                                     s->discardHeldExits(id, mappingId, heldId, by);
                                 });
}

Pending<HealthEvaluation> HealthRequests::evaluate()
{
    Q_EMIT evaluating();
    return ask<HealthEvaluation>(m_router, m_service,
                                 [](HealthService* s, RequestId id) { s->evaluate(id); });
}

Pending<QList<MappingHealth>> HealthRequests::loadMappingHealth()
{
    return ask<QList<MappingHealth>>(
        m_router, m_service, [](HealthService* s, RequestId id) { s->loadMappingHealth(id); });
}

Pending<OverlapData> HealthRequests::loadOverlap()
{
    return ask<OverlapData>(m_router, m_service,
                            [](HealthService* s, RequestId id) { s->loadOverlap(id); });
}

Pending<OverlapData> HealthRequests::addWatchedPair(const WatchedPair& pair)
{
    return ask<OverlapData>(m_router, m_service, [pair](HealthService* s, RequestId id) {
        s->addWatchedPair(id, pair);
    });
}

Pending<OverlapData> HealthRequests::removeWatchedPair(qint64 mappingA, qint64 mappingB)
{
    return ask<OverlapData>(m_router, m_service,
                            [mappingA, mappingB](HealthService* s, RequestId id) {
                                s->removeWatchedPair(id, mappingA, mappingB);
                            });
}

Pending<QList<StoredMismatch>> HealthRequests::loadMismatches(qint64 mappingId)
{
    return ask<QList<StoredMismatch>>(
        m_router, m_service,
        [mappingId](HealthService* s, RequestId id) { s->loadMismatches(id, mappingId); });
}

Pending<AuditReport> HealthRequests::loadAudit()
{
    return ask<AuditReport>(m_router, m_service,
                            [](HealthService* s, RequestId id) { s->loadAudit(id); });
}

} // namespace lockstep
