// The Runs page: run history (newest first) and, for the selected run, the batches
// that could not be delivered.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSettings;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace lockstep {

class BatchErrorsModel;
class EmptyState;
class RowFilterProxy;
class RunsModel;

class RunsPage : public QWidget
{
    Q_OBJECT
public:
    RunsPage(RunsModel* runs, BatchErrorsModel* batchErrors, QWidget* parent = nullptr);

    // 0 when no run is selected.
    qint64 currentRunId() const;
    // While a sync runs the page offers to cancel it.
    void setBusy(bool busy);

    void saveState(QSettings& settings) const;
    void restoreState(QSettings& settings);

Q_SIGNALS:
    // A run was selected: its batch errors should be loaded into the BatchErrorsModel.
    void runSelected(qint64 runId);
    void cancelRequested();

private:
    void onCurrentRunChanged();
    void updateRunsEmptyState();
    void updateErrorsEmptyState();
    void fillMappingFilter();
    // What the batch pane says of a run without batch errors.
    QString batchesText(qint64 runId) const;

    RunsModel* m_runs;
    BatchErrorsModel* m_errors;
    RowFilterProxy* m_proxy;
    QComboBox* m_mappingFilter;
    QComboBox* m_statusFilter;
    QSplitter* m_splitter;
    QStackedWidget* m_runsStack;
    QTableView* m_runsView;
    EmptyState* m_runsEmpty;
    QLabel* m_errorsTitle;
    QStackedWidget* m_errorsStack;
    QTableView* m_errorsView;
    EmptyState* m_errorsEmpty;
    QLabel* m_summary;
    QPushButton* m_cancel;
};

} // namespace lockstep
