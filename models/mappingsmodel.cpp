#include "mappingsmodel.h"

#include "displayformat.h"
#include "modelroles.h"
#include "rowdiff.h"

namespace lockstep {

namespace {
qint64 lastSyncMs(const MappingOverview& m)
{
    if (!m.lastRun)
        return 0;
    return m.lastRun->finishedAtMs > 0 ? m.lastRun->finishedAtMs : m.lastRun->startedAtMs;
}
} // namespace

MappingsModel::MappingsModel(QObject* parent) : QAbstractTableModel(parent) {}

void MappingsModel::setMappings(const QList<MappingOverview>& mappings)
{
    const auto id = [](const MappingOverview& m) { return m.mapping.id; };
    if (!m_rows.isEmpty() && sameIds(m_rows, mappings, id)) {
        m_rows = mappings;
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = mappings;
    endResetModel();
}

void MappingsModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int MappingsModel::rowOf(qint64 mappingId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].mapping.id == mappingId)
            return int(i);
    return -1;
}

int MappingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MappingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MappingsModel::statusName(const MappingOverview& m)
{
    if (m.mapping.paused)
        return QStringLiteral("paused");
    if (!m.lastRun)
        return QStringLiteral("never_synced");
    return runStatusName(m.lastRun->status);
}

QVariant MappingsModel::display(const MappingOverview& m, int column) const
{
    switch (column) {
    case Segment:
        return m.mapping.segmentName.isEmpty()
                   ? QStringLiteral("Segment %1").arg(m.mapping.segmentId)
                   : m.mapping.segmentName;
    case Cohort:
        return m.mapping.cohortName;
    case Identity:
        return identityKeyName(m.mapping.identity);
    case Mode:
        return m.mapping.mode == SyncMode::List
                   ? QStringLiteral("list · %1").arg(m.mapping.listProperty)
                   : QStringLiteral("flag");
    case LastSync:
        return m.lastRun ? format::timestamp(lastSyncMs(m)) : QStringLiteral("never");
    case Size:
        return m.lastRun ? format::count(m.syncedCount) : QString();
    case Status:
        if (m.mapping.paused)
            return QStringLiteral("Paused");
        if (!m.lastRun)
            return QStringLiteral("Never synced");
        return format::runStatus(m.lastRun->status);
    }
    return {};
}

QVariant MappingsModel::sortValue(const MappingOverview& m, int column) const
{
    switch (column) {
    case LastSync:
        return lastSyncMs(m);
    case Size:
        return m.lastRun ? m.syncedCount : qint64(-1);
    case Status:
        return statusName(m);
    default:
        return display(m, column);
    }
}

QVariant MappingsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MappingOverview& m = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(m, index.column());
    case SortRole:
        return sortValue(m, index.column());
    case MappingIdRole:
        return m.mapping.id;
    case StatusNameRole:
        return statusName(m);
    case StatusToneRole:
        if (index.column() != Status)
            return {};
        if (m.mapping.paused || !m.lastRun)
            return int(StatusTone::Neutral);
        return int(format::tone(m.lastRun->status));
    case Qt::TextAlignmentRole:
        if (index.column() == Size)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Segment:
            return QStringLiteral("Customer.io segment %1").arg(m.mapping.segmentId);
        case Cohort:
            return m.mapping.cohortDefinition();
        case Size:
            if (m.lastRun)
                return QStringLiteral("%1 keys in Mixpanel; %2 members read from Customer.io")
                    .arg(format::count(m.syncedCount), format::count(m.lastRun->segmentCount));
            return {};
        case Status:
            if (m.lastRun && !m.lastRun->message.isEmpty())
                return m.lastRun->message;
            return {};
        }
        return {};
    }
    return {};
}

QVariant MappingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Segment:
        return QStringLiteral("Segment");
    case Cohort:
        return QStringLiteral("Cohort");
    case Identity:
        return QStringLiteral("Identity key");
    case Mode:
        return QStringLiteral("Mode");
    case LastSync:
        return QStringLiteral("Last sync");
    case Size:
        return QStringLiteral("Size");
    case Status:
        return QStringLiteral("Status");
    }
    return {};
}

} // namespace lockstep
