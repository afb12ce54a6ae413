#include "auditfindingsmodel.h"

#include "displayformat.h"
#include "modelroles.h"

#include <QHash>

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

QString AuditFindingsModel::codeText(const QString& code)
{
    // What the operator reads; the code itself stays in exports and CodeRole.
    static const QHash<QString, const char*> texts = {
        {QStringLiteral("missing_prefix"), QT_TR_NOOP("Missing prefix")},
        {QStringLiteral("prefix_case"), QT_TR_NOOP("Prefix case")},
        {QStringLiteral("part_count"), QT_TR_NOOP("Wrong number of parts")},
        {QStringLiteral("empty_part"), QT_TR_NOOP("Empty part")},
        {QStringLiteral("window_format"), QT_TR_NOOP("Window format")},
        {QStringLiteral("version_format"), QT_TR_NOOP("Version format")},
        {QStringLiteral("intent_case"), QT_TR_NOOP("Intent case")},
        {QStringLiteral("spacing"), QT_TR_NOOP("Spacing")},
        {QStringLiteral("pattern_mismatch"), QT_TR_NOOP("Does not match the convention")},
        {QStringLiteral("near_duplicate"), QT_TR_NOOP("Near-duplicate name")},
        {QStringLiteral("segment_mapped_twice"), QT_TR_NOOP("Segment mapped twice")},
        {QStringLiteral("name_on_two_segments"), QT_TR_NOOP("One name, two segments")},
        {QStringLiteral("version_gap"), QT_TR_NOOP("Version gap")},
        {QStringLiteral("missing_owner"), QT_TR_NOOP("No owner")},
        {QStringLiteral("missing_decision"), QT_TR_NOOP("No decision")}};
    if (const char* text = texts.value(code))
        return tr(text);
    return format::humanized(code);
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
            return codeText(f.code);
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
        if (index.column() == Code)
            return tr("Code in exports: %1").arg(f.code); // what scripts filter on
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
