// Sends HTTP requests politely: a token bucket and a concurrency cap per limit key
// (one per API and credential), Retry-After honoured for the whole key, exponential
// backoff with jitter on 429/5xx/timeouts, no retry of other 4xx. Lives in the
// engine's thread; the network access manager is injected.
#pragma once

#include "backoff.h"
#include "ratelimits.h"
#include "util/clock.h"
#include "util/result.h"

#include <QHash>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <random>

class QNetworkAccessManager;

namespace lockstep {

// Makes the access managers a scheduler sends through (its first, and one per extra
// lane). Tests inject a fake network here; the owner is the scheduler.
using NetworkFactory = std::function<QNetworkAccessManager*(QObject* parent)>;

// Counts what one caller (a run) put on the wire, across retries.
struct RequestCounters
{
    int requests = 0;
    int http429 = 0;
    int retries = 0;
};

struct HttpRequest
{
    QByteArray method = "GET";
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString limitKey; // which bucket it draws from
    int timeoutMs = 60000;
    RetryPolicy retry;
    std::shared_ptr<RequestCounters> counters; // optional
};

struct HttpResponse
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    int attempts = 1;
    QByteArray header(const QByteArray& name) const;
};

class RequestScheduler : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Result<HttpResponse>&)>;

    // Sends through `nam` (and managers set up like it for extra lanes), with limits of
    // its own: for tests and tools that stand alone.
    RequestScheduler(QNetworkAccessManager* nam, const Clock* clock, QObject* parent = nullptr);
    // Sends through managers made by `network`, drawing on `limits`, which other
    // schedulers of the process share (EngineContext).
    RequestScheduler(NetworkFactory network, std::shared_ptr<RateLimits> limits, const Clock* clock,
                     QObject* parent = nullptr);
    ~RequestScheduler() override;

    // Sets the limit of a key (or of a key family) for every scheduler sharing the limits.
    void setLimit(const QString& key, const HostLimit& limit);
    // Scales computed backoff delays (not a server's Retry-After); tests use a small one.
    void setBackoffScale(double scale) { m_backoffScale = scale; }
    // Overrides every request's transfer timeout when positive.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // Called (in this thread) when a request whose policy makes a bare 429 final gets one:
    // the key's quota is spent. The engine records it in the workspace (QueryBudget).
    using QuotaSpent = std::function<void(const QString& key)>;
    void setOnQuotaSpent(QuotaSpent hook) { m_onQuotaSpent = std::move(hook); }

    // Queues a request. `done` runs exactly once, in this thread: with the final
    // reply (any status once retries are exhausted or not allowed), or an error.
    void send(HttpRequest request, Callback done);

    // Fails everything queued or in flight with a Cancelled error.
    void cancelAll();

    struct Stats
    {
        int requests = 0; // attempts put on the wire
        int http429 = 0;
        int retries = 0;
    };
    Stats stats() const { return m_stats; }
    void resetStats() { m_stats = {}; }
    int inFlight() const;
    int queued() const;
    // What is left of a key's hourly budget now (sent in the last hour and queued count
    // against it); -1 when the key has no hourly budget. Trust checks refuse up front
    // rather than queue for up to an hour.
    int queriesLeftThisHour(const QString& key = QStringLiteral("mixpanel-query")) const;
    // When the oldest send of the hour leaves the window (ms since the epoch); 0 if none.
    qint64 budgetFreesAtMs(const QString& key = QStringLiteral("mixpanel-query")) const;

private:
    struct Pending
    {
        HttpRequest request;
        Callback done;
        int attempt = 1;
        int rateLimited = 0;
    };
    // This scheduler's side of a key: its queue; the limit's state is in m_limits.
    struct Bucket
    {
        int inFlight = 0; // this scheduler's requests on the wire
        std::deque<Pending> queue;
        QTimer* timer = nullptr;
    };

    Bucket& bucket(const QString& key);
    void pump(const QString& key);
    void dispatch(const QString& key, Bucket& b, Pending p);
    void finished(const QString& key, QNetworkReply* reply, Pending p);
    void retryLater(const QString& key, Pending p, std::optional<qint64> retryAfterMs);

    // Qt's HTTP/1.1 stack opens at most 6 connections per host and access manager
    // (Qt 6.4 has no setting for it), so a limit key allowed more in flight than that
    // spreads its requests over extra managers ("lanes"), each with its own
    // connections: the configured concurrency is the concurrency on the wire.
    static constexpr int kConnectionsPerLane = 6;
    struct Lane
    {
        QNetworkAccessManager* nam = nullptr;
        std::unordered_map<QString, int> inFlight; // by scheme://host:port
    };
    Lane& laneFor(const QString& origin);

    QNetworkAccessManager* m_nam;
    NetworkFactory m_network; // extra lanes; empty: managers set up like m_nam
    std::shared_ptr<RateLimits> m_limits;
    std::vector<Lane> m_lanes; // m_lanes[0] is the first manager
    const Clock* m_clock;
    std::unordered_map<QString, std::unique_ptr<Bucket>> m_buckets;
    QList<QPointer<QNetworkReply>> m_replies;
    struct Waiting
    {
        QString key;
        Pending pending;
        QTimer* timer;
    };
    std::unordered_map<quint64, Waiting> m_waiting; // backing off before a retry
    quint64 m_nextWaitId = 1;
    std::mt19937_64 m_rng{std::random_device{}()};
    Stats m_stats;
    double m_backoffScale = 1.0;
    int m_timeoutMs = 0;
    QuotaSpent m_onQuotaSpent;
};

} // namespace lockstep
