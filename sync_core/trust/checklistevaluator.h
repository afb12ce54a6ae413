// Computes a mapping's rollout checklist from evidence only: stored trust checks (spot
// check, rehearsal, cohort definition, stability review) made with the mapping's current
// identity, mode, property and cohort name (and segment, for the stability review), the
// naming convention, the segment owner, health monitor and decision, the latency
// expectation and the reporting plan. No network: run the checks to produce the evidence.
#pragma once

#include "audit/namingconvention.h"
#include "trustrecords.h"
#include "truststore.h"
#include "util/result.h"

namespace lockstep {

class Workspace;

namespace checklistitem {
inline constexpr char kIdentityVerified[] = "identity_verified";
inline constexpr char kRehearsalPassed[] = "rehearsal_passed";
inline constexpr char kNameConvention[] = "name_convention";
inline constexpr char kSegmentOwnerSet[] = "segment_owner_set";
inline constexpr char kHealthMonitorSet[] = "health_monitor_set";
inline constexpr char kDecisionSet[] = "decision_set";
inline constexpr char kLatencyExpectationSet[] = "latency_expectation_set";
inline constexpr char kSegmentStabilityReviewed[] = "segment_stability_reviewed";
inline constexpr char kReportingPlanSet[] = "reporting_plan_set";
inline constexpr char kCohortDefinitionCreated[] = "cohort_definition_created";
} // namespace checklistitem

class ChecklistEvaluator
{
public:
    // The workspace's rules (WorkspaceSettings::checklistRules()): no default, so the
    // checklist never judges by another convention or threshold than the rest.
    ChecklistEvaluator(Workspace& ws, ChecklistRules rules) : m_ws(ws), m_rules(std::move(rules)) {}

    Result<RolloutChecklist> evaluate(const Mapping& m);

    // Records that `by` reviewed the segment's stability now (`atMs`), with the median daily
    // churn the size history shows: the evidence of segment_stability_reviewed.
    Result<TrustCheckRecord> reviewStability(const Mapping& m, const QString& by, qint64 atMs);
    // What a stability review's evidence depends on: the trust fingerprint and the segment.
    static QJsonObject stabilityFingerprint(const Mapping& m);
    // Who made the newest stability review with `m` as it is now ("" when nobody did).
    static Result<QString> currentStabilityReviewer(Workspace& ws, const Mapping& m);

private:
    Result<ChecklistItem> stabilityItem(const Mapping& m);

    Workspace& m_ws;
    ChecklistRules m_rules;
};

} // namespace lockstep
