#include "rehearsaldialog.h"

#include "themes.h"

#include "displayformat.h"
#include "engine/synccontroller.h"
#include "statusbadgedelegate.h"
#include "store/mixpanellimits.h"
#include "trust/rehearsal.h"
#include "trustviews.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lockstep {

namespace {
constexpr int kIdRole = Qt::UserRole;
constexpr int kCountRole = Qt::UserRole + 1;
constexpr int kReadyRole = Qt::UserRole + 2;

enum PeopleColumn
{
    PersonColumn,
    DistinctIdColumn,
    ResultColumn,
    ReasonColumn
};
} // namespace

RehearsalDialog::RehearsalDialog(SyncController* controller, const Mapping& mapping,
                                 QWidget* parent)
    : QDialog(parent), m_controller(controller), m_mapping(mapping),
      m_segments(new QTreeWidget(this)), m_sizeNote(new QLabel(this)), m_value(new QLabel(this)),
      m_budgetLabel(new QLabel(this)), m_status(new QLabel(this)),
      m_people(makePeopleTable(
          this, "rehearsalPeople",
          {tr("Person"), QStringLiteral("distinct_id"), tr("Result"), tr("Reason")})),
      m_run(new QPushButton(tr("Run rehearsal"), this)),
      m_cleanupButton(new QPushButton(tr("Clean up"), this))
{
    setObjectName(QStringLiteral("rehearsalDialog"));
    setWindowTitle(tr("Rehearse on a test segment"));
    m_segments->setObjectName(QStringLiteral("rehearsalSegments"));
    m_sizeNote->setObjectName(QStringLiteral("rehearsalSizeNote"));
    m_value->setObjectName(QStringLiteral("rehearsalValue"));
    m_budgetLabel->setObjectName(QStringLiteral("rehearsalBudget"));
    m_status->setObjectName(QStringLiteral("rehearsalStatus"));
    m_run->setObjectName(QStringLiteral("rehearsalRun"));
    m_cleanupButton->setObjectName(QStringLiteral("rehearsalCleanup"));

    auto* title = new QLabel(tr("<b>Rehearse “%1” on a small test segment</b>")
                                 .arg(m_mapping.cohortName.toHtmlEscaped()),
                             this);
    auto* intro =
        new QLabel(tr("Lockstep writes the test segment's members to a temporary cohort value "
                      "with this mapping's identity key and mode, reads it back through the "
                      "Mixpanel query API and judges each person. The real cohort is not "
                      "touched. Pick a small internal segment, such as your own team."),
                   this);
    intro->setWordWrap(true);

    m_segments->setHeaderLabels({tr("Test segment"), tr("People"), tr("State")});
    m_segments->setRootIsDecorated(false);
    m_segments->setUniformRowHeights(true);
    m_segments->setAlternatingRowColors(true);
    m_segments->setSortingEnabled(false);
    m_segments->header()->setStretchLastSection(false);
    m_segments->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_segments->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_segments->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_segments->setMinimumHeight(m_segments->fontMetrics().height() * 6);
    auto* loading = new QTreeWidgetItem(m_segments, {tr("Reading segments from "
                                                        "Customer.io…")});
    loading->setFlags(Qt::NoItemFlags);

    m_sizeNote->setWordWrap(true);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_value->setWordWrap(true);
    m_budgetLabel->setText(budgetText(m_budget));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_run->setDefault(true);
    m_segments->setFocus();
    m_run->setToolTip(tr("Write the temporary value to the test segment's members "
                         "and read it back (one Mixpanel query)"));
    m_cleanupButton->setToolTip(
        tr("Remove the temporary value from every profile carrying it, and verify (one query)"));

    m_people->setItemDelegateForColumn(ResultColumn, new StatusBadgeDelegate(m_people));
    const QFontMetrics fm(m_people->font());
    m_people->setColumnWidth(PersonColumn,
                             fm.horizontalAdvance(QStringLiteral("someone@company.example")) + 24);
    m_people->setColumnWidth(DistinctIdColumn,
                             fm.horizontalAdvance(QStringLiteral("someone@company.example")) + 24);
    m_people->setColumnWidth(ResultColumn, fm.horizontalAdvance(tr("Result")) + 48);

    auto* form = new QFormLayout;
    form->addRow(tr("Temporary value:"), m_value);
    form->addRow(tr("Query budget:"), m_budgetLabel);

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_run);
    actions->addWidget(m_cleanupButton);
    actions->addWidget(m_status, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("rehearsalClose"));
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(m_segments, 1);
    layout->addWidget(m_sizeNote);
    layout->addLayout(form);
    layout->addLayout(actions);
    layout->addWidget(m_people, 2);
    layout->addWidget(buttons);
    resize(860, 640);

    connect(m_segments, &QTreeWidget::currentItemChanged, this, &RehearsalDialog::updateSelection);
    connect(m_run, &QPushButton::clicked, this, &RehearsalDialog::run);
    connect(m_cleanupButton, &QPushButton::clicked, this, &RehearsalDialog::cleanUp);

    if (m_controller) {
        TrustRequests* trust = m_controller->trust();
        // Every check, this dialog's or another's, spends from the budget.
        connect(trust, &TrustRequests::queryBudgetLoaded, this, &RehearsalDialog::setBudget);
        m_waiting = Waiting::Segments;
        trust->loadSegments()
            .then(this, &RehearsalDialog::onSegments)
            .onFailed(this, &RehearsalDialog::onSegmentsFailed);
        trust->loadQueryBudget()
            .then(this, &RehearsalDialog::setBudget)
            .onFailed(this, [](const SyncError&) {}); // the budget stays "unknown"
        // A rehearsal closed without Clean up (here or in an earlier session) left its
        // value on real profiles: offer to remove it now.
        trust->openRehearsal(m_mapping.id)
            .then(this, &RehearsalDialog::onOpenRehearsal)
            .onFailed(this, [](const SyncError&) {}); // nothing known to clean up
    }
    updateValue();
    updateSelection();
}

void RehearsalDialog::setBudget(const QueryBudgetState& budget)
{
    m_budget = budget;
    m_budgetLabel->setText(budgetText(budget));
    updateButtons();
}

void RehearsalDialog::onSegments(const QList<SegmentChoice>& segments)
{
    m_waiting = Waiting::Nothing;
    m_segments->clear();
    // Smallest first: a test segment is small.
    QList<SegmentChoice> sorted = segments;
    std::stable_sort(
        sorted.begin(), sorted.end(), [](const SegmentChoice& a, const SegmentChoice& b) {
            const qint64 ca = a.count < 0 ? std::numeric_limits<qint64>::max() : a.count;
            const qint64 cb = b.count < 0 ? std::numeric_limits<qint64>::max() : b.count;
            return ca < cb;
        });
    for (const SegmentChoice& s : sorted) {
        const bool ready = s.info.isReady();
        auto* item = new QTreeWidgetItem(
            m_segments,
            {s.info.name.isEmpty() ? tr("Segment %1").arg(s.info.id) : s.info.name,
             s.count < 0 ? QStringLiteral("?") : format::count(s.count),
             ready ? tr("ready") : tr("building %1%").arg(s.info.progress.value_or(0))});
        item->setData(0, kIdRole, s.info.id);
        item->setData(0, kCountRole, s.count);
        item->setData(0, kReadyRole, ready);
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(0, s.info.description.isEmpty()
                                ? tr("Customer.io segment %1").arg(s.info.id)
                                : tr("Customer.io segment %1: %2")
                                      .arg(QString::number(s.info.id), s.info.description));
        if (s.info.id == m_mapping.segmentId)
            item->setText(0, tr("%1 (this mapping's segment)").arg(item->text(0)));
    }
    if (segments.isEmpty())
        setStatus(tr("Customer.io lists no segments."));
    else
        setStatus(m_valueError, !m_valueError.isEmpty());
    updateSelection();
    Q_EMIT segmentsLoaded();
}

int RehearsalDialog::segmentCount() const
{
    int n = 0;
    for (int i = 0; i < m_segments->topLevelItemCount(); ++i)
        n += m_segments->topLevelItem(i)->data(0, kIdRole).isValid() ? 1 : 0;
    return n;
}

bool RehearsalDialog::selectSegment(qint64 segmentId)
{
    for (int i = 0; i < m_segments->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_segments->topLevelItem(i);
        if (item->data(0, kIdRole).isValid() && item->data(0, kIdRole).toLongLong() == segmentId) {
            m_segments->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

bool RehearsalDialog::selectSmallestSegment()
{
    // The list is sorted smallest first.
    for (int i = 0; i < m_segments->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_segments->topLevelItem(i);
        const qint64 count = item->data(0, kCountRole).toLongLong();
        if (item->data(0, kIdRole).isValid() && item->data(0, kReadyRole).toBool() && count > 0 &&
            count <= kMaxSize) {
            m_segments->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

qint64 RehearsalDialog::selectedSegmentId() const
{
    const QTreeWidgetItem* item = m_segments->currentItem();
    return item && item->data(0, kIdRole).isValid() ? item->data(0, kIdRole).toLongLong() : 0;
}

void RehearsalDialog::updateSelection()
{
    const QTreeWidgetItem* item = m_segments->currentItem();
    if (!item || !item->data(0, kIdRole).isValid()) {
        m_sizeNote->setText(tr("Choose a test segment."));
    } else {
        const qint64 count = item->data(0, kCountRole).toLongLong();
        const bool ready = item->data(0, kReadyRole).toBool();
        QString note;
        if (!ready)
            note = tr("⚠ This segment is still building in Customer.io: wait until "
                      "it is finished.");
        else if (count > kMaxSize)
            note = tr("⚠ %Ln person(s) is too big for a rehearsal (at most %1): pick a small "
                      "internal segment.",
                      nullptr, int(count))
                       .arg(kMaxSize);
        else if (count > kWarnSize)
            note = tr("⚠ %Ln person(s): a rehearsal writes the temporary value to every one of "
                      "their Mixpanel profiles. A handful of internal people is enough.",
                      nullptr, int(count));
        else if (count < 0)
            note = tr("The size of this segment could not be read.");
        else if (count == 0)
            note = tr("This segment is empty: nobody to rehearse on.");
        else
            note = tr("%n person(s) will get the temporary value.", nullptr, int(count));
        m_sizeNote->setText(note);
    }
    updateButtons();
}

void RehearsalDialog::updateValue()
{
    const bool done = m_result.has_value();
    const QString value =
        done ? m_result->value
             : Rehearsal::temporaryValue(m_mapping.cohortName, QDateTime::currentMSecsSinceEpoch());
    const bool list = m_mapping.mode == SyncMode::List;
    QString text;
    if (list && done)
        text = tr("<code>%1</code> in the list property <code>%2</code>");
    else if (list)
        text = tr("<code>%1</code> in the list property <code>%2</code> (the minute is set when "
                  "it runs)");
    else if (done)
        text = tr("<code>%1</code> as its own flag property (set to true)");
    else
        text = tr("<code>%1</code> as its own flag property (set to true) (the minute is set "
                  "when it runs)");
    m_value->setText(list ? text.arg(value.toHtmlEscaped(), m_mapping.listProperty.toHtmlEscaped())
                          : text.arg(value.toHtmlEscaped()));
    // The suffix has a fixed length, so this minute's value tells for any minute.
    const Status fits = checkRehearsalValueBytes(value, m_mapping.mode);
    m_valueError = fits ? QString() : fits.error().message;
    if (!m_valueError.isEmpty())
        setStatus(m_valueError, true);
}

void RehearsalDialog::updateButtons()
{
    const QTreeWidgetItem* item = m_segments->currentItem();
    const bool chosen = item && item->data(0, kIdRole).isValid();
    const qint64 count = chosen ? item->data(0, kCountRole).toLongLong() : -1;
    const bool usable =
        chosen && item->data(0, kReadyRole).toBool() && count != 0 && count <= kMaxSize;
    const bool budgetLeft = m_budget.left != 0;
    const bool idle = m_waiting == Waiting::Nothing || m_waiting == Waiting::Segments;
    m_run->setEnabled(m_controller && idle && usable && budgetLeft && m_valueError.isEmpty());
    m_cleanupButton->setEnabled(m_controller && idle && m_result.has_value() && !m_cleanup &&
                                budgetLeft);
    m_segments->setEnabled(idle);
}

void RehearsalDialog::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? messageStyle(MessageKind::Error) : QString());
}

void RehearsalDialog::run()
{
    if (!m_controller || !m_run->isEnabled())
        return;
    const qint64 segment = selectedSegmentId();
    if (segment <= 0)
        return;
    m_result.reset();
    m_cleanup.reset();
    m_earlier = false;
    m_people->setRowCount(0);
    m_waiting = Waiting::Rehearsal;
    updateValue();
    updateButtons();
    setStatus(tr("Rehearsing…"));
    m_controller->trust()
        ->rehearse(m_mapping.id, segment, qEnvironmentVariable("USER"))
        .onProgress(this, [this](const QString& step) { setStatus(step + QStringLiteral("…")); })
        .then(this, &RehearsalDialog::onResult)
        .onFailed(this, &RehearsalDialog::onFailed);
}

void RehearsalDialog::cleanUp()
{
    if (!m_controller || !m_result || !m_cleanupButton->isEnabled())
        return;
    m_waiting = Waiting::Cleanup;
    updateButtons();
    setStatus(tr("Removing the temporary value…"));
    m_controller->trust()
        ->cleanupRehearsal(*m_result)
        .onProgress(this, [this](const QString& step) { setStatus(step + QStringLiteral("…")); })
        .then(this, &RehearsalDialog::onCleanup)
        .onFailed(this, &RehearsalDialog::onFailed);
}

void RehearsalDialog::onResult(const RehearsalResult& r)
{
    m_waiting = Waiting::Nothing;
    m_result = r;
    updateValue();
    m_people->setRowCount(int(r.people.size()));
    for (int row = 0; row < r.people.size(); ++row) {
        const PersonCheck& p = r.people[row];
        m_people->setItem(row, PersonColumn,
                          textCell(p.label(), QStringLiteral("cio_id %1").arg(p.cioId)));
        m_people->setItem(row, DistinctIdColumn,
                          textCell(p.distinctId.isEmpty() ? tr("(no key)") : p.distinctId));
        m_people->setItem(row, ResultColumn, resultCell(p));
        m_people->setItem(row, ReasonColumn, reasonCell(p));
    }
    const int people = int(r.people.size());
    QString text =
        r.passed()
            ? tr("Passed: %1 of %n person(s) read back with the temporary value.", nullptr, people)
            : tr("Failed: %1 of %n person(s) read back with the temporary value.", nullptr, people);
    text = text.arg(r.passedCount());
    if (!r.unexpected.isEmpty())
        text += QLatin1Char(' ') +
                tr("%n other profile(s) carry it too: %1.", nullptr, int(r.unexpected.size()))
                    .arg(r.unexpected.mid(0, 5).join(QStringLiteral(", ")));
    text += QLatin1Char(' ') + tr("Clean up removes it.");
    setStatus(text, !r.passed());
    updateButtons();
    Q_EMIT rehearsalFinished(r);
}

void RehearsalDialog::onCleanup(const RehearsalCleanup& c)
{
    m_waiting = Waiting::Nothing;
    m_cleanup = c;
    setStatus(c.verified()
                  ? tr("Cleaned up: the temporary value was removed from %n profile(s) and "
                       "is verified gone.",
                       nullptr, c.removed)
                  : tr("Clean up incomplete: %n profile(s) still carry the temporary value. "
                       "Try again in a minute.",
                       nullptr, c.remaining),
              !c.verified());
    if (!c.verified())
        m_cleanup.reset(); // let the operator try again
    updateButtons();
    Q_EMIT cleanupFinished(c);
    if (std::exchange(m_closeAfterCleanup, false) && c.verified())
        QDialog::reject();
}

void RehearsalDialog::onOpenRehearsal(const RehearsalResult& open)
{
    if (open.value.isEmpty() || m_result || m_waiting == Waiting::Rehearsal)
        return;
    m_result = open;
    m_earlier = true;
    updateValue();
    setStatus(tr("An earlier rehearsal (%1) left the temporary value “%2” on profiles in "
                 "Mixpanel. Clean up removes it.")
                  .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(open.atMs),
                                          QLocale::ShortFormat),
                       open.value),
              true);
    updateButtons();
}

void RehearsalDialog::reject()
{
    // Closing leaves the temporary value on real profiles: ask, unless it is gone.
    if (m_closing || !m_result || m_cleanup || m_waiting == Waiting::Cleanup) {
        QDialog::reject();
        return;
    }
    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("Temporary value not cleaned up"),
                        tr("The rehearsal's temporary value “%1” is still on profiles in Mixpanel.")
                            .arg(m_result->value),
                        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("rehearsalCloseConfirm"));
    box->setInformativeText(tr("Clean up now, or keep it: Lockstep remembers the rehearsal. "
                               "Mappings › Open rehearsals… lists it with a Clean up button, "
                               "and Rehearse… on this mapping offers the clean-up too."));
    QPushButton* clean = box->addButton(tr("Clean up now"), QMessageBox::AcceptRole);
    clean->setObjectName(QStringLiteral("rehearsalCloseCleanUp"));
    QPushButton* keep = box->addButton(tr("Keep it for later"), QMessageBox::DestructiveRole);
    keep->setObjectName(QStringLiteral("rehearsalCloseKeep"));
    box->setDefaultButton(clean);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, clean, keep] {
        if (box->clickedButton() == keep) {
            m_closing = true;
            QDialog::reject();
        } else if (box->clickedButton() == clean) {
            m_closeAfterCleanup = true;
            cleanUp();
        }
    });
    box->open();
}

void RehearsalDialog::onSegmentsFailed(const SyncError& error)
{
    m_segments->clear();
    auto* item = new QTreeWidgetItem(m_segments, {tr("No segments")});
    item->setFlags(Qt::NoItemFlags);
    onFailed(error);
}

void RehearsalDialog::onFailed(const SyncError& error)
{
    m_waiting = Waiting::Nothing;
    m_closeAfterCleanup = false;
    const QString message = error.message.isEmpty() ? error.toString() : error.message;
    setStatus(message, true);
    updateButtons();
    Q_EMIT checkFailed(message);
}

} // namespace lockstep
