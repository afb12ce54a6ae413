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
#include "settingsdialog.h"
#include "tableviews.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QGraphicsView>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>
#include <numeric>

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
    void layoutRestoredPerPage();
    void keyColumnsVisibleAt1280();
    void everyActionHasAKeyboardPath();
    void everyControlHasAnAccessibleName();
    void longTextsElideWithToolTips();
    void firstLaunchFitsTheScreen();
    void geometryIsRestored();
    void screenshotsOfEveryPage();
    void workspaceErrorIsShown();
    void historyReplayReloadsOnceAtItsEnd();

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

void TestMainWindow::layoutRestoredPerPage()
{
    // Every page's tables (widths, order, sort) and splitters come back as they were left.
    openWindow(threeMappings());
    struct Kept
    {
        QString page;
        QString name;
        int width = 0;
        int sortColumn = 0;
        Qt::SortOrder order = Qt::AscendingOrder;
        QList<int> sizes;
    };
    QList<Kept> kept;
    int n = 0;
    for (const QString& key : m_window->pageKeys()) {
        m_window->showPage(key);
        QWidget* page = child<QWidget>(m_window.get(), qPrintable(key + QStringLiteral("Page")));
        QApplication::processEvents();
        for (QTableView* view : page->findChildren<QTableView*>()) {
            // A heat map stretches its columns to the view: nothing to keep there.
            if (view->objectName().isEmpty() || view->model() == nullptr ||
                view->model()->columnCount() < 2 ||
                view->horizontalHeader()->sectionResizeMode(0) != QHeaderView::Interactive)
                continue;
            Kept k;
            k.page = key;
            k.name = view->objectName();
            k.width = 111 + 7 * n++;
            view->setColumnWidth(0, k.width);
            if (view->isSortingEnabled()) {
                k.sortColumn = 1;
                k.order = Qt::DescendingOrder;
                view->sortByColumn(1, Qt::DescendingOrder);
            } else {
                k.sortColumn = view->horizontalHeader()->sortIndicatorSection();
                k.order = view->horizontalHeader()->sortIndicatorOrder();
            }
            kept.append(k);
        }
        for (QSplitter* splitter : page->findChildren<QSplitter*>()) {
            if (splitter->objectName().isEmpty() || splitter->count() < 2)
                continue;
            QList<int> sizes = splitter->sizes();
            const int total = std::accumulate(sizes.begin(), sizes.end(), 0);
            if (total < 200)
                continue;
            sizes = QList<int>(sizes.size(), 0);
            sizes[0] = total / 3 + 7 * n++;
            sizes[1] = total - sizes[0];
            splitter->setSizes(sizes);
            Kept k;
            k.page = key;
            k.name = splitter->objectName();
            k.sizes = splitter->sizes();
            kept.append(k);
        }
    }
    QStringList pages;
    for (const Kept& k : kept)
        if (!pages.contains(k.page))
            pages << k.page;
    // Every page with a table or a splitter takes part.
    QVERIFY2(pages.size() >= 5, qPrintable(pages.join(QLatin1Char(','))));
    m_window->close(); // saves the layout
    m_window.reset();

    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    for (const Kept& k : kept) {
        m_window->showPage(k.page);
        QApplication::processEvents();
        const QString what = k.page + QLatin1Char('/') + k.name;
        if (k.sizes.isEmpty()) {
            auto* view = m_window->findChild<QTableView*>(k.name);
            QVERIFY2(view, qPrintable(what));
            QVERIFY2(view->columnWidth(0) == k.width,
                     qPrintable(what + QStringLiteral(": %1").arg(view->columnWidth(0))));
            QCOMPARE(view->horizontalHeader()->sortIndicatorSection(), k.sortColumn);
            QCOMPARE(view->horizontalHeader()->sortIndicatorOrder(), k.order);
        } else {
            auto* splitter = m_window->findChild<QSplitter*>(k.name);
            QVERIFY2(splitter, qPrintable(what));
            QVERIFY2(splitter->sizes() == k.sizes, qPrintable(what));
        }
    }
}

void TestMainWindow::keyColumnsVisibleAt1280()
{
    // A laptop-sized window: the verdict and the figures need no scrolling.
    openWindow({test::mapping(11, QStringLiteral("CIO | Winback lapsed buyers | 45-60d"),
                              QStringLiteral("Winback 45-60 days, bought before")),
                test::mapping(12, QStringLiteral("CIO | Cart abandoners | 0-24h"),
                              QStringLiteral("Cart abandoners 0-24h"))});
    m_window->resize(1280, 800);
    QTRY_COMPARE(m_window->width(), 1280);
    m_window->showPage(QStringLiteral("mappings"));
    auto* view = child<QTableView>(m_window.get(), "mappingsView");
    QTRY_VERIFY(view->isVisible());
    QApplication::processEvents();
    QHeaderView* header = view->horizontalHeader();
    QCOMPARE(view->horizontalScrollBar()->value(), 0);
    for (int column : {MappingsModel::Health, MappingsModel::Size, MappingsModel::Drift,
                       MappingsModel::Rollout}) {
        const int x = header->sectionViewportPosition(column);
        const QString name = view->model()->headerData(column, Qt::Horizontal).toString();
        QVERIFY2(!header->isSectionHidden(column), qPrintable(name));
        QVERIFY2(x >= 0 && x + header->sectionSize(column) <= view->viewport()->width(),
                 qPrintable(QStringLiteral("%1 at %2..%3 of %4")
                                .arg(name)
                                .arg(x)
                                .arg(x + header->sectionSize(column))
                                .arg(view->viewport()->width())));
    }
}

void TestMainWindow::longTextsElideWithToolTips()
{
    Mapping m = test::mapping(11, QStringLiteral("CIO | Winback | 45-60d"));
    m.owner = QStringLiteral("Maya Rossi-Fernández (retention, EMEA and North America)");
    openWindow({m, test::mapping(12, QStringLiteral("CIO | VIP | 30d"))});
    auto* view = child<QTableView>(m_window.get(), "mappingsView");
    QTRY_VERIFY(view->isVisible());
    view->setColumnWidth(MappingsModel::Owner, 80);
    // Whichever row holds the long owner: its tooltip is the whole text, the other none.
    QStringList tips;
    for (int row = 0; row < 2; ++row)
        tips << cellToolTip(view, view->model()->index(row, MappingsModel::Owner));
    QVERIFY(tips.contains(m.owner));
    QVERIFY(tips.contains(QString()));
    // Wide enough: nothing to add.
    view->setColumnWidth(MappingsModel::Owner, 900);
    for (int row = 0; row < 2; ++row)
        QCOMPARE(cellToolTip(view, view->model()->index(row, MappingsModel::Owner)), QString());
}

namespace {
void collectMenuActions(const QList<QAction*>& actions, QSet<QAction*>& out)
{
    for (QAction* a : actions) {
        out.insert(a);
        if (a->menu())
            collectMenuActions(a->menu()->actions(), out);
    }
}

// The controls under `root` whose accessible name (as a screen reader reads it through
// QAccessible) is empty. Qt's own parts of composite widgets are left out.
QStringList unnamedControls(QWidget* root)
{
    QStringList missing;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        // Qt's own parts: a field's clear button, a table's corner button, a combo box's
        // popup list (inside the popup's container, read through its combo box).
        const QByteArray cls = w->metaObject()->className();
        if (cls == "QLineEditIconButton" || cls == "QTableCornerButton" ||
            cls == "QComboBoxListView")
            continue;
        if (w->objectName().startsWith(QLatin1String("qt_")) || qobject_cast<QHeaderView*>(w) ||
            qobject_cast<QComboBox*>(w->parentWidget()) ||
            qobject_cast<QAbstractSpinBox*>(w->parentWidget()) || qobject_cast<QMenu*>(w))
            continue;
        const bool control = qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) ||
                             qobject_cast<QLineEdit*>(w) || qobject_cast<QAbstractSpinBox*>(w) ||
                             qobject_cast<QAbstractItemView*>(w) || qobject_cast<QGraphicsView*>(w);
        if (!control)
            continue;
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(w);
        if (!iface || iface->text(QAccessible::Name).trimmed().isEmpty())
            missing << QStringLiteral("%1 %2").arg(QLatin1String(w->metaObject()->className()),
                                                   w->objectName());
    }
    return missing;
}
} // namespace

void TestMainWindow::everyActionHasAKeyboardPath()
{
    openWindow(threeMappings());
    QSet<QAction*> inMenus;
    collectMenuActions(m_window->menuBar()->actions(), inMenus);
    QSet<QString> menuTexts;
    for (const QAction* a : std::as_const(inMenus))
        menuTexts.insert(a->text());
    QStringList missing;
    for (QAction* a : m_window->findChildren<QAction*>()) {
        if (a->isSeparator() || a->text().isEmpty() || a->menu())
            continue;
        // A shortcut, or a place in the menu bar (F10 / Alt and the arrows), itself or as
        // the same command (a context menu's entries repeat the Mappings menu's).
        if (a->shortcut().isEmpty() && !inMenus.contains(a) && !menuTexts.contains(a->text()))
            missing << a->objectName() + QStringLiteral(" \"") + a->text() + QLatin1Char('"');
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    // Every control takes focus from the keyboard (Tab).
    QStringList unreachable;
    for (QWidget* w : m_window->findChildren<QWidget*>()) {
        const QByteArray cls = w->metaObject()->className();
        if (w->objectName().startsWith(QLatin1String("qt_")) ||
            qobject_cast<QComboBox*>(w->parentWidget()) || cls == "QLineEditIconButton" ||
            cls == "QTableCornerButton")
            continue;
        // A toolbar's button stands for an action: the action's path above counts.
        if (auto* tool = qobject_cast<QToolButton*>(w); tool && tool->defaultAction())
            continue;
        if ((qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) ||
             qobject_cast<QLineEdit*>(w) || qobject_cast<QAbstractItemView*>(w)) &&
            !qobject_cast<QHeaderView*>(w) && !(w->focusPolicy() & Qt::TabFocus))
            unreachable << QLatin1String(w->metaObject()->className()) + QLatin1Char(' ') +
                               w->objectName();
    }
    QVERIFY2(unreachable.isEmpty(), qPrintable(unreachable.join(QStringLiteral(", "))));
}

void TestMainWindow::everyControlHasAnAccessibleName()
{
    openWindow(threeMappings());
    for (const QString& key : m_window->pageKeys()) {
        m_window->showPage(key);
        QApplication::processEvents();
    }
    QStringList missing = unnamedControls(m_window.get());
    SettingsDialog* settings = m_window->openSettings();
    QVERIFY(settings);
    QApplication::processEvents();
    missing += unnamedControls(settings);
    settings->close();
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
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
    // Every page, and Mappings and Health in the other palette.
    QCOMPARE(files.size(), m_window->pageKeys().size() + 2);
    QStringList keys = m_window->pageKeys();
    keys << QStringLiteral("mappings-dark") << QStringLiteral("health-dark");
    for (const QString& key : keys) {
        const QImage image(dir + QLatin1Char('/') + key + QStringLiteral(".png"));
        QVERIFY2(!image.isNull(), qPrintable(key));
        // The window at its own size (the dark palette's style may widen it a little).
        QVERIFY2(image.width() >= 700 && image.height() >= 500, qPrintable(key));
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

void TestMainWindow::historyReplayReloadsOnceAtItsEnd()
{
    openWindow(threeMappings());
    QAction* resyncAll = m_window->findChild<QAction*>(QStringLiteral("actionResyncAll"));
    QVERIFY(resyncAll);
    QTRY_VERIFY(resyncAll->isEnabled());
    // The demo's replay starts: its progress shows, and no sync of the operator's may start.
    m_window->setHistoryProgress(0, 2);
    auto* progress = child<QProgressBar>(m_window.get(), "historyProgress");
    QVERIFY(progress && progress->isVisible());
    QVERIFY(!resyncAll->isEnabled());
    // One of its days: a sync that ends (refused here: no credentials). The window
    // neither shows the sync's own status nor reloads anything after it.
    QSignalSpy runsLoaded(m_controller.get(), &SyncController::runsLoaded);
    QSignalSpy finished(m_controller.get(), &SyncController::syncFinished);
    m_controller->syncAll();
    QTRY_COMPARE(finished.size(), 1);
    QTest::qWait(300);
    QCOMPARE(runsLoaded.size(), 0);
    QVERIFY(!child<QWidget>(m_window.get(), "syncStatus")->isVisible());
    // The last day is in: the runs and mappings load once, and the actions come back.
    m_window->setHistoryProgress(2, 2);
    QVERIFY(!progress->isVisible());
    QTRY_VERIFY(runsLoaded.size() >= 1);
    QTRY_VERIFY(resyncAll->isEnabled());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
