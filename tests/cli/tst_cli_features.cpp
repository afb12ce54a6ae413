// The engine's features through the CLI as scripts use it: full resync, membership
// events with deduplicating $insert_ids, pausing after repeated auth failures with an
// alert that `status --json` reports (and exits 1 for), the naming audit export, and the
// headless runner stopping cleanly on SIGTERM.
#include "sandboxprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using lockstep::test::SandboxProcess;

namespace {
struct Cli
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QJsonObject scenario(int segmentSize)
{
    return QJsonObject{
        {QStringLiteral("seed"), 11},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("cohorts"),
                      QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                             {QStringLiteral("name"), QStringLiteral("CIO | Winback | 45-60d")},
                                             {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                             {QStringLiteral("value"), QStringLiteral("CIO | Winback | 45-60d")}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), segmentSize * 2}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                {QStringLiteral("name"), QStringLiteral("Lapsed")},
                                {QStringLiteral("size"), segmentSize},
                                {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), segmentSize / 20},
                                                                      {QStringLiteral("exited"), segmentSize / 25}}}}}},
    };
}
} // namespace

class TestCliFeatures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void fullResyncResendsEveryone();
    void eventsAreSentOnceWithStableInsertIds();
    void repeatedAuthFailuresPauseWithAnAlert();
    void auditExports_data();
    void auditExports();
    void runnerStopsCleanlyOnSigterm();

private:
    Cli lockstep(const QStringList& args, const QProcessEnvironment& env = {});
    QProcessEnvironment secrets(const SandboxProcess& s) const;
    void connectTo(const SandboxProcess& s);
    QString addMapping(const QStringList& extra = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_workspace;
};

void TestCliFeatures::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_workspace = m_dir->filePath(QStringLiteral("ws.sqlite"));
}

Cli TestCliFeatures::lockstep(const QStringList& args, const QProcessEnvironment& env)
{
    QProcess p;
    p.setProcessEnvironment(env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env);
    p.start(QStringLiteral(LOCKSTEP_BIN), QStringList{QStringLiteral("--workspace"), m_workspace} + args);
    Cli r;
    if (!p.waitForFinished(120000))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QProcessEnvironment TestCliFeatures::secrets(const SandboxProcess& s) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), s.appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), s.projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), s.serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.01"));
    return env;
}

void TestCliFeatures::connectTo(const SandboxProcess& s)
{
    const Cli c = lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"), s.customerIo().toString(),
                            QStringLiteral("--mixpanel-url"), s.mixpanel().toString(),
                            QStringLiteral("--mixpanel-query-url"), s.mixpanelQuery().toString(),
                            QStringLiteral("--project-id"), QString::number(s.projectId())});
    QCOMPARE(c.exitCode, 0);
}

QString TestCliFeatures::addMapping(const QStringList& extra)
{
    const Cli c = lockstep(QStringList{QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                                       QStringLiteral("1"), QStringLiteral("--cohort"),
                                       QStringLiteral("CIO | Winback | 45-60d"), QStringLiteral("--identity"),
                                       QStringLiteral("cio_id")}
                           + extra);
    return c.exitCode == 0 ? QString::fromUtf8(c.out).trimmed() : QString();
}

void TestCliFeatures::fullResyncResendsEveryone()
{
    SandboxProcess sandbox(scenario(3000));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping().isEmpty());
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode, 0);
    sandbox.resetStats();
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode, 0);
    QCOMPARE(sandbox.stats().value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInt(), 0);

    // Someone removes the property in Mixpanel by hand; an incremental run cannot know,
    // a full resync repairs it.
    const QStringList members = sandbox.segmentMemberKeys(1, QStringLiteral("cio_id"));
    QJsonArray updates;
    for (int i = 0; i < 10; ++i)
        updates.append(QJsonObject{{QStringLiteral("$token"), sandbox.projectToken()},
                                   {QStringLiteral("$distinct_id"), members[i]},
                                   {QStringLiteral("$remove"), QJsonObject{{QStringLiteral("cio_cohorts"),
                                                                            QStringLiteral("CIO | Winback | 45-60d")}}}});
    QUrl engage = sandbox.mixpanel();
    engage.setPath(QStringLiteral("/engage"));
    QCOMPARE(SandboxProcess::request("POST", engage, QJsonDocument(updates).toJson(),
                                     {{"Content-Type", "application/json"}}).status, 200);
    QCOMPARE(sandbox.cohortMembers(1).size(), members.size() - 10);

    // And a profile that is no member holds the value (a stray): the full resync finds it
    // through the query API and removes it.
    const QJsonArray stray{QJsonObject{{QStringLiteral("$token"), sandbox.projectToken()},
                                       {QStringLiteral("$distinct_id"), QStringLiteral("stray-profile")},
                                       {QStringLiteral("$union"), QJsonObject{{QStringLiteral("cio_cohorts"),
                                                                               QJsonArray{QStringLiteral("CIO | Winback | 45-60d")}}}}}};
    QCOMPARE(SandboxProcess::request("POST", engage, QJsonDocument(stray).toJson(),
                                     {{"Content-Type", "application/json"}}).status, 200);
    QVERIFY(sandbox.cohortMembers(1).contains(QStringLiteral("stray-profile")));

    QCOMPARE(lockstep({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("cohort_check_minutes"),
                       QStringLiteral("0")}).exitCode, 0);
    sandbox.resetStats();
    const Cli full = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--full"),
                               QStringLiteral("--json")}, secrets(sandbox));
    QCOMPARE(full.exitCode, 0);
    const QJsonObject run = QJsonDocument::fromJson(full.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("kind")).toString(), QStringLiteral("full"));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), qint64(members.size()));
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), 1); // the stray
    QCOMPARE(sandbox.stats().value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInt(),
             members.size() + 1);
    QCOMPARE(sandbox.cohortMembers(1), members);

    // The sync read the Mixpanel cohort's count back for the drift rule.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(m_workspace);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT mixpanel_count FROM size_points ORDER BY run_id DESC LIMIT 1")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), qint64(members.size()));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

void TestCliFeatures::eventsAreSentOnceWithStableInsertIds()
{
    SandboxProcess sandbox(scenario(2500));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping({QStringLiteral("--events")}).isEmpty());
    sandbox.resetStats();
    Cli first = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, secrets(sandbox));
    QCOMPARE(first.exitCode, 0);
    QJsonObject imp = sandbox.stats().value(QStringLiteral("import")).toObject();
    QCOMPARE(imp.value(QStringLiteral("imported")).toInt(), 2500);

    // The segment churns; a fault garbles the first /import reply after it was applied,
    // so that batch is sent again by the next run: Mixpanel must deduplicate it.
    sandbox.tick();
    sandbox.resetStats();
    sandbox.setFaults(QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.import")},
                                             {QStringLiteral("malformed"), true},
                                             {QStringLiteral("count"), 1}}});
    Cli second = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, secrets(sandbox));
    QCOMPARE(second.exitCode, 1); // the garbled batch counts as not acknowledged
    sandbox.clearFaults();
    Cli third = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, secrets(sandbox));
    QCOMPARE(third.exitCode, 0);
    imp = sandbox.stats().value(QStringLiteral("import")).toObject();
    const QJsonObject r2 = QJsonDocument::fromJson(second.out).array()[0].toObject();
    const int changes = int(r2.value(QStringLiteral("entered")).toInteger() + r2.value(QStringLiteral("exited")).toInteger());
    QVERIFY(changes > 0);
    QVERIFY2(imp.value(QStringLiteral("deduplicated")).toInt() > 0, "the resent events were not deduplicated");
    QCOMPARE(imp.value(QStringLiteral("imported")).toInt() - imp.value(QStringLiteral("deduplicated")).toInt(), changes);
    QCOMPARE(sandbox.cohortMembers(1), sandbox.segmentMemberKeys(1, QStringLiteral("cio_id")));
}

void TestCliFeatures::repeatedAuthFailuresPauseWithAnAlert()
{
    SandboxProcess sandbox(scenario(500));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    const QString id = addMapping();
    QProcessEnvironment env = secrets(sandbox);
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), QStringLiteral("revoked-token"));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, env).exitCode, 3);

    const Cli list = lockstep({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY(QJsonDocument::fromJson(list.out).array()[0].toObject().value(QStringLiteral("paused")).toBool());
    const Cli status = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(status.exitCode, 1);
    const QJsonArray alerts = QJsonDocument::fromJson(status.out).object().value(QStringLiteral("alerts")).toArray();
    bool paused = false;
    for (const QJsonValue& a : alerts)
        paused |= a.toObject().value(QStringLiteral("rule")).toString() == QLatin1String("sync_paused");
    QVERIFY2(paused, status.out.constData());
    // A paused mapping is left out of --all.
    sandbox.resetStats();
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode, 0);
    QCOMPARE(sandbox.stats().value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInt(), 0);
}

void TestCliFeatures::auditExports_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("mustContain");
    QTest::newRow("csv") << "csv" << QByteArray("'=HYPERLINK");
    QTest::newRow("json") << "json" << QByteArray("\"findings\"");
    QTest::newRow("md") << "md" << QByteArray("|");
}

void TestCliFeatures::auditExports()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, mustContain);
    QVERIFY(lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"), QStringLiteral("1"),
                      QStringLiteral("--cohort"), QStringLiteral("=HYPERLINK(\"http://x\")"), QStringLiteral("--identity"),
                      QStringLiteral("email")}).exitCode == 0);
    QVERIFY(lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"), QStringLiteral("2"),
                      QStringLiteral("--cohort"), QStringLiteral("CIO | Winback | 45-60d"), QStringLiteral("--identity"),
                      QStringLiteral("email")}).exitCode == 0);
    const QString file = m_dir->filePath(QStringLiteral("audit.") + format);
    const Cli c = lockstep({QStringLiteral("audit"), QStringLiteral("--format"), format, QStringLiteral("--output"), file});
    QCOMPARE(c.exitCode, 0);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY2(bytes.contains(mustContain), bytes.left(400).constData());
    if (format == QLatin1String("csv"))
        QVERIFY2(!bytes.contains("\n=HYPERLINK") && !bytes.contains(",=HYPERLINK"), "formula not neutralised");
    // --fail-on error turns findings into exit code 1 for CI use.
    QCOMPARE(lockstep({QStringLiteral("audit"), QStringLiteral("--format"), format, QStringLiteral("--fail-on"),
                       QStringLiteral("error")}).exitCode, 1);
    QCOMPARE(lockstep({QStringLiteral("audit"), QStringLiteral("--format"), QStringLiteral("xml")}).exitCode, 2);
}

void TestCliFeatures::runnerStopsCleanlyOnSigterm()
{
    SandboxProcess sandbox(scenario(60000));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping({QStringLiteral("--schedule"), QStringLiteral("1")}).isEmpty());

    QProcess runner;
    QProcessEnvironment env = secrets(sandbox);
    env.insert(QStringLiteral("LOCKSTEP_SEND_CONCURRENCY"), QStringLiteral("1"));
    runner.setProcessEnvironment(env);
    runner.start(QStringLiteral(LOCKSTEP_BIN), {QStringLiteral("--workspace"), m_workspace, QStringLiteral("run"),
                                                QStringLiteral("--check-every"), QStringLiteral("1")});
    QVERIFY(runner.waitForStarted());
    // Wait until it is sending, then ask it to stop.
    QTRY_VERIFY_WITH_TIMEOUT(sandbox.stats().value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInt() > 0,
                             30000);
    ::kill(pid_t(runner.processId()), SIGTERM);
    QVERIFY(runner.waitForFinished(30000));
    QCOMPARE(runner.exitStatus(), QProcess::NormalExit);
    QCOMPARE(runner.exitCode(), 0);
    const QByteArray log = runner.readAllStandardError();
    QVERIFY2(log.contains("<6>lockstep.runner: stopping on signal"), log.constData());

    // The run was recorded (not left "running"), and what it sent is acknowledged.
    const Cli status = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject m = QJsonDocument::fromJson(status.out).object().value(QStringLiteral("mappings")).toArray()[0].toObject();
    const QString last = m.value(QStringLiteral("last_run")).toObject().value(QStringLiteral("status")).toString();
    QVERIFY2(last == QLatin1String("cancelled") || last == QLatin1String("succeeded"), qPrintable(last));
    QCOMPARE(m.value(QStringLiteral("synced_count")).toInteger(),
             qint64(sandbox.profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("CIO | Winback | 45-60d")).size()));
    // Not due again within its one-minute schedule: a one-shot pass does nothing...
    QCOMPARE(lockstep({QStringLiteral("run"), QStringLiteral("--once")}, secrets(sandbox)).exitCode, 0);
    // ...and the next sync finishes the job.
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode, 0);
    QCOMPARE(sandbox.cohortMembers(1), sandbox.segmentMemberKeys(1, QStringLiteral("cio_id")));
}

QTEST_GUILESS_MAIN(TestCliFeatures)
#include "tst_cli_features.moc"
