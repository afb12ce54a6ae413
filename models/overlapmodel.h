// The Overlap page's heat map: an N × N table of mapped cohorts where a cell is the
// share of the row cohort's members that are also in the column cohort (or the
// Jaccard index, a toggle), counted by Customer.io person (the default) or by Mixpanel
// key. Watched pairs are flagged so the view can highlight them.
#pragma once

#include "engine/seamtypes.h"

#include <QAbstractTableModel>
#include <QSet>

namespace lockstep {

class OverlapModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Metric
    {
        ShareOfRowInColumn,
        Jaccard
    };

    // What a member is: a Customer.io person (cio_id), whatever key each mapping sends,
    // or a Mixpanel key ($distinct_id), as Mixpanel holds the cohorts.
    enum class View
    {
        People,
        Keys
    };

    // Two cohorts whose overlap reads differently by person and by key.
    struct Difference
    {
        qint64 mappingA = 0;
        qint64 mappingB = 0;
        uint64_t byPerson = 0; // shared people
        uint64_t byKey = 0;    // shared keys
    };

    explicit OverlapModel(QObject* parent = nullptr);

    void setOverlap(const OverlapData& data);
    void setMetric(Metric m);
    Metric metric() const { return m_metric; }
    void setView(View v);
    View view() const { return m_view; }

    const OverlapData& overlap() const { return m_data; }
    // The matrix the view shows.
    const OverlapMatrix& matrix() const
    {
        return m_view == View::People ? m_data.people : m_data.matrix;
    }
    qint64 mappingAt(int i) const { return matrix().mappingIds.value(i); }
    QString nameAt(int i) const { return matrix().names.value(i); }
    int indexOf(qint64 mappingId) const { return int(matrix().mappingIds.indexOf(mappingId)); }
    OverlapStats stats(int row, int column) const { return matrix().stats(row, column); }
    bool isWatched(qint64 a, qint64 b) const;
    // The pairs (a < b by position) whose shared count differs between the two views,
    // largest difference first.
    QList<Difference> differences() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    // DisplayRole "42 %"; ValueRole the metric in [0, 1]; WatchedRole; ToolTipRole counts.
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    double value(int row, int column) const;

    OverlapData m_data;
    QSet<std::pair<qint64, qint64>> m_watched; // (smaller id, larger id)
    Metric m_metric = Metric::ShareOfRowInColumn;
    View m_view = View::People;
};

} // namespace lockstep
