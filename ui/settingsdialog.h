// Settings: connections (with secrets), health thresholds, the naming convention and
// the default schedule. Non-blocking (open()); saved() carries the values.
#pragma once

#include "engine/queryworker.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace lockstep {

class ConnectionForm;
class SyncController;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(SyncController* controller, QWidget* parent = nullptr);

    void setSettings(const WorkspaceSettings& s, const Credentials& c);
    WorkspaceSettings settings() const;
    Credentials credentials() const;

    void accept() override;

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
    QDoubleSpinBox* m_collapse;
    QDoubleSpinBox* m_wow;
    QDoubleSpinBox* m_churn;
    QDoubleSpinBox* m_stale;
    QDoubleSpinBox* m_drift;
    QDoubleSpinBox* m_match;
    QLineEdit* m_pattern;
    QLabel* m_patternCheck;
    QSpinBox* m_schedule;
};

} // namespace lockstep
