// A compact set of Mixpanel keys ($distinct_id) for one mapping: every key's UTF-8
// bytes in an arena of fixed-size blocks (no doubling, no copy when it grows), plus an
// 8-byte reference each, so a million members cost tens of megabytes, not hundreds.
// Each key may carry a little "extra" text (the member's Customer.io identifiers) for
// reports; order and equality look at the key only. A set can also be a read-only
// view over a snapshot blob (sorted keys joined by '\n'), without copying it.
#pragma once

#include <QByteArray>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

class MemberSet
{
public:
    static constexpr size_t kMaxKeyBytes = 4095;
    static constexpr size_t kMaxExtraBytes = 4095;

    // `bytes` is accepted for symmetry; the arena grows block by block without copies.
    void reserve(size_t members, size_t bytes = 0);
    // Appends; call finalize() before lookups. Keys longer than kMaxKeyBytes are the
    // caller's to reject (the identity rules do).
    void add(std::string_view key, std::string_view extra = {});
    // A finalized set over `blob` (keys joined by '\n'; empty keys skipped), sharing the
    // blob's bytes instead of copying them. Sorted and deduplicated if the blob was not.
    static MemberSet fromBlob(const QByteArray& blob, size_t expectedMembers = 0);
    // The same when the caller has just built the blob and knows where each key starts
    // (sorted, distinct, non-empty keys; `offsets` ascending): no second pass over it.
    static MemberSet fromIndexedBlob(QByteArray blob, std::vector<uint32_t> offsets);
    // Sorts what was added since the last call as one run; finalize() then only merges
    // the runs. Lets a producer sort page by page while the next page is on the wire.
    // `visit`, when given, sees that run's keys in order (duplicates included) before
    // it is merged with the earlier ones.
    void sealRun(const std::function<void(std::string_view)>& visit = {});

    // Sorts by key and keeps one entry per key. For every key that was added more than
    // once, calls onDuplicate(key, extras of all its entries) before collapsing.
    template <typename F> void finalize(F&& onDuplicate);
    void finalize()
    {
        finalize([](std::string_view, const std::vector<std::string_view>&) {});
    }

    size_t size() const { return m_offsets.empty() ? m_refs.size() : m_offsets.size(); }
    bool empty() const { return size() == 0; }
    std::string_view key(size_t i) const
    {
        if (!m_offsets.empty()) {
            const uint32_t begin = m_offsets[i];
            const uint32_t end =
                i + 1 < m_offsets.size() ? m_offsets[i + 1] - 1 : uint32_t(m_blob.size());
            return {m_blob.constData() + begin, end - begin};
        }
        const Ref r = m_refs[i];
        return {at(r.offset), r.keyLen};
    }
    std::string_view extra(size_t i) const
    {
        if (!m_offsets.empty())
            return {};
        const Ref r = m_refs[i];
        return {at(r.offset) + r.keyLen, r.extraLen};
    }
    bool contains(std::string_view key) const;
    // The keys in order, joined by '\n' (a snapshot blob).
    QByteArray joinedKeys() const;
    // Index of the first key not less than `key`, searching from `from` (sorted sets).
    size_t lowerBound(std::string_view key, size_t from = 0) const;
    size_t memoryBytes() const
    {
        size_t bytes = size_t(m_blob.size()) + m_refs.capacity() * sizeof(Ref) +
                       m_offsets.capacity() * sizeof(uint32_t);
        for (const QByteArray& b : m_blocks)
            bytes += size_t(b.size());
        return bytes;
    }
    // Gives the memory back (the set is empty afterwards).
    void clear();

private:
    struct Ref
    {
        uint64_t offset : 40;
        uint64_t keyLen : 12;
        uint64_t extraLen : 12;
    };
    static_assert(sizeof(Ref) == 8);

    static constexpr unsigned kBlockShift = 20; // 1 MiB blocks; an entry never spans two
    static constexpr size_t kBlockBytes = size_t(1) << kBlockShift;
    static_assert(kMaxKeyBytes + kMaxExtraBytes < kBlockBytes);

    const char* at(uint64_t offset) const
    {
        if (!m_blob.isNull())
            return m_blob.constData() + offset;
        return m_blocks[offset >> kBlockShift].constData() + (offset & (kBlockBytes - 1));
    }
    bool refLess(Ref a, Ref b) const
    {
        return keyLess(at(a.offset), a.keyLen, at(b.offset), b.keyLen);
    }
    // Byte order, as std::string_view's, but eight bytes a step without a call: keys
    // are short and sorting a million of them is mostly comparing.
    static bool keyLess(const char* a, size_t la, const char* b, size_t lb)
    {
        const size_t n = la < lb ? la : lb;
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            uint64_t x, y;
            std::memcpy(&x, a + i, 8);
            std::memcpy(&y, b + i, 8);
            if (x != y)
                return __builtin_bswap64(x) < __builtin_bswap64(y);
        }
        for (; i < n; ++i)
            if (a[i] != b[i])
                return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
        return la < lb;
    }
    void sortRefs();
    void detachFromBlob();

    std::vector<QByteArray> m_blocks; // shared on copy, detached on write
    size_t m_used = 0;                // bytes used in the last block
    QByteArray m_blob;                // read-only view mode (fromBlob)
    std::vector<Ref> m_refs;
    // A view over a well-formed snapshot blob (sorted, distinct, non-empty keys joined by
    // '\n', under 4 GiB) needs only where each key starts: 4 bytes a member, not 8.
    // Empty otherwise (and m_refs holds the keys).
    std::vector<uint32_t> m_offsets;
    std::vector<size_t> m_runStarts; // sorted runs [m_runStarts[i], next start or m_sealed)
    size_t m_sealed = 0;
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

template <typename F> void MemberSet::finalize(F&& onDuplicate)
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
