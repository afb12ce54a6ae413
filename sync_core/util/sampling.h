// Reproducible random samples and what a sample says about the whole: a seeded order of
// positions (the same seed gives the same sample on every platform and build, so a run's
// sample can be drawn again from its id), and the share of "hits" in a population
// estimated from a sample drawn without replacement, with a 95 % interval.
#pragma once

#include <QtGlobal>

#include <cstdint>
#include <vector>

namespace lockstep {

// SplitMix64: tiny, fast, and fully specified (std::uniform_int_distribution is not: its
// draws differ between standard libraries).
class SplitMix64
{
public:
    explicit SplitMix64(quint64 seed) : m_state(seed) {}
    quint64 next();
    // Uniform in [0, bound), bound > 0, without modulo bias.
    quint64 below(quint64 bound);

private:
    quint64 m_state;
};

// The first `k` positions of a uniformly random permutation of 0..n-1 drawn from `seed`
// (a partial Fisher-Yates shuffle): any prefix of the result is itself a uniform random
// sample of the positions.
std::vector<uint32_t> sampleOrder(quint64 seed, uint32_t n, uint32_t k);

// The share of hits in a population of `population`, from `sampled` members of it drawn
// at random without replacement, `hits` of them hits. The interval is Wilson's score
// interval with continuity correction (Newcombe 1998, method 4) at 95 % (z = 1.96), with
// the finite population correction (population - sampled) / (population - 1) applied to
// z², so it narrows to the share itself when the sample is the whole population. A score
// interval rather than the normal one: the shares looked for are small (merged-away
// people are a fraction of a percent), where the normal interval goes below zero and says
// nothing for a sample without hits; the continuity correction because without it the
// interval covers the true share less often than 95 % for such shares (about 91 % for 3
// hits in 100 of 500), with it at least 95 %.
struct ShareEstimate
{
    qint64 population = 0;
    qint64 sampled = 0;
    qint64 hits = 0;
    double share = 0; // hits / sampled
    double low = 0;   // the 95 % interval of the population's share
    double high = 0;

    bool exact() const { return sampled >= population; }
    // The share applied to the population, rounded.
    qint64 estimatedHits() const;
    // Half the interval's width: the "±" of the estimate (the interval itself is not
    // symmetric around the share).
    double margin() const { return (high - low) / 2; }
};

ShareEstimate estimateShare(qint64 hits, qint64 sampled, qint64 population);

} // namespace lockstep
