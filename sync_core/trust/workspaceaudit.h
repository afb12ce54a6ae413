// The audit of a workspace: its mappings' naming and ownership findings (auditMappings)
// with each mapping's rollout checklist. Here rather than in audit/ because the
// checklist is made from the trust checks, and audit/ is the layer below trust/.
#pragma once

#include "audit/auditreport.h"
#include "audit/checklistitem.h"
#include "audit/namingconvention.h"
#include "store/records.h"
#include "util/result.h"

namespace lockstep {

class Clock;
class Workspace;

// Over-exporting: a finding for each pair of cohorts whose latest snapshots are
// near-identical (Jaccard at least kNearIdenticalJaccard, by person where known), and a
// note when more than kManyMappingsNote mappings are active.
inline constexpr double kNearIdenticalJaccard = 0.9;
inline constexpr int kManyMappingsNote = 10;
Status auditExports(Workspace& ws, const QList<Mapping>& mappings, AuditReport& report);

// Audits the workspace's current (not deleted) mappings; the CLI's `lockstep audit`.
// Names are judged by rules.naming.
Result<AuditReport> auditWorkspace(Workspace& ws, const ChecklistRules& rules);
Result<AuditReport> auditWorkspace(Workspace& ws, const ChecklistRules& rules, const Clock& clock);

} // namespace lockstep
