// Whoever can write the workspace must not decide where the keys go. The workspace is
// connected to a sandbox that LOCKSTEP_ALLOWED_HOSTS names (host:port, nothing wider);
// then one service address is changed in the `settings` table, as a workspace writer
// with no secret could, to a listening socket this test owns. Every command that sends
// a key exits 2 naming the setting and LOCKSTEP_ALLOWED_HOSTS, the socket sees no
// connection and the sandbox no request. A control row names the socket in the
// environment too: then it does receive the key, so the rows above could fail.
#include "clirunner.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "store/mappingrepository.h"
#include "store/workspace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace lockstep;
using lockstep::test::CliRun;
using lockstep::test::runCli;
using lockstep::test::SandboxProcess;

class TestPinnedHosts : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SandboxProcess> m_sandbox;
    QString m_workspace;

    QString hostPort(const QUrl& url) const
    {
        return QStringLiteral("%1:%2").arg(url.host()).arg(url.port());
    }

    // Only the sandbox's two ports: not loopback as a whole.
    QProcessEnvironment env(const QString& extraAllowed = {}) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        QString allowed =
            hostPort(m_sandbox->customerIo()) + QLatin1Char(',') + hostPort(m_sandbox->mixpanel());
        if (!extraAllowed.isEmpty())
            allowed += QLatin1Char(',') + extraAllowed;
        e.insert(QStringLiteral("LOCKSTEP_ALLOWED_HOSTS"), allowed);
        e.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
        e.insert(QStringLiteral("LOCKSTEP_HTTP_TIMEOUT_MS"), QStringLiteral("3000"));
        return e;
    }

    void setAddress(const QString& setting, const QString& url)
    {
        auto ws = Workspace::open(m_workspace);
        QVERIFY(ws);
        QSqlQuery q((*ws)->db());
        q.prepare(QStringLiteral("UPDATE settings SET value = ? WHERE key = ?"));
        q.addBindValue(url);
        q.addBindValue(setting);
        QVERIFY(q.exec());
        QCOMPARE(q.numRowsAffected(), 1);
    }

    int sandboxRequests()
    {
        const QJsonObject stats = m_sandbox->stats();
        int n = 0;
        const QJsonObject routes = stats.value(QStringLiteral("routes")).toObject();
        for (auto it = routes.begin(); it != routes.end(); ++it)
            n += it.value().toObject().value(QStringLiteral("requests")).toInt();
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sandbox = std::make_unique<SandboxProcess>(QStringLiteral("small.json"));
        QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    }

    void init()
    {
        static int n = 0;
        m_workspace = m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++n));
        auto ws = Workspace::open(m_workspace);
        QVERIFY(ws);
        QVERIFY(SettingsRepository(**ws).setConnection(test::connectionTo(*m_sandbox)));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | Test | 30d");
        m.identity = IdentityKey::Email;
        QVERIFY(MappingRepository(**ws).add(m));
    }

    // The environment's list allows the sandbox: a sync goes through.
    void sandboxAllowed()
    {
        const CliRun r =
            runCli(m_workspace, {QStringLiteral("sync"), QStringLiteral("--all")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void unlistedHostGetsNothing_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QStringList>("command");
        const QStringList settings = {QStringLiteral("customerio_url"),
                                      QStringLiteral("mixpanel_url"),
                                      QStringLiteral("mixpanel_query_url")};
        const QStringList commands[] = {
            {QStringLiteral("sync"), QStringLiteral("--all")},
            {QStringLiteral("dry-run"), QStringLiteral("--all")},
            {QStringLiteral("run"), QStringLiteral("--once")},
            {QStringLiteral("spot-check"), QStringLiteral("--mapping"), QStringLiteral("1")},
        };
        for (const QString& s : settings)
            for (const QStringList& c : commands)
                QTest::newRow(qPrintable(s + QStringLiteral(": ") + c.join(QLatin1Char(' '))))
                    << s << c;
    }
    void unlistedHostGetsNothing()
    {
        QFETCH(QString, setting);
        QFETCH(QStringList, command);
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        // The same host as the sandbox (127.0.0.1), another port: a host:port entry is
        // exact.
        setAddress(setting, QStringLiteral("http://127.0.0.1:%1").arg(listener.serverPort()));
        m_sandbox->resetStats();

        const CliRun r = runCli(m_workspace, command, env());
        // sync prints each mapping's refused run on stdout, the others on stderr.
        const QByteArray said = r.out + r.err;
        QVERIFY2(r.exitCode == 2, said.constData());
        QVERIFY2(said.contains(setting.toUtf8()), said.constData());
        QVERIFY2(said.contains("LOCKSTEP_ALLOWED_HOSTS"), said.constData());
        // The kernel completes a connection into the backlog even unaccepted.
        QVERIFY(!listener.waitForNewConnection(200));
        QCOMPARE(sandboxRequests(), 0);
    }

    // doctor: the host check fails as a configuration problem (exit 2) and nothing that
    // carries a key reaches the listener.
    void doctorRefusesUnlistedHost()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        setAddress(QStringLiteral("customerio_url"),
                   QStringLiteral("http://127.0.0.1:%1").arg(listener.serverPort()));
        const CliRun r =
            runCli(m_workspace, {QStringLiteral("doctor"), QStringLiteral("--json")}, env());
        QCOMPARE(r.exitCode, 2);
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        bool found = false;
        for (const QJsonValue& v : doc.value(QStringLiteral("checks")).toArray()) {
            const QJsonObject c = v.toObject();
            if (c.value(QStringLiteral("name")).toString() != QLatin1String("host.customerio"))
                continue;
            found = true;
            QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
            QVERIFY(c.value(QStringLiteral("detail"))
                        .toString()
                        .contains(QStringLiteral("customerio_url")));
            QVERIFY(c.value(QStringLiteral("fix"))
                        .toString()
                        .contains(QStringLiteral("LOCKSTEP_ALLOWED_HOSTS")));
        }
        QVERIFY2(found, r.out.constData());
        QVERIFY(!listener.waitForNewConnection(200));
    }

    // Control: named in the environment, the same address receives the key.
    void listedHostReceivesTheKey()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        setAddress(QStringLiteral("customerio_url"),
                   QStringLiteral("http://127.0.0.1:%1").arg(listener.serverPort()));
        QProcess p;
        p.setProcessEnvironment(env(QStringLiteral("127.0.0.1:%1").arg(listener.serverPort())));
        p.start(QStringLiteral(LOCKSTEP_BIN), {QStringLiteral("--workspace"), m_workspace,
                                               QStringLiteral("sync"), QStringLiteral("--all")});
        QVERIFY(p.waitForStarted());
        QByteArray received;
        QTcpSocket* socket = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (socket = socket ? socket : listener.nextPendingConnection()) != nullptr, 30000);
        QTRY_VERIFY_WITH_TIMEOUT((received += socket->readAll()).contains("\r\n\r\n"), 30000);
        QVERIFY2(received.contains(QByteArray("Bearer " + m_sandbox->appApiKey().toUtf8())),
                 received.constData());
        p.kill();
        p.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(TestPinnedHosts)
#include "tst_pinned_hosts.moc"
