#include "tableviews.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QTableView>

namespace lockstep {

void setUpTableView(QTableView* view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    view->verticalHeader()->hide();
    // Rows a little taller than the font: readable, but many fit on screen.
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    QHeaderView* header = view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionsMovable(true);
    header->setStretchLastSection(true);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setMinimumSectionSize(48);
}

void setColumnSamples(QTableView* view, const QHash<int, QString>& samples)
{
    const QFontMetrics cell(view->font());
    const QFontMetrics head(view->horizontalHeader()->font());
    const int padding = cell.height() + 12; // margins, plus room for a sort arrow or badge
    for (auto it = samples.cbegin(); it != samples.cend(); ++it) {
        const QString title =
            view->model()->headerData(it.key(), Qt::Horizontal, Qt::DisplayRole).toString();
        view->setColumnWidth(
            it.key(),
            qMax(cell.horizontalAdvance(it.value()), head.horizontalAdvance(title)) + padding);
    }
}

void onRowCountChanged(QAbstractItemModel* model, QObject* context, const std::function<void()>& f)
{
    QObject::connect(model, &QAbstractItemModel::modelReset, context, f);
    QObject::connect(model, &QAbstractItemModel::rowsInserted, context, f);
    QObject::connect(model, &QAbstractItemModel::rowsRemoved, context, f);
    QObject::connect(model, &QAbstractItemModel::layoutChanged, context, f);
}

} // namespace lockstep
