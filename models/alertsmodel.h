// Health alerts for the Health page's list: severity, mapping, rule, message, when, and
// whether someone acknowledged it. Most severe and newest first, as the store sends them.
#pragma once

#include "health/alert.h"

#include <QAbstractTableModel>
#include <QHash>

namespace lockstep {

class AlertsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Severity,
        Mapping,
        Rule,
        Message,
        FirstSeen,
        LastSeen,
        Occurrences,
        Acknowledged,
        ColumnCount
    };

    explicit AlertsModel(QObject* parent = nullptr);

    // Same alerts in the same order -> updated in place (selection survives), else reset.
    void setAlerts(const QList<Alert>& alerts);
    void setMappingNames(const QHash<qint64, QString>& names);
    const QList<Alert>& alerts() const { return m_rows; }
    int rowOf(qint64 alertId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString severityText(AlertSeverity s);
    static QString ruleText(const QString& rule);

private:
    QList<Alert> m_rows;
    QHash<qint64, QString> m_names;
};

} // namespace lockstep
