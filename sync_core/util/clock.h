// Time is injected: the engine asks a Clock, tests move a ManualClock.
#pragma once

#include <QDateTime>
#include <QtGlobal>

namespace lockstep {

class Clock
{
public:
    virtual ~Clock() = default;
    // Milliseconds since the Unix epoch.
    virtual qint64 nowMs() const = 0;
    qint64 nowSecs() const { return nowMs() / 1000; }

    // The process-wide wall clock.
    static Clock* system();
};

class ManualClock : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 1'767'225'600'000) : m_now(startMs) {}
    qint64 nowMs() const override { return m_now; }
    void advanceMs(qint64 ms) { m_now += ms; }
    void setMs(qint64 ms) { m_now = ms; }

private:
    qint64 m_now;
};

} // namespace lockstep
