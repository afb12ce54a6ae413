// A pair of cohorts that must stay disjoint (e.g. "should be suppressed" and
// "received winback"), and the pure check that turns an overlap into a finding.
#pragma once

#include "healthfinding.h"

#include <QList>
#include <QString>

#include <vector>

namespace lockstep {

class OverlapIndex;
struct OverlapViews;

struct WatchedPair
{
    qint64 mappingA = 0; // always the smaller id (see normalized())
    qint64 mappingB = 0;
    QString label; // why they must not overlap, shown in the alert
    qint64 createdAtMs = 0;

    WatchedPair normalized() const;
    QString subject() const; // "pair:<a>:<b>", the alert subject
};

// One finding per watched pair whose cohorts share at least one member. The finding is
// filed under mappingA. `names` maps ids to display names (falls back to the index's).
// Pairs with a cohort the index does not hold are skipped.
std::vector<HealthFinding> checkWatchedPairs(const OverlapIndex& index,
                                             const QList<WatchedPair>& pairs,
                                             size_t sampleKeys = 3);
// The same by person (cio_id) where both cohorts have their people, so a pair keyed
// differently (id and e-mail) is still judged; by Mixpanel key otherwise.
std::vector<HealthFinding> checkWatchedPairs(const OverlapViews& views,
                                             const QList<WatchedPair>& pairs,
                                             size_t sampleKeys = 3);

} // namespace lockstep
