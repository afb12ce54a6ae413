// One size measurement of a mapping, taken at the end of a run (a row of size_points).
// A plain value so health rules and charts can work without a database.
#pragma once

#include <QtGlobal>

namespace lockstep {

struct SizePoint
{
    qint64 runId = 0;
    qint64 atMs = 0;         // when the run finished, Unix milliseconds
    qint64 segmentCount = 0; // members read from Customer.io
    qint64 syncedCount = 0;  // keys Mixpanel holds after the run
    qint64 entered = 0;
    qint64 exited = 0;
    qint64 mismatched = 0;
    qint64 mixpanelCount = -1; // cohort count from /cohorts/list; -1 when not verified

    bool verified() const { return mixpanelCount >= 0; }
};

// Which figure of a point a chart plots.
enum class SizeSeries
{
    Segment,
    Synced,
    Entered,
    Exited,
    Mismatched,
    Mixpanel
};

inline qint64 seriesValue(const SizePoint& p, SizeSeries s)
{
    switch (s) {
    case SizeSeries::Segment:
        return p.segmentCount;
    case SizeSeries::Synced:
        return p.syncedCount;
    case SizeSeries::Entered:
        return p.entered;
    case SizeSeries::Exited:
        return p.exited;
    case SizeSeries::Mismatched:
        return p.mismatched;
    case SizeSeries::Mixpanel:
        return p.mixpanelCount;
    }
    return 0;
}

} // namespace lockstep
