#include "mappingspage.h"

#include "emptystate.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "statusbadgedelegate.h"
#include "tableviews.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace lockstep {

MappingsPage::MappingsPage(MappingsModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_proxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit(this)), m_count(new QLabel(this)), m_stack(new QStackedWidget(this)),
      m_view(new QTableView(this)), m_empty(new EmptyState(this))
{
    setObjectName(QStringLiteral("mappingsPage"));
    m_proxy->setObjectName(QStringLiteral("mappingsProxy"));
    m_filter->setObjectName(QStringLiteral("mappingsFilter"));
    m_count->setObjectName(QStringLiteral("mappingsCount"));
    m_stack->setObjectName(QStringLiteral("mappingsStack"));
    m_view->setObjectName(QStringLiteral("mappingsView"));
    m_empty->setObjectName(QStringLiteral("mappingsEmpty"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // any column: segment, cohort, key, status

    m_filter->setPlaceholderText(
        QStringLiteral("Filter by segment, cohort, key or status (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text.trimmed());
        updateEmptyState();
    });

    m_count->setForegroundRole(QPalette::PlaceholderText);

    setUpTableView(m_view);
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(MappingsModel::Status, new StatusBadgeDelegate(m_view));
    m_view->sortByColumn(MappingsModel::Segment, Qt::AscendingOrder);
    setColumnSamples(m_view,
                     {{MappingsModel::Segment, QStringLiteral("Winback, lapsed 45 to 60 days")},
                      {MappingsModel::Cohort, QStringLiteral("CIO | Winback | 45-60d | v2")},
                      {MappingsModel::Identity, QStringLiteral("cio_id")},
                      {MappingsModel::Mode, QStringLiteral("list · cio_cohorts")},
                      {MappingsModel::LastSync, QStringLiteral("2026-12-31 23:59:59")},
                      {MappingsModel::Size, QStringLiteral("1,000,000")}});

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { Q_EMIT selectionChanged(); });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT resyncRequested(index.data(MappingIdRole).toLongLong());
    });

    m_empty->setTitle(QStringLiteral("No mappings yet"));
    // The command stays on one line (nowrap): a wrapped command is easy to mistype.
    m_empty->setText(
        QStringLiteral("A mapping mirrors one Customer.io segment into one Mixpanel cohort.<br>"
                       "Add one from a terminal, then press Refresh (F5):"
                       "<p style=\"white-space:nowrap\"><code>lockstep mapping add --segment ID "
                       "--cohort NAME --identity email</code></p>"
                       "Name cohorts <code>CIO | Intent | Window</code>, e.g. <code>CIO | Winback "
                       "| 45-60d</code>."));

    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);

    onRowCountChanged(m_proxy, this, [this] { updateEmptyState(); });
    updateEmptyState();
}

QList<qint64> MappingsPage::selectedMappingIds() const
{
    QList<qint64> ids;
    for (const QModelIndex& row : m_view->selectionModel()->selectedRows())
        ids.append(row.data(MappingIdRole).toLongLong());
    return ids;
}

void MappingsPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void MappingsPage::updateEmptyState()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    // Nothing to filter in an empty workspace: only the guidance shows.
    m_filter->setVisible(total > 0 || !m_filter->text().isEmpty());
    if (total == 0) {
        m_stack->setCurrentWidget(m_empty);
        m_count->clear();
        return;
    }
    m_stack->setCurrentWidget(m_view);
    m_count->setText(shown == total ? QStringLiteral("%1 mappings").arg(total)
                                    : QStringLiteral("%1 of %2 mappings").arg(shown).arg(total));
}

void MappingsPage::saveState(QSettings& settings) const
{
    settings.setValue(QStringLiteral("mappings/header"), m_view->horizontalHeader()->saveState());
}

void MappingsPage::restoreState(QSettings& settings)
{
    m_view->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("mappings/header")).toByteArray());
}

} // namespace lockstep
