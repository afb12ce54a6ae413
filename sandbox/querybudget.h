#pragma once
// Mixpanel's Query API limits: N queries per (scalable) hour, sliding window, and at most
// M queries in flight. Refused queries do not use up the budget.

#include <QtGlobal>

#include <deque>

namespace lockstep::sandbox {

class QueryBudget
{
public:
    QueryBudget(int perHour, int hourSeconds, int concurrency)
        : m_perHour(perHour), m_windowMs(qint64(hourSeconds) * 1000), m_concurrency(concurrency)
    {}

    enum class Verdict
    {
        Ok,
        HourlyExceeded,
        TooManyConcurrent
    };

    Verdict admit(qint64 nowMs, int& retryAfter)
    {
        while (!m_times.empty() && m_times.front() <= nowMs - m_windowMs)
            m_times.pop_front();
        if (m_inFlight >= m_concurrency) {
            retryAfter = 1;
            return Verdict::TooManyConcurrent;
        }
        if (int(m_times.size()) >= m_perHour) {
            retryAfter = int((m_times.front() + m_windowMs - nowMs + 999) / 1000);
            return Verdict::HourlyExceeded;
        }
        m_times.push_back(nowMs);
        ++m_inFlight;
        return Verdict::Ok;
    }
    void finished() { --m_inFlight; }
    int used(qint64 nowMs) const
    {
        int n = 0;
        for (qint64 t : m_times)
            n += t > nowMs - m_windowMs ? 1 : 0;
        return n;
    }
    int limit() const { return m_perHour; }
    void reset() { m_times.clear(); }

private:
    int m_perHour;
    qint64 m_windowMs;
    int m_concurrency;
    int m_inFlight = 0;
    std::deque<qint64> m_times;
};

} // namespace lockstep::sandbox
