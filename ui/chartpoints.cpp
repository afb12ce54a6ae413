#include "chartpoints.h"

#include "modelroles.h"

#include <QAbstractItemModel>

#include <algorithm>
#include <cmath>

namespace lockstep {

QList<QPointF> modelPoints(const QAbstractItemModel& model, int xColumn, int yColumn, int first,
                           int count)
{
    const int end = count < 0 ? model.rowCount() : std::min(model.rowCount(), first + count);
    QList<QPointF> points;
    points.reserve(std::max(0, end - first));
    for (int row = first; row < end; ++row) {
        const QVariant x = model.index(row, xColumn).data(ValueRole);
        const QVariant y = model.index(row, yColumn).data(ValueRole);
        if (x.isValid() && y.isValid())
            points.append(QPointF(x.toDouble(), y.toDouble()));
    }
    return points;
}

QList<QPointF> visiblePoints(const QList<QPointF>& sorted, double from, double to, int columns)
{
    auto first = std::lower_bound(sorted.cbegin(), sorted.cend(), from,
                                  [](const QPointF& p, double x) { return p.x() < x; });
    if (first != sorted.cbegin())
        --first;
    auto last = std::upper_bound(sorted.cbegin(), sorted.cend(), to,
                                 [](double x, const QPointF& p) { return x < p.x(); });
    if (last != sorted.cend())
        ++last;
    const qsizetype n = last - first;
    if (columns <= 0 || to <= from || n <= 2 * qsizetype(columns))
        return QList<QPointF>(first, last);

    QList<QPointF> out;
    out.reserve(2 * columns + 4);
    const double width = (to - from) / columns;
    // The column of a point; the two neighbours outside the span get columns of their own.
    auto columnOf = [&](const QPointF& p) {
        return std::clamp(qint64(std::floor((p.x() - from) / width)), qint64(-1), qint64(columns));
    };
    auto it = first;
    while (it != last) {
        const qint64 column = columnOf(*it);
        auto low = it, high = it;
        auto next = it + 1;
        for (; next != last && columnOf(*next) == column; ++next) {
            if (next->y() < low->y())
                low = next;
            if (next->y() > high->y())
                high = next;
        }
        if (low == high) {
            out.append(*low);
        } else if (low < high) {
            out.append(*low);
            out.append(*high);
        } else {
            out.append(*high);
            out.append(*low);
        }
        it = next;
    }
    return out;
}

} // namespace lockstep
