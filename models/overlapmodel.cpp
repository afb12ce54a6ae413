#include "overlapmodel.h"

#include "displayformat.h"
#include "modelroles.h"

#include <QLocale>

#include <algorithm>

namespace lockstep {

OverlapModel::OverlapModel(QObject* parent) : QAbstractTableModel(parent) {}

void OverlapModel::setOverlap(const OverlapData& data)
{
    beginResetModel();
    m_data = data;
    m_watched.clear();
    for (const WatchedPair& p : data.watched)
        m_watched.insert({std::min(p.mappingA, p.mappingB), std::max(p.mappingA, p.mappingB)});
    endResetModel();
}

void OverlapModel::setMetric(Metric m)
{
    if (m == m_metric)
        return;
    m_metric = m;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void OverlapModel::setView(View v)
{
    if (v == m_view)
        return;
    // The views may hold different mappings (people not recorded yet): a reset.
    beginResetModel();
    m_view = v;
    endResetModel();
}

QList<OverlapModel::Difference> OverlapModel::differences() const
{
    QList<Difference> out;
    const OverlapMatrix& people = m_data.people;
    const OverlapMatrix& keys = m_data.matrix;
    for (qsizetype i = 0; i < people.size(); ++i)
        for (qsizetype j = i + 1; j < people.size(); ++j) {
            const qsizetype ki = keys.mappingIds.indexOf(people.mappingIds[i]);
            const qsizetype kj = keys.mappingIds.indexOf(people.mappingIds[j]);
            if (ki < 0 || kj < 0)
                continue;
            const uint64_t byPerson = people.intersection(i, j);
            const uint64_t byKey = keys.intersection(ki, kj);
            if (byPerson != byKey)
                out.append({people.mappingIds[i], people.mappingIds[j], byPerson, byKey});
        }
    std::stable_sort(out.begin(), out.end(), [](const Difference& a, const Difference& b) {
        const auto gap = [](const Difference& d) {
            return d.byPerson > d.byKey ? d.byPerson - d.byKey : d.byKey - d.byPerson;
        };
        return gap(a) > gap(b);
    });
    return out;
}

bool OverlapModel::isWatched(qint64 a, qint64 b) const
{
    return m_watched.contains({std::min(a, b), std::max(a, b)});
}

int OverlapModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(matrix().size());
}

int OverlapModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(matrix().size());
}

double OverlapModel::value(int row, int column) const
{
    const OverlapStats s = stats(row, column);
    return m_metric == Metric::Jaccard ? s.jaccard() : s.shareOfAInB();
}

QVariant OverlapModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int r = index.row(), c = index.column();
    switch (role) {
    case Qt::DisplayRole: {
        const double v = value(r, c);
        // Under 1 % but not empty reads "<1 %": a watched pair must not look clean.
        if (v > 0 && v < 0.01)
            return tr("<1 %");
        return tr("%1 %").arg(QLocale().toString(v * 100, 'f', 0));
    }
    case ValueRole:
    case SortRole:
        return value(r, c);
    case WatchedRole:
        return r != c && isWatched(mappingAt(r), mappingAt(c));
    case Qt::ToolTipRole: {
        const OverlapStats s = stats(r, c);
        //: %3 shared people (or Mixpanel keys) of %4 and %5
        const QString text =
            m_view == View::People
                ? tr("%1 ∩ %2\n%3 people shared of %4 and %5\nshare of row in column %6 %, "
                     "Jaccard %7")
                : tr("%1 ∩ %2\n%3 Mixpanel keys shared of %4 and %5\nshare of row in column "
                     "%6 %, Jaccard %7");
        return text.arg(nameAt(r), nameAt(c), format::count(qint64(s.intersection)),
                        format::count(qint64(s.sizeA)), format::count(qint64(s.sizeB)),
                        QLocale().toString(s.shareOfAInB() * 100, 'f', 1),
                        QLocale().toString(s.jaccard(), 'f', 3));
    }
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    }
    return {};
}

QVariant OverlapModel::headerData(int section, Qt::Orientation, int role) const
{
    if (section < 0 || section >= matrix().size())
        return {};
    if (role == Qt::DisplayRole)
        return nameAt(section);
    if (role == Qt::ToolTipRole)
        return (m_view == View::People
                    ? tr("%1: %Ln person(s)", nullptr, int(matrix().cohortSize(section)))
                    : tr("%1: %Ln member(s)", nullptr, int(matrix().cohortSize(section))))
            .arg(nameAt(section));
    if (role == MappingIdRole)
        return mappingAt(section);
    return {};
}

} // namespace lockstep
