// The audit of a workspace: its mappings' naming and ownership findings (auditMappings)
// with each mapping's rollout checklist. Here rather than in audit/ because the
// checklist is made from the trust checks, and audit/ is the layer below trust/.
#pragma once

#include "audit/auditreport.h"
#include "audit/namingconvention.h"
#include "util/result.h"

namespace lockstep {

class Clock;
class Workspace;

// Audits the workspace's current (not deleted) mappings; the CLI's `lockstep audit`.
Result<AuditReport> auditWorkspace(Workspace& ws, const NamingConvention& conv);
Result<AuditReport> auditWorkspace(Workspace& ws, const NamingConvention& conv, const Clock& clock);

} // namespace lockstep
