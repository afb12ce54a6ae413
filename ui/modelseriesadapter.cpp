#include "modelseriesadapter.h"

#include "modelroles.h"

#include <QAbstractItemModel>
#include <QList>
#include <QPointF>
#include <QXYSeries>

namespace lockstep {

ModelSeriesAdapter::ModelSeriesAdapter(QAbstractItemModel* model, QXYSeries* series, int xColumn,
                                       int yColumn, int firstRow, int rowCount, QObject* parent)
    : QObject(parent ? parent : series), m_model(model), m_series(series), m_x(xColumn),
      m_y(yColumn), m_first(firstRow), m_count(rowCount)
{
    connect(model, &QAbstractItemModel::modelReset, this, &ModelSeriesAdapter::refill);
    connect(model, &QAbstractItemModel::layoutChanged, this, &ModelSeriesAdapter::refill);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ModelSeriesAdapter::refill);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &ModelSeriesAdapter::refill);
    connect(model, &QAbstractItemModel::dataChanged, this, &ModelSeriesAdapter::refill);
    refill();
}

void ModelSeriesAdapter::refill()
{
    if (!m_model || !m_series)
        return;
    const int end =
        m_count < 0 ? m_model->rowCount() : std::min(m_model->rowCount(), m_first + m_count);
    QList<QPointF> points;
    points.reserve(std::max(0, end - m_first));
    for (int row = m_first; row < end; ++row) {
        const QVariant x = m_model->index(row, m_x).data(ValueRole);
        const QVariant y = m_model->index(row, m_y).data(ValueRole);
        if (x.isValid() && y.isValid())
            points.append(QPointF(x.toDouble(), y.toDouble()));
    }
    // One replace() instead of many append()s: a single repaint for the whole series.
    m_series->replace(points);
}

} // namespace lockstep
