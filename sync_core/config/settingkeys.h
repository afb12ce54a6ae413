// Every key of the workspace's settings table in one table: its name, type, default,
// scope, valid values and what it is for. Code reads and writes a setting through a
// typed handle (keys::FullResyncDays is a Key<double>) with Settings; the command line
// finds keys by name here. A handle names a row of the table, checked when compiling.
#pragma once

#include "audit/checklistitem.h"
#include "audit/namingconvention.h"
#include "health/healththresholds.h"
#include "util/result.h"

#include <QString>

#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace lockstep {

enum class SettingType
{
    Integer, // a whole number in [min, max]
    Number,  // a decimal number in [min, max]
    Pattern, // a naming convention in NamingPattern's syntax
    Text,    // any text
};

enum class SettingScope
{
    Workspace, // an operator's setting: `lockstep config`, the Settings dialog
    Engine,    // bookkeeping the engine keeps in the same table; nobody sets it by hand
};

struct SettingKey
{
    const char* name;     // what `lockstep config` takes
    const char* storedAs; // the key in the settings table (existing workspaces keep theirs)
    SettingType type;
    SettingScope scope;
    double fallback = 0;           // Integer and Number: the default
    const char* fallbackText = ""; // Pattern and Text: the default
    double min = 0;                // Integer and Number: the valid range, both ends included
    double max = 0;
    const char* unit = ""; // shown after numbers: "days", "%"
    // An environment variable that overrides the workspace's value for one process (the
    // engine applies it; `lockstep config` shows it), or nullptr.
    const char* env = nullptr;
    const char* description = "";

    constexpr bool isNumeric() const
    {
        return type == SettingType::Integer || type == SettingType::Number;
    }
};

namespace settingtable {

constexpr double kDays = double(HealthThresholds::kDayMs);
constexpr double kHours = kDays / 24;
constexpr HealthThresholds kHealth{};
constexpr double kMaxCount = 1e9;

using enum SettingType;
using enum SettingScope;

// The table. Defaults of health thresholds are HealthThresholds' own, so the two cannot
// disagree; durations are stored in the unit an operator thinks in (days, hours).
// Kept out of clang-format: a few lines per key read as a table.
// clang-format off
inline constexpr SettingKey kRows[] = {
    {.name = "naming_convention", .storedAs = "naming.pattern", .type = Pattern, .scope = Workspace,
     .fallbackText = kDefaultNamingPattern,
     .description = "The naming convention the audit, the rollout checklists and the mapping "
                    "editor check cohort names against (syntax: docs/HEALTH.md)."},
    {.name = "default_schedule_minutes", .storedAs = "schedule.default_minutes", .type = Integer,
     .scope = Workspace, .fallback = 60, .min = 1, .max = 7 * 24 * 60, .unit = "minutes",
     .description = "Schedule given to a new mapping when none is chosen."},
    {.name = "full_resync_days", .storedAs = "full_resync_days", .type = Number, .scope = Workspace,
     .fallback = 7, .min = 0, .max = 3650, .unit = "days",
     .description = "Resend everyone when a mapping's last full resync is older than this "
                    "(0: never)."},
    {.name = "cohort_check_minutes", .storedAs = "cohort_check_minutes", .type = Number,
     .scope = Workspace, .fallback = 10, .min = 0, .max = 24 * 60, .unit = "minutes",
     .description = "How often a sync reads the Mixpanel cohort counts back (one of the 60 "
                    "queries an hour; 0: after every sync)."},
    {.name = "exit_check_limit", .storedAs = "exit_check_limit", .type = Integer, .scope = Workspace,
     .fallback = 500, .min = 0, .max = 1000000, .unit = "exits", .env = "LOCKSTEP_EXIT_CHECK",
     .description = "Exits a run looks up in Customer.io to tell merged-away people from real "
                    "exits (0: off; `sync --exit-check N` overrides it)."},
    {.name = "exit_check_sample", .storedAs = "exit_check_sample", .type = Integer,
     .scope = Workspace, .fallback = 100, .min = 0, .max = 1000000, .unit = "exits",
     .env = "LOCKSTEP_EXIT_CHECK_SAMPLE",
     .description = "Exits a run looks up, a random sample, while the Customer.io key is busy "
                    "(other mappings of the sync still to read, or another process drawing on "
                    "the key); the merged share of the rest is estimated from it. With the key "
                    "free, every exit up to exit_check_limit is looked up."},
    {.name = "verify_sample", .storedAs = "verify_sample", .type = Integer, .scope = Workspace,
     .fallback = 1000, .min = 0, .max = 1000, .unit = "keys", .env = "LOCKSTEP_VERIFY_SAMPLE",
     .description = "Entered keys a run looks up in Mixpanel after its sends (0: off; `sync "
                    "--verify-sample N` overrides it)."},
    {.name = "verify_queries_per_hour", .storedAs = "verify_queries_per_hour", .type = Integer,
     .scope = Workspace, .fallback = 12, .min = 0, .max = 60, .unit = "queries",
     .env = "LOCKSTEP_VERIFY_QUERIES_PER_HOUR",
     .description = "Mixpanel queries the verification of entered keys may spend in any hour, "
                    "every process on the workspace together (the project has 60, shared with "
                    "every tool). The runs of one sync are verified together, up to 1000 keys a "
                    "query; their samples are cut to fit (0: no verification)."},
    {.name = "mass_exit_percent", .storedAs = "mass_exit_percent", .type = Number,
     .scope = Workspace, .fallback = 30, .min = 0, .max = 100, .unit = "%",
     .description = "A run whose exits exceed this share of the last synced size holds them "
                    "until an operator applies or discards them (0: off; a segment read empty "
                    "where 100 or more were synced is always held; a mapping may set its own)."},

    // Health rules (docs/HEALTH.md).
    {.name = "collapse_drop_percent", .storedAs = "health.collapse_drop_percent", .type = Number,
     .scope = Workspace, .fallback = kHealth.collapseDropPercent, .min = 1, .max = 100, .unit = "%",
     .description = "size_collapse: a drop this far below the recent median raises a warning."},
    {.name = "near_zero_count", .storedAs = "health.near_zero_count", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.nearZeroCount), .min = 0, .max = kMaxCount,
     .unit = "members",
     .description = "size_collapse: a segment this small after a collapse is near zero (critical)."},
    {.name = "collapse_window_days", .storedAs = "health.collapse_window_days", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.collapseMedianWindowMs) / kDays, .min = 1,
     .max = 365, .unit = "days",
     .description = "size_collapse: the earlier points within this window form the median."},
    {.name = "collapse_min_points", .storedAs = "health.collapse_min_points", .type = Integer,
     .scope = Workspace, .fallback = kHealth.collapseMinPoints, .min = 1, .max = 1000,
     .unit = "points",
     .description = "size_collapse: fewer earlier points than this give no baseline, no alert."},
    {.name = "collapse_min_baseline", .storedAs = "health.collapse_min_baseline", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.collapseMinBaseline), .min = 0,
     .max = kMaxCount, .unit = "members",
     .description = "size_collapse: a median below this is too noisy to judge."},
    {.name = "wow_swing_percent", .storedAs = "health.wow_swing_percent", .type = Number,
     .scope = Workspace, .fallback = kHealth.wowSwingPercent, .min = 1, .max = 1000, .unit = "%",
     .description = "week_over_week: a change this large against a week earlier raises a warning."},
    {.name = "wow_min_absolute", .storedAs = "health.wow_min_absolute", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.wowMinAbsolute), .min = 0, .max = kMaxCount,
     .unit = "members", .description = "week_over_week: smaller changes are ignored."},
    {.name = "wow_tolerance_hours", .storedAs = "health.wow_tolerance_hours", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.wowToleranceMs) / kHours, .min = 1, .max = 84,
     .unit = "hours",
     .description = "week_over_week: how far from exactly 7 days the earlier point may be."},
    {.name = "churn_window_days", .storedAs = "health.churn_window_days", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.churnWindowMs) / kDays, .min = 1, .max = 365,
     .unit = "days", .description = "churn: the window entered and exited are summed over."},
    {.name = "churn_ratio", .storedAs = "health.churn_ratio", .type = Number, .scope = Workspace,
     .fallback = kHealth.churnRatio, .min = 0.01, .max = 10,
     .description = "churn: (entered + exited) / (2 x mean size) at or above this raises a "
                    "warning (1: the whole cohort replaced)."},
    {.name = "churn_min_size", .storedAs = "health.churn_min_size", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.churnMinSize), .min = 0, .max = kMaxCount,
     .unit = "members", .description = "churn: smaller cohorts are not judged."},
    {.name = "stale_factor", .storedAs = "health.stale_factor", .type = Number, .scope = Workspace,
     .fallback = kHealth.staleFactor, .min = 1, .max = 100, .unit = "x schedule",
     .description = "stale_sync: no successful run for this many schedule periods is critical."},
    {.name = "not_ready_factor", .storedAs = "health.not_ready_factor", .type = Number,
     .scope = Workspace, .fallback = kHealth.notReadyFactor, .min = 1, .max = 100,
     .unit = "x schedule",
     .description = "segment_not_ready: runs skipped (segment still building) for this many "
                    "schedule periods raise a warning."},
    {.name = "drift_percent", .storedAs = "health.drift_percent", .type = Number,
     .scope = Workspace, .fallback = kHealth.driftPercent, .min = 0.1, .max = 100, .unit = "%",
     .description = "drift: Mixpanel's cohort count this far from the synced count raises a "
                    "warning."},
    {.name = "drift_min_absolute", .storedAs = "health.drift_min_absolute", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.driftMinAbsolute), .min = 0,
     .max = kMaxCount, .unit = "members", .description = "drift: smaller differences are ignored."},
    {.name = "drift_max_age_days", .storedAs = "health.drift_max_age_days", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.driftMaxAgeMs) / kDays, .min = 1, .max = 365,
     .unit = "days", .description = "drift: older verified counts are not trusted."},
    {.name = "match_rate_floor", .storedAs = "health.match_rate_floor", .type = Number,
     .scope = Workspace, .fallback = kHealth.matchRateFloor, .min = 0, .max = 1,
     .description = "match_rate: a share of members matched to a Mixpanel key below this (0 to "
                    "1) raises a warning."},
    {.name = "match_rate_min_size", .storedAs = "health.match_rate_min_size", .type = Integer,
     .scope = Workspace, .fallback = double(kHealth.matchRateMinSize), .min = 0, .max = kMaxCount,
     .unit = "members", .description = "match_rate: smaller segments are not judged."},
    {.name = "unknown_profiles_warning_percent",
     .storedAs = "health.unknown_profiles_warning_percent", .type = Number, .scope = Workspace,
     .fallback = kHealth.unknownProfilesWarningPercent, .min = 0.1, .max = 100, .unit = "%",
     .description = "unknown_profiles: this share of a run's verified entered keys unknown to "
                    "Mixpanel (or known only through what Lockstep wrote) raises a warning."},
    {.name = "unknown_profiles_critical_percent",
     .storedAs = "health.unknown_profiles_critical_percent", .type = Number, .scope = Workspace,
     .fallback = kHealth.unknownProfilesCriticalPercent, .min = 0.1, .max = 100, .unit = "%",
     .description = "unknown_profiles: this share makes the alert critical."},

    // The rollout checklist (README, Trust checks).
    {.name = "stability_churn_percent", .storedAs = "checklist.stability_churn_percent",
     .type = Number, .scope = Workspace, .fallback = kDefaultStabilityChurnPercent, .min = 0.1,
     .max = 1000, .unit = "%",
     .description = "segment_stability_reviewed: a segment whose median daily churn ((entered "
                    "+ exited) / size, per day) over the last 14 days is at most this is stable "
                    "enough to roll out."},

    // The engine's bookkeeping.
    {.name = "mixpanel_token_proven", .storedAs = "mixpanel_token_proven", .type = Text,
     .scope = Engine,
     .description = "Fingerprint of the project token and project last proven by the token "
                    "probe (never the token)."},
    {.name = "mixpanel_token_rejected", .storedAs = "mixpanel_token_rejected", .type = Text,
     .scope = Engine,
     .description = "{fingerprint, at_ms, message} of the last token found writing to another "
                    "project."},
    {.name = "cohorts_checked_at_ms", .storedAs = "cohorts_checked_at_ms", .type = Integer,
     .scope = Engine, .fallback = 0, .min = 0, .max = 9007199254740992.0, .unit = "ms",
     .description = "When a sync last read the Mixpanel cohort counts back."},
};
// clang-format on

template <typename T> consteval SettingType typeFor()
{
    if constexpr (std::is_same_v<T, QString>)
        return Text; // or Pattern
    else if constexpr (std::is_integral_v<T>)
        return Integer;
    else
        return Number;
}

} // namespace settingtable

// A typed handle on one row of the table.
template <typename T> struct Key
{
    const SettingKey* row;

    constexpr const SettingKey& operator*() const { return *row; }
    constexpr const SettingKey* operator->() const { return row; }
    // The default, typed.
    T fallback() const
    {
        if constexpr (std::is_same_v<T, QString>)
            return QString::fromUtf8(row->fallbackText);
        else
            return T(row->fallback);
    }
};

namespace settingtable {

// Finds the row when compiling; a missing row, a type that does not match it, or a
// default outside its range does not compile.
template <typename T> consteval Key<T> key(std::string_view name)
{
    for (const SettingKey& k : kRows) {
        if (std::string_view(k.name) != name)
            continue;
        const bool textual = k.type == Text || k.type == Pattern;
        if (typeFor<T>() == Text ? !textual : typeFor<T>() != k.type)
            throw "the handle's type does not match the table";
        if (k.isNumeric() && (k.fallback < k.min || k.fallback > k.max))
            throw "the default is outside the valid range";
        if (k.type == Integer && double(qint64(k.fallback)) != k.fallback)
            throw "the default of an integer key is not whole";
        return Key<T>{&k};
    }
    throw "no such key in the table";
}

} // namespace settingtable

namespace keys {
using settingtable::key;
inline constexpr auto NamingConvention = key<QString>("naming_convention");
inline constexpr auto DefaultScheduleMinutes = key<int>("default_schedule_minutes");
inline constexpr auto FullResyncDays = key<double>("full_resync_days");
inline constexpr auto CohortCheckMinutes = key<double>("cohort_check_minutes");
inline constexpr auto ExitCheckLimit = key<int>("exit_check_limit");
inline constexpr auto VerifySample = key<int>("verify_sample");
inline constexpr auto ExitCheckSample = key<int>("exit_check_sample");
inline constexpr auto VerifyQueriesPerHour = key<int>("verify_queries_per_hour");
inline constexpr auto MassExitPercent = key<double>("mass_exit_percent");

inline constexpr auto CollapseDropPercent = key<double>("collapse_drop_percent");
inline constexpr auto NearZeroCount = key<qint64>("near_zero_count");
inline constexpr auto CollapseWindowDays = key<int>("collapse_window_days");
inline constexpr auto CollapseMinPoints = key<int>("collapse_min_points");
inline constexpr auto CollapseMinBaseline = key<qint64>("collapse_min_baseline");
inline constexpr auto WowSwingPercent = key<double>("wow_swing_percent");
inline constexpr auto WowMinAbsolute = key<qint64>("wow_min_absolute");
inline constexpr auto WowToleranceHours = key<int>("wow_tolerance_hours");
inline constexpr auto ChurnWindowDays = key<int>("churn_window_days");
inline constexpr auto ChurnRatio = key<double>("churn_ratio");
inline constexpr auto ChurnMinSize = key<qint64>("churn_min_size");
inline constexpr auto StaleFactor = key<double>("stale_factor");
inline constexpr auto NotReadyFactor = key<double>("not_ready_factor");
inline constexpr auto DriftPercent = key<double>("drift_percent");
inline constexpr auto DriftMinAbsolute = key<qint64>("drift_min_absolute");
inline constexpr auto DriftMaxAgeDays = key<int>("drift_max_age_days");
inline constexpr auto MatchRateFloor = key<double>("match_rate_floor");
inline constexpr auto MatchRateMinSize = key<qint64>("match_rate_min_size");
inline constexpr auto UnknownProfilesWarningPercent =
    key<double>("unknown_profiles_warning_percent");
inline constexpr auto UnknownProfilesCriticalPercent =
    key<double>("unknown_profiles_critical_percent");

inline constexpr auto StabilityChurnPercent = key<double>("stability_churn_percent");

inline constexpr auto TokenProven = key<QString>("mixpanel_token_proven");
inline constexpr auto TokenRejected = key<QString>("mixpanel_token_rejected");
inline constexpr auto CohortsCheckedAtMs = key<qint64>("cohorts_checked_at_ms");
} // namespace keys

// Every row, in table order.
std::span<const SettingKey> settingKeys();
// By name, or by the key it is stored as; nullptr when there is none.
const SettingKey* findSettingKey(const QString& name);

// Checks text against the key's type and range and returns it in canonical form (numbers
// as Lockstep writes them, patterns trimmed). The error names the valid values.
Result<QString> normalizeSetting(const SettingKey& key, const QString& text);
// The valid values in words: "0 to 3650 days", "a naming pattern".
QString settingRange(const SettingKey& key);
// The default as text.
QString settingDefault(const SettingKey& key);
// The value of the key's environment override for this process: nullopt when the key has
// none, it is unset, or it is not a number (warned); numbers outside the range are
// clamped to it.
std::optional<QString> settingFromEnvironment(const SettingKey& key);

// Text that normalizeSetting accepted, as T.
template <typename T> T settingValue(const QString& canonical)
{
    if constexpr (std::is_same_v<T, QString>)
        return canonical;
    else if constexpr (std::is_integral_v<T>)
        return T(canonical.toLongLong());
    else
        return canonical.toDouble();
}

template <typename T> QString settingText(const T& value)
{
    if constexpr (std::is_same_v<T, QString>)
        return value;
    else if constexpr (std::is_integral_v<T>)
        return QString::number(qint64(value));
    else
        return QString::number(double(value), 'g', 15);
}

template <typename T> Result<T> parseSetting(const Key<T>& key, const QString& text)
{
    auto canonical = normalizeSetting(*key, text);
    if (!canonical)
        return canonical.error();
    return settingValue<T>(*canonical);
}

// The environment override of a key, typed (see settingFromEnvironment).
template <typename T> std::optional<T> settingOverride(const Key<T>& key)
{
    const auto text = settingFromEnvironment(*key);
    if (!text)
        return std::nullopt;
    return settingValue<T>(*text);
}

} // namespace lockstep
