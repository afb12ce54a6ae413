// Every tunable number of the health rules, with the defaults documented in
// docs/HEALTH.md. A plain struct so settings pages and tests can change one field.
#pragma once

#include <QtGlobal>

namespace lockstep {

struct HealthThresholds
{
    static constexpr qint64 kDayMs = 24LL * 3600 * 1000;

    // Size collapse: the newest size against the median of the points before it.
    qint64 collapseMedianWindowMs = 7 * kDayMs; // points this far back form the median
    int collapseMinPoints = 3;                  // fewer earlier points: no baseline, no alert
    qint64 nearZeroCount = 5;                   // newest size at or below: "near zero"
    qint64 collapseMinBaseline = 50;            // smaller cohorts are too noisy to judge
    double collapseDropPercent = 50.0;          // drop vs median that raises a warning

    // Week-over-week swing: the newest size against the point about 7 days earlier.
    double wowSwingPercent = 30.0;
    qint64 wowMinAbsolute = 50;     // ignore swings smaller than this many members
    qint64 wowToleranceMs = kDayMs; // how far from exactly 7 days a point may be

    // Churn: (entered + exited) over the window, against twice the mean size. 1.0 would
    // mean the whole cohort was replaced.
    qint64 churnWindowMs = 7 * kDayMs;
    double churnRatio = 0.5;
    qint64 churnMinSize = 50;

    // Stale sync: no successful run within this many schedule periods.
    double staleFactor = 2.0;

    // Segment not ready: runs skipped (the segment still building) for longer than this
    // many schedule periods in a row.
    double notReadyFactor = 2.0;

    // Drift between what Lockstep synced and what Mixpanel's cohort counts.
    double driftPercent = 2.0;
    qint64 driftMinAbsolute = 10;
    qint64 driftMaxAgeMs = 2 * kDayMs; // older verifications are not trusted

    // Identity match rate: matched / segment members.
    double matchRateFloor = 0.95;
    qint64 matchRateMinSize = 20;

    // Unknown profiles: the share of a run's sampled entered keys that Mixpanel did not
    // know (or knows only through what Lockstep wrote), in percent.
    double unknownProfilesWarningPercent = 5.0;
    double unknownProfilesCriticalPercent = 50.0;

    bool operator==(const HealthThresholds&) const = default;
};

} // namespace lockstep
