// The operator console's main window: a navigation list of pages, the toolbar actions
// that start and stop syncs, and the sync progress in the status bar. It talks to the
// engine only through SyncController (queued calls, queued signals).
#pragma once

#include "store/records.h"
#include "util/syncerror.h"

#include <QMainWindow>
#include <QStringList>

class QAction;
class QListWidget;
class QStackedWidget;

namespace lockstep {

class BatchErrorsModel;
class MappingsModel;
class MappingsPage;
class MessageBanner;
class RunsModel;
class RunsPage;
class SyncController;
class SyncStatusWidget;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
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

    // Window geometry, toolbar state, splitters and column layout (QSettings).
    void saveLayout() const;
    void restoreLayout();

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createPages();
    void addPage(const QString& key, const QString& title, QWidget* page);
    void connectController();
    void updateActions();
    void resync(RunKind kind, bool selectionOnly);

    void onMappingsLoaded(const QList<MappingOverview>& mappings);
    void onFailed(const SyncError& error);

    SyncController* m_controller;
    MappingsModel* m_mappingsModel;
    RunsModel* m_runsModel;
    BatchErrorsModel* m_batchErrorsModel;

    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_pages = nullptr;
    MessageBanner* m_banner = nullptr;
    MappingsPage* m_mappingsPage = nullptr;
    RunsPage* m_runsPage = nullptr;
    SyncStatusWidget* m_syncStatus = nullptr;
    QStringList m_pageKeys;

    QAction* m_resyncSelected = nullptr;
    QAction* m_resyncAll = nullptr;
    QAction* m_dryRun = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_refresh = nullptr;
    QAction* m_find = nullptr;

    bool m_busy = false;
    bool m_refreshedOnShow = false;
};

} // namespace lockstep
