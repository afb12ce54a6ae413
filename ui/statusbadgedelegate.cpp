#include "statusbadgedelegate.h"

#include "modelroles.h"

#include <QPainter>

namespace lockstep {

namespace {
// Mid-tone colours that read on light and dark palettes alike.
QColor toneColor(StatusTone tone)
{
    switch (tone) {
    case StatusTone::Good:
        return QColor(0x2e, 0x9d, 0x5b);
    case StatusTone::Busy:
        return QColor(0x3b, 0x82, 0xd6);
    case StatusTone::Warning:
        return QColor(0xd9, 0x8e, 0x04);
    case StatusTone::Bad:
        return QColor(0xd6, 0x3b, 0x3b);
    case StatusTone::Waiting:
        return QColor(0x8b, 0x6f, 0xd6);
    case StatusTone::Neutral:
        break;
    }
    return QColor(0x9a, 0xa0, 0xa6);
}

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
    painter->setBrush(toneColor(StatusTone(tone.toInt())));
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
