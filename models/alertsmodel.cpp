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
        return tr("Info");
    case AlertSeverity::Warning:
        return tr("Warning");
    case AlertSeverity::Critical:
        return tr("Critical");
    }
    return {};
}

QString AlertsModel::ruleText(const QString& rule)
{
    // Source texts, translated on each call: a cached translation would outlive a
    // translator installed later.
    static const QHash<QString, const char*> texts = {
        {QStringLiteral("size_collapse"), QT_TR_NOOP("Size collapse")},
        {QStringLiteral("week_over_week"), QT_TR_NOOP("Week-over-week swing")},
        {QStringLiteral("churn"), QT_TR_NOOP("High churn")},
        {QStringLiteral("stale_sync"), QT_TR_NOOP("Stale sync")},
        {QStringLiteral("segment_not_ready"), QT_TR_NOOP("Segment still building")},
        {QStringLiteral("drift"), QT_TR_NOOP("Drift")},
        {QStringLiteral("match_rate"), QT_TR_NOOP("Low match rate")},
        {QStringLiteral("unknown_profiles"), QT_TR_NOOP("Unknown to Mixpanel")},
        {QStringLiteral("mass_exit"), QT_TR_NOOP("Mass exit held")},
        {QStringLiteral("definition_changed"), QT_TR_NOOP("Segment definition changed")},
        {QStringLiteral("watched_overlap"), QT_TR_NOOP("Watched pair overlaps")},
        {QStringLiteral("latency"), QT_TR_NOOP("Slow to reach Mixpanel")}};
    const char* text = texts.value(rule);
    return text ? tr(text) : format::humanized(rule);
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
            return m_names.value(a.mappingId, tr("Mapping %1").arg(a.mappingId));
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
                return a.isOpen() ? QStringLiteral("—") : tr("resolved");
            return a.acknowledgedBy.isEmpty() ? tr("yes") : tr("by %1").arg(a.acknowledgedBy);
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
    static const char* const titles[] = {QT_TR_NOOP("Severity"),   QT_TR_NOOP("Mapping"),
                                         QT_TR_NOOP("Rule"),       QT_TR_NOOP("Message"),
                                         QT_TR_NOOP("First seen"), QT_TR_NOOP("Last seen"),
                                         QT_TR_NOOP("Times"),      QT_TR_NOOP("Acknowledged")};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace lockstep
