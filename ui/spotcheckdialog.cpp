#include "spotcheckdialog.h"

#include "themes.h"

#include "engine/synccontroller.h"
#include "statusbadgedelegate.h"
#include "trust/spotcheck.h"
#include "trustviews.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lockstep {

namespace {
enum PeopleColumn
{
    PersonColumn,
    DistinctIdColumn,
    InSegment,
    InMixpanel,
    CarriesValue,
    ResultColumn,
    ReasonColumn
};
} // namespace

SpotCheckDialog::SpotCheckDialog(SyncController* controller, const Mapping& mapping,
                                 QWidget* parent)
    : QDialog(parent), m_controller(controller), m_mapping(mapping), m_count(new QSpinBox(this)),
      m_named(new QLineEdit(this)), m_budgetLabel(new QLabel(this)), m_status(new QLabel(this)),
      m_people(makePeopleTable(this, "spotCheckPeople",
                               {tr("Person"), QStringLiteral("distinct_id"), tr("In segment"),
                                tr("In Mixpanel"), tr("Carries value"), tr("Result"),
                                tr("Likely reason")})),
      m_run(new QPushButton(tr("Run spot check"), this))
{
    setObjectName(QStringLiteral("spotCheckDialog"));
    setWindowTitle(tr("Spot-check people"));
    m_count->setObjectName(QStringLiteral("spotCheckCount"));
    m_named->setObjectName(QStringLiteral("spotCheckNamed"));
    m_budgetLabel->setObjectName(QStringLiteral("spotCheckBudget"));
    m_status->setObjectName(QStringLiteral("spotCheckStatus"));
    m_run->setObjectName(QStringLiteral("spotCheckRun"));

    auto* title = new QLabel(tr("<b>Spot-check “%1” in Customer.io and Mixpanel</b>")
                                 .arg(m_mapping.cohortName.toHtmlEscaped()),
                             this);
    auto* intro =
        new QLabel(tr("People drawn at random from the segment, plus anyone you name, are "
                      "looked up in Mixpanel with one query: are they there, and do they carry "
                      "the cohort value? Nothing is written."),
                   this);
    intro->setWordWrap(true);

    m_count->setRange(0, SpotCheckOptions::kMaxPeople);
    // The unit follows the number ("1 person", "10 people").
    connect(m_count, &QSpinBox::valueChanged, this,
            [this](int n) { m_count->setSuffix(tr(" people", nullptr, n)); });
    m_count->setValue(10);
    m_count->setToolTip(tr("How many segment members to draw at random"));
    m_named->setPlaceholderText(tr("ids, e-mails or cio_ids, separated by commas"));
    m_named->setClearButtonEnabled(true);
    m_named->setToolTip(tr("People you want checked on top of the random ones, e.g. "
                           "a customer who says they did not get the message"));
    m_budgetLabel->setText(budgetText(m_budget));
    m_budgetLabel->setWordWrap(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_run->setDefault(true);
    m_run->setFocus();

    m_people->setItemDelegateForColumn(ResultColumn, new StatusBadgeDelegate(m_people));
    const QFontMetrics fm(m_people->font());
    const int wide = fm.horizontalAdvance(QStringLiteral("someone.long1234@shop.example")) + 16;
    m_people->setColumnWidth(PersonColumn, wide);
    m_people->setColumnWidth(DistinctIdColumn, wide);
    for (int c : {int(InSegment), int(InMixpanel), int(CarriesValue)})
        m_people->setColumnWidth(
            c, fm.horizontalAdvance(m_people->horizontalHeaderItem(c)->text()) + 20);
    m_people->setColumnWidth(ResultColumn, fm.horizontalAdvance(tr("Result")) + 48);

    auto* countRow = new QHBoxLayout;
    countRow->addWidget(m_count);
    countRow->addWidget(new QLabel(tr("drawn at random from the segment"), this));
    countRow->addStretch();
    auto* form = new QFormLayout;
    form->addRow(tr("Random members:"), countRow);
    form->addRow(tr("Also check:"), m_named);
    form->addRow(tr("Query budget:"), m_budgetLabel);

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_run);
    actions->addWidget(m_status, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("spotCheckClose"));
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addLayout(actions);
    layout->addWidget(m_people, 1);
    layout->addWidget(buttons);
    resize(1120, 560);

    connect(m_run, &QPushButton::clicked, this, &SpotCheckDialog::run);
    connect(m_named, &QLineEdit::returnPressed, this, &SpotCheckDialog::run);
    connect(m_count, &QSpinBox::valueChanged, this, &SpotCheckDialog::updateButtons);
    connect(m_named, &QLineEdit::textChanged, this, &SpotCheckDialog::updateButtons);

    if (m_controller) {
        TrustRequests* trust = m_controller->trust();
        // Every check, this dialog's or another's, spends from the budget.
        connect(trust, &TrustRequests::queryBudgetLoaded, this, &SpotCheckDialog::setBudget);
        trust->loadQueryBudget()
            .then(this, &SpotCheckDialog::setBudget)
            .onFailed(this, [](const SyncError&) {}); // the budget stays "unknown"
    }
    updateButtons();
}

void SpotCheckDialog::setBudget(const QueryBudgetState& budget)
{
    m_budget = budget;
    m_budgetLabel->setText(budgetText(budget));
    updateButtons();
}

void SpotCheckDialog::setCount(int count)
{
    m_count->setValue(count);
}

void SpotCheckDialog::setNamed(const QStringList& people)
{
    m_named->setText(people.join(QStringLiteral(", ")));
}

QStringList SpotCheckDialog::named() const
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    return m_named->text().split(separators, Qt::SkipEmptyParts);
}

void SpotCheckDialog::updateButtons()
{
    const bool exhausted = m_budget.exhausted();
    const bool somebody = m_count->value() > 0 || !named().isEmpty();
    m_run->setEnabled(m_controller && !m_pending && !exhausted && somebody);
    if (exhausted && !m_pending)
        m_run->setToolTip(tr("The Mixpanel query budget is used up for this hour"));
    else if (!somebody)
        m_run->setToolTip(tr("Draw at least one member or name someone"));
    else
        m_run->setToolTip(tr("Look these people up in both systems (one Mixpanel "
                             "query)"));
    m_budgetLabel->setStyleSheet(exhausted ? messageStyle(MessageKind::Error) : QString());
}

void SpotCheckDialog::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? messageStyle(MessageKind::Error) : QString());
}

void SpotCheckDialog::run()
{
    if (!m_controller || !m_run->isEnabled())
        return;
    m_pending = true;
    m_result.reset();
    m_people->setRowCount(0);
    updateButtons();
    setStatus(tr("Checking…"));
    m_controller->trust()
        ->spotCheck(m_mapping.id, m_count->value(), named())
        .onProgress(this, [this](const QString& step) { setStatus(step + QStringLiteral("…")); })
        .then(this, &SpotCheckDialog::onResult)
        .onFailed(this, &SpotCheckDialog::onFailed);
}

void SpotCheckDialog::onResult(const SpotCheckResult& r)
{
    m_pending = false;
    m_result = r;
    m_people->setRowCount(int(r.people.size()));
    for (int row = 0; row < r.people.size(); ++row) {
        const PersonCheck& p = r.people[row];
        QString who = p.label();
        if (!p.named.isEmpty() && p.named != who)
            who = tr("%1 (named “%2”)").arg(who, p.named);
        m_people->setItem(row, PersonColumn,
                          textCell(who, QStringLiteral("cio_id %1").arg(p.cioId)));
        m_people->setItem(row, DistinctIdColumn,
                          textCell(p.distinctId.isEmpty() ? tr("(no key)") : p.distinctId));
        m_people->setItem(row, InSegment, yesNoCell(p.inSegment));
        m_people->setItem(row, InMixpanel, yesNoCell(p.inMixpanel));
        m_people->setItem(row, CarriesValue, yesNoCell(p.hasValue));
        m_people->setItem(row, ResultColumn, resultCell(p));
        m_people->setItem(row, ReasonColumn, reasonCell(p));
    }
    const int people = int(r.people.size());
    setStatus((r.passed()
                   ? tr("Passed: %1 of %n person(s) agree in both systems.", nullptr, people)
                   : tr("Failed: %1 of %n person(s) agree in both systems.", nullptr, people))
                  .arg(r.passedCount()),
              !r.passed());
    updateButtons();
    Q_EMIT spotCheckFinished(r);
}

void SpotCheckDialog::onFailed(const SyncError& error)
{
    m_pending = false;
    const QString message = error.message.isEmpty() ? error.toString() : error.message;
    setStatus(message, true);
    updateButtons();
    Q_EMIT checkFailed(message);
}

} // namespace lockstep
