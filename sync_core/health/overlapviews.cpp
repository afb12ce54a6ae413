#include "overlapviews.h"

#include "store/snapshotpeople.h"
#include "store/snapshotstore.h"

namespace lockstep {

std::optional<OverlapStats> OverlapViews::pair(qint64 a, qint64 b, bool* byPerson) const
{
    const bool person = people.contains(a) && people.contains(b);
    if (byPerson)
        *byPerson = person;
    return person ? people.pair(a, b) : keys.pair(a, b);
}

Result<std::unique_ptr<OverlapViews>> loadOverlapViews(Workspace& ws,
                                                       const QList<Mapping>& mappings)
{
    auto views = std::make_unique<OverlapViews>();
    SnapshotStore snapshots(ws);
    SnapshotPeople people(ws);
    for (const Mapping& m : mappings) {
        auto members = snapshots.load(m.id);
        if (!members)
            return members.error();
        views->keys.setMembers(m.id, m.cohortName, *members);
        auto recorded = people.load(m.id);
        if (!recorded)
            return recorded.error();
        if (*recorded)
            views->people.setLines(m.id, m.cohortName, **recorded);
        else if (m.identity == IdentityKey::CioId)
            views->people.setMembers(m.id, m.cohortName, *members);
        else
            views->peopleMissing.append(m.id);
    }
    return views;
}

QList<NearIdenticalPair> nearIdenticalPairs(const OverlapViews& views, const QList<qint64>& ids,
                                            double threshold)
{
    QList<NearIdenticalPair> out;
    for (qsizetype i = 0; i < ids.size(); ++i)
        for (qsizetype j = i + 1; j < ids.size(); ++j) {
            NearIdenticalPair p;
            const auto s = views.pair(ids[i], ids[j], &p.byPerson);
            if (!s || s->sizeA == 0 || s->sizeB == 0 || s->jaccard() < threshold)
                continue;
            p.stats = *s;
            out.append(p);
        }
    return out;
}

} // namespace lockstep
