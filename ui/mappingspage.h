// The Mappings page: every segment -> cohort mapping with its last sync, owner,
// decision, schedule, drift and health, filterable and sortable; add, edit, duplicate
// as a new version, pause, resume and delete; the Mixpanel cohort definition to copy.
// Edits go to the engine through SyncController (queued); the table updates when the
// engine reloads the mappings.
#pragma once

#include <optional>

#include "audit/namingconvention.h"
#include "config/settingkeys.h"

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSettings;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace lockstep {

class ChecklistDialog;
class EmptyState;
class MappingEditor;
class MappingsModel;
class RehearsalDialog;
class SpotCheckDialog;
class SyncController;

class MappingsPage : public QWidget
{
    Q_OBJECT
public:
    explicit MappingsPage(MappingsModel* model, QWidget* parent = nullptr);

    // Without a controller the page only shows (and the edit buttons stay disabled).
    void setController(SyncController* controller);
    void setConvention(const NamingConvention& c) { m_convention = c; }
    // The schedule a new mapping starts with (the workspace's default_schedule_minutes).
    void setDefaultScheduleMinutes(int minutes) { m_defaultScheduleMinutes = minutes; }
    // The workspace's health thresholds, which a mapping may override in its editor.
    void setWorkspaceThresholds(const HealthThresholds& t) { m_thresholds = t; }

    QList<qint64> selectedMappingIds() const;
    void focusFilter();
    // Selects the mapping now, or as soon as a reload brings it (after an add).
    void selectMapping(qint64 mappingId);

    // The dialogs, opened without blocking (tests fill them in and accept them).
    MappingEditor* addMapping();
    MappingEditor* editSelected();
    void duplicateSelected();
    void setSelectedPaused(bool paused);
    void deleteSelected();
    void copyDefinition();
    // Trust checks on the selected mapping, non-blocking.
    RehearsalDialog* rehearseSelected();
    SpotCheckDialog* spotCheckSelected();
    // The selected mapping's rollout checklist, every item with its evidence.
    ChecklistDialog* checklistSelected();
    // Asks for the minutes unless given (tests); false when nothing was set.
    bool setLatencyExpectationSelected(std::optional<int> minutes = std::nullopt);
    // The table's context menu (also shown on right-click).
    QMenu* contextMenu() const { return m_contextMenu; }

    void saveState(QSettings& settings) const;
    void restoreState(QSettings& settings);

Q_SIGNALS:
    void selectionChanged();
    // A rehearsal or spot check finished: the rollout checklist may have changed.
    void trustCheckFinished();
    // The empty state's buttons.
    void setupRequested();
    void sandboxRequested();

private:
    void updateEmptyState();
    void updateButtons();
    MappingEditor* openEditor(qint64 mappingId);

    MappingsModel* m_model;
    SyncController* m_controller = nullptr;
    qint64 m_pendingSelection = 0;
    NamingConvention m_convention;
    int m_defaultScheduleMinutes = keys::DefaultScheduleMinutes.fallback();
    HealthThresholds m_thresholds;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QLabel* m_count;
    QStackedWidget* m_stack;
    QTableView* m_view;
    EmptyState* m_empty;
    QWidget* m_emptyPane;
    QLabel* m_definition;
    QToolButton* m_add;
    QToolButton* m_edit;
    QToolButton* m_duplicate;
    QToolButton* m_pause;
    QToolButton* m_resume;
    QToolButton* m_delete;
    QToolButton* m_copy;
    QToolButton* m_rehearse;
    QToolButton* m_spotCheck;
    QToolButton* m_checklist;
    QMenu* m_contextMenu;
};

} // namespace lockstep
