// When to try a failed request again. Pure functions of the attempt number, the
// server's Retry-After and a random draw, so tests need no sleeping.
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <optional>

namespace lockstep {

struct RetryPolicy
{
    int maxAttempts = 6;     // first try included
    int maxRateLimited = 10; // 429s have their own budget: they pass, and say when
    int baseDelayMs = 1000;  // doubled each attempt
    int maxDelayMs = 60000;
    int jitterMinMs = 0; // added at random in [min, max]
    int jitterMaxMs = 1000;
    // A 429 without Retry-After is final: the service's quota for a long window is spent
    // (Mixpanel's query API documents no Retry-After), so waiting a few seconds and asking
    // again only spends more of it.
    bool bareRateLimitIsFinal = false;
};

// Which failures may be retried: 429, 5xx, timeouts and connection failures. Never a 4xx
// other than 429 (a 400 will fail again the same way).
bool isRetryableStatus(int httpStatus);

// Retry-After as seconds (or an HTTP date, relative to nowMs); nullopt when absent/invalid.
std::optional<qint64> parseRetryAfterMs(const QByteArray& value, qint64 nowMs);

// An HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", as in Date and Retry-After) as ms since
// the epoch; nullopt when it is not one.
std::optional<qint64> parseHttpDateMs(const QByteArray& value);

// The wait before attempt `attempt` (2 = first retry). `unitRandom` in [0, 1).
qint64 backoffDelayMs(const RetryPolicy& p, int attempt, std::optional<qint64> retryAfterMs,
                      double unitRandom);

} // namespace lockstep
