// One verdict per mapping: can its Mixpanel cohort be trusted now? Judged here only, from
// the last run's status, the open alerts, the newest verification in Mixpanel and the
// rollout checklist; the Mappings and Health pages, `lockstep status` and the tray all
// show this value, so they cannot disagree.
#pragma once

#include "health/alert.h"
#include "store/records.h"
#include "trustrecords.h"
#include "util/result.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace lockstep {

class Clock;
class Workspace;
struct ChecklistRules;

enum class VerdictState
{
    NotSyncedYet,
    Trusted,
    Degraded,
    Broken
};
QString verdictStateName(VerdictState s); // "not_synced_yet", "trusted", "degraded", "broken"
std::optional<VerdictState> parseVerdictState(const QString& s);

// Stable codes of the reasons that are not an alert's rule.
namespace verdictreason {
inline constexpr char kNeverSynced[] = "never_synced";
inline constexpr char kLastRunFailed[] = "last_run_failed";
inline constexpr char kLastRunPartial[] = "last_run_partial";
inline constexpr char kLastRunInterrupted[] = "last_run_interrupted";
inline constexpr char kLastRunCancelled[] = "last_run_cancelled";
inline constexpr char kLastRunSkipped[] = "last_run_skipped";
inline constexpr char kValueMissing[] = "value_missing";
inline constexpr char kPaused[] = "paused";
} // namespace verdictreason

struct VerdictReason
{
    QString code; // a verdictreason, an alert's rule or a checklist item
    AlertSeverity severity = AlertSeverity::Warning; // Critical: it breaks the mapping
    QString text;                                    // one or two sentences for the operator

    bool operator==(const VerdictReason&) const = default;
};

struct MappingVerdict
{
    qint64 mappingId = 0;
    VerdictState state = VerdictState::NotSyncedYet;
    QList<VerdictReason> reasons; // why it is not Trusted, worst first; empty when Trusted
    qint64 lastSyncMs = 0;        // end of the last successful sync; 0 = never
    // A run that ended after it without succeeding (failed, skipped, ...), shown beside it.
    std::optional<RunStatus> laterRunStatus;
    qint64 laterRunAtMs = 0;
    QString laterRunMessage;

    QString label() const;   // "Trusted", "Degraded", "Broken", "Not synced yet"
    QString summary() const; // the label and the reasons, e.g. "Broken: the last run failed..."
    // "verdict", "verdict_reasons", "last_sync_ms" (null when never) and, when there was
    // one, "later_run": the keys `lockstep status --json` adds to each mapping.
    QJsonObject toJson() const;

    bool operator==(const MappingVerdict&) const = default;
};

struct VerdictInput
{
    Mapping mapping;
    std::optional<RunRecord> lastEnded;     // RunRepository::lastEnded
    std::optional<RunRecord> lastSucceeded; // RunRepository::lastSucceeded
    std::optional<RunRecord> lastVerified;  // RunRepository::lastVerified
    QList<Alert> openAlerts;                // the mapping's, and the pairs it belongs to
    std::optional<RolloutChecklist> checklist;
};

MappingVerdict judgeMapping(const VerdictInput& in);

// Whether an alert concerns the mapping: filed under it, or a pair alert naming it.
bool alertConcerns(const Alert& a, qint64 mappingId);

// Gathers each input from the workspace and judges. Alerts are read as stored: evaluate
// the health rules first.
Result<MappingVerdict> readVerdict(Workspace& ws, const Mapping& m, const QList<Alert>& openAlerts,
                                   const ChecklistRules& rules);
// Every mapping's verdict, in the repository's order.
Result<QList<MappingVerdict>> readVerdicts(Workspace& ws, const Clock& clock,
                                           const ChecklistRules& rules);

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::MappingVerdict)
