// Transport rules: credentials go over HTTPS only (plain HTTP on loopback only), TLS
// errors are never ignored, and a redirect to another origin never carries the
// Authorization header. The redirect rows use two tiny local HTTP servers.
#include "api/endpointpolicy.h"
#include "api/requestscheduler.h"
#include "store/records.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace lockstep;

namespace {

// Answers every request with a fixed reply and records each request's raw head.
class TinyServer : public QObject
{
public:
    explicit TinyServer(QByteArray reply) : m_reply(std::move(reply))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] {
                    m_buffer[s] += s->readAll();
                    if (!m_buffer[s].contains("\r\n\r\n"))
                        return;
                    heads << m_buffer.take(s);
                    s->write(m_reply);
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    // QHostAddress::Any: dual stack, so "localhost" reaches it over IPv4 or IPv6.
    bool listen() { return m_server.listen(QHostAddress::Any); }
    quint16 port() const { return m_server.serverPort(); }
    void setReply(QByteArray r) { m_reply = std::move(r); }

    QList<QByteArray> heads;

private:
    QTcpServer m_server;
    QByteArray m_reply;
    QHash<QTcpSocket*, QByteArray> m_buffer;
};

QByteArray redirectTo(const QString& location)
{
    return "HTTP/1.1 302 Found\r\nLocation: " + location.toLatin1() +
           "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}
const QByteArray kOk = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Content-Length: 2\r\nConnection: close\r\n\r\n{}";

bool hasAuthorization(const QByteArray& head)
{
    return head.toLower().contains("\r\nauthorization:");
}

} // namespace

class TestTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endpointPolicy_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https") << "https://api.customer.io" << true;
        QTest::newRow("https eu") << "https://api-eu.mixpanel.com/engage" << true;
        QTest::newRow("http remote") << "http://api.customer.io" << false;
        QTest::newRow("http remote ip") << "http://93.184.216.34:8080" << false;
        QTest::newRow("http private ip") << "http://10.0.0.5" << false;
        QTest::newRow("http loopback v4") << "http://127.0.0.1:8080" << true;
        QTest::newRow("http loopback v4 other") << "http://127.9.9.9:1" << true;
        QTest::newRow("http loopback v6") << "http://[::1]:8080" << true;
        QTest::newRow("http localhost") << "http://localhost:1234" << true;
        QTest::newRow("localhost look-alike") << "http://localhost.evil.example" << false;
        QTest::newRow("loopback as user info") << "http://127.0.0.1@evil.example" << false;
        QTest::newRow("ftp") << "ftp://api.customer.io" << false;
        QTest::newRow("no scheme") << "api.customer.io" << false;
        QTest::newRow("empty") << "" << false;
    }
    void endpointPolicy()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        const Status st = checkEndpoint(QUrl(url));
        QVERIFY2(st.ok() == allowed, qPrintable(url + QStringLiteral(" -> ") + st.error().message));
        if (!allowed) {
            QCOMPARE(st.error().category, SyncError::Category::Config);
            QVERIFY(!st.error().message.isEmpty());
        }
    }

    // Where each secret may go: the vendor's hosts of that service over https on the
    // default port, or what LOCKSTEP_ALLOWED_HOSTS names (host: any port; host:port:
    // that port). Never because the workspace says so.
    void servicePinning_data()
    {
        QTest::addColumn<int>("service");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("allowed");
        QTest::addColumn<bool>("ok");
        const int cio = int(ServiceEndpoint::CustomerIo);
        const int mp = int(ServiceEndpoint::MixpanelIngestion);
        const int query = int(ServiceEndpoint::MixpanelQuery);
        QTest::newRow("Customer.io US") << cio << "https://api.customer.io"
                                        << "" << true;
        QTest::newRow("Customer.io EU, path") << cio << "https://API-EU.customer.io/v1"
                                              << "" << true;
        QTest::newRow("Customer.io, port 443") << cio << "https://api.customer.io:443"
                                               << "" << true;
        QTest::newRow("Customer.io, other port") << cio << "https://api.customer.io:8443"
                                                 << "" << false;
        QTest::newRow("Mixpanel ingestion IN") << mp << "https://api-in.mixpanel.com"
                                               << "" << true;
        QTest::newRow("Mixpanel query EU") << query << "https://eu.mixpanel.com/api/query"
                                           << "" << true;
        QTest::newRow("query host for ingestion") << mp << "https://mixpanel.com"
                                                  << "" << false;
        QTest::newRow("Mixpanel host for Customer.io") << cio << "https://api.mixpanel.com"
                                                       << "" << false;
        QTest::newRow("look-alike") << cio << "https://api.customer.io.evil.example"
                                    << "" << false;
        QTest::newRow("sub-domain") << query << "https://evil.mixpanel.com/api/query"
                                    << "" << false;
        QTest::newRow("proxy, not listed") << mp << "https://mp-proxy.corp.example"
                                           << "" << false;
        QTest::newRow("proxy, listed") << mp << "https://mp-proxy.corp.example"
                                       << "mp-proxy.corp.example" << true;
        QTest::newRow("proxy, listed with its port")
            << mp << "https://mp-proxy.corp.example:8443"
            << "x.example, mp-proxy.corp.example:8443" << true;
        QTest::newRow("proxy, listed with another port")
            << mp << "https://mp-proxy.corp.example:8443"
            << "mp-proxy.corp.example:9443" << false;
        QTest::newRow("proxy, https default port listed") << mp << "https://mp-proxy.corp.example"
                                                          << "mp-proxy.corp.example:443" << true;
        QTest::newRow("loopback, not listed") << cio << "http://127.0.0.1:4010"
                                              << "" << false;
        QTest::newRow("loopback, listed") << cio << "http://127.0.0.1:4010"
                                          << "127.0.0.1" << true;
        QTest::newRow("loopback, other port listed") << cio << "http://127.0.0.1:4010"
                                                     << "127.0.0.1:4011" << false;
        QTest::newRow("localhost is not 127.0.0.1") << cio << "http://localhost:4010"
                                                    << "127.0.0.1" << false;
        QTest::newRow("IPv6 loopback listed") << cio << "http://[::1]:4010"
                                              << "[::1]:4010" << true;
        QTest::newRow("IPv6 bare entry") << cio << "http://[::1]:4010"
                                         << "::1" << true;
        QTest::newRow("listed, but plain http off loopback") << mp << "http://mp-proxy.corp.example"
                                                             << "mp-proxy.corp.example" << false;
        QTest::newRow("junk entries ignored")
            << mp << "https://mp-proxy.corp.example"
            << "http://mp-proxy.corp.example/, user@x, :80" << false;
    }
    void servicePinning()
    {
        QFETCH(int, service);
        QFETCH(QString, url);
        QFETCH(QString, allowed);
        QFETCH(bool, ok);
        const Status st = checkServiceEndpoint(ServiceEndpoint(service), QUrl(url),
                                               HostAllowList::parse(allowed));
        QVERIFY2(st.ok() == ok, qPrintable(url + QStringLiteral(" -> ") +
                                           (st ? QStringLiteral("ok") : st.error().message)));
        if (!ok) {
            QCOMPARE(st.error().category, SyncError::Category::Config);
            // Names the setting; a host refusal names where to allow it.
            QVERIFY(st.error().message.startsWith(
                QLatin1String(endpointSetting(ServiceEndpoint(service)))));
        }
    }
    void junkEntriesNamed()
    {
        const HostAllowList list =
            HostAllowList::parse(QStringLiteral("ok.example, http://x/, a:b:c:d:e:99999999"));
        QCOMPARE(list.invalidEntries().size(), 2);
        const Status st = checkServiceEndpoint(ServiceEndpoint::CustomerIo,
                                               QUrl(QStringLiteral("https://other.example")), list);
        QVERIFY(!st);
        QVERIFY2(st.error().message.contains(QStringLiteral("http://x/")),
                 qPrintable(st.error().message));
    }

    // The regions' addresses the connection offers are the vendor hosts this rule knows.
    void regionAddressesArePinned()
    {
        for (const QString& region : ConnectionSettings::customerIoRegions())
            QVERIFY(checkServiceEndpoint(ServiceEndpoint::CustomerIo,
                                         QUrl(*ConnectionSettings::customerIoUrlFor(region)), {}));
        for (const QString& region : ConnectionSettings::mixpanelRegions()) {
            const auto urls = ConnectionSettings::mixpanelUrlsFor(region);
            QVERIFY(checkServiceEndpoint(ServiceEndpoint::MixpanelIngestion, QUrl(urls->ingestion),
                                         {}));
            QVERIFY(checkServiceEndpoint(ServiceEndpoint::MixpanelQuery, QUrl(urls->query), {}));
        }
    }

    // The first server redirects; the second must never see the Authorization header
    // when it is another origin. The same-origin row proves the header would be seen.
    void redirectDropsCredentials_data()
    {
        QTest::addColumn<QString>("targetHost"); // "" = same origin (the first server)
        QTest::addColumn<bool>("authorizationExpected");
        QTest::newRow("to localhost (other host name)") << "localhost" << false;
        QTest::newRow("to 127.0.0.1 on another port") << "127.0.0.1" << false;
        QTest::newRow("same origin (control)") << "" << true;
    }
    void redirectDropsCredentials()
    {
        QFETCH(QString, targetHost);
        QFETCH(bool, authorizationExpected);
        TinyServer first{QByteArray()}, second{kOk};
        QVERIFY(first.listen());
        QVERIFY(second.listen());
        const QString target =
            targetHost.isEmpty()
                ? QStringLiteral("http://127.0.0.1:%1/landed").arg(first.port())
                : QStringLiteral("http://%1:%2/landed").arg(targetHost).arg(second.port());
        first.setReply(redirectTo(target));

        QNetworkAccessManager nam;
        RequestScheduler scheduler(&nam, Clock::system());
        HttpRequest req;
        req.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/segments").arg(first.port()));
        req.headers = {{"Authorization", "Bearer transport-secret-1f9"}};
        req.limitKey = QStringLiteral("t");
        req.retry.maxAttempts = 1;
        req.timeoutMs = 5000;
        std::optional<Result<HttpResponse>> result;
        scheduler.send(req, [&result](const Result<HttpResponse>& r) { result = r; });
        // Once the first server has answered the redirect, a same-origin follow-up is 200.
        QTRY_VERIFY_WITH_TIMEOUT(!first.heads.isEmpty(), 5000);
        first.setReply(kOk);
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);

        QVERIFY(hasAuthorization(first.heads.first())); // the original request had it
        QList<QByteArray> followUps = second.heads;
        if (targetHost.isEmpty())
            followUps = first.heads.mid(1);
        const bool leaked = std::any_of(followUps.begin(), followUps.end(), hasAuthorization);
        if (authorizationExpected) {
            QVERIFY2(!followUps.isEmpty(), "the same-origin redirect was not followed");
            QVERIFY2(leaked, "the control row could not see the header: the test is blind");
            QVERIFY(result->ok());
            QCOMPARE(result->value().status, 200);
        } else {
            QVERIFY2(!leaked, followUps.isEmpty() ? "" : followUps.first().constData());
            // The redirect is refused, as an error or as the unfollowed 302: never 200 from
            // the other origin.
            QVERIFY(!result->ok() || result->value().status != 200);
        }
    }

    // A TLS handshake failure (nothing speaks TLS on the port) is an error, never
    // silently downgraded or ignored.
    void tlsFailureIsAnError()
    {
        TinyServer plain(kOk);
        QVERIFY(plain.listen());
        QNetworkAccessManager nam;
        RequestScheduler scheduler(&nam, Clock::system());
        HttpRequest req;
        req.url = QUrl(QStringLiteral("https://127.0.0.1:%1/v1/segments").arg(plain.port()));
        req.headers = {{"Authorization", "Bearer transport-secret-1f9"}};
        req.limitKey = QStringLiteral("t");
        req.retry.maxAttempts = 1;
        req.timeoutMs = 5000;
        std::optional<Result<HttpResponse>> result;
        scheduler.send(req, [&result](const Result<HttpResponse>& r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY(!result->ok());
        QVERIFY(!result->error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
