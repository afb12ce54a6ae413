// Item data roles shared by Lockstep's models, so views, proxies, delegates and tests
// agree on where the raw values live.
#pragma once

#include <Qt>

namespace lockstep {

enum ModelRole
{
    // The raw value a column sorts by (numbers and timestamps, not their display text).
    SortRole = Qt::UserRole + 1,
    // The mapping id of a row (MappingsModel, RunsModel).
    MappingIdRole,
    // The run id of a row (RunsModel, BatchErrorsModel).
    RunIdRole,
    // A StatusTone for the row's status cell, so a delegate can draw a badge without
    // parsing text.
    StatusToneRole,
    // The stable machine name of the row's status ("succeeded", "never_synced", ...),
    // for code and tests; the display text is for people and may change.
    StatusNameRole,
    // The alert id of a row (AlertsModel).
    AlertIdRole,
    // A severity as an int (AlertSeverity, FindingSeverity), -1 for none.
    SeverityRole,
    // The number a cell stands for (overlap share or Jaccard, a count), for delegates
    // and charts.
    ValueRole,
    // True when the cell is a watched pair (OverlapModel).
    WatchedRole,
    // The stable machine name of a row's reason or code ("missing_key", "drift", ...).
    CodeRole,
    // The id of a row's held exits (HeldExitsModel).
    HeldIdRole,
};

// How a status reads at a glance; the view picks the colours.
enum class StatusTone
{
    Neutral,
    Good,
    Busy,
    Warning,
    Bad,
    Waiting // nothing was done, on purpose (a run skipped while its segment builds)
};

} // namespace lockstep
