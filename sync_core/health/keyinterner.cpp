#include "keyinterner.h"

#include <bit>
#include <cstring>
#include <functional>

namespace lockstep {

namespace {
constexpr size_t kChunk = 1 << 20;
} // namespace

KeyInterner::KeyInterner()
{
    grow(1024);
}

uint32_t KeyInterner::hashOf(std::string_view key)
{
    const uint64_t h = std::hash<std::string_view>{}(key);
    return uint32_t(h ^ (h >> 32));
}

void KeyInterner::reserve(size_t keys)
{
    m_keys.reserve(keys);
    const size_t want = std::bit_ceil(keys + keys / 2 + 16);
    if (want > m_slots.size())
        grow(want);
}

size_t KeyInterner::memoryBytes() const
{
    return m_chunkBytes + m_keys.capacity() * sizeof(std::string_view) +
           m_slots.capacity() * sizeof(Slot);
}

void KeyInterner::grow(size_t slots)
{
    std::vector<Slot> fresh(slots, Slot{0, kNotFound});
    const size_t mask = slots - 1;
    for (const Slot& s : m_slots) {
        if (s.id == kNotFound)
            continue;
        size_t i = s.hash & mask;
        while (fresh[i].id != kNotFound)
            i = (i + 1) & mask;
        fresh[i] = s;
    }
    m_slots.swap(fresh);
}

std::string_view KeyInterner::store(std::string_view key)
{
    if (key.size() > m_left) {
        // Oversized keys get a chunk of their own; the current chunk stays in use.
        const size_t bytes = std::max(kChunk, key.size());
        m_chunks.push_back(std::make_unique<char[]>(bytes));
        m_chunkBytes += bytes;
        if (bytes == kChunk || key.size() <= kChunk) {
            m_cursor = m_chunks.back().get();
            m_left = bytes;
        } else {
            std::memcpy(m_chunks.back().get(), key.data(), key.size());
            return {m_chunks.back().get(), key.size()};
        }
    }
    if (!key.empty())
        std::memcpy(m_cursor, key.data(), key.size());
    std::string_view out(m_cursor, key.size());
    m_cursor += key.size();
    m_left -= key.size();
    m_arenaBytes += key.size();
    return out;
}

uint32_t KeyInterner::find(std::string_view key) const
{
    const uint32_t h = hashOf(key);
    const size_t mask = m_slots.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (s.id == kNotFound)
            return kNotFound;
        if (s.hash == h && m_keys[s.id] == key)
            return s.id;
    }
}

uint32_t KeyInterner::intern(std::string_view key)
{
    const uint32_t h = hashOf(key);
    size_t mask = m_slots.size() - 1;
    size_t i = h & mask;
    for (;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (s.id == kNotFound)
            break;
        if (s.hash == h && m_keys[s.id] == key)
            return s.id;
    }
    const uint32_t id = uint32_t(m_keys.size());
    m_keys.push_back(store(key));
    if ((m_keys.size()) * 10 > m_slots.size() * 7) {
        grow(m_slots.size() * 2);
        mask = m_slots.size() - 1;
        i = h & mask;
        while (m_slots[i].id != kNotFound)
            i = (i + 1) & mask;
    }
    m_slots[i] = Slot{h, id};
    return id;
}

} // namespace lockstep
