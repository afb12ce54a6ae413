// The look every Lockstep table shares: whole-row selection, sortable headers, no grid,
// alternating rows, compact rows. Kept in one place so the pages stay consistent.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <functional>

class QAbstractItemModel;
class QAbstractItemView;
class QModelIndex;
class QObject;
class QTableView;

namespace lockstep {

// Also shows a cell's full text as its tooltip when the column is too narrow for it.
void setUpTableView(QTableView* view);

// What hovering `index` shows: the model's tooltip, else the cell's text when it is
// elided at the column's current width, else nothing.
QString cellToolTip(const QAbstractItemView* view, const QModelIndex& index);

// Moves `columns` (logical indexes), in that order, right after column `after`.
void placeColumnsAfter(QTableView* view, int after, const QList<int>& columns);

// Initial column widths from sample texts (the widest value a column usually holds) or
// the header, whichever is wider. Saved header state replaces them on restore.
void setColumnSamples(QTableView* view, const QHash<int, QString>& samples);

// Calls `f` (in `context`) whenever the number of rows of `model` may have changed, so
// a page can switch between its table and its empty state.
void onRowCountChanged(QAbstractItemModel* model, QObject* context, const std::function<void()>& f);

} // namespace lockstep
