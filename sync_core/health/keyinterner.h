// Maps member keys ($distinct_id strings) to dense uint32 ids, so cohort memberships
// become CRoaring bitmaps. Keys are copied once into an arena of large chunks (views
// stay valid as it grows); lookups go through an open-addressing table of
// (hash, id) slots, 8 bytes each, instead of a node per key.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace lockstep {

class KeyInterner
{
public:
    static constexpr uint32_t kNotFound = UINT32_MAX;

    KeyInterner();

    // The id of `key`, adding it when new. Ids are 0, 1, 2... in order of first sight.
    uint32_t intern(std::string_view key);
    // The id of `key`, or kNotFound.
    uint32_t find(std::string_view key) const;
    std::string_view key(uint32_t id) const { return m_keys[id]; }
    size_t size() const { return m_keys.size(); }
    void reserve(size_t keys);
    size_t memoryBytes() const;

private:
    struct Slot
    {
        uint32_t hash;
        uint32_t id; // kNotFound = empty
    };
    static uint32_t hashOf(std::string_view key);
    std::string_view store(std::string_view key);
    void grow(size_t slots);

    std::vector<std::unique_ptr<char[]>> m_chunks;
    size_t m_chunkBytes = 0;
    char* m_cursor = nullptr;
    size_t m_left = 0;
    size_t m_arenaBytes = 0;
    std::vector<std::string_view> m_keys; // id -> key
    std::vector<Slot> m_slots;            // power-of-two size, at most 70% full
};

} // namespace lockstep
