// The size history behind the Health page: one row per run point, grouped by mapping
// (oldest first within a mapping). The trend and churn charts read this same model
// (through ModelSeriesAdapter), so the table and the charts cannot disagree.
#pragma once

#include "engine/seamtypes.h"

#include <QAbstractTableModel>
#include <QHash>

namespace lockstep {

class SizeHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Mapping,
        Time,
        Segment,
        Synced,
        Mixpanel,
        Entered,
        Exited,
        Mismatched,
        ColumnCount
    };

    explicit SizeHistoryModel(QObject* parent = nullptr);

    // Always a reset: a new window or selection is a different table.
    void setHistory(const SizeHistoryData& data, const QHash<qint64, QString>& names);
    void clear();

    const SizeHistoryData& history() const { return m_data; }
    QList<qint64> mappingIds() const;
    // First row and row count of a mapping's points; {0, 0} when absent.
    std::pair<int, int> rowRange(qint64 mappingId) const;
    QString mappingName(qint64 mappingId) const { return m_names.value(mappingId); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    // ValueRole: the number behind a cell (Time: Unix ms; Mixpanel: invalid when not
    // verified), as charts plot it.
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        qint64 mappingId;
        SizePoint point;
    };
    QVariant value(const Row& r, int column) const;

    SizeHistoryData m_data;
    QHash<qint64, QString> m_names;
    QList<Row> m_rows;
    QHash<qint64, std::pair<int, int>> m_ranges;
};

} // namespace lockstep
