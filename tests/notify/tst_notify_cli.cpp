// Alerts through the command line against the sandbox's webhook receivers: `notify add`
// for Slack, Teams and a signed webhook (each printing its id), `notify list --json`,
// `notify test` (the receiver's answer), then real syncs: a segment fallen to 2 members
// opens a critical alert (one message per channel), a second sync says nothing new, the
// segment refilled resolves it (one recovery message). A receiver that hangs leaves `lockstep sync`
// to finish its runs and exit after its bounded wait, and a later `run --once` delivers.
// No secret reaches the workspace, the output or the logs.
#include "clirunner.h"
#include "sandboxprocess.h"
#include "testdatabase.h"

#include "spec/mappingsfile.h"
#include "store/workspace.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcessEnvironment>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep::test;

namespace {

QJsonObject scenario()
{
    return QJsonObject{
        {QStringLiteral("seed"), 11},
        {QStringLiteral("customerio"),
         QJsonObject{{QStringLiteral("app_api_key"), QStringLiteral("cio-key-notify")}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("project_token"), QStringLiteral("mp-token-notify")},
                     {QStringLiteral("project_id"), 4243},
                     {QStringLiteral("service_account"), QStringLiteral("sa-n:sa-secret-n")}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 1000}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 11},
                                {QStringLiteral("name"), QStringLiteral("Lapsed 45-60 days")},
                                {QStringLiteral("size"), 300}}}},
    };
}

const QString kSlackToken = QStringLiteral("T0SLACK/B0SLACK/xoxSlackTok3n9d8f7e6");
const QString kTeamsToken = QStringLiteral("wf7TeamsSig4c3b2a1");
const QString kHmac = QStringLiteral("hmac-5ecret-a9b8c7d6");
const QString kHeaderValue = QStringLiteral("Bearer hdr-t0ken-1f2e3d");
const QString kFileToken = QStringLiteral("T0FILE/B0FILE/fileKeyT0ken77");
const QString kIdToken = QStringLiteral("T0ID/B0ID/idT0ken88aa");

} // namespace

class TestNotifyCli : public QObject
{
    Q_OBJECT

    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
    QString m_workspace;
    QString m_slack, m_teams, m_webhook; // channel ids
    QByteArray m_everything;             // every output of every command, for the search
    QJsonArray m_removed;                // members taken out of segment 11

    void shrinkSegment()
    {
        const QStringList ids = m_sandbox->segmentMemberKeys(11, QStringLiteral("id"));
        m_removed = QJsonArray();
        for (const QString& id : ids.mid(2))
            m_removed.append(id);
        m_sandbox->control("POST", QStringLiteral("/_sandbox/segments/11/members"),
                           QJsonObject{{QStringLiteral("add"), QJsonArray{}},
                                       {QStringLiteral("remove"), m_removed}});
    }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
        e.insert(QStringLiteral("LOCKSTEP_NO_KEYCHAIN"), QStringLiteral("1"));
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lockstep.*=true"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_POLL_MS"), QStringLiteral("200"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_TIMEOUT_MS"), QStringLiteral("1000"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_BACKOFF_MS"), QStringLiteral("100"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_SYNC_WAIT_MS"), QStringLiteral("10000"));
        return e;
    }
    // The environment of a process that delivers: the channels' secrets too.
    QProcessEnvironment delivering() const
    {
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_URL").arg(m_slack), slackUrl());
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_URL").arg(m_teams), teamsUrl());
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_URL").arg(m_webhook), webhookUrl());
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_HMAC_SECRET").arg(m_webhook), kHmac);
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_HEADERS").arg(m_webhook),
                 QStringLiteral("{\"Authorization\": \"%1\"}").arg(kHeaderValue));
        return e;
    }
    QString hook(const QString& kind, const QString& token) const
    {
        QUrl u = m_sandbox->customerIo();
        u.setPath(QStringLiteral("/hooks/%1/%2").arg(kind, token));
        return u.toString();
    }
    QString slackUrl() const { return hook(QStringLiteral("slack"), kSlackToken); }
    QString teamsUrl() const { return hook(QStringLiteral("teams"), kTeamsToken); }
    QString webhookUrl() const
    {
        return hook(QStringLiteral("webhook"), QStringLiteral("lockstep"));
    }

    CliRun cli(const QStringList& args, const QProcessEnvironment& e)
    {
        CliRun r = runCli(m_workspace, args, e);
        m_everything += r.out + r.err;
        return r;
    }
    QJsonArray received(const QString& kind)
    {
        return m_sandbox->control("GET", QStringLiteral("/_sandbox/webhooks?kind=%1").arg(kind))
            .toArray();
    }
    // The alert events each receiver got, in order ("opened", "resolved"...), read from
    // each kind's own format.
    QStringList events(const QString& kind)
    {
        QStringList out;
        for (const QJsonValue& v : received(kind)) {
            const QJsonObject body =
                QJsonDocument::fromJson(
                    v.toObject().value(QStringLiteral("body")).toString().toUtf8())
                    .object();
            if (kind == QLatin1String("webhook"))
                out << body.value(QStringLiteral("event")).toString();
            else if (kind == QLatin1String("slack"))
                out << body.value(QStringLiteral("text"))
                           .toString()
                           .section(QLatin1Char(' '), 0, 0);
            else
                out << body.value(QStringLiteral("attachments"))
                           .toArray()
                           .first()
                           .toObject()
                           .value(QStringLiteral("content"))
                           .toObject()
                           .value(QStringLiteral("body"))
                           .toArray()
                           .first()
                           .toObject()
                           .value(QStringLiteral("text"))
                           .toString()
                           .section(QLatin1Char(' '), 0, 0);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = TestDatabase::freshWorkspace(m_dir.path());
        m_sandbox = std::make_unique<SandboxProcess>(scenario());
        QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
        CliRun c = cli({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                        m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                        m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                        m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                        QString::number(m_sandbox->projectId())},
                       env());
        QVERIFY2(c.exitCode == 0, c.err.constData());
        c = cli({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                 QStringLiteral("11"), QStringLiteral("--cohort"),
                 QStringLiteral("CIO | Winback | 45-60d"), QStringLiteral("--identity"),
                 QStringLiteral("id"), QStringLiteral("--owner"), QStringLiteral("Dana"),
                 // The test empties the segment on purpose: its exits are not held.
                 QStringLiteral("--mass-exit-percent"), QStringLiteral("100")},
                env());
        QVERIFY2(c.exitCode == 0, c.err.constData());
    }

    void addListAndTest()
    {
        // Critical only: the refilled segment's churn warning is not these channels' business.
        const QStringList critical{QStringLiteral("--severity"), QStringLiteral("critical")};
        CliRun r = cli(QStringList{QStringLiteral("notify"), QStringLiteral("add"),
                                   QStringLiteral("--kind"), QStringLiteral("slack"),
                                   QStringLiteral("--url"), slackUrl()} +
                           critical,
                       env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_slack = QString::fromUtf8(r.out).trimmed();
        QVERIFY(m_slack.toInt() > 0);
        // No keychain here: it says which variables the delivering processes need.
        QVERIFY2(r.err.contains(QStringLiteral("LOCKSTEP_NOTIFY_%1_URL").arg(m_slack).toUtf8()),
                 r.err.constData());
        r = cli(QStringList{QStringLiteral("notify"), QStringLiteral("add"),
                            QStringLiteral("--kind"), QStringLiteral("teams"),
                            QStringLiteral("--url"), teamsUrl()} +
                    critical,
                env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_teams = QString::fromUtf8(r.out).trimmed();
        r = cli(QStringList{QStringLiteral("notify"), QStringLiteral("add"),
                            QStringLiteral("--kind"), QStringLiteral("webhook"),
                            QStringLiteral("--url"), webhookUrl(), QStringLiteral("--header"),
                            QStringLiteral("Authorization: ") + kHeaderValue,
                            QStringLiteral("--secret"), kHmac} +
                    critical,
                env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_webhook = QString::fromUtf8(r.out).trimmed();
        QCOMPARE(QSet<QString>({m_slack, m_teams, m_webhook}).size(), 3);

        // Bad input changes nothing.
        r = cli({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                 QStringLiteral("pager"), QStringLiteral("--url"), slackUrl()},
                env());
        QCOMPARE(r.exitCode, 2);
        r = cli({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                 QStringLiteral("slack"), QStringLiteral("--url"),
                 QStringLiteral("http://hooks.example.com/services/x")},
                env());
        QCOMPARE(r.exitCode, 2); // plain HTTP off this machine
        r = cli({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                 QStringLiteral("slack"), QStringLiteral("--url"), slackUrl(),
                 QStringLiteral("--severity"), QStringLiteral("urgent")},
                env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("urgent"));

        r = cli({QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")},
                env());
        QCOMPARE(r.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[0].toObject().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("slack"));
        QCOMPARE(list[0].toObject().value(QStringLiteral("severities")).toArray(),
                 QJsonArray{QStringLiteral("critical")});
        QCOMPARE(list[2].toObject().value(QStringLiteral("headers")).toArray(),
                 QJsonArray{QStringLiteral("Authorization")});
        QVERIFY(!r.out.contains("xoxSlack"));

        // The test message, with the receiver's answer; without the secret: exit 2.
        r = cli({QStringLiteral("notify"), QStringLiteral("test"), m_slack}, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("LOCKSTEP_NOTIFY_%1_URL").arg(m_slack).toUtf8()),
                 r.err.constData());
        r = cli({QStringLiteral("notify"), QStringLiteral("test"), m_slack}, delivering());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains(": ok"), r.out.constData()); // Slack answers "ok"
        r = cli({QStringLiteral("notify"), QStringLiteral("test"), m_teams}, delivering());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("HTTP 202"), r.out.constData());
        QCOMPARE(received(QStringLiteral("slack")).size(), 1);
        QCOMPARE(received(QStringLiteral("teams")).size(), 1);
        m_sandbox->setFaults(
            QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("hook.webhook")},
                                   {QStringLiteral("status"), 500},
                                   {QStringLiteral("count"), 1}}});
        r = cli({QStringLiteral("notify"), QStringLiteral("test"), m_webhook}, delivering());
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("HTTP 500"), r.err.constData());
        m_sandbox->clearFaults();
        m_sandbox->control("DELETE", QStringLiteral("/_sandbox/webhooks"));
    }

    void oneMessagePerChangeThroughSyncs()
    {
        const QStringList sync{QStringLiteral("sync"), QStringLiteral("--all"),
                               QStringLiteral("--verify-sample"), QStringLiteral("0")};
        // One sync of the full segment gives the health rules a baseline (one earlier point
        // suffices here), then the segment falls to 2: size_collapse, critical, opens.
        for (const auto& [key, value] :
             {std::pair{"collapse_min_points", "1"}, std::pair{"collapse_min_baseline", "10"}}) {
            CliRun c = cli({QStringLiteral("config"), QStringLiteral("set"), QLatin1String(key),
                            QLatin1String(value)},
                           env());
            QVERIFY2(c.exitCode == 0, c.err.constData());
        }
        CliRun r = cli(sync, delivering());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(received(QStringLiteral("webhook")).size(), 0);
        shrinkSegment();
        r = cli(sync, delivering());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QString& kind :
             {QStringLiteral("slack"), QStringLiteral("teams"), QStringLiteral("webhook")})
            QCOMPARE(received(kind).size(), 1);
        QCOMPARE(events(QStringLiteral("webhook")), QStringList{QStringLiteral("opened")});
        QCOMPARE(events(QStringLiteral("slack")), QStringList{QStringLiteral("CRITICAL:")});

        // The signature verifies against the exact body; the custom header arrived.
        const QJsonObject hook = received(QStringLiteral("webhook")).first().toObject();
        const QByteArray body = hook.value(QStringLiteral("body")).toString().toUtf8();
        const QJsonObject headers = hook.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("x-lockstep-signature")).toString().toLatin1(),
                 "sha256=" + QMessageAuthenticationCode::hash(body, kHmac.toUtf8(),
                                                              QCryptographicHash::Sha256)
                                 .toHex());
        QCOMPARE(headers.value(QStringLiteral("authorization")).toString(), kHeaderValue);
        const QJsonObject event = QJsonDocument::fromJson(body).object();
        QCOMPARE(event.value(QStringLiteral("alert"))
                     .toObject()
                     .value(QStringLiteral("rule"))
                     .toString(),
                 QStringLiteral("size_collapse"));
        QCOMPARE(event.value(QStringLiteral("mapping"))
                     .toObject()
                     .value(QStringLiteral("owner"))
                     .toString(),
                 QStringLiteral("Dana"));

        // Same state on the next run: nothing new.
        r = cli(sync, delivering());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QString& kind :
             {QStringLiteral("slack"), QStringLiteral("teams"), QStringLiteral("webhook")})
            QCOMPARE(received(kind).size(), 1);

        // Refilled: resolved, one recovery message each.
        m_sandbox->control("POST", QStringLiteral("/_sandbox/segments/11/members"),
                           QJsonObject{{QStringLiteral("add"), m_removed},
                                       {QStringLiteral("remove"), QJsonArray{}}});
        r = cli(sync, delivering());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(events(QStringLiteral("webhook")), (QStringList{"opened", "resolved"}));
        // README's examples come from here: LOCKSTEP_NOTIFY_DUMP=DIR keeps what arrived.
        if (const QString dump = qEnvironmentVariable("LOCKSTEP_NOTIFY_DUMP"); !dump.isEmpty()) {
            for (const QString& kind :
                 {QStringLiteral("slack"), QStringLiteral("teams"), QStringLiteral("webhook")}) {
                QFile f(QDir(dump).filePath(kind + QStringLiteral(".json")));
                if (f.open(QIODevice::WriteOnly))
                    f.write(QJsonDocument(received(kind)).toJson());
            }
        }
        QCOMPARE(events(QStringLiteral("slack")), (QStringList{"CRITICAL:", "RESOLVED:"}));
        QCOMPARE(events(QStringLiteral("teams")), (QStringList{"CRITICAL:", "RESOLVED:"}));
    }

    void hangingReceiverDoesNotHoldTheSync()
    {
        // Every receiver hangs; the segment empties again: a new alert to tell.
        m_sandbox->setFaults(QJsonArray{QJsonObject{
            {QStringLiteral("route"), QStringLiteral("hook.*")}, {QStringLiteral("hang"), true}}});
        shrinkSegment();
        QProcessEnvironment e = delivering();
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_SYNC_WAIT_MS"), QStringLiteral("2500"));
        QElapsedTimer t;
        t.start();
        CliRun r = cli({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json"),
                        QStringLiteral("--verify-sample"), QStringLiteral("0")},
                       e);
        const qint64 took = t.elapsed();
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray runs = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs[0].toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
        QVERIFY2(r.err.contains("alert messages not delivered yet: 3"), r.err.constData());
        QVERIFY2(took < 20000, qPrintable(QString::number(took)));
        // The failure is where Settings and `notify list` show it.
        CliRun list = cli(
            {QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")}, env());
        for (const QJsonValue& c : QJsonDocument::fromJson(list.out).array())
            QCOMPARE(c.toObject()
                         .value(QStringLiteral("recent"))
                         .toObject()
                         .value(QStringLiteral("pending"))
                         .toInt(),
                     1);

        // The receivers are back: the runner delivers what the sync could not, once each.
        m_sandbox->clearFaults();
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_SYNC_WAIT_MS"), QStringLiteral("15000"));
        r = cli({QStringLiteral("run"), QStringLiteral("--once")}, e);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(events(QStringLiteral("webhook")), (QStringList{"opened", "resolved", "opened"}));
        QCOMPARE(events(QStringLiteral("slack")).size(), 3);
        QCOMPARE(events(QStringLiteral("teams")).size(), 3);
    }

    // An e-mail channel for each mapping's health monitor: --to may then be left out; the
    // SMTP password in the URL goes to the secrets, never the list.
    void emailChannelForHealthMonitors()
    {
        const QString smtp = QStringLiteral("smtps://alerts:smtp-pw-77aa@smtp.example.com");
        CliRun r = cli({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                        QStringLiteral("slack"), QStringLiteral("--url"), slackUrl(),
                        QStringLiteral("--to-monitor")},
                       env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--to-monitor"), r.err.constData());
        r = cli({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                 QStringLiteral("email"), QStringLiteral("--smtp"), smtp, QStringLiteral("--from"),
                 QStringLiteral("lockstep@example.com")},
                env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--to-monitor"), r.err.constData());
        r = cli({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                 QStringLiteral("email"), QStringLiteral("--smtp"), smtp, QStringLiteral("--from"),
                 QStringLiteral("lockstep@example.com"), QStringLiteral("--to-monitor")},
                env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString id = QString::fromUtf8(r.out).trimmed();
        QVERIFY(id.toInt() > 0);
        r = cli({QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")},
                env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains("smtp-pw-77aa"));
        bool found = false;
        for (const QJsonValue& v : QJsonDocument::fromJson(r.out).array()) {
            const QJsonObject o = v.toObject();
            if (QString::number(o.value(QStringLiteral("id")).toInteger()) != id)
                continue;
            found = true;
            QCOMPARE(o.value(QStringLiteral("to_monitor")).toBool(), true);
            QCOMPARE(o.value(QStringLiteral("to")).toArray().size(), 0);
        }
        QVERIFY(found);
        r = cli({QStringLiteral("notify"), QStringLiteral("remove"), id}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    // A channel made by `apply` from a mappings file (which holds no secret) delivers with
    // what a process finds under its key, LOCKSTEP_NOTIFY_<KEY>_URL: a test message and a
    // real alert through the outbox. Variables named by its id win when both are set.
    void channelFromAMappingsFile()
    {
        CliRun r = cli({QStringLiteral("export")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        lockstep::MappingsFileRead read = lockstep::parseMappingsFile(r.out);
        QVERIFY(read.ok() && read.file.notifications);
        lockstep::ChannelSpec spec;
        spec.key = QStringLiteral("file-oncall");
        spec.kind = lockstep::ChannelKind::Slack;
        spec.name = QStringLiteral("From the file");
        spec.severities = {lockstep::AlertSeverity::Critical};
        read.file.notifications->append(spec);
        const QString path = m_dir.filePath(QStringLiteral("channels.yaml"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(lockstep::writeMappingsFile(read.file));
        }
        r = cli({QStringLiteral("apply"), path}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("  + create notification file-oncall\n"), r.out.constData());
        r = cli({QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")},
                env());
        QString id;
        for (const QJsonValue& v : QJsonDocument::fromJson(r.out).array())
            if (v.toObject().value(QStringLiteral("key")).toString() ==
                QLatin1String("file-oncall"))
                id = QString::number(v.toObject().value(QStringLiteral("id")).toInteger());
        QVERIFY(!id.isEmpty());

        // No secret anywhere: exit 2, naming the variables by key (and by id).
        r = cli({QStringLiteral("notify"), QStringLiteral("test"), id}, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("LOCKSTEP_NOTIFY_FILE_ONCALL_URL (or "
                                               "LOCKSTEP_NOTIFY_%1_URL)")
                                    .arg(id)
                                    .toUtf8()),
                 r.err.constData());
        QProcessEnvironment byKey = delivering();
        byKey.insert(QStringLiteral("LOCKSTEP_NOTIFY_FILE_ONCALL_URL"),
                     hook(QStringLiteral("slack"), kFileToken));
        const auto toPath = [this](const QString& token) {
            int n = 0;
            for (const QJsonValue& v : received(QStringLiteral("slack")))
                n += v.toObject().value(QStringLiteral("path")).toString().endsWith(token) ? 1 : 0;
            return n;
        };
        r = cli({QStringLiteral("notify"), QStringLiteral("test"), id}, byKey);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(toPath(kFileToken), 1);
        QProcessEnvironment both = byKey;
        both.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_URL").arg(id),
                    hook(QStringLiteral("slack"), kIdToken));
        r = cli({QStringLiteral("notify"), QStringLiteral("test"), id}, both);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(toPath(kIdToken), 1);
        QCOMPARE(toPath(kFileToken), 1);

        // Real alert changes through the outbox, delivered by `sync` with the secrets it
        // finds by key: the segment refilled (the open alert resolved), then emptied again
        // (a new one opened).
        const QStringList sync{QStringLiteral("sync"), QStringLiteral("--all"),
                               QStringLiteral("--verify-sample"), QStringLiteral("0")};
        m_sandbox->control("POST", QStringLiteral("/_sandbox/segments/11/members"),
                           QJsonObject{{QStringLiteral("add"), m_removed},
                                       {QStringLiteral("remove"), QJsonArray{}}});
        r = cli(sync, byKey);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(toPath(kFileToken), 2);
        shrinkSegment();
        r = cli(sync, byKey);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(toPath(kFileToken), 3);
        QStringList told;
        for (const QJsonValue& v : received(QStringLiteral("slack")))
            if (v.toObject().value(QStringLiteral("path")).toString().endsWith(kFileToken))
                told << QJsonDocument::fromJson(
                            v.toObject().value(QStringLiteral("body")).toString().toUtf8())
                            .object()
                            .value(QStringLiteral("text"))
                            .toString()
                            .section(QLatin1Char(' '), 0, 0);
        QCOMPARE(told.mid(1),
                 (QStringList{QStringLiteral("RESOLVED:"), QStringLiteral("CRITICAL:")}));
    }

    void noSecretInWorkspaceOrOutput()
    {
        const QStringList secrets{kSlackToken,
                                  QStringLiteral("xoxSlackTok3n9d8f7e6"),
                                  kTeamsToken,
                                  kHmac,
                                  kHeaderValue,
                                  QStringLiteral("hdr-t0ken-1f2e3d"),
                                  QStringLiteral("smtp-pw-77aa"),
                                  QStringLiteral("fileKeyT0ken77"),
                                  QStringLiteral("idT0ken88aa")};
        // Every row of every table, as text (both stores), and on SQLite the files' bytes.
        QByteArray files;
        {
            auto ws = lockstep::Workspace::open(m_workspace);
            QVERIFY2(ws, qPrintable(ws.error().message));
            for (const char* table : {"settings", "mappings", "runs", "alerts", "notify_channels",
                                      "notify_outbox", "journal_batches"}) {
                QSqlQuery q =
                    (*ws)->query(QStringLiteral("SELECT * FROM %1").arg(QLatin1String(table)));
                QVERIFY(q.exec());
                while (q.next())
                    for (int i = 0; i < q.record().count(); ++i)
                        files += q.value(i).toString().toUtf8() + '\n';
            }
        }
        if (!TestDatabase::usingPostgres()) {
            for (const QString& suffix :
                 {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
                QFile f(m_workspace + suffix);
                if (f.open(QIODevice::ReadOnly))
                    files += f.readAll();
            }
        }
        // The search reads what is there: the stored messages and the delivery logs.
        QVERIFY(files.contains("Winback"));
        QVERIFY2(m_everything.contains("lockstep.notify"), m_everything.right(2000).constData());
        for (const QString& s : secrets) {
            QVERIFY2(!files.contains(s.toUtf8()), qPrintable(s));
            QVERIFY2(!m_everything.contains(s.toUtf8()), qPrintable(s));
        }
    }
};

QTEST_GUILESS_MAIN(TestNotifyCli)
#include "tst_notify_cli.moc"
