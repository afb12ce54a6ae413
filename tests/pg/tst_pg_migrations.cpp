// Workspace migrations on PostgreSQL: a fresh database reaches the newest schema, a
// reopen changes nothing, and several consoles/runners opening one fresh database at
// the same moment all succeed with the schema applied exactly once.
#include "store/mappingrepository.h"
#include "store/migrations.h"
#include "store/workspace.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QTest>

#include <latch>
#include <thread>
#include <vector>

using namespace lockstep;
using lockstep::test::TestDatabase;

namespace {

int newestVersion()
{
    return workspaceMigrations().back().version;
}

// schema_version rows as "1,2,3": each migration must appear exactly once.
QString appliedVersions(Workspace& ws)
{
    QSqlQuery q(ws.db());
    if (!q.exec(QStringLiteral("SELECT version FROM schema_version ORDER BY version")))
        return QStringLiteral("<cannot read schema_version>");
    QStringList versions;
    while (q.next())
        versions << q.value(0).toString();
    return versions.join(QLatin1Char(','));
}

QString expectedVersions()
{
    QStringList versions;
    for (const Migration& m : workspaceMigrations())
        versions << QString::number(m.version);
    return versions.join(QLatin1Char(','));
}

int tableCount(Workspace& ws)
{
    QSqlQuery q(ws.db());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM information_schema.tables "
                               "WHERE table_schema = 'public'")) ||
        !q.next())
        return -1;
    return q.value(0).toInt();
}

} // namespace

class TestPgMigrations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void migratesFromZero();
    void reopenIsIdempotent();
    void racingOpenersMigrateOnce_data();
    void racingOpenersMigrateOnce();
};

void TestPgMigrations::initTestCase()
{
    QVERIFY2(TestDatabase::postgresAvailable(),
             "the PostgreSQL fixture is not running: run through ctest (pg_start)");
}

void TestPgMigrations::migratesFromZero()
{
    QString error;
    const QString url = TestDatabase::createPostgresDatabase(&error);
    QVERIFY2(!url.isEmpty(), qPrintable(error));
    auto ws = Workspace::open(url);
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    QCOMPARE((*ws)->dialect(), Workspace::Dialect::Postgres);
    QCOMPARE((*ws)->schemaVersion(), newestVersion());
    QCOMPARE(appliedVersions(**ws), expectedVersions());

    // The schema works through the repositories, including the generated ids.
    Mapping m;
    m.segmentId = 12;
    m.cohortName = QStringLiteral("CIO | Winback | 45-60d");
    auto first = MappingRepository(**ws).add(m);
    QVERIFY2(first.ok(), qPrintable(first.error().toString()));
    m.segmentId = 13;
    auto second = MappingRepository(**ws).add(m);
    QVERIFY2(second.ok(), qPrintable(second.error().toString()));
    QCOMPARE(*second, *first + 1);
}

void TestPgMigrations::reopenIsIdempotent()
{
    const QString url = TestDatabase::createPostgresDatabase();
    QVERIFY(!url.isEmpty());
    int tables = 0;
    {
        auto ws = Workspace::open(url);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        tables = tableCount(**ws);
        QVERIFY(tables > 1);
        Mapping m;
        m.segmentId = 5;
        m.cohortName = QStringLiteral("CIO | Repeat | 30d");
        QVERIFY(MappingRepository(**ws).add(m).ok());
    }
    for (int i = 0; i < 2; ++i) {
        auto ws = Workspace::open(url);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        QCOMPARE((*ws)->schemaVersion(), newestVersion());
        QCOMPARE(appliedVersions(**ws), expectedVersions());
        QCOMPARE(tableCount(**ws), tables);
        auto list = MappingRepository(**ws).list();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), 1);
    }
}

void TestPgMigrations::racingOpenersMigrateOnce_data()
{
    QTest::addColumn<int>("openers");
    // Several rounds: the race is in the timing, one round may miss it.
    for (int round = 1; round <= 4; ++round)
        QTest::addRow("round %d, 6 openers", round) << 6;
}

void TestPgMigrations::racingOpenersMigrateOnce()
{
    QFETCH(int, openers);
    const QString url = TestDatabase::createPostgresDatabase();
    QVERIFY(!url.isEmpty());

    // One connection per thread, opened in that thread (Qt SQL's rule), all released
    // at once so they migrate the same empty database together.
    std::latch go(openers);
    QList<QString> errors(openers);
    QList<int> versions(openers, 0);
    QString* errorOut = errors.data(); // written by the threads, one slot each
    int* versionOut = versions.data();
    std::vector<std::thread> threads;
    for (int i = 0; i < openers; ++i) {
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            auto ws = Workspace::open(url);
            if (ws.ok())
                versionOut[i] = (*ws)->schemaVersion();
            else
                errorOut[i] = ws.error().toString();
        });
    }
    for (auto& t : threads)
        t.join();
    for (int i = 0; i < openers; ++i) {
        QVERIFY2(errors[i].isEmpty(), qPrintable(errors[i]));
        QCOMPARE(versions[i], newestVersion());
    }
    auto ws = Workspace::open(url);
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    QCOMPARE(appliedVersions(**ws), expectedVersions());
}

QTEST_GUILESS_MAIN(TestPgMigrations)
#include "tst_pg_migrations.moc"
