// Issue 2's end-to-end GUI test: the real sandbox on loopback, the real engine in its
// worker thread, the real main window offscreen. "Resync all" is clicked like an operator
// would, and the Runs page must show the finished runs.
#include "guitestutil.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "batcherrorsmodel.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "runsmodel.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

#include <memory>

using namespace lockstep;
using lockstep::test::child;

namespace {

constexpr int kSyncTimeoutMs = 60'000;
const QString kWinback = QStringLiteral("CIO | Winback | 45-60d");
const QString kCart = QStringLiteral("CIO | Cart | 0-24h");

QJsonObject scenario()
{
    // Two segments of a small population, and the Mixpanel cohort for the first one
    // defined on the list property the engine writes.
    return QJsonObject{
        {QStringLiteral("seed"), 7},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 600}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                {QStringLiteral("name"), QStringLiteral("Lapsed buyers")},
                                {QStringLiteral("size"), 240}},
                    QJsonObject{{QStringLiteral("id"), 2},
                                {QStringLiteral("name"), QStringLiteral("Cart abandoners")},
                                {QStringLiteral("size"), 90}}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{
             {QStringLiteral("cohorts"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                     {QStringLiteral("name"), kWinback},
                                     {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                     {QStringLiteral("value"), kWinback}}}}}},
    };
}

// The statuses of the runs the Runs page shows, by machine name.
QStringList shownStatuses(QTableView* runsView)
{
    QStringList statuses;
    QAbstractItemModel* m = runsView->model();
    for (int row = 0; row < m->rowCount(); ++row)
        statuses << m->index(row, 0).data(StatusNameRole).toString();
    return statuses;
}

} // namespace

class TestResyncAll : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void resyncAllShowsFinishedRuns();
    void resyncSelectedWithShortcut();
    void failedBatchesAreListedUnderTheRun();

private:
    void openWindow();
    void clickToolButton(const char* actionName);
    // Waits until the sync is over and the window has reloaded the history from the
    // workspace (the refresh after syncFinished), so assertions see what was stored,
    // not only what runFinished reported on the way.
    void waitForSyncAndReload();

    bool m_syncFinished = false;
    bool m_reloadedAfterSync = false;

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QList<qint64> m_mappingIds;
};

void TestResyncAll::initTestCase()
{
    QVERIFY(installTranslations()); // the English plurals, as app/main.cpp loads them
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_resyncall"));
}

void TestResyncAll::init()
{
    m_sandbox = std::make_unique<test::SandboxProcess>(scenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestResyncAll::cleanup()
{
    m_window.reset();
    m_controller.reset(); // stops the worker thread before the sandbox goes away
    m_sandbox.reset();
    m_dir.reset();
}

void TestResyncAll::openWindow()
{
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    const ConnectionSettings connection = test::connectionTo(*m_sandbox);
    m_mappingIds = test::seedWorkspace(
        path,
        {test::mapping(1, kWinback, QStringLiteral("Lapsed buyers"), IdentityKey::Email),
         test::mapping(2, kCart, QStringLiteral("Cart abandoners"), IdentityKey::Id)},
        &connection);
    QCOMPARE(m_mappingIds.size(), 2);

    m_controller = std::make_unique<SyncController>(m_context, path,
                                                    Credentials{m_sandbox->appApiKey(),
                                                                m_sandbox->projectToken(),
                                                                m_sandbox->serviceAccount()});
    m_syncFinished = m_reloadedAfterSync = false;
    connect(m_controller.get(), &SyncController::syncFinished, this,
            [this] { m_syncFinished = true; });
    connect(m_controller.get(), &SyncController::runsLoaded, this, [this] {
        if (m_syncFinished)
            m_reloadedAfterSync = true;
    });
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 2);
}

void TestResyncAll::clickToolButton(const char* actionName)
{
    auto* action = child<QAction>(m_window.get(), actionName);
    QVERIFY(action);
    auto* toolBar = child<QToolBar>(m_window.get(), "mainToolBar");
    auto* button = qobject_cast<QToolButton*>(toolBar->widgetForAction(action));
    QVERIFY(button);
    QTRY_VERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

void TestResyncAll::waitForSyncAndReload()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_syncFinished, kSyncTimeoutMs);
    QTRY_VERIFY(m_reloadedAfterSync);
    QVERIFY(!m_controller->isBusy());
}

void TestResyncAll::resyncAllShowsFinishedRuns()
{
    openWindow();
    QSignalSpy busy(m_controller.get(), &SyncController::busyChanged);
    auto* progress = child<QProgressBar>(m_window.get(), "syncProgress");
    QVERIFY(!progress->isVisible());

    clickToolButton("actionResyncAll");
    // While the engine works the cancel action is live and progress is shown.
    QTRY_VERIFY(!busy.isEmpty());
    QCOMPARE(busy.first().first().toBool(), true);

    m_window->showPage(QStringLiteral("runs"));
    auto* runsView = child<QTableView>(m_window.get(), "runsView");
    waitForSyncAndReload();
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY(runsView->isVisible());
    QCOMPARE(runsView->model()->rowCount(), 2);
    QCOMPARE(shownStatuses(runsView),
             QStringList({QStringLiteral("succeeded"), QStringLiteral("succeeded")}));
    QTRY_VERIFY(!progress->isVisible());
    QVERIFY(!child<QAction>(m_window.get(), "actionCancel")->isEnabled());

    // Each run names its mapping and counts what entered the cohort.
    QAbstractItemModel* runs = runsView->model();
    QHash<QString, qint64> enteredByCohort;
    for (int row = 0; row < runs->rowCount(); ++row)
        enteredByCohort.insert(runs->index(row, RunsModel::Mapping).data().toString(),
                               runs->index(row, RunsModel::Entered).data(SortRole).toLongLong());
    QCOMPARE(enteredByCohort.keys().size(), 2);
    QVERIFY(enteredByCohort.contains(kWinback));
    QVERIFY(enteredByCohort.contains(kCart));
    QVERIFY(enteredByCohort.value(kWinback) > 0);

    // The refresh after syncFinished updates the Mappings page too.
    QTRY_COMPARE(m_window->mappingsModel()->index(0, 0).data(StatusNameRole).toString(),
                 QStringLiteral("succeeded"));
    QTRY_COMPARE(m_window->mappingsModel()->index(1, 0).data(StatusNameRole).toString(),
                 QStringLiteral("succeeded"));

    // What the window says matches Mixpanel: the cohort holds exactly the segment.
    const QStringList expected = m_sandbox->segmentMemberKeys(1, QStringLiteral("email"));
    QVERIFY(!expected.isEmpty());
    QCOMPARE(m_sandbox->cohortMembers(1), expected);
    const int row = m_window->mappingsModel()->rowOf(m_mappingIds.first());
    QCOMPARE(m_window->mappingsModel()->index(row, MappingsModel::Size).data(SortRole).toLongLong(),
             qint64(expected.size()));

    // Selecting a run loads its batch errors: none for a clean run.
    QTest::mouseClick(runsView->viewport(), Qt::LeftButton, {},
                      runsView->visualRect(runs->index(0, 0)).center());
    const qint64 runId = runs->index(0, 0).data(RunIdRole).toLongLong();
    QTRY_COMPARE(m_window->batchErrorsModel()->runId(), runId);
    auto* empty = child<QWidget>(m_window.get(), "batchErrorsEmpty");
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(empty->findChild<QLabel*>(QStringLiteral("emptyStateText"))
                ->text()
                .contains(QStringLiteral("was delivered")));
}

void TestResyncAll::resyncSelectedWithShortcut()
{
    openWindow();
    auto* view = child<QTableView>(m_window.get(), "mappingsView");
    // Select the Cart mapping (sorted by segment: "Cart abandoners" first).
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->visualRect(view->model()->index(0, 0)).center());
    QCOMPARE(view->model()->index(0, MappingsModel::Cohort).data().toString(), kCart);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_R));

    waitForSyncAndReload();
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_window->runsModel()->rowCount(), 1);
    QCOMPARE(m_window->runsModel()->index(0, 0).data(StatusNameRole).toString(),
             QStringLiteral("succeeded"));
    QCOMPARE(m_window->runsModel()->index(0, 0).data(MappingIdRole).toLongLong(),
             m_mappingIds.at(1));
}

void TestResyncAll::failedBatchesAreListedUnderTheRun()
{
    // Mixpanel refuses every profile update (400: never retried), so every batch fails.
    m_sandbox->setFaults(QJsonArray{QJsonObject{
        {QStringLiteral("route"), QStringLiteral("mp.engage")}, {QStringLiteral("status"), 400}}});
    openWindow();
    clickToolButton("actionResyncAll");
    m_window->showPage(QStringLiteral("runs"));
    auto* runsView = child<QTableView>(m_window.get(), "runsView");
    waitForSyncAndReload();
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(runsView->model()->rowCount(), 2);
    const QStringList statuses = shownStatuses(runsView);
    QVERIFY2(!statuses.contains(QStringLiteral("succeeded")), qPrintable(statuses.join(u',')));
    QVERIFY2(!statuses.contains(QStringLiteral("running")), qPrintable(statuses.join(u',')));

    // Pick the Winback run: it had members to send, so it has failed batches.
    QAbstractItemModel* runs = runsView->model();
    int row = -1;
    for (int r = 0; r < runs->rowCount(); ++r)
        if (runs->index(r, RunsModel::Mapping).data().toString() == kWinback)
            row = r;
    QVERIFY(row >= 0);
    QVERIFY(runs->index(row, RunsModel::Failed).data(SortRole).toLongLong() > 0);
    QTest::mouseClick(runsView->viewport(), Qt::LeftButton, {},
                      runsView->visualRect(runs->index(row, 0)).center());
    auto* errorsView = child<QTableView>(m_window.get(), "batchErrorsView");
    QTRY_VERIFY(errorsView->isVisible() && errorsView->model()->rowCount() > 0);
    QVERIFY(!errorsView->model()->index(0, BatchErrorsModel::Error).data().toString().isEmpty());
}

QTEST_MAIN(TestResyncAll)
#include "tst_resyncall.moc"
