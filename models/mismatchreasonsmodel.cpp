#include "mismatchreasonsmodel.h"

#include "displayformat.h"
#include "mismatchesmodel.h"
#include "modelroles.h"

namespace lockstep {

MismatchReasonsModel::MismatchReasonsModel(QObject* parent) : QAbstractTableModel(parent) {}

void MismatchReasonsModel::setSourceRows(QAbstractItemModel* rows)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = rows;
    connect(rows, &QAbstractItemModel::modelReset, this, &MismatchReasonsModel::recount);
    connect(rows, &QAbstractItemModel::layoutChanged, this, &MismatchReasonsModel::recount);
    connect(rows, &QAbstractItemModel::rowsInserted, this, &MismatchReasonsModel::recount);
    connect(rows, &QAbstractItemModel::rowsRemoved, this, &MismatchReasonsModel::recount);
    recount();
}

void MismatchReasonsModel::recount()
{
    std::array<qint64, kMismatchReasonCount> counts{};
    if (m_source)
        for (int row = 0; row < m_source->rowCount(); ++row)
            if (auto r = parseMismatchReason(m_source->index(row, 0).data(CodeRole).toString()))
                ++counts[size_t(*r)];
    if (counts == m_counts)
        return;
    m_counts = counts;
    Q_EMIT dataChanged(index(0, 0), index(kMismatchReasonCount - 1, ColumnCount - 1));
}

int MismatchReasonsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kMismatchReasonCount;
}

int MismatchReasonsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MismatchReasonsModel::effectText(MismatchReason reason)
{
    switch (reason) {
    case MismatchReason::VanishedAfterMerge:
        // The exit is real in Mixpanel (the key is removed); the record tells it from churn.
        return tr("removed (merged away, not churn)");
    case MismatchReason::UnknownToMixpanel:
        return tr("sent to a profile Mixpanel did not know");
    case MismatchReason::ValueMissing:
        return tr("sent, not on the profile (token of another project?)");
    default:
        return mismatchIsWarning(reason) ? tr("sent (shared key)") : tr("not sent");
    }
}

QVariant MismatchReasonsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto reason = MismatchReason(index.row());
    const qint64 n = m_counts[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Reason:
            return MismatchesModel::reasonText(reason);
        case Count:
            return format::count(n);
        case Effect:
            return effectText(reason);
        }
        return {};
    case SortRole:
        return index.column() == Count ? QVariant(n) : data(index, Qt::DisplayRole);
    case ValueRole:
        return n;
    case CodeRole:
        return mismatchReasonName(reason);
    case Qt::TextAlignmentRole:
        if (index.column() == Count)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant MismatchReasonsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const titles[] = {QT_TR_NOOP("Reason"), QT_TR_NOOP("Members"),
                                         QT_TR_NOOP("Effect")};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace lockstep
