// Levenshtein distance, and the normalised form used to spot near-duplicate names.
#pragma once

#include <QString>

namespace lockstep {

// Insertions, deletions and substitutions of UTF-16 code units.
int editDistance(const QString& a, const QString& b);
// editDistance / the longer length: 0 = equal, 1 = nothing in common. 0 for two empties.
double normalizedEditDistance(const QString& a, const QString& b);

} // namespace lockstep
