#include "sampling.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace lockstep {

quint64 SplitMix64::next()
{
    quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

quint64 SplitMix64::below(quint64 bound)
{
    // Rejects the top sliver that does not divide evenly by `bound`.
    const quint64 limit = ~quint64(0) - (~quint64(0) % bound);
    for (;;) {
        const quint64 v = next();
        if (v < limit)
            return v % bound;
    }
}

std::vector<uint32_t> sampleOrder(quint64 seed, uint32_t n, uint32_t k)
{
    k = std::min(k, n);
    SplitMix64 rng(seed);
    // Fisher-Yates over a virtual identity array: only the positions swapped are stored,
    // so a small sample of many costs O(k).
    std::unordered_map<uint32_t, uint32_t> swapped;
    const auto at = [&swapped](uint32_t i) {
        const auto it = swapped.find(i);
        return it == swapped.end() ? i : it->second;
    };
    std::vector<uint32_t> out;
    out.reserve(k);
    for (uint32_t i = 0; i < k; ++i) {
        const uint32_t j = i + uint32_t(rng.below(n - i));
        const uint32_t vi = at(i);
        const uint32_t vj = at(j);
        out.push_back(vj);
        swapped[j] = vi;
    }
    return out;
}

qint64 ShareEstimate::estimatedHits() const
{
    if (exact())
        return hits;
    return qint64(std::llround(share * double(population)));
}

ShareEstimate estimateShare(qint64 hits, qint64 sampled, qint64 population)
{
    ShareEstimate e;
    e.population = std::max<qint64>(0, population);
    e.sampled = std::clamp<qint64>(sampled, 0, e.population);
    e.hits = std::clamp<qint64>(hits, 0, e.sampled);
    if (e.sampled == 0) {
        e.low = 0;
        e.high = 1; // nothing looked at: anything is possible
        return e;
    }
    const double n = double(e.sampled);
    const double p = double(e.hits) / n;
    e.share = p;
    const double fpc =
        e.population > 1 ? double(e.population - e.sampled) / double(e.population - 1) : 0.0;
    const double z2 = 1.96 * 1.96 * fpc;
    if (z2 <= 0) {
        e.low = e.high = p;
        return e;
    }
    const double z = std::sqrt(z2);
    const double h = double(e.hits);
    // Newcombe's continuity-corrected score interval (his method 4).
    e.low = e.hits == 0
                ? 0.0
                : (2 * h + z2 - 1 -
                   z * std::sqrt(std::max(0.0, z2 - 2 - 1 / n + 4 * p * (n * (1 - p) + 1)))) /
                      (2 * (n + z2));
    e.high = e.hits == e.sampled
                 ? 1.0
                 : (2 * h + z2 + 1 +
                    z * std::sqrt(std::max(0.0, z2 + 2 - 1 / n + 4 * p * (n * (1 - p) - 1)))) /
                       (2 * (n + z2));
    e.low = std::max(0.0, e.low);
    e.high = std::min(1.0, e.high);
    // Rounding must not leave the observed share outside its own interval.
    e.low = std::min(e.low, p);
    e.high = std::max(e.high, p);
    return e;
}

} // namespace lockstep
