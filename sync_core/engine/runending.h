// How a mapping run ends (succeeded, partial, failed, cancelled, stopped, skipped),
// decided in one pure function from the phase the run stopped in and a few counters.
#pragma once

#include "runphase.h"
#include "store/records.h"
#include "util/syncerror.h"

#include <QString>

namespace lockstep {

// What the ending is decided from.
struct RunTally
{
    RunPhase phase = RunPhase::Created; // where the run was when it stopped moving on
    bool dryRun = false;
    bool cancelled = false;         // cancel()
    bool stoppedGracefully = false; // stopGracefully() (SIGTERM)
    QString notReady;               // why the segment was not synced (skipped), if so
    SyncError runError;             // what stopped the run (a read, a write, an API)
    SyncError sendError;            // the first batch that failed (or could not be recorded)
    qint64 planned = 0;             // changes journaled by this run
    qint64 failed = 0;              // not acknowledged, or not recorded, or never sent
    qint64 unsent = 0;              // of `failed`: journaled, never sent
    QString notes;                  // said with a success (holders, entry check)
};

struct RunEnding
{
    RunStatus status = RunStatus::Succeeded;
    QString message;
    QString errorCategory; // empty: none
};

RunEnding decideEnding(const RunTally& tally);

} // namespace lockstep
