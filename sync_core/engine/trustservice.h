// The console's trust checks across the seam: TrustService runs them in the engine thread,
// TrustRequests asks for them from the caller's thread (pending.h).
#pragma once

#include "pending.h"
#include "queryworker.h"

namespace lockstep {

struct ServiceConfig;
class Rehearsal;

class TrustService : public QueryService
{
    Q_OBJECT
public:
    using QueryService::QueryService;

    // The workspace's Customer.io segments with their sizes (for picking a test segment).
    void loadSegments(RequestId id);
    void loadQueryBudget(RequestId id);
    // The rollout checklist of every mapping.
    void loadChecklists(RequestId id);
    // The operator's documented latency expectation (0 clears it); re-evaluates the
    // latency alert and answers with the checklists.
    void setLatencyExpectation(RequestId id, qint64 mappingId, int minutes);
    // The checks: progress() as they go, then their answer or failed(); after each the
    // budget and the checklists are announced (id 0).
    // `by`: who runs it, kept with the result (empty: unknown).
    void rehearse(RequestId id, qint64 mappingId, qint64 testSegmentId, const QString& by);
    // Removes the temporary value an earlier rehearsal wrote, and verifies it is gone.
    void cleanupRehearsal(RequestId id, const RehearsalResult& earlier);
    // The same for the open rehearsal stored as trust check `checkId` (as listed by
    // loadOpenRehearsals); fails when it is not open (unknown, or cleaned up already).
    void cleanupOpenRehearsal(RequestId id, qint64 checkId);
    // The mapping's rehearsal whose temporary value was not cleaned up (TrustStore::
    // openRehearsal); a result with an empty value when there is none.
    void loadOpenRehearsal(RequestId id, qint64 mappingId);
    // Every rehearsal of the workspace whose value is still on profiles (TrustStore::
    // openRehearsals). Also announced (id 0) after every check.
    void loadOpenRehearsals(RequestId id);
    void spotCheck(RequestId id, qint64 mappingId, int count, const QStringList& named);
    // Which identifier Mixpanel knows the people of `mapping` by: a stored mapping (its id),
    // or one being set up (id 0: its segment and key).
    void adviseIdentity(RequestId id, const Mapping& mapping, int sample);
    // Records that `by` reviewed the segment's stability; answers with the checklists.
    void reviewStability(RequestId id, qint64 mappingId, const QString& by);

Q_SIGNALS:
    void segmentsLoaded(lockstep::RequestId id, const QList<lockstep::SegmentChoice>& segments);
    void queryBudgetLoaded(lockstep::RequestId id, const lockstep::QueryBudgetState& budget);
    void checklistsLoaded(lockstep::RequestId id,
                          const QList<lockstep::RolloutChecklist>& checklists);
    void progress(lockstep::RequestId id, const QString& step);
    void rehearsalFinished(lockstep::RequestId id, const lockstep::RehearsalResult& result);
    void rehearsalCleanedUp(lockstep::RequestId id, const lockstep::RehearsalCleanup& cleanup);
    void openRehearsalLoaded(lockstep::RequestId id, const lockstep::RehearsalResult& open);
    void openRehearsalsLoaded(lockstep::RequestId id, const QList<lockstep::OpenRehearsal>& open);
    void spotCheckFinished(lockstep::RequestId id, const lockstep::SpotCheckResult& result);
    void identityAdvised(lockstep::RequestId id, const lockstep::IdentityAdvice& advice);

private:
    // `evenDeleted`: also a deleted mapping (cleaning up what it left on profiles).
    Result<Mapping> mapping(qint64 mappingId, bool evenDeleted = false);
    // The services a check talks to; false (and `id` failed) when they are not set up.
    bool services(RequestId id, ServiceConfig* out);
    // A rehearsal of the mapping, or null (and `id` failed) when it cannot be made.
    // `evenDeleted`: a clean-up, which a deleted mapping's rehearsal still needs.
    Rehearsal* newRehearsal(RequestId id, qint64 mappingId, qint64 testSegmentId,
                            const QString& by = {}, bool evenDeleted = false);
    void checkOver();
    template <typename Check, typename Answer>
    void wire(RequestId id, Check* check, void (Check::*done)(const Answer&),
              void (TrustService::*answer)(RequestId, const Answer&));
};

class TrustRequests : public QObject
{
    Q_OBJECT
public:
    TrustRequests(TrustService* service, RequestRouter* router, QObject* parent = nullptr);

    Pending<QList<SegmentChoice>> loadSegments();
    Pending<QueryBudgetState> loadQueryBudget();
    Pending<QList<RolloutChecklist>> loadChecklists();
    // The checklists after the change.
    Pending<QList<RolloutChecklist>> setLatencyExpectation(qint64 mappingId, int minutes);
    // These report onProgress() as they go.
    Pending<RehearsalResult> rehearse(qint64 mappingId, qint64 testSegmentId,
                                      const QString& by = {});
    Pending<RehearsalCleanup> cleanupRehearsal(const RehearsalResult& earlier);
    // An open rehearsal by its id (OpenRehearsal::checkId).
    Pending<RehearsalCleanup> cleanupOpenRehearsal(qint64 checkId);
    // An empty value: nothing left to clean up.
    Pending<RehearsalResult> openRehearsal(qint64 mappingId);
    // Every rehearsal whose temporary value is still on profiles, oldest first.
    Pending<QList<OpenRehearsal>> openRehearsals();
    Pending<SpotCheckResult> spotCheck(qint64 mappingId, int count, const QStringList& named = {});
    // The identity advisor; reports onProgress() too.
    Pending<IdentityAdvice> adviseIdentity(const Mapping& mapping,
                                           int sample = IdentityAdviceOptions::kDefaultSample);
    // The checklists after the review is recorded.
    Pending<QList<RolloutChecklist>> reviewStability(qint64 mappingId, const QString& by);

Q_SIGNALS:
    // Announced whenever the engine has read them, whoever asked, and after every check.
    void queryBudgetLoaded(const lockstep::QueryBudgetState& budget);
    void checklistsLoaded(const QList<lockstep::RolloutChecklist>& checklists);
    void openRehearsalsLoaded(const QList<lockstep::OpenRehearsal>& open);

private:
    TrustService* m_service;
    RequestRouter* m_router;
};

} // namespace lockstep
