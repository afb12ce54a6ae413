// The workspace: migrations, mappings, settings, runs and the snapshot journal.
// Runs on both stores: tst_workspace on SQLite, tst_workspace_pg on PostgreSQL (tests/pg);
// TestDatabase::freshWorkspace() gives each test a new file or database.
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "testdatabase.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using lockstep::test::TestDatabase;

class TestWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsAndReopens();
    void rejectsBadMappings_data();
    void rejectsBadMappings();
    void sqlMetacharactersAreData();
    void settingsRoundTrip();
    void snapshotAdvancesOnlyOnAck();
    void notAWorkspace();
    void rejectsPasswordInUrl();

private:
    QTemporaryDir m_dir;
};

void TestWorkspace::createsAndReopens()
{
    // SQLite: the file's folders are created too.
    const QString path = TestDatabase::usingPostgres()
                             ? TestDatabase::freshWorkspace(m_dir.path())
                             : m_dir.filePath(QStringLiteral("sub/dir/w.sqlite"));
    {
        auto ws = Workspace::open(path);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        QVERIFY((*ws)->schemaVersion() >= 1);
        Mapping m;
        m.segmentId = 7;
        m.cohortName = QStringLiteral("CIO | Winback | 45-60d");
        auto id = MappingRepository(**ws).add(m);
        QVERIFY2(id.ok(), qPrintable(id.error().toString()));
        QCOMPARE(*id, 1);
    }
    auto ws = Workspace::open(path);
    QVERIFY(ws.ok());
    auto list = MappingRepository(**ws).list();
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().cohortName, QStringLiteral("CIO | Winback | 45-60d"));
    QCOMPARE(list->first().listProperty, QStringLiteral("cio_cohorts"));
    QVERIFY(MappingRepository(**ws).remove(1).ok());
    QCOMPARE(MappingRepository(**ws).list()->size(), 0);
    QCOMPARE(MappingRepository(**ws).get(1).error().category, SyncError::Category::NotFound);
}

void TestWorkspace::rejectsBadMappings_data()
{
    QTest::addColumn<qint64>("segment");
    QTest::addColumn<QString>("cohort");
    QTest::addColumn<QString>("property");
    QTest::addColumn<int>("mode");
    QTest::newRow("no segment") << qint64(0) << "A" << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("negative segment") << qint64(-4) << "A" << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("empty cohort") << qint64(1) << "  " << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("long cohort") << qint64(1) << QString(300, QLatin1Char('a')) << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("control char") << qint64(1) << "A\tB" << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("reserved property") << qint64(1) << "A" << "$email" << int(SyncMode::List);
    QTest::newRow("empty property") << qint64(1) << "A" << "" << int(SyncMode::List);
    QTest::newRow("reserved flag") << qint64(1) << "$A" << "cio_cohorts" << int(SyncMode::Flag);
}

void TestWorkspace::rejectsBadMappings()
{
    QFETCH(qint64, segment);
    QFETCH(QString, cohort);
    QFETCH(QString, property);
    QFETCH(int, mode);
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    Mapping m;
    m.segmentId = segment;
    m.cohortName = cohort;
    m.listProperty = property;
    m.mode = SyncMode(mode);
    auto id = MappingRepository(**ws).add(m);
    QVERIFY(!id.ok());
    QCOMPARE(id.error().category, SyncError::Category::Config);
    QVERIFY(!id.error().message.isEmpty());
}

void TestWorkspace::sqlMetacharactersAreData()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    Mapping m;
    m.segmentId = 3;
    m.cohortName = QStringLiteral("x'); DROP TABLE mappings; -- \"ü\" 😀");
    m.owner = QStringLiteral("O'Brien");
    auto id = MappingRepository(**ws).add(m);
    QVERIFY(id.ok());
    auto back = MappingRepository(**ws).get(*id);
    QVERIFY(back.ok());
    QCOMPARE(back->cohortName, m.cohortName);
    QCOMPARE(back->owner, m.owner);
}

void TestWorkspace::settingsRoundTrip()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    SettingsRepository settings(**ws);
    QVERIFY(!settings.connection()->isComplete());
    auto eu = ConnectionSettings::forRegion(QStringLiteral("eu"), 99);
    QVERIFY(eu);
    QVERIFY(settings.setConnection(*eu).ok());
    auto back = settings.connection();
    QVERIFY(back.ok());
    QCOMPARE(back->customerIoUrl, QStringLiteral("https://api-eu.customer.io"));
    QCOMPARE(back->mixpanelQueryUrl, QStringLiteral("https://eu.mixpanel.com/api/query"));
    QCOMPARE(back->projectId, 99);
    QVERIFY(!ConnectionSettings::forRegion(QStringLiteral("mars"), 1));
}

void TestWorkspace::snapshotAdvancesOnlyOnAck()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    SnapshotStore store(**ws);
    auto runId = RunRepository(**ws).begin(1, RunKind::Incremental, 1000);
    QVERIFY(runId.ok());
    JournalBatch add{0, JournalBatch::Op::Add, QByteArray("a\nb\nc"), 3};
    JournalBatch add2{1, JournalBatch::Op::Add, QByteArray("d\ne"), 2};
    QVERIFY(store.plan(*runId, 1, {add, add2}).ok());
    QCOMPARE(*store.count(1), 0);
    QCOMPARE(store.open(*runId)->size(), 2);

    QVERIFY(store.acknowledge(*runId, 1, add).ok());
    QVERIFY(store.fail(*runId, 1, QStringLiteral("server error")).ok());
    QCOMPARE(*store.count(1), 3);
    QCOMPARE(store.open(*runId)->size(), 0);
    auto errors = RunRepository(**ws).batchErrors(*runId);
    QCOMPARE(errors->size(), 1);
    QCOMPARE(errors->first().size, 2);

    // Acknowledging twice is harmless; removal applies.
    QVERIFY(store.acknowledge(*runId, 1, add).ok());
    JournalBatch rm{2, JournalBatch::Op::Remove, QByteArray("b"), 1};
    QVERIFY(store.plan(*runId, 1, {rm}).ok());
    QVERIFY(store.acknowledge(*runId, 1, rm).ok());
    const MemberSet snap = *store.load(1);
    QCOMPARE(snap.size(), size_t(2));
    QVERIFY(snap.contains("a"));
    QVERIFY(!snap.contains("b"));
    QCOMPARE(*store.count(2), 0); // per mapping
}

void TestWorkspace::notAWorkspace()
{
    // A damaged SQLite file; store-independent, so it runs in both variants.
    const QString path = m_dir.filePath(QStringLiteral("garbage.sqlite"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
    f.close();
    auto ws = Workspace::open(path);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().category, SyncError::Category::Storage);
    QVERIFY2(ws.error().message.contains(path), qPrintable(ws.error().message));
}

void TestWorkspace::rejectsPasswordInUrl()
{
    auto ws = Workspace::open(QStringLiteral("postgresql://bob:hunter2@localhost/db"));
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().category, SyncError::Category::Config);
    QVERIFY(!ws.error().message.contains(QStringLiteral("hunter2")));
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
