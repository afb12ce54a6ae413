#pragma once
// Interns byte strings into one arena so a million people or profiles cost a few bytes
// each instead of one heap block per string. Ids are dense and stable.

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lockstep::sandbox {

class StringPool
{
public:
    static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

    std::uint32_t intern(QByteArrayView text);
    // kNone when the string was never interned.
    std::uint32_t find(QByteArrayView text) const;
    QByteArrayView view(std::uint32_t id) const
    {
        const std::string_view s = m_strings[id];
        return QByteArrayView(s.data(), qsizetype(s.size()));
    }
    QByteArray bytes(std::uint32_t id) const { return view(id).toByteArray(); }
    std::size_t size() const { return m_strings.size(); }

private:
    std::string_view store(QByteArrayView text);

    static constexpr std::size_t kBlockSize = 1 << 20;
    std::vector<std::unique_ptr<char[]>> m_blocks;
    std::vector<std::unique_ptr<char[]>> m_bigBlocks;
    std::size_t m_blockUsed = kBlockSize;
    std::vector<std::string_view> m_strings;
    std::unordered_map<std::string_view, std::uint32_t> m_index;
};

} // namespace lockstep::sandbox
