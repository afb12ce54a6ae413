// Text for numbers, times and durations as the tables show them, in one place so
// every page formats the same value the same way.
#pragma once

#include "modelroles.h"
#include "store/records.h"

#include <QString>

namespace lockstep::format {

// "12,345" in the user's locale.
QString count(qint64 n);
// Local date and time to the second, or an empty string for 0.
QString timestamp(qint64 msSinceEpoch);
// "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min".
QString duration(qint64 ms);
// "Succeeded", "Dry run", ... for people; runStatusName() stays the stable machine name.
QString runStatus(RunStatus s);
QString runKind(RunKind k);
StatusTone tone(RunStatus s);
// A run's phase as the engine reports it ("reading", "sending", ...) in a word or two.
QString syncPhase(const QString& phase);
// What a run in flight is doing: "reading, 4 pages read", "sending, 3 of 8 batches sent,
// 12 pages read".
QString progressDetail(const SyncProgress& p);
// A machine name without a text of its own ("held_exits") as words ("Held exits"), so a
// code added later never reaches a table as it is.
QString humanized(const QString& code);

} // namespace lockstep::format
