// Stores the watched (must-stay-disjoint) cohort pairs, and checks them against the
// acknowledged snapshots of a workspace, keeping their alerts in step.
#pragma once

#include "util/result.h"
#include "watchedpair.h"

namespace lockstep {

class Clock;
class Workspace;

class WatchedPairRepository
{
public:
    explicit WatchedPairRepository(Workspace& ws) : m_ws(ws) {}

    Status add(const WatchedPair& p); // replaces the label of an existing pair
    Status remove(qint64 mappingA, qint64 mappingB);
    Result<QList<WatchedPair>> list();

    // Loads the snapshots of the mappings in watched pairs, checks every pair and
    // reconciles the watched_overlap alerts. Returns the findings.
    Result<std::vector<HealthFinding>> evaluate(const Clock& clock);

private:
    Workspace& m_ws;
};

} // namespace lockstep
