#include "auditpage.h"

#include "themes.h"

#include "audit/auditexporter.h"
#include "auditfindingsmodel.h"
#include "emptystate.h"
#include "engine/synccontroller.h"
#include "filechooser.h"
#include "lockstepresources.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "rowfilterproxy.h"
#include "statusbadgedelegate.h"
#include "tableviews.h"
#include "util/privatefiles.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace lockstep {

namespace {
// Keeps findings at or above a severity (the proxy's own filters still apply).
class SeverityProxy : public RowFilterProxy
{
public:
    using RowFilterProxy::RowFilterProxy;
    void setMinimum(int s)
    {
        m_min = s;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        return sourceModel()->index(row, 0, parent).data(SeverityRole).toInt() >= m_min &&
               RowFilterProxy::filterAcceptsRow(row, parent);
    }

private:
    int m_min = 0;
};
} // namespace

AuditPage::AuditPage(SyncController* controller, MappingsModel* mappings, QWidget* parent)
    : Page(parent), m_controller(controller), m_mappings(mappings),
      m_model(new AuditFindingsModel(this)), m_proxy(new SeverityProxy(this)),
      m_severity(new QComboBox(this)), m_search(new QLineEdit(this)), m_summary(new QLabel(this)),
      m_csv(new QPushButton(tr("CSV…"), this)), m_json(new QPushButton(tr("JSON…"), this)),
      m_markdown(new QPushButton(tr("Markdown…"), this)),
      m_apply(new QPushButton(tr("Apply suggestion…"), this)), m_status(new QLabel(this)),
      m_contextMenu(new QMenu(this)), m_stack(new QStackedWidget(this)),
      m_view(new QTableView(this)), m_empty(new EmptyState(this))
{
    setObjectName(QStringLiteral("auditPage"));
    m_model->setObjectName(QStringLiteral("auditModel"));
    m_severity->setObjectName(QStringLiteral("auditSeverity"));
    m_search->setObjectName(QStringLiteral("auditSearch"));
    m_summary->setObjectName(QStringLiteral("auditSummary"));
    m_csv->setObjectName(QStringLiteral("auditExportCsv"));
    m_json->setObjectName(QStringLiteral("auditExportJson"));
    m_markdown->setObjectName(QStringLiteral("auditExportMarkdown"));
    m_apply->setObjectName(QStringLiteral("auditApplySuggestion"));
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_view->setObjectName(QStringLiteral("auditView"));
    m_empty->setObjectName(QStringLiteral("auditEmpty"));

    m_proxy->setSourceModel(m_model);
    m_severity->addItem(tr("All findings"), int(FindingSeverity::Info));
    m_severity->addItem(tr("Warnings and errors"), int(FindingSeverity::Warning));
    m_severity->addItem(tr("Errors only"), int(FindingSeverity::Error));
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] {
        static_cast<SeverityProxy*>(m_proxy)->setMinimum(m_severity->currentData().toInt());
    });
    m_search->setPlaceholderText(tr("Search cohort, segment, finding…"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &RowFilterProxy::setSearch);
    connect(m_csv, &QPushButton::clicked, this, [this] { exportReport(Format::Csv); });
    connect(m_json, &QPushButton::clicked, this, [this] { exportReport(Format::Json); });
    connect(m_markdown, &QPushButton::clicked, this, [this] { exportReport(Format::Markdown); });
    m_csv->setToolTip(tr("Spreadsheet-safe CSV (formula cells are neutralised)"));
    m_apply->setToolTip(
        tr("Rename the selected findings' cohorts to their suggested names "
           "(asks first; %1)")
            .arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    connect(m_apply, &QPushButton::clicked, this, [this] { applySuggestions(); });
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    setUpTableView(m_view);
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(AuditFindingsModel::Severity, new StatusBadgeDelegate(m_view));
    m_view->sortByColumn(AuditFindingsModel::Severity, Qt::DescendingOrder);
    setColumnSamples(
        m_view, {{AuditFindingsModel::Severity, QStringLiteral("Warning")},
                 {AuditFindingsModel::Cohort, QStringLiteral("CIO | Cart abandoners | 0-24h")},
                 {AuditFindingsModel::Segment, QStringLiteral("Spring launch")},
                 {AuditFindingsModel::Code, QStringLiteral("Does not match the convention")},
                 {AuditFindingsModel::Message, QString(48, QLatin1Char('m'))},
                 {AuditFindingsModel::Suggested, QStringLiteral("CIO | Cart abandoners | 0-24h")}});
    // The long message last, where the table stretches; the suggested name stays in view.
    m_view->horizontalHeader()->moveSection(
        m_view->horizontalHeader()->visualIndex(AuditFindingsModel::Suggested),
        m_view->horizontalHeader()->visualIndex(AuditFindingsModel::Message));
    onRowCountChanged(m_proxy, this, [this] { updateSummary(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AuditPage::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AuditPage::updateActions);

    m_applyAction =
        m_contextMenu->addAction(tr("Apply suggestion…"), this, [this] { applySuggestions(); });
    m_applyAction->setObjectName(QStringLiteral("contextApplySuggestion"));
    // From the keyboard too, wherever the focus is on this page.
    m_applyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_applyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_applyAction);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this,
            [this](QPoint at) { m_contextMenu->popup(m_view->viewport()->mapToGlobal(at)); });

    m_empty->setIcon(pageIcon(QStringLiteral("audit")));
    m_empty->setTitle(tr("Every name follows the convention"));
    m_empty->setText(tr(
        "Cohort names are checked against <code>CIO | &lt;Intent&gt; | &lt;Window&gt;</code> "
        "(optional <code>| v&lt;N&gt;</code>), with owners and decisions.<br>Add mappings on the "
        "Mappings page; findings and suggested names appear here."));

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_severity);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_apply);
    bar->addWidget(new QLabel(tr("Export:"), this));
    bar->addWidget(m_csv);
    bar->addWidget(m_json);
    bar->addWidget(m_markdown);
    auto* content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_view, 1);
    m_stack->addWidget(content);
    m_stack->addWidget(m_empty);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(m_status);
    layout->addWidget(m_stack, 1);

    updateSummary();
    updateActions();
}

void AuditPage::reload()
{
    m_controller->health()->loadAudit().then(this, [this](const AuditReport& report) {
        m_model->setReport(report);
        updateSummary();
    });
}

void AuditPage::updateSummary()
{
    const AuditReport& r = m_model->report();
    m_stack->setCurrentIndex(r.findings.isEmpty() ? 1 : 0);
    for (QPushButton* b : {m_csv, m_json, m_markdown})
        b->setEnabled(r.mappingCount > 0);
    if (r.mappingCount == 0) {
        m_summary->setText(tr("No mappings audited yet."));
        return;
    }
    //: %1 is "N mappings checked against <pattern>"; %2, %3, %4 count errors, warnings, notes
    m_summary->setText(
        tr("%1: %2, %3, %4. Showing %5.")
            .arg(tr("%n mapping(s) checked against <code>%1</code>", nullptr, r.mappingCount)
                     .arg(r.pattern.toHtmlEscaped()),
                 tr("%n error(s)", nullptr, r.count(FindingSeverity::Error)),
                 tr("%n warning(s)", nullptr, r.count(FindingSeverity::Warning)),
                 tr("%n note(s)", nullptr, r.count(FindingSeverity::Info)),
                 QString::number(m_proxy->rowCount())));
}

QMap<qint64, QString> AuditPage::selectedSuggestions() const
{
    QMap<qint64, QString> renames;
    const QList<AuditFinding>& findings = m_model->report().findings;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    // In the order shown, so "the first finding's" is the one on top.
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& index : rows) {
        const int row = m_proxy->mapToSource(index).row();
        if (row < 0 || row >= findings.size())
            continue;
        const AuditFinding& f = findings[row];
        if (f.mappingId <= 0 || f.suggestedName.isEmpty() || renames.contains(f.mappingId))
            continue;
        const MappingOverview* m = m_mappings ? m_mappings->find(f.mappingId) : nullptr;
        if (!m || m->mapping.cohortName == f.suggestedName)
            continue;
        renames.insert(f.mappingId, f.suggestedName);
    }
    return renames;
}

void AuditPage::updateActions()
{
    const bool can = m_controller && m_applying == 0 && !selectedSuggestions().isEmpty();
    m_apply->setEnabled(can);
    m_applyAction->setEnabled(can);
}

QMessageBox* AuditPage::applySuggestions()
{
    const QMap<qint64, QString> renames = selectedSuggestions();
    if (!m_controller || m_applying > 0 || renames.isEmpty())
        return nullptr;
    QStringList lines;
    bool reports = false;
    for (auto it = renames.begin(); it != renames.end(); ++it) {
        const Mapping& m = m_mappings->find(it.key())->mapping;
        lines << QStringLiteral("“%1” → “%2”").arg(m.cohortName, it.value());
        reports = reports || !m.reportUrl.trimmed().isEmpty();
    }
    const int n = int(renames.size());
    auto* box = new QMessageBox(QMessageBox::Question, tr("Rename %n cohort(s)", nullptr, n),
                                tr("Rename %n cohort(s) to the suggested name(s)?", nullptr, n) +
                                    QStringLiteral("\n\n") + lines.join(QLatin1Char('\n')),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("auditApplyConfirm"));
    QString info = tr("Each mapping is renamed in place, as the mapping editor saves it: it keeps "
                      "its segment, members and history. From its next sync Lockstep writes "
                      "the new name to Mixpanel, so a Mixpanel cohort that filters on the old "
                      "name must be changed to the new one.");
    if (reports)
        info += QLatin1Char(' ') + tr("A report set for the old name stays set for it until you "
                                      "point it at the new one (Checklist…).");
    box->setInformativeText(info);
    QPushButton* rename =
        box->addButton(tr("Rename %n cohort(s)", nullptr, n), QMessageBox::AcceptRole);
    rename->setObjectName(QStringLiteral("auditApplyConfirmRename"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, rename, renames] {
        if (box->clickedButton() == rename)
            this->rename(renames);
    });
    box->open();
    return box;
}

void AuditPage::rename(const QMap<qint64, QString>& renames)
{
    // Each as the editor saves an edit: the mapping as loaded, renamed, updated in place.
    struct Outcome
    {
        QStringList renamed;
        QStringList failed;
    };
    auto outcome = std::make_shared<Outcome>();
    auto answered = [this, outcome] {
        if (--m_applying > 0)
            return;
        QString text;
        if (!outcome->renamed.isEmpty())
            text = tr("Renamed %n cohort(s): %1.", nullptr, int(outcome->renamed.size()))
                       .arg(outcome->renamed.join(QStringLiteral(", ")));
        if (!outcome->failed.isEmpty())
            text += (text.isEmpty() ? QString() : QStringLiteral(" ")) +
                    tr("Not renamed: %1").arg(outcome->failed.join(QStringLiteral("; ")));
        m_status->setText(text);
        m_status->setStyleSheet(outcome->failed.isEmpty() ? QString()
                                                          : messageStyle(MessageKind::Error));
        m_status->setVisible(!text.isEmpty());
        // The audit again: the renamed names' findings are gone.
        reload();
        updateActions();
    };
    for (auto it = renames.begin(); it != renames.end(); ++it) {
        const MappingOverview* o = m_mappings->find(it.key());
        if (!o)
            continue;
        Mapping m = o->mapping;
        const QString before = m.cohortName;
        m.cohortName = it.value();
        ++m_applying;
        m_controller->mappings()
            ->update(m)
            .then(this,
                  [outcome, answered, name = it.value()](qint64) {
                      outcome->renamed << QStringLiteral("“%1”").arg(name);
                      answered();
                  })
            .onFailed(this, [outcome, answered, before](const SyncError& e) {
                outcome->failed << QStringLiteral("“%1” (%2)")
                                       .arg(before, e.message.isEmpty() ? e.toString() : e.message);
                answered();
            });
    }
    updateActions();
}

Status AuditPage::writeReport(Format format, const QString& path) const
{
    const AuditReport& r = m_model->report();
    const QByteArray bytes = format == Format::Csv    ? lockstep::toCsv(r, true)
                             : format == Format::Json ? toJson(r)
                                                      : toMarkdown(r);
    return writePrivateFile(path, bytes);
}

void AuditPage::exportReport(Format format)
{
    static const char* const names[] = {"naming-audit.csv", "naming-audit.json", "naming-audit.md"};
    static const char* const filters[] = {QT_TR_NOOP("CSV files (*.csv)"),
                                          QT_TR_NOOP("JSON files (*.json)"),
                                          QT_TR_NOOP("Markdown files (*.md)")};
    const int i = int(format);
    const QString path = FileChooser::saveFileName(this, tr("Export naming audit"),
                                                   QString::fromLatin1(names[i]), tr(filters[i]));
    if (path.isEmpty())
        return;
    const Status written = writeReport(format, path);
    m_summary->setText(written ? tr("Exported to %1").arg(path)
                               : tr("Could not export: %1").arg(written.error().message));
}

} // namespace lockstep
