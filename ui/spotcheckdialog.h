// "Spot-check people": N members drawn at random from the mapping's segment
// plus anyone the operator names (id, e-mail or cio_id), checked in both systems with one
// budgeted Mixpanel query. One row per person: in the segment, in Mixpanel, carrying the
// cohort value, and the likely reason when not. Shows the query budget left this hour and
// refuses to run when it is used up. Runs in the engine thread; never blocks.
#pragma once

#include "engine/seamtypes.h"
#include "store/records.h"
#include "trust/trustrecords.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace lockstep {

class SyncController;

class SpotCheckDialog : public QDialog
{
    Q_OBJECT
public:
    SpotCheckDialog(SyncController* controller, const Mapping& mapping, QWidget* parent = nullptr);

    const Mapping& mapping() const { return m_mapping; }
    void setCount(int count);
    // Ids, e-mails or cio_ids, separated by commas, semicolons or spaces.
    void setNamed(const QStringList& people);
    QStringList named() const;
    void run();
    bool isBusy() const { return m_pending; }
    const QueryBudgetState& budget() const { return m_budget; }
    const std::optional<SpotCheckResult>& result() const { return m_result; }

Q_SIGNALS:
    void spotCheckFinished(const lockstep::SpotCheckResult& result);
    void checkFailed(const QString& message);

private:
    void onResult(const SpotCheckResult& result);
    void onFailed(const SyncError& error);
    void setBudget(const QueryBudgetState& budget);
    void updateButtons();
    void setStatus(const QString& text, bool error = false);

    SyncController* m_controller;
    Mapping m_mapping;
    bool m_pending = false;
    QueryBudgetState m_budget;
    std::optional<SpotCheckResult> m_result;

    QSpinBox* m_count;
    QLineEdit* m_named;
    QLabel* m_budgetLabel;
    QLabel* m_status;
    QTableWidget* m_people;
    QPushButton* m_run;
};

} // namespace lockstep
