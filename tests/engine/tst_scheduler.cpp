// RequestScheduler's concurrency on the wire: a limit key allowed N requests in flight
// has N open at the server at once (Qt's HTTP/1.1 stack alone stops at 6 per host),
// and never more than N. The schedulers of one engine context share one bucket per
// Customer.io key, and send through the context's network factory.
#include "api/customerioclient.h"
#include "api/requestscheduler.h"
#include "engine/enginecontext.h"
#include "util/clock.h"

#include <QElapsedTimer>

#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace lockstep;

namespace {

// An HTTP/1.1 server that holds every request until `release` of them are open at once
// (or the test gives up), then answers them all a moment later. Keeps connections alive.
class HoldingServer : public QObject
{
public:
    explicit HoldingServer(int release) : m_release(release)
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++m_connections;
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    int open() const { return int(m_held.size()); }
    int maxOpen() const { return m_maxOpen; }
    int answered() const { return m_answered; }
    int connections() const { return m_connections; }
    void releaseAll()
    {
        const auto held = std::exchange(m_held, {});
        for (QTcpSocket* s : held) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
            ++m_answered;
        }
    }

private:
    void onData(QTcpSocket* s)
    {
        QByteArray& buf = m_buffers[s];
        buf += s->readAll();
        // Requests here are bodiless GETs: one per blank line.
        qsizetype end;
        while ((end = buf.indexOf("\r\n\r\n")) >= 0) {
            buf.remove(0, end + 4);
            m_held.push_back(s);
            m_maxOpen = std::max(m_maxOpen, int(m_held.size()));
            // Wait a moment before answering, so a request over the cap would show.
            if (int(m_held.size()) == m_release)
                QTimer::singleShot(150, this, [this] { releaseAll(); });
        }
    }

    QTcpServer m_server;
    int m_release;
    std::vector<QTcpSocket*> m_held;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    int m_maxOpen = 0;
    int m_answered = 0;
    int m_connections = 0;
};

// Answers the first `refusals` requests with 429 (and `retryAfter`, if any), then 200.
class RefusingServer : public QObject
{
public:
    RefusingServer(int refusals, QByteArray retryAfter)
        : m_refusals(refusals), m_retryAfter(std::move(retryAfter))
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    int requests() const { return m_requests; }
    // The most requests that arrived within any one second.
    int busiestSecond() const
    {
        int most = 0;
        for (size_t i = 0; i < m_arrivalsMs.size(); ++i) {
            size_t j = i;
            while (j < m_arrivalsMs.size() && m_arrivalsMs[j] < m_arrivalsMs[i] + 1000)
                ++j;
            most = std::max(most, int(j - i));
        }
        return most;
    }

private:
    void onData(QTcpSocket* s)
    {
        QByteArray& buf = m_buffers[s];
        buf += s->readAll();
        qsizetype end;
        while ((end = buf.indexOf("\r\n\r\n")) >= 0) {
            buf.remove(0, end + 4);
            m_arrivalsMs.push_back(m_clock.elapsed());
            if (m_requests++ < m_refusals) {
                const QByteArray body = R"({"error":"Query rate limit exceeded","status":"error"})";
                s->write("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n" +
                         (m_retryAfter.isEmpty() ? QByteArray()
                                                 : "Retry-After: " + m_retryAfter + "\r\n") +
                         "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            } else {
                s->write(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
            }
        }
    }

    QTcpServer m_server;
    int m_refusals;
    QByteArray m_retryAfter;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    int m_requests = 0;
    QElapsedTimer m_clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    std::vector<qint64> m_arrivalsMs;
};

} // namespace

class TestScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void concurrencyOnTheWire_data();
    void concurrencyOnTheWire();
    void bareRateLimit_data();
    void bareRateLimit();
    void contextSharesOneBucketPerKey_data();
    void contextSharesOneBucketPerKey();
    void contextNetworkMakesEveryLane();
};

void TestScheduler::concurrencyOnTheWire_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("requests");
    QTest::newRow("3 (below Qt's 6 per host)") << 3 << 9;
    QTest::newRow("10 (the ingestion default)") << 10 << 30;
    QTest::newRow("16") << 16 << 32;
}

void TestScheduler::concurrencyOnTheWire()
{
    QFETCH(int, cap);
    QFETCH(int, requests);
    HoldingServer server(cap);
    QNetworkAccessManager nam;
    RequestScheduler scheduler(&nam, Clock::system());
    scheduler.setLimit(QStringLiteral("ingest"), HostLimit{0, 1, cap, 0});

    int ok = 0;
    for (int i = 0; i < requests; ++i) {
        HttpRequest r;
        r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/engage?n=%2").arg(server.port()).arg(i));
        r.limitKey = QStringLiteral("ingest");
        scheduler.send(r, [&ok](const Result<HttpResponse>& res) {
            if (res && res->status == 200 && res->body == "ok")
                ++ok;
        });
    }
    // The server answers only when `cap` requests are open at once: with fewer
    // connections the first wave never completes.
    QTRY_COMPARE_WITH_TIMEOUT(ok, requests, 10000);
    QCOMPARE(server.maxOpen(), cap);
    QCOMPARE(server.answered(), requests);
    // Connections are reused between waves, not opened per request.
    QVERIFY2(server.connections() <= cap + 6,
             qPrintable(QStringLiteral("%1 connections for %2 requests")
                            .arg(server.connections())
                            .arg(requests)));
    QCOMPARE(scheduler.inFlight(), 0);
}

// A 429 without Retry-After is final where the policy says so (Mixpanel's query API: the
// hour's budget is spent), and reported once; with Retry-After, or elsewhere, it is retried.
void TestScheduler::bareRateLimit_data()
{
    QTest::addColumn<bool>("final");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("spent");
    QTest::newRow("query API, no Retry-After: final") << true << QByteArray() << 429 << 1 << 1;
    QTest::newRow("query API, Retry-After: retried") << true << QByteArray("1") << 200 << 3 << 0;
    QTest::newRow("elsewhere, no Retry-After: retried") << false << QByteArray() << 200 << 3 << 0;
}

void TestScheduler::bareRateLimit()
{
    QFETCH(bool, final);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, status);
    QFETCH(int, requests);
    QFETCH(int, spent);
    RefusingServer server(2, retryAfter);
    QNetworkAccessManager nam;
    RequestScheduler scheduler(&nam, Clock::system());
    scheduler.setBackoffScale(0.01);
    QStringList spentKeys;
    scheduler.setOnQuotaSpent([&spentKeys](const QString& key) { spentKeys.append(key); });
    HttpRequest r;
    r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/api/query/engage").arg(server.port()));
    r.limitKey = QStringLiteral("mixpanel-query");
    r.retry.bareRateLimitIsFinal = final;
    r.retry.jitterMaxMs = 0;
    int got = 0;
    scheduler.send(r, [&got](const Result<HttpResponse>& res) { got = res ? res->status : -1; });
    QTRY_VERIFY_WITH_TIMEOUT(got != 0, 10000);
    QCOMPARE(got, status);
    QCOMPARE(server.requests(), requests);
    QCOMPARE(int(spentKeys.size()), spent);
    QCOMPARE(scheduler.stats().retries, requests - 1);
}

// Two schedulers of one context (the engine's and the console's queries, say) draw on
// one Customer.io bucket when they use the same App API key, and on two when the keys
// differ: the App API's 10 requests/s is per key.
void TestScheduler::contextSharesOneBucketPerKey_data()
{
    QTest::addColumn<QString>("keyA");
    QTest::addColumn<QString>("keyB");
    QTest::addColumn<bool>("shared");
    QTest::newRow("same key: one bucket") << "key-one"
                                          << "key-one" << true;
    QTest::newRow("two keys: two buckets") << "key-one"
                                           << "key-two" << false;
}

void TestScheduler::contextSharesOneBucketPerKey()
{
    QFETCH(QString, keyA);
    QFETCH(QString, keyB);
    QFETCH(bool, shared);
    RefusingServer server(0, {});
    EngineContext context(EngineContext::Setup::fromEnvironment());
    QObject owner;
    RequestScheduler* a = context.createScheduler(&owner);
    RequestScheduler* b = context.createScheduler(&owner);
    constexpr int kEach = 15;
    int done = 0;
    for (int i = 0; i < kEach; ++i) {
        for (auto [http, key] : {std::pair{a, keyA}, std::pair{b, keyB}}) {
            HttpRequest r;
            r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/segments").arg(server.port()));
            r.limitKey = CustomerIoClient::limitKeyFor(key);
            http->send(
                r, [&done](const Result<HttpResponse>& res) { done += res && res->status == 200; });
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 2 * kEach, 20000);
    const int busiest = server.busiestSecond();
    if (shared) // 10 a second, plus the one token the bucket starts with
        QVERIFY2(busiest <= 11,
                 qPrintable(QStringLiteral("%1 requests in one second").arg(busiest)));
    else
        QVERIFY2(busiest > 11,
                 qPrintable(QStringLiteral("only %1 requests in one second").arg(busiest)));
}

// Every access manager a scheduler uses comes from the context's factory, the extra
// lanes (more than 6 in flight to one host) included: a test's fake network sees all.
void TestScheduler::contextNetworkMakesEveryLane()
{
    HoldingServer server(16);
    int made = 0;
    EngineContext::Setup setup = EngineContext::Setup::fromEnvironment();
    setup.network = [&made](QObject* parent) {
        ++made;
        return new QNetworkAccessManager(parent);
    };
    EngineContext context(setup);
    QObject owner;
    RequestScheduler* http = context.createScheduler(&owner);
    http->setLimit(QStringLiteral("ingest"), HostLimit{0, 1, 16, 0});
    int ok = 0;
    for (int i = 0; i < 16; ++i) {
        HttpRequest r;
        r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/engage?n=%2").arg(server.port()).arg(i));
        r.limitKey = QStringLiteral("ingest");
        http->send(r, [&ok](const Result<HttpResponse>& res) { ok += res && res->status == 200; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(ok, 16, 10000);
    QCOMPARE(made, 3); // 16 in flight over lanes of 6
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
