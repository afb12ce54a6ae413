// The naming and ownership audit: every mapping's cohort name against the convention,
// plus the findings that need all mappings at once (near duplicates, a segment mapped
// twice, one name on two segments, version gaps) and missing owner or decision.
#pragma once

#include "auditreport.h"
#include "namingconvention.h"
#include "store/records.h"
#include "util/result.h"

namespace lockstep {

// Pure: fails only when the convention's pattern does not parse. Findings are ordered
// by mapping id, then by the order the checks run.
Result<AuditReport> auditMappings(const QList<Mapping>& mappings, const NamingConvention& conv,
                                  qint64 generatedAtMs = 0);

} // namespace lockstep
