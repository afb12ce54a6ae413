// End-to-end GUI tests of syncing every mapping: the real sandbox on loopback, the real
// engine in its worker thread, the real main window offscreen. "Resync all" is clicked
// like an operator would: it asks first (the mappings and their people), and the Runs page
// shows the finished runs; a run in flight shows what it is doing in its Mappings row.
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
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

#include <algorithm>
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

// One segment large enough for several pages and batches (the first sync sends 5000 people,
// Mixpanel takes at most 2000 a request).
QJsonObject bigScenario()
{
    QJsonObject s = scenario();
    s.insert(QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 6000}});
    s.insert(QStringLiteral("segments"),
             QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                    {QStringLiteral("name"), QStringLiteral("Lapsed buyers")},
                                    {QStringLiteral("size"), 5000}},
                        QJsonObject{{QStringLiteral("id"), 2},
                                    {QStringLiteral("name"), QStringLiteral("Cart abandoners")},
                                    {QStringLiteral("size"), 90}}});
    return s;
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
    void resyncAllAsksFirst();
    void resyncSelectedWithShortcut();
    void failedBatchesAreListedUnderTheRun();
    void resyncAllNamesTenAndCountsTheRest();
    void runInFlightShowsInItsRow();
    void rowUpdatesAreThrottled();

private:
    void openWindow(EngineContext::Setup setup = EngineContext::Setup::fromEnvironment(),
                    const QList<Mapping>& mappings = {});
    void clickToolButton(const char* actionName);
    // The question Resync all asks, once it shows.
    QMessageBox* confirmation();
    // Clicks Resync all and confirms it.
    void resyncAllConfirmed();
    // Waits until the sync is over and the window has reloaded the history from the
    // workspace (the refresh after syncFinished), so assertions see what was stored,
    // not only what runFinished reported on the way.
    void waitForSyncAndReload();

    bool m_syncFinished = false;
    bool m_reloadedAfterSync = false;

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<EngineContext> m_context; // outlives the controller
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
    m_context.reset();
    m_sandbox.reset();
    m_dir.reset();
}

void TestResyncAll::openWindow(EngineContext::Setup setup, const QList<Mapping>& mappings)
{
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    const ConnectionSettings connection = test::connectionTo(*m_sandbox);
    const QList<Mapping> seeded =
        !mappings.isEmpty()
            ? mappings
            : QList<Mapping>{
                  test::mapping(1, kWinback, QStringLiteral("Lapsed buyers"), IdentityKey::Email),
                  test::mapping(2, kCart, QStringLiteral("Cart abandoners"), IdentityKey::Id)};
    m_mappingIds = test::seedWorkspace(path, seeded, &connection);
    QCOMPARE(m_mappingIds.size(), seeded.size());

    m_context = std::make_unique<EngineContext>(std::move(setup));
    m_controller = std::make_unique<SyncController>(*m_context, path,
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
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), int(seeded.size()));
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

QMessageBox* TestResyncAll::confirmation()
{
    QMessageBox* box = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] {
            box = m_window->findChild<QMessageBox*>(QStringLiteral("confirmResyncAll"));
            return box && box->isVisible();
        },
        5000);
    return shown ? box : nullptr;
}

void TestResyncAll::resyncAllConfirmed()
{
    clickToolButton("actionResyncAll");
    QMessageBox* box = confirmation();
    QVERIFY(box);
    QTest::mouseClick(child<QPushButton>(box, "confirmResyncAllYes"), Qt::LeftButton);
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

    resyncAllConfirmed();
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
    resyncAllConfirmed();
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

void TestResyncAll::resyncAllAsksFirst()
{
    openWindow();
    QSignalSpy started(m_controller.get(), &SyncController::syncStarted);
    m_sandbox->resetStats();

    // Neither mapping was synced yet: named, with no figure to give.
    clickToolButton("actionResyncAll");
    QMessageBox* box = confirmation();
    QVERIFY(box);
    QCOMPARE(box->text(), QStringLiteral("Send the changes of all 2 active mappings to Mixpanel?"));
    QString info = box->informativeText();
    QVERIFY2(info.contains(kWinback + QStringLiteral(" — size not known yet")), qPrintable(info));
    QVERIFY2(info.contains(kCart + QStringLiteral(" — size not known yet")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("2 mappings never synced")), qPrintable(info));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<QMessageBox*>(QStringLiteral("confirmResyncAll")));
    QTest::qWait(500); // a sync request would have been announced by now
    QCOMPARE(started.size(), 0);
    QVERIFY(!m_controller->isBusy());
    // Nothing was read for a sync, nothing was written to Mixpanel.
    const QJsonObject stats = m_sandbox->stats();
    const QStringList routes = stats.value(QStringLiteral("routes")).toObject().keys();
    for (const QString& route : routes)
        QVERIFY2(route != QStringLiteral("cio.membership") &&
                     (!route.startsWith(QStringLiteral("mp.")) ||
                      route.startsWith(QStringLiteral("mp.query"))),
                 qPrintable(route));
    QCOMPARE(
        stats.value(QStringLiteral("engage")).toObject().value(QStringLiteral("updates")).toInt(),
        0);
    QVERIFY(m_sandbox->cohortMembers(1).isEmpty());

    // Yes runs them.
    resyncAllConfirmed();
    waitForSyncAndReload();
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(started.size(), 1);
    QCOMPARE(m_window->runsModel()->rowCount(), 2);
    QCOMPARE(m_sandbox->cohortMembers(1), m_sandbox->segmentMemberKeys(1, QStringLiteral("email")));

    // Asked again, the question gives each cohort's people and their sum.
    MappingsModel* model = m_window->mappingsModel();
    qint64 people = 0;
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row) {
        const qint64 size = model->index(row, MappingsModel::Size).data(SortRole).toLongLong();
        QVERIFY(size > 0);
        people += size;
        lines << QStringLiteral("%1 — %2 people")
                     .arg(model->index(row, MappingsModel::Cohort).data().toString(),
                          QLocale().toString(size));
    }
    clickToolButton("actionResyncAll");
    QVERIFY((box = confirmation()));
    info = box->informativeText();
    QVERIFY2(info.startsWith(QStringLiteral("About %1 people were in these cohorts")
                                 .arg(QLocale().toString(people))),
             qPrintable(info));
    for (const QString& line : lines)
        QVERIFY2(info.contains(line), qPrintable(info + QStringLiteral(" / ") + line));
    QVERIFY2(!info.contains(QStringLiteral("not known")), qPrintable(info));
    // Escape is Cancel too.
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->findChild<QMessageBox*>(QStringLiteral("confirmResyncAll")));
    QTest::qWait(300);
    QCOMPARE(started.size(), 1);
}

void TestResyncAll::resyncAllNamesTenAndCountsTheRest()
{
    QList<Mapping> many;
    for (int i = 1; i <= 12; ++i)
        many << test::mapping(1 + i % 2, QStringLiteral("CIO | Test %1 | 30d").arg(i));
    many[11].paused = true; // paused mappings are not synced, and not listed
    openWindow(EngineContext::Setup::fromEnvironment(), many);
    clickToolButton("actionResyncAll");
    QMessageBox* box = confirmation();
    QVERIFY(box);
    QCOMPARE(box->text(),
             QStringLiteral("Send the changes of all 11 active mappings to Mixpanel?"));
    const QString info = box->informativeText();
    QCOMPARE(info.count(QStringLiteral("• ")), 11); // ten mappings and the rest
    QVERIFY2(info.endsWith(QStringLiteral("• … and 1 more")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("CIO | Test 10 | 30d")), qPrintable(info));
    QVERIFY2(!info.contains(QStringLiteral("CIO | Test 12 | 30d")), qPrintable(info));
    QCOMPARE(child<QPushButton>(box, "confirmResyncAllYes")->text(),
             QStringLiteral("Resync 11 mappings"));
    box->reject();
}

void TestResyncAll::runInFlightShowsInItsRow()
{
    // A slow network: small pages read one by one, batches sent one at a time, each
    // answered late, so the run can be watched.
    m_sandbox = std::make_unique<test::SandboxProcess>(bigScenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_sandbox->setFaults(
        QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("cio.membership")},
                               {QStringLiteral("latency_ms"), 150}},
                   QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.engage")},
                               {QStringLiteral("latency_ms"), 700}}});
    EngineContext::Setup setup = EngineContext::Setup::fromEnvironment();
    setup.options.pageSize = 500;
    setup.options.sendConcurrency = 1;
    setup.options.parallelMappings = 1;
    setup.options.runsInFlight = 1;
    openWindow(std::move(setup));
    MappingsModel* model = m_window->mappingsModel();
    const qint64 id = m_mappingIds.first(); // Winback: 5000 people, 10 pages
    auto cell = [model, id](int column, int role = Qt::DisplayRole) {
        return model->index(model->rowOf(id), column).data(role);
    };
    QCOMPARE(cell(MappingsModel::LastSync).toString(), QStringLiteral("never"));

    // What the row said while the run was in flight, in order.
    QStringList seen;
    const auto watch = connect(model, &QAbstractItemModel::dataChanged, this, [&] {
        const QString text = cell(MappingsModel::LastSync).toString();
        if (seen.isEmpty() || seen.last() != text)
            seen << text;
    });
    const auto unwatch = qScopeGuard([watch] { QObject::disconnect(watch); });
    m_controller->syncMappings({id});
    const QRegularExpression sending(
        QStringLiteral("^Syncing: sending, (\\d+) of (\\d+) batch(es)? sent, (\\d+) pages read$"));
    QRegularExpressionMatch match;
    const auto dump = qScopeGuard([&] {
        if (QTest::currentTestFailed())
            qWarning("the row said: %s", qPrintable(seen.join(QStringLiteral(" | "))));
    });
    QTRY_VERIFY_WITH_TIMEOUT(
        (match = sending.match(cell(MappingsModel::LastSync).toString())).hasMatch() &&
            match.captured(1).toInt() >= 1,
        kSyncTimeoutMs);
    QVERIFY2(match.captured(4).toInt() >= 10, qPrintable(match.captured(0))); // 500 a page
    QVERIFY(match.captured(1).toInt() <= match.captured(2).toInt());
    QVERIFY(match.captured(2).toInt() >= 3);
    QCOMPARE(cell(MappingsModel::Status).toString(), QStringLiteral("Running"));
    QCOMPARE(cell(MappingsModel::Status, StatusNameRole).toString(), QStringLiteral("running"));
    QCOMPARE(cell(MappingsModel::Status, StatusToneRole).toInt(), int(StatusTone::Busy));
    // The Runs page lists the same run live, saying the same.
    const int runRow = [&] {
        for (int r = 0; r < m_window->runsModel()->rowCount(); ++r)
            if (m_window->runsModel()->index(r, 0).data(StatusNameRole).toString() ==
                QLatin1String("running"))
                return r;
        return -1;
    }();
    QVERIFY(runRow >= 0);
    QVERIFY2(m_window->runsModel()->runs()[runRow].message.startsWith(
                 QStringLiteral("In progress — sending, ")),
             qPrintable(m_window->runsModel()->runs()[runRow].message));

    waitForSyncAndReload();
    if (QTest::currentTestFailed())
        return;
    // Over: the row's own figures again (the time once the verdicts are reloaded).
    QVERIFY(!model->progress(id));
    const QRegularExpression time(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$"));
    QTRY_VERIFY(time.match(cell(MappingsModel::LastSync).toString()).hasMatch());
    const QString lastSync = cell(MappingsModel::LastSync).toString();
    QCOMPARE(cell(MappingsModel::Status, StatusNameRole).toString(), QStringLiteral("succeeded"));
    QCOMPARE(cell(MappingsModel::Size, SortRole).toLongLong(),
             qint64(m_sandbox->segmentMemberKeys(1, QStringLiteral("email")).size()));
    // It read before it sent, and each batch was counted as it was acknowledged.
    const QRegularExpression reading(QStringLiteral("^Syncing: reading, (\\d+) pages? read"));
    const auto firstReading = std::find_if(
        seen.cbegin(), seen.cend(), [&](const QString& t) { return reading.match(t).hasMatch(); });
    QVERIFY2(firstReading != seen.cend(), qPrintable(seen.join(u'\n')));
    QList<int> sent;
    for (const QString& t : std::as_const(seen))
        if (const auto m = sending.match(t); m.hasMatch())
            sent << m.captured(1).toInt();
    QVERIFY2(sent.size() >= 2 && std::is_sorted(sent.cbegin(), sent.cend()) &&
                 sent.first() < sent.last(),
             qPrintable(seen.join(u'\n')));
    QCOMPARE(seen.last(), lastSync);
}

void TestResyncAll::rowUpdatesAreThrottled()
{
    openWindow();
    MappingsModel* model = m_window->mappingsModel();
    const qint64 id = m_mappingIds.first();
    const int row = model->rowOf(id);
    // Each report says something new, so every change of the cell is one update shown.
    int updates = 0;
    QString shown = model->index(row, MappingsModel::LastSync).data().toString();
    const auto watch = connect(model, &QAbstractItemModel::dataChanged, this, [&] {
        const QString text = model->index(row, MappingsModel::LastSync).data().toString();
        if (text != shown) {
            shown = text;
            ++updates;
        }
    });
    const auto unwatch = qScopeGuard([watch] { QObject::disconnect(watch); });
    // The engine's reports as a fast run sends them: a burst, then one every 2 ms for a
    // second (500 a second). The row changes at most ten times a second.
    SyncProgress p;
    p.mappingId = id;
    p.phase = QStringLiteral("reading");
    for (int i = 1; i <= 300; ++i) {
        p.pagesRead = i;
        Q_EMIT m_controller->progress(p);
    }
    QCOMPARE(updates, 0); // nothing shown synchronously
    QTRY_COMPARE(model->index(row, MappingsModel::LastSync).data().toString(),
                 QStringLiteral("Syncing: reading, 300 pages read"));
    QCOMPARE(updates, 1); // the burst, once
    updates = 0;
    QElapsedTimer clock;
    clock.start();
    p.phase = QStringLiteral("sending");
    p.batchesPlanned = 1000;
    int sent = 0;
    while (clock.elapsed() < 1000) {
        p.batchesSent = ++sent;
        Q_EMIT m_controller->progress(p);
        QTest::qWait(2);
    }
    const qint64 elapsed = clock.elapsed();
    QTRY_COMPARE(model->index(row, MappingsModel::LastSync).data().toString(),
                 QStringLiteral("Syncing: sending, %1 of %2 batches sent, 300 pages read")
                     .arg(QLocale().toString(sent), QLocale().toString(1000)));
    QVERIFY2(sent > 100, qPrintable(QString::number(sent)));
    QVERIFY2(updates <= elapsed / MainWindow::kProgressIntervalMs + 2,
             qPrintable(QStringLiteral("%1 updates for %2 reports in %3 ms")
                            .arg(QString::number(updates), QString::number(sent),
                                 QString::number(elapsed))));
    QVERIFY(updates >= 3); // and it does keep up
}

QTEST_MAIN(TestResyncAll)
#include "tst_resyncall.moc"
