// PostgreSQL workspaces and TLS. A throwaway server of its own (tests/pg/pg-server.sh)
// that asks for the password in plain text over TCP, with a self-signed certificate for
// this machine's non-loopback address; TLS is turned on and off with ALTER SYSTEM. The
// workspace URL names that non-loopback address and reaches the server through a relay
// in this test that records every byte the client sends, so "no password on the wire"
// is read off the wire itself. Control rows (sslmode=prefer) show the relay sees the
// password when it is sent.
#include "clirunner.h"

#include "store/workspace.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkInterface>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;

namespace {

const QByteArray kPassword = "pw-7c41e0-wire-check";
// libpq's SSLRequest: length 8, then the code 1234 5679.
const QByteArray kSslRequest = QByteArray::fromHex("00000008"
                                                   "04d2162f");

// Listens on `address`, forwards each connection to 127.0.0.1:`port`, and keeps what
// clients sent.
class Relay : public QObject
{
public:
    Relay(const QHostAddress& address, quint16 target) : m_target(target)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
        m_server.listen(address);
    }
    quint16 port() const { return m_server.serverPort(); }
    bool listening() const { return m_server.isListening(); }
    int connections() const { return m_connections; }
    const QByteArray& fromClients() const { return m_fromClients; }
    void reset()
    {
        m_connections = 0;
        m_fromClients.clear();
    }

private:
    void accept()
    {
        while (QTcpSocket* client = m_server.nextPendingConnection()) {
            ++m_connections;
            auto* upstream = new QTcpSocket(client);
            upstream->connectToHost(QHostAddress::LocalHost, m_target);
            auto pending = std::make_shared<QByteArray>();
            QObject::connect(client, &QTcpSocket::readyRead, client, [=, this] {
                const QByteArray bytes = client->readAll();
                m_fromClients += bytes;
                if (upstream->state() == QAbstractSocket::ConnectedState)
                    upstream->write(bytes);
                else
                    *pending += bytes;
            });
            QObject::connect(upstream, &QTcpSocket::connected, client, [=] {
                upstream->write(*pending);
                pending->clear();
            });
            QObject::connect(upstream, &QTcpSocket::readyRead, client,
                             [=] { client->write(upstream->readAll()); });
            QObject::connect(upstream, &QTcpSocket::disconnected, client,
                             [=] { client->disconnectFromHost(); });
            QObject::connect(client, &QTcpSocket::disconnected, client, [=] {
                upstream->disconnectFromHost();
                client->deleteLater();
            });
        }
    }

    QTcpServer m_server;
    quint16 m_target;
    int m_connections = 0;
    QByteArray m_fromClients;
};

QHostAddress nonLoopbackAddress()
{
    for (const QHostAddress& a : QNetworkInterface::allAddresses())
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback() && !a.isLinkLocal())
            return a;
    return {};
}

} // namespace

class TestPgTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_state;
    quint16 m_port = 0;
    QString m_ca;
    QHostAddress m_address;
    std::unique_ptr<Relay> m_relay;

    QString script() const { return QStringLiteral(LOCKSTEP_SOURCE_DIR "/tests/pg/pg-server.sh"); }

    // The URL through the relay, on the non-loopback address.
    QString remoteUrl(const QString& query = {}) const
    {
        return QStringLiteral("postgresql://postgres@%1:%2/postgres%3")
            .arg(m_address.toString())
            .arg(m_relay->port())
            .arg(query);
    }
    QString loopbackUrl(const QString& query = {}) const
    {
        return QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres%2")
            .arg(m_port)
            .arg(query);
    }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("PGPASSWORD"), QString::fromLatin1(kPassword));
        // No ~/.postgresql/root.crt or ~/.pgpass of the machine's user.
        e.insert(QStringLiteral("HOME"), m_dir.path());
        e.remove(QStringLiteral("PGSSLMODE"));
        e.remove(QStringLiteral("PGSSLROOTCERT"));
        e.remove(QStringLiteral("LOCKSTEP_WORKSPACE"));
        return e;
    }

    // The CLI as a child, while this thread's event loop serves the relay.
    test::CliRun cli(const QString& workspace, const QStringList& args,
                     const QProcessEnvironment& environment)
    {
        QProcess p;
        p.setProcessEnvironment(environment);
        p.start(QStringLiteral(LOCKSTEP_BIN),
                QStringList{QStringLiteral("--workspace"), workspace} + args);
        test::CliRun r;
        if (!p.waitForStarted(10000))
            return r;
        QFile cmd(QStringLiteral("/proc/%1/cmdline").arg(p.processId()));
        if (cmd.open(QIODevice::ReadOnly))
            r.cmdline = cmd.readAll();
        QDeadlineTimer deadline(60000);
        while (p.state() != QProcess::NotRunning && !deadline.hasExpired())
            QTest::qWait(20);
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        } else {
            r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        }
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    // TLS on or off at the server (a reload; new connections see it).
    bool setTls(bool on)
    {
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("admin"));
            db.setHostName(QStringLiteral("127.0.0.1"));
            db.setPort(m_port);
            db.setDatabaseName(QStringLiteral("postgres"));
            db.setUserName(QStringLiteral("postgres"));
            db.setPassword(QString::fromLatin1(kPassword));
            db.setConnectOptions(QStringLiteral("sslmode=disable"));
            if (!db.open()) {
                qWarning() << db.lastError().text();
                return false;
            }
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("ALTER SYSTEM SET ssl = %1")
                            .arg(QLatin1String(on ? "on" : "off"))) ||
                !q.exec(QStringLiteral("SELECT pg_reload_conf()"))) {
                qWarning() << q.lastError().text();
                return false;
            }
            for (int i = 0; i < 100; ++i) {
                QSqlDatabase probe =
                    QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("probe"));
                probe.setHostName(QStringLiteral("127.0.0.1"));
                probe.setPort(m_port);
                probe.setDatabaseName(QStringLiteral("postgres"));
                probe.setUserName(QStringLiteral("postgres"));
                probe.setPassword(QString::fromLatin1(kPassword));
                probe.setConnectOptions(QStringLiteral("sslmode=disable"));
                bool done = false;
                if (probe.open()) {
                    QSqlQuery s(probe);
                    done = s.exec(QStringLiteral("SHOW ssl")) && s.next() &&
                           s.value(0).toString() == QLatin1String(on ? "on" : "off");
                }
                probe.close();
                probe = QSqlDatabase();
                QSqlDatabase::removeDatabase(QStringLiteral("probe"));
                if (done)
                    break;
                QTest::qWait(100);
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("admin"));
        return true;
    }

    static void verifyNoPassword(const test::CliRun& r)
    {
        QVERIFY2(!r.out.contains(kPassword), r.out.constData());
        QVERIFY2(!r.err.contains(kPassword), r.err.constData());
        QVERIFY(!r.cmdline.contains(kPassword));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_address = nonLoopbackAddress();
        if (m_address.isNull())
            QSKIP("this machine has no non-loopback IPv4 address to name in a workspace URL");
        m_state = m_dir.filePath(QStringLiteral("pg"));
        QFile pw(m_dir.filePath(QStringLiteral("pwfile")));
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write(kPassword + '\n');
        pw.close();
        QProcess start;
        start.start(QStringLiteral("sh"),
                    {script(), QStringLiteral("start"), m_state, QStringLiteral("--password"),
                     pw.fileName(), QStringLiteral("--tls-san"),
                     QStringLiteral("IP:%1,DNS:localhost").arg(m_address.toString())});
        QVERIFY(start.waitForFinished(120000));
        QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
        QFile envFile(m_state + QStringLiteral("/pg.env"));
        QVERIFY(envFile.open(QIODevice::ReadOnly));
        for (const QByteArray& line : envFile.readAll().split('\n')) {
            if (line.startsWith("LOCKSTEP_PG_PORT="))
                m_port = quint16(line.mid(17).toUInt());
            if (line.startsWith("LOCKSTEP_PG_CA="))
                m_ca = QString::fromLocal8Bit(line.mid(15));
        }
        QVERIFY(m_port > 0);
        QVERIFY(QFileInfo::exists(m_ca));
        m_relay = std::make_unique<Relay>(m_address, m_port);
        QVERIFY(m_relay->listening());
        qputenv("PGPASSWORD", kPassword);
    }

    void cleanupTestCase()
    {
        m_relay.reset();
        if (m_state.isEmpty())
            return;
        QProcess stop;
        stop.start(QStringLiteral("sh"), {script(), QStringLiteral("stop"), m_state});
        stop.waitForFinished(240000);
    }

    // A server without TLS and a workspace URL that names another machine: refused
    // before the password is sent, with a message that says why.
    void serverWithoutTls_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<bool>("passwordOnWire");
        QTest::addColumn<QString>("says");
        QTest::newRow("default (verify-full)") << QString() << 2 << false << "does not offer TLS";
        QTest::newRow("sslmode=require")
            << "?sslmode=require" << 2 << false << "does not offer TLS";
        QTest::newRow("sslmode=verify-ca")
            << "?sslmode=verify-ca" << 2 << false << "does not offer TLS";
        // Control: libpq's own default falls back to plain text and hands the password
        // over; the relay sees it, so the rows above could fail.
        QTest::newRow("sslmode=prefer (control)") << "?sslmode=prefer" << 0 << true << "";
    }
    void serverWithoutTls()
    {
        QFETCH(QString, query);
        QFETCH(int, exitCode);
        QFETCH(bool, passwordOnWire);
        QFETCH(QString, says);
        QVERIFY(setTls(false));
        m_relay->reset();
        const test::CliRun r =
            cli(remoteUrl(query), {QStringLiteral("config"), QStringLiteral("list")}, env());
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        QVERIFY2(r.err.contains(says.toUtf8()), r.err.constData());
        verifyNoPassword(r);
        QVERIFY(m_relay->connections() >= 1);
        QVERIFY(m_relay->fromClients().contains(kSslRequest));
        QCOMPARE(m_relay->fromClients().contains(kPassword), passwordOnWire);
        if (exitCode != 0)
            QVERIFY2(!r.err.contains('?'), r.err.constData()); // the location without its query
    }

    // The server with TLS on: sslmode=require connects, the password travels encrypted.
    void tlsRequireConnects()
    {
        QVERIFY(setTls(true));
        m_relay->reset();
        const test::CliRun r = cli(remoteUrl(QStringLiteral("?sslmode=require")),
                                   {QStringLiteral("config"), QStringLiteral("list")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(m_relay->connections() >= 1);
        QVERIFY(!m_relay->fromClients().isEmpty());
        QVERIFY(!m_relay->fromClients().contains(kPassword));

        // In process too, and the server says the session is encrypted.
        auto ws = Workspace::open(loopbackUrl(QStringLiteral("?sslmode=require")));
        QVERIFY2(ws, ws ? "" : qPrintable(ws.error().message));
        QSqlQuery q((*ws)->db());
        QVERIFY(q.exec(QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toBool());
    }

    // The default off this machine checks the certificate: without the CA it refuses
    // and says where to point; with the CA (in the URL or PGSSLROOTCERT) it connects.
    void verifyFullByDefault()
    {
        QVERIFY(setTls(true));
        test::CliRun r =
            cli(remoteUrl(), {QStringLiteral("config"), QStringLiteral("list")}, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("sslrootcert"), r.err.constData());
        verifyNoPassword(r);

        r = cli(remoteUrl(QStringLiteral("?sslrootcert=") + m_ca),
                {QStringLiteral("config"), QStringLiteral("list")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());

        QProcessEnvironment e = env();
        e.insert(QStringLiteral("PGSSLROOTCERT"), m_ca);
        r = cli(remoteUrl(), {QStringLiteral("config"), QStringLiteral("list")}, e);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    // A password in the URL is refused, never echoed, and nothing is sent.
    void passwordInUrlRefused_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QStringList>("args");
        const QString pw = QString::fromLatin1(kPassword);
        const QStringList commands[] = {
            {QStringLiteral("status"), QStringLiteral("--json")},
            {QStringLiteral("run"), QStringLiteral("--once")},
            {QStringLiteral("sync"), QStringLiteral("--all")},
            {QStringLiteral("doctor"), QStringLiteral("--json")},
        };
        for (const QStringList& args : commands) {
            const QString name = args.join(QLatin1Char(' '));
            QTest::newRow(qPrintable(name + QStringLiteral(": ?password=")))
                << QStringLiteral("?password=") + pw << args;
            QTest::newRow(qPrintable(name + QStringLiteral(": ?sslmode=require&PASSWORD=")))
                << QStringLiteral("?sslmode=require&PASSWORD=") + pw << args;
        }
        QTest::newRow("user:password@")
            << QStringLiteral("@userinfo") << QStringList{QStringLiteral("status")};
    }
    void passwordInUrlRefused()
    {
        QFETCH(QString, url);
        QFETCH(QStringList, args);
        m_relay->reset();
        const QString location =
            url == QLatin1String("@userinfo")
                ? remoteUrl().replace(QStringLiteral("postgres@"),
                                      QStringLiteral("postgres:") + QString::fromLatin1(kPassword) +
                                          QLatin1Char('@'))
                : remoteUrl(url);
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lockstep.*=true"));
        const test::CliRun r = cli(location, args, e);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("PGPASSWORD") || r.out.contains("PGPASSWORD"), r.err.constData());
        QVERIFY2(!r.out.contains(kPassword), r.out.constData());
        QVERIFY2(!r.err.contains(kPassword), r.err.constData());
        QCOMPARE(m_relay->connections(), 0);
    }

    // The other parameters reach libpq, and a URL's query is never printed: not in
    // errors, `status --json` or the runner's start line.
    void queryPassedOnNeverPrinted()
    {
        QVERIFY(setTls(true));
        const QString marker = QStringLiteral("lockstep-query-marker");
        const QString query =
            QStringLiteral("?sslmode=require&application_name=%1&connect_timeout=10").arg(marker);
        {
            auto ws = Workspace::open(loopbackUrl(query));
            QVERIFY2(ws, ws ? "" : qPrintable(ws.error().message));
            QSqlQuery q((*ws)->db());
            QVERIFY(q.exec(QStringLiteral("SHOW application_name")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), marker);
        }
        test::CliRun r =
            cli(loopbackUrl(query), {QStringLiteral("status"), QStringLiteral("--json")}, env());
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData());
        QVERIFY2(
            r.out.contains(QStringLiteral("\"workspace\": \"%1\"").arg(loopbackUrl()).toUtf8()),
            r.out.constData());
        QVERIFY(!r.out.contains(marker.toUtf8()) && !r.err.contains(marker.toUtf8()));

        QProcessEnvironment e = env();
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lockstep.runner.info=true"));
        r = cli(loopbackUrl(query), {QStringLiteral("run"), QStringLiteral("--once")}, e);
        QVERIFY2(r.err.contains("runner started on"), r.err.constData());
        QVERIFY2(!r.err.contains(marker.toUtf8()), r.err.constData());

        // A connection that fails names the location without its query.
        const QString closed = QStringLiteral("postgresql://postgres@127.0.0.1:1/postgres") + query;
        r = cli(closed, {QStringLiteral("status")}, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("postgresql://postgres@127.0.0.1:1/postgres"), r.err.constData());
        QVERIFY2(!r.err.contains(marker.toUtf8()), r.err.constData());

        // An unknown parameter is refused by name, not silently dropped.
        r = cli(loopbackUrl(QStringLiteral("?sslmod=require")), {QStringLiteral("status")}, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("\"sslmod\" is not supported"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestPgTls)
#include "tst_pg_tls.moc"
