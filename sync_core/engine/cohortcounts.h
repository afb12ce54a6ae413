// Reads the Mixpanel cohort counts back, the one way both the engine (after a sync) and
// the console (Health › Verify) do it: one /cohorts/list, taken from the project's
// shared query budget first, recorded on the size point of each run it measures.
#pragma once

#include "util/result.h"

#include <QList>

#include <functional>

namespace lockstep {

class Clock;
class RequestScheduler;
class Workspace;
struct MixpanelEndpoints;

// A run whose mapping's cohort count is wanted, recorded on that run's size point.
struct CohortCountTarget
{
    qint64 mappingId = 0;
    qint64 runId = 0;
};

// Takes one query from the budget (or fails with the budget's RateLimited error, nothing
// sent), lists the project's cohorts and records the count of each target whose mapping's
// cohort name matches (a cohort the operator has not created yet is skipped). `done` runs
// once, in the caller's thread, with how many counts were recorded. `ws` must outlive
// the request: callers own `http`, whose deletion drops it.
void readCohortCounts(Workspace& ws, RequestScheduler* http, const MixpanelEndpoints& endpoints,
                      const Clock* clock, int queriesPerHour, QList<CohortCountTarget> targets,
                      const QString& purpose, std::function<void(Result<int>)> done);

} // namespace lockstep
