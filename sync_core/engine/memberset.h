// A compact set of Mixpanel keys ($distinct_id) for one mapping: every key's UTF-8
// bytes in one arena, plus an 8-byte reference each, so a million members cost tens of
// megabytes, not hundreds. Each key may carry a little "extra" text (the member's
// Customer.io identifiers) for reports; order and equality look at the key only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

class MemberSet
{
public:
    static constexpr size_t kMaxKeyBytes = 4095;
    static constexpr size_t kMaxExtraBytes = 4095;

    void reserve(size_t members, size_t bytes);
    // Appends; call finalize() before lookups. Keys longer than kMaxKeyBytes are the
    // caller's to reject (the identity rules do).
    void add(std::string_view key, std::string_view extra = {});

    // Sorts by key and keeps one entry per key. For every key that was added more than
    // once, calls onDuplicate(key, extras of all its entries) before collapsing.
    template <typename F>
    void finalize(F&& onDuplicate);
    void finalize()
    {
        finalize([](std::string_view, const std::vector<std::string_view>&) {});
    }

    size_t size() const { return m_refs.size(); }
    bool empty() const { return m_refs.empty(); }
    std::string_view key(size_t i) const
    {
        const Ref r = m_refs[i];
        return {m_arena.data() + r.offset, r.keyLen};
    }
    std::string_view extra(size_t i) const
    {
        const Ref r = m_refs[i];
        return {m_arena.data() + r.offset + r.keyLen, r.extraLen};
    }
    bool contains(std::string_view key) const;
    size_t memoryBytes() const { return m_arena.capacity() + m_refs.capacity() * sizeof(Ref); }

private:
    struct Ref
    {
        uint64_t offset : 40;
        uint64_t keyLen : 12;
        uint64_t extraLen : 12;
    };
    static_assert(sizeof(Ref) == 8);

    void sortRefs();

    std::string m_arena;
    std::vector<Ref> m_refs;
    bool m_sorted = true;
};

// What changed between the acknowledged snapshot and the segment now.
struct MemberDiff
{
    std::vector<uint32_t> entered; // indices into `current`
    std::vector<uint32_t> exited;  // indices into `previous`
    size_t unchanged = 0;
};

// Both sets must be finalized.
MemberDiff diffMembers(const MemberSet& previous, const MemberSet& current);

template <typename F>
void MemberSet::finalize(F&& onDuplicate)
{
    sortRefs();
    if (m_refs.size() < 2)
        return;
    size_t out = 0;
    std::vector<std::string_view> extras;
    for (size_t i = 0; i < m_refs.size();) {
        size_t j = i + 1;
        while (j < m_refs.size() && key(j) == key(i))
            ++j;
        if (j - i > 1) {
            extras.clear();
            for (size_t k = i; k < j; ++k)
                extras.push_back(extra(k));
            onDuplicate(key(i), extras);
        }
        m_refs[out++] = m_refs[i];
        i = j;
    }
    m_refs.resize(out);
}

} // namespace lockstep
