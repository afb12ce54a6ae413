#include "segmentstore.h"

#include "customerindex.h"
#include "prng.h"

#include <algorithm>
#include <bit>
#include <unordered_set>

namespace lockstep::sandbox {

// Who may not join a segment that must stay disjoint from `others`: their members, and
// anyone sharing a member's e-mail address (a suppression list is about addresses, and a
// shared address is one Mixpanel key).
class SegmentStore::Apart
{
public:
    Apart(const std::vector<const Segment*>& others, const Population& population,
          const SegmentStore& store)
        : m_others(others), m_population(population)
    {
        for (const Segment* o : m_others)
            for (std::uint32_t p = store.nextMember(*o, 0); p != Population::kNoPerson;
                 p = store.nextMember(*o, p + 1))
                if (const std::uint32_t e = population.person(p).email; e != StringPool::kNone)
                    m_emails.insert(CustomerIndex::normaliseEmail(population.text(e)));
    }
    bool bars(std::uint32_t person) const
    {
        if (m_others.empty())
            return false;
        for (const Segment* o : m_others)
            if (o->contains(person))
                return true;
        const std::uint32_t e = m_population.person(person).email;
        return e != StringPool::kNone &&
               m_emails.count(CustomerIndex::normaliseEmail(m_population.text(e))) > 0;
    }

private:
    std::vector<const Segment*> m_others;
    const Population& m_population;
    std::unordered_set<std::string> m_emails;
};

void SegmentStore::set(Segment& s, std::uint32_t person, bool member)
{
    std::uint64_t& word = s.bits[person >> 6];
    const std::uint64_t mask = std::uint64_t(1) << (person & 63);
    if (bool(word & mask) == member)
        return;
    word ^= mask;
    s.count += member ? 1 : -1;
}

std::vector<std::uint32_t> SegmentStore::members(const Segment& s) const
{
    std::vector<std::uint32_t> out;
    out.reserve(std::size_t(s.count));
    for (std::size_t w = 0; w < s.bits.size(); ++w) {
        std::uint64_t word = s.bits[w];
        while (word) {
            out.push_back(std::uint32_t(w * 64 + std::size_t(std::countr_zero(word))));
            word &= word - 1;
        }
    }
    return out;
}

std::uint32_t SegmentStore::nextMember(const Segment& segment, std::uint32_t from) const
{
    std::size_t w = from >> 6;
    if (w >= segment.bits.size())
        return Population::kNoPerson;
    std::uint64_t word = segment.bits[w] & (~std::uint64_t(0) << (from & 63));
    while (true) {
        if (word)
            return std::uint32_t(w * 64 + std::size_t(std::countr_zero(word)));
        if (++w >= segment.bits.size())
            return Population::kNoPerson;
        word = segment.bits[w];
    }
}

void SegmentStore::setPageOrder(PageOrder order, quint64 seed)
{
    m_byRank.clear();
    if (order == PageOrder::Ascending)
        return;
    // Its own generator: the order must not change the world the seed draws.
    Prng prng(seed ^ 0x0DE5C0DEull);
    m_byRank.resize(m_population);
    for (std::uint32_t i = 0; i < m_population; ++i)
        m_byRank[i] = i;
    for (std::uint32_t i = m_population; i > 1; --i)
        std::swap(m_byRank[i - 1], m_byRank[prng.below(i)]);
}

std::uint32_t SegmentStore::nextRanked(const Segment& segment, std::uint32_t from) const
{
    if (m_byRank.empty())
        return nextMember(segment, from);
    for (std::uint32_t r = from; r < m_byRank.size(); ++r) {
        if (segment.contains(m_byRank[r]))
            return r;
    }
    return Population::kNoPerson;
}

std::optional<ScenarioError> SegmentStore::build(const Scenario& scenario, Population& population,
                                                 Prng& prng)
{
    m_population = population.size();
    const std::size_t words = (std::size_t(m_population) + 63) / 64;
    std::vector<std::uint32_t> everyone(m_population);
    for (std::uint32_t i = 0; i < m_population; ++i)
        everyone[i] = i;

    for (int si = 0; si < scenario.segments.size(); ++si) {
        const SegmentSpec& spec = scenario.segments.at(si);
        Segment s;
        s.spec = spec;
        s.state = spec.state;
        s.progress = spec.progress;
        s.updatedAt = spec.updatedAt;
        s.bits.assign(words, 0);

        if (spec.members) {
            for (int k = 0; k < spec.members->size(); ++k) {
                const std::uint32_t p =
                    population.findByKey(QByteArrayView(spec.members->at(k).toUtf8()));
                if (p == Population::kNoPerson)
                    return ScenarioError{QStringLiteral("segments[%1].members[%2]").arg(si).arg(k),
                                         QStringLiteral("no person has cio_id, id or email \"%1\"")
                                             .arg(spec.members->at(k))};
                set(s, p, true);
            }
        } else {
            qint64 want = spec.size >= 0 ? spec.size : qint64(spec.share * m_population + 0.5);
            want = std::min<qint64>(want, m_population);
            // Overlap: part of the members come from an earlier segment.
            if (spec.overlapWith > 0) {
                const Segment* other = find(spec.overlapWith);
                std::vector<std::uint32_t> pool = members(*other);
                qint64 fromOther =
                    std::min<qint64>(qint64(spec.overlapShare * want + 0.5), qint64(pool.size()));
                for (qint64 k = 0; k < fromOther; ++k) {
                    std::swap(pool[std::size_t(k)],
                              pool[std::size_t(k) + prng.below(pool.size() - std::size_t(k))]);
                    set(s, pool[std::size_t(k)], true);
                }
            }
            // The rest: a partial Fisher-Yates over everyone, skipping those already in and
            // those of segments this one must stay disjoint from.
            std::vector<const Segment*> others;
            for (int id : spec.disjointWith)
                others.push_back(find(id));
            const Apart apart(others, population, *this);
            std::size_t k = 0;
            while (s.count < want && k < everyone.size()) {
                std::swap(everyone[k], everyone[k + prng.below(everyone.size() - k)]);
                if (!apart.bars(everyone[k]))
                    set(s, everyone[k], true);
                ++k;
            }
        }
        m_segments.push_back(std::move(s));
    }
    // Disjointness holds both ways: entries into either segment skip the other's members.
    m_disjoint.assign(m_segments.size(), {});
    for (std::size_t i = 0; i < m_segments.size(); ++i)
        for (int id : m_segments[i].spec.disjointWith)
            for (std::size_t j = 0; j < m_segments.size(); ++j)
                if (m_segments[j].spec.id == id) {
                    m_disjoint[i].push_back(j);
                    m_disjoint[j].push_back(i);
                }
    setPageOrder(scenario.pageOrder, scenario.seed);
    return std::nullopt;
}

TickReport SegmentStore::tick(Population& population, Prng& prng)
{
    TickReport report;
    report.tick = ++m_ticks;

    // Customer.io merges pending from the scenario's "merged" share.
    for (const auto& [secondary, primary] : population.pendingMerges()) {
        merge(population, secondary, primary);
        ++report.merged;
    }
    population.clearPendingMerges();

    for (Segment& s : m_segments) {
        if (s.spec.definitionEdits.contains(m_ticks)) {
            s.updatedAt += 86400; // the definition changed: updated_at (and deduplicate_id) move
            ++report.definitionEdits;
        }
        if (s.progress && s.spec.finishAfterTicks > 0) {
            if (m_ticks >= s.spec.finishAfterTicks) {
                s.state = QStringLiteral("finished");
                s.progress.reset();
            } else {
                s.progress = std::min(99, 100 * m_ticks / s.spec.finishAfterTicks);
            }
        }
        // Exits first (chosen among current members), then entries among non-members.
        const ChurnSpec churn = s.spec.churn.atTick(m_ticks);
        std::vector<std::uint32_t> current = members(s);
        const std::size_t exits = std::min<std::size_t>(std::size_t(churn.exited), current.size());
        std::unordered_set<std::uint32_t> leftNow;
        for (std::size_t k = 0; k < exits; ++k) {
            std::swap(current[k], current[k + prng.below(current.size() - k)]);
            set(s, current[k], false);
            leftNow.insert(current[k]);
        }
        report.exited += qint64(exits);
        const qint64 room = qint64(m_population) - s.count;
        qint64 entries = std::min<qint64>(churn.entered, room);
        std::vector<const Segment*> others;
        const std::size_t index = std::size_t(&s - m_segments.data());
        if (index < m_disjoint.size())
            for (std::size_t other : m_disjoint[index])
                others.push_back(&m_segments[other]);
        const Apart apart(others, population, *this);
        int guard = 0;
        while (entries > 0 && guard < 1000000) {
            const auto p = std::uint32_t(prng.below(m_population));
            // Someone who left this tick does not come straight back: counts stay exact.
            if (population.person(p).vanished || s.contains(p) || leftNow.count(p) ||
                apart.bars(p)) {
                ++guard;
                continue;
            }
            set(s, p, true);
            --entries;
            ++report.entered;
        }
    }
    return report;
}

void SegmentStore::merge(Population& population, std::uint32_t secondary, std::uint32_t primary)
{
    for (Segment& s : m_segments) {
        if (s.contains(secondary)) {
            set(s, secondary, false);
            set(s, primary, true);
        }
    }
    population.recordMerge({secondary, primary, m_ticks});
}

QString SegmentStore::edit(int segmentId, const Population& population, const QStringList& add,
                           const QStringList& remove)
{
    Segment* target = nullptr;
    for (Segment& s : m_segments) {
        if (s.spec.id == segmentId)
            target = &s;
    }
    if (!target)
        return QStringLiteral("segment %1 not found").arg(segmentId);
    for (const auto* list : {&add, &remove}) {
        for (const QString& key : *list) {
            const std::uint32_t p = population.findByKey(QByteArrayView(key.toUtf8()));
            if (p == Population::kNoPerson)
                return QStringLiteral("no person has cio_id, id or email \"%1\"").arg(key);
            set(*target, p, list == &add);
        }
    }
    return {};
}

const Segment* SegmentStore::find(int id) const
{
    for (const Segment& s : m_segments) {
        if (s.spec.id == id)
            return &s;
    }
    return nullptr;
}

} // namespace lockstep::sandbox
