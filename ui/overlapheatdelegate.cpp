#include "overlapheatdelegate.h"

#include "modelroles.h"
#include "themes.h"

#include <QPainter>

namespace lockstep {

QColor OverlapHeatDelegate::heatColor(double value, bool dark)
{
    const double v = std::clamp(value, 0.0, 1.0);
    // From the base colour to a deep blue; sqrt so small overlaps are still visible.
    const QColor from = dark ? QColor(0x26, 0x29, 0x2e) : QColor(0xf4, 0xf7, 0xfb);
    const QColor to(0x1f, 0x5f, 0xae);
    const double t = std::sqrt(v);
    return QColor::fromRgbF(float(from.redF() + (to.redF() - from.redF()) * t),
                            float(from.greenF() + (to.greenF() - from.greenF()) * t),
                            float(from.blueF() + (to.blueF() - from.blueF()) * t));
}

void OverlapHeatDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const
{
    const double value = index.data(ValueRole).toDouble();
    const bool watched = index.data(WatchedRole).toBool();
    const bool diagonal = index.row() == index.column();
    const bool dark = paletteIsDark();
    painter->save();
    const QRect r = option.rect.adjusted(1, 1, -1, -1);
    QColor fill = diagonal ? option.palette.color(QPalette::AlternateBase) : heatColor(value, dark);
    if (watched && value > 0)
        fill = QColor(0xd0, 0x3b, 0x3b); // a watched pair must stay disjoint: any overlap is red
    painter->fillRect(r, fill);
    if (watched) {
        painter->setPen(QPen(QColor(0xd0, 0x3b, 0x3b), 2, Qt::DashLine));
        painter->drawRect(r.adjusted(1, 1, -1, -1));
    }
    if (option.state & QStyle::State_Selected) {
        painter->setPen(QPen(option.palette.color(QPalette::Highlight), 3));
        painter->drawRect(r.adjusted(1, 1, -2, -2));
    }
    const bool lightText = (watched && value > 0) || fill.lightness() < 140;
    painter->setPen(lightText ? Qt::white : QColor(0x20, 0x20, 0x20));
    painter->drawText(r, Qt::AlignCenter,
                      diagonal ? QStringLiteral("—") : index.data(Qt::DisplayRole).toString());
    painter->restore();
}

QSize OverlapHeatDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const int h = option.fontMetrics.height();
    return QSize(h * 5, h * 2 + 8);
}

} // namespace lockstep
