#include "stringpool.h"

#include <algorithm>
#include <cstring>

namespace lockstep::sandbox {

std::uint32_t StringPool::intern(QByteArrayView text, std::uint64_t hash)
{
    if ((m_strings.size() + 1) * 2 > m_slots.size())
        grow();
    const std::string_view key(text.data(), std::size_t(text.size()));
    const std::uint64_t tag = hash >> 32 << 32;
    std::size_t i = hash & m_mask;
    for (;; i = (i + 1) & m_mask) {
        const std::uint64_t slot = m_slots[i];
        if (!slot)
            break;
        if ((slot & 0xFFFFFFFF00000000ull) == tag && m_strings[std::uint32_t(slot) - 1] == key)
            return std::uint32_t(slot) - 1;
    }
    const auto id = std::uint32_t(m_strings.size());
    m_strings.push_back(store(text));
    m_slots[i] = tag | (std::uint64_t(id) + 1);
    return id;
}

std::uint32_t StringPool::find(QByteArrayView text, std::uint64_t hash) const
{
    if (m_slots.empty())
        return kNone;
    const std::string_view key(text.data(), std::size_t(text.size()));
    const std::uint64_t tag = hash >> 32 << 32;
    for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
        const std::uint64_t slot = m_slots[i];
        if (!slot)
            return kNone;
        if ((slot & 0xFFFFFFFF00000000ull) == tag && m_strings[std::uint32_t(slot) - 1] == key)
            return std::uint32_t(slot) - 1;
    }
}

void StringPool::grow()
{
    const std::size_t capacity = std::max<std::size_t>(1024, m_slots.size() * 2);
    m_slots.assign(capacity, 0);
    m_mask = capacity - 1;
    for (std::uint32_t id = 0; id < m_strings.size(); ++id) {
        const std::string_view s = m_strings[id];
        const std::uint64_t hash = hashOf(QByteArrayView(s.data(), qsizetype(s.size())));
        std::size_t i = hash & m_mask;
        while (m_slots[i])
            i = (i + 1) & m_mask;
        m_slots[i] = (hash >> 32 << 32) | (std::uint64_t(id) + 1);
    }
}

std::string_view StringPool::store(QByteArrayView text)
{
    const auto len = std::size_t(text.size());
    if (len > kBlockSize / 4) {
        // Big strings get their own allocation so they do not waste a shared block.
        m_bigBlocks.emplace_back(new char[len]);
        std::memcpy(m_bigBlocks.back().get(), text.data(), len);
        return std::string_view(m_bigBlocks.back().get(), len);
    }
    if (m_blockUsed + len > kBlockSize) {
        m_blocks.emplace_back(new char[kBlockSize]);
        m_blockUsed = 0;
    }
    char* dest = m_blocks.back().get() + m_blockUsed;
    std::memcpy(dest, text.data(), len);
    m_blockUsed += len;
    return std::string_view(dest, len);
}

} // namespace lockstep::sandbox
