#include "sizehistorymodel.h"

#include "displayformat.h"
#include "modelroles.h"

namespace lockstep {

SizeHistoryModel::SizeHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void SizeHistoryModel::setHistory(const SizeHistoryData& data, const QHash<qint64, QString>& names)
{
    beginResetModel();
    m_data = data;
    m_names = names;
    m_rows.clear();
    m_ranges.clear();
    for (const SizeHistorySeries& s : data.series) {
        const int first = int(m_rows.size());
        for (const SizePoint& p : s.points)
            m_rows.append({s.mappingId, p});
        m_ranges.insert(s.mappingId, {first, int(m_rows.size()) - first});
    }
    endResetModel();
}

void SizeHistoryModel::clear()
{
    setHistory({}, {});
}

QList<qint64> SizeHistoryModel::mappingIds() const
{
    QList<qint64> ids;
    for (const SizeHistorySeries& s : m_data.series)
        ids.append(s.mappingId);
    return ids;
}

std::pair<int, int> SizeHistoryModel::rowRange(qint64 mappingId) const
{
    return m_ranges.value(mappingId, {0, 0});
}

int SizeHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SizeHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SizeHistoryModel::value(const Row& r, int column) const
{
    const SizePoint& p = r.point;
    switch (column) {
    case Time:
        return p.atMs;
    case Segment:
        return p.segmentCount;
    case Synced:
        return p.syncedCount;
    case Mixpanel:
        return p.verified() ? QVariant(p.mixpanelCount) : QVariant();
    case Entered:
        return p.entered;
    case Exited:
        return p.exited;
    case Mismatched:
        return p.mismatched;
    }
    return {};
}

QVariant SizeHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Mapping)
            return m_names.value(r.mappingId, tr("Mapping %1").arg(r.mappingId));
        if (index.column() == Time)
            return format::timestamp(r.point.atMs);
        if (index.column() == Mixpanel && !r.point.verified())
            return QStringLiteral("—");
        return format::count(value(r, index.column()).toLongLong());
    case SortRole:
        return index.column() == Mapping ? data(index, Qt::DisplayRole) : value(r, index.column());
    case ValueRole:
        return value(r, index.column());
    case MappingIdRole:
        return r.mappingId;
    case RunIdRole:
        return r.point.runId;
    case Qt::TextAlignmentRole:
        if (index.column() >= Segment)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant SizeHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const titles[] = {QT_TR_NOOP("Mapping"),     QT_TR_NOOP("Time"),
                                         QT_TR_NOOP("Customer.io"), QT_TR_NOOP("Synced"),
                                         QT_TR_NOOP("Mixpanel"),    QT_TR_NOOP("Entered"),
                                         QT_TR_NOOP("Exited"),      QT_TR_NOOP("Mismatched")};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace lockstep
