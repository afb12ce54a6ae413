#include "ratelimits.h"

#include <QMutexLocker>

#include <algorithm>
#include <cmath>

namespace lockstep {

namespace {
constexpr qint64 kHourMs = 3600 * 1000;
} // namespace

QString RateLimits::family(const QString& key)
{
    const qsizetype colon = key.indexOf(QLatin1Char(':'));
    return colon < 0 ? key : key.left(colon);
}

void RateLimits::setLimit(const QString& key, const HostLimit& limit, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    m_limits.insert(key, limit);
    // Keys already in use take the new limit, with a full bucket.
    for (auto it = m_states.begin(); it != m_states.end(); ++it) {
        if (it.key() != key && (family(it.key()) != key || m_limits.contains(it.key())))
            continue;
        it->limit = limit;
        it->tokens = std::max(1.0, limit.burst);
        it->refilledAtMs = nowMs;
    }
}

HostLimit RateLimits::limitFor(const QString& key) const
{
    QMutexLocker lock(&m_mutex);
    if (const auto it = m_limits.constFind(key); it != m_limits.cend())
        return *it;
    return m_limits.value(family(key));
}

void RateLimits::setSharedGate(const QString& familyName, std::shared_ptr<SharedRateGate> gate)
{
    QMutexLocker lock(&m_mutex);
    if (gate)
        m_gates.insert(familyName, std::move(gate));
    else
        m_gates.remove(familyName);
}

RateLimits::State& RateLimits::stateLocked(const QString& key, qint64 nowMs)
{
    auto it = m_states.find(key);
    if (it == m_states.end()) {
        State s;
        if (const auto l = m_limits.constFind(key); l != m_limits.cend())
            s.limit = *l;
        else
            s.limit = m_limits.value(family(key));
        s.tokens = std::max(1.0, s.limit.burst);
        s.refilledAtMs = nowMs;
        it = m_states.insert(key, s);
    }
    return *it;
}

RateLimits::Grant RateLimits::acquire(const QString& key, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    State& s = stateLocked(key, nowMs);
    Grant g;
    if (s.limit.maxConcurrent > 0 && s.inFlight >= s.limit.maxConcurrent) {
        g.concurrencyFull = true;
        return g;
    }
    qint64 waitMs = s.pausedUntilMs > nowMs ? s.pausedUntilMs - nowMs : 0;
    if (s.limit.perSecond > 0) {
        const double capacity = std::max(1.0, s.limit.burst);
        s.tokens = std::min(capacity,
                            s.tokens + double(nowMs - s.refilledAtMs) * s.limit.perSecond / 1000.0);
        s.refilledAtMs = nowMs;
        if (s.tokens < 1.0)
            waitMs = std::max<qint64>(
                waitMs, qint64(std::ceil((1.0 - s.tokens) * 1000.0 / s.limit.perSecond)));
    }
    if (s.limit.perHour > 0) {
        while (!s.hourWindow.empty() && s.hourWindow.front() <= nowMs - kHourMs)
            s.hourWindow.pop_front();
        if (int(s.hourWindow.size()) >= s.limit.perHour)
            waitMs = std::max<qint64>(waitMs, s.hourWindow.front() + kHourMs - nowMs);
    }
    if (waitMs == 0) {
        if (const auto gate = m_gates.value(family(key)); gate) {
            waitMs = std::max<qint64>(0, gate->reserve(key, s.limit, nowMs));
            if (waitMs >= kSharedWaitMinMs && s.sharedWaitAtMs[0] != nowMs) {
                s.sharedWaitAtMs[1] = s.sharedWaitAtMs[0];
                s.sharedWaitAtMs[0] = nowMs;
            }
        }
    }
    if (waitMs > 0) {
        g.waitMs = waitMs;
        return g;
    }
    if (s.limit.perSecond > 0)
        s.tokens -= 1.0;
    if (s.limit.perHour > 0)
        s.hourWindow.push_back(nowMs);
    ++s.inFlight;
    g.granted = true;
    return g;
}

void RateLimits::release(const QString& key)
{
    QMutexLocker lock(&m_mutex);
    if (auto it = m_states.find(key); it != m_states.end())
        it->inFlight = std::max(0, it->inFlight - 1);
}

void RateLimits::pauseUntil(const QString& key, qint64 untilMs)
{
    QMutexLocker lock(&m_mutex);
    State& s = stateLocked(key, untilMs);
    s.pausedUntilMs = std::max(s.pausedUntilMs, untilMs);
}

bool RateLimits::sharedBusy(const QString& key, qint64 nowMs, qint64 windowMs) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_states.constFind(key);
    return it != m_states.cend() && it->sharedWaitAtMs[1] >= 0 &&
           nowMs - it->sharedWaitAtMs[1] <= windowMs;
}

int RateLimits::usedThisHour(const QString& key, qint64 nowMs) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_states.constFind(key);
    const HostLimit limit = it != m_states.cend()    ? it->limit
                            : m_limits.contains(key) ? m_limits.value(key)
                                                     : m_limits.value(family(key));
    if (limit.perHour <= 0)
        return -1;
    if (it == m_states.cend())
        return 0;
    return int(std::count_if(it->hourWindow.begin(), it->hourWindow.end(),
                             [nowMs](qint64 t) { return t > nowMs - kHourMs; }));
}

qint64 RateLimits::hourFreesAtMs(const QString& key, qint64 nowMs) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_states.constFind(key);
    if (it == m_states.cend())
        return 0;
    for (qint64 t : it->hourWindow)
        if (t > nowMs - kHourMs)
            return t + kHourMs;
    return 0;
}

} // namespace lockstep
