// Alert delivery at the engine's level: the real AlertStore, outbox and Notifier (its own
// thread) over a temporary workspace (both stores), the network a FakeNetwork, e-mail a
// local aiosmtpd sink. Per channel: an alert opened gives one message, raised severity one
// more, resolved one recovery; repeats of the same state give none. The generic webhook's
// signature verifies. A receiver answering 429, 500 or not at all delays the message (the
// failure recorded where Settings shows it) while the caller's thread keeps running.
#include "fakenetwork.h"
#include "testdatabase.h"

#include "engine/enginecontext.h"
#include "engine/notifier.h"
#include "health/alertoutbox.h"
#include "health/alertstore.h"
#include "health/notificationchannel.h"
#include "notify/messageformat.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace lockstep;
using namespace lockstep::test;

namespace {

const QString kSecret = QStringLiteral("whsec-4b1d9e2f7a6c");

HealthFinding finding(qint64 mappingId, AlertSeverity s, double value)
{
    HealthFinding f;
    f.mappingId = mappingId;
    f.rule = QString::fromLatin1(rule::kSizeCollapse);
    f.severity = s;
    f.value = value;
    f.message = QStringLiteral("The segment dropped to %1 members.").arg(value);
    return f;
}

int freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TestNotify : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_location;
    std::unique_ptr<Workspace> m_ws;
    qint64 m_mapping = 0;

    // A workspace with one mapping, a fresh one per test function.
    void freshWorkspace()
    {
        m_ws.reset();
        m_location = TestDatabase::freshWorkspace(m_dir.path());
        auto ws = Workspace::open(m_location);
        QVERIFY2(ws, qPrintable(ws.error().message));
        m_ws = std::move(*ws);
        Mapping m;
        m.segmentId = 7;
        m.segmentName = QStringLiteral("Winback 45-60d");
        m.cohortName = QStringLiteral("CIO | Winback | 45-60d");
        m.owner = QStringLiteral("growth@example.com");
        auto id = MappingRepository(*m_ws).add(m);
        QVERIFY2(id, qPrintable(id.error().message));
        m_mapping = *id;
    }

    qint64 addChannel(ChannelKind kind, QList<AlertSeverity> severities = {AlertSeverity::Critical,
                                                                           AlertSeverity::Warning})
    {
        NotificationChannel c;
        c.kind = kind;
        c.severities = severities;
        c.target = QStringLiteral("test");
        if (kind == ChannelKind::Email) {
            c.smtpUrl = QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtpPort);
            c.mailFrom = QStringLiteral("lockstep@example.com");
            c.mailTo = {QStringLiteral("oncall@example.com")};
        }
        auto id = ChannelRepository(*m_ws).add(c);
        if (!id)
            qWarning() << "cannot add a channel:" << id.error().message;
        return id ? *id : 0;
    }

    static EngineContext::Setup setup(const std::shared_ptr<FakeScript>& script)
    {
        EngineContext::Setup s = EngineContext::Setup::fromEnvironment();
        s.network = FakeNetwork::factory(script);
        s.options.notify.pollMs = 100;
        s.options.notify.requestTimeoutMs = 600;
        s.options.notify.leaseMs = 2000;
        s.options.notify.backoffBaseMs = 100;
        s.options.notify.backoffMaxMs = 400;
        return s;
    }

    int m_smtpPort = 0;

    // A plain SMTP sink on a free port of this machine (aiosmtpd, Debian's python3-aiosmtpd)
    // that keeps every mail in `maildir`; m_smtpPort is its port once it accepts.
    void startMailSink(QProcess& sink, const QString& maildir)
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/python3")) ||
            QProcess::execute(QStringLiteral("/usr/bin/python3"),
                              {QStringLiteral("-c"), QStringLiteral("import aiosmtpd")}) != 0)
            QFAIL("python3-aiosmtpd is missing: run installer/install-deps.sh");
        m_smtpPort = freePort();
        sink.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        sink.start(QStringLiteral("/usr/bin/python3"),
                   {QStringLiteral("-m"), QStringLiteral("aiosmtpd"), QStringLiteral("-n"),
                    QStringLiteral("-l"), QStringLiteral("127.0.0.1:%1").arg(m_smtpPort),
                    QStringLiteral("-c"), QStringLiteral("aiosmtpd.handlers.Mailbox"), maildir});
        QVERIFY(sink.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QTcpSocket s;
                s.connectToHost(QHostAddress::LocalHost, quint16(m_smtpPort));
                return s.waitForConnected(200);
            }(),
            10000);
    }

    // The channel's newest row, as Settings lists it.
    OutboxDelivery newest(qint64 channel)
    {
        auto rows = AlertOutbox(*m_ws).recent(channel, 1);
        return rows && !rows->isEmpty() ? rows->first() : OutboxDelivery{};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void oneMessagePerStateChange_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("slack") << int(ChannelKind::Slack);
        QTest::newRow("teams") << int(ChannelKind::Teams);
        QTest::newRow("webhook") << int(ChannelKind::Webhook);
    }

    void oneMessagePerStateChange()
    {
        QFETCH(int, kind);
        freshWorkspace();
        const auto k = ChannelKind(kind);
        const qint64 channel = addChannel(k);
        QVERIFY(channel > 0);
        // A channel for info alerts only: none of these changes is its business.
        const qint64 infoOnly = addChannel(k, {AlertSeverity::Info});
        auto script = std::make_shared<FakeScript>();
        script->add(FakeRule::on("POST", QStringLiteral("/hooks/**"))
                        .reply(k == ChannelKind::Teams ? FakeResponse::text(202, {})
                                                       : FakeResponse::text(200, "ok")));
        auto book = std::make_shared<SecretBook>();
        const QString path = QStringLiteral("/hooks/%1/T0001/B0001/%2")
                                 .arg(channelKindName(k), QStringLiteral("tok3nXYZ"));
        ChannelSecrets secrets;
        secrets.url = QStringLiteral("http://127.0.0.1:9") + path;
        secrets.hmacSecret = kSecret;
        secrets.headers = {{QStringLiteral("X-Team"), QStringLiteral("growth")}};
        book->put(channel, secrets);
        ChannelSecrets other = secrets;
        other.url = QStringLiteral("http://127.0.0.1:9/hooks/%1/info-only").arg(channelKindName(k));
        book->put(infoOnly, other);

        const EngineContext context(setup(script));
        Notifier notifier(context, m_location, book);
        notifier.start();
        AlertStore alerts(*m_ws, *Clock::system());
        auto count = [&] { return script->count("POST", path); };

        // Opened: one message; the same state found by three more runs: nothing more.
        auto id = alerts.raise(finding(m_mapping, AlertSeverity::Warning, 120));
        QVERIFY(id);
        QTRY_COMPARE(count(), 1);
        for (int run = 0; run < 3; ++run)
            QVERIFY(alerts.raise(finding(m_mapping, AlertSeverity::Warning, 110 - run)));
        notifier.deliverNow();
        QTest::qWait(500);
        QCOMPARE(count(), 1);
        // Raised to critical: one more. Back to warning is not news.
        QVERIFY(alerts.raise(finding(m_mapping, AlertSeverity::Critical, 3)));
        QTRY_COMPARE(count(), 2);
        QVERIFY(alerts.raise(finding(m_mapping, AlertSeverity::Warning, 40)));
        // Resolved: one recovery message.
        QVERIFY(alerts.reconcile(m_mapping, {QString::fromLatin1(rule::kSizeCollapse)}, {}));
        QTRY_COMPARE(count(), 3);
        QTest::qWait(500);
        QCOMPARE(count(), 3);
        QCOMPARE(script->count("POST", QStringLiteral("/hooks/*/info-only")), 0);

        const QList<FakeRequest> sent = script->requests("POST", path);
        QStringList events, ids;
        for (const FakeRequest& r : sent) {
            const QJsonObject body = r.json().object();
            QString event;
            if (k == ChannelKind::Slack) {
                // Native formatting: a fallback text and Block Kit blocks naming the cohort.
                QVERIFY(body.value(QStringLiteral("text"))
                            .toString()
                            .contains(QStringLiteral("size_collapse")));
                const QByteArray blocks =
                    QJsonDocument(body.value(QStringLiteral("blocks")).toArray()).toJson();
                QVERIFY2(blocks.contains("CIO | Winback | 45-60d"), blocks.constData());
                QVERIFY(blocks.contains("What to do"));
                event =
                    body.value(QStringLiteral("text")).toString().section(QLatin1Char(' '), 0, 0);
                ids << QString::fromUtf8(blocks).section(QStringLiteral("event "), 1).left(36);
            } else if (k == ChannelKind::Teams) {
                const QJsonObject att =
                    body.value(QStringLiteral("attachments")).toArray().first().toObject();
                QCOMPARE(att.value(QStringLiteral("contentType")).toString(),
                         QStringLiteral("application/vnd.microsoft.card.adaptive"));
                const QJsonObject card = att.value(QStringLiteral("content")).toObject();
                QCOMPARE(card.value(QStringLiteral("type")).toString(),
                         QStringLiteral("AdaptiveCard"));
                const QByteArray text = QJsonDocument(card).toJson();
                QVERIFY(text.contains("FactSet"));
                QVERIFY(text.contains("CIO | Winback | 45-60d"));
                event = card.value(QStringLiteral("body"))
                            .toArray()
                            .first()
                            .toObject()
                            .value(QStringLiteral("text"))
                            .toString()
                            .section(QLatin1Char(' '), 0, 0);
                ids << QString::fromUtf8(text).section(QStringLiteral("Event "), 1).left(36);
            } else {
                // The documented JSON, signed: HMAC-SHA256 of the exact body with the secret.
                QCOMPARE(body.value(QStringLiteral("schema")).toString(),
                         QStringLiteral("lockstep.alert.v1"));
                const QByteArray expected =
                    "sha256=" + QMessageAuthenticationCode::hash(r.body, kSecret.toUtf8(),
                                                                 QCryptographicHash::Sha256)
                                    .toHex();
                QCOMPARE(r.header("X-Lockstep-Signature"), expected);
                QVERIFY(r.header("X-Lockstep-Signature") !=
                        webhookSignature(r.body, QStringLiteral("another secret")));
                QCOMPARE(r.header("X-Team"), QByteArray("growth"));
                QCOMPARE(QString::fromUtf8(r.header("X-Lockstep-Event-Id")),
                         body.value(QStringLiteral("event_id")).toString());
                event = body.value(QStringLiteral("event")).toString();
                ids << body.value(QStringLiteral("event_id")).toString();
                const QJsonObject mapping = body.value(QStringLiteral("mapping")).toObject();
                QCOMPARE(mapping.value(QStringLiteral("cohort")).toString(),
                         QStringLiteral("CIO | Winback | 45-60d"));
                QCOMPARE(mapping.value(QStringLiteral("owner")).toString(),
                         QStringLiteral("growth@example.com"));
                if (event == QLatin1String("raised")) {
                    const QJsonObject alert = body.value(QStringLiteral("alert")).toObject();
                    QCOMPARE(alert.value(QStringLiteral("previous_severity")).toString(),
                             QStringLiteral("warning"));
                    QCOMPARE(alert.value(QStringLiteral("severity")).toString(),
                             QStringLiteral("critical"));
                    QCOMPARE(alert.value(QStringLiteral("value")).toDouble(), 3.0);
                    QCOMPARE(alert.value(QStringLiteral("previous_value")).toDouble(), 108.0);
                }
            }
            events << event;
        }
        if (k == ChannelKind::Webhook)
            QCOMPARE(events, (QStringList{"opened", "raised", "resolved"}));
        else
            QCOMPARE(events, (QStringList{"WARNING:", "CRITICAL:", "RESOLVED:"}));
        ids.removeDuplicates();
        QCOMPARE(ids.size(), 3); // one event id per change

        // The history Settings shows: three delivered, with the receiver's answer.
        auto recent = AlertOutbox(*m_ws).recent(channel);
        QVERIFY(recent);
        QCOMPARE(recent->size(), 3);
        for (const OutboxDelivery& d : *recent) {
            QCOMPARE(d.state, QStringLiteral("delivered"));
            QCOMPARE(d.attempts, 1);
            QCOMPARE(d.lastStatus, k == ChannelKind::Teams ? 202 : 200);
        }
    }

    void failuresDelayWithoutBlocking_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("429 Retry-After 1") << QStringLiteral("429");
        QTest::newRow("500") << QStringLiteral("500");
        QTest::newRow("hang") << QStringLiteral("hang");
    }

    void failuresDelayWithoutBlocking()
    {
        QFETCH(QString, fault);
        freshWorkspace();
        const qint64 channel = addChannel(ChannelKind::Webhook);
        auto script = std::make_shared<FakeScript>();
        FakeResponse first = fault == QLatin1String("429")
                                 ? FakeResponse::json(429, QByteArray("{\"error\":\"slow down\"}"))
                                       .withHeader("Retry-After", "1")
                             : fault == QLatin1String("500")
                                 ? FakeResponse::json(500, QByteArray("{\"error\":\"boom\"}"))
                                 : FakeResponse::hanging();
        script->add(FakeRule::on("POST", QStringLiteral("/hooks/**")).times(1).reply(first));
        script->add(FakeRule::on("POST", QStringLiteral("/hooks/**"))
                        .reply(FakeResponse::json(200, QByteArray("{\"ok\":true}"))));
        auto book = std::make_shared<SecretBook>();
        ChannelSecrets secrets;
        secrets.url = QStringLiteral("http://127.0.0.1:9/hooks/webhook/x");
        secrets.hmacSecret = kSecret;
        book->put(channel, secrets);
        const EngineContext context(setup(script));
        Notifier notifier(context, m_location, book);
        QList<OutboxDelivery> recorded;
        connect(&notifier, &Notifier::recorded, this,
                [&](const OutboxDelivery& d) { recorded << d; });
        // The caller's thread (the GUI's, the engine's) keeps turning meanwhile.
        QElapsedTimer gap;
        qint64 longestGap = 0;
        QTimer tick;
        tick.setInterval(10);
        connect(&tick, &QTimer::timeout, this,
                [&] { longestGap = std::max(longestGap, gap.restart()); });
        notifier.start();
        QVERIFY(AlertStore(*m_ws, *Clock::system())
                    .raise(finding(m_mapping, AlertSeverity::Critical, 2)));
        gap.start();
        tick.start();
        QTRY_VERIFY_WITH_TIMEOUT(!recorded.isEmpty(), 5000);
        // The failed attempt is recorded, pending, with what the receiver said.
        QCOMPARE(recorded.first().state, QStringLiteral("pending"));
        OutboxDelivery row = newest(channel);
        QCOMPARE(row.state, QStringLiteral("pending"));
        if (fault == QLatin1String("hang")) {
            QCOMPARE(row.lastStatus, 0);
            QVERIFY2(row.lastError.contains(QStringLiteral("no answer")),
                     qPrintable(row.lastError));
        } else {
            QCOMPARE(row.lastStatus, fault.toInt());
            QVERIFY(row.lastError.contains(fault));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            !recorded.isEmpty() && recorded.last().state == QLatin1String("delivered"), 8000);
        tick.stop();
        const QList<FakeRequest> sent = script->requests("POST", QStringLiteral("/hooks/**"));
        QCOMPARE(sent.size(), 2);
        const qint64 waited = sent[1].atMs - sent[0].atMs;
        if (fault == QLatin1String("429"))
            QVERIFY2(waited >= 1000, qPrintable(QString::number(waited))); // Retry-After
        else if (fault == QLatin1String("hang"))
            QVERIFY2(waited >= 600, qPrintable(QString::number(waited))); // the timeout
        // Same event, same signature: the receiver can drop the repeat.
        QCOMPARE(sent[0].header("X-Lockstep-Event-Id"), sent[1].header("X-Lockstep-Event-Id"));
        row = newest(channel);
        QCOMPARE(row.state, QStringLiteral("delivered"));
        QCOMPARE(row.attempts, 2);
        QVERIFY2(longestGap < 250, qPrintable(QString::number(longestGap)));
    }

    void givesUpAfterTheBound()
    {
        freshWorkspace();
        const qint64 channel = addChannel(ChannelKind::Slack);
        auto script = std::make_shared<FakeScript>();
        script->add(FakeRule::on("POST", QStringLiteral("/hooks/**"))
                        .reply(FakeResponse::text(503, "upstream down")));
        auto book = std::make_shared<SecretBook>();
        ChannelSecrets secrets;
        secrets.url = QStringLiteral("http://127.0.0.1:9/hooks/slack/x");
        book->put(channel, secrets);
        EngineContext::Setup s = setup(script);
        s.options.notify.giveUpMs = 700;
        const EngineContext context(s);
        Notifier notifier(context, m_location, book);
        notifier.start();
        QVERIFY(AlertStore(*m_ws, *Clock::system())
                    .raise(finding(m_mapping, AlertSeverity::Warning, 9)));
        QTRY_VERIFY_WITH_TIMEOUT(newest(channel).state == QLatin1String("failed"), 5000);
        const OutboxDelivery d = newest(channel);
        QVERIFY2(d.lastError.contains(QStringLiteral("gave up")), qPrintable(d.lastError));
        QVERIFY(d.lastError.contains(QStringLiteral("upstream down")));
        QCOMPARE(d.lastStatus, 503);
        const int attempts = script->count("POST", QStringLiteral("/hooks/**"));
        QVERIFY(attempts >= 2);
        QTest::qWait(500);
        QCOMPARE(script->count("POST", QStringLiteral("/hooks/**")), attempts);
    }

    void permanentRefusalIsNotRetried()
    {
        freshWorkspace();
        const qint64 channel = addChannel(ChannelKind::Slack);
        auto script = std::make_shared<FakeScript>();
        script->add(FakeRule::on("POST", QStringLiteral("/hooks/**"))
                        .reply(FakeResponse::text(404, "no_service")));
        auto book = std::make_shared<SecretBook>();
        ChannelSecrets secrets;
        secrets.url = QStringLiteral("http://127.0.0.1:9/hooks/slack/gone");
        book->put(channel, secrets);
        const EngineContext context(setup(script));
        Notifier notifier(context, m_location, book);
        notifier.start();
        QVERIFY(AlertStore(*m_ws, *Clock::system())
                    .raise(finding(m_mapping, AlertSeverity::Warning, 9)));
        QTRY_COMPARE(newest(channel).state, QStringLiteral("failed"));
        QTest::qWait(400);
        QCOMPARE(script->count("POST", QStringLiteral("/hooks/**")), 1);
        QVERIFY(newest(channel).lastError.contains(QStringLiteral("no_service")));
    }

    void channelWithoutSecretsIsLeftToOthers()
    {
        freshWorkspace();
        const qint64 channel = addChannel(ChannelKind::Slack);
        auto script = std::make_shared<FakeScript>();
        const EngineContext context(setup(script));
        Notifier notifier(context, m_location, std::make_shared<SecretBook>());
        notifier.start();
        QVERIFY(AlertStore(*m_ws, *Clock::system())
                    .raise(finding(m_mapping, AlertSeverity::Warning, 9)));
        QTest::qWait(400);
        const OutboxDelivery d = newest(channel);
        QCOMPARE(d.state, QStringLiteral("pending"));
        QCOMPARE(d.attempts, 0);
        QCOMPARE(script->requests().size(), 0);
    }

    void email()
    {
        if (TestDatabase::usingPostgres())
            QSKIP("the channel's transport does not depend on the store");
        freshWorkspace();
        const QString maildir = m_dir.filePath(QStringLiteral("maildir"));
        QProcess sink;
        startMailSink(sink, maildir);
        if (QTest::currentTestFailed())
            return;
        const qint64 channel = addChannel(ChannelKind::Email);
        QVERIFY(channel > 0);
        auto script = std::make_shared<FakeScript>();
        const EngineContext context(setup(script));
        auto book = std::make_shared<SecretBook>();
        book->put(channel, ChannelSecrets{}); // nothing secret: no authentication here
        Notifier notifier(context, m_location, book);
        notifier.start();
        auto mails = [&] {
            return QDir(maildir + QStringLiteral("/new"))
                .entryList(QDir::Files, QDir::Time | QDir::Reversed);
        };
        AlertStore alerts(*m_ws, *Clock::system());
        QVERIFY(alerts.raise(finding(m_mapping, AlertSeverity::Warning, 120)));
        QTRY_COMPARE_WITH_TIMEOUT(mails().size(), 1, 10000);
        QVERIFY(alerts.raise(finding(m_mapping, AlertSeverity::Warning, 118)));
        QVERIFY(alerts.raise(finding(m_mapping, AlertSeverity::Critical, 2)));
        QTRY_COMPARE_WITH_TIMEOUT(mails().size(), 2, 10000);
        QVERIFY(alerts.reconcile(m_mapping, {QString::fromLatin1(rule::kSizeCollapse)}, {}));
        QTRY_COMPARE_WITH_TIMEOUT(mails().size(), 3, 10000);
        QTest::qWait(500);
        QCOMPARE(mails().size(), 3);
        QStringList subjects, ids;
        for (const QString& name : mails()) {
            QFile f(maildir + QStringLiteral("/new/") + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray mail = f.readAll();
            QVERIFY(mail.contains("To: oncall@example.com"));
            for (const QByteArray& line : mail.split('\n')) {
                if (line.startsWith("Subject: "))
                    subjects << QString::fromUtf8(line.mid(9).trimmed());
                if (line.startsWith("X-Lockstep-Event-Id: "))
                    ids << QString::fromUtf8(line.mid(21).trimmed());
            }
        }
        subjects.sort();
        QCOMPARE(
            subjects,
            (QStringList{"[Lockstep] CRITICAL: size_collapse raised on CIO | Winback | 45-60d",
                         "[Lockstep] RESOLVED: size_collapse on CIO | Winback | 45-60d",
                         "[Lockstep] WARNING: size_collapse opened on CIO | Winback | 45-60d"}));
        ids.removeDuplicates();
        QCOMPARE(ids.size(), 3);
        auto rows = AlertOutbox(*m_ws).recent(channel);
        QVERIFY(rows);
        for (const OutboxDelivery& d : *rows)
            QCOMPARE(d.lastStatus, 250);
        sink.kill();
        sink.waitForFinished();
    }

    // STARTTLS (port 587 style) and implicit TLS (465), each with AUTH that the server only
    // offers over TLS and requires before MAIL: a delivered message proves both. The wrong
    // password is a permanent failure; a certificate nobody vouches for is never talked to.
    void emailOverTlsWithAuth_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("scheme");
        QTest::newRow("starttls") << QStringLiteral("starttls") << QStringLiteral("smtp");
        QTest::newRow("implicit") << QStringLiteral("implicit") << QStringLiteral("smtps");
    }

    void emailOverTlsWithAuth()
    {
        if (TestDatabase::usingPostgres())
            QSKIP("the channel's transport does not depend on the store");
        QFETCH(QString, mode);
        QFETCH(QString, scheme);
        freshWorkspace();
        const QString cert = m_dir.filePath(QStringLiteral("smtp-cert.pem"));
        const QString key = m_dir.filePath(QStringLiteral("smtp-key.pem"));
        if (!QFile::exists(cert)) {
            // A certificate for 127.0.0.1 made for this run; the client trusts it through
            // LOCKSTEP_SMTP_CA_FILE's option, as a company's own authority would be.
            QCOMPARE(QProcess::execute(QStringLiteral("openssl"),
                                       {QStringLiteral("req"), QStringLiteral("-x509"),
                                        QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                                        QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
                                        QStringLiteral("-out"), cert, QStringLiteral("-days"),
                                        QStringLiteral("2"), QStringLiteral("-subj"),
                                        QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                                        QStringLiteral("subjectAltName=IP:127.0.0.1")}),
                     0);
        }
        const int port = freePort();
        const QString maildir = m_dir.filePath(QStringLiteral("tls-") + mode);
        QProcess sink;
        sink.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        sink.start(QStringLiteral("/usr/bin/python3"),
                   {QFINDTESTDATA("smtp_tls_sink.py"), QStringLiteral("--port"),
                    QString::number(port), QStringLiteral("--cert"), cert, QStringLiteral("--key"),
                    key, QStringLiteral("--maildir"), maildir, QStringLiteral("--mode"), mode,
                    QStringLiteral("--user"), QStringLiteral("alerts"),
                    QStringLiteral("--password"), QStringLiteral("s3cret-smtp-pw")});
        QVERIFY(sink.waitForStarted());
        QByteArray said; // QTRY evaluates its condition once more after it held
        QTRY_VERIFY_WITH_TIMEOUT((said += sink.readAllStandardOutput()).contains("ready"), 15000);

        auto channelWith = [&](const QString& user) {
            NotificationChannel c;
            c.kind = ChannelKind::Email;
            c.smtpUrl = QStringLiteral("%1://%2@127.0.0.1:%3").arg(scheme, user).arg(port);
            c.mailFrom = QStringLiteral("lockstep@example.com");
            c.mailTo = {QStringLiteral("oncall@example.com")};
            auto id = ChannelRepository(*m_ws).add(c);
            return id ? *id : 0;
        };
        const qint64 good = channelWith(QStringLiteral("alerts"));
        const qint64 wrongPassword = channelWith(QStringLiteral("alerts"));
        QVERIFY(good > 0 && wrongPassword > 0);
        auto book = std::make_shared<SecretBook>();
        ChannelSecrets right;
        right.smtpPassword = QStringLiteral("s3cret-smtp-pw");
        book->put(good, right);
        ChannelSecrets wrong;
        wrong.smtpPassword = QStringLiteral("not-the-password");
        book->put(wrongPassword, wrong);

        auto mails = [&] { return QDir(maildir + QStringLiteral("/new")).entryList(QDir::Files); };
        {
            // Without the company's authority the server is a stranger: nothing is sent.
            auto script = std::make_shared<FakeScript>();
            EngineContext::Setup s = setup(script);
            s.options.notify.smtpCaFile.clear();
            const EngineContext context(std::move(s));
            Notifier notifier(context, m_location, book);
            notifier.start();
            QVERIFY(AlertStore(*m_ws, *Clock::system())
                        .raise(finding(m_mapping, AlertSeverity::Warning, 120)));
            QTRY_VERIFY_WITH_TIMEOUT(
                newest(good).attempts >= 1 && !newest(good).lastError.isEmpty(), 15000);
            QCOMPARE(newest(good).state, QStringLiteral("pending"));
            QVERIFY2(newest(good).lastError.contains(QStringLiteral("certificate")),
                     qPrintable(newest(good).lastError));
            QCOMPARE(mails().size(), 0);
        }
        auto script = std::make_shared<FakeScript>();
        EngineContext::Setup s = setup(script);
        s.options.notify.smtpCaFile = cert;
        const EngineContext context(std::move(s));
        Notifier notifier(context, m_location, book);
        notifier.start();
        notifier.deliverNow();
        QTRY_COMPARE_WITH_TIMEOUT(newest(good).state, QStringLiteral("delivered"), 15000);
        QCOMPARE(newest(good).lastStatus, 250);
        QCOMPARE(mails().size(), 1);
        // Refused credentials do not get better by trying again.
        QTRY_COMPARE_WITH_TIMEOUT(newest(wrongPassword).state, QStringLiteral("failed"), 15000);
        QCOMPARE(newest(wrongPassword).lastStatus, 535);
        QVERIFY(!newest(wrongPassword).lastError.contains(QStringLiteral("not-the-password")));
        QCOMPARE(mails().size(), 1);
        sink.kill();
        sink.waitForFinished();
    }

    // An e-mail channel may write to each alert's mapping's health monitor: one mapping's
    // monitor is an address (mailed), another's is a name (nobody to write to: failed, said).
    void emailToHealthMonitor()
    {
        if (TestDatabase::usingPostgres())
            QSKIP("the channel's transport does not depend on the store");
        freshWorkspace();
        const QString maildir = m_dir.filePath(QStringLiteral("monitor-maildir"));
        QProcess sink;
        startMailSink(sink, maildir);
        if (QTest::currentTestFailed())
            return;
        MappingRepository repo(*m_ws);
        auto first = repo.get(m_mapping);
        QVERIFY(first);
        first->healthMonitor = QStringLiteral("dana@example.com");
        QVERIFY(repo.update(*first));
        Mapping named;
        named.segmentId = 8;
        named.segmentName = QStringLiteral("Cart 0-24h");
        named.cohortName = QStringLiteral("CIO | Cart | 0-24h");
        named.healthMonitor = QStringLiteral("Dana");
        auto second = repo.add(named);
        QVERIFY(second);

        NotificationChannel c;
        c.kind = ChannelKind::Email;
        c.smtpUrl = QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtpPort);
        c.mailFrom = QStringLiteral("lockstep@example.com");
        c.mailMonitor = true; // and no fixed recipient
        auto channel = ChannelRepository(*m_ws).add(c);
        QVERIFY(channel);
        QVERIFY(ChannelRepository(*m_ws).get(*channel)->mailMonitor);
        auto book = std::make_shared<SecretBook>();
        book->put(*channel, ChannelSecrets{});
        auto script = std::make_shared<FakeScript>();
        const EngineContext context(setup(script));
        Notifier notifier(context, m_location, book);
        notifier.start();
        AlertStore alerts(*m_ws, *Clock::system());
        QVERIFY(alerts.raise(finding(m_mapping, AlertSeverity::Warning, 120)));
        QVERIFY(alerts.raise(finding(*second, AlertSeverity::Warning, 3)));
        auto mails = [&] { return QDir(maildir + QStringLiteral("/new")).entryList(QDir::Files); };
        QTRY_COMPARE_WITH_TIMEOUT(mails().size(), 1, 10000);
        QFile f(maildir + QStringLiteral("/new/") + mails().first());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray mail = f.readAll();
        QVERIFY2(mail.contains("To: dana@example.com\r\n") ||
                     mail.contains("To: dana@example.com\n"),
                 mail.left(400).constData());
        QVERIFY(mail.contains("CIO | Winback | 45-60d"));
        QTRY_COMPARE_WITH_TIMEOUT(
            [&] {
                int n = 0;
                if (auto r = AlertOutbox(*m_ws).recent(*channel))
                    for (const OutboxDelivery& d : *r)
                        n += d.state == QLatin1String("failed");
                return n;
            }(),
            1, 10000);
        auto rows = AlertOutbox(*m_ws).recent(*channel);
        QVERIFY(rows);
        QCOMPARE(rows->size(), 2);
        for (const OutboxDelivery& d : *rows)
            if (d.state == QLatin1String("failed"))
                QVERIFY2(d.lastError.contains(QStringLiteral("health monitor")),
                         qPrintable(d.lastError));
        QCOMPARE(mails().size(), 1);
        sink.kill();
        sink.waitForFinished();
    }

    // Acknowledging tells the channel once (who took it on); acknowledging again does not.
    void acknowledgedOnce()
    {
        freshWorkspace();
        const qint64 channel = addChannel(ChannelKind::Webhook);
        QVERIFY(channel > 0);
        auto script = std::make_shared<FakeScript>();
        script->add(
            FakeRule::on("POST", QStringLiteral("/hooks/**")).reply(FakeResponse::text(200, "ok")));
        auto book = std::make_shared<SecretBook>();
        ChannelSecrets secrets;
        secrets.url = QStringLiteral("http://127.0.0.1:9/hooks/webhook/ack");
        secrets.hmacSecret = kSecret;
        book->put(channel, secrets);
        const EngineContext context(setup(script));
        Notifier notifier(context, m_location, book);
        notifier.start();
        AlertStore alerts(*m_ws, *Clock::system());
        auto id = alerts.raise(finding(m_mapping, AlertSeverity::Warning, 120));
        QVERIFY(id);
        const QString path = QStringLiteral("/hooks/webhook/ack");
        QTRY_COMPARE(script->count("POST", path), 1);
        QVERIFY(alerts.acknowledge(*id, QStringLiteral("sam")));
        QTRY_COMPARE(script->count("POST", path), 2);
        QVERIFY(alerts.acknowledge(*id, QStringLiteral("alex")));
        notifier.deliverNow();
        QTest::qWait(500);
        QCOMPARE(script->count("POST", path), 2);
        const QJsonObject body = script->requests("POST", path).last().json().object();
        QCOMPARE(body.value(QStringLiteral("event")).toString(), QStringLiteral("acknowledged"));
        const QJsonObject alert = body.value(QStringLiteral("alert")).toObject();
        QCOMPARE(alert.value(QStringLiteral("acknowledged_by")).toString(), QStringLiteral("sam"));
        QVERIFY(!alert.value(QStringLiteral("acknowledged_at")).toString().isEmpty());
        QCOMPARE(eventTitle(body).left(20), QStringLiteral("ACKNOWLEDGED by sam:"));
    }
};

QTEST_GUILESS_MAIN(TestNotify)
#include "tst_notify.moc"
