// The state behind each API limit (token bucket, requests in flight, Retry-After pause,
// hourly window), shared by every RequestScheduler of a process: the limits are the
// vendors' per key, so two schedulers in one process must draw from one bucket.
// Thread-safe; a scheduler keeps its own queue and callbacks and asks here for a slot.
#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

#include <deque>
#include <functional>
#include <memory>

namespace lockstep {

struct HostLimit
{
    double perSecond = 0;  // 0: no rate limit
    double burst = 1;      // tokens the bucket holds
    int maxConcurrent = 0; // 0: no cap
    int perHour = 0;       // 0: no hourly budget
};

// A limit shared beyond this process (e.g. through the workspace, by every runner on a
// team). Asked after the local bucket granted a slot: answers 0 when the request may
// leave now, else how many milliseconds to wait before asking again.
class SharedRateGate
{
public:
    virtual ~SharedRateGate() = default;
    virtual qint64 reserve(const QString& key, const HostLimit& limit, qint64 nowMs) = 0;
};

class RateLimits
{
public:
    // What a scheduler may do now for a key.
    struct Grant
    {
        bool granted = false;
        qint64 waitMs = 0; // when not granted and not blocked on concurrency
        bool concurrencyFull = false;
    };

    // Sets the limit of `key`. A key "family:instance" without a limit of its own takes
    // the limit of "family" (one Customer.io bucket per App API key, same 10/s each).
    void setLimit(const QString& key, const HostLimit& limit, qint64 nowMs);
    HostLimit limitFor(const QString& key) const;
    // Requests of keys of this family also ask `gate` (nullptr removes it).
    void setSharedGate(const QString& family, std::shared_ptr<SharedRateGate> gate);

    // Takes a slot (a token, a place in flight, an hourly use) when every limit allows.
    Grant acquire(const QString& key, qint64 nowMs);
    // A request that took a slot ended (its place in flight is free again).
    void release(const QString& key);
    // The server said Retry-After: nobody sends on this key before `untilMs`.
    void pauseUntil(const QString& key, qint64 untilMs);

    // Hourly window: uses in the last hour; -1 when the key has no hourly budget.
    int usedThisHour(const QString& key, qint64 nowMs) const;
    // When the oldest use of the hour leaves the window (ms since the epoch); 0 if none.
    qint64 hourFreesAtMs(const QString& key, qint64 nowMs) const;

    // Whether the shared gate (another process on the key) made requests of `key` wait
    // twice within `windowMs` before `nowMs`. Waits shorter than kSharedWaitMinMs are
    // rounding between the two buckets, not somebody else's requests; one wait alone is
    // what a process that just ended left in the bucket (its last token), while a process
    // drawing on the key alongside makes nearly every request wait.
    bool sharedBusy(const QString& key, qint64 nowMs, qint64 windowMs = 2000) const;
    static constexpr qint64 kSharedWaitMinMs = 10;

    static QString family(const QString& key);

private:
    struct State
    {
        HostLimit limit;
        double tokens = 1;
        qint64 refilledAtMs = 0;
        int inFlight = 0;
        qint64 pausedUntilMs = 0;
        qint64 sharedWaitAtMs[2] = {-1, -1}; // the shared gate's last two waits, newest first
        std::deque<qint64> hourWindow;
    };
    State& stateLocked(const QString& key, qint64 nowMs);

    mutable QMutex m_mutex;
    QHash<QString, State> m_states;
    QHash<QString, HostLimit> m_limits;                      // as set, by key or family
    QHash<QString, std::shared_ptr<SharedRateGate>> m_gates; // by family
};

} // namespace lockstep
