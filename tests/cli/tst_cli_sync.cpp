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
        {QStringLiteral("customerio"), QJsonObject{{QStringLiteral("app_api_key"), QStringLiteral("cio-key-e2e")}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("project_token"), QStringLiteral("mp-token-e2e")},
                     {QStringLiteral("project_id"), 4242},
                     {QStringLiteral("service_account"), QStringLiteral("sa-e2e:sa-secret-e2e")},
                     {QStringLiteral("cohorts"),
                      QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                             {QStringLiteral("name"), QStringLiteral("Winback mirror")},
                                             {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                             {QStringLiteral("value"), QStringLiteral("CIO | Winback | 45-60d")}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 6000}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 11},
                                {QStringLiteral("name"), QStringLiteral("Lapsed 45-60 days")},
                                {QStringLiteral("size"), 2500},
                                {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), 120},
                                                                      {QStringLiteral("exited"), 90}}}},
                    QJsonObject{{QStringLiteral("id"), 12},
                                {QStringLiteral("name"), QStringLiteral("Still building")},
                                {QStringLiteral("size"), 100},
                                {QStringLiteral("state"), QStringLiteral("build")},
                                {QStringLiteral("progress"), 40}}}},
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
    void usageErrorsExitWithTwo_data();
    void usageErrorsExitWithTwo();
    void wrongKeyExitsWithThree();

private:
    CliResult lockstep(const QStringList& args, const QProcessEnvironment& env = {});
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
    QProcess p;
    p.setProcessEnvironment(env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env);
    p.start(QStringLiteral(LOCKSTEP_BIN), QStringList{QStringLiteral("--workspace"), m_workspace} + args);
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

    const CliResult c = lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                                  m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                                  m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                                  m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                                  QString::number(m_sandbox->projectId())});
    QVERIFY2(c.exitCode == 0, c.err.constData());
}

void TestCliSync::syncsExactlyTheSegmentThenOnlyChanges()
{
    const CliResult add = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                                    QStringLiteral("11"), QStringLiteral("--cohort"),
                                    QStringLiteral("CIO | Winback | 45-60d"), QStringLiteral("--identity"),
                                    QStringLiteral("email")});
    QVERIFY2(add.exitCode == 0, add.err.constData());
    const QString mappingId = QString::fromUtf8(add.out).trimmed();
    QVERIFY(mappingId.toInt() > 0);

    const CliResult list = lockstep({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray mappings = QJsonDocument::fromJson(list.out).array();
    QCOMPARE(mappings.size(), 1);
    QCOMPARE(mappings[0].toObject().value(QStringLiteral("segment_id")).toInteger(), 11);
    QCOMPARE(mappings[0].toObject().value(QStringLiteral("identity")).toString(), QStringLiteral("email"));

    // First sync: everyone enters.
    const QStringList before = m_sandbox->segmentMemberKeys(11, QStringLiteral("email"));
    QCOMPARE(before.size(), 2500);
    m_sandbox->resetStats();
    CliResult sync = lockstep({QStringLiteral("sync"), QStringLiteral("--mapping"), mappingId, QStringLiteral("--json")},
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
    sync = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, secrets());
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
    QCOMPARE(stats.value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInteger(), entered + exited);
    QCOMPARE(m_sandbox->cohortMembers(1), after);

    // Nothing changed: nothing sent (and, turned off, nothing looked up).
    m_sandbox->resetStats();
    sync = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json"),
                     QStringLiteral("--verify-sample"), QStringLiteral("0")},
                    secrets());
    QCOMPARE(sync.exitCode, 0);
    QCOMPARE(m_sandbox->stats().value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInteger(), 0);
    run = QJsonDocument::fromJson(sync.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("verification")).toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("disabled"));

    // Status reports the synced size.
    const CliResult status = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(status.exitCode, 0);
    const QJsonObject st = QJsonDocument::fromJson(status.out).object();
    QCOMPARE(st.value(QStringLiteral("mappings")).toArray()[0].toObject().value(QStringLiteral("synced_count")).toInteger(),
             qint64(after.size()));
}

void TestCliSync::buildingSegmentIsSkipped()
{
    const CliResult add = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                                    QStringLiteral("12"), QStringLiteral("--cohort"),
                                    QStringLiteral("CIO | Building | 30d"), QStringLiteral("--identity"),
                                    QStringLiteral("id")});
    QCOMPARE(add.exitCode, 0);
    m_sandbox->resetStats();
    const CliResult sync = lockstep({QStringLiteral("sync"), QStringLiteral("--mapping"),
                                     QString::fromUtf8(add.out).trimmed(), QStringLiteral("--json")},
                                    secrets());
    QCOMPARE(sync.exitCode, 0);
    const QJsonObject run = QJsonDocument::fromJson(sync.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
    QVERIFY2(run.value(QStringLiteral("message")).toString().contains(QStringLiteral("still building")),
             qPrintable(run.value(QStringLiteral("message")).toString()));
    QCOMPARE(m_sandbox->stats().value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInteger(), 0);
}

void TestCliSync::usageErrorsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
    QTest::newRow("sync without target") << QStringList{QStringLiteral("sync")};
    QTest::newRow("sync both") << QStringList{QStringLiteral("sync"), QStringLiteral("--all"),
                                              QStringLiteral("--mapping"), QStringLiteral("1")};
    QTest::newRow("unknown mapping") << QStringList{QStringLiteral("sync"), QStringLiteral("--mapping"),
                                                    QStringLiteral("999")};
    QTest::newRow("bad identity") << QStringList{QStringLiteral("mapping"), QStringLiteral("add"),
                                                 QStringLiteral("--segment"), QStringLiteral("1"),
                                                 QStringLiteral("--cohort"), QStringLiteral("x"),
                                                 QStringLiteral("--identity"), QStringLiteral("phone")};
    QTest::newRow("verify sample too big") << QStringList{QStringLiteral("sync"), QStringLiteral("--all"),
                                                          QStringLiteral("--verify-sample"), QStringLiteral("1001")};
    QTest::newRow("verify sample not a number") << QStringList{QStringLiteral("sync"), QStringLiteral("--all"),
                                                               QStringLiteral("--verify-sample"), QStringLiteral("x")};
    QTest::newRow("verify sample without value") << QStringList{QStringLiteral("sync"), QStringLiteral("--all"),
                                                                QStringLiteral("--verify-sample")};
    QTest::newRow("connect no project") << QStringList{QStringLiteral("connect"), QStringLiteral("--region"),
                                                       QStringLiteral("us")};
    QTest::newRow("connect bad region") << QStringList{QStringLiteral("connect"), QStringLiteral("--region"),
                                                       QStringLiteral("mars"), QStringLiteral("--project-id"),
                                                       QStringLiteral("1")};
    QTest::newRow("secret in url") << QStringList{QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                                                  QStringLiteral("http://key@127.0.0.1:1"),
                                                  QStringLiteral("--mixpanel-url"), QStringLiteral("http://127.0.0.1:2"),
                                                  QStringLiteral("--mixpanel-query-url"),
                                                  QStringLiteral("http://127.0.0.1:2"), QStringLiteral("--project-id"),
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
    const CliResult r = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, env);
    QCOMPARE(r.exitCode, 3);
    const QJsonArray runs = QJsonDocument::fromJson(r.out).array();
    QVERIFY(!runs.isEmpty());
    QCOMPARE(runs[0].toObject().value(QStringLiteral("error")).toString(), QStringLiteral("auth"));
    // Secrets never reach the output.
    QVERIFY(!r.out.contains("wrong-key") && !r.err.contains("wrong-key"));
}

QTEST_GUILESS_MAIN(TestCliSync)
#include "tst_cli_sync.moc"
