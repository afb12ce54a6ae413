// Feeds a chart series from columns of an item model (the number in ValueRole), and
// refills it whenever the model changes: the chart shows exactly the rows the table
// shows. Rows whose value is invalid (e.g. a Mixpanel count never verified) are skipped.
#pragma once

#include <QObject>
#include <QPointer>

class QAbstractItemModel;
class QXYSeries;

namespace lockstep {

class ModelSeriesAdapter : public QObject
{
    Q_OBJECT
public:
    // `rowCount` -1: every row from `firstRow` on.
    ModelSeriesAdapter(QAbstractItemModel* model, QXYSeries* series, int xColumn, int yColumn,
                       int firstRow = 0, int rowCount = -1, QObject* parent = nullptr);

    void refill();

private:
    QPointer<QAbstractItemModel> m_model;
    QPointer<QXYSeries> m_series;
    int m_x, m_y, m_first, m_count;
};

} // namespace lockstep
