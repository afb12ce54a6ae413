#pragma once
// Customer.io's per-key request limit as a token bucket: `rate` tokens a second, burst
// of `rate`. A client that keeps to the rate is never refused even with timer jitter; one
// that sends twice the rate runs dry after about a second.

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace lockstep::sandbox {

class TokenBucket
{
public:
    explicit TokenBucket(double rate = 10) : m_rate(rate), m_tokens(rate) {}

    // Takes a token; otherwise returns false and the whole seconds to wait in retryAfter.
    bool take(qint64 nowMs, int& retryAfter)
    {
        if (m_lastMs > 0)
            m_tokens = std::min(m_rate, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
        m_lastMs = nowMs;
        if (m_tokens >= 1.0) {
            m_tokens -= 1.0;
            return true;
        }
        retryAfter = std::max(1, int(std::ceil((1.0 - m_tokens) / m_rate)));
        return false;
    }

private:
    double m_rate;
    double m_tokens;
    qint64 m_lastMs = 0;
};

} // namespace lockstep::sandbox
