// The per-batch errors of one run, shown under the Runs table for the selected run.
#pragma once

#include "store/records.h"

#include <QAbstractTableModel>
#include <QList>

namespace lockstep {

class BatchErrorsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Batch,
        Operation,
        Size,
        Error,
        ColumnCount
    };

    explicit BatchErrorsModel(QObject* parent = nullptr);

    // The errors of `runId` (always a reset: a different run is a different list).
    void setErrors(qint64 runId, const QList<BatchError>& errors);
    void clear();
    // 0 when no run is shown.
    qint64 runId() const { return m_runId; }
    const QList<BatchError>& errors() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    qint64 m_runId = 0;
    QList<BatchError> m_rows;
};

} // namespace lockstep
