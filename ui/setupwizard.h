// The first-run guided set-up: connect Customer.io and Mixpanel (with a test), pick a
// segment from the live list (size, state), name the cohort with live naming feedback,
// choose the identity key with the identity advisor's answer, dry run, then sync. Or, until
// connected, "Try the sandbox" (finishes with SandboxResult; the caller opens the demo).
// Every step talks to the engine through SyncController; nothing blocks.
#pragma once

#include "engine/seamtypes.h"

#include <QWizard>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace lockstep {

class IdentityAdviceView;

class ConnectionForm;
class DoctorView;
class NamingFeedback;
class SyncController;

class SetupWizard : public QWizard
{
    Q_OBJECT
public:
    // done() code when the operator chose the sandbox instead of connecting.
    static constexpr int SandboxResult = 2;
    enum PageId
    {
        ConnectPage,
        SegmentPage,
        NamePage,
        IdentityPage,
        DryRunPage,
        SyncPage
    };

    SetupWizard(SyncController* controller, const WorkspaceSettings& settings,
                const Credentials& credentials, QWidget* parent = nullptr);

    qint64 mappingId() const { return m_mappingId; }
    Mapping mapping() const;
    Credentials credentials() const;
    bool connectionOk() const { return m_connectionOk; }

Q_SIGNALS:
    void sandboxRequested();
    // The connection and secrets the operator entered (after a successful test).
    void connected(const lockstep::WorkspaceSettings& settings,
                   const lockstep::Credentials& credentials);

protected:
    void initializePage(int id) override;
    bool validateCurrentPage() override;
    void done(int result) override;

private:
    QWizardPage* makeConnectPage();
    QWizardPage* makeSegmentPage();
    QWizardPage* makeNamePage();
    QWizardPage* makeIdentityPage();
    QWizardPage* makeDryRunPage();
    QWizardPage* makeSyncPage();
    void refreshCompleteness();
    const SegmentChoice* selectedSegment() const;
    // Saves the mapping; its answer starts the dry run.
    void saveMapping();
    // The answer to the wizard's own dry run or sync.
    void onRunsFinished(const QList<RunRecord>& runs);

    SyncController* m_controller;
    WorkspaceSettings m_settings;
    ConnectionForm* m_connection = nullptr;
    QLabel* m_testResult = nullptr;
    DoctorView* m_doctor = nullptr; // the connection test's checks, as `lockstep doctor`
    QTableWidget* m_segments = nullptr;
    QLineEdit* m_cohort = nullptr;
    NamingFeedback* m_naming = nullptr;
    QLineEdit* m_owner = nullptr;
    QLineEdit* m_decision = nullptr;
    QComboBox* m_identity = nullptr;
    IdentityAdviceView* m_advice = nullptr; // the identity advisor's answer
    QLabel* m_dryRunResult = nullptr;
    QPushButton* m_syncButton = nullptr;
    QLabel* m_syncResult = nullptr;
    QList<SegmentChoice> m_segmentChoices;
    bool m_connectionOk = false;
    qint64 m_mappingId = 0;
    RequestId m_test = 0;          // the newest connection test
    RequestId m_adviceRequest = 0; // the newest identity advice
    RequestId m_saving = 0;        // the save in flight, so Back and Next do not save twice
    bool m_dryRunDone = false;
    bool m_syncDone = false;
    bool m_cancelled = false; // a draft saved after this is removed at once
};

} // namespace lockstep
