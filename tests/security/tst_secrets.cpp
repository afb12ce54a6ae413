// The secrets test: a real sync against the sandbox with distinctive random
// credentials, faults injected so error paths run, every log category on. Then every
// place a secret could leak is searched: the workspace file (and its -wal/-shm), all
// stdout/stderr, every export (audit csv/json/md, status --json, mapping list --json)
// and the process command lines. Any hit fails. The project token, once proven, is
// remembered as its fingerprint: that is in the workspace, the token is not.
#include "clirunner.h"
#include "sandboxprocess.h"

#include "trust/tokenprobe.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QUrl>
#include <QUuid>

using lockstep::test::CliRun;
using lockstep::test::runCli;
using lockstep::test::SandboxProcess;

namespace {

QString random(const char* prefix)
{
    return QString::fromLatin1(prefix) + QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_workspace;
    QString m_appKey, m_token, m_saUser, m_saPassword;
    // Alert channels' secrets: a webhook URL's token, its signing secret, a header value,
    // an SMTP password.
    QString m_hookToken, m_hmac, m_headerValue, m_smtpPassword;
    std::unique_ptr<SandboxProcess> m_sandbox;
    // Where to look: a name and the bytes found there.
    QList<std::pair<QString, QByteArray>> m_places;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_appKey);
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_token);
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"),
                 QString(m_saUser + QLatin1Char(':') + m_saPassword));
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lockstep.*=true"));
        e.insert(QStringLiteral("QT_MESSAGE_PATTERN"),
                 QStringLiteral("%{category} %{type}: %{message}"));
        return e;
    }

    CliRun run(const QString& what, const QStringList& args)
    {
        CliRun r = runCli(m_workspace, args, env());
        m_places.append({what + QStringLiteral(" stdout"), r.out});
        m_places.append({what + QStringLiteral(" stderr"), r.err});
        m_places.append({what + QStringLiteral(" command line"), r.cmdline});
        return r;
    }

    // Every spelling of every secret that must not appear.
    QList<std::pair<QString, QByteArray>> needles() const
    {
        const QByteArray sa = QString(m_saUser + QLatin1Char(':') + m_saPassword).toUtf8();
        return {{QStringLiteral("Customer.io app API key"), m_appKey.toUtf8()},
                {QStringLiteral("Mixpanel project token"), m_token.toUtf8()},
                {QStringLiteral("service account password"), m_saPassword.toUtf8()},
                {QStringLiteral("service account Basic auth"), sa.toBase64()},
                {QStringLiteral("token Basic auth (/import)"),
                 QByteArray(m_token.toUtf8() + ':').toBase64()},
                {QStringLiteral("app API key, base64"), m_appKey.toUtf8().toBase64()},
                {QStringLiteral("webhook URL token"), m_hookToken.toUtf8()},
                {QStringLiteral("webhook signing secret"), m_hmac.toUtf8()},
                {QStringLiteral("webhook header value"), m_headerValue.toUtf8()},
                {QStringLiteral("SMTP password"), m_smtpPassword.toUtf8()}};
    }

    QStringList leaks() const
    {
        QStringList found;
        for (const auto& [where, bytes] : m_places)
            for (const auto& [what, needle] : needles())
                if (!needle.isEmpty() && bytes.contains(needle))
                    found << QStringLiteral("%1 found in %2").arg(what, where);
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(QStringLiteral("ws.sqlite"));
        m_appKey = random("cioKEY");
        m_token = random("mpTOKEN");
        m_saUser = random("saUSER");
        m_saPassword = random("saPASS");
        m_hookToken = random("hookTOKEN");
        m_hmac = random("hmacSECRET");
        m_headerValue = random("hdrVALUE");
        m_smtpPassword = random("smtpPASS");
        const QJsonObject scenario{
            {QStringLiteral("seed"), 11},
            {QStringLiteral("customerio"), QJsonObject{{QStringLiteral("app_api_key"), m_appKey}}},
            {QStringLiteral("mixpanel"),
             QJsonObject{
                 {QStringLiteral("project_token"), m_token},
                 {QStringLiteral("project_id"), 77},
                 {QStringLiteral("service_account"),
                  QString(m_saUser + QLatin1Char(':') + m_saPassword)},
                 {QStringLiteral("query_limit_per_hour"), 600},
                 {QStringLiteral("cohorts"),
                  QJsonArray{QJsonObject{
                      {QStringLiteral("id"), 1},
                      {QStringLiteral("name"), QStringLiteral("CIO | Winback | 45-60d")},
                      {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                      {QStringLiteral("value"), QStringLiteral("CIO | Winback | 45-60d")}}}}}},
            {QStringLiteral("population"),
             QJsonObject{{QStringLiteral("size"), 800},
                         {QStringLiteral("anomalies"),
                          QJsonObject{{QStringLiteral("missing_email"), 0.05},
                                      {QStringLiteral("placeholder_id"), 0.02}}}}},
            {QStringLiteral("segments"),
             QJsonArray{QJsonObject{
                            {QStringLiteral("id"), 1},
                            {QStringLiteral("name"), QStringLiteral("Lapsed")},
                            {QStringLiteral("size"), 300},
                            {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), 20},
                                                                  {QStringLiteral("exited"), 10}}}},
                        QJsonObject{{QStringLiteral("id"), 2},
                                    {QStringLiteral("name"), QStringLiteral("VIP")},
                                    {QStringLiteral("size"), 50}}}}};
        m_sandbox = std::make_unique<SandboxProcess>(scenario);
        QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
        QCOMPARE(m_sandbox->appApiKey(), m_appKey);
    }

    void scanFindsAPlantedSecret()
    {
        // The search itself must be able to fail: a planted secret is found.
        m_places.append({QStringLiteral("planted"), "x " + m_saPassword.toUtf8() + " y"});
        QCOMPARE(leaks().size(), 1);
        m_places.clear();
    }

    void syncWithFaultsThenExportEverything()
    {
        CliRun r = run(QStringLiteral("connect"),
                       {QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                        m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                        m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                        m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                        QString::number(m_sandbox->projectId())});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run(QStringLiteral("mapping add"),
                {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                 QStringLiteral("1"), QStringLiteral("--cohort"),
                 QStringLiteral("CIO | Winback | 45-60d"), QStringLiteral("--identity"),
                 QStringLiteral("email")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run(QStringLiteral("mapping add flag"),
                {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                 QStringLiteral("2"), QStringLiteral("--cohort"), QStringLiteral("CIO | VIP"),
                 QStringLiteral("--identity"), QStringLiteral("id"), QStringLiteral("--mode"),
                 QStringLiteral("flag")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        // Error paths: a refused key (401 with its body), a server error, a malformed
        // reply, a truncated query reply; all retried or reported.
        m_sandbox->setFaults(
            QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("cio.membership")},
                                   {QStringLiteral("status"), 503},
                                   {QStringLiteral("count"), 2}},
                       QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.engage")},
                                   {QStringLiteral("malformed"), true},
                                   {QStringLiteral("count"), 1}},
                       QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.query.*")},
                                   {QStringLiteral("truncate"), true},
                                   {QStringLiteral("count"), 1}},
                       QJsonObject{{QStringLiteral("route"), QStringLiteral("cio.segment")},
                                   {QStringLiteral("status"), 401},
                                   {QStringLiteral("count"), 1}}});
        m_sandbox->resetStats();
        r = run(QStringLiteral("sync with faults"),
                {QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode >= 0, "the sync crashed or hung");
        QVERIFY2(!r.err.isEmpty(), "no log output: the logging rules did not take");
        const QJsonObject stats = m_sandbox->stats();
        QVERIFY2(stats.value(QStringLiteral("routes"))
                     .toObject()
                     .contains(QStringLiteral("cio.membership")),
                 "the sync never read a segment");

        m_sandbox->clearFaults();
        m_sandbox->tick();
        r = run(QStringLiteral("sync"),
                {QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // Wrong credentials: the 401 path with the real reply body.
        QProcessEnvironment wrong = env();
        wrong.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"),
                     QStringLiteral("wrong-") + m_appKey);
        CliRun w = runCli(m_workspace, {QStringLiteral("sync"), QStringLiteral("--all")}, wrong);
        m_places.append({QStringLiteral("wrong-key sync stderr"), w.err});
        m_places.append({QStringLiteral("wrong-key sync stdout"), w.out});
        QCOMPARE(w.exitCode, 3);

        run(QStringLiteral("dry-run"),
            {QStringLiteral("dry-run"), QStringLiteral("--all"), QStringLiteral("--json")});
        r = run(QStringLiteral("status --json"),
                {QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData()); // 1: open alerts
        QVERIFY(!r.out.isEmpty());
        r = run(QStringLiteral("mapping list --json"),
                {QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);

        // Audit exports, when this build has the command.
        const CliRun help = runCli(m_workspace, {QStringLiteral("help")}, env());
        if (help.out.contains("audit") || help.err.contains("audit")) {
            for (const char* format : {"csv", "json", "md"}) {
                const QString file =
                    m_dir.filePath(QStringLiteral("audit.") + QLatin1String(format));
                r = run(QStringLiteral("audit ") + QLatin1String(format),
                        {QStringLiteral("audit"), QStringLiteral("--format"), QLatin1String(format),
                         QStringLiteral("--output"), file});
                QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData());
                QFile f(file);
                QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
                m_places.append(
                    {QStringLiteral("audit export ") + QLatin1String(format), f.readAll()});
            }
        } else {
            qWarning("this build has no `lockstep audit`: exports not searched");
        }
    }

    // A service whose error reply quotes the credentials (as some proxies and vendors'
    // error pages do): each secret in the body of a refusal on the route that uses it.
    // The reply's own words reach the run's message, `sync --json`, the logs and the
    // workspace, so each is searched; the marker proves the body got that far.
    void errorBodiesEchoingEverySecret()
    {
        const QString sa = m_saUser + QLatin1Char(':') + m_saPassword;
        const QString basicToken =
            QString::fromLatin1(QByteArray(m_token.toUtf8() + ':').toBase64());
        const QString basicSa = QString::fromLatin1(sa.toUtf8().toBase64());
        auto fault = [](const char* route, int status, const QJsonObject& body) {
            return QJsonObject{
                {QStringLiteral("route"), QLatin1String(route)},
                {QStringLiteral("status"), status},
                {QStringLiteral("body"),
                 QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact))}};
        };
        struct Step
        {
            const char* name;
            QJsonObject rule;
            QByteArray marker;
            QStringList args;
        };
        const QList<Step> steps{
            {"Customer.io App API key echoed",
             fault("cio.segment", 401,
                   QJsonObject{{QStringLiteral("errors"),
                                QJsonArray{QJsonObject{
                                    {QStringLiteral("detail"),
                                     QStringLiteral("ECHO-CIO the key %1 is not valid (sent as "
                                                    "Authorization: Bearer %1)")
                                         .arg(m_appKey)}}}}}),
             "ECHO-CIO",
             {QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}},
            {"Mixpanel project token echoed",
             fault("mp.engage", 401,
                   QJsonObject{{QStringLiteral("status"), 0},
                               {QStringLiteral("error"),
                                QStringLiteral("ECHO-MP token %1 refused; you sent Basic %2")
                                    .arg(m_token, basicToken)}}),
             "ECHO-MP",
             {QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--full"),
              QStringLiteral("--json")}},
            {"Mixpanel service account echoed",
             fault("mp.query.*", 401,
                   QJsonObject{{QStringLiteral("error"),
                                QStringLiteral("ECHO-SA account %1 (password %2, header "
                                               "Basic %3) may not query")
                                    .arg(sa, m_saPassword, basicSa)}}),
             "ECHO-SA",
             {QStringLiteral("spot-check"), QStringLiteral("--mapping"), QStringLiteral("1"),
              QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--json")}},
        };
        for (const Step& step : steps) {
            m_sandbox->clearFaults();
            m_sandbox->setFaults(QJsonArray{step.rule});
            const CliRun r = run(QLatin1String(step.name), step.args);
            QVERIFY2(r.exitCode > 0, step.name); // the refusal is an error
            // The reply's words came through (so the search below means something),
            // with the secrets cut out of them.
            QVERIFY2(r.out.contains(step.marker) || r.err.contains(step.marker),
                     qPrintable(QStringLiteral("%1: the reply's body never reached the output")
                                    .arg(QLatin1String(step.name))));
            QVERIFY2(QByteArray(r.out + r.err).contains("[redacted]"), step.name);
        }
        m_sandbox->clearFaults();
        // What teammates see: the Runs page reads runs.message.
        const CliRun status = run(QStringLiteral("status --json after echoes"),
                                  {QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.out.contains("ECHO-MP"), status.out.constData());
    }

    // Alert channels: added on the command line (their secrets on it, as the contract
    // has it), delivered by a sync with the secrets in its environment, through a receiver
    // whose first answer quotes them; then listed and tested.
    void alertChannelSecrets()
    {
        QUrl hook = m_sandbox->customerIo();
        hook.setPath(QStringLiteral("/hooks/webhook/") + m_hookToken);
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("LOCKSTEP_NO_KEYCHAIN"), QStringLiteral("1"));
        CliRun add =
            runCli(m_workspace,
                   {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                    QStringLiteral("webhook"), QStringLiteral("--url"), hook.toString(),
                    QStringLiteral("--secret"), m_hmac, QStringLiteral("--header"),
                    QStringLiteral("X-Auth: ") + m_headerValue, QStringLiteral("--severity"),
                    QStringLiteral("critical,warning,info")},
                   e);
        QVERIFY2(add.exitCode == 0, add.err.constData());
        // Its output is the id and where to put the secrets, never the secrets.
        m_places.append({QStringLiteral("notify add stdout"), add.out});
        m_places.append({QStringLiteral("notify add stderr"), add.err});
        const QString id = QString::fromUtf8(add.out).trimmed();
        CliRun mail =
            runCli(m_workspace,
                   {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("--kind"),
                    QStringLiteral("email"), QStringLiteral("--smtp"),
                    QStringLiteral("smtp://alerts:%1@127.0.0.1:9").arg(m_smtpPassword),
                    QStringLiteral("--from"), QStringLiteral("lockstep@example.com"),
                    QStringLiteral("--to"), QStringLiteral("oncall@example.com")},
                   e);
        QVERIFY2(mail.exitCode == 0, mail.err.constData());
        m_places.append({QStringLiteral("notify add email stdout"), mail.out});
        m_places.append({QStringLiteral("notify add email stderr"), mail.err});
        const QString mailId = QString::fromUtf8(mail.out).trimmed();

        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_URL").arg(id), hook.toString());
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_HMAC_SECRET").arg(id), m_hmac);
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_HEADERS").arg(id),
                 QStringLiteral("{\"X-Auth\": \"%1\"}").arg(m_headerValue));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_%1_SMTP_PASSWORD").arg(mailId), m_smtpPassword);
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_BACKOFF_MS"), QStringLiteral("100"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_TIMEOUT_MS"), QStringLiteral("1000"));
        e.insert(QStringLiteral("LOCKSTEP_NOTIFY_SYNC_WAIT_MS"), QStringLiteral("5000"));
        const QByteArray echo = "{\"error\":\"ECHO-HOOK bad token " + m_hookToken.toUtf8() +
                                " secret " + m_hmac.toUtf8() + " header " + m_headerValue.toUtf8() +
                                "\"}";
        m_sandbox->setFaults(
            QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("hook.webhook")},
                                   {QStringLiteral("status"), 500},
                                   {QStringLiteral("body"), QString::fromUtf8(echo)},
                                   {QStringLiteral("count"), 1}}});
        // A test message: refused with the echo (exit 3), the answer printed redacted.
        CliRun test =
            runCli(m_workspace, {QStringLiteral("notify"), QStringLiteral("test"), id}, e);
        m_places.append({QStringLiteral("notify test stdout"), test.out});
        m_places.append({QStringLiteral("notify test stderr"), test.err});
        m_places.append({QStringLiteral("notify test command line"), test.cmdline});
        QCOMPARE(test.exitCode, 3);
        QVERIFY2(test.err.contains("ECHO-HOOK") && test.err.contains("[redacted]"),
                 test.err.constData());
        // A sync whose alerts go out (every severity subscribed), a receiver that quotes
        // the secrets once more, the e-mail to a port nobody listens on.
        m_sandbox->setFaults(
            QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("hook.webhook")},
                                   {QStringLiteral("status"), 500},
                                   {QStringLiteral("body"), QString::fromUtf8(echo)},
                                   {QStringLiteral("count"), 1}}});
        // An alert change for them to carry: the e-mail mapping's match rate (5 % of the
        // population lacks an e-mail) under a floor of 99.9 %.
        CliRun floor = runCli(m_workspace,
                              {QStringLiteral("config"), QStringLiteral("set"),
                               QStringLiteral("match_rate_floor"), QStringLiteral("0.999")},
                              e);
        QVERIFY2(floor.exitCode == 0, floor.err.constData());
        CliRun sync = runCli(m_workspace, {QStringLiteral("sync"), QStringLiteral("--all")}, e);
        m_places.append({QStringLiteral("notify sync stdout"), sync.out});
        m_places.append({QStringLiteral("notify sync stderr"), sync.err});
        m_places.append({QStringLiteral("notify sync command line"), sync.cmdline});
        QVERIFY2(sync.err.contains("lockstep.notify") && sync.err.contains("ECHO-HOOK"),
                 sync.err.constData());
        m_sandbox->clearFaults();
        CliRun list =
            runCli(m_workspace,
                   {QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")}, e);
        QCOMPARE(list.exitCode, 0);
        m_places.append({QStringLiteral("notify list --json"), list.out});
        QVERIFY2(list.out.contains("ECHO-HOOK"), list.out.constData()); // the stored answer
    }

    void noSecretAnywhere()
    {
        // The workspace and its SQLite side files, byte for byte.
        const QStringList files = QDir(m_dir.path()).entryList(QDir::Files);
        QVERIFY(files.contains(QStringLiteral("ws.sqlite")));
        QByteArray workspace;
        for (const QString& name : files) {
            QFile f(m_dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            m_places.append({QStringLiteral("file ") + name, f.readAll()});
            workspace += m_places.last().second;
        }
        const QByteArray fingerprint =
            lockstep::TokenProbe::fingerprint(m_token, m_sandbox->projectId()).toLatin1();
        QVERIFY2(workspace.contains(fingerprint),
                 "the proven token's fingerprint is not in the workspace");
        QVERIFY(m_places.size() > 20);
        const QStringList found = leaks();
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
