// Overlap two ways: by Customer.io person (cio_id), whatever key each mapping sends, and
// by Mixpanel key ($distinct_id), as Mixpanel holds the cohorts. Two cohorts keyed
// differently (one by id, one by e-mail) share no keys even when they share people; the
// person view is what the heat map, watched pairs and the audit judge by.
#pragma once

#include "overlapindex.h"
#include "store/records.h"
#include "util/result.h"

#include <QList>

#include <memory>

namespace lockstep {

class Workspace;

struct OverlapViews
{
    OverlapIndex people; // cio_ids
    OverlapIndex keys;   // Mixpanel keys
    // Mappings in `keys` that `people` lacks: no people recorded since their last settled
    // run (a cio_id mapping's keys are its people, so it is never missing).
    QList<qint64> peopleMissing;

    // The person view of the pair when both have one, else the key view (and `byPerson`
    // says which).
    std::optional<OverlapStats> pair(qint64 a, qint64 b, bool* byPerson = nullptr) const;
};

// Loads the views of `mappings` (in their order) from their snapshots and recorded people.
Result<std::unique_ptr<OverlapViews>> loadOverlapViews(Workspace& ws,
                                                       const QList<Mapping>& mappings);

// A pair of cohorts whose memberships are near-identical (over-exporting: one would do).
struct NearIdenticalPair
{
    OverlapStats stats;
    bool byPerson = true;
};
// Every pair of non-empty cohorts with a Jaccard index of at least `threshold`, judged by
// person where both have people (else by key), in the order of `ids`.
QList<NearIdenticalPair> nearIdenticalPairs(const OverlapViews& views, const QList<qint64>& ids,
                                            double threshold = 0.9);

} // namespace lockstep
