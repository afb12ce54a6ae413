// The health rules: small pure functions from value types to an optional finding, so
// each is tested without a database. HealthEvaluator gathers the inputs from a
// workspace and stores the findings as alerts.
#pragma once

#include "healthfinding.h"
#include "healththresholds.h"
#include "sizepoint.h"
#include "store/heldexits.h"
#include "store/records.h"

#include <optional>
#include <span>
#include <vector>

namespace lockstep {

// What another mapping of the workspace found when its entered keys were looked up in
// Mixpanel: evidence of which identifier Mixpanel knows people by.
struct KeyEvidence
{
    qint64 mappingId = 0;
    QString cohortName;
    IdentityKey key = IdentityKey::Id;
    int verified = 0; // keys looked up
    int unknown = 0;  // of them, unknown to Mixpanel

    double unknownShare() const { return verified > 0 ? double(unknown) / verified : 0.0; }
};

struct HealthInput
{
    Mapping mapping;
    // Oldest first. May hold years: rules binary-search the recent end they need.
    std::span<const SizePoint> points;
    std::optional<RunRecord> lastRun;
    qint64 lastSuccessMs = 0;     // finish time of the newest succeeded run; 0 = never
    qint64 nowMs = 0;             // from the injected Clock
    qint64 segmentUpdatedAt = 0;  // segment's updated_at as last read (Unix s); 0 = unknown
    qint64 baselineUpdatedAt = 0; // its updated_at when this cohort version began; 0 = unknown
    // Start of the first run skipped (segment still building) since the newest run that
    // found the segment ready; 0 when no run was skipped since.
    qint64 notReadySinceMs = 0;
    // The newest run whose entry check looked entered keys up in Mixpanel (its
    // verification), if any.
    std::optional<RunRecord> lastVerifiedRun;
    // The other mappings' newest verifications, to name the identifier Mixpanel uses.
    QList<KeyEvidence> otherKeys;
    // The cohort name of a newer version of this mapping (same segment, higher version),
    // "" when there is none.
    QString newerVersion;
    // The exits the mass-exit safeguard holds for this mapping, if any (no keys needed).
    std::optional<HeldExits> heldExits;
};

using HealthRule = std::optional<HealthFinding> (*)(const HealthInput&, const HealthThresholds&);

// Near zero, or a drop past collapseDropPercent against the recent median.
std::optional<HealthFinding> checkSizeCollapse(const HealthInput& in, const HealthThresholds& t);
// Newest size against the point about a week earlier.
std::optional<HealthFinding> checkWeekOverWeek(const HealthInput& in, const HealthThresholds& t);
// Entered + exited over the churn window against the mean size.
std::optional<HealthFinding> checkChurn(const HealthInput& in, const HealthThresholds& t);
// No successful run within staleFactor × the schedule (paused mappings are exempt).
std::optional<HealthFinding> checkStaleSync(const HealthInput& in, const HealthThresholds& t);
// Runs skipped because the segment is still building, for longer than notReadyFactor ×
// the schedule (paused mappings are exempt).
std::optional<HealthFinding> checkSegmentNotReady(const HealthInput& in, const HealthThresholds& t);
// Synced count against the Mixpanel cohort count of the newest verified point.
std::optional<HealthFinding> checkDrift(const HealthInput& in, const HealthThresholds& t);
// Share of segment members that got a Mixpanel key, below matchRateFloor.
std::optional<HealthFinding> checkMatchRate(const HealthInput& in, const HealthThresholds& t);
// Entered keys Mixpanel did not know (or knows only through what Lockstep wrote), as a
// share of those the newest verification looked up; the message names the likely cause.
// Not for a mapping paused and superseded by a newer version (its cohort is retired).
std::optional<HealthFinding> checkUnknownProfiles(const HealthInput& in, const HealthThresholds& t);
// Exits held by the mass-exit safeguard, waiting for an operator to apply or discard them.
std::optional<HealthFinding> checkMassExit(const HealthInput& in, const HealthThresholds& t);
// The segment's updated_at moved since this cohort version began.
std::optional<HealthFinding> checkDefinitionChanged(const HealthInput& in,
                                                    const HealthThresholds& t);

struct NamedHealthRule
{
    const char* id;
    HealthRule check;
};
// Every per-mapping rule, in the order alerts are listed.
std::span<const NamedHealthRule> mappingHealthRules();

std::vector<HealthFinding> evaluateHealth(const HealthInput& in, const HealthThresholds& t);

// "CIO | Winback | 30d | v2" -> "CIO | Winback | 30d | v3"; no suffix -> append " | v2".
QString nextCohortVersionName(const QString& cohortName, int currentVersion);

// Median of the values (copied; the input is untouched). 0 for an empty list.
double medianOf(std::vector<qint64> values);

} // namespace lockstep
