// The walking skeleton end to end, driven as a script would: the lockstep CLI against
// the sandbox. A mapping is added, synced, the Mixpanel cohort (read back through the
// sandbox's query API) holds exactly the segment; the segment churns, the second sync
// sends only the changes, and the cohort matches again.
// Runs on both stores: tst_cli_sync on SQLite, tst_cli_sync_pg on PostgreSQL (tests/pg),
// the workspace given to the CLI as `--workspace postgresql://...`.
#include "sandboxprocess.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QJsonObject cleanScenario()
{
    return QJsonObject{
        {QStringLiteral("seed"), 7},
        {QStringLiteral("customerio"),
         QJsonObject{{QStringLiteral("app_api_key"), QStringLiteral("cio-key-e2e")}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{
             {QStringLiteral("project_token"), QStringLiteral("mp-token-e2e")},
             {QStringLiteral("project_id"), 4242},
             {QStringLiteral("service_account"), QStringLiteral("sa-e2e:sa-secret-e2e")},
             {QStringLiteral("cohorts"),
              QJsonArray{
                  QJsonObject{{QStringLiteral("id"), 1},
                              {QStringLiteral("name"), QStringLiteral("Winback mirror")},
                              {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                              {QStringLiteral("value"), QStringLiteral("CIO | Winback | 45-60d")}},
                  QJsonObject{{QStringLiteral("id"), 2},
                              {QStringLiteral("name"), QStringLiteral("Manual mirror")},
                              {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                              {QStringLiteral("value"), QStringLiteral("CIO | Manual | 30d")}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 6000}}},
        {QStringLiteral("segments"),
         QJsonArray{
             QJsonObject{{QStringLiteral("id"), 11},
                         {QStringLiteral("name"), QStringLiteral("Lapsed 45-60 days")},
                         {QStringLiteral("size"), 2500},
                         {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), 120},
                                                               {QStringLiteral("exited"), 90}}}},
             QJsonObject{{QStringLiteral("id"), 12},
                         {QStringLiteral("name"), QStringLiteral("Still building")},
                         {QStringLiteral("size"), 100},
                         {QStringLiteral("state"), QStringLiteral("build")},
                         {QStringLiteral("progress"), 40}},
             // As in Customer.io's own listSegments example: a manual segment reads
             // state "events" with a null progress, and is ready.
             QJsonObject{{QStringLiteral("id"), 13},
                         {QStringLiteral("name"), QStringLiteral("Imported list")},
                         {QStringLiteral("type"), QStringLiteral("manual")},
                         {QStringLiteral("size"), 300},
                         {QStringLiteral("state"), QStringLiteral("events")},
                         {QStringLiteral("progress"), QJsonValue::Null}}}},
    };
}

} // namespace

class TestCliSync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void syncsExactlyTheSegmentThenOnlyChanges();
    void buildingSegmentIsSkipped();
    void manualSegmentInStateEventsSyncs();
    void usageErrorsExitWithTwo_data();
    void usageErrorsExitWithTwo();
    void wrongKeyExitsWithThree();
    void connectStoresEachRegionPair_data();
    void connectStoresEachRegionPair();
    void regionsReachTheirHosts_data();
    void regionsReachTheirHosts();
    void mappingAddRefusesLongCohortNames_data();
    void mappingAddRefusesLongCohortNames();
    void dryRunLeavesLastSync();
    void spotCheckOfNobodyIsNotFound();

private:
    CliResult lockstep(const QStringList& args, const QProcessEnvironment& env = {});
    CliResult lockstepOn(const QString& workspace, const QStringList& args,
                         const QProcessEnvironment& env = {});
    QProcessEnvironment secrets() const;

    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
    QString m_workspace;
};

QProcessEnvironment TestCliSync::secrets() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    return env;
}

CliResult TestCliSync::lockstep(const QStringList& args, const QProcessEnvironment& env)
{
    return lockstepOn(m_workspace, args, env);
}

CliResult TestCliSync::lockstepOn(const QString& workspace, const QStringList& args,
                                  const QProcessEnvironment& env)
{
    QProcess p;
    p.setProcessEnvironment(env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            QStringList{QStringLiteral("--workspace"), workspace} + args);
    CliResult r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestCliSync::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_workspace = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!m_workspace.isEmpty());
    m_sandbox = std::make_unique<SandboxProcess>(cleanScenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));

    const CliResult c =
        lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                  m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                  m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                  m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                  QString::number(m_sandbox->projectId())});
    QVERIFY2(c.exitCode == 0, c.err.constData());
}

void TestCliSync::syncsExactlyTheSegmentThenOnlyChanges()
{
    const CliResult add = lockstep(
        {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
         QStringLiteral("11"), QStringLiteral("--cohort"), QStringLiteral("CIO | Winback | 45-60d"),
         QStringLiteral("--identity"), QStringLiteral("email")});
    QVERIFY2(add.exitCode == 0, add.err.constData());
    const QString mappingId = QString::fromUtf8(add.out).trimmed();
    QVERIFY(mappingId.toInt() > 0);

    const CliResult list =
        lockstep({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray mappings = QJsonDocument::fromJson(list.out).array();
    QCOMPARE(mappings.size(), 1);
    QCOMPARE(mappings[0].toObject().value(QStringLiteral("segment_id")).toInteger(), 11);
    QCOMPARE(mappings[0].toObject().value(QStringLiteral("identity")).toString(),
             QStringLiteral("email"));

    // First sync: everyone enters.
    const QStringList before = m_sandbox->segmentMemberKeys(11, QStringLiteral("email"));
    QCOMPARE(before.size(), 2500);
    m_sandbox->resetStats();
    CliResult sync = lockstep(
        {QStringLiteral("sync"), QStringLiteral("--mapping"), mappingId, QStringLiteral("--json")},
        secrets());
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    QJsonArray runs = QJsonDocument::fromJson(sync.out).array();
    QCOMPARE(runs.size(), 1);
    QJsonObject run = runs[0].toObject();
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), 2500);
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), 0);
    QCOMPARE(run.value(QStringLiteral("failed")).toInteger(), 0);
    for (const char* k : {"entered", "exited", "unchanged", "mismatched", "failed"})
        QVERIFY2(run.contains(QLatin1String(k)), k);
    QCOMPARE(m_sandbox->cohortMembers(1), before);
    // After the sends, a sample of 1000 entered keys was looked up in Mixpanel (one query).
    // The scenario gives nobody a profile of their own, so every key is unknown there.
    QJsonObject verification = run.value(QStringLiteral("verification")).toObject();
    QCOMPARE(verification.value(QStringLiteral("status")).toString(), QStringLiteral("verified"));
    QCOMPARE(verification.value(QStringLiteral("entered")).toInteger(), 2500);
    QCOMPARE(verification.value(QStringLiteral("verified")).toInteger(), 1000);
    QCOMPARE(verification.value(QStringLiteral("unknown_to_mixpanel")).toInteger(), 1000);
    QCOMPARE(verification.value(QStringLiteral("unknown_share")).toDouble(), 1.0);
    QCOMPARE(verification.value(QStringLiteral("estimated_unknown")).toInteger(), 2500);
    QVERIFY2(run.value(QStringLiteral("message")).toString().contains(QStringLiteral("about 2500")),
             qPrintable(run.value(QStringLiteral("message")).toString()));

    // The segment churns; the second sync sends only the changes.
    m_sandbox->tick();
    const QStringList after = m_sandbox->segmentMemberKeys(11, QStringLiteral("email"));
    const QSet<QString> b(before.begin(), before.end()), a(after.begin(), after.end());
    const qsizetype entered = (a - b).size(), exited = (b - a).size();
    QVERIFY(entered > 0 && exited > 0);
    m_sandbox->resetStats();
    sync = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                    secrets());
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    run = QJsonDocument::fromJson(sync.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), entered);
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), exited);
    QCOMPARE(run.value(QStringLiteral("unchanged")).toInteger(), qint64(after.size()) - entered);
    verification = run.value(QStringLiteral("verification")).toObject();
    QCOMPARE(verification.value(QStringLiteral("verified")).toInteger(), entered); // all of them
    QCOMPARE(verification.value(QStringLiteral("unknown_to_mixpanel")).toInteger(), entered);

    // Counted on the Mixpanel side: exactly one profile update per change.
    const QJsonObject stats = m_sandbox->stats();
    QCOMPARE(stats.value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInteger(),
             entered + exited);
    QCOMPARE(m_sandbox->cohortMembers(1), after);

    // Nothing changed: nothing sent (and, turned off, nothing looked up).
    m_sandbox->resetStats();
    sync = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json"),
                     QStringLiteral("--verify-sample"), QStringLiteral("0")},
                    secrets());
    QCOMPARE(sync.exitCode, 0);
    QCOMPARE(m_sandbox->stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInteger(),
             0);
    run = QJsonDocument::fromJson(sync.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("verification"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("disabled"));

    // Status reports the synced size, and the ghost profiles the entry checks found: every
    // e-mail sent became a profile Mixpanel did not know, so one alert is open (exit 1).
    const CliResult status = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(status.exitCode, 1);
    const QJsonObject st = QJsonDocument::fromJson(status.out).object();
    const QJsonArray alerts = st.value(QStringLiteral("alerts")).toArray();
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].toObject().value(QStringLiteral("rule")).toString(),
             QStringLiteral("unknown_profiles"));
    QCOMPARE(alerts[0].toObject().value(QStringLiteral("severity")).toString(),
             QStringLiteral("critical"));
    QCOMPARE(st.value(QStringLiteral("mappings"))
                 .toArray()[0]
                 .toObject()
                 .value(QStringLiteral("synced_count"))
                 .toInteger(),
             qint64(after.size()));
}

void TestCliSync::buildingSegmentIsSkipped()
{
    const CliResult add = lockstep(
        {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
         QStringLiteral("12"), QStringLiteral("--cohort"), QStringLiteral("CIO | Building | 30d"),
         QStringLiteral("--identity"), QStringLiteral("id")});
    QCOMPARE(add.exitCode, 0);
    m_sandbox->resetStats();
    const CliResult sync =
        lockstep({QStringLiteral("sync"), QStringLiteral("--mapping"),
                  QString::fromUtf8(add.out).trimmed(), QStringLiteral("--json")},
                 secrets());
    QCOMPARE(sync.exitCode, 0);
    const QJsonObject run = QJsonDocument::fromJson(sync.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
    QVERIFY2(
        run.value(QStringLiteral("message")).toString().contains(QStringLiteral("still building")),
        qPrintable(run.value(QStringLiteral("message")).toString()));
    QVERIFY2(run.value(QStringLiteral("message")).toString().contains(QStringLiteral("40% done")),
             qPrintable(run.value(QStringLiteral("message")).toString()));
    QCOMPARE(m_sandbox->stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInteger(),
             0);
    // The skip is the mapping's last run in `status --json` too, not a success.
    const CliResult status = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    bool found = false;
    for (const QJsonValue& v :
         QJsonDocument::fromJson(status.out).object().value(QStringLiteral("mappings")).toArray()) {
        const QJsonObject m = v.toObject();
        if (m.value(QStringLiteral("segment_id")).toInteger() != 12)
            continue;
        found = true;
        QCOMPARE(m.value(QStringLiteral("last_run"))
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("skipped"));
    }
    QVERIFY(found);
}

void TestCliSync::manualSegmentInStateEventsSyncs()
{
    const CliResult add = lockstep(
        {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
         QStringLiteral("13"), QStringLiteral("--cohort"), QStringLiteral("CIO | Manual | 30d"),
         QStringLiteral("--identity"), QStringLiteral("email")});
    QVERIFY2(add.exitCode == 0, add.err.constData());
    const QStringList members = m_sandbox->segmentMemberKeys(13, QStringLiteral("email"));
    QCOMPARE(members.size(), 300);
    const CliResult sync =
        lockstep({QStringLiteral("sync"), QStringLiteral("--mapping"),
                  QString::fromUtf8(add.out).trimmed(), QStringLiteral("--json")},
                 secrets());
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    const QJsonObject run = QJsonDocument::fromJson(sync.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), 300);
    QCOMPARE(m_sandbox->cohortMembers(2), members);
}

void TestCliSync::usageErrorsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
    QTest::newRow("sync without target") << QStringList{QStringLiteral("sync")};
    QTest::newRow("sync both") << QStringList{QStringLiteral("sync"), QStringLiteral("--all"),
                                              QStringLiteral("--mapping"), QStringLiteral("1")};
    QTest::newRow("unknown mapping")
        << QStringList{QStringLiteral("sync"), QStringLiteral("--mapping"), QStringLiteral("999")};
    QTest::newRow("bad identity") << QStringList{
        QStringLiteral("mapping"),    QStringLiteral("add"),      QStringLiteral("--segment"),
        QStringLiteral("1"),          QStringLiteral("--cohort"), QStringLiteral("x"),
        QStringLiteral("--identity"), QStringLiteral("phone")};
    QTest::newRow("verify sample too big")
        << QStringList{QStringLiteral("sync"), QStringLiteral("--all"),
                       QStringLiteral("--verify-sample"), QStringLiteral("1001")};
    QTest::newRow("verify sample not a number")
        << QStringList{QStringLiteral("sync"), QStringLiteral("--all"),
                       QStringLiteral("--verify-sample"), QStringLiteral("x")};
    QTest::newRow("verify sample without value") << QStringList{
        QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--verify-sample")};
    QTest::newRow("connect no project")
        << QStringList{QStringLiteral("connect"), QStringLiteral("--region"), QStringLiteral("us")};
    QTest::newRow("connect bad region")
        << QStringList{QStringLiteral("connect"), QStringLiteral("--region"),
                       QStringLiteral("mars"), QStringLiteral("--project-id"), QStringLiteral("1")};
    QTest::newRow("region and a service's region")
        << QStringList{QStringLiteral("connect"), QStringLiteral("--region"),
                       QStringLiteral("eu"),      QStringLiteral("--mixpanel-region"),
                       QStringLiteral("in"),      QStringLiteral("--project-id"),
                       QStringLiteral("1")};
    QTest::newRow("customer.io in india")
        << QStringList{QStringLiteral("connect"), QStringLiteral("--customerio-region"),
                       QStringLiteral("in"),      QStringLiteral("--mixpanel-region"),
                       QStringLiteral("in"),      QStringLiteral("--project-id"),
                       QStringLiteral("1")};
    QTest::newRow("unknown mixpanel region")
        << QStringList{QStringLiteral("connect"), QStringLiteral("--customerio-region"),
                       QStringLiteral("us"),      QStringLiteral("--mixpanel-region"),
                       QStringLiteral("au"),      QStringLiteral("--project-id"),
                       QStringLiteral("1")};
    QTest::newRow("mixpanel missing")
        << QStringList{QStringLiteral("connect"), QStringLiteral("--customerio-region"),
                       QStringLiteral("us"), QStringLiteral("--project-id"), QStringLiteral("1")};
    QTest::newRow("customer.io missing")
        << QStringList{QStringLiteral("connect"), QStringLiteral("--mixpanel-region"),
                       QStringLiteral("eu"), QStringLiteral("--project-id"), QStringLiteral("1")};
    QTest::newRow("customer.io twice") << QStringList{QStringLiteral("connect"),
                                                      QStringLiteral("--customerio-region"),
                                                      QStringLiteral("us"),
                                                      QStringLiteral("--customerio-url"),
                                                      QStringLiteral("https://api.customer.io"),
                                                      QStringLiteral("--mixpanel-region"),
                                                      QStringLiteral("us"),
                                                      QStringLiteral("--project-id"),
                                                      QStringLiteral("1")};
    QTest::newRow("mixpanel region and url")
        << QStringList{QStringLiteral("connect"),
                       QStringLiteral("--customerio-region"),
                       QStringLiteral("us"),
                       QStringLiteral("--mixpanel-region"),
                       QStringLiteral("us"),
                       QStringLiteral("--mixpanel-url"),
                       QStringLiteral("https://api.mixpanel.com"),
                       QStringLiteral("--project-id"),
                       QStringLiteral("1")};
    QTest::newRow("secret in url") << QStringList{QStringLiteral("connect"),
                                                  QStringLiteral("--customerio-url"),
                                                  QStringLiteral("http://key@127.0.0.1:1"),
                                                  QStringLiteral("--mixpanel-url"),
                                                  QStringLiteral("http://127.0.0.1:2"),
                                                  QStringLiteral("--mixpanel-query-url"),
                                                  QStringLiteral("http://127.0.0.1:2"),
                                                  QStringLiteral("--project-id"),
                                                  QStringLiteral("1")};
}

void TestCliSync::usageErrorsExitWithTwo()
{
    QFETCH(QStringList, args);
    const CliResult r = lockstep(args, secrets());
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
}

void TestCliSync::wrongKeyExitsWithThree()
{
    QProcessEnvironment env = secrets();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), QStringLiteral("wrong-key"));
    const CliResult r =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, env);
    QCOMPARE(r.exitCode, 3);
    const QJsonArray runs = QJsonDocument::fromJson(r.out).array();
    QVERIFY(!runs.isEmpty());
    QCOMPARE(runs[0].toObject().value(QStringLiteral("error")).toString(), QStringLiteral("auth"));
    // Secrets never reach the output.
    QVERIFY(!r.out.contains("wrong-key") && !r.err.contains("wrong-key"));
}

void TestCliSync::connectStoresEachRegionPair_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("cioRegion");
    QTest::addColumn<QString>("cioUrl");
    QTest::addColumn<QString>("mpRegion");
    QTest::addColumn<QString>("mpUrl");
    QTest::addColumn<QString>("mpQueryUrl");
    const QMap<QString, QString> cio = {
        {QStringLiteral("us"), QStringLiteral("https://api.customer.io")},
        {QStringLiteral("eu"), QStringLiteral("https://api-eu.customer.io")}};
    const QMap<QString, QPair<QString, QString>> mp = {
        {QStringLiteral("us"),
         {QStringLiteral("https://api.mixpanel.com"),
          QStringLiteral("https://mixpanel.com/api/query")}},
        {QStringLiteral("eu"),
         {QStringLiteral("https://api-eu.mixpanel.com"),
          QStringLiteral("https://eu.mixpanel.com/api/query")}},
        {QStringLiteral("in"),
         {QStringLiteral("https://api-in.mixpanel.com"),
          QStringLiteral("https://in.mixpanel.com/api/query")}}};
    for (const QString& c : cio.keys())
        for (const QString& m : mp.keys())
            QTest::addRow("--customerio-region %s --mixpanel-region %s", qPrintable(c),
                          qPrintable(m))
                << QStringList{QStringLiteral("--customerio-region"), c,
                               QStringLiteral("--mixpanel-region"), m}
                << c << cio[c] << m << mp[m].first << mp[m].second;
    // The shorthand, as before the regions were separate.
    for (const QString& r : cio.keys())
        QTest::addRow("--region %s", qPrintable(r))
            << QStringList{QStringLiteral("--region"), r} << r << cio[r] << r << mp[r].first
            << mp[r].second;
    // One service by region, the other by address.
    QTest::newRow("eu region, mixpanel addresses")
        << QStringList{QStringLiteral("--customerio-region"),
                       QStringLiteral("eu"),
                       QStringLiteral("--mixpanel-url"),
                       QStringLiteral("http://127.0.0.1:9"),
                       QStringLiteral("--mixpanel-query-url"),
                       QStringLiteral("http://127.0.0.1:9/api/query")}
        << QStringLiteral("eu") << cio[QStringLiteral("eu")] << QString()
        << QStringLiteral("http://127.0.0.1:9") << QStringLiteral("http://127.0.0.1:9/api/query");
}

void TestCliSync::connectStoresEachRegionPair()
{
    QFETCH(QStringList, args);
    QFETCH(QString, cioRegion);
    QFETCH(QString, cioUrl);
    QFETCH(QString, mpRegion);
    QFETCH(QString, mpUrl);
    QFETCH(QString, mpQueryUrl);
    const QString workspace = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!workspace.isEmpty());
    const CliResult c = lockstepOn(
        workspace, QStringList{QStringLiteral("connect")} + args +
                       QStringList{QStringLiteral("--project-id"), QStringLiteral("77")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QVERIFY2(c.out.startsWith("connected workspace "), c.out.constData()); // unchanged output
    QCOMPARE(c.out.count('\n'), 1);
    const CliResult status =
        lockstepOn(workspace, {QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(status.exitCode, 0);
    const QJsonObject conn =
        QJsonDocument::fromJson(status.out).object().value(QStringLiteral("connection")).toObject();
    QCOMPARE(conn.value(QStringLiteral("customerio_region")).toString(), cioRegion);
    QCOMPARE(conn.value(QStringLiteral("customerio_url")).toString(), cioUrl);
    QCOMPARE(conn.value(QStringLiteral("mixpanel_region")).toString(), mpRegion);
    QCOMPARE(conn.value(QStringLiteral("mixpanel_url")).toString(), mpUrl);
    QCOMPARE(conn.value(QStringLiteral("mixpanel_query_url")).toString(), mpQueryUrl);
    QCOMPARE(conn.value(QStringLiteral("project_id")).toInteger(), 77);
}

void TestCliSync::regionsReachTheirHosts_data()
{
    QTest::addColumn<QString>("cioRegion");
    QTest::addColumn<QString>("mpRegion");
    QTest::addColumn<QString>("cioHost");
    QTest::addColumn<QString>("ingestHost");
    QTest::addColumn<QString>("queryHost");
    const QMap<QString, QString> cio = {
        {QStringLiteral("us"), QStringLiteral("api.customer.io")},
        {QStringLiteral("eu"), QStringLiteral("api-eu.customer.io")}};
    const QMap<QString, QPair<QString, QString>> mp = {
        {QStringLiteral("us"),
         {QStringLiteral("api.mixpanel.com"), QStringLiteral("mixpanel.com")}},
        {QStringLiteral("eu"),
         {QStringLiteral("api-eu.mixpanel.com"), QStringLiteral("eu.mixpanel.com")}},
        {QStringLiteral("in"),
         {QStringLiteral("api-in.mixpanel.com"), QStringLiteral("in.mixpanel.com")}}};
    for (const QString& c : cio.keys())
        for (const QString& m : mp.keys())
            QTest::addRow("customer.io %s, mixpanel %s", qPrintable(c), qPrintable(m))
                << c << m << cio[c] << mp[m].first << mp[m].second;
}

void TestCliSync::regionsReachTheirHosts()
{
    // Every real host answers from the sandbox (LOCKSTEP_TEST_HOSTS, tests only), which
    // logs the Host header each request carried: where each region really sends.
    QFETCH(QString, cioRegion);
    QFETCH(QString, mpRegion);
    QFETCH(QString, cioHost);
    QFETCH(QString, ingestHost);
    QFETCH(QString, queryHost);
    const auto hostPort = [](const QUrl& u) {
        return QStringLiteral("%1:%2").arg(u.host()).arg(u.port());
    };
    QStringList routes;
    for (const char* h : {"api.customer.io", "api-eu.customer.io"})
        routes << QLatin1String(h) + QLatin1Char('=') + hostPort(m_sandbox->customerIo());
    for (const char* h : {"api.mixpanel.com", "api-eu.mixpanel.com", "api-in.mixpanel.com",
                          "mixpanel.com", "eu.mixpanel.com", "in.mixpanel.com"})
        routes << QLatin1String(h) + QLatin1Char('=') + hostPort(m_sandbox->mixpanel());
    QProcessEnvironment env = secrets();
    env.insert(QStringLiteral("LOCKSTEP_TEST"), QStringLiteral("1"));
    env.insert(QStringLiteral("LOCKSTEP_TEST_HOSTS"), routes.join(QLatin1Char(',')));

    const QString workspace = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!workspace.isEmpty());
    CliResult r = lockstepOn(
        workspace, {QStringLiteral("connect"), QStringLiteral("--customerio-region"), cioRegion,
                    QStringLiteral("--mixpanel-region"), mpRegion, QStringLiteral("--project-id"),
                    QString::number(m_sandbox->projectId())});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = lockstepOn(workspace, {QStringLiteral("mapping"), QStringLiteral("add"),
                               QStringLiteral("--segment"), QStringLiteral("13"),
                               QStringLiteral("--cohort"), QStringLiteral("CIO | Routed | 30d"),
                               QStringLiteral("--identity"), QStringLiteral("email")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    m_sandbox->resetStats();
    r = lockstepOn(workspace,
                   {QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                   env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QJsonDocument::fromJson(r.out)
                 .array()[0]
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("succeeded"));

    QMap<QString, QSet<QString>> hostsByService; // "cio", "ingest", "query" -> hosts seen
    for (const QJsonValue& v : m_sandbox->stats().value(QStringLiteral("log")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString route = e.value(QStringLiteral("route")).toString();
        const QString service = route.startsWith(QLatin1String("cio.")) ? QStringLiteral("cio")
                                : route.startsWith(QLatin1String("mp.query"))
                                    ? QStringLiteral("query")
                                    : QStringLiteral("ingest");
        hostsByService[service].insert(e.value(QStringLiteral("host")).toString());
    }
    QCOMPARE(hostsByService.value(QStringLiteral("cio")), QSet<QString>{cioHost});
    QCOMPARE(hostsByService.value(QStringLiteral("ingest")), QSet<QString>{ingestHost});
    // The read-back after the sends (verification, cohort count) went to the query host.
    QCOMPARE(hostsByService.value(QStringLiteral("query")), QSet<QString>{queryHost});
}

void TestCliSync::mappingAddRefusesLongCohortNames_data()
{
    QTest::addColumn<QString>("cohort");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("bytes"); // 0: accepted
    QTest::newRow("ascii 255") << QString(255, QLatin1Char('n')) << QStringList{} << 0;
    QTest::newRow("ascii 256") << QString(256, QLatin1Char('n')) << QStringList{} << 256;
    QTest::newRow("flag property 256")
        << QString(256, QLatin1Char('n'))
        << QStringList{QStringLiteral("--mode"), QStringLiteral("flag")} << 256;
    QTest::newRow("3-byte x 85") << QString(85, QChar(0x20AC)) << QStringList{} << 0;
    QTest::newRow("3-byte x 86") << QString(86, QChar(0x20AC)) << QStringList{} << 258;
}

void TestCliSync::mappingAddRefusesLongCohortNames()
{
    QFETCH(QString, cohort);
    QFETCH(QStringList, extra);
    QFETCH(int, bytes);
    const QString workspace = TestDatabase::freshWorkspace(m_dir.path());
    const CliResult add =
        lockstepOn(workspace, QStringList{QStringLiteral("mapping"), QStringLiteral("add"),
                                          QStringLiteral("--segment"), QStringLiteral("11"),
                                          QStringLiteral("--cohort"), cohort,
                                          QStringLiteral("--identity"), QStringLiteral("email")} +
                                  extra);
    QCOMPARE(add.exitCode, bytes ? 2 : 0);
    if (bytes) {
        const QString err = QString::fromUtf8(add.err);
        QVERIFY2(err.contains(QStringLiteral("%1 bytes").arg(bytes)), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("at most 255 bytes")), qPrintable(err));
        const CliResult list =
            lockstepOn(workspace, {QStringLiteral("mapping"), QStringLiteral("list"),
                                   QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 0);
    }
}

// `mapping list --json` tells the last successful sync (last_sync) from the newest run
// (last_run); a dry run sends nothing, so it moves last_run only.
void TestCliSync::dryRunLeavesLastSync()
{
    auto winback = [this] {
        const CliResult list =
            lockstep({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
        for (const QJsonValue& v : QJsonDocument::fromJson(list.out).array())
            if (v[QStringLiteral("cohort")].toString() == QStringLiteral("CIO | Winback | 45-60d"))
                return v.toObject();
        return QJsonObject{};
    };
    const QJsonObject before = winback();
    QVERIFY(!before.isEmpty());
    const QString id = QString::number(before.value(QStringLiteral("id")).toInteger());
    const QString lastSync = before.value(QStringLiteral("last_sync")).toString();
    // Synced by the first test (later ones may have failed runs of it since).
    QVERIFY2(lastSync.endsWith(QLatin1Char('Z')), qPrintable(lastSync));
    QVERIFY(before[QStringLiteral("last_run")].isObject());

    m_sandbox->tick(1); // churn, so the dry run has changes to preview
    const CliResult dry =
        lockstep({QStringLiteral("dry-run"), QStringLiteral("--mapping"), id}, secrets());
    QVERIFY2(dry.exitCode == 0, dry.err.constData());

    const QJsonObject after = winback();
    QCOMPARE(after.value(QStringLiteral("last_sync")).toString(), lastSync);
    QCOMPARE(after[QStringLiteral("last_run")][QStringLiteral("kind")].toString(),
             QStringLiteral("dry_run"));
    QVERIFY(after[QStringLiteral("last_run")][QStringLiteral("at")].toString() >= lastSync);
}

// A person in neither Customer.io nor Mixpanel is not a pass: `not_found`, exit 1.
void TestCliSync::spotCheckOfNobodyIsNotFound()
{
    const CliResult list =
        lockstep({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    const QString id = QString::number(
        QJsonDocument::fromJson(list.out).array().first()[QStringLiteral("id")].toInteger());
    const CliResult check =
        lockstep({QStringLiteral("spot-check"), QStringLiteral("--mapping"), id,
                  QStringLiteral("--count"), QStringLiteral("0"), QStringLiteral("--person"),
                  QStringLiteral("nobody@nowhere.test"), QStringLiteral("--json")},
                 secrets());
    QCOMPARE(check.exitCode, 1);
    const QJsonObject result = QJsonDocument::fromJson(check.out).object();
    QCOMPARE(result.value(QStringLiteral("passed")).toBool(), false);
    const QJsonArray people = result.value(QStringLiteral("people")).toArray();
    QCOMPARE(people.size(), 1);
    QCOMPARE(people[0][QStringLiteral("reason")].toString(), QStringLiteral("not_found"));
    QCOMPARE(people[0][QStringLiteral("passed")].toBool(), false);

    const CliResult text = lockstep(
        {QStringLiteral("spot-check"), QStringLiteral("--mapping"), id, QStringLiteral("--count"),
         QStringLiteral("0"), QStringLiteral("--person"), QStringLiteral("nobody@nowhere.test")},
        secrets());
    QCOMPARE(text.exitCode, 1);
    QVERIFY2(text.out.contains("not_found"), text.out.constData());
}

QTEST_GUILESS_MAIN(TestCliSync)
#include "tst_cli_sync.moc"
