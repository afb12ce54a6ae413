// A team workspace on PostgreSQL shared by several runners: two runners racing for the
// same mappings sync each exactly once; a runner killed mid-run releases its advisory
// lock with its connection, and another runner picks the mapping up and converges.
#include "sandboxprocess.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

#include <csignal>

using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {
QJsonObject scenario()
{
    QJsonArray cohorts, segments;
    for (int i = 1; i <= 3; ++i) {
        cohorts.append(
            QJsonObject{{QStringLiteral("id"), i},
                        {QStringLiteral("name"), QStringLiteral("C%1").arg(i)},
                        {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                        {QStringLiteral("value"), QStringLiteral("CIO | Team %1 | 30d").arg(i)}});
        segments.append(QJsonObject{{QStringLiteral("id"), i},
                                    {QStringLiteral("name"), QStringLiteral("Team %1").arg(i)},
                                    {QStringLiteral("size"), i == 3 ? 120000 : 4000}});
    }
    return QJsonObject{
        {QStringLiteral("seed"), 5},
        {QStringLiteral("mixpanel"), QJsonObject{{QStringLiteral("cohorts"), cohorts}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 150000}}},
        {QStringLiteral("segments"), segments}};
}
} // namespace

class TestPgRunners : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void racingRunnersSyncEachMappingOnce();
    void killedRunnerIsTakenOverByAnother();

private:
    QProcess* start(const QStringList& args);
    int lockstep(const QStringList& args);
    int succeededRuns(int mappingId);

    std::unique_ptr<SandboxProcess> m_sandbox;
    QString m_url;
    QProcessEnvironment m_env;
};

void TestPgRunners::initTestCase()
{
    if (!TestDatabase::postgresAvailable())
        QFAIL("the pg fixture server is not running");
    QString error;
    m_url = TestDatabase::createPostgresDatabase(&error);
    QVERIFY2(!m_url.isEmpty(), qPrintable(error));
    m_sandbox = std::make_unique<SandboxProcess>(scenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    m_env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    m_env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    QCOMPARE(lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                       m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                       m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                       m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                       QString::number(m_sandbox->projectId())}),
             0);
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(lockstep({QStringLiteral("mapping"), QStringLiteral("add"),
                           QStringLiteral("--segment"), QString::number(i),
                           QStringLiteral("--cohort"), QStringLiteral("CIO | Team %1 | 30d").arg(i),
                           QStringLiteral("--identity"), QStringLiteral("cio_id")}),
                 0);
}

QProcess* TestPgRunners::start(const QStringList& args)
{
    auto* p = new QProcess(this);
    p->setProcessEnvironment(m_env);
    p->start(QStringLiteral(LOCKSTEP_BIN),
             QStringList{QStringLiteral("--workspace"), m_url} + args);
    return p;
}

int TestPgRunners::lockstep(const QStringList& args)
{
    std::unique_ptr<QProcess> p(start(args));
    if (!p->waitForFinished(180000))
        return -1;
    return p->exitCode();
}

int TestPgRunners::succeededRuns(int mappingId)
{
    const QUrl url(m_url);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("check"));
    db.setHostName(url.host());
    db.setPort(url.port(5432));
    db.setUserName(url.userName());
    db.setDatabaseName(url.path().mid(1));
    int n = -1;
    if (db.open()) {
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("SELECT COUNT(*) FROM runs WHERE mapping_id=? AND status='succeeded'"));
        q.addBindValue(mappingId);
        if (q.exec() && q.next())
            n = q.value(0).toInt();
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return n;
}

void TestPgRunners::racingRunnersSyncEachMappingOnce()
{
    // Two one-shot runners at the same moment: every mapping is due once.
    QProcess* a = start({QStringLiteral("run"), QStringLiteral("--once")});
    QProcess* b = start({QStringLiteral("run"), QStringLiteral("--once")});
    QVERIFY(a->waitForFinished(180000));
    QVERIFY(b->waitForFinished(180000));
    QCOMPARE(a->exitCode(), 0);
    QCOMPARE(b->exitCode(), 0);
    for (int i = 1; i <= 3; ++i) {
        QCOMPARE(succeededRuns(i), 1);
        QCOMPARE(m_sandbox->cohortMembers(i),
                 m_sandbox->segmentMemberKeys(i, QStringLiteral("cio_id")));
    }
}

void TestPgRunners::killedRunnerIsTakenOverByAnother()
{
    // A full resync of the big mapping, killed while it sends.
    m_sandbox->resetStats();
    std::unique_ptr<QProcess> victim(start({QStringLiteral("sync"), QStringLiteral("--mapping"),
                                            QStringLiteral("3"), QStringLiteral("--full")}));
    QVERIFY(victim->waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->stats()
                                     .value(QStringLiteral("engage"))
                                     .toObject()
                                     .value(QStringLiteral("updates"))
                                     .toInt() > 0,
                             60000);
    ::kill(pid_t(victim->processId()), SIGKILL);
    QVERIFY(victim->waitForFinished(10000));

    // Its session, and so its advisory lock, died with it: another runner takes over.
    m_sandbox->tick();
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--mapping"), QStringLiteral("3")}),
             0);
    QCOMPARE(m_sandbox->cohortMembers(3),
             m_sandbox->segmentMemberKeys(3, QStringLiteral("cio_id")));
}

QTEST_GUILESS_MAIN(TestPgRunners)
#include "tst_pg_runners.moc"
