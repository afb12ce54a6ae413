#include "checklistdialog.h"

#include "engine/synccontroller.h"
#include "modelroles.h"
#include "trust/checklistevaluator.h"
#include "trustviews.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace lockstep {

ChecklistDialog::ChecklistDialog(SyncController* controller, const Mapping& mapping,
                                 QWidget* parent)
    : QDialog(parent), m_controller(controller), m_mapping(mapping), m_summary(new QLabel(this)),
      m_items(makePeopleTable(this, "checklistItems", {tr("Item"), tr("Done"), tr("Evidence")})),
      m_openReport(new QPushButton(tr("Open report"), this)),
      m_review(new QPushButton(tr("Review stability…"), this)),
      m_open([](const QUrl& url) { return QDesktopServices::openUrl(url); })
{
    setObjectName(QStringLiteral("checklistDialog"));
    setWindowTitle(tr("Rollout checklist — %1").arg(mapping.cohortName));
    m_summary->setObjectName(QStringLiteral("checklistSummary"));
    m_openReport->setObjectName(QStringLiteral("checklistOpenReport"));
    m_review->setObjectName(QStringLiteral("checklistReviewStability"));
    m_openReport->setToolTip(tr("Open the Mixpanel board or report that uses this cohort"));
    m_review->setToolTip(tr("Record that you reviewed the segment's median daily churn over the "
                            "last 14 days"));
    m_items->verticalHeader()->setVisible(false);
    m_items->setWordWrap(true);
    connect(m_openReport, &QPushButton::clicked, this, [this] { openReport(); });
    connect(m_review, &QPushButton::clicked, this, [this] { reviewStability(); });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* row = new QHBoxLayout;
    row->addWidget(m_openReport);
    row->addWidget(m_review);
    row->addStretch();
    row->addWidget(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_items, 1);
    layout->addLayout(row);
    resize(900, 460);
    // Announced after every check and edit, whoever asked.
    connect(controller->trust(), &TrustRequests::checklistsLoaded, this,
            &ChecklistDialog::showChecklists);
    connect(controller->mappings(), &MappingRequests::saved, this, [this](qint64 id) {
        if (id == m_mapping.id)
            m_controller->trust()->loadChecklists().then(this, &ChecklistDialog::showChecklists);
    });
    setChecklist(RolloutChecklist{mapping.id, {}, std::nullopt});
    controller->trust()->loadChecklists().then(this, &ChecklistDialog::showChecklists);
}

void ChecklistDialog::showChecklists(const QList<RolloutChecklist>& lists)
{
    for (const RolloutChecklist& c : lists)
        if (c.mappingId == m_mapping.id)
            setChecklist(c);
}

void ChecklistDialog::setChecklist(const RolloutChecklist& c)
{
    m_checklist = c;
    int done = 0;
    m_items->setRowCount(0);
    for (const ChecklistItem& i : c.items) {
        const int row = m_items->rowCount();
        m_items->insertRow(row);
        auto* title = textCell(i.title);
        title->setData(CodeRole, i.key);
        m_items->setItem(row, 0, title);
        auto* state = yesNoCell(i.done);
        state->setData(StatusToneRole, int(i.done     ? StatusTone::Good
                                           : i.failed ? StatusTone::Bad
                                                      : StatusTone::Neutral));
        m_items->setItem(row, 1, state);
        m_items->setItem(row, 2, textCell(i.evidence, i.evidence));
        done += i.done ? 1 : 0;
    }
    m_items->resizeColumnToContents(0);
    m_items->resizeColumnToContents(1);
    m_items->resizeRowsToContents();
    m_summary->setText(c.items.isEmpty()
                           ? tr("Reading the checklist…")
                           : (c.ready() ? tr("Ready: every item has its evidence (%1 of %n).",
                                             nullptr, int(c.items.size()))
                                        : tr("Not ready: %1 of %n items have their evidence.",
                                             nullptr, int(c.items.size())))
                                 .arg(done));
    const ChecklistItem* report = c.item(QLatin1String(checklistitem::kReportingPlanSet));
    m_openReport->setEnabled(report && !report->url.isEmpty());
}

bool ChecklistDialog::openReport()
{
    const ChecklistItem* report = m_checklist.item(QLatin1String(checklistitem::kReportingPlanSet));
    if (!report || report->url.isEmpty())
        return false;
    return m_open(QUrl(report->url));
}

void ChecklistDialog::reviewStability(const QString& name)
{
    QString by = name;
    if (by.isEmpty()) {
        bool ok = false;
        by = QInputDialog::getText(
            this, tr("Segment stability reviewed"),
            tr("You looked at how much “%1” churns from day to day and find it stable enough to "
               "roll out. Your name, recorded with the median daily churn of the last 14 days:")
                .arg(m_mapping.cohortName),
            QLineEdit::Normal, qEnvironmentVariable("USER"), &ok);
        if (!ok || by.trimmed().isEmpty())
            return;
    }
    m_controller->trust()
        ->reviewStability(m_mapping.id, by.trimmed())
        .then(this, &ChecklistDialog::showChecklists)
        .onFailed(this, [this](const SyncError& e) {
            m_summary->setText(tr("The review was not recorded: %1").arg(e.message));
        });
}

} // namespace lockstep
