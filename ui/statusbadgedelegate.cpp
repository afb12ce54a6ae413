#include "statusbadgedelegate.h"

#include "modelroles.h"
#include "themes.h"

#include <QPainter>

namespace lockstep {

namespace {
int dotSize(const QStyleOptionViewItem& option)
{
    return qMax(6, option.fontMetrics.height() / 2);
}
} // namespace

void StatusBadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const
{
    const QVariant tone = index.data(StatusToneRole);
    if (!tone.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const int d = dotSize(option);
    const int pad = d;
    QStyleOptionViewItem textOption = option;
    textOption.rect.adjust(d + pad, 0, 0, 0);
    // Background and selection first, across the whole cell.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget* w = option.widget;
    QStyle* style = w ? w->style() : nullptr;
    if (style)
        style->drawControl(QStyle::CE_ItemViewItem, &background, painter, w);
    QStyledItemDelegate::paint(painter, textOption, index);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    const bool dark = option.palette.color(QPalette::Base).lightness() <
                      option.palette.color(QPalette::Text).lightness();
    painter->setBrush(toneColor(StatusTone(tone.toInt()), dark));
    const QRect r = option.rect;
    painter->drawEllipse(QRectF(r.left() + pad * 0.75, r.center().y() - d / 2.0 + 0.5, d, d));
    painter->restore();
}

QSize StatusBadgeDelegate::sizeHint(const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    if (index.data(StatusToneRole).isValid())
        s.rwidth() += 2 * dotSize(option);
    return s;
}

} // namespace lockstep
