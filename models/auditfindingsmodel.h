// The Audit page's table: naming-convention and ownership findings with severity and
// the suggested name, in the order the auditor produced them.
#pragma once

#include "audit/auditreport.h"

#include <QAbstractTableModel>

namespace lockstep {

class AuditFindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Severity,
        Cohort,
        Segment,
        Code,
        Message,
        Suggested,
        ColumnCount
    };

    explicit AuditFindingsModel(QObject* parent = nullptr);

    void setReport(const AuditReport& report);
    const AuditReport& report() const { return m_report; }
    // The Finding column's words for a finding code ("Segment mapped twice").
    static QString codeText(const QString& code);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    AuditReport m_report;
};

} // namespace lockstep
