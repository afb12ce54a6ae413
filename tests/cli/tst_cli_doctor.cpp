// `lockstep doctor` against the sandbox, as a script runs it: every check passes on a
// healthy workspace (exit 0), then each way the chain breaks fails exactly the check
// that names it, with the documented exit code, a fix, and no secret in the output.
#include "clirunner.h"
#include "sandboxprocess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using lockstep::test::SandboxProcess;

namespace {

// Distinctive secrets, so the output can be searched for them.
const QString kKey = QStringLiteral("cio-key-doctor-5f1e9");
const QString kToken = QStringLiteral("mp-token-doctor-8c2d4");
const QString kSecret = QStringLiteral("sa-secret-doctor-77ab0");
const QString kServiceAccount = QStringLiteral("sa-doctor:") + kSecret;
constexpr int kReadySegment = 11;
constexpr int kBuildingSegment = 12;

QJsonObject scenario(qint64 dateSkewSeconds = 0)
{
    QJsonObject o{
        {QStringLiteral("seed"), 7},
        {QStringLiteral("customerio"), QJsonObject{{QStringLiteral("app_api_key"), kKey}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("project_token"), kToken},
                     {QStringLiteral("project_id"), 4242},
                     {QStringLiteral("service_account"), kServiceAccount}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 800}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), kReadySegment},
                                {QStringLiteral("name"), QStringLiteral("Lapsed 45-60 days")},
                                {QStringLiteral("size"), 300}},
                    QJsonObject{{QStringLiteral("id"), kBuildingSegment},
                                {QStringLiteral("name"), QStringLiteral("Still building")},
                                {QStringLiteral("size"), 40},
                                {QStringLiteral("state"), QStringLiteral("build")},
                                {QStringLiteral("progress"), 40}}}},
    };
    if (dateSkewSeconds != 0)
        o.insert(QStringLiteral("date_skew_seconds"), dateSkewSeconds);
    return o;
}

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json;
    qint64 elapsedMs = 0;

    QJsonObject check(const QString& name) const
    {
        for (const QJsonValue& v : json.value(QStringLiteral("checks")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        return {};
    }
    QStringList withStatus(const QString& status) const
    {
        QStringList names;
        for (const QJsonValue& v : json.value(QStringLiteral("checks")).toArray())
            if (v.toObject().value(QStringLiteral("status")).toString() == status)
                names << v.toObject().value(QStringLiteral("name")).toString();
        return names;
    }
};

// What a row changes about the healthy set-up.
enum class Setup
{
    WrongKey,
    WrongServiceAccount,
    WrongProjectToken,
    MissingKey,
    UnreachableHost,
    PlainHttpHost,
    MissingSegment,
    BuildingSegment,
    BudgetSpent,
    ClockSkew,
    SchemaNewer,
    NoConnection,
};

} // namespace

Q_DECLARE_METATYPE(Setup)

class TestCliDoctor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void healthyWorkspacePasses();
    void failingCheckNamesItself_data();
    void failingCheckNamesItself();
    void clockSkew_data();
    void clockSkew();
    void textOutputNamesEveryCheck();

private:
    QProcessEnvironment secrets() const;
    CliResult lockstep(const QString& workspace, const QStringList& args,
                       const QProcessEnvironment& env);
    // A new workspace connected to `sandbox` (or to the URLs given) with one mapping per
    // segment; returns its path and the mapping ids.
    QString workspace(const QString& tag, SandboxProcess& sandbox, const QList<int>& segments,
                      QList<qint64>* mappingIds = nullptr, const QString& customerIoUrl = {});
    void verifyNoSecrets(const CliResult& r, const QStringList& more = {});

    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
};

QProcessEnvironment TestCliDoctor::secrets() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), kKey);
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), kToken);
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), kServiceAccount);
    env.remove(QStringLiteral("LOCKSTEP_QUERY_PER_HOUR"));
    // The token probe's reads: 20, 60, 180, 540 ms instead of seconds.
    env.insert(QStringLiteral("LOCKSTEP_TOKEN_PROBE_DELAY_MS"), QStringLiteral("20"));
    return env;
}

CliResult TestCliDoctor::lockstep(const QString& workspace, const QStringList& args,
                                  const QProcessEnvironment& env)
{
    QElapsedTimer t;
    t.start();
    const lockstep::test::CliRun run = lockstep::test::runCli(workspace, args, env);
    CliResult r;
    r.elapsedMs = t.elapsed();
    r.exitCode = run.exitCode;
    r.out = run.out;
    r.err = run.err;
    if (args.contains(QStringLiteral("--json")))
        r.json = QJsonDocument::fromJson(r.out).object();
    return r;
}

QString TestCliDoctor::workspace(const QString& tag, SandboxProcess& sandbox,
                                 const QList<int>& segments, QList<qint64>* mappingIds,
                                 const QString& customerIoUrl)
{
    const QString path = m_dir.filePath(tag + QStringLiteral(".sqlite"));
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    CliResult c =
        lockstep(path,
                 {QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                  customerIoUrl.isEmpty() ? sandbox.customerIo().toString() : customerIoUrl,
                  QStringLiteral("--mixpanel-url"), sandbox.mixpanel().toString(),
                  QStringLiteral("--mixpanel-query-url"), sandbox.mixpanelQuery().toString(),
                  QStringLiteral("--project-id"), QString::number(sandbox.projectId())},
                 env);
    if (c.exitCode != 0) {
        qWarning() << "connect failed:" << c.err;
        return {};
    }
    for (int segment : segments) {
        c = lockstep(path,
                     {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                      QString::number(segment), QStringLiteral("--cohort"),
                      QStringLiteral("CIO | Doctor | %1").arg(segment),
                      QStringLiteral("--identity"), QStringLiteral("email")},
                     env);
        if (c.exitCode != 0) {
            qWarning() << "mapping add failed:" << c.err;
            return {};
        }
        if (mappingIds)
            mappingIds->append(QString::fromUtf8(c.out).trimmed().toLongLong());
    }
    return path;
}

void TestCliDoctor::verifyNoSecrets(const CliResult& r, const QStringList& more)
{
    for (const QString& s : QStringList{kKey, kToken, kSecret, kServiceAccount} + more) {
        QVERIFY2(!r.out.contains(s.toUtf8()),
                 qPrintable(QStringLiteral("stdout shows a secret: ") + s));
        QVERIFY2(!r.err.contains(s.toUtf8()),
                 qPrintable(QStringLiteral("stderr shows a secret: ") + s));
    }
}

void TestCliDoctor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_sandbox = std::make_unique<SandboxProcess>(scenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
}

void TestCliDoctor::healthyWorkspacePasses()
{
    QList<qint64> ids;
    const QString ws = workspace(QStringLiteral("healthy"), *m_sandbox, {kReadySegment}, &ids);
    QVERIFY(!ws.isEmpty());
    m_sandbox->control("POST", QStringLiteral("/_sandbox/query_budget/reset"));
    const int usedBefore = m_sandbox->control("GET", QStringLiteral("/_sandbox/info"))
                               .toObject()
                               .value(QStringLiteral("query_budget_used"))
                               .toInt();

    const CliResult r =
        lockstep(ws, {QStringLiteral("doctor"), QStringLiteral("--json")}, secrets());
    QVERIFY2(r.exitCode == 0, r.out.constData());
    QCOMPARE(r.json.value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
    QVERIFY2(r.withStatus(QStringLiteral("fail")).isEmpty(),
             qPrintable(r.withStatus(QStringLiteral("fail")).join(QLatin1Char(','))));
    // Every check ran and passed, the token proven by a read-back.
    const QStringList expected = {QStringLiteral("mixpanel.project_token"),
                                  QStringLiteral("workspace.schema"),
                                  QStringLiteral("connection"),
                                  QStringLiteral("host.customerio"),
                                  QStringLiteral("host.mixpanel"),
                                  QStringLiteral("host.mixpanel_query"),
                                  QStringLiteral("customerio.app_api_key"),
                                  QStringLiteral("mixpanel.service_account"),
                                  QStringLiteral("mixpanel.query_budget"),
                                  QStringLiteral("clock"),
                                  QStringLiteral("segment.%1").arg(ids.value(0))};
    QStringList passed = r.withStatus(QStringLiteral("pass"));
    for (const QString& name : expected)
        QVERIFY2(passed.contains(name),
                 qPrintable(name + QStringLiteral(" did not pass: ") + QString::fromUtf8(r.out)));
    for (const QJsonValue& v : r.json.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject c = v.toObject();
        for (const char* key : {"name", "status", "detail", "fix"})
            QVERIFY2(c.contains(QLatin1String(key)), key);
        QVERIFY(!c.value(QStringLiteral("detail")).toString().isEmpty());
    }
    // The sandbox sends its true time by default: the clocks agree.
    QVERIFY2(r.check(QStringLiteral("clock"))
                 .value(QStringLiteral("detail"))
                 .toString()
                 .contains(QStringLiteral("agrees")),
             r.out.constData());
    // The segment's size is read.
    QVERIFY2(r.check(QStringLiteral("segment.%1").arg(ids.value(0)))
                 .value(QStringLiteral("detail"))
                 .toString()
                 .contains(QStringLiteral("300 people")),
             r.out.constData());
    // Queries: what the doctor says it used is what Mixpanel counted.
    const int queries = r.json.value(QStringLiteral("queries_used")).toInt();
    QVERIFY(queries >= 2); // the service account and at least one read of the probe
    const int usedAfter = m_sandbox->control("GET", QStringLiteral("/_sandbox/info"))
                              .toObject()
                              .value(QStringLiteral("query_budget_used"))
                              .toInt();
    QCOMPARE(usedAfter - usedBefore, queries);
    verifyNoSecrets(r);
    qInfo("doctor against the sandbox: %lld ms (process), %lld ms (checks), %d queries",
          r.elapsedMs, r.json.value(QStringLiteral("duration_ms")).toInteger(), queries);
}

void TestCliDoctor::failingCheckNamesItself_data()
{
    QTest::addColumn<Setup>("setup");
    QTest::addColumn<QString>("failing"); // the check that must fail (segment: "segment")
    QTest::addColumn<int>("exitCode");

    QTest::newRow("wrong Customer.io key") << Setup::WrongKey << "customerio.app_api_key" << 3;
    QTest::newRow("wrong service account")
        << Setup::WrongServiceAccount << "mixpanel.service_account" << 3;
    QTest::newRow("token of another project")
        << Setup::WrongProjectToken << "mixpanel.project_token" << 3;
    QTest::newRow("missing Customer.io key") << Setup::MissingKey << "customerio.app_api_key" << 2;
    QTest::newRow("unreachable host") << Setup::UnreachableHost << "host.customerio" << 3;
    QTest::newRow("plain http host") << Setup::PlainHttpHost << "host.customerio" << 2;
    QTest::newRow("missing segment") << Setup::MissingSegment << "segment" << 2;
    QTest::newRow("building segment") << Setup::BuildingSegment << "segment" << 3;
    QTest::newRow("budget spent") << Setup::BudgetSpent << "mixpanel.query_budget" << 3;
    QTest::newRow("clock skew") << Setup::ClockSkew << "clock" << 3;
    QTest::newRow("schema newer than the build") << Setup::SchemaNewer << "workspace.schema" << 2;
    QTest::newRow("no connection") << Setup::NoConnection << "connection" << 2;
}

void TestCliDoctor::failingCheckNamesItself()
{
    QFETCH(Setup, setup);
    QFETCH(QString, failing);
    QFETCH(int, exitCode);

    const QString tag =
        QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'));
    QProcessEnvironment env = secrets();
    QStringList extraSecrets;
    QList<qint64> ids;
    QString ws;
    std::unique_ptr<SandboxProcess> skewed;
    switch (setup) {
    case Setup::WrongKey:
        env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"),
                   QStringLiteral("cio-wrong-31337"));
        extraSecrets << QStringLiteral("cio-wrong-31337");
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids);
        break;
    case Setup::WrongServiceAccount:
        env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"),
                   QStringLiteral("sa-doctor:wrong-424242"));
        extraSecrets << QStringLiteral("wrong-424242");
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids);
        break;
    case Setup::WrongProjectToken:
        // Mixpanel answers 1 to it and drops the updates: only the read-back tells.
        env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"),
                   QStringLiteral("token-of-project-2718"));
        extraSecrets << QStringLiteral("token-of-project-2718");
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids);
        break;
    case Setup::MissingKey:
        env.remove(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"));
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids);
        break;
    case Setup::UnreachableHost: {
        // A loopback port nobody listens on (taken, then freed).
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort());
        probe.close();
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids, url);
        break;
    }
    case Setup::PlainHttpHost:
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids,
                       QStringLiteral("http://api.customer.io"));
        break;
    case Setup::MissingSegment:
        ws = workspace(tag, *m_sandbox, {99}, &ids);
        break;
    case Setup::BuildingSegment:
        ws = workspace(tag, *m_sandbox, {kBuildingSegment}, &ids);
        break;
    case Setup::BudgetSpent: {
        // One query an hour (the shared budget, recorded in the workspace): the first run
        // spends it on the service account, the second finds none left.
        env.insert(QStringLiteral("LOCKSTEP_QUERY_PER_HOUR"), QStringLiteral("1"));
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids);
        const CliResult first =
            lockstep(ws, {QStringLiteral("doctor"), QStringLiteral("--json")}, env);
        QCOMPARE(first.check(QStringLiteral("mixpanel.service_account"))
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("pass"));
        break;
    }
    case Setup::ClockSkew:
        // The services' clock ten minutes ahead (the limit is five).
        skewed = std::make_unique<SandboxProcess>(scenario(600));
        QVERIFY2(skewed->isRunning(), qPrintable(skewed->errorString()));
        ws = workspace(tag, *skewed, {kReadySegment}, &ids);
        break;
    case Setup::SchemaNewer: {
        ws = workspace(tag, *m_sandbox, {kReadySegment}, &ids);
        {
            // Written by a newer Lockstep: a schema version this build does not know.
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), tag);
            db.setDatabaseName(ws);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (999)")));
            db.close();
        }
        QSqlDatabase::removeDatabase(tag);
        break;
    }
    case Setup::NoConnection:
        ws = m_dir.filePath(tag + QStringLiteral(".sqlite"));
        QCOMPARE(lockstep(ws,
                          {QStringLiteral("mapping"), QStringLiteral("add"),
                           QStringLiteral("--segment"), QString::number(kReadySegment),
                           QStringLiteral("--cohort"), QStringLiteral("CIO | Doctor"),
                           QStringLiteral("--identity"), QStringLiteral("email")},
                          env)
                     .exitCode,
                 0);
        break;
    }
    QVERIFY(!ws.isEmpty());
    if (failing == QLatin1String("segment"))
        failing = QStringLiteral("segment.%1").arg(ids.value(0));

    const CliResult r = lockstep(ws, {QStringLiteral("doctor"), QStringLiteral("--json")}, env);
    QVERIFY2(r.exitCode == exitCode,
             qPrintable(QStringLiteral("exit %1: %2 %3")
                            .arg(r.exitCode)
                            .arg(QString::fromUtf8(r.out), QString::fromUtf8(r.err))));
    QCOMPARE(r.json.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    // Exactly the check that names the problem fails; the others pass or say why they
    // could not run.
    QCOMPARE(r.withStatus(QStringLiteral("fail")), QStringList{failing});
    const QJsonObject c = r.check(failing);
    QVERIFY2(!c.value(QStringLiteral("detail")).toString().isEmpty(), r.out.constData());
    QVERIFY2(!c.value(QStringLiteral("fix")).toString().isEmpty(), r.out.constData());
    verifyNoSecrets(r, extraSecrets);
}

void TestCliDoctor::clockSkew_data()
{
    QTest::addColumn<int>("skewSeconds");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("says");

    QTest::newRow("a minute ahead passes") << 60 << "pass"
                                           << "1 min ahead";
    QTest::newRow("ten minutes behind fails") << -600 << "fail"
                                              << "10 min behind";
}

void TestCliDoctor::clockSkew()
{
    QFETCH(int, skewSeconds);
    QFETCH(QString, status);
    QFETCH(QString, says);
    SandboxProcess sandbox(scenario(skewSeconds));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    const QString ws =
        workspace(QStringLiteral("skew%1").arg(skewSeconds), sandbox, {kReadySegment});
    QVERIFY(!ws.isEmpty());
    const CliResult r =
        lockstep(ws, {QStringLiteral("doctor"), QStringLiteral("--json")}, secrets());
    const QJsonObject clock = r.check(QStringLiteral("clock"));
    QCOMPARE(clock.value(QStringLiteral("status")).toString(), status);
    QVERIFY2(clock.value(QStringLiteral("detail")).toString().contains(says), r.out.constData());
    QCOMPARE(r.exitCode, status == QLatin1String("pass") ? 0 : 3);
}

void TestCliDoctor::textOutputNamesEveryCheck()
{
    QList<qint64> ids;
    const QString ws =
        workspace(QStringLiteral("text"), *m_sandbox, {kReadySegment, kBuildingSegment}, &ids);
    QVERIFY(!ws.isEmpty());
    QProcessEnvironment env = secrets();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"),
               QStringLiteral("cio-wrong-text-1"));
    const CliResult r = lockstep(ws, {QStringLiteral("doctor")}, env);
    QCOMPARE(r.exitCode, 3);
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(
        text.contains(QStringLiteral("FAIL  Customer.io App API key [customerio.app_api_key]")),
        r.out.constData());
    QVERIFY2(text.contains(QStringLiteral("fix: ")), r.out.constData());
    for (const char* name :
         {"workspace.schema", "connection", "host.customerio", "mixpanel.service_account",
          "mixpanel.project_token", "mixpanel.query_budget", "clock"})
        QVERIFY2(text.contains(QLatin1Char('[') + QLatin1String(name) + QLatin1Char(']')), name);
    QVERIFY2(text.contains(QStringLiteral("[segment.%1]").arg(ids.value(1))), r.out.constData());
    QVERIFY2(text.contains(QStringLiteral("checks failed")), r.out.constData());
    verifyNoSecrets(r, {QStringLiteral("cio-wrong-text-1")});
}

QTEST_GUILESS_MAIN(TestCliDoctor)
#include "tst_cli_doctor.moc"
