#include "stringpool.h"

#include <cstring>

namespace lockstep::sandbox {

std::uint32_t StringPool::intern(QByteArrayView text)
{
    const std::string_view key(text.data(), std::size_t(text.size()));
    if (auto it = m_index.find(key); it != m_index.end())
        return it->second;
    const std::string_view stored = store(text);
    const auto id = std::uint32_t(m_strings.size());
    m_strings.push_back(stored);
    m_index.emplace(stored, id);
    return id;
}

std::uint32_t StringPool::find(QByteArrayView text) const
{
    const std::string_view key(text.data(), std::size_t(text.size()));
    auto it = m_index.find(key);
    return it == m_index.end() ? kNone : it->second;
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
