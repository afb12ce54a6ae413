// RequestScheduler's concurrency on the wire: a limit key allowed N requests in flight
// has N open at the server at once (Qt's HTTP/1.1 stack alone stops at 6 per host),
// and never more than N.
#include "api/requestscheduler.h"
#include "util/clock.h"

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

} // namespace

class TestScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void concurrencyOnTheWire_data();
    void concurrencyOnTheWire();
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
             qPrintable(QStringLiteral("%1 connections for %2 requests").arg(server.connections()).arg(requests)));
    QCOMPARE(scheduler.inFlight(), 0);
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
