// One item of a mapping's rollout checklist: made by the trust checks
// (ChecklistEvaluator), exported with the audit (AuditChecklist).
#pragma once

#include <QString>

namespace lockstep {

struct ChecklistItem
{
    QString key; // identity_verified, rehearsal_passed, name_convention, owner_set,
                 // decision_set, latency_expectation_set, cohort_definition_created
    QString title;
    bool done = false;
    QString evidence;    // what made it green, or what is missing
    bool failed = false; // a check made with the mapping as it is now failed (not just missing)
};

} // namespace lockstep
