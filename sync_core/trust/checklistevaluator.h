// Computes a mapping's rollout checklist from evidence only: stored trust checks
// (spot check, rehearsal, cohort definition) made with the mapping's current identity,
// mode, property and cohort name, the naming convention, the owner and decision, and
// the latency expectation. No network: run the checks to produce the evidence.
#pragma once

#include "audit/namingconvention.h"
#include "trustrecords.h"
#include "util/result.h"

namespace lockstep {

class Workspace;

namespace checklistitem {
inline constexpr char kIdentityVerified[] = "identity_verified";
inline constexpr char kRehearsalPassed[] = "rehearsal_passed";
inline constexpr char kNameConvention[] = "name_convention";
inline constexpr char kOwnerSet[] = "owner_set";
inline constexpr char kDecisionSet[] = "decision_set";
inline constexpr char kLatencyExpectationSet[] = "latency_expectation_set";
inline constexpr char kCohortDefinitionCreated[] = "cohort_definition_created";
} // namespace checklistitem

class ChecklistEvaluator
{
public:
    // The workspace's convention (WorkspaceSettings::naming): no default, so the
    // checklist never judges names by another convention than the audit's.
    ChecklistEvaluator(Workspace& ws, NamingConvention convention)
        : m_ws(ws), m_convention(std::move(convention))
    {}

    Result<RolloutChecklist> evaluate(const Mapping& m);

private:
    Workspace& m_ws;
    NamingConvention m_convention;
};

} // namespace lockstep
