#include "stability.h"

#include "healththresholds.h"
#include "sizehistory.h"

#include <QMap>

#include <algorithm>

namespace lockstep {

StabilityMeasure measureStability(std::span<const SizePoint> points)
{
    StabilityMeasure m;
    if (points.empty())
        return m;
    constexpr qint64 day = HealthThresholds::kDayMs;
    m.toMs = points.back().atMs;
    m.fromMs = m.toMs - qint64(StabilityMeasure::kWindowDays) * day;
    struct Day
    {
        qint64 moved = 0;
        double sizeSum = 0;
        int runs = 0;
    };
    QMap<qint64, Day> days; // by UTC day number
    for (size_t i = 1; i < points.size(); ++i) {
        const SizePoint& p = points[i];
        if (p.atMs <= m.fromMs || p.atMs > m.toMs)
            continue;
        Day& d = days[p.atMs / day];
        d.moved += p.entered + p.exited;
        d.sizeSum += double(p.segmentCount);
        ++d.runs;
    }
    std::vector<double> churn;
    for (const Day& d : std::as_const(days)) {
        const double size = d.sizeSum / d.runs;
        // An empty segment has no churn to speak of; the collapse rule covers it.
        if (size <= 0)
            continue;
        const double percent = 100.0 * double(d.moved) / size;
        churn.push_back(percent);
        m.dailyChurnPercent.append(percent);
    }
    m.days = int(churn.size());
    if (churn.empty())
        return m;
    std::sort(churn.begin(), churn.end());
    const size_t n = churn.size();
    m.medianChurnPercent = n % 2 ? churn[n / 2] : (churn[n / 2 - 1] + churn[n / 2]) / 2.0;
    return m;
}

Result<StabilityMeasure> readStability(Workspace& ws, qint64 mappingId)
{
    SizeHistory history(ws);
    auto lastAt = history.lastAt(mappingId);
    if (!lastAt)
        return lastAt.error();
    if (*lastAt <= 0)
        return StabilityMeasure{};
    const qint64 from =
        *lastAt - qint64(StabilityMeasure::kWindowDays) * HealthThresholds::kDayMs + 1;
    auto points = history.window(mappingId, from, *lastAt + 1);
    if (!points)
        return points.error();
    // The run before the window says whether the first one in it measured changes.
    auto earlier = history.before(mappingId, from);
    if (!earlier)
        return earlier.error();
    // measureStability() counts a point's changes only after an earlier point: the run
    // before the window, or else the mapping's first run (which entered everyone).
    std::vector<SizePoint> all;
    all.reserve(points->size() + 1);
    if (*earlier)
        all.push_back(**earlier);
    all.insert(all.end(), points->begin(), points->end());
    return measureStability(all);
}

} // namespace lockstep
