// The Runs page's table: the run history, newest first, with counts and costs.
#pragma once

#include "store/records.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace lockstep {

class RunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        RunId,
        Mapping,
        Kind,
        Status,
        Started,
        Duration,
        Entered,
        Exited,
        Unchanged,
        Mismatched,
        Failed,
        ApiCalls,
        Http429,
        Message,
        ColumnCount
    };

    explicit RunsModel(QObject* parent = nullptr);

    // Replaces the history. Same runs -> rows updated in place; new runs in front of the
    // same history -> rows inserted; anything else -> reset.
    void setRuns(const QList<RunRecord>& runs);
    // Updates the run with the same id, or puts a new one at the top (runFinished).
    void upsertRun(const RunRecord& run);
    void clear();
    // Names for the Mapping column (cohort names by mapping id).
    void setMappingNames(const QHash<qint64, QString>& names);
    const QHash<qint64, QString>& mappingNames() const { return m_mappingNames; }

    const QList<RunRecord>& runs() const { return m_rows; }
    int rowOf(qint64 runId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void mappingNamesChanged();

private:
    QString mappingName(qint64 mappingId) const;
    QVariant display(const RunRecord& r, int column) const;
    QVariant sortValue(const RunRecord& r, int column) const;

    QList<RunRecord> m_rows;
    QHash<qint64, QString> m_mappingNames;
};

} // namespace lockstep
