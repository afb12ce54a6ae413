// A console sees what others change in its workspace, without a restart: a mapping
// added by the `lockstep mapping add` CLI (another process), a mapping renamed and one
// deleted through another connection (another console), a run recorded elsewhere. The
// selection survives those reloads, and the console's own edits are not reloaded twice.
// Runs on both stores: tst_sharedworkspace on SQLite (PRAGMA data_version polling) and
// tst_sharedworkspace_pg on PostgreSQL (LISTEN/NOTIFY), see tests/pg.
#include "guitestutil.h"
#include "testdatabase.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "runsmodel.h"
#include "store/runrepository.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using lockstep::test::child;
using lockstep::test::TestDatabase;

namespace {
// How long another process's change may take to show: SQLite is polled every second.
constexpr int kSeenWithinMs = 5000;
} // namespace

class TestSharedWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void mappingAddedByTheCliIsShown();
    void renameAndDeleteElsewhereAreShown();
    void runRecordedElsewhereIsShown();
    void ownEditIsReloadedOnce();

private:
    // The Cohort of the mapping with this id as the console shows it; "" when absent.
    QString shownCohort(qint64 id) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_location;
    QList<qint64> m_ids;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    MappingsPage* m_page = nullptr;
};

void TestSharedWorkspace::initTestCase()
{
    QVERIFY(installTranslations()); // the English plurals, as app/main.cpp loads them
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_sharedworkspace"));
}

void TestSharedWorkspace::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_location = TestDatabase::freshWorkspace(m_dir->path());
    QVERIFY(!m_location.isEmpty());
    m_ids =
        test::seedWorkspace(m_location, {test::mapping(11, QStringLiteral("CIO | Winback | 45-60d"),
                                                       QStringLiteral("Lapsed buyers")),
                                         test::mapping(12, QStringLiteral("CIO | Cart | 0-24h"),
                                                       QStringLiteral("Cart abandoners"))});
    QCOMPARE(m_ids.size(), 2);

    m_controller = std::make_unique<SyncController>(m_context, m_location, Credentials{});
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 2);
    m_page = child<MappingsPage>(m_window.get(), "mappingsPage");
    QVERIFY(m_page);
    // The operator has the second mapping selected throughout.
    m_page->selectMapping(m_ids[1]);
    QCOMPARE(m_page->selectedMappingIds(), QList<qint64>{m_ids[1]});
}

void TestSharedWorkspace::cleanup()
{
    m_page = nullptr;
    m_window.reset();
    m_controller.reset();
    m_dir.reset();
}

QString TestSharedWorkspace::shownCohort(qint64 id) const
{
    const MappingOverview* m = m_window->mappingsModel()->find(id);
    return m ? m->mapping.cohortName : QString();
}

void TestSharedWorkspace::mappingAddedByTheCliIsShown()
{
    QProcess cli;
    cli.start(QStringLiteral(LOCKSTEP_BIN),
              {QStringLiteral("--workspace"), m_location, QStringLiteral("mapping"),
               QStringLiteral("add"), QStringLiteral("--segment"), QStringLiteral("13"),
               QStringLiteral("--cohort"), QStringLiteral("CIO | VIP | 90d"),
               QStringLiteral("--identity"), QStringLiteral("id")});
    QVERIFY(cli.waitForFinished(30000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    const qint64 added = QString::fromUtf8(cli.readAllStandardOutput()).trimmed().toLongLong();
    QVERIFY(added > 0);

    QElapsedTimer shown;
    shown.start();
    QTRY_COMPARE_WITH_TIMEOUT(shownCohort(added), QStringLiteral("CIO | VIP | 90d"), kSeenWithinMs);
    qInfo("added by the CLI, shown after %lld ms", shown.elapsed());
    QCOMPARE(m_window->mappingsModel()->rowCount(), 3);
    QCOMPARE(m_page->selectedMappingIds(), QList<qint64>{m_ids[1]});
}

void TestSharedWorkspace::renameAndDeleteElsewhereAreShown()
{
    // Another console: its own connection to the same workspace.
    auto other = Workspace::open(m_location);
    QVERIFY2(other.ok(), qPrintable(other.error().toString()));
    MappingRepository repo(**other);

    auto selected = repo.get(m_ids[1]);
    QVERIFY(selected.ok());
    Mapping renamed = *selected;
    renamed.cohortName = QStringLiteral("CIO | Cart | 0-48h");
    QVERIFY(repo.update(renamed).ok());
    QTRY_COMPARE_WITH_TIMEOUT(shownCohort(m_ids[1]), QStringLiteral("CIO | Cart | 0-48h"),
                              kSeenWithinMs);
    QCOMPARE(m_page->selectedMappingIds(), QList<qint64>{m_ids[1]});

    QVERIFY(repo.remove(m_ids[0]).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->mappingsModel()->rowCount(), 1, kSeenWithinMs);
    QVERIFY(!m_window->mappingsModel()->find(m_ids[0]));
    QCOMPARE(m_page->selectedMappingIds(), QList<qint64>{m_ids[1]});
}

void TestSharedWorkspace::runRecordedElsewhereIsShown()
{
    QCOMPARE(m_window->runsModel()->rowCount(), 0);
    auto other = Workspace::open(m_location);
    QVERIFY2(other.ok(), qPrintable(other.error().toString()));
    auto run = RunRepository(**other).begin(m_ids[0], RunKind::Incremental,
                                            QDateTime::currentMSecsSinceEpoch());
    QVERIFY(run.ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->runsModel()->rowCount(), 1, kSeenWithinMs);
    QCOMPARE(m_window->runsModel()->runs().first().id, *run);
    QCOMPARE(m_page->selectedMappingIds(), QList<qint64>{m_ids[1]});
}

void TestSharedWorkspace::ownEditIsReloadedOnce()
{
    // The window's start-up loads (on open and on show) are over first.
    QSignalSpy startup(m_controller.get(), &SyncController::mappingsLoaded);
    while (startup.wait(1000)) {
    }
    QSignalSpy loaded(m_controller.get(), &SyncController::mappingsLoaded);
    QSignalSpy changed(m_controller.get(), &SyncController::workspaceChanged);
    QSignalSpy saved(m_controller->mappings(), &MappingRequests::saved);
    qint64 added = 0;
    m_controller->mappings()
        ->add(test::mapping(14, QStringLiteral("CIO | Repeat | 30d"),
                            QStringLiteral("Repeat buyers")))
        .then(this, [&added](qint64 id) { added = id; });
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(added, saved.first().first().toLongLong());
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 3);
    // Longer than a few polls: the console's own write is not reported back to it.
    QTest::qWait(3000);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(loaded.size(), 1);
}

QTEST_MAIN(TestSharedWorkspace)
#include "tst_sharedworkspace.moc"
