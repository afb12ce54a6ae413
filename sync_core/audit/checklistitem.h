// One item of a mapping's rollout checklist: made by the trust checks
// (ChecklistEvaluator), exported with the audit (AuditChecklist).
#pragma once

#include "namingconvention.h"

#include <QString>

namespace lockstep {

struct ChecklistItem
{
    QString key; // checklistitem::* (trust/checklistevaluator.h)
    QString title;
    bool done = false;
    QString evidence;    // what made it green, or what is missing
    bool failed = false; // a check made with the mapping as it is now failed (not just missing)
    QString url = {};    // a link the evidence names (the reporting plan's board), or ""
};

// The stability_churn_percent setting's default.
inline constexpr double kDefaultStabilityChurnPercent = 10.0;

// What the rollout checklist judges by: the workspace's settings (WorkspaceSettings::
// checklistRules()), so that every surface judges a mapping alike.
struct ChecklistRules
{
    NamingConvention naming;
    // The most median daily churn (percent) over the last 14 days a stable segment has.
    double stabilityChurnPercent = kDefaultStabilityChurnPercent;
};

} // namespace lockstep
