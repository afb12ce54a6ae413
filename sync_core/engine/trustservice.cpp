#include "trustservice.h"

#include "enginecontext.h"

#include "api/customerioclient.h"
#include "api/serviceconfig.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/identityadvisor.h"
#include "trust/latencymonitor.h"
#include "trust/querybudget.h"
#include "trust/rehearsal.h"
#include "trust/spotcheck.h"
#include "trust/truststore.h"

#include <functional>
#include <memory>

namespace lockstep {

Result<Mapping> TrustService::mapping(qint64 mappingId, bool evenDeleted)
{
    if (!m_host.workspace())
        return notOpen();
    MappingRepository repo(*m_host.workspace());
    return evenDeleted ? repo.getEvenDeleted(mappingId) : repo.get(mappingId);
}

bool TrustService::services(RequestId id, ServiceConfig* out)
{
    auto fail = [this, id](const QString& message) {
        Q_EMIT failed(id, SyncError::make(SyncError::Category::Config, message));
        return false;
    };
    if (!m_host.workspace() || !m_host.http())
        return fail(QStringLiteral("The workspace is not open."));
    auto settings = SettingsRepository(*m_host.workspace()).connection();
    if (!settings) {
        Q_EMIT failed(id, settings.error());
        return false;
    }
    if (!settings->isComplete())
        return fail(QStringLiteral("Connect the workspace first (File › Guided set-up)."));
    const Credentials& credentials = m_host.credentials();
    if (credentials.customerIoAppApiKey.isEmpty() || credentials.mixpanelProjectToken.isEmpty())
        return fail(QStringLiteral("Trust checks need the Customer.io App API key and the "
                                   "Mixpanel project token (File › Settings)."));
    auto services = m_host.context().services(*settings, credentials, EngineContext::Need::Sync);
    if (!services)
        return fail(services.error().message);
    *out = *services;
    return true;
}

void TrustService::checkOver()
{
    if (!m_host.workspace())
        return;
    loadQueryBudget(0);
    loadChecklists(0);
    loadOpenRehearsals(0);
}

void TrustService::loadSegments(RequestId id)
{
    ServiceConfig config;
    if (!services(id, &config))
        return;
    auto client =
        std::make_shared<CustomerIoClient>(m_host.http(), config.customerIo, config.appApiKey);
    auto found = std::make_shared<QList<SegmentChoice>>();
    // Counted one after the other, inside Customer.io's 10 requests/s.
    auto count = std::make_shared<std::function<void(int)>>();
    std::weak_ptr<std::function<void(int)>> weak = count;
    *count = [this, id, client, found, weak](int next) {
        if (next >= found->size()) {
            Q_EMIT segmentsLoaded(id, *found);
            return;
        }
        auto self = weak.lock();
        client->customerCount((*found)[next].info.id, [found, next, self](Result<qint64> n) {
            if (n)
                (*found)[next].count = *n;
            (*self)(next + 1);
        });
    };
    client->segments([this, id, found, count](Result<QList<SegmentInfo>> segs) {
        if (!segs) {
            Q_EMIT failed(id, segs.error());
            return;
        }
        for (const SegmentInfo& s : *segs)
            found->append({s, -1});
        (*count)(0);
    });
}

void TrustService::loadQueryBudget(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    const QueryBudget budget(*ws, m_host.http(), m_host.clock(), m_host.context().queriesPerHour());
    QueryBudgetState state;
    state.perHour = budget.perHour();
    state.left = budget.left();
    state.nextFreeAtMs = budget.nextFreeAtMs();
    Q_EMIT queryBudgetLoaded(id, state);
}

void TrustService::loadOpenRehearsal(RequestId id, qint64 mappingId)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto open = TrustStore(*ws).openRehearsal(mappingId);
    if (!open) {
        Q_EMIT failed(id, open.error());
        return;
    }
    RehearsalResult none;
    none.mappingId = mappingId;
    Q_EMIT openRehearsalLoaded(id, open->value_or(none));
}

void TrustService::loadOpenRehearsals(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto open = TrustStore(*ws).openRehearsals();
    if (!open) {
        Q_EMIT failed(id, open.error());
        return;
    }
    Q_EMIT openRehearsalsLoaded(id, *open);
}

void TrustService::loadChecklists(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto mappings = MappingRepository(*ws).list();
    if (!mappings) {
        Q_EMIT failed(id, mappings.error());
        return;
    }
    auto settings = readWorkspaceSettings(*ws);
    if (!settings) {
        Q_EMIT failed(id, settings.error());
        return;
    }
    ChecklistEvaluator evaluator(*ws, settings->checklistRules());
    QList<RolloutChecklist> out;
    for (const Mapping& m : *mappings) {
        auto list = evaluator.evaluate(m);
        if (!list) {
            Q_EMIT failed(id, list.error());
            return;
        }
        // The Mappings page shows the latency next to the checklist.
        if (auto latency = LatencyMonitor(*ws, *m_host.clock()).report(m.id); latency)
            list->latency = *latency;
        out.append(*list);
    }
    Q_EMIT checklistsLoaded(id, out);
}

void TrustService::setLatencyExpectation(RequestId id, qint64 mappingId, int minutes)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    if (minutes < 0 || minutes > 7 * 24 * 60) {
        Q_EMIT failed(
            id,
            SyncError::make(SyncError::Category::Config,
                            QStringLiteral("a latency expectation is 0 (none) to 10080 minutes")));
        return;
    }
    if (auto st = TrustStore(*ws).setLatencyExpectationMinutes(mappingId, minutes); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    // Raises or resolves the latency alert against the new expectation. The expectation
    // is kept either way, so the checklists are read again for everyone.
    if (auto r = LatencyMonitor(*ws, *m_host.clock()).evaluate(mappingId); !r) {
        Q_EMIT failed(id, r.error());
        loadChecklists(0);
        return;
    }
    loadChecklists(id);
}

// A trust check's signals, answered the same way for every kind: progress as it goes,
// the result (or the failure) once, then the budget and checklists again.
template <typename Check, typename Answer>
void TrustService::wire(RequestId id, Check* check, void (Check::*done)(const Answer&),
                        void (TrustService::*answer)(RequestId, const Answer&))
{
    connect(check, &Check::progress, this,
            [this, id](const QString& step) { Q_EMIT progress(id, step); });
    connect(check, done, this, [this, id, check, answer](const Answer& result) {
        check->deleteLater();
        Q_EMIT(this->*answer)(id, result);
        checkOver();
    });
    connect(check, &Check::failed, this, [this, id, check](const SyncError& e) {
        check->deleteLater();
        Q_EMIT failed(id, e);
        checkOver();
    });
}

Rehearsal* TrustService::newRehearsal(RequestId id, qint64 mappingId, qint64 testSegmentId,
                                      const QString& by, bool evenDeleted)
{
    auto m = mapping(mappingId, evenDeleted);
    if (!m) {
        Q_EMIT failed(id, m.error());
        return nullptr;
    }
    ServiceConfig config;
    if (!services(id, &config))
        return nullptr;
    RehearsalOptions options;
    options.queriesPerHour = m_host.context().queriesPerHour();
    options.by = by;
    return new Rehearsal(*m_host.workspace(), m_host.http(), config, m_host.clock(), *m,
                         testSegmentId, options, this);
}

void TrustService::rehearse(RequestId id, qint64 mappingId, qint64 testSegmentId, const QString& by)
{
    if (auto* r = newRehearsal(id, mappingId, testSegmentId, by)) {
        wire(id, r, &Rehearsal::finished, &TrustService::rehearsalFinished);
        r->start();
    }
}

void TrustService::cleanupRehearsal(RequestId id, const RehearsalResult& earlier)
{
    if (auto* r = newRehearsal(id, earlier.mappingId, earlier.testSegmentId, {}, true)) {
        wire(id, r, &Rehearsal::cleanupFinished, &TrustService::rehearsalCleanedUp);
        r->cleanup(earlier);
    }
}

void TrustService::cleanupOpenRehearsal(RequestId id, qint64 checkId)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto open = TrustStore(*ws).openRehearsalById(checkId);
    if (!open) {
        Q_EMIT failed(id, open.error());
        return;
    }
    if (!*open) {
        Q_EMIT failed(id, SyncError::make(SyncError::Category::NotFound,
                                          QStringLiteral("no open rehearsal %1: it is cleaned up "
                                                         "already, or there is no such rehearsal")
                                              .arg(checkId)));
        // Someone else may have cleaned it: the lists show what is open now.
        loadOpenRehearsals(0);
        return;
    }
    cleanupRehearsal(id, (*open)->rehearsal);
}

void TrustService::spotCheck(RequestId id, qint64 mappingId, int count, const QStringList& named)
{
    auto m = mapping(mappingId);
    if (!m) {
        Q_EMIT failed(id, m.error());
        return;
    }
    ServiceConfig config;
    if (!services(id, &config))
        return;
    SpotCheckOptions options;
    options.count = std::clamp(count, 0, SpotCheckOptions::kMaxPeople);
    options.named = named;
    options.queriesPerHour = m_host.context().queriesPerHour();
    auto* check = new SpotCheck(*m_host.workspace(), m_host.http(), config, m_host.clock(), *m,
                                options, this);
    wire(id, check, &SpotCheck::finished, &TrustService::spotCheckFinished);
    check->start();
}

void TrustService::adviseIdentity(RequestId id, const Mapping& draft, int sample)
{
    Mapping subject = draft;
    if (draft.id > 0) {
        auto stored = mapping(draft.id);
        if (!stored) {
            Q_EMIT failed(id, stored.error());
            return;
        }
        subject = *stored;
    }
    ServiceConfig config;
    if (!services(id, &config))
        return;
    IdentityAdviceOptions options;
    options.sample = sample;
    options.queriesPerHour = m_host.context().queriesPerHour();
    auto* advisor = new IdentityAdvisor(*m_host.workspace(), m_host.http(), config, m_host.clock(),
                                        subject, options, this);
    wire(id, advisor, &IdentityAdvisor::finished, &TrustService::identityAdvised);
    advisor->start();
}

void TrustService::reviewStability(RequestId id, qint64 mappingId, const QString& by)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto m = MappingRepository(*ws).get(mappingId);
    if (!m) {
        Q_EMIT failed(id, m.error());
        return;
    }
    auto settings = readWorkspaceSettings(*ws);
    if (!settings) {
        Q_EMIT failed(id, settings.error());
        return;
    }
    auto review = ChecklistEvaluator(*ws, settings->checklistRules())
                      .reviewStability(*m, by, m_host.clock()->nowMs());
    if (!review) {
        Q_EMIT failed(id, review.error());
        return;
    }
    loadChecklists(id);
}

TrustRequests::TrustRequests(TrustService* service, RequestRouter* router, QObject* parent)
    : QObject(parent), m_service(service), m_router(router)
{
    connect(service, &QueryService::failed, router, &RequestRouter::fail);
    connect(service, &TrustService::progress, router, &RequestRouter::progress);
    answerFrom(router, service, &TrustService::segmentsLoaded);
    answerFrom(router, service, &TrustService::queryBudgetLoaded, this,
               [this](const QueryBudgetState& b) { Q_EMIT queryBudgetLoaded(b); });
    answerFrom(router, service, &TrustService::checklistsLoaded, this,
               [this](const QList<RolloutChecklist>& c) { Q_EMIT checklistsLoaded(c); });
    answerFrom(router, service, &TrustService::rehearsalFinished);
    answerFrom(router, service, &TrustService::rehearsalCleanedUp);
    answerFrom(router, service, &TrustService::openRehearsalLoaded);
    answerFrom(router, service, &TrustService::openRehearsalsLoaded, this,
               [this](const QList<OpenRehearsal>& o) { Q_EMIT openRehearsalsLoaded(o); });
    answerFrom(router, service, &TrustService::spotCheckFinished);
    answerFrom(router, service, &TrustService::identityAdvised);
}

Pending<QList<SegmentChoice>> TrustRequests::loadSegments()
{
    return ask<QList<SegmentChoice>>(m_router, m_service,
                                     [](TrustService* s, RequestId id) { s->loadSegments(id); });
}

Pending<QueryBudgetState> TrustRequests::loadQueryBudget()
{
    return ask<QueryBudgetState>(m_router, m_service,
                                 [](TrustService* s, RequestId id) { s->loadQueryBudget(id); });
}

Pending<QList<RolloutChecklist>> TrustRequests::loadChecklists()
{
    return ask<QList<RolloutChecklist>>(
        m_router, m_service, [](TrustService* s, RequestId id) { s->loadChecklists(id); });
}

Pending<QList<RolloutChecklist>> TrustRequests::setLatencyExpectation(qint64 mappingId, int minutes)
{
    return ask<QList<RolloutChecklist>>(m_router, m_service,
                                        [mappingId, minutes](TrustService* s, RequestId id) {
                                            s->setLatencyExpectation(id, mappingId, minutes);
                                        });
}

Pending<RehearsalResult> TrustRequests::rehearse(qint64 mappingId, qint64 testSegmentId,
                                                 const QString& by)
{
    return ask<RehearsalResult>(m_router, m_service,
                                [mappingId, testSegmentId, by](TrustService* s, RequestId id) {
                                    s->rehearse(id, mappingId, testSegmentId, by);
                                });
}

Pending<RehearsalCleanup> TrustRequests::cleanupOpenRehearsal(qint64 checkId)
{
    return ask<RehearsalCleanup>(m_router, m_service, [checkId](TrustService* s, RequestId id) {
        s->cleanupOpenRehearsal(id, checkId);
    });
}

Pending<QList<OpenRehearsal>> TrustRequests::openRehearsals()
{
    return ask<QList<OpenRehearsal>>(
        m_router, m_service, [](TrustService* s, RequestId id) { s->loadOpenRehearsals(id); });
}

Pending<RehearsalCleanup> TrustRequests::cleanupRehearsal(const RehearsalResult& earlier)
{
    return ask<RehearsalCleanup>(m_router, m_service, [earlier](TrustService* s, RequestId id) {
        s->cleanupRehearsal(id, earlier);
    });
}

Pending<RehearsalResult> TrustRequests::openRehearsal(qint64 mappingId)
{
    return ask<RehearsalResult>(m_router, m_service, [mappingId](TrustService* s, RequestId id) {
        s->loadOpenRehearsal(id, mappingId);
    });
}

Pending<SpotCheckResult> TrustRequests::spotCheck(qint64 mappingId, int count,
                                                  const QStringList& named)
{
    return ask<SpotCheckResult>(m_router, m_service,
                                [mappingId, count, named](TrustService* s, RequestId id) {
                                    s->spotCheck(id, mappingId, count, named);
                                });
}

Pending<IdentityAdvice> TrustRequests::adviseIdentity(const Mapping& mapping, int sample)
{
    return ask<IdentityAdvice>(m_router, m_service,
                               [mapping, sample](TrustService* s, RequestId id) {
                                   s->adviseIdentity(id, mapping, sample);
                               });
}

Pending<QList<RolloutChecklist>> TrustRequests::reviewStability(qint64 mappingId, const QString& by)
{
    return ask<QList<RolloutChecklist>>(
        m_router, m_service,
        [mappingId, by](TrustService* s, RequestId id) { s->reviewStability(id, mappingId, by); });
}

} // namespace lockstep
