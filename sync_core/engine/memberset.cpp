#include "memberset.h"

#include <algorithm>

namespace lockstep {

void MemberSet::reserve(size_t members, size_t bytes)
{
    m_refs.reserve(members);
    m_arena.reserve(bytes);
}

void MemberSet::add(std::string_view key, std::string_view extra)
{
    key = key.substr(0, kMaxKeyBytes);
    extra = extra.substr(0, kMaxExtraBytes);
    Ref r;
    r.offset = m_arena.size();
    r.keyLen = key.size();
    r.extraLen = extra.size();
    m_arena.append(key);
    m_arena.append(extra);
    if (!m_refs.empty() && m_sorted) {
        const Ref last = m_refs.back();
        m_sorted = std::string_view(m_arena.data() + last.offset, last.keyLen) <= key;
    }
    m_refs.push_back(r);
}

void MemberSet::sortRefs()
{
    if (m_sorted)
        return;
    const char* base = m_arena.data();
    // Stable, so the first spelling of a duplicated key is the one kept.
    std::stable_sort(m_refs.begin(), m_refs.end(), [base](Ref a, Ref b) {
        return std::string_view(base + a.offset, a.keyLen)
               < std::string_view(base + b.offset, b.keyLen);
    });
    m_sorted = true;
}

bool MemberSet::contains(std::string_view k) const
{
    size_t lo = 0, hi = m_refs.size();
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        const auto c = key(mid).compare(k);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

MemberDiff diffMembers(const MemberSet& previous, const MemberSet& current)
{
    MemberDiff d;
    size_t i = 0, j = 0;
    while (i < previous.size() && j < current.size()) {
        const int c = previous.key(i).compare(current.key(j));
        if (c == 0) {
            ++d.unchanged;
            ++i;
            ++j;
        } else if (c < 0) {
            d.exited.push_back(uint32_t(i++));
        } else {
            d.entered.push_back(uint32_t(j++));
        }
    }
    for (; i < previous.size(); ++i)
        d.exited.push_back(uint32_t(i));
    for (; j < current.size(); ++j)
        d.entered.push_back(uint32_t(j));
    return d;
}

} // namespace lockstep
