// The Mappings page: every segment -> cohort mapping with its last sync, filterable and
// sortable, and the selection that "Resync selected" and "Dry run" act on.
#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSettings;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace lockstep {

class EmptyState;
class MappingsModel;

class MappingsPage : public QWidget
{
    Q_OBJECT
public:
    explicit MappingsPage(MappingsModel* model, QWidget* parent = nullptr);

    QList<qint64> selectedMappingIds() const;
    void focusFilter();

    void saveState(QSettings& settings) const;
    void restoreState(QSettings& settings);

Q_SIGNALS:
    void selectionChanged();
    // Double-click or Enter on a row: the operator wants this mapping synced.
    void resyncRequested(qint64 mappingId);

private:
    void updateEmptyState();

    MappingsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QLabel* m_count;
    QStackedWidget* m_stack;
    QTableView* m_view;
    EmptyState* m_empty;
};

} // namespace lockstep
