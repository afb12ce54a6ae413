// Draws a status cell as a small coloured dot before its text, so a failed run stands
// out in a long table without colouring the whole row.
#pragma once

#include <QStyledItemDelegate>

namespace lockstep {

class StatusBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace lockstep
