#include "workspaceaudit.h"

#include "audit/namingauditor.h"
#include "checklistevaluator.h"
#include "store/mappingrepository.h"
#include "util/clock.h"

namespace lockstep {

Result<AuditReport> auditWorkspace(Workspace& ws, const ChecklistRules& rules, const Clock& clock)
{
    auto mappings = MappingRepository(ws).list();
    if (!mappings)
        return mappings.error();
    auto report = auditMappings(*mappings, rules.naming, clock.nowMs());
    if (!report)
        return report;
    // The rollout checklist travels with the audit: the same evidence `lockstep checklist
    // --offline` reads (stored checks, names, owners, decision, latency expectation,
    // stability review, reporting plan).
    ChecklistEvaluator evaluator(ws, rules);
    for (const Mapping& m : *mappings) {
        auto list = evaluator.evaluate(m);
        if (!list)
            return list.error();
        report->checklists.append(
            AuditChecklist{m.id, m.segmentId, m.segmentName, m.cohortName, list->items});
    }
    return report;
}

Result<AuditReport> auditWorkspace(Workspace& ws, const ChecklistRules& rules)
{
    return auditWorkspace(ws, rules, *Clock::system());
}

} // namespace lockstep
