#pragma once

#include "clock.h"

#include <atomic>

namespace lockstep {

// The wall clock moved by an offset: a process that replays history (the demo's 90 days)
// runs its engine at past times while timers and rate limits keep real durations. Read
// from any thread; the offset is set by whoever drives the replay.
class SimulatedClock : public Clock
{
public:
    qint64 nowMs() const override
    {
        return Clock::system()->nowMs() + m_offset.load(std::memory_order_relaxed);
    }
    // From now on, nowMs() reads `atMs` and moves on with the wall clock.
    void setNowMs(qint64 atMs)
    {
        m_offset.store(atMs - Clock::system()->nowMs(), std::memory_order_relaxed);
    }
    // Back to the wall clock.
    void resetToWallClock() { m_offset.store(0, std::memory_order_relaxed); }
    qint64 offsetMs() const { return m_offset.load(std::memory_order_relaxed); }

private:
    std::atomic<qint64> m_offset{0};
};

} // namespace lockstep
