// What a health rule concludes about one mapping: which rule, how bad, and a message
// written for the operator (what happened, why it matters, what to do).
#pragma once

#include <QString>

namespace lockstep {

enum class AlertSeverity
{
    Info,
    Warning,
    Critical
};
QString alertSeverityName(AlertSeverity s); // "info", "warning", "critical"
AlertSeverity parseAlertSeverity(const QString& s);

// Stable rule ids: stored in the alerts table and shown in `lockstep status --json`.
namespace rule {
inline constexpr char kSizeCollapse[] = "size_collapse";
inline constexpr char kWeekOverWeek[] = "week_over_week";
inline constexpr char kChurn[] = "churn";
inline constexpr char kStaleSync[] = "stale_sync";
inline constexpr char kSegmentNotReady[] = "segment_not_ready";
inline constexpr char kDrift[] = "drift";
inline constexpr char kMatchRate[] = "match_rate";
inline constexpr char kUnknownProfiles[] = "unknown_profiles";
inline constexpr char kMassExit[] = "mass_exit";
inline constexpr char kDefinitionChanged[] = "definition_changed";
inline constexpr char kWatchedOverlap[] = "watched_overlap";
} // namespace rule

struct HealthFinding
{
    qint64 mappingId = 0;
    QString rule;    // one of rule::*
    QString subject; // distinguishes several alerts of one rule (e.g. "pair:3:7")
    AlertSeverity severity = AlertSeverity::Warning;
    QString message;
    double value = 0; // the measured figure (percent, ratio, hours...) for sorting
};

} // namespace lockstep
