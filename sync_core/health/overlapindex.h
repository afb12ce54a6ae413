// The current membership of mapped cohorts as CRoaring bitmaps over interned key ids,
// for fast pairwise overlap (intersection counts, Jaccard, share of A in B). A million
// members take a few hundred kilobytes per cohort once interned; an intersection
// count of two such cohorts takes microseconds.
#pragma once

#include "keyinterner.h"
#include "overlapmatrix.h"

#include <QByteArray>
#include <QString>

#include "roaringbitmap.h"

#include <map>
#include <optional>
#include <span>
#include <string_view>

namespace lockstep {

class MemberSet;

class OverlapIndex
{
public:
    // Replaces the cohort's membership.
    void setMembers(qint64 mappingId, const QString& name, const MemberSet& members);
    void setMembers(qint64 mappingId, const QString& name, std::span<const std::string_view> keys);
    // The same from lines (e.g. the cio_ids of SnapshotPeople, one a line); empty lines are
    // skipped and repeated ones count once.
    void setLines(qint64 mappingId, const QString& name, const QByteArray& lines);
    void remove(qint64 mappingId);

    bool contains(qint64 mappingId) const { return m_cohorts.count(mappingId) != 0; }
    QList<qint64> mappingIds() const;
    uint64_t cohortSize(qint64 mappingId) const;
    const RoaringBitmap* bitmap(qint64 mappingId) const;

    // nullopt when either mapping is unknown.
    std::optional<OverlapStats> pair(qint64 a, qint64 b) const;
    // Every cohort (ordered by mapping id), or the given ones in that order (unknown ids
    // are skipped).
    OverlapMatrix matrix() const;
    OverlapMatrix matrix(const QList<qint64>& ids) const;
    // Up to `limit` keys that are in both cohorts, in interning order (for a sample list).
    std::vector<std::string_view> commonKeys(qint64 a, qint64 b, size_t limit) const;

    const KeyInterner& interner() const { return m_interner; }
    size_t memoryBytes() const;

private:
    struct Cohort
    {
        QString name;
        RoaringBitmap members;
    };
    void put(qint64 mappingId, const QString& name, std::vector<uint32_t>& ids);

    KeyInterner m_interner;
    std::map<qint64, Cohort> m_cohorts;
};

} // namespace lockstep
