#include "heldexitsmodel.h"

#include "displayformat.h"
#include "modelroles.h"
#include "rowdiff.h"

#include <QLocale>

namespace lockstep {

HeldExitsModel::HeldExitsModel(QObject* parent) : QAbstractTableModel(parent) {}

void HeldExitsModel::setHeld(const QList<HeldExits>& held)
{
    const auto id = [](const HeldExits& h) { return h.id; };
    if (!m_rows.isEmpty() && sameIds(m_rows, held, id)) {
        m_rows = held;
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = held;
    endResetModel();
}

void HeldExitsModel::setMappingNames(const QHash<qint64, QString>& names)
{
    m_names = names;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Mapping), index(rowCount() - 1, Mapping));
}

int HeldExitsModel::rowOfMapping(qint64 mappingId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].mappingId == mappingId)
            return int(i);
    return -1;
}

int HeldExitsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HeldExitsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HeldExitsModel::reasonText(const HeldExits& h)
{
    if (h.reason == QLatin1String("empty_segment"))
        return tr("The segment read empty");
    return tr("More than %1 % of the cohort left in one run")
        .arg(QLocale().toString(h.sharePercent, 'g', 4));
}

QVariant HeldExitsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const HeldExits& h = m_rows[index.row()];
    if (role == MappingIdRole)
        return h.mappingId;
    if (role == HeldIdRole)
        return h.id;
    if (role == CodeRole)
        return h.reason;
    if (role == SortRole || role == ValueRole) {
        switch (index.column()) {
        case Mapping:
            return m_names.value(h.mappingId);
        case Exits:
            return h.exitCount;
        case Share:
            return h.exitPercent();
        case Reason:
            return h.reason;
        case HeldAt:
            return h.heldAtMs;
        case Examples:
            return h.sample.join(QStringLiteral(", "));
        }
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Examples)
        return h.sample.join(QLatin1Char('\n'));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Mapping:
        return m_names.value(h.mappingId, tr("Mapping %1").arg(h.mappingId));
    case Exits:
        return format::count(h.exitCount);
    case Share:
        //: %1 a percentage, %2 the synced size the exits were judged against
        return tr("%1 % of %2")
            .arg(QLocale().toString(h.exitPercent(), 'f', 1), format::count(h.lastSize));
    case Reason:
        return reasonText(h);
    case HeldAt:
        return format::timestamp(h.heldAtMs);
    case Examples:
        return QString(h.sample.mid(0, 3).join(QStringLiteral(", ")) +
                       (h.exitCount > 3 ? QStringLiteral(", …") : QString()));
    }
    return {};
}

QVariant HeldExitsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Mapping:
        return tr("Cohort");
    case Exits:
        return tr("Held exits");
    case Share:
        return tr("Of the last synced size");
    case Reason:
        return tr("Why held");
    case HeldAt:
        return tr("Held at");
    case Examples:
        return tr("Examples");
    }
    return {};
}

} // namespace lockstep
