// Hostile and broken input, one data-driven row per case: through the real parsers
// (replies the services could send), through the CLI (workspace files, names) and
// through the sandbox (scenario files). Each gives a clear error and loses nothing.
// (No raw string literal here holds a backslash: moc 6.4 misreads them and skips the class.)
#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "clirunner.h"
#include "sandboxprocess.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrlQuery>

#include <unistd.h>

using namespace lockstep;
using lockstep::test::CliRun;
using lockstep::test::runCli;

namespace {

QByteArray sha(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

QByteArray bigPage(int n)
{
    QByteArray b = "{\"ids\":[";
    for (int i = 0; i < n; ++i)
        b += (i ? ",\"" : "\"") + QByteArray::number(i) + '"';
    return b + "]}";
}

// A fake Customer.io whose membership cursor loops A -> B -> A (the sandbox cannot).
class LoopingCustomerIo : public QObject
{
public:
    LoopingCustomerIo()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { serve(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    int membershipRequests = 0;

private:
    void serve(QTcpSocket* s)
    {
        m_buf[s] += s->readAll();
        if (!m_buf[s].contains("\r\n\r\n"))
            return;
        const QByteArray head = m_buf.take(s);
        const QUrl url(QString::fromLatin1(head.split(' ').value(1)));
        QByteArray body;
        const QString path = url.path();
        if (path.endsWith(QLatin1String("/membership"))) {
            ++membershipRequests;
            const QString start = QUrlQuery(url).queryItemValue(QStringLiteral("start"));
            const QByteArray next = start == QLatin1String("A") ? "B" : "A";
            body = "{\"identifiers\":[{\"id\":\"p" + QByteArray::number(membershipRequests) +
                   "\",\"email\":\"p@example.com\",\"cio_id\":\"c\"}],\"next\":\"" + next + "\"}";
        } else if (path.endsWith(QLatin1String("/customer_count"))) {
            body = "{\"count\":3}";
        } else if (path.startsWith(QLatin1String("/v1/segments/"))) {
            body =
                R"({"segment":{"id":1,"name":"Loop","state":"finished","type":"dynamic","created_at":1,"updated_at":2}})";
        } else {
            body = R"({"segments":[{"id":1,"name":"Loop","state":"finished","type":"dynamic"}]})";
        }
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: "
                 "close\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
        s->disconnectFromHost();
    }
    QTcpServer m_server;
    QHash<QTcpSocket*, QByteArray> m_buf;
};

} // namespace

class TestHostileInput : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // A workspace with one mapping, made through the CLI.
    QString makeWorkspace(const QString& name)
    {
        const QString ws = m_dir.filePath(name);
        CliRun r = runCli(
            ws, {QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                 QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--mixpanel-url"),
                 QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--mixpanel-query-url"),
                 QStringLiteral("http://127.0.0.1:9/api/query"), QStringLiteral("--project-id"),
                 QStringLiteral("1")});
        if (r.exitCode != 0)
            qWarning() << "connect failed" << r.err;
        r = runCli(ws, {QStringLiteral("mapping"), QStringLiteral("add"),
                        QStringLiteral("--segment"), QStringLiteral("1"),
                        QStringLiteral("--cohort"), QStringLiteral("CIO | Keep | 30d"),
                        QStringLiteral("--identity"), QStringLiteral("email")});
        if (r.exitCode != 0)
            qWarning() << "mapping add failed" << r.err;
        return ws;
    }

private Q_SLOTS:
    // ---- Customer.io membership pages ------------------------------------------------
    void membershipPage_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("members"); // -1: must be a Protocol error
        QTest::addColumn<QString>("message");
        QTest::newRow("empty body") << QByteArray() << -1 << "malformed JSON";
        QTest::newRow("truncated JSON")
            << QByteArray(R"({"identifiers":[{"id":"a","email")") << -1 << "malformed JSON at byte";
        QTest::newRow("junk after JSON")
            << QByteArray(R"({"ids":[]}garbage)") << -1 << "malformed JSON";
        QTest::newRow("HTML error page")
            << QByteArray("<html>502 Bad Gateway</html>") << -1 << "malformed JSON";
        QTest::newRow("array, not object") << QByteArray("[1,2]") << -1 << "expected a JSON object";
        QTest::newRow("missing ids and identifiers")
            << QByteArray(R"({"next":"x"})") << -1 << "neither";
        QTest::newRow("identifiers of the wrong type")
            << QByteArray(R"({"identifiers":"alice"})") << -1 << "neither";
        QTest::newRow("identifier not an object")
            << QByteArray(R"({"identifiers":[1]})") << -1 << "not an object";
        QTest::newRow("next not a string")
            << QByteArray(R"({"ids":[],"next":5})") << -1 << "\"next\" is not a string";
        QTest::newRow("non-UTF-8 bytes")
            << QByteArray("{\"ids\":[\"\xff\xfe\xfd\"]}") << -1 << "malformed JSON";
        QTest::newRow("wrong-typed fields kept as missing")
            << QByteArray(R"({"identifiers":[{"id":true,"email":{},"cio_id":"c1"}]})") << 1 << "";
        QTest::newRow("over the documented 30000 per page, nothing dropped")
            << bigPage(30001) << 30001 << "";
        QTest::newRow("very long id")
            << ("{\"ids\":[\"" + QByteArray(1 << 20, 'x') + "\"]}") << 1 << "";
        QTest::newRow("non-ASCII and escapes")
            << QByteArray("{\"ids\":[\"Zo\\u00eb\",\"\\ud83d\\ude00\",\"x\\\"y\"]}") << 3 << "";
    }
    void membershipPage()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, members);
        QFETCH(QString, message);
        const auto page = CustomerIoClient::parseMembershipPage(body);
        if (members < 0) {
            QVERIFY(!page.ok());
            QCOMPARE(page.error().category, SyncError::Category::Protocol);
            QVERIFY2(page.error().message.contains(message), qPrintable(page.error().message));
            QVERIFY(page.error().message.startsWith(
                QLatin1String("Customer.io sent an unexpected reply")));
        } else {
            QVERIFY2(page.ok(), qPrintable(page.error().message));
            QCOMPARE(qsizetype(page->members.size()), qsizetype(members));
        }
        // The cursor peek never contradicts the parser.
        const auto peeked = CustomerIoClient::peekNext(body);
        if (peeked && page.ok())
            QCOMPARE(*peeked, page->next);
    }

    // Looping cursors: the parser/peek level (the engine keeps the seen cursors) ...
    void loopingCursorThroughTheCli()
    {
        // ... and end to end: a fake Customer.io whose cursor cycles A -> B -> A.
        LoopingCustomerIo cio;
        QVERIFY(cio.listen());
        lockstep::test::SandboxProcess mixpanel(QStringLiteral("small.json"));
        QVERIFY2(mixpanel.isRunning(), qPrintable(mixpanel.errorString()));
        const QString ws = m_dir.filePath(QStringLiteral("loop.sqlite"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), QStringLiteral("k"));
        env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), mixpanel.projectToken());
        env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), mixpanel.serviceAccount());
        // The CLI runs while this thread serves the fake: run it asynchronously.
        auto cli = [&](const QStringList& args) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(LOCKSTEP_BIN),
                    QStringList{QStringLiteral("--workspace"), ws} + args);
            if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, 120000))
                p.kill();
            p.waitForFinished();
            return std::make_pair(p.exitCode(),
                                  QByteArray(p.readAllStandardError() + p.readAllStandardOutput()));
        };
        auto [code, text] =
            cli({QStringLiteral("connect"), QStringLiteral("--customerio-url"), cio.url(),
                 QStringLiteral("--mixpanel-url"), mixpanel.mixpanel().toString(),
                 QStringLiteral("--mixpanel-query-url"), mixpanel.mixpanelQuery().toString(),
                 QStringLiteral("--project-id"), QString::number(mixpanel.projectId())});
        QVERIFY2(code == 0, text.constData());
        std::tie(code, text) = cli({QStringLiteral("mapping"), QStringLiteral("add"),
                                    QStringLiteral("--segment"), QStringLiteral("1"),
                                    QStringLiteral("--cohort"), QStringLiteral("CIO | Loop | 30d"),
                                    QStringLiteral("--identity"), QStringLiteral("id")});
        QVERIFY2(code == 0, text.constData());
        mixpanel.resetStats();
        std::tie(code, text) = cli({QStringLiteral("sync"), QStringLiteral("--all")});
        QVERIFY2(code == 1, text.constData());
        QVERIFY2(text.contains("repeats"), text.constData());
        QVERIFY2(cio.membershipRequests <= 3, "kept following the loop");
        // Nothing half-read was sent: no membership update (only the token probe's $set and
        // $delete on its throwaway profile reached /engage).
        const QJsonObject engage = mixpanel.stats().value(QStringLiteral("engage")).toObject();
        const QJsonObject ops = engage.value(QStringLiteral("operators")).toObject();
        QVERIFY2(!ops.contains(QStringLiteral("$union")) &&
                     !ops.contains(QStringLiteral("$remove")),
                 QJsonDocument(engage).toJson().constData());
        QCOMPARE(engage.value(QStringLiteral("updates")).toInteger(), 2);
        QVERIFY(
            mixpanel.profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("CIO | Loop | 30d"))
                .isEmpty());
    }

    // ---- Mixpanel replies --------------------------------------------------------------
    void mixpanelReplies_data()
    {
        QTest::addColumn<QString>("parser");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::newRow("engage 1") << "engage" << 200 << QByteArray("1\n") << true;
        QTest::newRow("engage 0") << "engage" << 200 << QByteArray("0") << false;
        QTest::newRow("engage verbose error")
            << "engage" << 200 << QByteArray(R"({"status":0,"error":"bad $union"})") << false;
        QTest::newRow("engage HTML") << "engage" << 200 << QByteArray("<html>oops</html>") << false;
        QTest::newRow("engage truncated")
            << "engage" << 200 << QByteArray(R"({"status":)") << false;
        QTest::newRow("engage 413 with body")
            << "engage" << 413 << QByteArray(R"({"error":"too big"})") << false;
        QTest::newRow("cohorts not an array")
            << "cohorts" << 200 << QByteArray(R"({"cohorts":[]})") << false;
        QTest::newRow("cohort without id")
            << "cohorts" << 200 << QByteArray(R"([{"name":"x"}])") << false;
        QTest::newRow("cohort count out of range")
            << "cohorts" << 200 << QByteArray(R"([{"id":1,"count":1e300}])") << true;
        QTest::newRow("cohorts non-UTF-8")
            << "cohorts" << 200 << QByteArray("[{\"id\":1,\"name\":\"\xc3\x28\"}]") << false;
        QTest::newRow("profiles without results")
            << "profiles" << 200 << QByteArray(R"({"page":0})") << false;
        QTest::newRow("profiles results wrong type")
            << "profiles" << 200 << QByteArray(R"({"results":{}})") << false;
        QTest::newRow("profiles truncated")
            << "profiles" << 200 << QByteArray(R"({"results":[{"$distinct_id")") << false;
        QTest::newRow("profiles total out of range")
            << "profiles" << 200 << QByteArray(R"({"results":[],"total":-1e300})") << true;
    }
    void mixpanelReplies()
    {
        QFETCH(QString, parser);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        SyncError error;
        if (parser == QLatin1String("engage")) {
            HttpResponse r;
            r.status = status;
            r.body = body;
            const Status st = MixpanelClient::parseEngageReply(r);
            error = st.error();
        } else if (parser == QLatin1String("cohorts")) {
            const auto c = MixpanelClient::parseCohorts(body);
            error = c.error();
            if (c.ok() && !c->isEmpty())
                QCOMPARE(c->first().count, 0); // out of range reads as 0, not garbage
        } else {
            error = MixpanelClient::parseProfiles(body).error();
        }
        QCOMPARE(!error.isError(), ok);
        if (!ok)
            QVERIFY2(error.message.contains(QLatin1String("Mixpanel")), qPrintable(error.message));
    }

    // ---- Names: SQL metacharacters, very long, non-ASCII ------------------------------
    void hostileNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("SQL injection") << "CIO | x'); DROP TABLE mappings;-- | 30d";
        QTest::newRow("quotes and percent") << "CIO | \"100%\" _under\\score' | 30d";
        QTest::newRow("non-ASCII") << "CIO | Rückkehr 🎯 العودة | 30d";
        QTest::newRow("very long")
            << (QStringLiteral("CIO | ") + QString(5000, QChar(0x00e9)) + QStringLiteral(" | 30d"));
        QTest::newRow("control characters") << QStringLiteral("CIO | tab\there\nnewline | 30d");
        QTest::newRow("CSV formula") << "=HYPERLINK(\"http://evil\")";
    }
    void hostileNames()
    {
        QFETCH(QString, name);
        const QString ws = makeWorkspace(QStringLiteral("names-%1.sqlite")
                                             .arg(QTest::currentDataTag())
                                             .replace(QLatin1Char(' '), QLatin1Char('_')));
        CliRun r = runCli(ws, {QStringLiteral("mapping"), QStringLiteral("add"),
                               QStringLiteral("--segment"), QStringLiteral("2"),
                               QStringLiteral("--cohort"), name, QStringLiteral("--owner"), name,
                               QStringLiteral("--identity"), QStringLiteral("id")});
        QVERIFY2(r.exitCode == 0 || r.exitCode == 2, r.err.constData());
        r = runCli(ws,
                   {QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        // The earlier mapping is intact, and the new name (if accepted) is stored exactly.
        QVERIFY(!list.isEmpty());
        QCOMPARE(list.first().toObject().value(QStringLiteral("cohort")).toString(),
                 QStringLiteral("CIO | Keep | 30d"));
        if (list.size() == 2) {
            QCOMPARE(list.last().toObject().value(QStringLiteral("cohort")).toString(), name);
            QCOMPARE(list.last().toObject().value(QStringLiteral("owner")).toString(), name);
        }
    }

    // A name with QString::arg() placeholders is text, not a template: the Markdown audit's
    // rows keep their columns and the name as typed (a chained arg() would substitute the
    // message into the name's %1).
    void placeholdersInNamesStayText()
    {
        const QString ws = makeWorkspace(QStringLiteral("names-placeholders.sqlite"));
        const QString name = QStringLiteral("x %1 %4");
        CliRun r = runCli(ws, {QStringLiteral("mapping"), QStringLiteral("add"),
                               QStringLiteral("--segment"), QStringLiteral("2"),
                               QStringLiteral("--cohort"), name, QStringLiteral("--identity"),
                               QStringLiteral("id")});
        QCOMPARE(r.exitCode, 0);
        r = runCli(ws, {QStringLiteral("audit"), QStringLiteral("--format"), QStringLiteral("md")});
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData());
        int findings = 0, checklists = 0;
        for (const QString& line : QString::fromUtf8(r.out).split(QLatin1Char('\n'))) {
            const QStringList cells = line.split(QStringLiteral(" | "));
            if (line.startsWith(QLatin1String("| 2 | "))) {
                // The checklist: mapping, name, ready, done, missing.
                QVERIFY2(cells.size() == 5, qPrintable(line));
                QCOMPARE(cells[1], name);
                ++checklists;
            } else if (line.startsWith(QLatin1String("| ")) && cells.size() > 2 &&
                       cells[2] == QLatin1String("2")) {
                // A finding: severity, code, mapping, name, message, suggestion.
                QVERIFY2(cells.size() == 6, qPrintable(line));
                QCOMPARE(cells[3], name);
                ++findings;
            }
        }
        QVERIFY2(findings > 0 && checklists == 1, r.out.constData());
    }

    // Bidirectional controls reorder what follows them: "CIO | VIP<U+202E>d03 |" shows as
    // another name. Refused like the other control characters, naming the character.
    void bidiControlsInNamesRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("code");
        const char16_t bidi[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                                 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C};
        for (const char16_t c : bidi) {
            const QString code =
                QStringLiteral("U+%1").arg(int(c), 4, 16, QLatin1Char('0')).toUpper();
            QTest::newRow(qPrintable(code))
                << QStringLiteral("CIO | VIP%1d03 | 30d").arg(QChar(c)) << code;
        }
    }
    void bidiControlsInNamesRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, code);
        const QString ws = makeWorkspace(QStringLiteral("names-bidi-%1.sqlite").arg(code));
        CliRun r = runCli(ws, {QStringLiteral("mapping"), QStringLiteral("add"),
                               QStringLiteral("--segment"), QStringLiteral("2"),
                               QStringLiteral("--cohort"), name, QStringLiteral("--identity"),
                               QStringLiteral("id")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains(QByteArray("bidirectional control character (" + code.toLatin1() + ")")),
            r.err.constData());
        // Nothing stored; the mapping before it untouched.
        r = runCli(ws,
                   {QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().toObject().value(QStringLiteral("cohort")).toString(),
                 QStringLiteral("CIO | Keep | 30d"));
        // The list property is a name in Mixpanel too.
        r = runCli(
            ws, {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                 QStringLiteral("2"), QStringLiteral("--cohort"), QStringLiteral("CIO | VIP | 30d"),
                 QStringLiteral("--identity"), QStringLiteral("id"), QStringLiteral("--property"),
                 QStringLiteral("cio%1cohorts").arg(name.at(9))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("list property"), r.err.constData());
    }

    // ---- Mappings files: a notification channel's secrets --------------------------------
    // The file is committed to Git: whatever secret a channel needs stays out of it. Each
    // row exits 2 at its line and column, names the variable it belongs in (or why it looks
    // like a secret), never prints the value, and changes nothing.
    void channelSecretsInMappingsFile_data()
    {
        QTest::addColumn<QByteArray>("entry");
        QTest::addColumn<QString>("error");
        QTest::newRow("webhook URL") << QByteArray("    url: \"https://hooks.slack.com/services/"
                                                   "T0/B0/pastedT0ken\"\n")
                                     << ":5:5: notification oncall: `url` is a secret";
        QTest::newRow("signing secret") << QByteArray("    hmac_secret: pastedT0ken\n")
                                        << "as LOCKSTEP_NOTIFY_ONCALL_HMAC_SECRET";
        QTest::newRow("SMTP password") << QByteArray("    smtp_password: pastedT0ken\n")
                                       << "as LOCKSTEP_NOTIFY_ONCALL_SMTP_PASSWORD";
        QTest::newRow("a token") << QByteArray("    token: pastedT0ken\n")
                                 << ":5:5: notification oncall: `token` is a secret, and a "
                                    "mappings file never holds one: give it to each process "
                                    "that delivers alerts as LOCKSTEP_NOTIFY_ONCALL_URL";
        QTest::newRow("a held secret pasted as the name")
            << QByteArray("    name: \"see https://hooks.slack.com/services/T0/B0/heldT0ken\"\n")
            << ":5:11: notification oncall: name looks like a secret (it holds one of the "
               "credentials this process was given)";
    }
    void channelSecretsInMappingsFile()
    {
        QFETCH(QByteArray, entry);
        QFETCH(QString, error);
        const QString ws =
            makeWorkspace(QStringLiteral("channel-%1.sqlite").arg(QTest::currentDataTag()));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LOCKSTEP_NO_KEYCHAIN"), QStringLiteral("1"));
        env.insert(QStringLiteral("LOCKSTEP_NOTIFY_ONCALL_URL"),
                   QStringLiteral("https://hooks.slack.com/services/T0/B0/heldT0ken"));
        CliRun r = runCli(
            ws,
            {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
             QStringLiteral("slack"), QStringLiteral("--key"), QStringLiteral("oncall"),
             QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:9/hooks/slack/T/B/x")},
            env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray before =
            runCli(ws, {QStringLiteral("export")}, env).out +
            runCli(ws, {QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")},
                   env)
                .out;
        const QString path =
            m_dir.filePath(QStringLiteral("channel-%1.yaml")
                               .arg(QString::fromLatin1(QTest::currentDataTag())
                                        .replace(QLatin1Char(' '), QLatin1Char('-'))));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("lockstep: 1\nnotifications:\n  - key: oncall\n    kind: slack\n" + entry);
        f.close();
        for (const QStringList& args :
             {QStringList{QStringLiteral("plan"), path},
              QStringList{QStringLiteral("apply"), path, QStringLiteral("--yes")}}) {
            r = runCli(ws, args, env);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(QString::fromUtf8(r.err).contains(error), r.err.constData());
            QVERIFY2(r.err.contains("nothing was changed"), r.err.constData());
            for (const char* secret : {"pastedT0ken", "heldT0ken"})
                QVERIFY2(!r.out.contains(secret) && !r.err.contains(secret), r.err.constData());
        }
        const QByteArray after =
            runCli(ws, {QStringLiteral("export")}, env).out +
            runCli(ws, {QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")},
                   env)
                .out;
        QCOMPARE(after, before);
    }

    // ---- Workspace files ----------------------------------------------------------------
    void brokenWorkspace_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("corrupt (not a database)") << "corrupt";
        QTest::newRow("truncated") << "truncated";
        QTest::newRow("read-only") << "readonly";
        QTest::newRow("locked by another writer") << "locked";
    }
    void brokenWorkspace()
    {
        QFETCH(QString, damage);
        const QString ws = makeWorkspace(QStringLiteral("broken-%1.sqlite").arg(damage));
        QStringList prefix;
        std::unique_ptr<QSqlDatabase> lock;
        const QString lockName = QStringLiteral("lock-") + damage;
        if (damage == QLatin1String("corrupt")) {
            QFile f(ws);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("this is not a database\n" + QByteArray(8192, '\x5a'));
        } else if (damage == QLatin1String("truncated")) {
            QFile f(ws);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(f.size() / 3));
        } else if (damage == QLatin1String("readonly")) {
            QVERIFY(QFile::setPermissions(ws, QFileDevice::ReadOwner | QFileDevice::ReadGroup |
                                                  QFileDevice::ReadOther));
            QFile::remove(ws + QStringLiteral("-wal"));
            QFile::remove(ws + QStringLiteral("-shm"));
            // root writes anyway: run the CLI as nobody, who can only read the file.
            if (geteuid() == 0) {
                if (QStandardPaths::findExecutable(QStringLiteral("setpriv")).isEmpty())
                    QSKIP("running as root without setpriv: cannot make the file read-only");
                QVERIFY(QFile::setPermissions(m_dir.path(),
                                              QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                  QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                                  QFileDevice::ExeOther));
                prefix = {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                          QStringLiteral("--clear-groups")};
            }
        } else if (damage == QLatin1String("locked")) {
            lock = std::make_unique<QSqlDatabase>(
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), lockName));
            lock->setDatabaseName(ws);
            QVERIFY(lock->open());
            QSqlQuery q(*lock);
            QVERIFY2(q.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(q.lastError().text()));
        }
        const QByteArray before = sha(ws);

        const QStringList write = {QStringLiteral("mapping"),    QStringLiteral("add"),
                                   QStringLiteral("--segment"),  QStringLiteral("9"),
                                   QStringLiteral("--cohort"),   QStringLiteral("CIO | New | 30d"),
                                   QStringLiteral("--identity"), QStringLiteral("id")};
        CliRun r;
        if (prefix.isEmpty()) {
            r = runCli(ws, write);
        } else {
            QProcess p;
            p.start(QStringLiteral("setpriv"), prefix +
                                                   QStringList{QStringLiteral(LOCKSTEP_BIN),
                                                               QStringLiteral("--workspace"), ws} +
                                                   write);
            QVERIFY(p.waitForFinished(60000));
            r.exitCode = p.exitCode();
            r.err = p.readAllStandardError();
        }
        QVERIFY2(r.exitCode == 2,
                 qPrintable(
                     QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
        QVERIFY2(r.err.startsWith("lockstep: "), r.err.constData());
        QVERIFY2(r.err.size() < 2000, "an error should be a sentence, not a dump");
        if (damage != QLatin1String("locked"))
            QCOMPARE(sha(ws), before); // not "repaired", not overwritten

        if (lock) {
            lock->rollback();
            lock->close();
            lock.reset();
            QSqlDatabase::removeDatabase(lockName);
        }
        if (damage == QLatin1String("readonly"))
            QFile::setPermissions(ws, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        if (damage == QLatin1String("readonly") || damage == QLatin1String("locked")) {
            // Nothing lost, nothing half-written: the original mapping, alone.
            r = runCli(
                ws, {QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
            QCOMPARE(r.exitCode, 0);
            const QJsonArray list = QJsonDocument::fromJson(r.out).array();
            QCOMPARE(list.size(), 1);
            QCOMPARE(list.first().toObject().value(QStringLiteral("cohort")).toString(),
                     QStringLiteral("CIO | Keep | 30d"));
        }
    }

    // ---- Scenario files (the sandbox names the line or the field) ---------------------
    void badScenario_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("named");
        QTest::newRow("syntax error names line:column")
            << QByteArray("{\n  \"seed\": 7,\n  \"population\": {\"size\": 10,}\n}\n") << ":3:";
        QTest::newRow("wrong type names the field")
            << QByteArray(R"({"segments":[{"id":1,"name":"A","churn":{"entered":"many"}}]})")
            << "segments[0].churn.entered";
        QTest::newRow("unknown field is named") << QByteArray(R"({"sed":7})") << "sed";
        QTest::newRow("non-UTF-8 bytes")
            << QByteArray("{\"segments\":[{\"id\":1,\"name\":\"\xff\"}]}") << "not valid JSON";
        QTest::newRow("not an object") << QByteArray("[]") << "top level";
    }
    void badScenario()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, named);
        const QString path = m_dir.filePath(QStringLiteral("scenario-%1.json").arg(qHash(file)));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(file);
        f.close();
        QProcess p;
        p.start(QStringLiteral(LOCKSTEP_SANDBOX_BIN), {QStringLiteral("--scenario"), path});
        QVERIFY(p.waitForFinished(30000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.startsWith(QLatin1String("lockstep-sandbox: bad scenario: ")),
                 qPrintable(err));
        QVERIFY2(err.contains(named), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostile_input.moc"
