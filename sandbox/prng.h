#pragma once
// Deterministic PRNG for scenario generation and churn. SplitMix64 is tiny, fast and,
// unlike std:: distributions, gives the same sequence with every standard library.

#include <cstdint>

namespace lockstep::sandbox {

class Prng
{
public:
    explicit Prng(std::uint64_t seed = 0) : m_state(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound) without modulo bias worth caring about (bound << 2^64).
    std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }

    // Uniform in [0, 1) with 53 bits of precision.
    double unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }

    bool chance(double p) { return p > 0.0 && unit() < p; }

private:
    std::uint64_t m_state;
};

} // namespace lockstep::sandbox
