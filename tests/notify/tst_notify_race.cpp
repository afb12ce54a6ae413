// Exactly one delivery per event, however many processes deliver: two `lockstep run`
// runners and a console's Notifier (this process) share one PostgreSQL workspace while
// alerts open and resolve. Runners are SIGKILLed at random moments (a receiver that takes
// 150 ms to answer makes most kills land mid-delivery) and started again. Every event
// reaches the receiver (none lost), no event is on the wire more than twice, and a
// receiver that deduplicates on event_id sees each exactly once.
#include "sandboxprocess.h"
#include "testdatabase.h"

#include "engine/enginecontext.h"
#include "engine/notifier.h"
#include "health/alertstore.h"
#include "health/notificationchannel.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

#include <csignal>
#include <map>
#include <memory>

using namespace lockstep;
using namespace lockstep::test;

class TestNotifyRace : public QObject
{
    Q_OBJECT

    std::unique_ptr<SandboxProcess> m_sandbox;
    QString m_url;
    qint64 m_channel = 0;
    QString m_hookUrl;
    const QString m_secret = QStringLiteral("race-hmac-secret");

    QProcess* startRunner(QObject* parent)
    {
        auto* p = new QProcess(parent);
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(ChannelSecrets::variablePrefix(m_channel) + QStringLiteral("URL"), m_hookUrl);
        e.insert(ChannelSecrets::variablePrefix(m_channel) + QStringLiteral("HMAC_SECRET"),
                 m_secret);
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_POLL_MS"), QStringLiteral("150"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_TIMEOUT_MS"), QStringLiteral("1000"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_LEASE_MS"), QStringLiteral("2000"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_BACKOFF_MS"), QStringLiteral("100"));
        p->setProcessEnvironment(e);
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(QStringLiteral(LOCKSTEP_BIN),
                 {QStringLiteral("--workspace"), m_url, QStringLiteral("run"),
                  QStringLiteral("--check-every"), QStringLiteral("1")});
        p->waitForStarted();
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestDatabase::postgresAvailable())
            QFAIL("the pg fixture server is not running");
        QString error;
        m_url = TestDatabase::createPostgresDatabase(&error);
        QVERIFY2(!m_url.isEmpty(), qPrintable(error));
        m_sandbox = std::make_unique<SandboxProcess>(
            QJsonObject{{QStringLiteral("seed"), 3},
                        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 10}}},
                        {QStringLiteral("segments"),
                         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                                {QStringLiteral("name"), QStringLiteral("Any")},
                                                {QStringLiteral("size"), 5}}}}});
        QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
        QUrl hook = m_sandbox->mixpanel();
        hook.setPath(QStringLiteral("/hooks/webhook/race"));
        m_hookUrl = hook.toString();
    }

    void everyEventOnceThroughKills()
    {
        auto ws = Workspace::open(m_url);
        QVERIFY2(ws, qPrintable(ws.error().message));
        NotificationChannel c;
        c.kind = ChannelKind::Webhook;
        c.severities = {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info};
        auto id = ChannelRepository(**ws).add(c);
        QVERIFY(id);
        m_channel = *id;
        // The receiver takes 150 ms over each message: kills land mid-delivery.
        m_sandbox->setFaults(
            QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("hook.webhook")},
                                   {QStringLiteral("latency_ms"), 150}}});

        // The console: its own Notifier, as the console window starts one.
        EngineContext::Setup setup = EngineContext::Setup::fromEnvironment();
        setup.options.notify.pollMs = 150;
        setup.options.notify.requestTimeoutMs = 1000;
        setup.options.notify.leaseMs = 2000;
        setup.options.notify.backoffBaseMs = 100;
        const EngineContext context(setup);
        auto book = std::make_shared<SecretBook>();
        ChannelSecrets secrets;
        secrets.url = m_hookUrl;
        secrets.hmacSecret = m_secret;
        book->put(m_channel, secrets);
        Notifier console(context, m_url, book);
        console.start();

        QObject owner;
        QProcess* runners[2] = {startRunner(&owner), startRunner(&owner)};
        AlertStore alerts(**ws, *Clock::system());
        auto* rng = QRandomGenerator::global();
        const int kills = qEnvironmentVariableIntValue("LOCKSTEP_NOTIFY_KILLS") > 0
                              ? qEnvironmentVariableIntValue("LOCKSTEP_NOTIFY_KILLS")
                              : 10;
        int changes = 0;
        for (int k = 0; k < kills; ++k) {
            // A few alert changes: each mapping's alert opens, then resolves at the next round.
            for (int m = 1; m <= 4; ++m) {
                const qint64 mapping = k * 10 + m;
                HealthFinding f;
                f.mappingId = mapping;
                f.rule = QString::fromLatin1(rule::kDrift);
                f.severity = AlertSeverity::Warning;
                f.message = QStringLiteral("drift on %1").arg(mapping);
                QVERIFY(alerts.raise(f));
                ++changes;
                if (k > 0) {
                    QVERIFY(
                        alerts.reconcile(mapping - 10, {QString::fromLatin1(rule::kDrift)}, {}));
                    ++changes;
                }
            }
            QTest::qWait(200 + int(rng->bounded(900)));
            const int victim = int(rng->bounded(2));
            ::kill(pid_t(runners[victim]->processId()), SIGKILL);
            runners[victim]->waitForFinished(5000);
            runners[victim] = startRunner(&owner);
        }
        auto undelivered = [&] {
            QSqlQuery q = (*ws)->query(
                QStringLiteral("SELECT COUNT(*) FROM notify_outbox WHERE state <> 'delivered'"));
            q.exec();
            q.next();
            return q.value(0).toInt();
        };
        QTRY_VERIFY_WITH_TIMEOUT(undelivered() == 0, 60000);
        QTest::qWait(500);
        for (QProcess* p : runners) {
            p->terminate();
            p->waitForFinished(10000);
        }

        QSqlQuery q = (*ws)->query(
            QStringLiteral("SELECT event_id, lease_owner FROM notify_outbox ORDER BY id"));
        QVERIFY(q.exec());
        QSet<QString> stored;
        std::map<QString, int> byOwner;
        while (q.next()) {
            stored.insert(q.value(0).toString());
            ++byOwner[q.value(1).toString().section(QLatin1Char(':'), 1, 1)];
        }
        QCOMPARE(stored.size(), changes);

        std::map<QString, int> onTheWire;
        const QJsonArray got =
            m_sandbox->control("GET", QStringLiteral("/_sandbox/webhooks")).toArray();
        for (const QJsonValue& v : got) {
            const QJsonObject o = v.toObject();
            const QByteArray body = o.value(QStringLiteral("body")).toString().toUtf8();
            const QString eventId =
                QJsonDocument::fromJson(body).object().value(QStringLiteral("event_id")).toString();
            QCOMPARE(o.value(QStringLiteral("headers"))
                         .toObject()
                         .value(QStringLiteral("x-lockstep-event-id"))
                         .toString(),
                     eventId);
            ++onTheWire[eventId];
        }
        int twice = 0;
        for (const auto& [eventId, n] : onTheWire) {
            QVERIFY2(stored.contains(eventId), qPrintable(eventId));
            QVERIFY2(n <= 2, qPrintable(QStringLiteral("%1 arrived %2 times").arg(eventId).arg(n)));
            twice += n == 2;
        }
        // The deduplicating receiver: every stored event, exactly once.
        QCOMPARE(int(onTheWire.size()), changes);
        QStringList owners;
        for (const auto& [pid, n] : byOwner)
            owners << QStringLiteral("%1: %2").arg(pid).arg(n);
        qInfo("%d events, %d kills, %d sent twice (a kill mid-delivery); delivered by pid: %s",
              changes, kills, twice, qPrintable(owners.join(QStringLiteral(", "))));
        // The console and the runners all took part.
        QVERIFY(byOwner.size() >= 3);
    }
};

QTEST_GUILESS_MAIN(TestNotifyRace)
#include "tst_notify_race.moc"
