// Tests only: a RunPhaseHook that holds a run's work back, so a test can make one thing
// come before another (LOCKSTEP_TEST_LOAD_DELAY_MS, LOCKSTEP_TEST_MERGE_DELAY_MS with
// LOCKSTEP_TEST=1, read by EngineOptions::fromEnvironment). Production runs have no hook.
#pragma once

#include "runphase.h"

namespace lockstep {

// Reading the snapshot starts `loadDelayMs` later (the first page comes before it), and
// the merge of the members `mergeDelayMs` later (checks started at the last page end
// before it). Null when both are 0.
RunPhaseHook delayingPhaseHook(int loadDelayMs, int mergeDelayMs);

} // namespace lockstep
