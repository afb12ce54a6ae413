#pragma once
// Interns byte strings into one arena so a million people or profiles cost a few bytes
// each instead of one heap block per string. Ids are dense and stable.

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace lockstep::sandbox {

class StringPool
{
public:
    static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

    // The hash intern() and find() use; callers may compute it ahead (on another thread).
    static std::uint64_t hashOf(QByteArrayView text)
    {
        return std::hash<std::string_view>{}(
            std::string_view(text.data(), std::size_t(text.size())));
    }
    std::uint32_t intern(QByteArrayView text) { return intern(text, hashOf(text)); }
    std::uint32_t intern(QByteArrayView text, std::uint64_t hash);
    // kNone when the string was never interned.
    std::uint32_t find(QByteArrayView text) const { return find(text, hashOf(text)); }
    std::uint32_t find(QByteArrayView text, std::uint64_t hash) const;
    // Hints the cache with the index slot `hash` probes first.
    void prefetch(std::uint64_t hash) const
    {
        if (!m_slots.empty())
            __builtin_prefetch(&m_slots[hash & m_mask]);
    }
    QByteArrayView view(std::uint32_t id) const
    {
        const std::string_view s = m_strings[id];
        return QByteArrayView(s.data(), qsizetype(s.size()));
    }
    QByteArray bytes(std::uint32_t id) const { return view(id).toByteArray(); }
    std::size_t size() const { return m_strings.size(); }

private:
    std::string_view store(QByteArrayView text);
    void grow();

    static constexpr std::size_t kBlockSize = 1 << 20;
    std::vector<std::unique_ptr<char[]>> m_blocks;
    std::vector<std::unique_ptr<char[]>> m_bigBlocks;
    std::size_t m_blockUsed = kBlockSize;
    std::vector<std::string_view> m_strings;
    // Open addressing, linear probing, load <= 1/2: a slot is 0 (empty) or the hash's high
    // 32 bits over (id + 1). One cache line per probe instead of a node chain per lookup.
    std::vector<std::uint64_t> m_slots;
    std::size_t m_mask = 0;
};

} // namespace lockstep::sandbox
