#pragma once
// The Customer.io side's people: flat vectors of interned identifiers (a few bytes per
// person), generated deterministically from the scenario seed with identity anomalies.

#include "scenario.h"
#include "stringpool.h"

#include <QByteArrayView>

#include <cstdint>
#include <vector>

namespace lockstep::sandbox {

class Prng;

struct Person
{
    std::uint32_t id = StringPool::kNone;    // kNone: no id ("" in ids, null in identifiers)
    std::uint32_t email = StringPool::kNone; // kNone: null e-mail
    std::uint32_t cioId = StringPool::kNone;
    bool vanished = false; // merged away: its cio_id no longer appears anywhere
};

// A Customer.io merge that happened: `secondary` was folded into `primary` and deleted.
struct Merge
{
    std::uint32_t secondary = 0;
    std::uint32_t primary = 0;
    int tick = 0; // the tick it happened on (through the control API: ticks done so far)
};

class Population
{
public:
    static constexpr std::uint32_t kNoPerson = 0xFFFFFFFFu;

    void build(const Scenario& scenario, Prng& prng);

    std::uint32_t size() const { return std::uint32_t(m_people.size()); }
    const Person& person(std::uint32_t index) const { return m_people[index]; }
    // Records a merge that happened: the secondary vanishes (from lookups as well).
    void recordMerge(const Merge& merge)
    {
        m_people[merge.secondary].vanished = true;
        m_done.push_back(merge);
    }
    // Every merge so far, in order (ground truth for tests: GET /_sandbox/merges).
    const std::vector<Merge>& merges() const { return m_done; }
    const StringPool& strings() const { return m_strings; }
    QByteArrayView text(std::uint32_t stringId) const { return m_strings.view(stringId); }

    // A person by cio_id, then id, then e-mail (explicit members in scenarios).
    std::uint32_t findByKey(QByteArrayView key) const;

    // Pairs (secondary, primary) that Customer.io merges on the first tick.
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pendingMerges() const
    {
        return m_merges;
    }
    void clearPendingMerges() { m_merges.clear(); }

private:
    std::uint32_t add(const PersonSpec& spec);
    void generate(const Scenario& scenario, Prng& prng);

    StringPool m_strings;
    std::vector<Person> m_people;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_merges;
    std::vector<Merge> m_done;
};

} // namespace lockstep::sandbox
