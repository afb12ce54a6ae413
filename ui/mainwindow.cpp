#include "mainwindow.h"

#include "batcherrorsmodel.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "messagebanner.h"
#include "placeholderpage.h"
#include "runsmodel.h"
#include "runspage.h"
#include "syncstatuswidget.h"

#include <QAction>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace lockstep {

namespace {
QHash<qint64, QString> cohortNames(const QList<MappingOverview>& mappings)
{
    QHash<qint64, QString> names;
    for (const MappingOverview& m : mappings)
        names.insert(m.mapping.id, m.mapping.cohortName);
    return names;
}

QAction* makeAction(QObject* parent, const char* objectName, const QString& text,
                    const QKeySequence& shortcut, const QString& tip)
{
    auto* action = new QAction(text, parent);
    action->setObjectName(QLatin1String(objectName));
    action->setShortcut(shortcut);
    // Window-wide, so the shortcuts work whichever page or table has focus.
    action->setShortcutContext(Qt::WindowShortcut);
    action->setToolTip(shortcut.isEmpty()
                           ? tip
                           : tip % QStringLiteral(" (") %
                                 shortcut.toString(QKeySequence::NativeText) % QLatin1Char(')'));
    return action;
}
} // namespace

MainWindow::MainWindow(SyncController* controller, QWidget* parent)
    : QMainWindow(parent), m_controller(controller), m_mappingsModel(new MappingsModel(this)),
      m_runsModel(new RunsModel(this)), m_batchErrorsModel(new BatchErrorsModel(this))
{
    initResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Lockstep"));
    setWindowIcon(appIcon());
    m_mappingsModel->setObjectName(QStringLiteral("mappingsModel"));
    m_runsModel->setObjectName(QStringLiteral("runsModel"));
    m_batchErrorsModel->setObjectName(QStringLiteral("batchErrorsModel"));

    createActions();
    createPages();
    connectController();
    updateActions();
    resize(1180, 720);
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_resyncSelected = makeAction(this, "actionResyncSelected", QStringLiteral("Resync selected"),
                                  QKeySequence(Qt::CTRL | Qt::Key_R),
                                  QStringLiteral("Sync the selected mappings now"));
    m_resyncSelected->setIcon(actionIcon(QStringLiteral("resync")));
    m_resyncAll = makeAction(this, "actionResyncAll", QStringLiteral("Resync all"),
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                             QStringLiteral("Sync every mapping that is not paused"));
    m_resyncAll->setIcon(actionIcon(QStringLiteral("resync-all")));
    m_dryRun = makeAction(this, "actionDryRun", QStringLiteral("Dry run"), {},
                          QStringLiteral("Preview what a sync of the selected mappings (or all, "
                                         "when none is selected) would change, sending nothing"));
    m_dryRun->setIcon(actionIcon(QStringLiteral("dry-run")));
    m_cancel =
        makeAction(this, "actionCancel", QStringLiteral("Cancel"), QKeySequence(Qt::Key_Escape),
                   QStringLiteral("Stop the sync in flight; acknowledged changes are kept"));
    m_cancel->setIcon(actionIcon(QStringLiteral("cancel")));
    m_refresh =
        makeAction(this, "actionRefresh", QStringLiteral("Refresh"), QKeySequence(Qt::Key_F5),
                   QStringLiteral("Reload mappings and run history from the workspace"));
    m_refresh->setIcon(actionIcon(QStringLiteral("refresh")));
    m_find =
        makeAction(this, "actionFind", QStringLiteral("Find mapping"),
                   QKeySequence(Qt::CTRL | Qt::Key_F), QStringLiteral("Filter the mappings table"));

    connect(m_resyncSelected, &QAction::triggered, this,
            [this] { resync(RunKind::Incremental, true); });
    connect(m_resyncAll, &QAction::triggered, this,
            [this] { resync(RunKind::Incremental, false); });
    connect(m_dryRun, &QAction::triggered, this, [this] { resync(RunKind::DryRun, true); });
    connect(m_cancel, &QAction::triggered, this, [this] {
        if (m_busy)
            m_controller->cancel();
    });
    connect(m_refresh, &QAction::triggered, this, [this] { m_controller->refresh(); });
    connect(m_find, &QAction::triggered, this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->focusFilter();
    });

    auto* toolBar = addToolBar(QStringLiteral("Sync"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_resyncSelected);
    toolBar->addAction(m_resyncAll);
    toolBar->addAction(m_dryRun);
    toolBar->addSeparator();
    toolBar->addAction(m_cancel);
    auto* spacer = new QWidget(toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolBar->addWidget(spacer);
    toolBar->addAction(m_refresh);
    addAction(m_find); // shortcut only, no button
}

void MainWindow::createPages()
{
    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setSpacing(2);
    m_navigation->setFixedWidth(168);
    m_navigation->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The list blends into the window like a sidebar rather than looking like data.
    m_navigation->setBackgroundRole(QPalette::Window);
    m_navigation->viewport()->setBackgroundRole(QPalette::Window);

    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_banner = new MessageBanner(this);

    m_mappingsPage = new MappingsPage(m_mappingsModel, this);
    m_runsPage = new RunsPage(m_runsModel, m_batchErrorsModel, this);

    addPage(QStringLiteral("mappings"), QStringLiteral("Mappings"), m_mappingsPage);
    addPage(QStringLiteral("health"), QStringLiteral("Health"),
            new PlaceholderPage(
                QStringLiteral("healthPage"), pageIcon(QStringLiteral("health")),
                QStringLiteral("Cohort health"),
                QStringLiteral("Size trends, entered and exited members per run, drift between "
                               "segment and cohort, and health alerts will appear here.<br>"
                               "Every sync records a size point: resync your mappings a few "
                               "times to start the trend lines."),
                this));
    addPage(QStringLiteral("overlap"), QStringLiteral("Overlap"),
            new PlaceholderPage(
                QStringLiteral("overlapPage"), pageIcon(QStringLiteral("overlap")),
                QStringLiteral("Cohort overlap"),
                QStringLiteral("How much the mapped cohorts overlap (share of A in B, Jaccard), "
                               "and watched pairs that must stay disjoint, will appear here "
                               "once at least two mappings have synced."),
                this));
    addPage(QStringLiteral("identity"), QStringLiteral("Identity"),
            new PlaceholderPage(
                QStringLiteral("identityPage"), pageIcon(QStringLiteral("identity")),
                QStringLiteral("Identity mismatches"),
                QStringLiteral("Members that could not be matched to a Mixpanel "
                               "<code>$distinct_id</code> (missing key, invalid e-mail, "
                               "placeholder id, merged profile) will be listed here by reason. "
                               "Until then, the Mismatched column of the Runs page counts them."),
                this));
    addPage(QStringLiteral("audit"), QStringLiteral("Audit"),
            new PlaceholderPage(
                QStringLiteral("auditPage"), pageIcon(QStringLiteral("audit")),
                QStringLiteral("Naming audit"),
                QStringLiteral("Cohort names will be checked here against the convention "
                               "<code>CIO | &lt;Intent&gt; | &lt;Window&gt;</code>, with "
                               "suggested names and CSV, JSON and Markdown export. Name new "
                               "cohorts that way now and they will pass."),
                this));
    addPage(QStringLiteral("runs"), QStringLiteral("Runs"), m_runsPage);

    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_pages->setCurrentIndex(row);
        updateActions();
    });
    m_navigation->setCurrentRow(0);

    connect(m_mappingsPage, &MappingsPage::selectionChanged, this, &MainWindow::updateActions);
    connect(m_mappingsPage, &MappingsPage::resyncRequested, this, [this](qint64 id) {
        if (!m_busy)
            m_controller->syncMappings({id}, RunKind::Incremental);
    });
    connect(m_runsPage, &RunsPage::runSelected, this,
            [this](qint64 runId) { m_controller->loadBatchErrors(runId); });

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(8, 8, 8, 4);
    rightLayout->addWidget(m_banner);
    rightLayout->addWidget(m_pages, 1);

    auto* central = new QWidget(this);
    central->setObjectName(QStringLiteral("central"));
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation);
    layout->addWidget(right, 1);
    setCentralWidget(central);

    m_syncStatus = new SyncStatusWidget(this);
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    statusBar()->addPermanentWidget(m_syncStatus);
    connect(m_syncStatus, &SyncStatusWidget::cancelRequested, this,
            [this] { m_controller->cancel(); });
}

void MainWindow::addPage(const QString& key, const QString& title, QWidget* page)
{
    Q_ASSERT(page->objectName() == key + QStringLiteral("Page"));
    auto* item = new QListWidgetItem(pageIcon(key), title, m_navigation);
    item->setData(Qt::UserRole, key);
    item->setSizeHint(QSize(0, m_navigation->fontMetrics().height() + 16));
    m_pages->addWidget(page);
    m_pageKeys.append(key);
}

void MainWindow::connectController()
{
    SyncController* c = m_controller;
    connect(c, &SyncController::opened, this, [this] {
        if (isVisible())
            m_controller->refresh();
    });
    connect(c, &SyncController::mappingsLoaded, this, &MainWindow::onMappingsLoaded);
    connect(c, &SyncController::runsLoaded, this,
            [this](const QList<RunRecord>& runs) { m_runsModel->setRuns(runs); });
    connect(c, &SyncController::batchErrorsLoaded, this,
            [this](qint64 runId, const QList<BatchError>& errors) {
                // A late answer for a run that is no longer selected is dropped.
                if (runId == m_runsPage->currentRunId())
                    m_batchErrorsModel->setErrors(runId, errors);
            });
    connect(c, &SyncController::syncStarted, this, [this](int count) {
        m_banner->hide();
        m_syncStatus->syncStarted(count);
    });
    connect(c, &SyncController::progress, this,
            [this](const SyncProgress& p) { m_syncStatus->showProgress(p); });
    connect(c, &SyncController::runFinished, this, [this](const RunRecord& run) {
        m_runsModel->upsertRun(run);
        m_syncStatus->runFinished();
    });
    connect(c, &SyncController::syncFinished, this, [this](const QList<RunRecord>& runs) {
        int ok = 0;
        for (const RunRecord& r : runs)
            ok += r.status == RunStatus::Succeeded ? 1 : 0;
        statusBar()->showMessage(
            QStringLiteral("Sync finished: %1 of %2 runs succeeded").arg(ok).arg(runs.size()),
            10'000);
        m_controller->refresh();
    });
    connect(c, &SyncController::busyChanged, this, [this](bool busy) {
        m_busy = busy;
        m_syncStatus->setBusy(busy);
        updateActions();
    });
    connect(c, &SyncController::failed, this, &MainWindow::onFailed);
    m_busy = c->isBusy();
}

void MainWindow::onMappingsLoaded(const QList<MappingOverview>& mappings)
{
    const auto names = cohortNames(mappings);
    m_mappingsModel->setMappings(mappings);
    m_runsModel->setMappingNames(names);
    m_syncStatus->setMappingNames(names);
    updateActions();
}

void MainWindow::onFailed(const SyncError& error)
{
    if (error.category == SyncError::Category::Cancelled) {
        statusBar()->showMessage(QStringLiteral("Sync cancelled"), 10'000);
        return;
    }
    m_banner->showError(error.message.isEmpty() ? error.toString() : error.message);
}

void MainWindow::resync(RunKind kind, bool selectionOnly)
{
    if (m_busy)
        return;
    const QList<qint64> ids =
        selectionOnly ? m_mappingsPage->selectedMappingIds() : QList<qint64>{};
    if (ids.isEmpty()) {
        // "Resync selected" with nothing selected does nothing; a dry run previews everything.
        if (selectionOnly && kind != RunKind::DryRun)
            return;
        m_controller->syncAll(kind);
    } else {
        m_controller->syncMappings(ids, kind);
    }
}

void MainWindow::updateActions()
{
    const bool hasMappings = m_mappingsModel->rowCount() > 0;
    const bool onMappings = currentPageKey() == QLatin1String("mappings");
    m_resyncSelected->setEnabled(!m_busy && onMappings &&
                                 !m_mappingsPage->selectedMappingIds().isEmpty());
    m_resyncAll->setEnabled(!m_busy && hasMappings);
    m_dryRun->setEnabled(!m_busy && hasMappings);
    m_cancel->setEnabled(m_busy);
}

QStringList MainWindow::pageKeys() const
{
    return m_pageKeys;
}

QString MainWindow::currentPageKey() const
{
    const int row = m_navigation ? m_navigation->currentRow() : -1;
    return row >= 0 && row < m_pageKeys.size() ? m_pageKeys[row] : QString();
}

bool MainWindow::showPage(const QString& key)
{
    const int row = int(m_pageKeys.indexOf(key));
    if (row < 0)
        return false;
    m_navigation->setCurrentRow(row);
    return true;
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("mainWindow"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("page"), currentPageKey());
    m_mappingsPage->saveState(settings);
    m_runsPage->saveState(settings);
    settings.endGroup();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("mainWindow"));
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    const QString page = settings.value(QStringLiteral("page")).toString();
    if (!page.isEmpty())
        showPage(page);
    m_mappingsPage->restoreState(settings);
    m_runsPage->restoreState(settings);
    settings.endGroup();
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_refreshedOnShow) {
        m_refreshedOnShow = true;
        m_controller->refresh();
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace lockstep
