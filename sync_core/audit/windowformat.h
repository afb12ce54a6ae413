// The time-window part of a cohort name. Valid: "<n>h", "<n>d", "<a>-<b>h", "<a>-<b>d"
// (whole numbers without leading zeros, lower-case unit, no spaces, n >= 1, a < b),
// e.g. "0-24h", "45-60d", "30d". Near misses get a suggestion: "30D" -> "30d",
// "45-60 days" -> "45-60d", "24 hours" -> "24h", "45d-60d" -> "45-60d", "60-45d" ->
// "45-60d", "1w" / "2 weeks" -> "7d" / "14d" (weeks are spelled in days so windows sort
// and compare). Months ("3m", "1 month") have no fixed length: invalid, no suggestion.
#pragma once

#include <QString>

namespace lockstep {

struct WindowCheck
{
    bool valid = false; // already in canonical form
    QString suggestion; // canonical form when it could be derived (empty otherwise)
    QString problem;    // why it is not valid, for the finding's message
};

WindowCheck checkWindow(const QString& text);

} // namespace lockstep
