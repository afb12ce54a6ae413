#include "batcherrorsmodel.h"

#include "displayformat.h"
#include "modelroles.h"

namespace lockstep {

BatchErrorsModel::BatchErrorsModel(QObject* parent) : QAbstractTableModel(parent) {}

void BatchErrorsModel::setErrors(qint64 runId, const QList<BatchError>& errors)
{
    beginResetModel();
    m_runId = runId;
    m_rows = errors;
    endResetModel();
}

void BatchErrorsModel::clear()
{
    beginResetModel();
    m_runId = 0;
    m_rows.clear();
    endResetModel();
}

int BatchErrorsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BatchErrorsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BatchErrorsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BatchError& e = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Batch:
            return e.batch;
        case Operation:
            return e.operation;
        case Size:
            return format::count(e.size);
        case Error:
            return e.error;
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case Batch:
            return e.batch;
        case Size:
            return e.size;
        default:
            return data(index, Qt::DisplayRole);
        }
    case RunIdRole:
        return e.runId;
    case Qt::ToolTipRole:
        return index.column() == Error ? QVariant(e.error) : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == Batch || index.column() == Size)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant BatchErrorsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Batch:
        return tr("Batch");
    case Operation:
        return tr("Operation");
    case Size:
        return tr("Updates");
    case Error:
        return tr("Error");
    }
    return {};
}

} // namespace lockstep
