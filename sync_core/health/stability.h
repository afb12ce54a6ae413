// How stable a segment is, for the rollout checklist's "segment stability reviewed": the
// median of its daily churn, (entered + exited) ÷ the segment's size, over the last days.
// A pure function of the size history, so every surface measures it alike.
#pragma once

#include "sizepoint.h"
#include "util/result.h"

#include <QList>

#include <span>

namespace lockstep {

struct StabilityMeasure
{
    static constexpr int kWindowDays = 14;
    // Fewer measured days than this tell too little to call a segment stable.
    static constexpr int kMinDays = 7;

    qint64 fromMs = 0; // the window, [fromMs, toMs]
    qint64 toMs = 0;
    int days = 0;                    // UTC days in the window with a measured run
    double medianChurnPercent = 0;   // of those days' churn
    QList<double> dailyChurnPercent; // oldest day first

    bool enough() const { return days >= kMinDays; }
};

// The kWindowDays up to the newest point. `points` oldest first; a point's entered and
// exited are the changes since the run before it, so a point counts only when an earlier
// one exists (the first run of a mapping enters everyone: no churn).
StabilityMeasure measureStability(std::span<const SizePoint> points);

class Workspace;
// The same over a mapping's stored size history.
Result<StabilityMeasure> readStability(Workspace& ws, qint64 mappingId);

} // namespace lockstep
