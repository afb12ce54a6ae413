// The Health page: for the selected mapping(s), the size trend (Customer.io, synced,
// Mixpanel when verified) over 7/30/90 days with alert markers, churn per run, the
// size points as a table, and the open alerts with acknowledge; above them, the selected
// mappings' verdicts (the same as the Mappings page's Health column). A ghost-profile alert
// (unknown_profiles) offers the identity advisor.
// mappings' verdicts (the same as the Mappings page's Health column), and the exits the
// mass-exit safeguard holds, with Apply and Discard.
#pragma once

#include "engine/seamtypes.h"
#include "page.h"

#include <QList>

class QCheckBox;
class QGroupBox;
class QComboBox;
class QLabel;
class QListView;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTabWidget;

namespace lockstep {

class AlertsModel;
class ChurnChart;
class EmptyState;
class IdentityAdviceDialog;
class HeldExitsModel;
class MappingsModel;
class RowFilterProxy;
class SizeHistoryModel;
class SizeTrendChart;
class SyncController;

class HealthPage : public Page
{
    Q_OBJECT
public:
    HealthPage(SyncController* controller, MappingsModel* mappings, QWidget* parent = nullptr);

    SizeHistoryModel* historyModel() const { return m_history; }
    AlertsModel* alertsModel() const { return m_alerts; }
    SizeTrendChart* trendChart() const { return m_trend; }
    ChurnChart* churnChart() const { return m_churn; }
    HeldExitsModel* heldExitsModel() const { return m_held; }

    // The window in days (7, 30 or 90; 0: all the history).
    int windowDays() const;
    // History requests sent so far (tests: a window change sends none).
    int historyRequests() const { return m_historyRequests; }
    // Runs of the selected mappings inside the window.
    int runsInWindow() const;
    // The history asked for: every run (the window only moves the axes).
    static constexpr int kAllDays = 3650;
    QList<qint64> selectedMappingIds() const;
    void selectMappings(const QList<qint64>& ids);
    void acknowledgeSelected();
    // Selects the first listed alert of this rule; false when none is listed.
    bool selectAlert(const QString& rule);
    // The identity advisor for the mapping of the selected unknown_profiles alert.
    IdentityAdviceDialog* askAdvisor();
    // The selected held exits (the first row when none is selected): Apply sends them
    // (a sync of the mapping with --accept-exits), Discard keeps the members.
    void applyHeldExits();
    void discardHeldExits();

protected:
    void reload() override;

private:
    void loadHistory();
    void setAlerts(const QList<Alert>& alerts);
    void setHeld(const QList<HeldExits>& held);
    void updateEmptyState();
    void updateAlertFilter();
    void updateVerdict();
    void applyWindow();
    void updateHeld();
    int heldRow() const;

    SyncController* m_controller;
    MappingsModel* m_mappings;
    SizeHistoryModel* m_history;
    AlertsModel* m_alerts;
    AlertsModel* m_markerAlerts; // the selected mappings' alerts, resolved ones too
    RowFilterProxy* m_alertsProxy;
    QListView* m_mappingList;
    QComboBox* m_window;
    QLabel* m_summary;
    QLabel* m_verdict; // the selected mappings' verdicts and why
    QStackedWidget* m_stack;
    EmptyState* m_empty;
    SizeTrendChart* m_trend;
    ChurnChart* m_churn;
    QTabWidget* m_tabs;
    QTableView* m_alertsView;
    QTableView* m_pointsView;
    QPushButton* m_acknowledge;
    QPushButton* m_advisor; // for a selected unknown_profiles alert
    QCheckBox* m_allAlerts;
    RequestId m_historyRequest = 0; // the newest: older answers are for another selection
    RequestId m_markersRequest = 0;
    int m_historyRequests = 0;
    HeldExitsModel* m_held;
    QGroupBox* m_heldPanel;
    QLabel* m_heldNote;
    QTableView* m_heldView;
    QPushButton* m_heldApply;
    QPushButton* m_heldDiscard;
};

} // namespace lockstep
