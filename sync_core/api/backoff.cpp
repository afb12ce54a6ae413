#include "backoff.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>

namespace lockstep {

bool isRetryableStatus(int s)
{
    return s == 429 || s == 408 || (s >= 500 && s <= 599);
}

std::optional<qint64> parseRetryAfterMs(const QByteArray& value, qint64 nowMs)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double secs = v.toDouble(&ok);
    if (ok)
        return secs < 0 ? std::nullopt : std::optional<qint64>(qint64(secs * 1000));
    const auto when = parseHttpDateMs(v);
    if (!when)
        return std::nullopt;
    return std::max<qint64>(0, *when - nowMs);
}

std::optional<qint64> parseHttpDateMs(const QByteArray& value)
{
    // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    const QByteArray v = value.trimmed();
    QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(v).chopped(v.endsWith("GMT") ? 4 : 0),
                                QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::utc());
    return when.toMSecsSinceEpoch();
}

qint64 backoffDelayMs(const RetryPolicy& p, int attempt, std::optional<qint64> retryAfterMs,
                      double unitRandom)
{
    const int n = std::clamp(attempt - 2, 0, 30);
    qint64 delay = std::min<qint64>(qint64(p.baseDelayMs) << std::min(n, 20), p.maxDelayMs);
    delay += p.jitterMinMs + qint64(unitRandom * (p.jitterMaxMs - p.jitterMinMs));
    // The server knows best, but never wait less than it asked.
    if (retryAfterMs)
        delay = std::max(delay, *retryAfterMs);
    return delay;
}

} // namespace lockstep
