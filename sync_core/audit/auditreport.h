// The naming and ownership audit of a workspace's mappings, as plain values that the
// Audit page shows and the exporters write.
#pragma once

#include "checklistitem.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace lockstep {

enum class FindingSeverity
{
    Info,
    Warning,
    Error
};
QString findingSeverityName(FindingSeverity s); // "info", "warning", "error"

// Stable finding codes (exported; scripts filter on them).
namespace finding {
inline constexpr char kMissingPrefix[] = "missing_prefix";
inline constexpr char kPrefixCase[] = "prefix_case";
inline constexpr char kPartCount[] = "part_count";
inline constexpr char kEmptyPart[] = "empty_part";
inline constexpr char kWindowFormat[] = "window_format";
inline constexpr char kVersionFormat[] = "version_format";
inline constexpr char kIntentCase[] = "intent_case";
inline constexpr char kSpacing[] = "spacing";
inline constexpr char kPatternMismatch[] = "pattern_mismatch";
inline constexpr char kNearDuplicate[] = "near_duplicate";
inline constexpr char kSegmentMappedTwice[] = "segment_mapped_twice";
inline constexpr char kNameOnTwoSegments[] = "name_on_two_segments";
inline constexpr char kVersionGap[] = "version_gap";
inline constexpr char kMissingOwner[] = "missing_owner";
inline constexpr char kMissingDecision[] = "missing_decision";
// Over-exporting: two cohorts with near-identical members (one would do), and more active
// mappings than a team can watch.
inline constexpr char kNearIdenticalCohorts[] = "near_identical_cohorts";
inline constexpr char kManyMappings[] = "many_mappings";
} // namespace finding

struct AuditFinding
{
    FindingSeverity severity = FindingSeverity::Warning;
    QString code; // one of finding::*
    qint64 mappingId = 0;
    qint64 segmentId = 0;
    QString segmentName;
    QString cohortName;
    QString message;
    QString suggestedName;       // empty when no safe rename can be derived
    qint64 relatedMappingId = 0; // the other mapping of a pair finding
};

// One mapping's rollout checklist as the audit exports it: the mapping's
// names next to the checklist items, so a shared export stands on its own.
struct AuditChecklist
{
    qint64 mappingId = 0;
    qint64 segmentId = 0;
    QString segmentName;
    QString cohortName;
    QList<ChecklistItem> items; // in checklist order

    bool ready() const;
    int doneCount() const;
    QStringList missingTitles() const;
};

struct AuditReport
{
    qint64 generatedAtMs = 0;
    QString pattern; // the naming pattern the names were checked against
    int mappingCount = 0;
    QList<AuditFinding> findings;
    // The rollout checklist of every mapping (filled by auditWorkspace; empty when the
    // report was made from mappings alone).
    QList<AuditChecklist> checklists;

    int count(FindingSeverity s) const
    {
        int n = 0;
        for (const AuditFinding& f : findings)
            n += f.severity == s ? 1 : 0;
        return n;
    }
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::AuditFinding)
Q_DECLARE_METATYPE(lockstep::AuditReport)
