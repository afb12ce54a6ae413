// The operator console's main window: a navigation list of pages, the menus and
// toolbar actions that start and stop syncs and edit mappings, and the sync progress
// in the status bar. It talks to the engine only through SyncController (queued calls,
// queued signals).
#pragma once

#include "engine/seamtypes.h"
#include "store/records.h"
#include "themes.h"
#include "util/syncerror.h"

#include <QHash>
#include <QMainWindow>
#include <QSet>
#include <QStringList>

class QAction;
class QLabel;
class QMessageBox;
class QListWidget;
class QProgressBar;
class QSettings;
class QStackedWidget;
class QTimer;

namespace lockstep {

class AuditPage;
class BatchErrorsModel;
class HealthPage;
class IdentityPage;
class MappingsModel;
class MappingsPage;
class MessageBanner;
class OpenRehearsalsDialog;
class OverlapPage;
class RunsModel;
class RunsPage;
class SecretStore;
class SettingsDialog;
class SetupWizard;
class SyncController;
class SyncStatusWidget;
class TrayNotifier;
class Notifier;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Rows of runs in flight change at most this often (10 times a second).
    static constexpr int kProgressIntervalMs = 100;

    // The status bar's words for a finished (or cancelled) sync request; the mappings a
    // Cancel stopped or kept from starting are named from `names` (cohort by mapping id).
    static QString syncSummary(const QList<RunRecord>& runs,
                               const QHash<qint64, QString>& names = {});

    explicit MainWindow(SyncController* controller, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Page keys in navigation order: "mappings", "health", "overlap", "identity",
    // "audit", "runs". Each page's objectName is key + "Page".
    QStringList pageKeys() const;
    QString currentPageKey() const;
    // Returns false for an unknown key.
    bool showPage(const QString& key);

    MappingsModel* mappingsModel() const { return m_mappingsModel; }
    RunsModel* runsModel() const { return m_runsModel; }
    BatchErrorsModel* batchErrorsModel() const { return m_batchErrorsModel; }
    MappingsPage* mappingsPage() const { return m_mappingsPage; }
    HealthPage* healthPage() const { return m_healthPage; }
    OverlapPage* overlapPage() const { return m_overlapPage; }
    IdentityPage* identityPage() const { return m_identityPage; }
    AuditPage* auditPage() const { return m_auditPage; }
    RunsPage* runsPage() const { return m_runsPage; }
    TrayNotifier* tray() const { return m_tray; }
    // The process's alert delivery: Settings › Notifications reads and writes through it.
    void setNotifier(Notifier* notifier) { m_notifier = notifier; }

    // The workspace's settings as last loaded (connection, thresholds, naming).
    const WorkspaceSettings& workspaceSettings() const { return m_settings; }
    // Secrets of this session, shown (masked) in Settings and the wizard.
    void setSessionCredentials(const Credentials& c) { m_credentials = c; }

    // Applies and keeps the theme (View menu and Settings › Appearance).
    void setTheme(Theme theme);

    // Non-blocking dialogs (tests drive them by objectName).
    SettingsDialog* openSettings();
    SetupWizard* openSetupWizard();
    // The rehearsals whose temporary value is still in Mixpanel, each with Clean up.
    OpenRehearsalsDialog* openRehearsals();
    // How many there are, as last announced; the status bar says so while there are any.
    int openRehearsalCount() const { return m_openRehearsals; }
    // Opens the wizard when the workspace has no connection and no mapping yet (first
    // run). Call once the workspace is open (e.g. from main on SyncController::opened).
    void startFirstRunIfNeeded();

    // The demo's replay of its history, in the status bar: `day` of `days` recorded
    // (hidden once day reaches days). Meanwhile the days' syncs reload nothing; the
    // pages reload once the last day is in.
    void setHistoryProgress(int day, int days);
    // A problem the operator should read (the banner above the pages).
    void showError(const QString& message);

    // Window geometry, toolbar state, splitters and column layout (QSettings).
    void fitToScreen();
    void saveLayout() const;
    void restoreLayout();

Q_SIGNALS:
    // "Try the sandbox" (Mappings empty state or the wizard): the console session replaces
    // this window with the demo's (app/consolesession.h).
    void sandboxRequested();

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createPages();
    void addPage(const QString& key, const QString& title, QWidget* page);
    void connectController();
    void updateActions();
    void resync(RunKind kind, bool selectionOnly);
    // A sync of every mapping (Resync all, or Full resync with nothing selected) asks
    // first, naming the mappings and the people it covers; Cancel is the default.
    QMessageBox* confirmSyncAll(RunKind kind);

    void reloadPages();
    void saveSecrets(const Credentials& c);
    void saveViews(QSettings& settings) const;
    void restoreViews(QSettings& settings);

    void onMappingsLoaded(const QList<MappingOverview>& mappings);
    // The engine's progress reports, kept per run and shown at most every
    // kProgressIntervalMs, so a fast run does not repaint its rows for every page or batch.
    void queueProgress(const SyncProgress& p);
    void flushProgress();
    // A run in flight as a row of the Runs page, with its phase and progress.
    void showLiveRun(const SyncProgress& p);
    void onMappingHealthLoaded(const QList<MappingHealth>& health);
    void onOpenRehearsals(const QList<OpenRehearsal>& open);
    void onFailed(const SyncError& error);

    SyncController* m_controller;
    MappingsModel* m_mappingsModel;
    RunsModel* m_runsModel;
    BatchErrorsModel* m_batchErrorsModel;
    TrayNotifier* m_tray;
    SecretStore* m_secrets = nullptr;

    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_pages = nullptr;
    MessageBanner* m_banner = nullptr;
    MappingsPage* m_mappingsPage = nullptr;
    HealthPage* m_healthPage = nullptr;
    OverlapPage* m_overlapPage = nullptr;
    IdentityPage* m_identityPage = nullptr;
    AuditPage* m_auditPage = nullptr;
    RunsPage* m_runsPage = nullptr;
    SyncStatusWidget* m_syncStatus = nullptr;
    QProgressBar* m_historyProgress = nullptr;
    QLabel* m_openRehearsalsHint = nullptr;
    int m_openRehearsals = 0;
    bool m_replaying = false; // the demo's history is being recorded
    QStringList m_pageKeys;

    QAction* m_resyncSelected = nullptr;
    QAction* m_resyncAll = nullptr;
    QAction* m_dryRun = nullptr;
    QAction* m_fullResync = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_refresh = nullptr;
    QAction* m_find = nullptr;
    QAction* m_addMapping = nullptr;
    QAction* m_editMapping = nullptr;
    QAction* m_settingsAction = nullptr;
    QAction* m_wizardAction = nullptr;

    WorkspaceSettings m_settings;
    Credentials m_credentials;
    Notifier* m_notifier = nullptr;
    bool m_settingsLoaded = false;
    bool m_mappingsLoadedOnce = false;
    bool m_firstRunPending = false;
    bool m_busy = false;
    bool m_refreshedOnShow = false;
    QSet<qint64> m_liveRuns; // runs in flight shown on the Runs page
    // The latest report of each run in flight not shown yet, by mapping id.
    QHash<qint64, SyncProgress> m_pendingProgress;
    qint64 m_latestProgress = 0; // the mapping of the newest report: the status bar's

    QTimer* m_progressTimer = nullptr;
    RunKind m_requestedKind = RunKind::Incremental; // of the console's last sync request
    // Alerts the last evaluation raised, told in the tray with their mappings' verdicts
    // once those are reloaded.
    QList<Alert> m_raisedAlerts;
};

} // namespace lockstep
