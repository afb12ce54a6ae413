// The phases of one mapping run (MappingRun), in the order a run normally goes through
// them, and the transitions between them: the one table MappingRun checks every move
// against.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace lockstep {

enum class RunPhase
{
    Created,         // constructed, not started
    CheckingSegment, // asking Customer.io whether the segment is ready
    LoadingSnapshot, // the writer reads what Mixpanel holds; the first page may be on the wire
    ListingHolders,  // full resync: who holds the cohort value in Mixpanel (query API)
    Reading,         // paging the segment; new members' batches are sent meanwhile
    Diffing,         // the last page is parsed: merge and diff on the parser thread
    Sending,         // the plan is journaled; batches on the wire
    Verifying,       // every batch answered: entered keys looked up in Mixpanel (EntryCheck)
    Settling,        // nothing to send: waiting for the exit check and the writer
    Stopping,        // cancelled, stopped or failed: waiting for the batches and parses in flight
    Finishing,       // the ending is decided; the writer still has the run's rows
    Done,            // recorded; finished() was emitted
};

QString runPhaseName(RunPhase phase);

// The run may still read Customer.io for its segment and pages (its exit lookups, bounded,
// come later): the phases before Diffing.
constexpr bool isReadingPhase(RunPhase phase)
{
    return phase == RunPhase::Created || phase == RunPhase::CheckingSegment ||
           phase == RunPhase::LoadingSnapshot || phase == RunPhase::ListingHolders ||
           phase == RunPhase::Reading;
}

// Whether a run may move from `from` to `to` (see the table in runphase.cpp).
bool isLegalTransition(RunPhase from, RunPhase to);

// Test seam: called when a run enters LoadingSnapshot (before the writer reads the
// snapshot) and Diffing (before the parser thread merges and diffs); the phase's work
// starts when `proceed` is called, once, in the run's thread. `context` lives as long
// as the run (a timer's receiver). Null in production: the work starts at once.
using RunPhaseHook =
    std::function<void(RunPhase phase, QObject* context, std::function<void()> proceed)>;

} // namespace lockstep
