#include "requestscheduler.h"

#include <QHash>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkRequest>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcHttp, "lockstep.http")

namespace lockstep {

namespace {
constexpr qint64 kHourMs = 3600 * 1000;

SyncError transportError(QNetworkReply* reply, bool timedOut)
{
    using C = SyncError::Category;
    if (timedOut)
        return SyncError::make(C::Timeout,
                               QStringLiteral("no reply from %1 in time").arg(reply->url().host()),
                               0, true);
    const auto e = reply->error();
    const bool tls = e == QNetworkReply::SslHandshakeFailedError;
    return SyncError::make(
        tls ? C::Network : C::Network,
        QStringLiteral("cannot reach %1: %2").arg(reply->url().host(), reply->errorString()), 0,
        !tls);
}
// Tests only (LOCKSTEP_TEST=1): LOCKSTEP_TEST_HOSTS="api-eu.customer.io=127.0.0.1:8123,..."
// sends a real host's requests to a local server, with the real host in the Host header,
// so a test can see where a region routes without the internet. Loopback targets only.
struct TestRoute
{
    QString host;
    int port = 0;
};
const QHash<QString, TestRoute>& testRoutes()
{
    static const QHash<QString, TestRoute> routes = [] {
        QHash<QString, TestRoute> out;
        if (qEnvironmentVariable("LOCKSTEP_TEST") != QLatin1String("1"))
            return out;
        for (const QString& item : qEnvironmentVariable("LOCKSTEP_TEST_HOSTS")
                                       .split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString from = item.section(QLatin1Char('='), 0, 0).trimmed();
            const QUrl to(QStringLiteral("http://") + item.section(QLatin1Char('='), 1).trimmed());
            if (!from.isEmpty() && to.port() > 0 &&
                (to.host() == QLatin1String("127.0.0.1") ||
                 to.host() == QLatin1String("localhost")))
                out.insert(from.toLower(), TestRoute{to.host(), to.port()});
        }
        return out;
    }();
    return routes;
}
} // namespace

QByteArray HttpResponse::header(const QByteArray& name) const
{
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

RequestScheduler::RequestScheduler(QNetworkAccessManager* nam, const Clock* clock, QObject* parent)
    : QObject(parent), m_nam(nam), m_limits(std::make_shared<RateLimits>()), m_clock(clock)
{
    m_lanes.push_back(Lane{nam, {}});
}

RequestScheduler::RequestScheduler(NetworkFactory network, std::shared_ptr<RateLimits> limits,
                                   const Clock* clock, QObject* parent)
    : QObject(parent), m_nam(nullptr), m_network(std::move(network)), m_limits(std::move(limits)),
      m_clock(clock)
{
    Q_ASSERT(m_network && m_limits);
    m_nam = m_network(this);
    m_lanes.push_back(Lane{m_nam, {}});
}

RequestScheduler::Lane& RequestScheduler::laneFor(const QString& origin)
{
    for (Lane& lane : m_lanes)
        if (lane.inFlight[origin] < kConnectionsPerLane)
            return lane;
    // Every lane has its connections to this origin busy: open another, set up like
    // the injected manager (proxy, redirects).
    QNetworkAccessManager* nam = nullptr;
    if (m_network) {
        nam = m_network(this);
    } else {
        nam = new QNetworkAccessManager(this);
        nam->setProxy(m_nam->proxy());
        nam->setRedirectPolicy(m_nam->redirectPolicy());
        nam->setStrictTransportSecurityEnabled(m_nam->isStrictTransportSecurityEnabled());
    }
    m_lanes.push_back(Lane{nam, {}});
    return m_lanes.back();
}

RequestScheduler::~RequestScheduler()
{
    for (const auto& r : m_replies)
        if (r)
            r->disconnect(this);
    // Their replies will never report back here: free their places for the schedulers
    // that share the limits.
    for (const auto& [key, b] : m_buckets)
        for (int i = 0; i < b->inFlight; ++i)
            m_limits->release(key);
}

void RequestScheduler::setLimit(const QString& key, const HostLimit& limit)
{
    m_limits->setLimit(key, limit, m_clock->nowMs());
}

RequestScheduler::Bucket& RequestScheduler::bucket(const QString& key)
{
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        auto b = std::make_unique<Bucket>();
        b->timer = new QTimer(this);
        b->timer->setSingleShot(true);
        connect(b->timer, &QTimer::timeout, this, [this, key] { pump(key); });
        it = m_buckets.emplace(key, std::move(b)).first;
    }
    return *it->second;
}

int RequestScheduler::inFlight() const
{
    int n = 0;
    for (const auto& [k, b] : m_buckets)
        n += b->inFlight;
    return n;
}

int RequestScheduler::queued() const
{
    int n = 0;
    for (const auto& [k, b] : m_buckets)
        n += int(b->queue.size());
    return n;
}

int RequestScheduler::queriesLeftThisHour(const QString& key) const
{
    const qint64 now = m_clock->nowMs();
    const int used = m_limits->usedThisHour(key, now);
    if (used < 0)
        return -1;
    const auto it = m_buckets.find(key);
    const int queuedHere = it == m_buckets.end() ? 0 : int(it->second->queue.size());
    return std::max(0, m_limits->limitFor(key).perHour - used - queuedHere);
}

qint64 RequestScheduler::budgetFreesAtMs(const QString& key) const
{
    return m_limits->hourFreesAtMs(key, m_clock->nowMs());
}

void RequestScheduler::send(HttpRequest request, Callback done)
{
    const QString key = request.limitKey.isEmpty() ? request.url.host() : request.limitKey;
    bucket(key).queue.push_back(Pending{std::move(request), std::move(done), 1});
    pump(key);
}

void RequestScheduler::pump(const QString& key)
{
    Bucket& b = bucket(key);
    while (!b.queue.empty()) {
        const RateLimits::Grant g = m_limits->acquire(key, m_clock->nowMs());
        if (!g.granted) {
            // Our own finishing request pumps again; a slot freed by another scheduler
            // sharing the limits is noticed by polling.
            const qint64 waitMs = g.concurrencyFull ? (b.inFlight > 0 ? 0 : 25) : g.waitMs;
            if (waitMs > 0 && (!b.timer->isActive() || b.timer->remainingTime() > waitMs))
                b.timer->start(int(std::min<qint64>(waitMs, 24 * kHourMs)));
            return;
        }
        Pending p = std::move(b.queue.front());
        b.queue.pop_front();
        dispatch(key, b, std::move(p));
    }
}

void RequestScheduler::dispatch(const QString& key, Bucket& b, Pending p)
{
    QNetworkRequest req(p.request.url);
    for (const auto& [name, value] : p.request.headers)
        req.setRawHeader(name, value);
    if (const auto route = testRoutes().constFind(p.request.url.host().toLower());
        route != testRoutes().cend()) {
        QUrl wire = p.request.url;
        wire.setScheme(QStringLiteral("http"));
        wire.setHost(route->host);
        wire.setPort(route->port);
        req.setUrl(wire);
        req.setRawHeader("Host", p.request.url.host().toUtf8());
    }
    // Credentials never follow a redirect to another host.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::SameOriginRedirectPolicy);
    req.setTransferTimeout(m_timeoutMs > 0 ? m_timeoutMs : p.request.timeoutMs);
    const QString origin = p.request.url
                               .adjusted(QUrl::RemovePath | QUrl::RemoveQuery |
                                         QUrl::RemoveFragment | QUrl::RemoveUserInfo)
                               .toString();
    Lane& lane = laneFor(origin); // may add a lane: take the index after
    const size_t laneIndex = size_t(&lane - m_lanes.data());
    QNetworkAccessManager* nam = m_lanes[laneIndex].nam;
    ++m_lanes[laneIndex].inFlight[origin];
    QNetworkReply* reply = nullptr;
    if (p.request.method == "GET")
        reply = nam->get(req);
    else if (p.request.method == "POST")
        reply = nam->post(req, p.request.body);
    else
        reply = nam->sendCustomRequest(req, p.request.method, p.request.body);
    ++b.inFlight;
    ++m_stats.requests;
    if (p.request.counters)
        ++p.request.counters->requests;
    m_replies.append(reply);
    qCDebug(lcHttp) << p.request.method
                    << p.request.url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo)
                    << "attempt" << p.attempt;
    auto shared = std::make_shared<Pending>(std::move(p));
    connect(reply, &QNetworkReply::finished, this, [this, key, reply, shared, laneIndex, origin] {
        --m_lanes[laneIndex].inFlight[origin];
        finished(key, reply, std::move(*shared));
    });
}

void RequestScheduler::finished(const QString& key, QNetworkReply* reply, Pending p)
{
    reply->deleteLater();
    m_replies.removeAll(reply);
    Bucket& b = bucket(key);
    --b.inFlight;
    m_limits->release(key);

    const bool cancelled = reply->property("lockstepCancelled").toBool();
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (cancelled) {
        p.done(SyncError::make(SyncError::Category::Cancelled, QStringLiteral("cancelled")));
        pump(key);
        return;
    }

    if (!statusAttr.isValid()) {
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                              reply->error() == QNetworkReply::TimeoutError;
        SyncError err = transportError(reply, timedOut);
        if (err.retryable && p.attempt < p.request.retry.maxAttempts) {
            retryLater(key, std::move(p), std::nullopt);
        } else {
            p.done(err);
        }
        pump(key);
        return;
    }

    HttpResponse resp;
    resp.status = statusAttr.toInt();
    resp.headers = reply->rawHeaderPairs();
    resp.attempts = p.attempt;
    // A reply cut short (Content-Length not reached) surfaces as an error with a status.
    if (reply->error() != QNetworkReply::NoError && resp.status >= 200 && resp.status < 300) {
        SyncError err = SyncError::make(SyncError::Category::Protocol,
                                        QStringLiteral("reply from %1 was cut short: %2")
                                            .arg(reply->url().host(), reply->errorString()),
                                        resp.status, true);
        if (p.attempt < p.request.retry.maxAttempts)
            retryLater(key, std::move(p), std::nullopt);
        else
            p.done(err);
        pump(key);
        return;
    }
    resp.body = reply->readAll();

    if (resp.status == 429) {
        ++m_stats.http429;
        ++p.rateLimited;
        if (p.request.counters)
            ++p.request.counters->http429;
    }
    if (resp.status == 429 && p.request.retry.bareRateLimitIsFinal &&
        resp.header("Retry-After").isEmpty()) {
        qCInfo(lcHttp) << p.request.url.path()
                       << "answered 429 without Retry-After: quota spent, not retried";
        if (m_onQuotaSpent)
            m_onQuotaSpent(key);
        p.done(resp);
        pump(key);
        return;
    }
    const bool mayRetry = resp.status == 429 ? p.rateLimited < p.request.retry.maxRateLimited
                                             : p.attempt < p.request.retry.maxAttempts;
    if (isRetryableStatus(resp.status) && mayRetry) {
        const auto retryAfter = parseRetryAfterMs(resp.header("Retry-After"), m_clock->nowMs());
        if (resp.status == 429 && retryAfter)
            m_limits->pauseUntil(key, m_clock->nowMs() + *retryAfter);
        retryLater(key, std::move(p), retryAfter);
    } else {
        p.done(resp);
    }
    pump(key);
}

void RequestScheduler::retryLater(const QString& key, Pending p, std::optional<qint64> retryAfterMs)
{
    ++m_stats.retries;
    if (p.request.counters)
        ++p.request.counters->retries;
    ++p.attempt;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    qint64 delay = qint64(backoffDelayMs(p.request.retry, p.attempt, std::nullopt, unit(m_rng)) *
                          m_backoffScale);
    if (retryAfterMs)
        delay = std::max(delay, *retryAfterMs); // the server's word is never scaled
    qCInfo(lcHttp) << "retrying" << p.request.url.path() << "in" << delay << "ms, attempt"
                   << p.attempt;
    const quint64 id = m_nextWaitId++;
    auto* t = new QTimer(this);
    t->setSingleShot(true);
    connect(t, &QTimer::timeout, this, [this, id] {
        auto it = m_waiting.find(id);
        if (it == m_waiting.end())
            return;
        const QString key = it->second.key;
        bucket(key).queue.push_front(std::move(it->second.pending));
        it->second.timer->deleteLater();
        m_waiting.erase(it);
        pump(key);
    });
    m_waiting.emplace(id, Waiting{key, std::move(p), t});
    t->start(int(std::min<qint64>(delay, 3600 * 1000)));
}

void RequestScheduler::cancelAll()
{
    std::vector<Callback> callbacks;
    for (auto& [k, b] : m_buckets) {
        for (auto& p : b->queue)
            callbacks.push_back(std::move(p.done));
        b->queue.clear();
        b->timer->stop();
    }
    for (auto& [id, w] : m_waiting) {
        w.timer->stop();
        w.timer->deleteLater();
        callbacks.push_back(std::move(w.pending.done));
    }
    m_waiting.clear();
    // abort() finishes a reply inside the call, and finished() takes it out of m_replies:
    // walking m_replies itself would skip the next reply, which then runs to its timeout.
    const QList<QPointer<QNetworkReply>> replies = m_replies;
    for (const auto& r : replies) {
        if (r) {
            r->setProperty("lockstepCancelled", true);
            r->abort();
        }
    }
    const SyncError cancelled =
        SyncError::make(SyncError::Category::Cancelled, QStringLiteral("cancelled"));
    for (auto& cb : callbacks)
        if (cb)
            cb(cancelled);
}

} // namespace lockstep
