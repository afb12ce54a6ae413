// The real MainWindow on a real SyncController and a temporary workspace (no network:
// these tests load and show data, they do not sync; tst_resyncall does).
#include "guitestutil.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "runsmodel.h"
#include "screenshots.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using lockstep::test::child;

namespace {
QList<Mapping> threeMappings()
{
    return {
        test::mapping(11, QStringLiteral("CIO | Winback | 45-60d"),
                      QStringLiteral("Lapsed buyers")),
        test::mapping(12, QStringLiteral("CIO | Cart | 0-24h"), QStringLiteral("Cart abandoners")),
        test::mapping(13, QStringLiteral("CIO | VIP | 90d"), QStringLiteral("VIP repeat buyers"),
                      IdentityKey::Id)};
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void showsMappingsFromTheWorkspace();
    void filterNarrowsTheTable();
    void ctrlFFocusesTheFilter();
    void actionsFollowSelection();
    void navigationSwitchesPages();
    void emptyWorkspaceSaysHowToAddAMapping();
    void runsPageEmptyState();
    void columnLayoutIsKept();
    void firstLaunchFitsTheScreen();
    void geometryIsRestored();
    void screenshotsOfEveryPage();
    void workspaceErrorIsShown();

private:
    // A window over a workspace with three mappings, shown and loaded.
    void openWindow(const QList<Mapping>& mappings);

    std::unique_ptr<QTemporaryDir> m_dir;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(installTranslations()); // the English plurals, as app/main.cpp loads them
    // Keep QSettings (window layout) away from the user's real configuration.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

void TestMainWindow::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_controller.reset();
    m_dir.reset();
}

void TestMainWindow::openWindow(const QList<Mapping>& mappings)
{
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    const QList<qint64> ids = test::seedWorkspace(path, mappings);
    QCOMPARE(ids.size(), mappings.size());
    m_controller = std::make_unique<SyncController>(m_context, path, Credentials{});
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), mappings.size());
}

void TestMainWindow::showsMappingsFromTheWorkspace()
{
    openWindow(threeMappings());
    auto* view = child<QTableView>(m_window.get(), "mappingsView");
    QVERIFY(view);
    QTRY_COMPARE(view->model()->rowCount(), 3);
    QVERIFY(view->isVisible());
    QVERIFY(!child<QWidget>(m_window.get(), "mappingsEmpty")->isVisible());
    QCOMPARE(child<QLabel>(m_window.get(), "mappingsCount")->text(), QStringLiteral("3 mappings"));

    // Sorted by segment name; every mapping has never synced yet.
    QAbstractItemModel* m = view->model();
    QCOMPARE(m->index(0, MappingsModel::Segment).data().toString(),
             QStringLiteral("Cart abandoners"));
    QCOMPARE(m->index(2, MappingsModel::Segment).data().toString(),
             QStringLiteral("VIP repeat buyers"));
    QCOMPARE(m->index(2, MappingsModel::Identity).data().toString(), QStringLiteral("id"));
    for (int row = 0; row < 3; ++row)
        QCOMPARE(m->index(row, 0).data(StatusNameRole).toString(), QStringLiteral("never_synced"));
    // Sorting by clicking a header: cohort, descending after two clicks.
    QHeaderView* header = view->horizontalHeader();
    const int x = header->sectionViewportPosition(MappingsModel::Cohort) + 10;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    QCOMPARE(m->index(0, MappingsModel::Cohort).data().toString(),
             QStringLiteral("CIO | Cart | 0-24h"));
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    QCOMPARE(m->index(0, MappingsModel::Cohort).data().toString(),
             QStringLiteral("CIO | Winback | 45-60d"));
}

void TestMainWindow::filterNarrowsTheTable()
{
    openWindow(threeMappings());
    auto* filter = child<QLineEdit>(m_window.get(), "mappingsFilter");
    auto* view = child<QTableView>(m_window.get(), "mappingsView");
    QTest::keyClicks(filter, QStringLiteral("winBACK"));
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, MappingsModel::Segment).data().toString(),
             QStringLiteral("Lapsed buyers"));
    QCOMPARE(child<QLabel>(m_window.get(), "mappingsCount")->text(),
             QStringLiteral("1 of 3 mappings"));
    filter->clear();
    QCOMPARE(view->model()->rowCount(), 3);
    // The identity key column is searched too.
    QTest::keyClicks(filter, QStringLiteral("email"));
    QCOMPARE(view->model()->rowCount(), 2);
}

void TestMainWindow::ctrlFFocusesTheFilter()
{
    openWindow(threeMappings());
    QVERIFY(m_window->showPage(QStringLiteral("runs")));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_F));
    QCOMPARE(m_window->currentPageKey(), QStringLiteral("mappings"));
    QTRY_VERIFY(child<QLineEdit>(m_window.get(), "mappingsFilter")->hasFocus());
}

void TestMainWindow::actionsFollowSelection()
{
    openWindow(threeMappings());
    auto* selected = child<QAction>(m_window.get(), "actionResyncSelected");
    auto* all = child<QAction>(m_window.get(), "actionResyncAll");
    auto* cancel = child<QAction>(m_window.get(), "actionCancel");
    QVERIFY(selected && all && cancel && child<QAction>(m_window.get(), "actionDryRun") &&
            child<QAction>(m_window.get(), "actionRefresh"));
    QCOMPARE(selected->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    QCOMPARE(all->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    QCOMPARE(cancel->shortcut(), QKeySequence(Qt::Key_Escape));

    QVERIFY(!selected->isEnabled()); // nothing selected
    QVERIFY(all->isEnabled());
    QVERIFY(!cancel->isEnabled()); // nothing running

    auto* view = child<QTableView>(m_window.get(), "mappingsView");
    const QRect row1 = view->visualRect(view->model()->index(1, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, row1.center());
    QVERIFY(selected->isEnabled());
    view->clearSelection();
    QVERIFY(!selected->isEnabled());
}

void TestMainWindow::navigationSwitchesPages()
{
    openWindow(threeMappings());
    auto* nav = child<QListWidget>(m_window.get(), "navigation");
    auto* pages = child<QStackedWidget>(m_window.get(), "pages");
    const QStringList expected = {QStringLiteral("mappings"), QStringLiteral("health"),
                                  QStringLiteral("overlap"),  QStringLiteral("identity"),
                                  QStringLiteral("audit"),    QStringLiteral("runs")};
    QCOMPARE(m_window->pageKeys(), expected);
    QCOMPARE(nav->count(), expected.size());
    for (int i = 0; i < nav->count(); ++i) {
        const QRect r = nav->visualItemRect(nav->item(i));
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, r.center());
        QCOMPARE(pages->currentWidget()->objectName(), expected[i] + QStringLiteral("Page"));
        QCOMPARE(m_window->currentPageKey(), expected[i]);
    }
    // Pages without data yet say what will appear there and what to do.
    m_window->showPage(QStringLiteral("health"));
    auto* empty = child<QWidget>(m_window.get(), "healthEmpty");
    QTRY_VERIFY(empty && empty->isVisible());
    auto* text = empty->findChild<QLabel*>(QStringLiteral("emptyStateText"));
    QVERIFY(text && text->text().contains(QStringLiteral("size point")));
    QVERIFY(!m_window->showPage(QStringLiteral("nowhere")));
}

void TestMainWindow::emptyWorkspaceSaysHowToAddAMapping()
{
    openWindow({});
    // Wait for the (empty) load to have happened: the refresh is asynchronous.
    QTest::qWait(200);
    auto* empty = child<QWidget>(m_window.get(), "mappingsEmpty");
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(!child<QTableView>(m_window.get(), "mappingsView")->isVisible());
    auto* text = empty->findChild<QLabel*>(QStringLiteral("emptyStateText"));
    QVERIFY(text->text().contains(QStringLiteral("lockstep mapping add")));
    QVERIFY(!child<QAction>(m_window.get(), "actionResyncAll")->isEnabled());
}

void TestMainWindow::runsPageEmptyState()
{
    openWindow(threeMappings());
    m_window->showPage(QStringLiteral("runs"));
    QCOMPARE(m_window->runsModel()->rowCount(), 0);
    QTRY_VERIFY(child<QWidget>(m_window.get(), "runsEmpty")->isVisible());
    QVERIFY(!child<QTableView>(m_window.get(), "runsView")->isVisible());
    QVERIFY(child<QWidget>(m_window.get(), "batchErrorsEmpty")->isVisible());
}

void TestMainWindow::columnLayoutIsKept()
{
    openWindow(threeMappings());
    auto* view = child<QTableView>(m_window.get(), "mappingsView");
    view->setColumnWidth(MappingsModel::Cohort, 321);
    m_window->showPage(QStringLiteral("runs"));
    m_window->close(); // saves the layout
    m_window.reset();

    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QCOMPARE(child<QTableView>(m_window.get(), "mappingsView")->columnWidth(MappingsModel::Cohort),
             321);
    QCOMPARE(m_window->currentPageKey(), QStringLiteral("runs"));
}

void TestMainWindow::firstLaunchFitsTheScreen()
{
    openWindow(threeMappings()); // init() cleared the saved layout: a first launch
    const QRect available = m_window->screen()->availableGeometry();
    QVERIFY2(m_window->width() >= available.width() * 85 / 100,
             qPrintable(QStringLiteral("%1 of %2").arg(m_window->width()).arg(available.width())));
    QVERIFY2(
        m_window->height() >= available.height() * 85 / 100,
        qPrintable(QStringLiteral("%1 of %2").arg(m_window->height()).arg(available.height())));
    QVERIFY(m_window->width() <= available.width());
    QVERIFY(m_window->height() <= available.height());
}

void TestMainWindow::geometryIsRestored()
{
    openWindow(threeMappings());
    m_window->resize(790, 500);
    m_window->close(); // saves the layout
    m_window.reset();

    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCOMPARE(m_window->size(), QSize(790, 500));
}

void TestMainWindow::screenshotsOfEveryPage()
{
    openWindow(threeMappings());
    const QString dir = m_dir->filePath(QStringLiteral("shots"));
    const QStringList files = saveScreenshots(*m_window, dir);
    QCOMPARE(files.size(), m_window->pageKeys().size());
    for (const QString& key : m_window->pageKeys()) {
        const QImage image(dir + QLatin1Char('/') + key + QStringLiteral(".png"));
        QVERIFY2(!image.isNull(), qPrintable(key));
        QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
    }
}

void TestMainWindow::workspaceErrorIsShown()
{
    // A directory is not a database: the engine reports it and the window says so.
    m_controller = std::make_unique<SyncController>(m_context, m_dir->path(), Credentials{});
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    m_controller->start();
    auto* banner = child<QWidget>(m_window.get(), "messageBanner");
    QTRY_VERIFY(banner->isVisible());
    QVERIFY(!child<QLabel>(m_window.get(), "messageBannerText")->text().isEmpty());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
