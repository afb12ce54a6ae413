// The Overlap page's heat map: an N × N table of mapped cohorts where a cell is the
// share of the row cohort's members that are also in the column cohort (or the
// Jaccard index, a toggle). Watched pairs are flagged so the view can highlight them.
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

    explicit OverlapModel(QObject* parent = nullptr);

    void setOverlap(const OverlapData& data);
    void setMetric(Metric m);
    Metric metric() const { return m_metric; }

    const OverlapData& overlap() const { return m_data; }
    qint64 mappingAt(int i) const { return m_data.matrix.mappingIds.value(i); }
    QString nameAt(int i) const { return m_data.matrix.names.value(i); }
    int indexOf(qint64 mappingId) const { return int(m_data.matrix.mappingIds.indexOf(mappingId)); }
    OverlapStats stats(int row, int column) const { return m_data.matrix.stats(row, column); }
    bool isWatched(qint64 a, qint64 b) const;

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
};

} // namespace lockstep
