// Settings: connections (with secrets, and Check connection: the doctor's checks as a
// table), health thresholds, the naming convention and the default schedule.
// Non-blocking (open()); saved() carries the values.
#pragma once

#include "engine/seamtypes.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace lockstep {

class ConnectionForm;
class DoctorView;
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

    void accept() override;
    // Runs the doctor's checks on what the form holds (as the Check connection button).
    void checkConnection();
    DoctorView* doctorView() const { return m_doctor; }
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
    QSpinBox* m_schedule;
};

} // namespace lockstep
