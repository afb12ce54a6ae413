#include "mainwindow.h"

#include "accessiblenames.h"
#include "auditpage.h"
#include "batcherrorsmodel.h"
#include "displayformat.h"
#include "engine/synccontroller.h"
#include "healthpage.h"
#include "identitypage.h"
#include "lockstepresources.h"
#include "mappingeditor.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "messagebanner.h"
#include "openrehearsalsdialog.h"
#include "overlappage.h"
#include "plainprogressbar.h"
#include "runsmodel.h"
#include "runspage.h"
#include "secretstore.h"
#include "settingsdialog.h"
#include "setupwizard.h"
#include "syncstatuswidget.h"
#include "themes.h"
#include "traynotifier.h"
#include "verdicttext.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <climits>

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
      m_runsModel(new RunsModel(this)), m_batchErrorsModel(new BatchErrorsModel(this)),
      m_tray(new TrayNotifier(this))
{
    initResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Lockstep"));
    setWindowIcon(appIcon());
    m_mappingsModel->setObjectName(QStringLiteral("mappingsModel"));
    m_runsModel->setObjectName(QStringLiteral("runsModel"));
    m_batchErrorsModel->setObjectName(QStringLiteral("batchErrorsModel"));

    m_secrets = new SecretStore(this);
    createActions();
    createPages();
    createMenus();
    connectController();
    updateActions();
    fitToScreen();
    restoreLayout(); // a later launch's saved geometry wins
    nameControls(this);
    nameControlsOnShow(this);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_resyncSelected =
        makeAction(this, "actionResyncSelected", tr("Resync selected"),
                   QKeySequence(Qt::CTRL | Qt::Key_R), tr("Sync the selected mappings now"));
    m_resyncSelected->setIcon(actionIcon(QStringLiteral("resync")));
    m_resyncAll = makeAction(this, "actionResyncAll", tr("Resync all"),
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                             tr("Sync every mapping that is not paused"));
    m_resyncAll->setIcon(actionIcon(QStringLiteral("resync-all")));
    m_dryRun = makeAction(this, "actionDryRun", tr("Dry run"), {},
                          tr("Preview what a sync of the selected mappings (or all, "
                             "when none is selected) would change, sending nothing"));
    m_dryRun->setIcon(actionIcon(QStringLiteral("dry-run")));
    m_cancel = makeAction(this, "actionCancel", tr("Cancel"), QKeySequence(Qt::Key_Escape),
                          tr("Stop the sync in flight; acknowledged changes are kept"));
    m_cancel->setIcon(actionIcon(QStringLiteral("cancel")));
    m_refresh = makeAction(this, "actionRefresh", tr("Refresh"), QKeySequence(Qt::Key_F5),
                           tr("Reload mappings and run history from the workspace"));
    m_refresh->setIcon(actionIcon(QStringLiteral("refresh")));
    m_find = makeAction(this, "actionFind", tr("Find mapping"), QKeySequence(Qt::CTRL | Qt::Key_F),
                        tr("Filter the mappings table"));
    m_fullResync = makeAction(this, "actionFullResync", tr("Full resync"),
                              QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R),
                              tr("Re-send every member of the selected mappings "
                                 "(or all), not only the changes"));
    m_addMapping =
        makeAction(this, "actionAddMapping", tr("Add mapping…"), QKeySequence(Qt::CTRL | Qt::Key_N),
                   tr("Map a Customer.io segment to a Mixpanel cohort"));
    m_editMapping = makeAction(this, "actionEditMapping", tr("Edit mapping…"),
                               QKeySequence(Qt::CTRL | Qt::Key_E), tr("Edit the selected mapping"));
    m_settingsAction =
        makeAction(this, "actionSettings", tr("Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma),
                   tr("Connections, thresholds, naming convention"));
    m_wizardAction = makeAction(this, "actionSetupWizard", tr("Guided set-up…"), {},
                                tr("Connect, pick a segment, name, preview and sync"));
    connect(m_fullResync, &QAction::triggered, this, [this] { resync(RunKind::Full, true); });
    connect(m_addMapping, &QAction::triggered, this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->addMapping();
    });
    connect(m_editMapping, &QAction::triggered, this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->editSelected();
    });
    connect(m_settingsAction, &QAction::triggered, this, [this] { openSettings(); });
    connect(m_wizardAction, &QAction::triggered, this, [this] { openSetupWizard(); });

    connect(m_resyncSelected, &QAction::triggered, this,
            [this] { resync(RunKind::Incremental, true); });
    connect(m_resyncAll, &QAction::triggered, this,
            [this] { resync(RunKind::Incremental, false); });
    connect(m_dryRun, &QAction::triggered, this, [this] { resync(RunKind::DryRun, true); });
    m_fullResync->setIcon(actionIcon(QStringLiteral("resync-all")));
    connect(m_cancel, &QAction::triggered, this, [this] {
        if (m_busy)
            m_controller->cancel();
    });
    connect(m_refresh, &QAction::triggered, this, [this] { m_controller->refresh(); });
    connect(m_find, &QAction::triggered, this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->focusFilter();
    });

    auto* toolBar = addToolBar(tr("Sync"));
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

    m_mappingsPage->setController(m_controller);
    m_healthPage = new HealthPage(m_controller, m_mappingsModel, this);
    m_overlapPage = new OverlapPage(m_controller, this);
    m_identityPage = new IdentityPage(m_controller, m_mappingsModel, this);
    m_auditPage = new AuditPage(m_controller, m_mappingsModel, this);

    addPage(QStringLiteral("mappings"), tr("Mappings"), m_mappingsPage);
    addPage(QStringLiteral("health"), tr("Health"), m_healthPage);
    addPage(QStringLiteral("overlap"), tr("Overlap"), m_overlapPage);
    addPage(QStringLiteral("identity"), tr("Identity"), m_identityPage);
    addPage(QStringLiteral("audit"), tr("Audit"), m_auditPage);
    addPage(QStringLiteral("runs"), tr("Runs"), m_runsPage);

    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_pages->setCurrentIndex(row);
        updateActions();
    });
    m_navigation->setCurrentRow(0);

    connect(m_mappingsPage, &MappingsPage::selectionChanged, this, &MainWindow::updateActions);
    connect(m_runsPage, &RunsPage::runSelected, this,
            [this](qint64 runId) { m_controller->loadBatchErrors(runId); });
    connect(m_runsPage, &RunsPage::cancelRequested, this, [this] {
        if (m_busy)
            m_controller->cancel();
    });
    connect(m_mappingsPage, &MappingsPage::setupRequested, this, [this] { openSetupWizard(); });
    connect(m_mappingsPage, &MappingsPage::sandboxRequested, this, &MainWindow::sandboxRequested);
    connect(m_tray, &TrayNotifier::activated, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(8, 8, 8, 4);
    rightLayout->addWidget(m_banner);
    // A page wider than a small screen scrolls instead of pushing the window past it
    // (the window opens at 90 % of the screen and must fit on 800 px too).
    auto* pageScroll = new QScrollArea(right);
    pageScroll->setObjectName(QStringLiteral("pageScroll"));
    pageScroll->setWidgetResizable(true);
    pageScroll->setFrameShape(QFrame::NoFrame);
    pageScroll->setWidget(m_pages);
    rightLayout->addWidget(pageScroll, 1);

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
    // A rehearsal's temporary value left in Mixpanel stays in view until it is cleaned up.
    m_openRehearsalsHint = new QLabel(this);
    m_openRehearsalsHint->setObjectName(QStringLiteral("openRehearsalsHint"));
    m_openRehearsalsHint->setTextFormat(Qt::RichText);
    m_openRehearsalsHint->setToolTip(tr("Open the list of rehearsals to clean up"));
    m_openRehearsalsHint->hide();
    connect(m_openRehearsalsHint, &QLabel::linkActivated, this, [this] { openRehearsals(); });
    statusBar()->addPermanentWidget(m_openRehearsalsHint);
    connect(m_syncStatus, &SyncStatusWidget::cancelRequested, this,
            [this] { m_controller->cancel(); });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_wizardAction);
    file->addAction(m_settingsAction);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, [this] { close(); });
    quit->setObjectName(QStringLiteral("actionQuit"));

    QMenu* mappings = menuBar()->addMenu(tr("&Mappings"));
    mappings->addAction(m_addMapping);
    mappings->addAction(m_editMapping);
    mappings->addAction(tr("Duplicate as new version"), this,
                        [this] { m_mappingsPage->duplicateSelected(); });
    mappings->addAction(tr("Pause"), this, [this] { m_mappingsPage->setSelectedPaused(true); });
    mappings->addAction(tr("Resume"), this, [this] { m_mappingsPage->setSelectedPaused(false); });
    mappings->addAction(tr("Delete…"), this, [this] { m_mappingsPage->deleteSelected(); });
    mappings->addSeparator();
    QAction* rehearse = mappings->addAction(tr("Rehearse on a test segment…"), this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->rehearseSelected();
    });
    rehearse->setObjectName(QStringLiteral("actionRehearse"));
    QAction* spotCheck = mappings->addAction(tr("Spot-check people…"), this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->spotCheckSelected();
    });
    spotCheck->setObjectName(QStringLiteral("actionSpotCheck"));
    QAction* checklist = mappings->addAction(tr("Rollout checklist…"), this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->checklistSelected();
    });
    checklist->setObjectName(QStringLiteral("actionChecklist"));
    QAction* latency = mappings->addAction(tr("Set latency expectation…"), this, [this] {
        showPage(QStringLiteral("mappings"));
        m_mappingsPage->setLatencyExpectationSelected();
    });
    latency->setObjectName(QStringLiteral("actionLatency"));
    QAction* openRehearsalsAction =
        mappings->addAction(tr("Open rehearsals…"), this, [this] { openRehearsals(); });
    openRehearsalsAction->setObjectName(QStringLiteral("actionOpenRehearsals"));
    openRehearsalsAction->setToolTip(
        tr("Rehearsals closed without Clean up, whose temporary value is still in Mixpanel"));
    mappings->addSeparator();
    mappings->addAction(tr("Copy Mixpanel cohort definition"), this,
                        [this] { m_mappingsPage->copyDefinition(); });

    QMenu* sync = menuBar()->addMenu(tr("&Sync"));
    for (QAction* a : {m_resyncSelected, m_resyncAll, m_dryRun, m_fullResync, m_cancel})
        sync->addAction(a);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_refresh);
    view->addAction(m_find);
    if (auto* toolBar = findChild<QToolBar*>(QStringLiteral("mainToolBar")))
        view->addAction(toolBar->toggleViewAction());
    view->addSeparator();
    auto* themes = new QActionGroup(this);
    const Theme saved = parseTheme(QSettings().value(QStringLiteral("view/theme")).toString());
    for (const auto& [theme, text, name] :
         {std::tuple{Theme::System, QT_TR_NOOP("Follow the system"), "actionThemeSystem"},
          std::tuple{Theme::Light, QT_TR_NOOP("Light"), "actionThemeLight"},
          std::tuple{Theme::Dark, QT_TR_NOOP("Dark"), "actionThemeDark"}}) {
        QAction* a = view->addAction(tr(text));
        a->setObjectName(QLatin1String(name));
        a->setCheckable(true);
        a->setChecked(theme == saved);
        themes->addAction(a);
        connect(a, &QAction::triggered, this, [this, theme = theme] { setTheme(theme); });
    }
    if (saved != Theme::System)
        applyTheme(saved);
}

void MainWindow::setTheme(Theme theme)
{
    const Theme saved = parseTheme(QSettings().value(QStringLiteral("view/theme")).toString());
    // The View menu and Settings show the same choice.
    for (const auto& [t, name] :
         {std::pair{Theme::System, "actionThemeSystem"},
          std::pair{Theme::Light, "actionThemeLight"}, std::pair{Theme::Dark, "actionThemeDark"}})
        if (auto* a = findChild<QAction*>(QLatin1String(name)))
            a->setChecked(t == theme);
    if (theme == saved && QSettings().contains(QStringLiteral("view/theme")))
        return;
    applyTheme(theme);
    QSettings().setValue(QStringLiteral("view/theme"), themeName(theme));
    reloadPages(); // charts pick their theme when they are rebuilt
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
        m_controller->setup()->loadSettings();
        m_controller->health()->loadMappingHealth();
    });
    connect(c->setup(), &SetupRequests::settingsLoaded, this, [this](const WorkspaceSettings& s) {
        m_settings = s;
        m_settingsLoaded = true;
        m_mappingsPage->setConvention(s.naming);
        m_mappingsPage->setDefaultScheduleMinutes(s.defaultScheduleMinutes);
        m_mappingsPage->setWorkspaceThresholds(s.thresholds);
        if (m_firstRunPending)
            startFirstRunIfNeeded();
    });
    connect(c->health(), &HealthRequests::mappingHealthLoaded, this,
            &MainWindow::onMappingHealthLoaded);
    // The rollout checklist column: reloaded with the mappings; the engine also sends it
    // after every rehearsal and spot check.
    connect(
        c->trust(), &TrustRequests::checklistsLoaded, this,
        [this](const QList<RolloutChecklist>& lists) { m_mappingsModel->setChecklists(lists); });
    // Announced after every rehearsal and clean-up, and read again with the mappings.
    connect(c->trust(), &TrustRequests::openRehearsalsLoaded, this, &MainWindow::onOpenRehearsals);
    connect(c->mappings(), &MappingRequests::saved, this, [this](qint64 id) {
        statusBar()->showMessage(tr("Mapping saved"), 5000);
        m_controller->health()->loadMappingHealth();
        reloadPages();
        // Select what was just added or edited once the reload has it.
        m_mappingsPage->selectMapping(id);
    });
    connect(c->mappings(), &MappingRequests::removed, this, [this](const QList<qint64>& ids) {
        statusBar()->showMessage(tr("%n mapping(s) deleted", nullptr, int(ids.size())), 5000);
        reloadPages();
    });
    connect(c->health(), &HealthRequests::healthEvaluated, this,
            [this](const QList<Alert>&, const QList<Alert>& raised) {
                reloadPages();
                // The engine reloads the verdicts next; the notice says both at once.
                m_raisedAlerts.append(raised);
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
    // While the demo replays its history, a sync a day: the history's progress bar says how
    // far it got, and the pages load once, at its end (setHistoryProgress).
    connect(c, &SyncController::syncStarted, this, [this](int count) {
        m_banner->hide();
        if (!m_replaying) {
            statusBar()->clearMessage(); // the last sync's summary is not this one's
            m_syncStatus->syncStarted(count);
        }
    });
    connect(c, &SyncController::progress, this, [this](const SyncProgress& p) {
        if (!m_replaying)
            queueProgress(p);
    });
    connect(c, &SyncController::runFinished, this, [this](const RunRecord& run) {
        // A report still waiting would show the run as in flight again.
        m_pendingProgress.remove(run.mappingId);
        m_mappingsModel->clearProgress(run.mappingId);
        m_liveRuns.remove(run.id);
        if (m_replaying)
            return;
        m_runsModel->upsertRun(run);
        m_syncStatus->runFinished(run.mappingId);
        if (run.status == RunStatus::Failed || run.status == RunStatus::Partial) {
            const MappingOverview* m = m_mappingsModel->find(run.mappingId);
            m_tray->notify(run.status == RunStatus::Failed ? tr("Lockstep: sync failed")
                                                           : tr("Lockstep: sync incomplete"),
                           QStringLiteral("%1: %2").arg(
                               m ? m->mapping.cohortName : tr("mapping %1").arg(run.mappingId),
                               run.message.isEmpty() ? tr("see the Runs page") : run.message),
                           run.status == RunStatus::Failed);
        }
    });
    connect(c, &SyncController::syncFinished, this, [this](const QList<RunRecord>& runs) {
        m_pendingProgress.clear();
        m_mappingsModel->clearAllProgress();
        m_liveRuns.clear();
        statusBar()->showMessage(syncSummary(runs, cohortNames(m_mappingsModel->mappings())),
                                 15'000);
        if (m_replaying)
            return;
        m_controller->refresh();
        // Health, overlap and identity change with every run: evaluate, then reload the
        // visible page (healthEvaluated); the others reload when next shown.
        m_controller->health()->evaluate();
    });
    connect(c, &SyncController::busyChanged, this, [this](bool busy) {
        m_busy = busy;
        m_syncStatus->setBusy(busy && !m_replaying);
        m_runsPage->setBusy(busy);
        updateActions();
    });
    connect(c, &SyncController::failed, this, &MainWindow::onFailed);
    // Another console, the CLI or a runner changed the workspace: reload what shows it.
    // The models update rows in place (inserted, removed, changed), so the selection
    // stays; pages reload now when visible, else when next shown.
    connect(c, &SyncController::workspaceChanged, this, [this](const QStringList& tables) {
        if (m_replaying)
            return; // the replay's end reloads everything
        const bool mappings = tables.contains(QStringLiteral("mappings"));
        if (mappings || tables.contains(QStringLiteral("runs")))
            m_controller->refresh();
        if (mappings || tables.contains(QStringLiteral("alerts")))
            m_controller->health()->loadMappingHealth();
        reloadPages();
    });
    c->watchWorkspaceChanges();
    m_busy = c->isBusy();
}

void MainWindow::queueProgress(const SyncProgress& p)
{
    if (p.mappingId <= 0) {
        // A step of the whole sync (the token probe, the verification): the status bar only.
        m_syncStatus->showProgress(p);
        return;
    }
    if (p.phase == QLatin1String("done"))
        return; // runFinished follows and puts the row's own figures back
    m_pendingProgress.insert(p.mappingId, p);
    m_latestProgress = p.mappingId;
    if (!m_progressTimer) {
        m_progressTimer = new QTimer(this);
        m_progressTimer->setSingleShot(true);
        m_progressTimer->setInterval(kProgressIntervalMs);
        connect(m_progressTimer, &QTimer::timeout, this, &MainWindow::flushProgress);
    }
    if (!m_progressTimer->isActive())
        m_progressTimer->start();
}

void MainWindow::flushProgress()
{
    const QHash<qint64, SyncProgress> pending = std::exchange(m_pendingProgress, {});
    for (const SyncProgress& p : pending) {
        m_mappingsModel->setProgress(p);
        showLiveRun(p);
    }
    // Runs of several mappings report in turn: the status bar tells the newest report,
    // not whichever the hash lists last.
    if (const auto it = pending.constFind(m_latestProgress); it != pending.cend())
        m_syncStatus->showProgress(*it);
}

void MainWindow::showLiveRun(const SyncProgress& p)
{
    // The run's row is in the workspace from its start; show it (and what it is doing) on
    // the Runs page now rather than when it ends.
    if (p.runId <= 0 || p.mappingId <= 0)
        return;
    const int row = m_runsModel->rowOf(p.runId);
    RunRecord r;
    if (row >= 0) {
        r = m_runsModel->runs()[row];
        if (r.status != RunStatus::Running)
            return; // it ended meanwhile
    } else {
        r.id = p.runId;
        r.mappingId = p.mappingId;
        r.kind = m_requestedKind; // until the workspace's row says (a first sync is full)
        r.status = RunStatus::Running;
        r.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    }
    if (!m_liveRuns.contains(p.runId)) {
        // The workspace has the run's row from its start: its kind and start time.
        m_liveRuns.insert(p.runId);
        m_controller->refresh();
    }
    r.message = tr("In progress — %1").arg(format::progressDetail(p));
    m_runsModel->upsertRun(r);
}

QString MainWindow::syncSummary(const QList<RunRecord>& runs, const QHash<qint64, QString>& names)
{
    int ok = 0, skipped = 0, failed = 0;
    QList<qint64> stopped, notStarted;
    for (const RunRecord& r : runs) {
        switch (r.status) {
        case RunStatus::Succeeded:
            ++ok;
            break;
        case RunStatus::Skipped:
            ++skipped;
            break;
        case RunStatus::Cancelled:
        case RunStatus::Interrupted:
            // A run with no id never started: the stop came before its turn.
            (r.id == 0 ? notStarted : stopped).append(r.mappingId);
            break;
        default:
            ++failed;
            break;
        }
    }
    // After a Cancel the operator wants to know which mappings are behind, not only how
    // many: a few names, the rest counted.
    const auto named = [&names](const QList<qint64>& ids) {
        constexpr int kNamed = 2;
        QStringList shown;
        for (qint64 id : ids)
            if (shown.size() < kNamed && !names.value(id).isEmpty())
                shown << names.value(id);
        if (shown.isEmpty())
            return QString();
        const int rest = int(ids.size() - shown.size());
        const QString list = shown.join(QStringLiteral(", "));
        return QStringLiteral(" (%1)").arg(rest > 0 ? tr("%1 and %n more", nullptr, rest).arg(list)
                                                    : list);
    };
    const int total = int(runs.size());
    QStringList parts;
    parts << tr("%1 of %n mapping(s) synced", nullptr, total).arg(ok);
    if (failed > 0)
        parts << tr("%n failed", nullptr, failed);
    // Skipped runs are not successes: a segment still building, or another runner.
    if (skipped > 0)
        parts << tr("%n skipped", nullptr, skipped);
    if (!stopped.isEmpty())
        parts << tr("%n stopped midway", nullptr, int(stopped.size())) + named(stopped);
    if (!notStarted.isEmpty())
        parts << tr("%n never started", nullptr, int(notStarted.size())) + named(notStarted);
    const bool cancelled = !stopped.isEmpty() || !notStarted.isEmpty();
    return (cancelled ? tr("Sync cancelled: %1") : tr("Sync finished: %1"))
               .arg(parts.join(QStringLiteral(", "))) +
           (failed + skipped + stopped.size() + notStarted.size() > 0 ? tr(" (see the Runs page)")
                                                                      : QString());
}

void MainWindow::onMappingsLoaded(const QList<MappingOverview>& mappings)
{
    const auto names = cohortNames(mappings);
    m_mappingsModel->setMappings(mappings);
    m_controller->trust()->loadChecklists();
    m_controller->trust()->openRehearsals().onFailed(this, [](const SyncError&) {
        // The hint stays as it was; the list says why when opened.
    });
    m_runsModel->setMappingNames(names);
    m_syncStatus->setMappingNames(names);
    updateActions();
    if (!m_mappingsLoadedOnce) {
        m_mappingsLoadedOnce = true;
        if (m_firstRunPending)
            startFirstRunIfNeeded();
    }
}

void MainWindow::onMappingHealthLoaded(const QList<MappingHealth>& health)
{
    QHash<qint64, MappingVerdict> before;
    QHash<qint64, QString> names;
    for (const MappingOverview& o : m_mappingsModel->mappings()) {
        names.insert(o.mapping.id, o.mapping.cohortName);
        if (const MappingVerdict* v = m_mappingsModel->verdict(o.mapping.id))
            before.insert(o.mapping.id, *v);
    }
    m_mappingsModel->setHealth(health);
    QList<MappingVerdict> now;
    for (const MappingHealth& h : health)
        now.append(h.verdict);
    const TrayNotice notice = verdictNotice(before, now, names, std::exchange(m_raisedAlerts, {}));
    if (!notice.isEmpty())
        m_tray->notify(notice.title, notice.message, notice.critical);
}

void MainWindow::reloadPages()
{
    for (Page* p :
         std::initializer_list<Page*>{m_healthPage, m_overlapPage, m_identityPage, m_auditPage})
        p->requestReload();
}

SettingsDialog* MainWindow::openSettings()
{
    auto* dialog = new SettingsDialog(m_controller, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setNotifier(m_notifier);
    dialog->setSettings(m_settings, m_credentials);
    QStringList cohorts;
    for (const MappingOverview& o : m_mappingsModel->mappings())
        cohorts << o.mapping.cohortName;
    dialog->setCohortNames(cohorts);
    dialog->setTheme(parseTheme(QSettings().value(QStringLiteral("view/theme")).toString()));
    connect(dialog, &SettingsDialog::saved, this,
            [this, dialog](const WorkspaceSettings& s, const Credentials& c) {
                m_controller->setup()->saveSettings(s, dialog->baseSettings());
                if (c.customerIoAppApiKey != m_credentials.customerIoAppApiKey ||
                    c.mixpanelProjectToken != m_credentials.mixpanelProjectToken ||
                    c.mixpanelServiceAccount != m_credentials.mixpanelServiceAccount) {
                    m_credentials = c;
                    m_controller->setCredentials(c);
                    saveSecrets(c);
                }
                m_controller->health()->evaluate(); // thresholds may have changed
                setTheme(dialog->theme());
                reloadPages();
            });
    dialog->open();
    return dialog;
}

void MainWindow::saveSecrets(const Credentials& c)
{
    m_secrets->writeCredentials(c, [this](Status st) {
        if (!st)
            m_banner->showError(tr("The secrets are used for this session but could not be "
                                   "kept in the keychain: %1")
                                    .arg(st.error().message));
    });
}

OpenRehearsalsDialog* MainWindow::openRehearsals()
{
    if (!m_controller)
        return nullptr;
    // One list: asking again brings it forward.
    if (auto* open = findChild<OpenRehearsalsDialog*>()) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto* dialog = new OpenRehearsalsDialog(m_controller, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::onOpenRehearsals(const QList<OpenRehearsal>& open)
{
    m_openRehearsals = int(open.size());
    m_openRehearsalsHint->setVisible(!open.isEmpty());
    if (open.isEmpty())
        return;
    int profiles = 0;
    for (const OpenRehearsal& o : open)
        profiles += o.carriers;
    m_openRehearsalsHint->setText(
        QStringLiteral("⚠ <a href=\"open-rehearsals\">%1</a>")
            .arg(tr("%n rehearsal(s) not cleaned up", nullptr, int(open.size())).toHtmlEscaped()));
    m_openRehearsalsHint->setToolTip(
        tr("Their temporary value is still on %n profile(s) in Mixpanel: open the list to clean "
           "them up.",
           nullptr, profiles));
}

SetupWizard* MainWindow::openSetupWizard()
{
    auto* wizard = new SetupWizard(m_controller, m_settings, m_credentials, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &SetupWizard::sandboxRequested, this, &MainWindow::sandboxRequested);
    connect(wizard, &SetupWizard::connected, this,
            [this](const WorkspaceSettings& s, const Credentials& c) {
                m_settings = s;
                m_credentials = c;
                saveSecrets(c);
            });
    wizard->open();
    return wizard;
}

void MainWindow::startFirstRunIfNeeded()
{
    // Both answers are needed: the workspace's connection and its mappings.
    if (!m_settingsLoaded || !m_mappingsLoadedOnce) {
        m_firstRunPending = true;
        return;
    }
    m_firstRunPending = false;
    if (!m_settings.connection.isComplete() && m_mappingsModel->rowCount() == 0)
        openSetupWizard();
}

void MainWindow::setHistoryProgress(int day, int days)
{
    if (!m_historyProgress) {
        m_historyProgress = new PlainProgressBar(this);
        m_historyProgress->setObjectName(QStringLiteral("historyProgress"));
        m_historyProgress->setAccessibleName(tr("Demo history"));
        m_historyProgress->setMaximumWidth(320);
        statusBar()->addPermanentWidget(m_historyProgress);
    }
    m_historyProgress->setRange(0, std::max(1, days));
    m_historyProgress->setValue(day);
    //: The demo replays its history day by day: "Demo history: day 34 of 90"
    m_historyProgress->setFormat(tr("Demo history: day %1 of %n", nullptr, days).arg(day));
    m_historyProgress->setTextVisible(true);
    m_historyProgress->setVisible(day < days);
    const bool replaying = day < days;
    if (replaying == m_replaying)
        return;
    m_replaying = replaying;
    updateActions();
    if (!replaying) {
        // The history is in: what every day's sync would have reloaded, once.
        m_controller->refresh();
        m_controller->health()->loadMappingHealth();
        m_controller->health()->evaluate();
    }
}

void MainWindow::showError(const QString& message)
{
    m_banner->showError(message);
}

void MainWindow::onFailed(const SyncError& error)
{
    if (error.category == SyncError::Category::Cancelled) {
        statusBar()->showMessage(tr("Sync cancelled"), 10'000);
        return;
    }
    m_banner->showError(error.message.isEmpty() ? error.toString() : error.message);
}

void MainWindow::resync(RunKind kind, bool selectionOnly)
{
    if (m_busy)
        return;
    m_requestedKind = kind;
    const QList<qint64> ids =
        selectionOnly ? m_mappingsPage->selectedMappingIds() : QList<qint64>{};
    if (!ids.isEmpty()) {
        m_controller->syncMappings(ids, kind);
        return;
    }
    // A dry run writes nothing: it previews everything without asking.
    if (kind == RunKind::DryRun) {
        m_controller->syncAll(kind);
        return;
    }
    // "Resync all", or a full resync with nothing selected: more than the selection is
    // written to Mixpanel, so it asks first. "Resync selected" without one does nothing.
    if (!selectionOnly || kind == RunKind::Full)
        confirmSyncAll(kind);
}

QMessageBox* MainWindow::confirmSyncAll(RunKind kind)
{
    const bool full = kind == RunKind::Full;
    // Each active mapping with the people in its cohort at its last sync; a mapping never
    // synced has no figure yet, and saying 0 would understate what is about to be sent.
    QStringList lines;
    qint64 people = 0;
    int unknown = 0;
    for (const MappingOverview& o : m_mappingsModel->mappings()) {
        if (o.mapping.paused)
            continue;
        const MappingVerdict* v = m_mappingsModel->verdict(o.mapping.id);
        const bool known = o.syncedCount > 0 || (v && v->lastSyncMs > 0);
        if (known) {
            people += o.syncedCount;
            //: One mapping in the list of a confirmation: its cohort and its people
            lines << tr("%1 — %Ln person(s)", nullptr,
                        int(std::min<qint64>(o.syncedCount, INT_MAX)))
                         .arg(o.mapping.cohortName);
        } else {
            ++unknown;
            lines << tr("%1 — size not known yet").arg(o.mapping.cohortName);
        }
    }
    if (lines.isEmpty())
        return nullptr;
    const int count = int(lines.size());
    auto* box = new QMessageBox(
        QMessageBox::Warning,
        full ? tr("Full resync of every mapping") : tr("Resync every mapping"),
        full ? tr("No mapping is selected. Re-send every member of all %n active mapping(s) to "
                  "Mixpanel?",
                  nullptr, count)
             : tr("Send the changes of all %n active mapping(s) to Mixpanel?", nullptr, count),
        QMessageBox::Cancel, this);
    const QString name =
        full ? QStringLiteral("confirmFullResync") : QStringLiteral("confirmResyncAll");
    box->setObjectName(name);
    constexpr int kListed = 10;
    QStringList shown = lines.mid(0, kListed);
    if (count > kListed)
        shown << tr("… and %n more", nullptr, count - kListed);
    QStringList figures;
    if (int(lines.size()) > unknown)
        figures << tr("About %Ln person(s) were in these cohorts at their last sync.", nullptr,
                      int(std::min<qint64>(people, INT_MAX)));
    if (unknown > 0)
        figures << tr("%n mapping(s) never synced: their size is not known yet.", nullptr, unknown);
    const QString peopleText = figures.join(QLatin1Char(' '));
    box->setInformativeText(peopleText + QStringLiteral("\n• ") +
                            shown.join(QStringLiteral("\n• ")));
    QPushButton* yes = box->addButton(full ? tr("Resync %n mapping(s) in full", nullptr, count)
                                           : tr("Resync %n mapping(s)", nullptr, count),
                                      QMessageBox::AcceptRole);
    yes->setObjectName(name + QStringLiteral("Yes"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setEscapeButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, kind] {
        if (box->clickedButton() == yes && !m_busy)
            m_controller->syncAll(kind);
    });
    box->open();
    return box;
}

void MainWindow::updateActions()
{
    const bool hasMappings = m_mappingsModel->rowCount() > 0;
    const bool onMappings = currentPageKey() == QLatin1String("mappings");
    // The demo's replay is one long operation: no sync of its own meanwhile, and its days'
    // syncs are not the operator's to cancel.
    const bool busy = m_busy || m_replaying;
    m_resyncSelected->setEnabled(!busy && onMappings &&
                                 !m_mappingsPage->selectedMappingIds().isEmpty());
    m_resyncAll->setEnabled(!busy && hasMappings);
    m_dryRun->setEnabled(!busy && hasMappings);
    m_fullResync->setEnabled(!busy && hasMappings);
    m_editMapping->setEnabled(m_mappingsPage->selectedMappingIds().size() == 1);
    m_cancel->setEnabled(m_busy && !m_replaying);
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

void MainWindow::fitToScreen()
{
    // A console of tables and charts wants the room: 90 % of the screen it opens on,
    // centred, never smaller than its layout needs nor larger than the screen.
    const QScreen* s = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!s) {
        resize(1180, 720);
        return;
    }
    const QRect available = s->availableGeometry();
    const QSize wanted(available.width() * 9 / 10, available.height() * 9 / 10);
    resize(wanted.expandedTo(minimumSizeHint()).boundedTo(available.size()));
    move(available.center() - QPoint(width() / 2, height() / 2));
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
    saveViews(settings);
    settings.endGroup();
}

// Every page's tables (column order, widths, sort order: the header's state) and splitters,
// by page and object name, so a page added later keeps its layout without code of its own.
void MainWindow::saveViews(QSettings& settings) const
{
    for (int i = 0; i < m_pages->count(); ++i) {
        const QWidget* page = m_pages->widget(i);
        const QString key = m_pageKeys.value(i);
        for (const QTableView* view : page->findChildren<QTableView*>())
            if (!view->objectName().isEmpty())
                settings.setValue(QStringLiteral("views/%1/%2/header").arg(key, view->objectName()),
                                  view->horizontalHeader()->saveState());
        for (const QSplitter* splitter : page->findChildren<QSplitter*>())
            if (!splitter->objectName().isEmpty())
                settings.setValue(
                    QStringLiteral("views/%1/%2/splitter").arg(key, splitter->objectName()),
                    splitter->saveState());
    }
}

void MainWindow::restoreViews(QSettings& settings)
{
    for (int i = 0; i < m_pages->count(); ++i) {
        QWidget* page = m_pages->widget(i);
        const QString key = m_pageKeys.value(i);
        for (QTableView* view : page->findChildren<QTableView*>()) {
            const QByteArray state =
                settings.value(QStringLiteral("views/%1/%2/header").arg(key, view->objectName()))
                    .toByteArray();
            if (!view->objectName().isEmpty() && !state.isEmpty())
                view->horizontalHeader()->restoreState(state);
        }
        for (QSplitter* splitter : page->findChildren<QSplitter*>()) {
            const QByteArray state =
                settings
                    .value(QStringLiteral("views/%1/%2/splitter").arg(key, splitter->objectName()))
                    .toByteArray();
            if (!splitter->objectName().isEmpty() && !state.isEmpty())
                splitter->restoreState(state);
        }
    }
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
    restoreViews(settings);
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
