#include "identitypage.h"

#include "audit/auditexporter.h"
#include "emptystate.h"
#include "engine/synccontroller.h"
#include "filechooser.h"
#include "lockstepresources.h"
#include "mappingsmodel.h"
#include "mismatchesmodel.h"
#include "mismatchreasonsmodel.h"
#include "modelroles.h"
#include "rowfilterproxy.h"
#include "tableviews.h"
#include "themes.h"
#include "util/privatefiles.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

namespace lockstep {

IdentityPage::IdentityPage(SyncController* controller, MappingsModel* mappings, QWidget* parent)
    : Page(parent), m_controller(controller), m_mappings(mappings),
      m_model(new MismatchesModel(this)), m_proxy(new RowFilterProxy(this)),
      m_reasons(new MismatchReasonsModel(this)), m_mappingFilter(new QComboBox(this)),
      m_reasonFilter(new QComboBox(this)), m_search(new QLineEdit(this)), m_count(new QLabel(this)),
      m_export(new QPushButton(tr("Export CSV…"), this)), m_stack(new QStackedWidget(this)),
      m_empty(new EmptyState(this)), m_chart(new QChartView(new QChart, this)),
      m_bars(new QBarSet(tr("Members"))), m_reasonsView(new QTableView(this)),
      m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("identityPage"));
    m_model->setObjectName(QStringLiteral("mismatchesModel"));
    m_reasons->setObjectName(QStringLiteral("mismatchReasonsModel"));
    m_mappingFilter->setObjectName(QStringLiteral("identityMapping"));
    m_reasonFilter->setObjectName(QStringLiteral("identityReason"));
    m_search->setObjectName(QStringLiteral("identitySearch"));
    m_count->setObjectName(QStringLiteral("identityCount"));
    m_export->setObjectName(QStringLiteral("identityExport"));
    m_empty->setObjectName(QStringLiteral("identityEmpty"));
    m_chart->setObjectName(QStringLiteral("identityChart"));
    m_reasonsView->setObjectName(QStringLiteral("identityReasonsView"));
    m_view->setObjectName(QStringLiteral("identityView"));

    m_proxy->setSourceModel(m_model);
    m_reasons->setSourceRows(m_proxy);

    m_mappingFilter->addItem(tr("All mappings"), qint64(0));
    connect(m_mappingFilter, &QComboBox::currentIndexChanged, this, [this] {
        const qint64 id = m_mappingFilter->currentData().toLongLong();
        m_proxy->setMappingIds(id ? QSet<qint64>{id} : QSet<qint64>());
    });
    m_reasonFilter->addItem(tr("All reasons"), QString());
    for (int r = 0; r < kMismatchReasonCount; ++r)
        m_reasonFilter->addItem(MismatchesModel::reasonText(MismatchReason(r)),
                                mismatchReasonName(MismatchReason(r)));
    connect(m_reasonFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setCode(m_reasonFilter->currentData().toString()); });
    m_search->setPlaceholderText(tr("Search e-mail, id, cio_id…"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &RowFilterProxy::setSearch);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = FileChooser::saveFileName(this, tr("Export mismatches"),
                                                       QStringLiteral("identity-mismatches.csv"),
                                                       tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        if (const Status st = exportCsv(path); !st)
            m_count->setText(tr("Could not export: %1").arg(st.error().message));
    });

    // The chart: one horizontal bar per reason, filled from the reasons model.
    auto* series = new QHorizontalBarSeries;
    m_bars->setColor(QColor(0x3b, 0x82, 0xc4));
    m_bars->setLabelColor(palette().color(QPalette::WindowText));
    series->append(m_bars);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    QChart* c = m_chart->chart();
    c->addSeries(series);
    auto* y = new QBarCategoryAxis;
    for (int r = kMismatchReasonCount - 1; r >= 0; --r)
        y->append(MismatchesModel::reasonText(MismatchReason(r)));
    auto* x = new QValueAxis;
    x->setLabelFormat(QStringLiteral("%.0f"));
    c->addAxis(y, Qt::AlignLeft);
    c->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    c->legend()->hide();
    c->setTitle(tr("Mismatches by reason"));
    c->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(200);
    connect(m_reasons, &QAbstractItemModel::dataChanged, this, &IdentityPage::updateChart);

    setUpTableView(m_reasonsView);
    m_reasonsView->setModel(m_reasons);
    m_reasonsView->setSortingEnabled(false);
    m_reasonsView->setSelectionMode(QAbstractItemView::SingleSelection);
    setColumnSamples(m_reasonsView,
                     {{MismatchReasonsModel::Reason, QStringLiteral("Normalisation collision")},
                      {MismatchReasonsModel::Count, QStringLiteral("100,000")}});
    // Clicking a reason filters the list to it.
    connect(m_reasonsView, &QTableView::clicked, this, [this](const QModelIndex& index) {
        m_reasonFilter->setCurrentIndex(m_reasonFilter->findData(index.data(CodeRole)));
    });

    setUpTableView(m_view);
    m_view->setModel(m_proxy);
    m_view->sortByColumn(MismatchesModel::Reason, Qt::AscendingOrder);
    setColumnSamples(m_view,
                     {{MismatchesModel::Mapping, QStringLiteral("CIO | Winback | 45-60d")},
                      {MismatchesModel::Reason, QStringLiteral("Normalisation collision")},
                      {MismatchesModel::CioId, QStringLiteral("cio_0123456789ab")},
                      {MismatchesModel::PersonId, QStringLiteral("user-0123456")},
                      {MismatchesModel::Email, QStringLiteral("kate.rossi2@corp.example")}});
    onRowCountChanged(m_proxy, this, [this] { updateCount(); });

    m_empty->setIcon(pageIcon(QStringLiteral("identity")));
    m_empty->setTitle(tr("No identity mismatches"));
    m_empty->setText(
        tr("Members that cannot be matched to a Mixpanel <code>$distinct_id</code> (missing key, "
           "invalid e-mail, placeholder id, merged profile) are listed here after each sync, by "
           "reason.<br>None so far: sync your mappings (Ctrl+Shift+R) to check."));

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_mappingFilter);
    filters->addWidget(m_reasonFilter);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_count);
    filters->addWidget(m_export);

    auto* top = new QSplitter(Qt::Horizontal, this);
    top->setObjectName(QStringLiteral("identityTopSplitter"));
    top->addWidget(m_chart);
    top->addWidget(m_reasonsView);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    top->setSizes({640, 420});
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("identitySplitter"));
    split->addWidget(top);
    split->addWidget(m_view);
    split->setChildrenCollapsible(false);

    auto* content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(filters);
    contentLayout->addWidget(split, 1);
    m_stack->addWidget(content);
    m_stack->addWidget(m_empty);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_stack->setCurrentIndex(1);
    updateChart();
    updateCount();
}

void IdentityPage::reload()
{
    m_controller->health()->loadMismatches(0).then(this, [this](const QList<StoredMismatch>& rows) {
        fillMappingFilter();
        m_model->setMismatches(rows);
        m_stack->setCurrentIndex(rows.isEmpty() ? 1 : 0);
    });
}

void IdentityPage::fillMappingFilter()
{
    QHash<qint64, QString> names;
    for (const MappingOverview& o : m_mappings->mappings())
        names.insert(o.mapping.id, o.mapping.cohortName);
    m_model->setMappingNames(names);
    const qint64 current = m_mappingFilter->currentData().toLongLong();
    const QSignalBlocker block(m_mappingFilter);
    while (m_mappingFilter->count() > 1)
        m_mappingFilter->removeItem(1);
    for (const MappingOverview& o : m_mappings->mappings())
        m_mappingFilter->addItem(o.mapping.cohortName, o.mapping.id);
    m_mappingFilter->setCurrentIndex(std::max(0, m_mappingFilter->findData(current)));
}

QList<qreal> IdentityPage::chartValues() const
{
    QList<qreal> values;
    for (int i = 0; i < m_bars->count(); ++i)
        values.append(m_bars->at(i));
    return values;
}

void IdentityPage::updateChart()
{
    m_chart->chart()->setTheme(paletteIsDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->chart()->setBackgroundVisible(false);
    m_bars->setColor(QColor(0x3b, 0x82, 0xc4));
    m_bars->setLabelColor(palette().color(QPalette::WindowText));
    // Bars go bottom-up: the first reason is drawn at the top, as in the table.
    QList<qreal> values;
    qreal maxValue = 1;
    for (int r = kMismatchReasonCount - 1; r >= 0; --r) {
        const qreal v = m_reasons->index(r, MismatchReasonsModel::Count).data(ValueRole).toDouble();
        values.append(v);
        maxValue = std::max(maxValue, v);
    }
    if (m_bars->count() == values.size()) {
        for (int i = 0; i < values.size(); ++i)
            m_bars->replace(i, values[i]);
    } else {
        m_bars->remove(0, m_bars->count());
        m_bars->append(values);
    }
    const auto axes = m_chart->chart()->axes(Qt::Horizontal);
    if (!axes.isEmpty())
        if (auto* x = qobject_cast<QValueAxis*>(axes.first())) {
            x->setRange(0, maxValue * 1.15);
            x->applyNiceNumbers();
        }
}

void IdentityPage::updateCount()
{
    m_count->setText(
        tr("%1 of %n member(s)", nullptr, m_model->rowCount()).arg(m_proxy->rowCount()));
    m_export->setEnabled(m_proxy->rowCount() > 0);
}

QByteArray IdentityPage::toCsv(const QAbstractItemModel* rows)
{
    // RFC 4180 with the audit exporter's cell quoting, which also defuses formulas.
    QString out;
    const int columns = rows->columnCount();
    QStringList cells;
    for (int c = 0; c < columns; ++c)
        cells << csvField(rows->headerData(c, Qt::Horizontal).toString());
    cells << csvField(QStringLiteral("reason_code"));
    out += cells.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    for (int r = 0; r < rows->rowCount(); ++r) {
        cells.clear();
        for (int c = 0; c < columns; ++c)
            cells << csvField(rows->index(r, c).data().toString());
        cells << csvField(rows->index(r, 0).data(CodeRole).toString());
        out += cells.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

Status IdentityPage::exportCsv(const QString& path) const
{
    return writePrivateFile(path, toCsv(m_proxy));
}

} // namespace lockstep
