// ChangeWatcher: what another connection writes to the workspace is reported, once per
// burst, by table; the watcher's own connection's writes, tables nobody shows, and
// writes already marked seen are not.
// Runs on both stores: tst_changewatcher on SQLite (PRAGMA data_version polling) and
// tst_changewatcher_pg on PostgreSQL (LISTEN/NOTIFY), see tests/pg.
#include "store/changewatcher.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/workspace.h"
#include "testdatabase.h"

#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using lockstep::test::TestDatabase;

namespace {
constexpr int kPollMs = 200;

Mapping mapping(qint64 segmentId)
{
    Mapping m;
    m.segmentId = segmentId;
    m.cohortName = QStringLiteral("CIO | Watched %1 | 30d").arg(segmentId);
    return m;
}

// Every table named by the spy's emissions.
QSet<QString> reported(const QSignalSpy& spy)
{
    QSet<QString> tables;
    for (const QList<QVariant>& args : spy)
        for (const QString& t : args.at(0).toStringList())
            tables.insert(t);
    return tables;
}
} // namespace

class TestChangeWatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void reportsWhatAnotherConnectionWrote();
    void burstIsReportedOnce();
    void ownAndSeenWritesAreNotReported();
    void untrackedTablesAreNotReported();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_mine;  // the console's connection, watched
    std::unique_ptr<Workspace> m_other; // another console or runner
    std::unique_ptr<ChangeWatcher> m_watcher;
};

void TestChangeWatcher::init()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!location.isEmpty());
    auto mine = Workspace::open(location);
    QVERIFY2(mine.ok(), qPrintable(mine.error().toString()));
    m_mine = std::move(*mine);
    auto other = Workspace::open(location);
    QVERIFY2(other.ok(), qPrintable(other.error().toString()));
    m_other = std::move(*other);
    m_watcher = std::make_unique<ChangeWatcher>(*m_mine);
    m_watcher->start(kPollMs);
    if (m_mine->dialect() == Workspace::Dialect::Postgres)
        QVERIFY(m_watcher->isListening());
}

void TestChangeWatcher::cleanup()
{
    m_watcher.reset();
    m_other.reset();
    m_mine.reset();
}

void TestChangeWatcher::reportsWhatAnotherConnectionWrote()
{
    QSignalSpy spy(m_watcher.get(), &ChangeWatcher::changed);
    auto id = MappingRepository(*m_other).add(mapping(1));
    QVERIFY(id.ok());
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(reported(spy), QSet<QString>{QStringLiteral("mappings")});

    spy.clear();
    QVERIFY(RunRepository(*m_other).begin(*id, RunKind::Incremental, 1000).ok());
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(reported(spy), QSet<QString>{QStringLiteral("runs")});

    spy.clear();
    QVERIFY(MappingRepository(*m_other).remove(*id).ok());
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(reported(spy), QSet<QString>{QStringLiteral("mappings")});
}

void TestChangeWatcher::burstIsReportedOnce()
{
    QSignalSpy spy(m_watcher.get(), &ChangeWatcher::changed);
    auto id = MappingRepository(*m_other).add(mapping(2));
    QVERIFY(id.ok());
    for (int i = 0; i < 40; ++i)
        QVERIFY(RunRepository(*m_other).begin(*id, RunKind::Incremental, 1000 + i).ok());
    QTRY_VERIFY(reported(spy).contains(QStringLiteral("runs")));
    QTest::qWait(3 * kPollMs + 300);
    QCOMPARE(reported(spy), (QSet<QString>{QStringLiteral("mappings"), QStringLiteral("runs")}));
    // 41 commits: one report, two when a poll or the coalescing window fell inside.
    QVERIFY2(spy.size() <= 2, qPrintable(QString::number(spy.size())));
}

void TestChangeWatcher::ownAndSeenWritesAreNotReported()
{
    QSignalSpy spy(m_watcher.get(), &ChangeWatcher::changed);
    // The watched connection's own write: its owner knows, nothing is reported.
    auto id = MappingRepository(*m_mine).add(mapping(3));
    QVERIFY(id.ok());
    QTest::qWait(3 * kPollMs + 300);
    QCOMPARE(spy.size(), 0);
    // The owner reloads mappings and marks them seen; later news is only the runs.
    m_watcher->markSeen({QStringLiteral("mappings")});
    QVERIFY(RunRepository(*m_other).begin(*id, RunKind::Incremental, 1000).ok());
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(reported(spy), QSet<QString>{QStringLiteral("runs")});

    // Another connection's write that the owner read before the notice came.
    spy.clear();
    QVERIFY(MappingRepository(*m_other).add(mapping(4)).ok());
    m_watcher->markSeen();
    QTest::qWait(3 * kPollMs + 300);
    QCOMPARE(spy.size(), 0);
}

void TestChangeWatcher::untrackedTablesAreNotReported()
{
    QSignalSpy spy(m_watcher.get(), &ChangeWatcher::changed);
    QVERIFY(SettingsRepository(*m_other)
                .setValue(QStringLiteral("naming.pattern"), QStringLiteral("x"))
                .ok());
    QTest::qWait(3 * kPollMs + 300);
    QCOMPARE(spy.size(), 0);
}

QTEST_GUILESS_MAIN(TestChangeWatcher)
#include "tst_changewatcher.moc"
