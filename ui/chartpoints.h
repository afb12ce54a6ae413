// What a line chart needs to draw of a series: the points inside the visible time span and
// no more than the plot has pixel columns for. Drawing (and, in Qt Charts, turning each
// series into a hover shape) costs per point, so a year of daily points in a 7-day window,
// or ten years in a few hundred pixels, would redraw points nobody can see.
#pragma once

#include <QList>
#include <QPointF>

class QAbstractItemModel;

namespace lockstep {

// A series as the model holds it: (x, y) from two columns' ValueRole for `count` rows from
// `first` (-1: to the end). Rows whose value is invalid (a Mixpanel count never verified)
// are skipped. Charts draw these, so a chart and the table beside it cannot disagree.
QList<QPointF> modelPoints(const QAbstractItemModel& model, int xColumn, int yColumn, int first = 0,
                           int count = -1);

// The points of `sorted` (ascending x) that fall inside [from, to], plus the nearest one on
// either side so the line still runs to the plot's edges. With more than two points per
// pixel column (`columns` across the span), each column keeps its lowest and highest point
// (in their order), so a one-day dip or spike survives; otherwise the points are returned
// as they are. `columns` <= 0: no downsampling.
QList<QPointF> visiblePoints(const QList<QPointF>& sorted, double from, double to, int columns);

} // namespace lockstep
