// "Open rehearsals": every rehearsal closed without Clean up, whose temporary value is still
// on profiles in Mixpanel, listed from the workspace (so after a restart too) with a Clean up
// button per row. A clean-up runs in the engine thread; its row goes once Mixpanel confirms
// the value is gone (the engine's list, announced after every trust check, no longer has it).
// Non-modal; tests drive it through cleanupButton() and the signals.
#pragma once

#include "engine/seamtypes.h"
#include "trust/trustrecords.h"

#include <QDialog>
#include <QSet>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableWidget;

namespace lockstep {

class SyncController;

class OpenRehearsalsDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column
    {
        Cohort,
        Value,
        Property,
        Profiles,
        Made,
        By,
        Action,
        ColumnCount
    };

    explicit OpenRehearsalsDialog(SyncController* controller, QWidget* parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    int rowCount() const;
    // The rehearsals listed, by their id (OpenRehearsal::checkId), in row order.
    QList<qint64> listedIds() const;
    // The row's Clean up button; null when the rehearsal is not listed.
    QPushButton* cleanupButton(qint64 checkId) const;
    // Starts the clean-up of a listed rehearsal; false when it is not listed or already
    // being cleaned up.
    bool cleanUp(qint64 checkId);
    bool isBusy() const { return !m_cleaning.isEmpty(); }

Q_SIGNALS:
    void loaded();
    void cleanupFinished(qint64 checkId, const lockstep::RehearsalCleanup& cleanup);
    void cleanupFailed(qint64 checkId, const QString& message);

private:
    void setRehearsals(const QList<OpenRehearsal>& open);
    void setBudget(const QueryBudgetState& budget);
    void updateButtons();
    void setStatus(const QString& text, bool error = false);

    SyncController* m_controller;
    QList<OpenRehearsal> m_open;
    QSet<qint64> m_cleaning; // clean-ups in flight, by rehearsal id
    QueryBudgetState m_budget;
    bool m_loaded = false;

    QLabel* m_summary;
    QStackedWidget* m_stack;
    QTableWidget* m_table;
    QLabel* m_empty;
    QLabel* m_budgetLabel;
    QLabel* m_status;
};

} // namespace lockstep
