#include "tableviews.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QHelpEvent>
#include <QTableView>
#include <QToolTip>

namespace lockstep {

namespace {
// Tooltips for cells whose text the view elides.
class ElidedToolTips : public QObject
{
public:
    explicit ElidedToolTips(QAbstractItemView* view) : QObject(view), m_view(view) {}

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() != QEvent::ToolTip || watched != m_view->viewport())
            return false;
        auto* help = static_cast<QHelpEvent*>(event);
        const QModelIndex index = m_view->indexAt(help->pos());
        const QString tip = cellToolTip(m_view, index);
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, m_view->viewport(),
                               m_view->visualRect(index));
        return true;
    }

private:
    QAbstractItemView* m_view;
};
} // namespace

QString cellToolTip(const QAbstractItemView* view, const QModelIndex& index)
{
    if (!index.isValid())
        return {};
    const QString own = index.data(Qt::ToolTipRole).toString();
    if (!own.isEmpty())
        return own;
    const QString text = index.data(Qt::DisplayRole).toString();
    // The cell's margins and a badge's padding take about a line's height.
    const int room = view->visualRect(index).width() - view->fontMetrics().height();
    return view->fontMetrics().horizontalAdvance(text) > room ? text : QString();
}

void placeColumnsAfter(QTableView* view, int after, const QList<int>& columns)
{
    QHeaderView* header = view->horizontalHeader();
    for (int column : columns) {
        const int target = header->visualIndex(after) + 1;
        const int from = header->visualIndex(column);
        header->moveSection(from, from < target ? target - 1 : target);
        after = column;
    }
}

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
    view->viewport()->installEventFilter(new ElidedToolTips(view));
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
