#include "overlapindex.h"

#include "members/memberset.h"

#include <algorithm>
#include <cstring>

namespace lockstep {

void OverlapIndex::put(qint64 mappingId, const QString& name, std::vector<uint32_t>& ids)
{
    // Sorted input lets CRoaring fill containers sequentially.
    std::sort(ids.begin(), ids.end());
    Cohort c;
    c.name = name;
    c.members.addMany(ids.size(), ids.data());
    c.members.runOptimize();
    c.members.shrinkToFit();
    m_cohorts[mappingId] = std::move(c);
}

void OverlapIndex::setMembers(qint64 mappingId, const QString& name, const MemberSet& members)
{
    std::vector<uint32_t> ids;
    ids.reserve(members.size());
    for (size_t i = 0; i < members.size(); ++i)
        ids.push_back(m_interner.intern(members.key(i)));
    put(mappingId, name, ids);
}

void OverlapIndex::setMembers(qint64 mappingId, const QString& name,
                              std::span<const std::string_view> keys)
{
    std::vector<uint32_t> ids;
    ids.reserve(keys.size());
    for (std::string_view k : keys)
        ids.push_back(m_interner.intern(k));
    put(mappingId, name, ids);
}

void OverlapIndex::setLines(qint64 mappingId, const QString& name, const QByteArray& lines)
{
    std::vector<uint32_t> ids;
    // About one line per 17 bytes (a 16-digit cio_id): one allocation for most.
    ids.reserve(size_t(lines.size() / 17 + 1));
    const char* p = lines.constData();
    const char* const end = p + lines.size();
    while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
        const char* stop = nl ? nl : end;
        if (stop > p)
            ids.push_back(m_interner.intern(std::string_view(p, size_t(stop - p))));
        p = stop + 1;
    }
    // The bitmap takes each id once.
    put(mappingId, name, ids);
}

void OverlapIndex::remove(qint64 mappingId)
{
    m_cohorts.erase(mappingId);
}

QList<qint64> OverlapIndex::mappingIds() const
{
    QList<qint64> out;
    for (const auto& [id, c] : m_cohorts)
        out.append(id);
    return out;
}

uint64_t OverlapIndex::cohortSize(qint64 mappingId) const
{
    const auto it = m_cohorts.find(mappingId);
    return it == m_cohorts.end() ? 0 : it->second.members.cardinality();
}

const RoaringBitmap* OverlapIndex::bitmap(qint64 mappingId) const
{
    const auto it = m_cohorts.find(mappingId);
    return it == m_cohorts.end() ? nullptr : &it->second.members;
}

std::optional<OverlapStats> OverlapIndex::pair(qint64 a, qint64 b) const
{
    const RoaringBitmap* ra = bitmap(a);
    const RoaringBitmap* rb = bitmap(b);
    if (!ra || !rb)
        return std::nullopt;
    return OverlapStats{a, b, ra->cardinality(), rb->cardinality(), ra->and_cardinality(*rb)};
}

OverlapMatrix OverlapIndex::matrix() const
{
    return matrix(mappingIds());
}

OverlapMatrix OverlapIndex::matrix(const QList<qint64>& ids) const
{
    OverlapMatrix m;
    std::vector<const RoaringBitmap*> maps;
    for (qint64 id : ids) {
        const auto it = m_cohorts.find(id);
        if (it == m_cohorts.end())
            continue;
        m.mappingIds.append(id);
        m.names.append(it->second.name);
        maps.push_back(&it->second.members);
    }
    const size_t n = maps.size();
    m.counts.assign(n * n, 0);
    for (size_t i = 0; i < n; ++i) {
        m.counts[i * n + i] = maps[i]->cardinality();
        // Symmetric: count each pair once.
        for (size_t j = i + 1; j < n; ++j) {
            const uint64_t c = maps[i]->and_cardinality(*maps[j]);
            m.counts[i * n + j] = c;
            m.counts[j * n + i] = c;
        }
    }
    return m;
}

std::vector<std::string_view> OverlapIndex::commonKeys(qint64 a, qint64 b, size_t limit) const
{
    std::vector<std::string_view> out;
    const RoaringBitmap* ra = bitmap(a);
    const RoaringBitmap* rb = bitmap(b);
    if (!ra || !rb || limit == 0)
        return out;
    const RoaringBitmap both = *ra & *rb;
    for (auto it = both.begin(); it != both.end() && out.size() < limit; ++it)
        out.push_back(m_interner.key(*it));
    return out;
}

size_t OverlapIndex::memoryBytes() const
{
    size_t bytes = m_interner.memoryBytes();
    for (const auto& [id, c] : m_cohorts)
        bytes += c.members.getSizeInBytes(false);
    return bytes;
}

} // namespace lockstep
