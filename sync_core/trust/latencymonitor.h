// Sync latency per mapping: from a change being observed (its batch journaled: a new
// member once its membership page is parsed, an exit once the whole segment is read) to
// its batch being acknowledged by Mixpanel. Median and 95th percentile over the changes of
// recent runs, against the operator's documented expectation; an alert (rule
// "latency") while the 95th percentile exceeds it.
#pragma once

#include "trustrecords.h"
#include "util/result.h"

#include <vector>

namespace lockstep {

class Clock;
class Workspace;

namespace rule {
inline constexpr char kLatency[] = "latency";
} // namespace rule

class LatencyMonitor
{
public:
    static constexpr int kRecentRuns = 20;

    LatencyMonitor(Workspace& ws, const Clock& clock) : m_ws(ws), m_clock(clock) {}

    Result<LatencyReport> report(qint64 mappingId, int recentRuns = kRecentRuns);
    // Reports, and raises or resolves the mapping's "latency" alert to match.
    Result<LatencyReport> evaluate(qint64 mappingId, int recentRuns = kRecentRuns);

    // The smallest latency at or above the q-quantile of the changes (each batch's
    // latency weighted by its size). Pure, for tests.
    struct Sample
    {
        qint64 latencyMs = 0;
        qint64 weight = 1;
    };
    static std::optional<qint64> quantile(std::vector<Sample> samples, double q);

private:
    Workspace& m_ws;
    const Clock& m_clock;
};

} // namespace lockstep
