// A mapping's rollout checklist in the console: every item with its evidence (what made it
// green, or what is missing and how to get it), the reporting plan's board opened from
// here, and the segment stability review recorded with who reviewed it.
#pragma once

#include "store/records.h"
#include "trust/trustrecords.h"

#include <QDialog>

#include <functional>

class QLabel;
class QPushButton;
class QTableWidget;

namespace lockstep {

class SyncController;

class ChecklistDialog : public QDialog
{
    Q_OBJECT
public:
    ChecklistDialog(SyncController* controller, const Mapping& mapping, QWidget* parent = nullptr);

    void setChecklist(const RolloutChecklist& checklist);
    void showChecklists(const QList<RolloutChecklist>& checklists);
    const RolloutChecklist& checklist() const { return m_checklist; }
    // Asks for the reviewer's name (`name` set: no question, for tests) and records the review.
    void reviewStability(const QString& name = {});
    // Opens the reporting plan's board; false when there is none.
    bool openReport();
    // Tests replace what opens a URL.
    void setUrlOpener(std::function<bool(const QUrl&)> opener) { m_open = std::move(opener); }

private:
    SyncController* m_controller;
    Mapping m_mapping;
    RolloutChecklist m_checklist;
    QLabel* m_summary;
    QTableWidget* m_items;
    QPushButton* m_openReport;
    QPushButton* m_review;
    std::function<bool(const QUrl&)> m_open;
};

} // namespace lockstep
