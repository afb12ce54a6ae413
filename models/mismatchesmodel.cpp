#include "mismatchesmodel.h"

#include "modelroles.h"

namespace lockstep {

MismatchesModel::MismatchesModel(QObject* parent) : QAbstractTableModel(parent) {}

void MismatchesModel::setMismatches(const QList<StoredMismatch>& rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void MismatchesModel::setMappingNames(const QHash<qint64, QString>& names)
{
    m_names = names;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Mapping), index(rowCount() - 1, Mapping));
}

int MismatchesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MismatchesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MismatchesModel::reasonText(MismatchReason r)
{
    switch (r) {
    case MismatchReason::MissingKey:
        return tr("Missing key");
    case MismatchReason::InvalidEmail:
        return tr("Invalid e-mail");
    case MismatchReason::PlaceholderId:
        return tr("Placeholder id");
    case MismatchReason::InvalidKey:
        return tr("Invalid key");
    case MismatchReason::DuplicateKey:
        return tr("Duplicate key");
    case MismatchReason::NormalisationCollision:
        return tr("Normalisation collision");
    case MismatchReason::VanishedAfterMerge:
        return tr("Vanished after merge");
    case MismatchReason::UnknownToMixpanel:
        return tr("Unknown to Mixpanel");
    case MismatchReason::ValueMissing:
        return tr("Value missing");
    }
    return {};
}

QVariant MismatchesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StoredMismatch& s = m_rows[index.row()];
    const IdentityMismatch& m = s.mismatch;
    switch (role) {
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case Mapping:
            return m_names.value(s.mappingId, tr("Mapping %1").arg(s.mappingId));
        case Reason:
            return reasonText(m.reason);
        case CioId:
            return m.cioId;
        case PersonId:
            return m.personId.value_or(tr("(null)"));
        case Email:
            return m.email.value_or(tr("(null)"));
        case DistinctId:
            return m.distinctId;
        }
        return {};
    case CodeRole:
        return mismatchReasonName(m.reason);
    case MappingIdRole:
        return s.mappingId;
    case RunIdRole:
        return s.runId;
    case Qt::ToolTipRole:
        if (index.column() == Reason && m.reason == MismatchReason::VanishedAfterMerge)
            return tr("Info: no longer in Customer.io (merged into another person, or "
                      "deleted); removed from the cohort as an exit");
        if (index.column() == Reason)
            return mismatchIsWarning(m.reason)
                       ? tr("Warning: the key was still sent to Mixpanel")
                       : tr("Not sent: this member is missing from the cohort");
        return {};
    }
    return {};
}

QVariant MismatchesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    // cio_id and id are the services' field names: not translated.
    static const char* const titles[] = {
        QT_TR_NOOP("Mapping"), QT_TR_NOOP("Reason"),     "cio_id", "id",
        QT_TR_NOOP("E-mail"),  QT_TR_NOOP("Distinct id")};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace lockstep
