#include "engineoptions.h"
#include "config/settingkeys.h"
#include "mappingrun.h"

#include <QtGlobal>

#include <algorithm>

namespace lockstep {

static_assert(keys::ExitCheckLimit->fallback == RunOptions::kDefaultExitCheck);

EngineOptions EngineOptions::fromEnvironment()
{
    EngineOptions o;
    o.notify = NotifyOptions::fromEnvironment();
    auto intVar = [](const char* name, int fallback, int lo, int hi) {
        bool ok = false;
        const int v = qEnvironmentVariableIntValue(name, &ok);
        return ok ? std::clamp(v, lo, hi) : fallback;
    };
    o.pageSize = intVar("LOCKSTEP_PAGE_SIZE", o.pageSize, 1, 30000);
    o.sendConcurrency = intVar("LOCKSTEP_SEND_CONCURRENCY", o.sendConcurrency, 1, 64);
    o.parallelMappings = intVar("LOCKSTEP_PARALLEL_MAPPINGS", o.parallelMappings, 1, 32);
    o.runsInFlight = intVar("LOCKSTEP_RUNS_IN_FLIGHT", o.runsInFlight, 1, 64);
    o.requestTimeoutMs = intVar("LOCKSTEP_HTTP_TIMEOUT_MS", o.requestTimeoutMs, 100, 600000);
    o.exitCheckLimit = settingOverride(keys::ExitCheckLimit);
    o.verifySample = settingOverride(keys::VerifySample);
    o.exitCheckSample = settingOverride(keys::ExitCheckSample);
    o.verifyQueriesPerHour = settingOverride(keys::VerifyQueriesPerHour);
    if (qEnvironmentVariableIntValue("LOCKSTEP_TEST") == 1) {
        o.testMergeDelayMs = intVar("LOCKSTEP_TEST_MERGE_DELAY_MS", 0, 0, 60000);
        o.testLoadDelayMs = intVar("LOCKSTEP_TEST_LOAD_DELAY_MS", 0, 0, 60000);
        o.sharedLimits = qEnvironmentVariableIntValue("LOCKSTEP_TEST_LOCAL_LIMITS") != 1;
    }
    bool ok = false;
    const double scale = qEnvironmentVariable("LOCKSTEP_RETRY_SCALE").toDouble(&ok);
    if (ok && scale >= 0 && scale <= 10)
        o.backoffScale = scale;
    return o;
}

} // namespace lockstep
