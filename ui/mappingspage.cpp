#include "mappingspage.h"

#include "checklistdialog.h"
#include "emptystate.h"
#include "engine/synccontroller.h"
#include "mappingeditor.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "rehearsaldialog.h"
#include "spotcheckdialog.h"
#include "statusbadgedelegate.h"
#include "tableviews.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace lockstep {

namespace {
QToolButton* toolButton(QWidget* parent, const char* name, const QString& text, const QString& tip)
{
    auto* b = new QToolButton(parent);
    b->setObjectName(QLatin1String(name));
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    return b;
}
} // namespace

MappingsPage::MappingsPage(MappingsModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_proxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit(this)), m_count(new QLabel(this)), m_stack(new QStackedWidget(this)),
      m_view(new QTableView(this)), m_empty(new EmptyState(this)), m_emptyPane(new QWidget(this)),
      m_definition(new QLabel(this))
{
    setObjectName(QStringLiteral("mappingsPage"));
    m_proxy->setObjectName(QStringLiteral("mappingsProxy"));
    m_filter->setObjectName(QStringLiteral("mappingsFilter"));
    m_count->setObjectName(QStringLiteral("mappingsCount"));
    m_stack->setObjectName(QStringLiteral("mappingsStack"));
    m_view->setObjectName(QStringLiteral("mappingsView"));
    m_empty->setObjectName(QStringLiteral("mappingsEmpty"));
    m_definition->setObjectName(QStringLiteral("mappingsDefinition"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // any column: segment, cohort, key, owner, status

    m_filter->setPlaceholderText(tr("Filter by segment, cohort, key, owner or status (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text.trimmed());
        updateEmptyState();
    });

    m_count->setForegroundRole(QPalette::PlaceholderText);

    m_add = toolButton(this, "mappingsAdd", tr("Add…"),
                       tr("Map a Customer.io segment to a Mixpanel cohort (Ctrl+N)"));
    m_edit =
        toolButton(this, "mappingsEdit", tr("Edit…"), tr("Edit the selected mapping (Ctrl+E)"));
    m_duplicate = toolButton(this, "mappingsDuplicate", tr("New version"),
                             tr("Duplicate the selected mapping as the next cohort "
                                "version (| v2, | v3 ...): trend lines restart there"));
    m_pause =
        toolButton(this, "mappingsPause", tr("Pause"), tr("Stop syncing the selected mappings"));
    m_resume =
        toolButton(this, "mappingsResume", tr("Resume"), tr("Sync the selected mappings again"));
    m_delete = toolButton(this, "mappingsDelete", tr("Delete…"),
                          tr("Delete the selected mappings (history is kept)"));
    m_copy = toolButton(this, "mappingsCopyDefinition", tr("Copy cohort definition"),
                        tr("Copy the Mixpanel cohort definition of the selected "
                           "mappings to the clipboard"));
    m_rehearse = toolButton(this, "mappingsRehearse", tr("Rehearse…"),
                            tr("Rehearse on a test segment: sync a small segment to "
                               "a temporary cohort value, read it back, clean up"));
    m_spotCheck = toolButton(this, "mappingsSpotCheck", tr("Spot check…"),
                             tr("Check a few people of the segment in both "
                                "Customer.io and Mixpanel"));
    connect(m_rehearse, &QToolButton::clicked, this, [this] { rehearseSelected(); });
    connect(m_spotCheck, &QToolButton::clicked, this, [this] { spotCheckSelected(); });
    m_checklist = toolButton(this, "mappingsChecklist", tr("Checklist…"),
                             tr("The rollout checklist: each item with its evidence"));
    connect(m_checklist, &QToolButton::clicked, this, [this] { checklistSelected(); });
    connect(m_add, &QToolButton::clicked, this, [this] { addMapping(); });
    connect(m_edit, &QToolButton::clicked, this, [this] { editSelected(); });
    connect(m_duplicate, &QToolButton::clicked, this, &MappingsPage::duplicateSelected);
    connect(m_pause, &QToolButton::clicked, this, [this] { setSelectedPaused(true); });
    connect(m_resume, &QToolButton::clicked, this, [this] { setSelectedPaused(false); });
    connect(m_delete, &QToolButton::clicked, this, &MappingsPage::deleteSelected);
    connect(m_copy, &QToolButton::clicked, this, &MappingsPage::copyDefinition);

    setUpTableView(m_view);
    m_view->setModel(m_proxy);
    auto* badges = new StatusBadgeDelegate(m_view);
    m_view->setItemDelegateForColumn(MappingsModel::Status, badges);
    m_view->setItemDelegateForColumn(MappingsModel::Health, badges);
    m_view->setItemDelegateForColumn(MappingsModel::Rollout, badges);
    m_view->setItemDelegateForColumn(MappingsModel::Latency, badges);
    m_view->sortByColumn(MappingsModel::Segment, Qt::AscendingOrder);
    setColumnSamples(
        m_view, {{MappingsModel::Segment, QStringLiteral("Cart abandoners")},
                 {MappingsModel::Cohort, QStringLiteral("CIO | Cart abandoners | 0-24h")},
                 {MappingsModel::Identity, QStringLiteral("cio_id")},
                 {MappingsModel::Mode, QStringLiteral("list · cio_cohorts")},
                 {MappingsModel::Owner, QStringLiteral("Maya (retention)")},
                 {MappingsModel::Decision, QStringLiteral("Winback offer")},
                 {MappingsModel::Schedule, QStringLiteral("hourly")},
                 // Room for a later run's note and for a run in flight's figures.
                 {MappingsModel::LastSync, QStringLiteral("2026-12-31 23:59:59 · last run failed")},
                 {MappingsModel::Size, QStringLiteral("1,000,000")},
                 {MappingsModel::Drift, QStringLiteral("+10.0 %")},
                 {MappingsModel::Health, QStringLiteral("Not synced yet")},
                 {MappingsModel::Rollout, QStringLiteral("• Not ready (10 of 10)")},
                 {MappingsModel::Latency, QStringLiteral("12.3 s · p95 45.6 s (≤ 15 min)")}});
    // What an operator scans first comes first, visible without scrolling on a laptop:
    // the verdict and the figures, then the settings.
    placeColumnsAfter(m_view, MappingsModel::Cohort,
                      {MappingsModel::Health, MappingsModel::Size, MappingsModel::Drift,
                       MappingsModel::Rollout, MappingsModel::LastSync, MappingsModel::Latency});

    m_contextMenu = new QMenu(this);
    m_contextMenu->setObjectName(QStringLiteral("mappingsContextMenu"));
    auto addMenuAction = [this](const char* name, const QString& text, auto slot) {
        QAction* a = m_contextMenu->addAction(text, this, slot);
        a->setObjectName(QLatin1String(name));
        return a;
    };
    addMenuAction("contextEdit", tr("Edit mapping…"), [this] { editSelected(); });
    addMenuAction("contextRehearse", tr("Rehearse on a test segment…"),
                  [this] { rehearseSelected(); });
    addMenuAction("contextSpotCheck", tr("Spot-check people…"), [this] { spotCheckSelected(); });
    addMenuAction("contextChecklist", tr("Rollout checklist…"), [this] { checklistSelected(); });
    addMenuAction("contextLatency", tr("Set latency expectation…"),
                  [this] { setLatencyExpectationSelected(); });
    m_contextMenu->addSeparator();
    addMenuAction("contextDuplicate", tr("Duplicate as new version"),
                  [this] { duplicateSelected(); });
    addMenuAction("contextPause", tr("Pause"), [this] { setSelectedPaused(true); });
    addMenuAction("contextResume", tr("Resume"), [this] { setSelectedPaused(false); });
    addMenuAction("contextDelete", tr("Delete…"), [this] { deleteSelected(); });
    m_contextMenu->addSeparator();
    addMenuAction("contextCopyDefinition", tr("Copy Mixpanel cohort definition"),
                  [this] { copyDefinition(); });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid())
            return;
        if (!m_view->selectionModel()->isRowSelected(index.row(), {}))
            m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                 QItemSelectionModel::Rows);
        m_contextMenu->popup(m_view->viewport()->mapToGlobal(pos));
    });

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        Q_EMIT selectionChanged();
    });
    // Double-click or Enter opens the mapping; syncing is always a deliberate toolbar step.
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        openEditor(index.data(MappingIdRole).toLongLong());
    });

    m_empty->setTitle(tr("No mappings yet"));
    // The command stays on one line (nowrap): a wrapped command is easy to mistype.
    m_empty->setText(tr("A mapping mirrors one Customer.io segment into one Mixpanel cohort.<br>"
                        "Add one here, or from a terminal, then press Refresh (F5):"
                        "<p style=\"white-space:nowrap\"><code>lockstep mapping add --segment ID "
                        "--cohort NAME --identity email</code></p>"
                        "Name cohorts <code>CIO | Intent | Window</code>, e.g. <code>CIO | Winback "
                        "| 45-60d</code>."));
    auto* emptyAdd = new QPushButton(tr("Add a mapping…"), m_emptyPane);
    emptyAdd->setObjectName(QStringLiteral("mappingsEmptyAdd"));
    auto* emptyWizard = new QPushButton(tr("Guided set-up…"), m_emptyPane);
    emptyWizard->setObjectName(QStringLiteral("mappingsEmptyWizard"));
    auto* emptySandbox = new QPushButton(tr("Try the sandbox"), m_emptyPane);
    emptySandbox->setObjectName(QStringLiteral("mappingsEmptySandbox"));
    emptySandbox->setToolTip(tr("Open a demo workspace on a local sandbox: nothing "
                                "touches your real Customer.io or Mixpanel"));
    connect(emptyAdd, &QPushButton::clicked, this, [this] { addMapping(); });
    connect(emptyWizard, &QPushButton::clicked, this, &MappingsPage::setupRequested);
    connect(emptySandbox, &QPushButton::clicked, this, &MappingsPage::sandboxRequested);
    auto* emptyButtons = new QHBoxLayout;
    emptyButtons->addStretch();
    emptyButtons->addWidget(emptyWizard);
    emptyButtons->addWidget(emptyAdd);
    emptyButtons->addWidget(emptySandbox);
    emptyButtons->addStretch();
    auto* emptyLayout = new QVBoxLayout(m_emptyPane);
    emptyLayout->addWidget(m_empty, 1);
    emptyLayout->addLayout(emptyButtons);
    emptyLayout->addStretch(1);

    m_stack->addWidget(m_view);
    m_stack->addWidget(m_emptyPane);

    m_definition->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_definition->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(2);
    for (QToolButton* b : {m_add, m_edit, m_duplicate, m_pause, m_resume, m_delete})
        buttons->addWidget(b);
    buttons->addSpacing(12);
    buttons->addWidget(m_rehearse);
    buttons->addWidget(m_spotCheck);
    buttons->addWidget(m_checklist);
    buttons->addStretch();

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_definition, 1);
    bottom->addWidget(m_copy);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(buttons);
    layout->addWidget(m_stack, 1);
    layout->addLayout(bottom);

    onRowCountChanged(m_proxy, this, [this] {
        updateEmptyState();
        if (m_pendingSelection)
            selectMapping(m_pendingSelection);
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MappingsPage::updateButtons);
    updateEmptyState();
    updateButtons();
}

void MappingsPage::setController(SyncController* controller)
{
    m_controller = controller;
    updateButtons();
}

QList<qint64> MappingsPage::selectedMappingIds() const
{
    QList<qint64> ids;
    for (const QModelIndex& row : m_view->selectionModel()->selectedRows())
        ids.append(row.data(MappingIdRole).toLongLong());
    return ids;
}

void MappingsPage::selectMapping(qint64 mappingId)
{
    m_pendingSelection = mappingId;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(MappingIdRole).toLongLong() == mappingId) {
            m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                 QItemSelectionModel::Rows);
            m_view->scrollTo(index);
            m_pendingSelection = 0;
            return;
        }
    }
}

void MappingsPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

MappingEditor* MappingsPage::openEditor(qint64 mappingId)
{
    if (!m_controller)
        return nullptr;
    auto* editor = new MappingEditor(this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->setConvention(m_convention);
    QList<Mapping> existing;
    for (const MappingOverview& o : m_model->mappings())
        existing.append(o.mapping);
    editor->setExistingMappings(existing);
    editor->loadSegments(m_controller);
    editor->setWorkspaceThresholds(m_thresholds);
    if (mappingId != 0)
        m_controller->mappings()->thresholds(mappingId).then(editor, &MappingEditor::setThresholds);
    if (const MappingOverview* m = m_model->find(mappingId)) {
        editor->setMapping(m->mapping);
    } else {
        Mapping fresh;
        fresh.scheduleMinutes = m_defaultScheduleMinutes;
        editor->setMapping(fresh);
    }
    connect(editor, &QDialog::accepted, this, [this, editor] {
        const Mapping m = editor->mapping();
        const QMap<QString, QString> own = editor->thresholds();
        const bool thresholdsChanged = editor->thresholdsChanged();
        // The thresholds follow the mapping's own save (a new one has no id before).
        auto thenThresholds = [this, own, thresholdsChanged](qint64 id) {
            if (!thresholdsChanged)
                return;
            m_controller->mappings()->setThresholds(id, own).then(
                this, [this](const QMap<QString, QString>&) {
                    m_controller->health()->evaluate(); // judged by the new numbers now
                });
        };
        if (editor->isNew())
            m_controller->mappings()->add(m).then(this, thenThresholds);
        else
            m_controller->mappings()->update(m).then(this, thenThresholds);
    });
    editor->open();
    return editor;
}

MappingEditor* MappingsPage::addMapping()
{
    return openEditor(0);
}

MappingEditor* MappingsPage::editSelected()
{
    const QList<qint64> ids = selectedMappingIds();
    return ids.size() == 1 ? openEditor(ids.first()) : nullptr;
}

void MappingsPage::duplicateSelected()
{
    if (!m_controller)
        return;
    for (qint64 id : selectedMappingIds())
        m_controller->mappings()->duplicateAsNewVersion(id);
}

void MappingsPage::setSelectedPaused(bool paused)
{
    const QList<qint64> ids = selectedMappingIds();
    if (m_controller && !ids.isEmpty())
        m_controller->mappings()->setPaused(ids, paused);
}

void MappingsPage::deleteSelected()
{
    const QList<qint64> ids = selectedMappingIds();
    if (!m_controller || ids.isEmpty())
        return;
    QStringList names;
    for (qint64 id : ids)
        if (const MappingOverview* m = m_model->find(id))
            names << m->mapping.cohortName;
    auto* box =
        new QMessageBox(QMessageBox::Question, tr("Delete mappings"),
                        ids.size() == 1 ? tr("Delete the mapping “%1”?").arg(names.value(0))
                                        : tr("Delete %n mapping(s)?", nullptr, int(ids.size())),
                        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmDelete"));
    box->setInformativeText(
        tr("Lockstep stops syncing them; their run history stays. Members already in "
           "Mixpanel keep the cohort property until you remove the cohort there."));
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setObjectName(QStringLiteral("confirmDeleteYes"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, ids] {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            m_controller->mappings()->remove(ids);
    });
    box->open();
}

void MappingsPage::copyDefinition()
{
    QStringList lines;
    for (qint64 id : selectedMappingIds())
        if (const MappingOverview* m = m_model->find(id))
            lines << m->mapping.cohortName + QStringLiteral(": ") + m->mapping.cohortDefinition();
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

RehearsalDialog* MappingsPage::rehearseSelected()
{
    const QList<qint64> ids = selectedMappingIds();
    const MappingOverview* m = ids.size() == 1 ? m_model->find(ids.first()) : nullptr;
    if (!m_controller || !m)
        return nullptr;
    auto* dialog = new RehearsalDialog(m_controller, m->mapping, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RehearsalDialog::rehearsalFinished, this, &MappingsPage::trustCheckFinished);
    connect(dialog, &RehearsalDialog::cleanupFinished, this, &MappingsPage::trustCheckFinished);
    dialog->open();
    return dialog;
}

SpotCheckDialog* MappingsPage::spotCheckSelected()
{
    const QList<qint64> ids = selectedMappingIds();
    const MappingOverview* m = ids.size() == 1 ? m_model->find(ids.first()) : nullptr;
    if (!m_controller || !m)
        return nullptr;
    auto* dialog = new SpotCheckDialog(m_controller, m->mapping, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SpotCheckDialog::spotCheckFinished, this, &MappingsPage::trustCheckFinished);
    dialog->open();
    return dialog;
}

ChecklistDialog* MappingsPage::checklistSelected()
{
    const QList<qint64> ids = selectedMappingIds();
    const MappingOverview* m = ids.size() == 1 ? m_model->find(ids.first()) : nullptr;
    if (!m_controller || !m)
        return nullptr;
    auto* dialog = new ChecklistDialog(m_controller, m->mapping, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

bool MappingsPage::setLatencyExpectationSelected(std::optional<int> minutes)
{
    const QList<qint64> ids = selectedMappingIds();
    const MappingOverview* m = ids.size() == 1 ? m_model->find(ids.first()) : nullptr;
    if (!m_controller || !m)
        return false;
    if (!minutes) {
        const RolloutChecklist* c = m_model->checklist(m->mapping.id);
        const int current = c && c->latency ? c->latency->expectationMinutes : 0;
        bool ok = false;
        const int chosen = QInputDialog::getInt(
            this, tr("Latency expectation"),
            tr("How long may a membership change of “%1” take to reach Mixpanel?\n"
               "Minutes (0: no expectation). An alert opens while the 95th "
               "percentile is slower.")
                .arg(m->mapping.cohortName),
            current, 0, 7 * 24 * 60, 5, &ok);
        if (!ok)
            return false;
        minutes = chosen;
    }
    m_controller->trust()->setLatencyExpectation(m->mapping.id, *minutes);
    return true;
}

void MappingsPage::updateButtons()
{
    const QList<qint64> ids = selectedMappingIds();
    bool anyPaused = false, anyActive = false;
    for (qint64 id : ids)
        if (const MappingOverview* m = m_model->find(id))
            (m->mapping.paused ? anyPaused : anyActive) = true;
    const bool editable = m_controller != nullptr;
    m_add->setEnabled(editable);
    m_edit->setEnabled(editable && ids.size() == 1);
    m_duplicate->setEnabled(editable && !ids.isEmpty());
    m_pause->setEnabled(editable && anyActive);
    m_resume->setEnabled(editable && anyPaused);
    m_delete->setEnabled(editable && !ids.isEmpty());
    m_copy->setEnabled(!ids.isEmpty());
    m_rehearse->setEnabled(editable && ids.size() == 1);
    m_spotCheck->setEnabled(editable && ids.size() == 1);
    m_checklist->setEnabled(editable && ids.size() == 1);
    for (QAction* a : m_contextMenu->actions()) {
        const QString n = a->objectName();
        if (n == QLatin1String("contextEdit") || n == QLatin1String("contextRehearse") ||
            n == QLatin1String("contextSpotCheck") || n == QLatin1String("contextChecklist"))
            a->setEnabled(editable && ids.size() == 1);
        else if (n == QLatin1String("contextPause"))
            a->setEnabled(editable && anyActive);
        else if (n == QLatin1String("contextResume"))
            a->setEnabled(editable && anyPaused);
        else if (n == QLatin1String("contextDuplicate") || n == QLatin1String("contextDelete"))
            a->setEnabled(editable && !ids.isEmpty());
    }
    if (ids.size() == 1) {
        if (const MappingOverview* m = m_model->find(ids.first()))
            m_definition->setText(tr("<b>Mixpanel cohort:</b> %1")
                                      .arg(m->mapping.cohortDefinition().toHtmlEscaped()));
    } else if (ids.isEmpty()) {
        m_definition->setText(
            tr("Select a mapping to see the Mixpanel cohort definition to create."));
    } else {
        m_definition->setText(tr("%n mapping(s) selected", nullptr, int(ids.size())));
    }
}

void MappingsPage::updateEmptyState()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    // Nothing to filter in an empty workspace: only the guidance shows.
    m_filter->setVisible(total > 0 || !m_filter->text().isEmpty());
    m_definition->setVisible(total > 0);
    m_copy->setVisible(total > 0);
    if (total == 0) {
        m_stack->setCurrentWidget(m_emptyPane);
        m_count->clear();
        return;
    }
    m_stack->setCurrentWidget(m_view);
    m_count->setText(shown == total ? tr("%n mapping(s)", nullptr, total)
                                    : tr("%1 of %n mapping(s)", nullptr, total).arg(shown));
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
