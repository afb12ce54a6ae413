#include "alertsmodel.h"

#include "displayformat.h"
#include "modelroles.h"
#include "rowdiff.h"

namespace lockstep {

AlertsModel::AlertsModel(QObject* parent) : QAbstractTableModel(parent) {}

void AlertsModel::setAlerts(const QList<Alert>& alerts)
{
    const auto id = [](const Alert& a) { return a.id; };
    if (!m_rows.isEmpty() && sameIds(m_rows, alerts, id)) {
        m_rows = alerts;
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = alerts;
    endResetModel();
}

void AlertsModel::setMappingNames(const QHash<qint64, QString>& names)
{
    m_names = names;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Mapping), index(rowCount() - 1, Mapping));
}

int AlertsModel::rowOf(qint64 alertId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == alertId)
            return int(i);
    return -1;
}

int AlertsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertsModel::severityText(AlertSeverity s)
{
    switch (s) {
    case AlertSeverity::Info:
        return QStringLiteral("Info");
    case AlertSeverity::Warning:
        return QStringLiteral("Warning");
    case AlertSeverity::Critical:
        return QStringLiteral("Critical");
    }
    return {};
}

QString AlertsModel::ruleText(const QString& rule)
{
    static const QHash<QString, QString> texts = {
        {QStringLiteral("size_collapse"), QStringLiteral("Size collapse")},
        {QStringLiteral("week_over_week"), QStringLiteral("Week-over-week swing")},
        {QStringLiteral("churn"), QStringLiteral("High churn")},
        {QStringLiteral("stale_sync"), QStringLiteral("Stale sync")},
        {QStringLiteral("segment_not_ready"), tr("Segment still building")},
        {QStringLiteral("drift"), QStringLiteral("Drift")},
        {QStringLiteral("match_rate"), QStringLiteral("Low match rate")},
        {QStringLiteral("definition_changed"), QStringLiteral("Segment definition changed")},
        {QStringLiteral("watched_overlap"), QStringLiteral("Watched pair overlaps")}};
    return texts.value(rule, rule);
}

QVariant AlertsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert& a = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Severity:
            return severityText(a.severity);
        case Mapping:
            return m_names.value(a.mappingId, QStringLiteral("Mapping %1").arg(a.mappingId));
        case Rule:
            return ruleText(a.rule);
        case Message:
            return a.message;
        case FirstSeen:
            return format::timestamp(a.firstSeenMs);
        case LastSeen:
            return format::timestamp(a.lastSeenMs);
        case Occurrences:
            return format::count(a.occurrences);
        case Acknowledged:
            if (!a.isAcknowledged())
                return a.isOpen() ? QStringLiteral("—") : QStringLiteral("resolved");
            return a.acknowledgedBy.isEmpty() ? QStringLiteral("yes")
                                              : QStringLiteral("by %1").arg(a.acknowledgedBy);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case Severity:
            return int(a.severity);
        case FirstSeen:
            return a.firstSeenMs;
        case LastSeen:
            return a.lastSeenMs;
        case Occurrences:
            return a.occurrences;
        case Acknowledged:
            return a.acknowledgedAtMs;
        }
        return data(index, Qt::DisplayRole);
    case ValueRole:
        return a.firstSeenMs;
    case AlertIdRole:
        return a.id;
    case MappingIdRole:
        return a.mappingId;
    case SeverityRole:
        return int(a.severity);
    case CodeRole:
        return a.rule;
    case StatusNameRole:
        return a.isAcknowledged() ? QStringLiteral("acknowledged") : QStringLiteral("open");
    case StatusToneRole:
        if (index.column() != Severity)
            return {};
        if (a.isAcknowledged())
            return int(StatusTone::Neutral);
        return int(a.severity == AlertSeverity::Critical  ? StatusTone::Bad
                   : a.severity == AlertSeverity::Warning ? StatusTone::Warning
                                                          : StatusTone::Neutral);
    case Qt::ToolTipRole:
        return a.message;
    case Qt::TextAlignmentRole:
        if (index.column() == Occurrences)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const titles[] = {"Severity",   "Mapping",   "Rule",  "Message",
                                         "First seen", "Last seen", "Times", "Acknowledged"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(titles[section])
                                                 : QVariant();
}

} // namespace lockstep
