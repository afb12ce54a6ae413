// Reads the size history of a mapping (one row per run in size_points) for a time
// window. The (mapping_id, at_ms) index of migration 1 serves every query here, so a
// window costs a range scan however many years are stored.
#pragma once

#include "sizepoint.h"
#include "util/result.h"

#include <optional>
#include <vector>

namespace lockstep {

class Workspace;

class SizeHistory
{
public:
    explicit SizeHistory(Workspace& ws) : m_ws(ws) {}

    // Points with fromMs <= at_ms < toMs, oldest first.
    Result<std::vector<SizePoint>> window(qint64 mappingId, qint64 fromMs, qint64 toMs);
    // The newest `count` points, oldest first.
    Result<std::vector<SizePoint>> latest(qint64 mappingId, int count);
    // The newest point before `atMs`, if any.
    Result<std::optional<SizePoint>> before(qint64 mappingId, qint64 atMs);
    // Time of the newest point; 0 when there is none.
    Result<qint64> lastAt(qint64 mappingId);
    // Records the Mixpanel count verified for the run's point (the drift rule reads it).
    Status setMixpanelCount(qint64 runId, qint64 count);
    // Appends a point directly (imports, tests and benchmarks; runs write their own).
    Status append(qint64 mappingId, const SizePoint& p);

private:
    Workspace& m_ws;
};

} // namespace lockstep
