// Mixpanel's limit on profile values (API.md): strings and list items are at most 255
// bytes of UTF-8. Checked when a cohort value is chosen, so Mixpanel never truncates or
// drops what Lockstep writes.
#pragma once

#include "records.h"
#include "util/result.h"

namespace lockstep {

inline constexpr int kMixpanelMaxStringBytes = 255;

// What a rehearsal appends to the cohort value: " [rehearsal yyyyMMdd-HHmm]".
inline constexpr int kRehearsalSuffixBytes = 26;

int utf8Bytes(const QString& s);

// The cohort value a mapping writes (a list item in list mode, a property name in flag
// mode) within the limit; the error names the limit and the actual byte count.
Status checkCohortValueBytes(const QString& cohortName, SyncMode mode);

// The same for a rehearsal's temporary value (the cohort value plus the suffix).
Status checkRehearsalValueBytes(const QString& temporaryValue, SyncMode mode);

} // namespace lockstep
