#include "healthpage.h"

#include "alertsmodel.h"
#include "churnchart.h"
#include "emptystate.h"
#include "engine/synccontroller.h"
#include "heldexitsmodel.h"
#include "identityadviceview.h"
#include "lockstepresources.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "rowfilterproxy.h"
#include "sizehistorymodel.h"
#include "sizetrendchart.h"
#include "statusbadgedelegate.h"
#include "tableviews.h"
#include "verdicttext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace lockstep {

namespace {
QHash<qint64, QString> namesOf(const MappingsModel* m)
{
    QHash<qint64, QString> names;
    for (const MappingOverview& o : m->mappings())
        names.insert(o.mapping.id, o.mapping.cohortName);
    return names;
}
} // namespace

HealthPage::HealthPage(SyncController* controller, MappingsModel* mappings, QWidget* parent)
    : Page(parent), m_controller(controller), m_mappings(mappings),
      m_history(new SizeHistoryModel(this)), m_alerts(new AlertsModel(this)),
      m_markerAlerts(new AlertsModel(this)), m_alertsProxy(new RowFilterProxy(this)),
      m_mappingList(new QListView(this)), m_window(new QComboBox(this)),
      m_summary(new QLabel(this)), m_verdict(new QLabel(this)), m_stack(new QStackedWidget(this)),
      m_empty(new EmptyState(this)), m_trend(new SizeTrendChart(this)),
      m_churn(new ChurnChart(this)), m_tabs(new QTabWidget(this)),
      m_alertsView(new QTableView(this)), m_pointsView(new QTableView(this)),
      m_acknowledge(new QPushButton(tr("Acknowledge"), this)),
      m_advisor(new QPushButton(tr("Ask the advisor"), this)),
      m_allAlerts(new QCheckBox(tr("All mappings"), this)), m_held(new HeldExitsModel(this)),
      m_heldPanel(new QGroupBox(tr("Held exits"), this)), m_heldNote(new QLabel(this)),
      m_heldView(new QTableView(this)), m_heldApply(new QPushButton(tr("Apply exits"), this)),
      m_heldDiscard(new QPushButton(tr("Discard"), this))
{
    setObjectName(QStringLiteral("healthPage"));
    m_history->setObjectName(QStringLiteral("sizeHistoryModel"));
    m_alerts->setObjectName(QStringLiteral("alertsModel"));
    m_mappingList->setObjectName(QStringLiteral("healthMappings"));
    m_window->setObjectName(QStringLiteral("healthWindow"));
    m_summary->setObjectName(QStringLiteral("healthSummary"));
    m_verdict->setObjectName(QStringLiteral("healthVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_empty->setObjectName(QStringLiteral("healthEmpty"));
    m_tabs->setObjectName(QStringLiteral("healthTabs"));
    m_alertsView->setObjectName(QStringLiteral("healthAlertsView"));
    m_pointsView->setObjectName(QStringLiteral("healthPointsView"));
    m_acknowledge->setObjectName(QStringLiteral("healthAcknowledge"));
    m_advisor->setObjectName(QStringLiteral("healthAskAdvisor"));
    m_advisor->setToolTip(tr("Which identifier does Mixpanel know these people by? Looks a "
                             "sample up under each (at most 3 Mixpanel queries)"));
    m_advisor->setEnabled(false);
    connect(m_advisor, &QPushButton::clicked, this, &HealthPage::askAdvisor);
    m_allAlerts->setObjectName(QStringLiteral("healthAllAlerts"));
    m_held->setObjectName(QStringLiteral("heldExitsModel"));
    m_heldPanel->setObjectName(QStringLiteral("heldExitsPanel"));
    m_heldNote->setObjectName(QStringLiteral("heldExitsNote"));
    m_heldView->setObjectName(QStringLiteral("heldExitsView"));
    m_heldApply->setObjectName(QStringLiteral("heldExitsApply"));
    m_heldDiscard->setObjectName(QStringLiteral("heldExitsDiscard"));

    // The safeguard's holds: nobody leaves the cohort until someone decides.
    m_heldNote->setWordWrap(true);
    m_heldNote->setText(
        tr("These runs removed nobody: their exits looked like a broken read rather than "
           "people leaving. Apply removes them from the Mixpanel cohort (a sync of the "
           "mapping); Discard keeps them in the cohort. A later run that still misses them "
           "holds them again."));
    setUpTableView(m_heldView);
    m_heldView->setModel(m_held);
    m_heldView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_heldView->setMaximumHeight(140);
    setColumnSamples(m_heldView,
                     {{HeldExitsModel::Mapping, QStringLiteral("CIO | Winback | 45-60d")},
                      {HeldExitsModel::Exits, QStringLiteral("1,000,000")},
                      {HeldExitsModel::Share, QStringLiteral("100.0 % of 1,000,000")},
                      {HeldExitsModel::Reason, QStringLiteral("More than 30 % of the cohort left")},
                      {HeldExitsModel::HeldAt, QStringLiteral("2026-12-31 23:59:59")}});
    m_heldApply->setToolTip(tr("Sync the mapping and remove the held exits from the Mixpanel "
                               "cohort (lockstep sync --mapping ID --accept-exits)"));
    m_heldDiscard->setToolTip(tr("Keep the members in the cohort; nothing is sent"));
    connect(m_heldApply, &QPushButton::clicked, this, &HealthPage::applyHeldExits);
    connect(m_heldDiscard, &QPushButton::clicked, this, &HealthPage::discardHeldExits);
    auto* heldButtons = new QHBoxLayout;
    heldButtons->addWidget(m_heldNote, 1);
    heldButtons->addWidget(m_heldApply);
    heldButtons->addWidget(m_heldDiscard);
    auto* heldLayout = new QVBoxLayout(m_heldPanel);
    heldLayout->addLayout(heldButtons);
    heldLayout->addWidget(m_heldView);
    m_heldPanel->setVisible(false);

    // The mapping list is a second view on the Mappings page's model (cohort column).
    m_mappingList->setModel(mappings);
    m_mappingList->setModelColumn(MappingsModel::Cohort);
    m_mappingList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_mappingList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_mappingList->setMaximumWidth(260);
    m_mappingList->setToolTip(tr("Select one or more mappings (Ctrl+click)"));
    connect(m_mappingList->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateAlertFilter();
        updateVerdict();
        loadHistory();
    });
    // Verdicts arrive with the mappings' health (Health and Last sync columns).
    connect(mappings, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                if (from.column() <= MappingsModel::Health && to.column() >= MappingsModel::Health)
                    updateVerdict();
            });

    for (int days : {7, 30, 90})
        m_window->addItem(tr("Last %n day(s)", nullptr, days), days);
    m_window->addItem(tr("All history"), 0);
    m_window->setCurrentIndex(1);
    m_window->setAccessibleName(tr("Time window"));
    m_window->setToolTip(tr("How much of the history the charts show"));
    // The whole history is loaded once per selection: a window only moves the axes.
    connect(m_window, &QComboBox::currentIndexChanged, this, &HealthPage::applyWindow);

    m_trend->setModels(m_history, m_markerAlerts);
    m_trend->setWindowDays(windowDays());
    m_churn->setWindowDays(windowDays());
    m_churn->setModel(m_history);

    m_alertsProxy->setSourceModel(m_alerts);
    setUpTableView(m_alertsView);
    m_alertsView->setModel(m_alertsProxy);
    m_alertsView->setItemDelegateForColumn(AlertsModel::Severity,
                                           new StatusBadgeDelegate(m_alertsView));
    m_alertsView->sortByColumn(AlertsModel::Severity, Qt::DescendingOrder);
    setColumnSamples(m_alertsView,
                     {{AlertsModel::Severity, QStringLiteral("Critical")},
                      {AlertsModel::Mapping, QStringLiteral("CIO | Winback | 45-60d")},
                      {AlertsModel::Rule, QStringLiteral("Week-over-week swing")},
                      {AlertsModel::Message, QString(60, QLatin1Char('m'))},
                      {AlertsModel::FirstSeen, QStringLiteral("2026-12-31 23:59:59")},
                      {AlertsModel::LastSeen, QStringLiteral("2026-12-31 23:59:59")},
                      {AlertsModel::Occurrences, QStringLiteral("999")}});
    connect(m_alertsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_acknowledge->setEnabled(m_alertsView->selectionModel()->hasSelection());
        const QModelIndexList rows = m_alertsView->selectionModel()->selectedRows();
        m_advisor->setEnabled(rows.size() == 1 && rows.first().data(CodeRole).toString() ==
                                                      QLatin1String("unknown_profiles"));
    });
    m_acknowledge->setEnabled(false);
    m_acknowledge->setToolTip(tr("Mark the selected alerts as seen; they stay open "
                                 "until the condition clears"));
    connect(m_acknowledge, &QPushButton::clicked, this, &HealthPage::acknowledgeSelected);
    m_allAlerts->setToolTip(tr("List the alerts of every mapping, not only the selected"));
    connect(m_allAlerts, &QCheckBox::toggled, this, &HealthPage::updateAlertFilter);

    auto* pointsProxy = new RowFilterProxy(this);
    pointsProxy->setSourceModel(m_history);
    setUpTableView(m_pointsView);
    m_pointsView->setModel(pointsProxy);
    m_pointsView->sortByColumn(SizeHistoryModel::Time, Qt::DescendingOrder);
    setColumnSamples(m_pointsView,
                     {{SizeHistoryModel::Mapping, QStringLiteral("CIO | Winback | 45-60d")},
                      {SizeHistoryModel::Time, QStringLiteral("2026-12-31 23:59:59")}});

    auto* alertsPane = new QWidget(this);
    auto* alertsBar = new QHBoxLayout;
    alertsBar->addWidget(m_allAlerts);
    alertsBar->addStretch();
    alertsBar->addWidget(m_advisor);
    alertsBar->addWidget(m_acknowledge);
    auto* alertsLayout = new QVBoxLayout(alertsPane);
    alertsLayout->setContentsMargins(0, 4, 0, 0);
    alertsLayout->addLayout(alertsBar);
    alertsLayout->addWidget(m_alertsView, 1);
    m_tabs->addTab(alertsPane, tr("Alerts"));
    m_tabs->addTab(m_pointsView, tr("Size per run"));

    auto* charts = new QSplitter(Qt::Horizontal, this);
    charts->setObjectName(QStringLiteral("healthChartsSplitter"));
    charts->addWidget(m_trend);
    charts->addWidget(m_churn);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    charts->setSizes({600, 400});
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->setObjectName(QStringLiteral("healthSplitter"));
    vertical->addWidget(charts);
    vertical->addWidget(m_tabs);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setChildrenCollapsible(false);

    m_empty->setIcon(pageIcon(QStringLiteral("health")));
    m_empty->setTitle(tr("No size history yet"));
    m_empty->setText(
        tr("After the next sync of this mapping, its first size point appears here: the "
           "segment's size in Customer.io, what Mixpanel holds, who entered and who left.<br>"
           "Each later sync adds a point, so the trend and the churn bars grow run by run; "
           "collapse and swing alerts start once a few days of runs are in.<br>"
           "Resync now with Ctrl+Shift+R, or wait for the mapping's schedule."));
    m_stack->addWidget(vertical);
    m_stack->addWidget(m_empty);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_window);
    auto* right = new QVBoxLayout;
    right->addLayout(bar);
    right->addWidget(m_verdict);
    right->addWidget(m_heldPanel);
    right->addWidget(m_stack, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_mappingList);
    layout->addLayout(right, 1);

    // Every evaluation (after a sync, after the thresholds changed) brings the open alerts.
    connect(controller->health(), &HealthRequests::healthEvaluated, this,
            [this](const QList<Alert>& open) { setAlerts(open); });
    connect(controller, &SyncController::busyChanged, this, [this] { updateHeld(); });
    onRowCountChanged(mappings, this, [this] {
        if (isVisible() && selectedMappingIds().isEmpty())
            reload();
    });
    updateEmptyState();
    updateVerdict();
}

int HealthPage::windowDays() const
{
    return m_window->currentData().toInt();
}

QList<qint64> HealthPage::selectedMappingIds() const
{
    // One id per selected row (selectAll() selects every column of the model).
    QList<int> rows;
    for (const QModelIndex& index : m_mappingList->selectionModel()->selectedIndexes())
        if (!rows.contains(index.row()))
            rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QList<qint64> ids;
    for (int row : rows)
        ids.append(m_mappings->index(row, 0).data(MappingIdRole).toLongLong());
    return ids;
}

void HealthPage::selectMappings(const QList<qint64>& ids)
{
    QItemSelection selection;
    for (qint64 id : ids) {
        const int row = m_mappings->rowOf(id);
        if (row >= 0) {
            const QModelIndex index = m_mappings->index(row, MappingsModel::Cohort);
            selection.select(index, index);
        }
    }
    m_mappingList->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void HealthPage::reload()
{
    // Nothing chosen yet: start with the first mapping, so the page is never blank.
    if (selectedMappingIds().isEmpty() && m_mappings->rowCount() > 0) {
        selectMappings({m_mappings->index(0, 0).data(MappingIdRole).toLongLong()});
        return; // the selection change loads the history
    }
    loadHistory();
}

void HealthPage::loadHistory()
{
    const QList<qint64> ids = selectedMappingIds();
    ++m_historyRequests;
    auto history = m_controller->health()->loadSizeHistory(ids, kAllDays, 1000);
    m_historyRequest = history.id();
    history.then(this, [this, id = history.id()](const SizeHistoryData& d) {
        if (id != m_historyRequest)
            return; // an answer to an older selection
        m_history->setHistory(d, namesOf(m_mappings));
        applyWindow();
    });
    m_controller->health()->loadAlerts(false).then(this, &HealthPage::setAlerts);
    // The markers: where the selected mappings' alerts opened, those since resolved too
    // (a collapse and its recovery).
    auto markers = m_controller->health()->loadAlerts(true);
    m_markersRequest = markers.id();
    markers.then(this, [this, ids, id = markers.id()](const QList<Alert>& all) {
        if (id != m_markersRequest)
            return;
        QList<Alert> selected;
        for (const Alert& a : all)
            if (ids.contains(a.mappingId))
                selected.append(a);
        m_markerAlerts->setMappingNames(namesOf(m_mappings));
        m_markerAlerts->setAlerts(selected);
    });
}

void HealthPage::applyWindow()
{
    m_trend->setWindowDays(windowDays());
    m_churn->setWindowDays(windowDays());
    updateEmptyState();
}

int HealthPage::runsInWindow() const
{
    const int days = windowDays();
    const qint64 to = m_history->history().toMs;
    int runs = 0;
    for (int r = 0; r < m_history->rowCount(); ++r) {
        const qint64 at = m_history->index(r, SizeHistoryModel::Time).data(ValueRole).toLongLong();
        runs += days == 0 || at > to - qint64(days) * 24 * 3600 * 1000LL ? 1 : 0;
    }
    return runs;
}

void HealthPage::setAlerts(const QList<Alert>& alerts)
{
    m_alerts->setMappingNames(namesOf(m_mappings));
    m_alerts->setAlerts(alerts);
    updateEmptyState();
    // A hold opens and closes its mass_exit alert: the two are read together.
    m_controller->health()->loadHeldExits().then(this, &HealthPage::setHeld);
}

void HealthPage::setHeld(const QList<HeldExits>& held)
{
    m_held->setMappingNames(namesOf(m_mappings));
    m_held->setHeld(held);
    updateHeld();
}

void HealthPage::updateAlertFilter()
{
    const QList<qint64> ids = selectedMappingIds();
    m_alertsProxy->setMappingIds(m_allAlerts->isChecked() ? QSet<qint64>()
                                                          : QSet<qint64>(ids.begin(), ids.end()));
}

void HealthPage::updateVerdict()
{
    QStringList lines;
    for (qint64 id : selectedMappingIds()) {
        const MappingVerdict* v = m_mappings->verdict(id);
        const MappingOverview* o = m_mappings->find(id);
        if (!v || !o)
            continue;
        //: %1 is a cohort name, %2 its verdict with the reasons, %3 when it last synced
        lines.append(
            tr("%1 — %2\nLast sync: %3")
                .arg(o->mapping.cohortName, format::verdictDetail(*v), format::lastSync(*v)));
    }
    m_verdict->setText(lines.join(QStringLiteral("\n\n")));
    m_verdict->setVisible(!lines.isEmpty());
}

void HealthPage::acknowledgeSelected()
{
    const QString by = qEnvironmentVariable("USER", QStringLiteral("operator"));
    for (const QModelIndex& row : m_alertsView->selectionModel()->selectedRows())
        m_controller->health()
            ->acknowledgeAlert(row.data(AlertIdRole).toLongLong(), by)
            .then(this, &HealthPage::setAlerts);
}

bool HealthPage::selectAlert(const QString& rule)
{
    for (int row = 0; row < m_alertsProxy->rowCount(); ++row) {
        const QModelIndex index = m_alertsProxy->index(row, 0);
        if (index.data(CodeRole).toString() == rule) {
            m_alertsView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
            return true;
        }
    }
    return false;
}

IdentityAdviceDialog* HealthPage::askAdvisor()
{
    const QModelIndexList rows = m_alertsView->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return nullptr;
    const MappingOverview* o = m_mappings->find(rows.first().data(MappingIdRole).toLongLong());
    if (!o)
        return nullptr;
    auto* dialog = new IdentityAdviceDialog(m_controller, o->mapping, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    dialog->run();
    return dialog;
}

int HealthPage::heldRow() const
{
    const QModelIndexList rows = m_heldView->selectionModel()->selectedRows();
    if (!rows.isEmpty())
        return rows.first().row();
    return m_held->rowCount() > 0 ? 0 : -1;
}

void HealthPage::applyHeldExits()
{
    const int row = heldRow();
    if (row < 0 || m_controller->isBusy())
        return;
    const HeldExits& h = m_held->held().at(row);
    // The sync's end reloads the health, its alerts and so the holds.
    m_controller->acceptExits({h.mappingId},
                              qEnvironmentVariable("USER", QStringLiteral("operator")));
}

void HealthPage::discardHeldExits()
{
    const int row = heldRow();
    if (row < 0)
        return;
    const HeldExits& h = m_held->held().at(row);
    m_controller->health()->discardHeldExits(
        h.mappingId, h.id, qEnvironmentVariable("USER", QStringLiteral("operator")));
    // Answered after the discard, whether it was refused (a later run or another console
    // decided first: the banner says so) or not: the page shows what is pending now.
    m_controller->health()->loadAlerts(false).then(this, &HealthPage::setAlerts);
}

void HealthPage::updateHeld()
{
    const bool any = m_held->rowCount() > 0;
    m_heldPanel->setVisible(any);
    //: %n held holds, one per mapping
    m_heldPanel->setTitle(tr("Held exits (%n mapping(s))", nullptr, m_held->rowCount()));
    m_heldApply->setEnabled(any && !m_controller->isBusy());
    m_heldDiscard->setEnabled(any);
}

void HealthPage::updateEmptyState()
{
    const bool hasPoints = m_history->rowCount() > 0;
    const bool hasMappings = m_mappings->rowCount() > 0;
    m_stack->setCurrentIndex(hasPoints || m_alerts->rowCount() > 0 ? 0 : 1);
    if (!hasMappings) {
        m_summary->setText(tr("Add a mapping on the Mappings page to watch its health."));
        return;
    }
    int open = 0, critical = 0;
    for (const Alert& a : m_alerts->alerts()) {
        open += a.isAcknowledged() ? 0 : 1;
        critical += a.severity == AlertSeverity::Critical && !a.isAcknowledged() ? 1 : 0;
    }
    const int runs = runsInWindow();
    if (open == 0) {
        m_summary->setText(tr("No unacknowledged alerts. %n run(s) in the window.", nullptr, runs));
        return;
    }
    //: Two sentences: "N unacknowledged alerts (M critical)." and "N runs in the window."
    m_summary->setText(tr("%1 %2").arg(
        tr("%n unacknowledged alert(s) (%1 critical).", nullptr, open).arg(critical),
        tr("%n run(s) in the window.", nullptr, runs)));
}

} // namespace lockstep
