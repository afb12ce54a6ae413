// The Overlap page: a heat map of how much the mapped cohorts overlap (share of the row
// cohort in the column cohort, or Jaccard), by Customer.io person or by Mixpanel key,
// with a note where the two differ; the counts of the selected pair, and the watched
// pairs that must stay disjoint (add, remove, highlighted in the map).
#pragma once

#include "engine/seamtypes.h"
#include "page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QTableView;

namespace lockstep {

class EmptyState;
class MappingsModel;
class OverlapModel;
class SyncController;

class OverlapPage : public Page
{
    Q_OBJECT
public:
    OverlapPage(SyncController* controller, QWidget* parent = nullptr);

    OverlapModel* model() const { return m_model; }
    void selectPair(int row, int column);
    // Watches (or stops watching) the selected pair.
    void toggleWatched();

protected:
    void reload() override;

private:
    void setOverlap(const OverlapData& data);
    void updatePair();
    void updateEmptyState();
    void updateNote();

    SyncController* m_controller;
    OverlapModel* m_model;
    QStackedWidget* m_stack;
    QTableView* m_view;
    EmptyState* m_empty;
    QRadioButton* m_share;
    QRadioButton* m_jaccard;
    QComboBox* m_countBy;
    QLabel* m_note; // where people and keys disagree, and who has no people yet
    QLabel* m_pair;
    QLineEdit* m_label;
    QPushButton* m_watch;
};

} // namespace lockstep
