#include "openrehearsalsdialog.h"

#include "themes.h"

#include "engine/synccontroller.h"
#include "trustviews.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace lockstep {

namespace {
constexpr int kIdRole = Qt::UserRole;
} // namespace

OpenRehearsalsDialog::OpenRehearsalsDialog(SyncController* controller, QWidget* parent)
    : QDialog(parent), m_controller(controller), m_summary(new QLabel(this)),
      m_stack(new QStackedWidget(this)), m_table(new QTableWidget(0, ColumnCount, this)),
      m_empty(new QLabel(this)), m_budgetLabel(new QLabel(this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("openRehearsalsDialog"));
    setWindowTitle(tr("Open rehearsals"));
    m_summary->setObjectName(QStringLiteral("openRehearsalsSummary"));
    m_table->setObjectName(QStringLiteral("openRehearsalsTable"));
    m_empty->setObjectName(QStringLiteral("openRehearsalsEmpty"));
    m_budgetLabel->setObjectName(QStringLiteral("openRehearsalsBudget"));
    m_status->setObjectName(QStringLiteral("openRehearsalsStatus"));

    m_summary->setWordWrap(true);
    m_summary->setText(tr("Reading the rehearsals from the workspace…"));
    auto* intro =
        new QLabel(tr("A rehearsal closed without Clean up leaves its temporary cohort value on "
                      "the test segment's profiles in Mixpanel. Clean up removes it from every "
                      "profile that carries it and reads back that it is gone (one or two "
                      "Mixpanel queries)."),
                   this);
    intro->setWordWrap(true);

    m_table->setHorizontalHeaderLabels({tr("Cohort"), tr("Temporary value"), tr("Property"),
                                        tr("Profiles"), tr("Made"), tr("By"), QString()});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(Value, QHeaderView::Stretch);
    const QFontMetrics fm(m_table->font());
    m_table->setColumnWidth(Cohort,
                            fm.horizontalAdvance(QStringLiteral("CIO | Winback | 45-60d")) + 24);
    m_table->setColumnWidth(Property, fm.horizontalAdvance(QStringLiteral("cio_cohorts")) + 24);
    m_table->setColumnWidth(Profiles, fm.horizontalAdvance(tr("Profiles")) + 24);
    m_table->setColumnWidth(Made, fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59")) + 24);
    m_table->setColumnWidth(By, fm.horizontalAdvance(QStringLiteral("someone")) + 24);
    m_table->setColumnWidth(Action, fm.horizontalAdvance(tr("Cleaning up…")) + 40);

    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setText(tr("No open rehearsals: every rehearsal's temporary value has been "
                        "cleaned up."));
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);

    m_budgetLabel->setText(budgetText(m_budget));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("openRehearsalsClose"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(intro);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_budgetLabel);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1000, 380);

    if (m_controller) {
        TrustRequests* trust = m_controller->trust();
        // Every check spends from the budget; every check's end announces the open list.
        connect(trust, &TrustRequests::queryBudgetLoaded, this, &OpenRehearsalsDialog::setBudget);
        connect(trust, &TrustRequests::openRehearsalsLoaded, this,
                &OpenRehearsalsDialog::setRehearsals);
        trust->openRehearsals()
            .then(this, &OpenRehearsalsDialog::setRehearsals)
            .onFailed(this, [this](const SyncError& e) {
                setStatus(e.message.isEmpty() ? e.toString() : e.message, true);
            });
        trust->loadQueryBudget()
            .then(this, &OpenRehearsalsDialog::setBudget)
            .onFailed(this, [](const SyncError&) {}); // the budget stays "unknown"
    }
}

int OpenRehearsalsDialog::rowCount() const
{
    return m_table->rowCount();
}

QList<qint64> OpenRehearsalsDialog::listedIds() const
{
    QList<qint64> ids;
    for (const OpenRehearsal& o : m_open)
        ids.append(o.checkId);
    return ids;
}

QPushButton* OpenRehearsalsDialog::cleanupButton(qint64 checkId) const
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, Cohort)->data(kIdRole).toLongLong() == checkId)
            return qobject_cast<QPushButton*>(m_table->cellWidget(row, Action));
    return nullptr;
}

void OpenRehearsalsDialog::setRehearsals(const QList<OpenRehearsal>& open)
{
    m_open = open;
    m_loaded = true;
    // A clean-up whose rehearsal is gone from the list has been confirmed (or was done by
    // someone else): nothing of it is left to wait for here.
    QSet<qint64> listed;
    for (const OpenRehearsal& o : open)
        listed.insert(o.checkId);
    m_table->setRowCount(0);
    m_table->setRowCount(int(open.size()));
    for (int row = 0; row < open.size(); ++row) {
        const OpenRehearsal& o = open[row];
        const RehearsalResult& r = o.rehearsal;
        const QString made =
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.atMs), QLocale::ShortFormat);
        // A deleted mapping's value is still on profiles: this list is the way to it.
        auto* cohort = o.mappingDeleted
                           ? textCell(tr("%1 (deleted)").arg(o.cohortName),
                                      tr("Mapping %1, deleted: its rehearsal's value is still "
                                         "on profiles")
                                          .arg(r.mappingId))
                           : textCell(o.cohortName, tr("Mapping %1").arg(r.mappingId));
        cohort->setData(kIdRole, o.checkId);
        m_table->setItem(row, Cohort, cohort);
        m_table->setItem(
            row, Value,
            textCell(r.value, r.testSegmentName.isEmpty()
                                  ? tr("Written to test segment %1").arg(r.testSegmentId)
                                  : tr("Written to test segment %1 (%2)")
                                        .arg(QString::number(r.testSegmentId), r.testSegmentName)));
        m_table->setItem(row, Property,
                         textCell(r.mode == SyncMode::List ? r.property : tr("(its own flag)"),
                                  r.mode == SyncMode::List
                                      ? tr("The value is an item of this list property")
                                      : tr("The value is a property of its own, set to true")));
        auto* profiles = textCell(QLocale().toString(o.carriers),
                                  tr("Profiles that read back carrying the value when the "
                                     "rehearsal was made"));
        profiles->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, Profiles, profiles);
        m_table->setItem(row, Made, textCell(made));
        m_table->setItem(row, By, textCell(r.by.isEmpty() ? tr("unknown") : r.by));
        auto* button = new QPushButton(tr("Clean up"), m_table);
        button->setObjectName(QStringLiteral("openRehearsalCleanup"));
        button->setAccessibleName(tr("Clean up %1").arg(r.value));
        button->setToolTip(
            tr("Remove “%1” from every profile carrying it, and verify").arg(r.value));
        const qint64 id = o.checkId;
        connect(button, &QPushButton::clicked, this, [this, id] { cleanUp(id); });
        m_table->setCellWidget(row, Action, button);
    }
    // Dates and names in full; the value column takes the rest.
    if (!open.isEmpty())
        for (int column : {int(Profiles), int(Made), int(By)}) {
            const int before = m_table->columnWidth(column);
            m_table->resizeColumnToContents(column);
            m_table->setColumnWidth(column, std::max(before, m_table->columnWidth(column)));
        }
    for (auto it = m_cleaning.begin(); it != m_cleaning.end();)
        it = listed.contains(*it) ? std::next(it) : m_cleaning.erase(it);
    m_stack->setCurrentWidget(open.isEmpty() ? static_cast<QWidget*>(m_empty) : m_table);
    if (open.isEmpty()) {
        m_summary->setText(tr("No rehearsal has left its temporary value in Mixpanel."));
    } else {
        int profiles = 0;
        for (const OpenRehearsal& o : open)
            profiles += o.carriers;
        //: %1 is "N profiles"
        m_summary->setText(tr("<b>%n rehearsal(s) not cleaned up</b>: their temporary value is "
                              "on %1 in Mixpanel.",
                              nullptr, int(open.size()))
                               .arg(tr("%n profile(s)", nullptr, profiles)));
    }
    updateButtons();
    Q_EMIT loaded();
}

void OpenRehearsalsDialog::setBudget(const QueryBudgetState& budget)
{
    m_budget = budget;
    m_budgetLabel->setText(budgetText(budget));
    updateButtons();
}

void OpenRehearsalsDialog::updateButtons()
{
    const bool budgetLeft = m_budget.left != 0;
    for (const OpenRehearsal& o : m_open) {
        QPushButton* button = cleanupButton(o.checkId);
        if (!button)
            continue;
        const bool cleaning = m_cleaning.contains(o.checkId);
        button->setText(cleaning ? tr("Cleaning up…") : tr("Clean up"));
        button->setEnabled(m_controller && !cleaning && budgetLeft);
    }
}

void OpenRehearsalsDialog::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? messageStyle(MessageKind::Error) : QString());
}

bool OpenRehearsalsDialog::cleanUp(qint64 checkId)
{
    QPushButton* button = cleanupButton(checkId);
    if (!m_controller || !button || !button->isEnabled())
        return false;
    QString value;
    for (const OpenRehearsal& o : m_open)
        if (o.checkId == checkId)
            value = o.rehearsal.value;
    m_cleaning.insert(checkId);
    updateButtons();
    setStatus(tr("Removing “%1”…").arg(value));
    m_controller->trust()
        ->cleanupOpenRehearsal(checkId)
        .onProgress(this, [this](const QString& step) { setStatus(step + QStringLiteral("…")); })
        .then(this,
              [this, checkId](const RehearsalCleanup& c) {
                  m_cleaning.remove(checkId);
                  // A verified clean-up is no longer open: the list the engine announces
                  // next drops its row.
                  setStatus(c.verified()
                                ? tr("Cleaned up “%1”: removed from %n profile(s) and verified "
                                     "gone.",
                                     nullptr, c.removed)
                                      .arg(c.value)
                                : tr("Clean up of “%1” incomplete: %n profile(s) still carry "
                                     "it. Try again in a minute.",
                                     nullptr, c.remaining)
                                      .arg(c.value),
                            !c.verified());
                  updateButtons();
                  Q_EMIT cleanupFinished(checkId, c);
              })
        .onFailed(this, [this, checkId](const SyncError& e) {
            m_cleaning.remove(checkId);
            const QString message = e.message.isEmpty() ? e.toString() : e.message;
            setStatus(message, true);
            updateButtons();
            Q_EMIT cleanupFailed(checkId, message);
        });
    return true;
}

} // namespace lockstep
