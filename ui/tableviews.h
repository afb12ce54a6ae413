// The look every Lockstep table shares: whole-row selection, sortable headers, no grid,
// alternating rows, compact rows. Kept in one place so the pages stay consistent.
#pragma once

#include <QHash>
#include <QString>

#include <functional>

class QAbstractItemModel;
class QObject;
class QTableView;

namespace lockstep {

void setUpTableView(QTableView* view);

// Initial column widths from sample texts (the widest value a column usually holds) or
// the header, whichever is wider. Saved header state replaces them on restore.
void setColumnSamples(QTableView* view, const QHash<int, QString>& samples);

// Calls `f` (in `context`) whenever the number of rows of `model` may have changed, so
// a page can switch between its table and its empty state.
void onRowCountChanged(QAbstractItemModel* model, QObject* context, const std::function<void()>& f);

} // namespace lockstep
