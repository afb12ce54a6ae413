#include "watchedpairrepository.h"

#include "alertstore.h"
#include "overlapviews.h"
#include "store/mappingrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QSet>
#include <QVariant>

namespace lockstep {

Status WatchedPairRepository::add(const WatchedPair& raw)
{
    const WatchedPair p = raw.normalized();
    if (p.mappingA == p.mappingB || p.mappingA <= 0)
        return SyncError::make(SyncError::Category::Usage,
                               QStringLiteral("a watched pair needs two different mappings"));
    return m_ws.transaction([&]() -> Status {
        if (auto st = remove(p.mappingA, p.mappingB); !st)
            return st;
        QSqlQuery q = m_ws.query(QStringLiteral("INSERT INTO watched_pairs (mapping_a, mapping_b, "
                                                "label, created_at) VALUES (?,?,?,?)"));
        q.addBindValue(p.mappingA);
        q.addBindValue(p.mappingB);
        q.addBindValue(Workspace::text(p.label));
        q.addBindValue(p.createdAtMs);
        return Workspace::exec(q, "cannot record the watched pair");
    });
}

Status WatchedPairRepository::remove(qint64 mappingA, qint64 mappingB)
{
    const WatchedPair p = WatchedPair{mappingA, mappingB, {}, 0}.normalized();
    QSqlQuery q =
        m_ws.query(QStringLiteral("DELETE FROM watched_pairs WHERE mapping_a=? AND mapping_b=?"));
    q.addBindValue(p.mappingA);
    q.addBindValue(p.mappingB);
    return Workspace::exec(q, "cannot remove the watched pair");
}

Result<QList<WatchedPair>> WatchedPairRepository::list()
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT mapping_a, mapping_b, label, created_at FROM watched_pairs ORDER BY mapping_a, "
        "mapping_b"));
    if (auto st = Workspace::exec(q, "cannot read watched pairs"); !st)
        return st.error();
    QList<WatchedPair> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                    q.value(3).toLongLong()});
    return out;
}

Result<std::vector<HealthFinding>> WatchedPairRepository::evaluate(const Clock& clock)
{
    auto pairs = list();
    if (!pairs)
        return pairs.error();
    auto mappings = MappingRepository(m_ws).list();
    if (!mappings)
        return mappings.error();

    QSet<qint64> needed;
    for (const WatchedPair& p : *pairs) {
        needed.insert(p.mappingA);
        needed.insert(p.mappingB);
    }
    QList<Mapping> watched;
    for (const Mapping& m : *mappings)
        if (needed.contains(m.id))
            watched.append(m);
    // By person: two cohorts keyed differently share people, never keys.
    auto views = loadOverlapViews(m_ws, watched);
    if (!views)
        return views.error();
    std::vector<HealthFinding> findings = checkWatchedPairs(**views, *pairs);
    AlertStore alerts(m_ws, clock);
    if (auto st = alerts.reconcile(0, {QString::fromLatin1(rule::kWatchedOverlap)}, findings); !st)
        return st.error();
    return findings;
}

} // namespace lockstep
