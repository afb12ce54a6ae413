#include "runsmodel.h"

#include "displayformat.h"
#include "modelroles.h"
#include "rowdiff.h"

namespace lockstep {

namespace {
const auto runId = [](const RunRecord& r) { return r.id; };

bool isCount(int column)
{
    return column >= RunsModel::Entered && column <= RunsModel::Http429;
}
} // namespace

RunsModel::RunsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsModel::setRuns(const QList<RunRecord>& runs)
{
    if (!m_rows.isEmpty() && sameIds(m_rows, runs, runId)) {
        m_rows = runs;
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    const qsizetype added = prependedCount(m_rows, runs, runId);
    if (added > 0 && !m_rows.isEmpty()) {
        beginInsertRows({}, 0, int(added - 1));
        m_rows = runs;
        endInsertRows();
        // The older rows may have changed too (a run that was running has finished).
        Q_EMIT dataChanged(index(int(added), 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = runs;
    endResetModel();
}

void RunsModel::upsertRun(const RunRecord& run)
{
    const int row = rowOf(run.id);
    if (row >= 0) {
        m_rows[row] = run;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    beginInsertRows({}, 0, 0);
    m_rows.prepend(run);
    endInsertRows();
}

void RunsModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void RunsModel::setMappingNames(const QHash<qint64, QString>& names)
{
    if (names == m_mappingNames)
        return;
    m_mappingNames = names;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Mapping), index(rowCount() - 1, Mapping));
    Q_EMIT mappingNamesChanged();
}

int RunsModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return int(i);
    return -1;
}

int RunsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunsModel::mappingName(qint64 mappingId) const
{
    const QString name = m_mappingNames.value(mappingId);
    return name.isEmpty() ? tr("Mapping %1").arg(mappingId) : name;
}

QVariant RunsModel::display(const RunRecord& r, int column) const
{
    switch (column) {
    case RunId:
        return r.id;
    case Mapping:
        return mappingName(r.mappingId);
    case Kind:
        return format::runKind(r.kind);
    case Status:
        return format::runStatus(r.status);
    case Started:
        return format::timestamp(r.startedAtMs);
    case Duration:
        return r.status == RunStatus::Running ? QString() : format::duration(r.durationMs());
    case Entered:
        return format::count(r.entered);
    case Exited:
        return format::count(r.exited);
    case Unchanged:
        return format::count(r.unchanged);
    case Mismatched:
        return format::count(r.mismatched);
    case Failed:
        return format::count(r.failed);
    case ApiCalls:
        return format::count(r.apiCalls);
    case Http429:
        return format::count(r.http429);
    case Message:
        return r.message;
    }
    return {};
}

QVariant RunsModel::sortValue(const RunRecord& r, int column) const
{
    switch (column) {
    case RunId:
        return r.id;
    case Status:
        return runStatusName(r.status);
    case Started:
        return r.startedAtMs;
    case Duration:
        return r.durationMs();
    case Entered:
        return r.entered;
    case Exited:
        return r.exited;
    case Unchanged:
        return r.unchanged;
    case Mismatched:
        return r.mismatched;
    case Failed:
        return r.failed;
    case ApiCalls:
        return r.apiCalls;
    case Http429:
        return r.http429;
    default:
        return display(r, column);
    }
}

QVariant RunsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case SortRole:
        return sortValue(r, index.column());
    case RunIdRole:
        return r.id;
    case MappingIdRole:
        return r.mappingId;
    case StatusNameRole:
    case CodeRole: // the Runs page filters by status through RowFilterProxy
        return runStatusName(r.status);
    case StatusToneRole:
        return index.column() == Status ? QVariant(int(format::tone(r.status))) : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == RunId || index.column() == Duration || isCount(index.column()))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        // The message is the last column, often scrolled out of view: the status cell
        // carries it too, so "Failed" explains itself on hover.
        if ((index.column() == Message || index.column() == Status) && !r.message.isEmpty())
            return r.message;
        if (index.column() == Started && r.finishedAtMs > 0)
            return tr("Finished %1").arg(format::timestamp(r.finishedAtMs));
        return {};
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RunId:
        return tr("Run");
    case Mapping:
        return tr("Mapping");
    case Kind:
        return tr("Kind");
    case Status:
        return tr("Status");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Entered:
        return tr("Entered");
    case Exited:
        return tr("Exited");
    case Unchanged:
        return tr("Unchanged");
    case Mismatched:
        return tr("Mismatched");
    case Failed:
        return tr("Failed");
    case ApiCalls:
        return tr("API calls");
    case Http429:
        return tr("429s");
    case Message:
        return tr("Message");
    }
    return {};
}

} // namespace lockstep
