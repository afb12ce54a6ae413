// "Rehearse on a test segment": the operator picks a small Customer.io segment
// (sizes listed; a big one is warned about, one past the engine's cap refused), sees the
// temporary cohort value the rehearsal writes, runs it, reads pass/fail per person and
// removes the temporary value with Clean up. The work runs in the engine thread through
// SyncController; the dialog never blocks. Non-modal hooks for tests: selectSegment(),
// run(), cleanUp().
#pragma once

#include "engine/seamtypes.h"
#include "store/records.h"
#include "trust/trustrecords.h"

#include <QDialog>

#include <optional>

class QLabel;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace lockstep {

class SyncController;

class RehearsalDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kWarnSize = 50; // a rehearsal writes to every member's profile
    static constexpr int kMaxSize = 200; // RehearsalOptions::sizeCap: refused past this

    RehearsalDialog(SyncController* controller, const Mapping& mapping, QWidget* parent = nullptr);

    const Mapping& mapping() const { return m_mapping; }
    // Selects the segment in the list; false when it is not listed (yet).
    bool selectSegment(qint64 segmentId);
    qint64 selectedSegmentId() const;
    // Selects the smallest segment a rehearsal can run on; false when there is none.
    bool selectSmallestSegment();
    int segmentCount() const;
    void run();
    void cleanUp();
    bool isBusy() const { return m_waiting != Waiting::Nothing; }
    const std::optional<RehearsalResult>& result() const { return m_result; }
    const std::optional<RehearsalCleanup>& cleanup() const { return m_cleanup; }
    // The rehearsal to clean up came from an earlier session (the workspace remembers it).
    bool cleansEarlierRehearsal() const { return m_earlier; }

    // Asks first while the temporary value is still on profiles (clean up, or keep it).
    void reject() override;

Q_SIGNALS:
    void segmentsLoaded();
    void rehearsalFinished(const lockstep::RehearsalResult& result);
    void cleanupFinished(const lockstep::RehearsalCleanup& cleanup);
    void checkFailed(const QString& message);

private:
    void onSegments(const QList<SegmentChoice>& segments);
    void onResult(const RehearsalResult& result);
    void onCleanup(const RehearsalCleanup& cleanup);
    void onOpenRehearsal(const RehearsalResult& open);
    void onSegmentsFailed(const SyncError& error);
    void onFailed(const SyncError& error);
    void setBudget(const QueryBudgetState& budget);
    void updateSelection();
    void updateValue();
    void updateButtons();
    void setStatus(const QString& text, bool error = false);

    SyncController* m_controller;
    Mapping m_mapping;
    // What the dialog waits for: the answer of its own request in flight.
    enum class Waiting
    {
        Nothing,
        Segments,
        Rehearsal,
        Cleanup
    };
    Waiting m_waiting = Waiting::Nothing;
    QueryBudgetState m_budget;
    std::optional<RehearsalResult> m_result;
    std::optional<RehearsalCleanup> m_cleanup;
    bool m_earlier = false;           // m_result is an earlier, uncleaned rehearsal
    bool m_closing = false;           // the operator chose to keep the value
    bool m_closeAfterCleanup = false; // "Clean up now" from the close question

    QTreeWidget* m_segments;
    QLabel* m_sizeNote;
    QLabel* m_value;
    QLabel* m_budgetLabel;
    QLabel* m_status;
    QString m_valueError; // the temporary value would pass Mixpanel's 255 bytes
    QTableWidget* m_people;
    QPushButton* m_run;
    QPushButton* m_cleanupButton;
};

} // namespace lockstep
