// Settings: connections (with secrets, and Check connection: the doctor's checks as a
// table), health thresholds, the naming convention (with a preview of the cohorts a new
// pattern would fail), the default schedule, the theme and the alert channels
// (Notifications).
// Non-blocking (open()); saved() carries the values.
#pragma once

#include "engine/seamtypes.h"
#include "themes.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace lockstep {

class ConnectionForm;
class DoctorView;
class NotificationsPage;
class Notifier;
class SyncController;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(SyncController* controller, QWidget* parent = nullptr);

    void setSettings(const WorkspaceSettings& s, const Credentials& c);
    WorkspaceSettings settings() const;
    // What setSettings() gave: saving writes only what differs from it.
    const WorkspaceSettings& baseSettings() const { return m_base; }
    Credentials credentials() const;

    // The workspace's cohort names: a pattern being edited says which would fail it.
    void setCohortNames(const QStringList& names);
    void setTheme(Theme theme);
    Theme theme() const;

    void accept() override;
    // Runs the doctor's checks on what the form holds (as the Check connection button).
    void checkConnection();
    DoctorView* doctorView() const { return m_doctor; }
    // Adds the Notifications tab (the process's alert delivery reads and writes channels).
    void setNotifier(Notifier* notifier);
    NotificationsPage* notificationsPage() const { return m_notifications; }
    void showTab(const QString& objectName);
    bool isChecking() const { return m_check != 0; }

Q_SIGNALS:
    void saved(const lockstep::WorkspaceSettings& settings,
               const lockstep::Credentials& credentials);

private:
    void checkPattern();

    SyncController* m_controller;
    WorkspaceSettings m_base;
    QTabWidget* m_tabs;
    ConnectionForm* m_connection;
    QLabel* m_testResult;
    DoctorView* m_doctor;
    RequestId m_check = 0; // the connection check in flight
    QDoubleSpinBox* m_collapse;
    QDoubleSpinBox* m_wow;
    QDoubleSpinBox* m_churn;
    QDoubleSpinBox* m_stale;
    QDoubleSpinBox* m_notReady;
    QDoubleSpinBox* m_drift;
    QDoubleSpinBox* m_match;
    QDoubleSpinBox* m_unknownWarning;
    QDoubleSpinBox* m_unknownCritical;
    QDoubleSpinBox* m_massExit;
    QLineEdit* m_pattern;
    QLabel* m_patternCheck;
    QLabel* m_patternPreview;
    QStringList m_cohortNames;
    QSpinBox* m_schedule;
    QComboBox* m_theme;
    NotificationsPage* m_notifications = nullptr;
};

} // namespace lockstep
