// Mismatches counted by reason, for the Identity page's bar chart and its summary
// table. It counts the rows of another model (the filtered mismatch list), so the
// chart always agrees with what the table shows.
#pragma once

#include "identity/identityresolver.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <array>

namespace lockstep {

class MismatchReasonsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // What happened to members with this reason, as the Identity page says it.
    static QString effectText(MismatchReason reason);
    enum Column
    {
        Reason,
        Count,
        Effect,
        ColumnCount
    };

    explicit MismatchReasonsModel(QObject* parent = nullptr);

    // Counts the CodeRole of column 0 of every row of `rows`, now and whenever it changes.
    void setSourceRows(QAbstractItemModel* rows);
    qint64 count(MismatchReason r) const { return m_counts[size_t(r)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    // One row per reason, always all of them (a chart with stable categories).
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void recount();

    QPointer<QAbstractItemModel> m_source;
    std::array<qint64, kMismatchReasonCount> m_counts{};
};

} // namespace lockstep
