#pragma once
// Customer.io segments: metadata plus one membership bitset each (1 bit per person),
// so paging in person order is a word scan and churn never reorders earlier members.

#include "population.h"
#include "scenario.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace lockstep::sandbox {

class Prng;

struct Segment
{
    SegmentSpec spec; // id, name, description, type, tags, created_at, churn, edits
    QString state;
    std::optional<int> progress;
    qint64 updatedAt = 0;
    qint64 count = 0;
    std::vector<std::uint64_t> bits;

    bool contains(std::uint32_t person) const { return (bits[person >> 6] >> (person & 63)) & 1u; }
};

struct TickReport
{
    int tick = 0;
    qint64 entered = 0;
    qint64 exited = 0;
    qint64 merged = 0;
    int definitionEdits = 0;
};

class SegmentStore
{
public:
    std::optional<ScenarioError> build(const Scenario& scenario, Population& population,
                                       Prng& prng);
    TickReport tick(Population& population, Prng& prng);
    // A Customer.io merge now: the secondary's cio_id vanishes from every segment (not a
    // real exit), the primary joins the segments the secondary was in. Both must exist
    // and not be merged away already (the caller checks).
    void merge(Population& population, std::uint32_t secondary, std::uint32_t primary);
    // Test control: people (by cio_id, id or e-mail) join or leave a segment; error or empty.
    QString edit(int segmentId, const Population& population, const QStringList& add,
                 const QStringList& remove);

    const Segment* find(int id) const;
    const std::vector<Segment>& segments() const { return m_segments; }
    int ticks() const { return m_ticks; }

    // The first member at or after person index `from`, or Population::kNoPerson.
    std::uint32_t nextMember(const Segment& segment, std::uint32_t from) const;

    // Membership pages follow a page order over everyone (ranks). Ascending is person order;
    // shuffled is a permutation drawn from `seed`, stable for the sandbox's lifetime, so a
    // cursor (a rank) never skips or repeats an unchanged member.
    void setPageOrder(PageOrder order, quint64 seed);
    // The rank of the first member at or after rank `from`, or Population::kNoPerson.
    std::uint32_t nextRanked(const Segment& segment, std::uint32_t from) const;
    std::uint32_t personAt(std::uint32_t rank) const
    {
        return m_byRank.empty() ? rank : m_byRank[rank];
    }

private:
    void set(Segment& s, std::uint32_t person, bool member);
    std::vector<std::uint32_t> members(const Segment& s) const;

    class Apart;
    std::vector<Segment> m_segments;
    std::vector<std::vector<std::size_t>> m_disjoint; // per segment: indexes it must avoid
    std::vector<std::uint32_t> m_byRank;              // person at each rank; empty: ascending
    std::uint32_t m_population = 0;
    int m_ticks = 0;
};

} // namespace lockstep::sandbox
