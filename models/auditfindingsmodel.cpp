#include "auditfindingsmodel.h"

#include "modelroles.h"

namespace lockstep {

AuditFindingsModel::AuditFindingsModel(QObject* parent) : QAbstractTableModel(parent) {}

void AuditFindingsModel::setReport(const AuditReport& report)
{
    beginResetModel();
    m_report = report;
    endResetModel();
}

int AuditFindingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_report.findings.size());
}

int AuditFindingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditFindingsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditFinding& f = m_report.findings[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Severity:
            switch (f.severity) {
            case FindingSeverity::Info:
                return tr("Info");
            case FindingSeverity::Warning:
                return tr("Warning");
            case FindingSeverity::Error:
                return tr("Error");
            }
            return findingSeverityName(f.severity);
        case Cohort:
            return f.cohortName;
        case Segment:
            return f.segmentName.isEmpty() ? tr("Segment %1").arg(f.segmentId) : f.segmentName;
        case Code:
            return f.code;
        case Message:
            return f.message;
        case Suggested:
            return f.suggestedName.isEmpty() ? QStringLiteral("—") : f.suggestedName;
        }
        return {};
    case SortRole:
        return index.column() == Severity ? QVariant(int(f.severity))
                                          : data(index, Qt::DisplayRole);
    case SeverityRole:
        return int(f.severity);
    case CodeRole:
        return f.code;
    case MappingIdRole:
        return f.mappingId;
    case StatusToneRole:
        if (index.column() != Severity)
            return {};
        return int(f.severity == FindingSeverity::Error     ? StatusTone::Bad
                   : f.severity == FindingSeverity::Warning ? StatusTone::Warning
                                                            : StatusTone::Neutral);
    case Qt::ToolTipRole:
        if (index.column() == Message || index.column() == Cohort)
            return f.message;
        return {};
    }
    return {};
}

QVariant AuditFindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const titles[] = {QT_TR_NOOP("Severity"), QT_TR_NOOP("Cohort"),
                                         QT_TR_NOOP("Segment"),  QT_TR_NOOP("Finding"),
                                         QT_TR_NOOP("Message"),  QT_TR_NOOP("Suggested name")};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace lockstep
