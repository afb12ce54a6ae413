// How the engine of this process runs: parallelism, page size, timeouts, checks. Read
// once per process (EngineContext), with overrides from the environment.
#pragma once

#include "notify/notifyoptions.h"

#include <optional>

namespace lockstep {

struct EngineOptions
{
    int parallelMappings = 4; // mappings read at once (they share the 10 requests/s)
    // Runs in flight at once, those past their reading included (sending, verifying,
    // writing their snapshot): the next mapping reads while earlier ones wait on Mixpanel.
    // 0: twice parallelMappings.
    int runsInFlight = 0;
    int sendConcurrency = 10; // Mixpanel batches in flight across the engine
    double customerIoPerSecond = 10;
    int pageSize = 30000;
    int requestTimeoutMs = 0; // overrides every request's own timeout when positive
    double backoffScale = 1.0;
    // Set: overrides the workspace's exit_check_limit / verify_sample for this process
    // (`sync --exit-check N`, LOCKSTEP_EXIT_CHECK; `--verify-sample N`, LOCKSTEP_VERIFY_SAMPLE).
    std::optional<int> exitCheckLimit; // exits looked up in Customer.io per run (0: off)
    std::optional<int> verifySample;   // entered keys looked up in Mixpanel after a run (0: off)
    // LOCKSTEP_EXIT_CHECK_SAMPLE, LOCKSTEP_VERIFY_QUERIES_PER_HOUR: the workspace keys'
    // environment overrides (exit_check_sample, verify_queries_per_hour).
    std::optional<int> exitCheckSample;
    std::optional<int> verifyQueriesPerHour;
    int testMergeDelayMs = 0; // tests only: delayingPhaseHook (testrunhooks.h)
    int testLoadDelayMs = 0;  // tests only: delayingPhaseHook (testrunhooks.h)
    // Limits shared with the workspace's other processes (EngineContext::shareLimitsThrough);
    // off only under test (LOCKSTEP_TEST_LOCAL_LIMITS=1), to show what they prevent.
    bool sharedLimits = true;
    // Alert delivery (LOCKSTEP_NOTIFY_*): polling, lease, timeout, backoff, give-up bound.
    NotifyOptions notify;

    // Defaults, with overrides from LOCKSTEP_PAGE_SIZE, LOCKSTEP_SEND_CONCURRENCY,
    // LOCKSTEP_PARALLEL_MAPPINGS, LOCKSTEP_RUNS_IN_FLIGHT, LOCKSTEP_HTTP_TIMEOUT_MS,
    // LOCKSTEP_RETRY_SCALE, the environment overrides of workspace keys (settingOverride:
    // LOCKSTEP_EXIT_CHECK, LOCKSTEP_VERIFY_SAMPLE), and LOCKSTEP_TEST_* under test.
    static EngineOptions fromEnvironment();
};

} // namespace lockstep
