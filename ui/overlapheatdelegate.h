// Paints an overlap cell as a heat-map square: the darker, the larger the share; a
// watched pair gets a red frame (and turns red when it overlaps at all).
#pragma once

#include <QStyledItemDelegate>

namespace lockstep {

class OverlapHeatDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // The fill for a share in [0, 1] (tests and the legend use it).
    static QColor heatColor(double value, bool dark);
};

} // namespace lockstep
