#include "doctorview.h"

#include "themes.h"

#include "tableviews.h"

#include <QHeaderView>
#include <QResizeEvent>
#include <QStyledItemDelegate>

namespace lockstep {

namespace {
constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kStatusRole = Qt::UserRole + 2;

// Wrapped sentences need air between rows to be read as rows.
class PaddedDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(8, 8);
    }
};
} // namespace

DoctorView::DoctorView(QWidget* parent) : QTableWidget(0, ColumnCount, parent)
{
    setObjectName(QStringLiteral("doctorView"));
    setHorizontalHeaderLabels({tr("Result"), tr("Check"), tr("What was found"), tr("What to do")});
    setUpTableView(this);
    setSortingEnabled(false); // the engine's order: from the workspace out to each service
    setSelectionMode(QAbstractItemView::SingleSelection);
    // Details and fixes are sentences: wrap them and let rows grow.
    setWordWrap(true);
    setTextElideMode(Qt::ElideNone);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView* h = horizontalHeader();
    h->setSectionsMovable(false);
    h->setSectionResizeMode(MarkColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(CheckColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(DetailColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(FixColumn, QHeaderView::Interactive); // sized in resizeEvent()
    h->setStretchLastSection(false);
    setItemDelegate(new PaddedDelegate(this));
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

void DoctorView::setReport(const DoctorReport& report)
{
    clearReport();
    setRowCount(int(report.checks.size()));
    for (int r = 0; r < report.checks.size(); ++r) {
        const DoctorCheck& c = report.checks[r];
        // A mark of its own shape, not colour alone.
        auto* mark = new QTableWidgetItem(c.passed()   ? tr("✔ Pass")
                                          : c.failed() ? tr("✘ Fail")
                                                       : tr("– Skipped"));
        mark->setForeground(c.passed()   ? messageColor(MessageKind::Success, paletteIsDark())
                            : c.failed() ? messageColor(MessageKind::Error, paletteIsDark())
                                         : palette().color(QPalette::PlaceholderText));
        QFont bold = font();
        bold.setBold(c.failed());
        mark->setFont(bold);
        mark->setData(kNameRole, c.name);
        mark->setData(kStatusRole, int(c.status));
        auto* check = new QTableWidgetItem(c.title);
        check->setToolTip(c.name);
        setItem(r, MarkColumn, mark);
        setItem(r, CheckColumn, check);
        setItem(r, DetailColumn, new QTableWidgetItem(c.detail));
        setItem(r, FixColumn, new QTableWidgetItem(c.fix));
        for (int col = 0; col < ColumnCount; ++col)
            item(r, col)->setTextAlignment(Qt::AlignLeft | Qt::AlignTop);
    }
    resizeRowsToContents();
    // The first failure is what the operator came for.
    for (int r = 0; r < rowCount(); ++r)
        if (status(r) == DoctorCheck::Status::Fail) {
            scrollToItem(item(r, MarkColumn));
            break;
        }
}

void DoctorView::clearReport()
{
    clearContents();
    setRowCount(0);
}

QString DoctorView::checkName(int row) const
{
    const QTableWidgetItem* i = item(row, MarkColumn);
    return i ? i->data(kNameRole).toString() : QString();
}

DoctorCheck::Status DoctorView::status(int row) const
{
    const QTableWidgetItem* i = item(row, MarkColumn);
    return i ? DoctorCheck::Status(i->data(kStatusRole).toInt()) : DoctorCheck::Status::Skip;
}

void DoctorView::resizeEvent(QResizeEvent* event)
{
    QTableWidget::resizeEvent(event);
    // Findings are longer than fixes, and most rows need none: a third for what to do.
    setColumnWidth(FixColumn, std::max(160, viewport()->width() / 3));
    // Wrapped text needs new heights when the columns change width.
    resizeRowsToContents();
}

} // namespace lockstep
