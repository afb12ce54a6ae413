#include "workspaceaudit.h"

#include "audit/namingauditor.h"
#include "checklistevaluator.h"
#include "health/overlapviews.h"
#include "store/mappingrepository.h"
#include "util/clock.h"

#include <QHash>
#include <QLocale>

namespace lockstep {

Status auditExports(Workspace& ws, const QList<Mapping>& mappings, AuditReport& report)
{
    static const QLocale en(QLocale::English, QLocale::UnitedStates);
    QList<Mapping> active;
    for (const Mapping& m : mappings)
        if (!m.paused)
            active.append(m);
    if (active.size() > kManyMappingsNote) {
        AuditFinding f;
        f.severity = FindingSeverity::Info;
        f.code = QString::fromLatin1(finding::kManyMappings);
        f.message = QStringLiteral("%1 mappings are active. Every cohort exported is one more to "
                                   "keep trusted and to look at: start with 5–10 that map to "
                                   "core plays, and pause the rest.")
                        .arg(active.size());
        report.findings.append(f);
    }
    // Near-identical memberships, over the latest snapshots: by person where both have
    // their people, so one cohort keyed by id and its e-mail twin are found too.
    auto views = loadOverlapViews(ws, mappings);
    if (!views)
        return views.error();
    QList<qint64> ids;
    QHash<qint64, const Mapping*> byId;
    for (const Mapping& m : mappings) {
        ids.append(m.id);
        byId.insert(m.id, &m);
    }
    for (const NearIdenticalPair& p : nearIdenticalPairs(**views, ids, kNearIdenticalJaccard)) {
        const Mapping& a = *byId.value(p.stats.mappingA);
        const Mapping& b = *byId.value(p.stats.mappingB);
        AuditFinding f;
        f.severity = FindingSeverity::Warning;
        f.code = QString::fromLatin1(finding::kNearIdenticalCohorts);
        f.mappingId = a.id;
        f.segmentId = a.segmentId;
        f.segmentName = a.segmentName;
        f.cohortName = a.cohortName;
        f.relatedMappingId = b.id;
        f.message =
            QStringLiteral("“%1” and “%2” hold near-identical %3 (Jaccard %4: %5 shared of %6 "
                           "and %7). One cohort would do: keep the one the team reports on "
                           "and retire the other.")
                .arg(a.cohortName, b.cohortName,
                     p.byPerson ? QStringLiteral("people") : QStringLiteral("members"),
                     QString::number(p.stats.jaccard(), 'f', 3),
                     en.toString(qulonglong(p.stats.intersection)),
                     en.toString(qulonglong(p.stats.sizeA)),
                     en.toString(qulonglong(p.stats.sizeB)));
        report.findings.append(f);
    }
    return {};
}

Result<AuditReport> auditWorkspace(Workspace& ws, const ChecklistRules& rules, const Clock& clock)
{
    auto mappings = MappingRepository(ws).list();
    if (!mappings)
        return mappings.error();
    auto report = auditMappings(*mappings, rules.naming, clock.nowMs());
    if (!report)
        return report;
    if (auto st = auditExports(ws, *mappings, *report); !st)
        return st.error();
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
