#include "runspage.h"

#include "rowfilterproxy.h"

#include "batcherrorsmodel.h"
#include "displayformat.h"
#include "emptystate.h"
#include "modelroles.h"
#include "runsmodel.h"
#include "statusbadgedelegate.h"
#include "tableviews.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace lockstep {

RunsPage::RunsPage(RunsModel* runs, BatchErrorsModel* batchErrors, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_errors(batchErrors), m_proxy(new RowFilterProxy(this)),
      m_mappingFilter(new QComboBox(this)), m_statusFilter(new QComboBox(this)),
      m_splitter(new QSplitter(Qt::Vertical, this)), m_runsStack(new QStackedWidget(this)),
      m_runsView(new QTableView(this)), m_runsEmpty(new EmptyState(this)),
      m_errorsTitle(new QLabel(this)), m_errorsStack(new QStackedWidget(this)),
      m_errorsView(new QTableView(this)), m_errorsEmpty(new EmptyState(this)),
      m_summary(new QLabel(this)), m_cancel(new QPushButton(tr("Cancel sync"), this))
{
    m_summary->setObjectName(QStringLiteral("runsSummary"));
    m_mappingFilter->setObjectName(QStringLiteral("runsMappingFilter"));
    m_statusFilter->setObjectName(QStringLiteral("runsStatusFilter"));
    m_mappingFilter->addItem(tr("All mappings"), qint64(0));
    // As wide as a typical cohort name, never as the longest: the page must fit small screens.
    m_mappingFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_mappingFilter->setMinimumContentsLength(18);
    m_statusFilter->addItem(tr("Any status"), QString());
    for (RunStatus st :
         {RunStatus::Running, RunStatus::Succeeded, RunStatus::Partial, RunStatus::Failed,
          RunStatus::Skipped, RunStatus::Cancelled, RunStatus::Interrupted})
        m_statusFilter->addItem(format::runStatus(st), runStatusName(st));
    connect(m_mappingFilter, &QComboBox::currentIndexChanged, this, [this] {
        const qint64 id = m_mappingFilter->currentData().toLongLong();
        m_proxy->setMappingIds(id > 0 ? QSet<qint64>{id} : QSet<qint64>{});
        updateRunsEmptyState();
    });
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setCode(m_statusFilter->currentData().toString());
        updateRunsEmptyState();
    });
    connect(m_runs, &RunsModel::mappingNamesChanged, this, &RunsPage::fillMappingFilter);
    m_cancel->setObjectName(QStringLiteral("runsCancel"));
    m_cancel->setToolTip(tr("Stop the sync in flight; acknowledged changes are kept (Esc)"));
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &RunsPage::cancelRequested);
    setObjectName(QStringLiteral("runsPage"));
    m_proxy->setObjectName(QStringLiteral("runsProxy"));
    m_splitter->setObjectName(QStringLiteral("runsSplitter"));
    m_runsStack->setObjectName(QStringLiteral("runsStack"));
    m_runsView->setObjectName(QStringLiteral("runsView"));
    m_runsEmpty->setObjectName(QStringLiteral("runsEmpty"));
    m_errorsTitle->setObjectName(QStringLiteral("batchErrorsTitle"));
    m_errorsStack->setObjectName(QStringLiteral("batchErrorsStack"));
    m_errorsView->setObjectName(QStringLiteral("batchErrorsView"));
    m_errorsEmpty->setObjectName(QStringLiteral("batchErrorsEmpty"));

    m_proxy->setSourceModel(m_runs);
    m_proxy->setSortRole(SortRole);
    setUpTableView(m_runsView);
    m_runsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runsView->setModel(m_proxy);
    m_runsView->setItemDelegateForColumn(RunsModel::Status, new StatusBadgeDelegate(m_runsView));
    m_runsView->sortByColumn(RunsModel::RunId, Qt::DescendingOrder);
    const QString countSample = QStringLiteral("100,000");
    setColumnSamples(m_runsView, {{RunsModel::RunId, QStringLiteral("9999")},
                                  {RunsModel::Mapping, QStringLiteral("CIO | Winback | 45-60d")},
                                  {RunsModel::Kind, QStringLiteral("Incremental")},
                                  {RunsModel::Status, QStringLiteral("Interrupted")},
                                  {RunsModel::Started, QStringLiteral("2026-12-31 23:59:59")},
                                  {RunsModel::Duration, QStringLiteral("59 min 59 s")},
                                  {RunsModel::Entered, countSample},
                                  {RunsModel::Exited, countSample},
                                  {RunsModel::Unchanged, countSample},
                                  {RunsModel::Mismatched, QStringLiteral("1,000")},
                                  {RunsModel::Failed, QStringLiteral("1,000")},
                                  {RunsModel::ApiCalls, QStringLiteral("1,000")},
                                  {RunsModel::Http429, QStringLiteral("100")}});
    // What a run cost (API calls, 429s) next to how long it took, before the counts.
    QHeaderView* runsHeader = m_runsView->horizontalHeader();
    runsHeader->moveSection(runsHeader->visualIndex(RunsModel::ApiCalls),
                            runsHeader->visualIndex(RunsModel::Duration) + 1);
    runsHeader->moveSection(runsHeader->visualIndex(RunsModel::Http429),
                            runsHeader->visualIndex(RunsModel::ApiCalls) + 1);
    connect(m_runsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RunsPage::onCurrentRunChanged);

    m_runsEmpty->setTitle(tr("No runs yet"));
    m_runsEmpty->setText(tr("Every sync is recorded here with what it changed and what it cost.<br>"
                            "Select mappings and press <b>Resync selected</b> (Ctrl+R), "
                            "or <b>Resync all</b> (Ctrl+Shift+R)."));
    m_runsStack->addWidget(m_runsView);
    m_runsStack->addWidget(m_runsEmpty);

    setUpTableView(m_errorsView);
    m_errorsView->setModel(m_errors);
    m_errorsView->setSortingEnabled(false); // batches are shown in the order they were sent
    setColumnSamples(m_errorsView, {{BatchErrorsModel::Batch, QStringLiteral("9999")},
                                    {BatchErrorsModel::Operation, QStringLiteral("remove")},
                                    {BatchErrorsModel::Size, QStringLiteral("2,000")}});
    m_errorsEmpty->setText(tr("Select a run to see the batches it could not deliver."));
    m_errorsStack->addWidget(m_errorsView);
    m_errorsStack->addWidget(m_errorsEmpty);

    QFont titleFont = m_errorsTitle->font();
    titleFont.setBold(true);
    m_errorsTitle->setFont(titleFont);
    m_errorsTitle->setText(tr("Batch errors"));

    auto* errorsPane = new QWidget(this);
    auto* errorsLayout = new QVBoxLayout(errorsPane);
    errorsLayout->setContentsMargins(0, 6, 0, 0);
    errorsLayout->addWidget(m_errorsTitle);
    errorsLayout->addWidget(m_errorsStack, 1);

    m_splitter->addWidget(m_runsStack);
    m_splitter->addWidget(errorsPane);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    m_summary->setForegroundRole(QPalette::PlaceholderText);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show"), this));
    bar->addWidget(m_mappingFilter);
    bar->addWidget(m_statusFilter);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_splitter);

    onRowCountChanged(m_runs, this, [this] { updateRunsEmptyState(); });
    connect(m_runs, &QAbstractItemModel::dataChanged, this, &RunsPage::updateRunsEmptyState);
    connect(m_errors, &QAbstractItemModel::modelReset, this, &RunsPage::updateErrorsEmptyState);
    updateRunsEmptyState();
    updateErrorsEmptyState();
}

qint64 RunsPage::currentRunId() const
{
    const QModelIndex current = m_runsView->selectionModel()->currentIndex();
    return current.isValid() ? current.data(RunIdRole).toLongLong() : 0;
}

void RunsPage::onCurrentRunChanged()
{
    const qint64 runId = currentRunId();
    if (runId == 0) {
        m_errors->clear();
        return;
    }
    m_errorsTitle->setText(tr("Batch errors of run %1").arg(runId));
    Q_EMIT runSelected(runId);
}

void RunsPage::setBusy(bool busy)
{
    m_cancel->setEnabled(busy);
}

void RunsPage::updateRunsEmptyState()
{
    int calls = 0, throttled = 0;
    for (const RunRecord& r : m_runs->runs()) {
        calls += r.apiCalls;
        throttled += r.http429;
    }
    const int runs = m_runs->rowCount();
    //: %1 is "N runs"
    const QString summary = tr("%1: %n API call(s), %2 answered 429 (rate limited)", nullptr, calls)
                                .arg(tr("%n run(s)", nullptr, runs), QString::number(throttled));
    m_summary->setText(runs == 0 ? QString() : summary);
    m_runsStack->setCurrentWidget(m_runs->rowCount() == 0 ? static_cast<QWidget*>(m_runsEmpty)
                                                          : m_runsView);
}

void RunsPage::updateErrorsEmptyState()
{
    if (m_errors->rowCount() > 0) {
        m_errorsStack->setCurrentWidget(m_errorsView);
        return;
    }
    if (m_errors->runId() == 0) {
        m_errorsTitle->setText(tr("Batch errors"));
        m_errorsEmpty->setText(tr("Select a run to see the batches it could not deliver."));
    } else {
        m_errorsEmpty->setText(batchesText(m_errors->runId()));
    }
    m_errorsStack->setCurrentWidget(m_errorsEmpty);
}

QString RunsPage::batchesText(qint64 runId) const
{
    // "No batch errors" is only "everything was delivered" when something was sent.
    const int row = m_runs->rowOf(runId);
    if (row < 0)
        return tr("Run %1 has no batch errors.").arg(runId);
    const RunRecord& r = m_runs->runs()[row];
    if (r.status == RunStatus::Running)
        return tr("Run %1 is still running: its batches are being sent.").arg(runId);
    if (r.kind == RunKind::DryRun)
        return tr("Run %1 was a dry run: nothing was sent.").arg(runId);
    const qint64 changes = r.entered + r.exited;
    if (changes == 0) {
        if (r.status == RunStatus::Succeeded)
            return tr("Run %1 had no changes to send: nothing was sent.").arg(runId);
        return tr("Run %1 ended (%2) before sending anything: nothing was sent.")
            .arg(runId)
            .arg(format::runStatus(r.status).toLower());
    }
    if (r.failed > 0)
        return tr("Run %1 left %2 change(s) unacknowledged, but no batch error was recorded.")
            .arg(runId)
            .arg(format::count(r.failed));
    if (r.status != RunStatus::Succeeded)
        return tr("Run %1 ended (%2) with no batch errors recorded for what it sent.")
            .arg(runId)
            .arg(format::runStatus(r.status).toLower());
    return tr("Every batch of run %1 was delivered.").arg(runId);
}

void RunsPage::fillMappingFilter()
{
    const qint64 current = m_mappingFilter->currentData().toLongLong();
    QList<std::pair<QString, qint64>> names;
    for (auto it = m_runs->mappingNames().cbegin(); it != m_runs->mappingNames().cend(); ++it)
        names.append({it.value(), it.key()});
    std::sort(names.begin(), names.end());
    const QSignalBlocker block(m_mappingFilter);
    m_mappingFilter->clear();
    m_mappingFilter->addItem(tr("All mappings"), qint64(0));
    for (const auto& [name, id] : names)
        m_mappingFilter->addItem(name, id);
    const int index = m_mappingFilter->findData(current);
    m_mappingFilter->setCurrentIndex(index >= 0 ? index : 0);
    if (index < 0 && current > 0) {
        m_proxy->setMappingIds({});
        updateRunsEmptyState();
    }
}

void RunsPage::saveState(QSettings& settings) const
{
    settings.setValue(QStringLiteral("runs/header"), m_runsView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("runs/errorsHeader"),
                      m_errorsView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("runs/splitter"), m_splitter->saveState());
}

void RunsPage::restoreState(QSettings& settings)
{
    m_runsView->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("runs/header")).toByteArray());
    m_errorsView->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("runs/errorsHeader")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("runs/splitter")).toByteArray());
}

} // namespace lockstep
