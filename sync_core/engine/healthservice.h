// Health, overlap, identity mismatches and the audit across the seam: HealthService
// answers in the engine thread, HealthRequests asks from the caller's thread (pending.h).
#pragma once

#include "pending.h"
#include "queryworker.h"

namespace lockstep {

class HealthService : public QueryService
{
    Q_OBJECT
public:
    using QueryService::QueryService;

    void loadSizeHistory(RequestId id, const QList<qint64>& mappingIds, int days, int maxPoints);
    void loadAlerts(RequestId id, bool includeResolved);
    // Answers with the open alerts after it; then announces the mappings' health (id 0).
    void acknowledgeAlert(RequestId id, qint64 alertId, const QString& by);
    // Every mapping's pending held exits.
    void loadHeldExits(RequestId id);
    // Closes the hold keeping its members, re-judges the mapping's health, answers with
    // the holds still pending; then announces the mappings' health (id 0).
    void discardHeldExits(RequestId id, qint64 mappingId, qint64 heldId, const QString& by);
    // Verifies Mixpanel cohort counts (one /cohorts/list, when the query API is
    // configured), evaluates every health rule and watched pair, answers evaluated(),
    // then announces the mappings' health (id 0).
    void evaluate(RequestId id);
    void loadMappingHealth(RequestId id);
    void loadOverlap(RequestId id);
    // Both answer with the overlap as it is after the change.
    void addWatchedPair(RequestId id, const WatchedPair& pair);
    void removeWatchedPair(RequestId id, qint64 mappingA, qint64 mappingB);
    // Identity mismatches of the latest runs; mappingId 0 = every mapping.
    void loadMismatches(RequestId id, qint64 mappingId);
    void loadAudit(RequestId id);

Q_SIGNALS:
    void sizeHistoryLoaded(lockstep::RequestId id, const lockstep::SizeHistoryData& data);
    void alertsLoaded(lockstep::RequestId id, const QList<lockstep::Alert>& alerts);
    void heldExitsLoaded(lockstep::RequestId id, const QList<lockstep::HeldExits>& held);
    void evaluated(lockstep::RequestId id, const lockstep::HealthEvaluation& evaluation);
    void mappingHealthLoaded(lockstep::RequestId id, const QList<lockstep::MappingHealth>& health);
    void overlapLoaded(lockstep::RequestId id, const lockstep::OverlapData& data);
    void mismatchesLoaded(lockstep::RequestId id,
                          const QList<lockstep::StoredMismatch>& mismatches);
    void auditLoaded(lockstep::RequestId id, const lockstep::AuditReport& report);

private:
    void evaluateStored(RequestId id, const QList<qint64>& openBefore);

    bool m_verifying = false;
};

class HealthRequests : public QObject
{
    Q_OBJECT
public:
    HealthRequests(HealthService* service, RequestRouter* router, QObject* parent = nullptr);

    // The size history of the mappings over the last `days`, at most `maxPoints` each.
    Pending<SizeHistoryData> loadSizeHistory(const QList<qint64>& mappingIds, int days,
                                             int maxPoints = 400);
    Pending<QList<Alert>> loadAlerts(bool includeResolved = false);
    // The open alerts after the acknowledgement.
    Pending<QList<Alert>> acknowledgeAlert(qint64 alertId, const QString& by);
    // Every mapping's pending held exits (mass-exit safeguard), newest first.
    Pending<QList<HeldExits>> loadHeldExits();
    // Keeps the members of the mapping's hold `heldId` (nothing is sent): the holds still
    // pending; a failure when a later run or another console decided it first.
    Pending<QList<HeldExits>> discardHeldExits(qint64 mappingId, qint64 heldId, const QString& by);
    Pending<HealthEvaluation> evaluate();
    Pending<QList<MappingHealth>> loadMappingHealth();
    Pending<OverlapData> loadOverlap();
    Pending<OverlapData> addWatchedPair(const WatchedPair& pair);
    Pending<OverlapData> removeWatchedPair(qint64 mappingA, qint64 mappingB);
    Pending<QList<StoredMismatch>> loadMismatches(qint64 mappingId = 0);
    Pending<AuditReport> loadAudit();

Q_SIGNALS:
    // Announced whenever the engine has read them, whoever asked (the Mappings table shows
    // them; an acknowledgement and an evaluation reload them on their own).
    void mappingHealthLoaded(const QList<lockstep::MappingHealth>& health);
    // Announced after every evaluation: every open alert, and those it raised.
    void healthEvaluated(const QList<lockstep::Alert>& open, const QList<lockstep::Alert>& raised);
    // Emitted at once when an evaluation is asked for (it reloads the alerts).
    void evaluating();

private:
    HealthService* m_service;
    RequestRouter* m_router;
};

} // namespace lockstep
