// The Identity page: members of the latest runs that could not be matched to a
// Mixpanel $distinct_id, counted by reason (chart + table) and listed, filtered by
// mapping, reason and a search; exported as CSV (safe against formula injection).
#pragma once

#include "page.h"
#include "util/result.h"

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;
class QBarSet;
class QChartView;

namespace lockstep {

class EmptyState;
class MappingsModel;
class MismatchReasonsModel;
class MismatchesModel;
class RowFilterProxy;
class SyncController;

class IdentityPage : public Page
{
    Q_OBJECT
public:
    IdentityPage(SyncController* controller, MappingsModel* mappings, QWidget* parent = nullptr);

    MismatchesModel* model() const { return m_model; }
    MismatchReasonsModel* reasonsModel() const { return m_reasons; }
    RowFilterProxy* proxy() const { return m_proxy; }
    // The chart's bar values, in reason order (tests compare them with the table).
    QList<qreal> chartValues() const;

    // Writes the rows shown (after filters) to `path` as CSV (owner-only, never through
    // a link); the error says why not.
    Status exportCsv(const QString& path) const;
    static QByteArray toCsv(const QAbstractItemModel* rows);

protected:
    void reload() override;

private:
    void fillMappingFilter();
    void updateChart();
    void updateCount();

    SyncController* m_controller;
    MappingsModel* m_mappings;
    MismatchesModel* m_model;
    RowFilterProxy* m_proxy;
    MismatchReasonsModel* m_reasons;
    QComboBox* m_mappingFilter;
    QComboBox* m_reasonFilter;
    QLineEdit* m_search;
    QLabel* m_count;
    QPushButton* m_export;
    QStackedWidget* m_stack;
    EmptyState* m_empty;
    QChartView* m_chart;
    QBarSet* m_bars;
    QTableView* m_reasonsView;
    QTableView* m_view;
};

} // namespace lockstep
