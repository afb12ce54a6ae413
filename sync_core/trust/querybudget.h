// The Mixpanel query API budget (60 queries an hour per project) as trust checks see
// it: what this process's scheduler has left, and what the queries recorded in the
// workspace by other processes (CLI runs, consoles) leave. Checks ask before they
// send and refuse with a clear message instead of queueing for up to an hour.
#pragma once

#include "util/result.h"

#include <QString>

namespace lockstep {

class Clock;
class RequestScheduler;
class Workspace;

class QueryBudget
{
public:
    static constexpr int kDefaultPerHour = 60;
    static constexpr qint64 kHourMs = 3600 * 1000;

    QueryBudget(Workspace& ws, const RequestScheduler* http, const Clock* clock,
                int perHour = kDefaultPerHour);

    // LOCKSTEP_QUERY_PER_HOUR (1..60), for projects whose budget others share.
    static int perHourFromEnvironment();

    int perHour() const { return m_perHour; }
    // Queries left this hour: the smaller of the scheduler's and the workspace's figure.
    int left() const;
    // When the next query frees up (ms since the epoch); 0 when some are left.
    qint64 nextFreeAtMs() const;
    // Takes `count` queries for `what`, or refuses (RateLimited) naming what is left and
    // when the budget frees up. Recorded before sending: a failed request still counts.
    Status take(int count, const QString& what);

    // Mixpanel answered a query 429 without Retry-After: the project's budget, which other
    // tools share, is spent. Recorded as a full hour's use from now, so that every process on
    // the workspace stops querying until the hour ends instead of retrying into the limit.
    Status markSpent();
    // Makes `http` call markSpent() on `ws` whenever the query API answers so. `ws` must
    // outlive `http`.
    static void watch(RequestScheduler* http, Workspace* ws, const Clock* clock);

private:
    Workspace& m_ws;
    const RequestScheduler* m_http;
    const Clock* m_clock;
    int m_perHour;
};

} // namespace lockstep
