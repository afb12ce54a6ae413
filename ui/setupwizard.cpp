#include "setupwizard.h"

#include "themes.h"

#include "connectionform.h"
#include "displayformat.h"
#include "doctorview.h"
#include "engine/synccontroller.h"
#include "identityadviceview.h"
#include "lockstepresources.h"
#include "namingfeedback.h"
#include "store/mixpanellimits.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <functional>

namespace lockstep {

namespace {
// A wizard page whose "Next" follows a predicate the wizard re-evaluates.
class Step : public QWizardPage
{
public:
    explicit Step(std::function<bool()> complete) : m_complete(std::move(complete)) {}
    bool isComplete() const override { return m_complete(); }
    void changed() { Q_EMIT completeChanged(); }

private:
    std::function<bool()> m_complete;
};

QLabel* note(QWidget* parent, const QString& text, const char* name = nullptr)
{
    auto* l = new QLabel(text, parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    if (name)
        l->setObjectName(QLatin1String(name));
    return l;
}
} // namespace

SetupWizard::SetupWizard(SyncController* controller, const WorkspaceSettings& settings,
                         const Credentials& credentials, QWidget* parent)
    : QWizard(parent), m_controller(controller), m_settings(settings)
{
    setObjectName(QStringLiteral("setupWizard"));
    setWindowTitle(tr("Set up Lockstep"));
    setWizardStyle(QWizard::ModernStyle);
    setPixmap(QWizard::LogoPixmap, appIcon().pixmap(48, 48));
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(ConnectPage, makeConnectPage());
    setPage(SegmentPage, makeSegmentPage());
    setPage(NamePage, makeNamePage());
    setPage(IdentityPage, makeIdentityPage());
    setPage(DryRunPage, makeDryRunPage());
    setPage(SyncPage, makeSyncPage());
    m_connection->setConnection(settings.connection);
    m_connection->setCredentials(credentials);
    m_naming->setConvention(settings.naming);
    button(QWizard::NextButton)->setObjectName(QStringLiteral("wizardNext"));
    button(QWizard::FinishButton)->setObjectName(QStringLiteral("wizardFinish"));
    button(QWizard::CancelButton)->setObjectName(QStringLiteral("wizardCancel"));
    resize(880, 680); // room for the connection checks
}

QWizardPage* SetupWizard::makeConnectPage()
{
    auto* page = new Step([this] { return m_connectionOk; });
    page->setTitle(tr("Connect Customer.io and Mixpanel"));
    page->setSubTitle(tr("Lockstep reads segments from Customer.io and writes cohort "
                         "membership to Mixpanel profiles."));
    m_connection = new ConnectionForm(QStringLiteral("wizard"), page);
    m_testResult = note(page, tr("Test the connection to continue."), "wizardTestResult");
    auto* test = new QPushButton(tr("Test connection"), page);
    test->setObjectName(QStringLiteral("wizardTest"));
    auto* sandbox = new QPushButton(tr("Try the sandbox instead"), page);
    sandbox->setObjectName(QStringLiteral("wizardSandbox"));
    sandbox->setToolTip(tr("A demo workspace on local emulators: nothing reaches your "
                           "real services"));
    connect(test, &QPushButton::clicked, this, [this] {
        m_connectionOk = false;
        refreshCompleteness();
        m_testResult->setText(tr("Testing…"));
        m_doctor->clearReport();
        auto test = m_controller->setup()->testConnection(m_connection->connection(),
                                                          m_connection->credentials());
        m_test = test.id();
        test.then(this, [this, id = test.id()](const ConnectionTest& t) {
            if (id != m_test)
                return; // tested again since: the newer answer counts
            m_test = 0;
            m_connectionOk = t.ok;
            m_testResult->setText((t.ok ? QStringLiteral("✔ ") : QStringLiteral("✘ ")) +
                                  t.message.toHtmlEscaped());
            m_segmentChoices = t.segments;
            m_doctor->setReport(t.report);
            m_doctor->setVisible(!t.report.checks.isEmpty());
            refreshCompleteness();
        });
    });
    connect(sandbox, &QPushButton::clicked, this, [this] {
        Q_EMIT sandboxRequested();
        done(SandboxResult);
    });
    connect(m_connection, &ConnectionForm::changed, this, [this] {
        m_connectionOk = false;
        refreshCompleteness();
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(test);
    buttons->addStretch();
    buttons->addWidget(sandbox);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_connection);
    layout->addLayout(buttons);
    layout->addWidget(m_testResult);
    m_doctor = new DoctorView(page);
    m_doctor->setObjectName(QStringLiteral("wizardDoctor"));
    m_doctor->hide(); // until tested
    layout->addWidget(m_doctor, 1);
    layout->addStretch();
    return page;
}

QWizardPage* SetupWizard::makeSegmentPage()
{
    auto* page = new Step([this] {
        const SegmentChoice* s = selectedSegment();
        return s && s->info.isReady();
    });
    page->setTitle(tr("Pick a segment"));
    page->setSubTitle(tr("Segments that are still building cannot be synced yet."));
    m_segments = new QTableWidget(0, 4, page);
    m_segments->setObjectName(QStringLiteral("wizardSegments"));
    m_segments->setHorizontalHeaderLabels({tr("Segment"), tr("Id"), tr("Members"), tr("State")});
    m_segments->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_segments->setSelectionMode(QAbstractItemView::SingleSelection);
    m_segments->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_segments->verticalHeader()->hide();
    m_segments->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    connect(m_segments, &QTableWidget::itemSelectionChanged, this,
            &SetupWizard::refreshCompleteness);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_segments);
    return page;
}

QWizardPage* SetupWizard::makeNamePage()
{
    auto* page = new Step([this] {
        const QString name = m_cohort->text().trimmed();
        return !name.isEmpty() && checkCohortValueBytes(name, SyncMode::List).ok();
    });
    page->setTitle(tr("Name the Mixpanel cohort"));
    page->setSubTitle(tr("The name is written to each member's profile: follow the "
                         "team's convention so cohorts sort and compare."));
    m_cohort = new QLineEdit(page);
    m_cohort->setObjectName(QStringLiteral("wizardCohort"));
    m_naming = new NamingFeedback(page);
    m_naming->setObjectName(QStringLiteral("wizardNaming"));
    auto* useSuggestion = new QPushButton(tr("Use suggested name"), page);
    useSuggestion->setObjectName(QStringLiteral("wizardUseSuggestion"));
    useSuggestion->setEnabled(false);
    m_owner = new QLineEdit(page);
    m_owner->setObjectName(QStringLiteral("wizardOwner"));
    m_decision = new QLineEdit(page);
    m_decision->setObjectName(QStringLiteral("wizardDecision"));
    m_decision->setPlaceholderText(tr("What will this cohort decide? (e.g. winback offer)"));
    // Mixpanel's byte limit, said while typing; the page's Next stays off until it fits.
    auto* tooLong = note(page, QString(), "wizardCohortError");
    tooLong->setTextFormat(Qt::PlainText);
    tooLong->setStyleSheet(messageStyle(MessageKind::Error));
    tooLong->hide();
    connect(m_cohort, &QLineEdit::textChanged, this,
            [this, useSuggestion, tooLong](const QString& t) {
                const Status fits = checkCohortValueBytes(t.trimmed(), SyncMode::List);
                tooLong->setText(fits ? QString() : fits.error().message);
                tooLong->setVisible(!fits.ok());
                m_naming->check(t);
                useSuggestion->setEnabled(!m_naming->suggestion().isEmpty());
                refreshCompleteness();
            });
    connect(useSuggestion, &QPushButton::clicked, this,
            [this] { m_cohort->setText(m_naming->suggestion()); });
    auto* form = new QFormLayout(page);
    form->addRow(tr("Cohort name"), m_cohort);
    form->addRow(QString(), tooLong);
    form->addRow(QString(), m_naming);
    form->addRow(QString(), useSuggestion);
    form->addRow(tr("Owner"), m_owner);
    form->addRow(tr("Decision"), m_decision);
    return page;
}

QWizardPage* SetupWizard::makeIdentityPage()
{
    auto* page = new Step([] { return true; });
    page->setTitle(tr("Choose the identity key"));
    page->setSubTitle(tr("Which Customer.io identifier becomes Mixpanel's "
                         "$distinct_id. Use the one your Mixpanel profiles are keyed by."));
    m_identity = new QComboBox(page);
    m_identity->setObjectName(QStringLiteral("wizardIdentity"));
    m_identity->addItem(tr("e-mail (trimmed, lower-case)"), int(IdentityKey::Email));
    m_identity->addItem(QStringLiteral("id"), int(IdentityKey::Id));
    m_identity->addItem(QStringLiteral("cio_id"), int(IdentityKey::CioId));
    m_advice = new IdentityAdviceView(QStringLiteral("wizardAdvice"), page);
    auto* form = new QFormLayout(page);
    form->addRow(tr("Identity key"), m_identity);
    form->addRow(tr("Advisor"), m_advice);
    return page;
}

QWizardPage* SetupWizard::makeDryRunPage()
{
    auto* page = new Step([this] { return m_dryRunDone; });
    page->setTitle(tr("Dry run"));
    page->setSubTitle(tr("The mapping is saved as a paused draft and previewed: what a sync "
                         "would add and remove. Nothing is sent to Mixpanel, and Cancel "
                         "removes the draft."));
    m_dryRunResult = note(page, QString(), "wizardDryRunResult");
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_dryRunResult);
    layout->addStretch();
    return page;
}

QWizardPage* SetupWizard::makeSyncPage()
{
    auto* page = new Step([this] { return m_syncDone; });
    page->setTitle(tr("Sync"));
    page->setSubTitle(tr("Send the membership to Mixpanel, then create the cohort there."));
    m_syncButton = new QPushButton(tr("Sync now"), page);
    m_syncButton->setObjectName(QStringLiteral("wizardSync"));
    m_syncResult = note(page, QString(), "wizardSyncResult");
    auto* definition = note(page, QString(), "wizardDefinition");
    definition->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_syncButton, &QPushButton::clicked, this, [this] {
        m_syncButton->setEnabled(false);
        m_syncResult->setText(tr("Syncing…"));
        auto failed = [this](const SyncError& e) {
            m_syncResult->setText(QStringLiteral("✘ ") + e.message.toHtmlEscaped());
            m_syncButton->setEnabled(true);
        };
        // The draft goes live here, the operator's deliberate step.
        m_controller->mappings()
            ->setPaused({m_mappingId}, false)
            .then(this,
                  [this, failed](const QList<qint64>&) {
                      m_controller->syncMappings({m_mappingId}, RunKind::Incremental)
                          .then(this, &SetupWizard::onRunsFinished)
                          .onFailed(this, failed);
                  })
            .onFailed(this, failed);
    });
    connect(this, &QWizard::currentIdChanged, definition, [this, definition](int id) {
        if (id == SyncPage)
            definition->setText(tr("<b>Mixpanel cohort to create:</b> %1")
                                    .arg(mapping().cohortDefinition().toHtmlEscaped()));
    });
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_syncButton, 0, Qt::AlignLeft);
    layout->addWidget(m_syncResult);
    layout->addWidget(definition);
    layout->addStretch();
    return page;
}

void SetupWizard::initializePage(int id)
{
    QWizard::initializePage(id);
    if (id == SegmentPage) {
        m_segments->setRowCount(0);
        for (const SegmentChoice& s : m_segmentChoices) {
            const int row = m_segments->rowCount();
            m_segments->insertRow(row);
            auto* name = new QTableWidgetItem(s.info.name);
            name->setData(Qt::UserRole, s.info.id);
            m_segments->setItem(row, 0, name);
            m_segments->setItem(row, 1, new QTableWidgetItem(QString::number(s.info.id)));
            m_segments->setItem(
                row, 2,
                new QTableWidgetItem(s.count >= 0 ? format::count(s.count) : QStringLiteral("?")));
            m_segments->setItem(
                row, 3,
                new QTableWidgetItem(s.info.isReady()
                                         ? tr("ready")
                                         : tr("building %1%").arg(s.info.progress.value_or(0))));
            if (!s.info.isReady())
                for (int c = 0; c < 4; ++c)
                    m_segments->item(row, c)->setFlags(Qt::ItemIsEnabled);
        }
        m_segments->resizeColumnsToContents();
    } else if (id == NamePage) {
        if (m_cohort->text().isEmpty())
            if (const SegmentChoice* s = selectedSegment())
                m_cohort->setText(QStringLiteral("CIO | %1 | 30d").arg(s->info.name));
        m_naming->check(m_cohort->text());
    } else if (id == IdentityPage) {
        m_advice->setBusy(tr("Looking a sample of the segment's people up in Mixpanel under "
                             "each identifier…"));
        if (selectedSegment()) {
            // The newest request's answer only: Back and Next again ask for another segment.
            auto advice = m_controller->trust()->adviseIdentity(mapping());
            m_adviceRequest = advice.id();
            advice.onProgress(this, [this, id = advice.id()](const QString& step) {
                if (id == m_adviceRequest)
                    m_advice->setBusy(step);
            });
            advice.then(this, [this, id = advice.id()](const IdentityAdvice& a) {
                if (id != m_adviceRequest)
                    return;
                m_advice->setAdvice(a);
                // Pick the recommended key for the operator; they can still change it.
                if (a.recommended)
                    m_identity->setCurrentIndex(m_identity->findData(int(*a.recommended)));
            });
            advice.onFailed(this, [this, id = advice.id()](const SyncError& e) {
                if (id != m_adviceRequest)
                    return;
                m_advice->setError(
                    tr("The advisor could not look the segment's people up in Mixpanel: %1 "
                       "Choose the identifier your Mixpanel profiles are keyed by.")
                        .arg(e.message));
            });
        }
    } else if (id == DryRunPage && m_mappingId == 0 && m_saving == 0) {
        saveMapping();
    }
}

void SetupWizard::onRunsFinished(const QList<RunRecord>& runs)
{
    const RunRecord* r = nullptr;
    for (const RunRecord& run : runs)
        if (run.mappingId == m_mappingId)
            r = &run;
    if (!r)
        return;
    const bool ok = r->status == RunStatus::Succeeded;
    const QString figures =
        tr("%Ln member(s) read, %1 to add, %2 to remove, %3 without a usable key.", nullptr,
           int(r->segmentCount))
            .arg(format::count(r->entered), format::count(r->exited), format::count(r->mismatched));
    if (r->kind == RunKind::DryRun) {
        m_dryRunDone = ok;
        m_dryRunResult->setText(ok ? tr("✔ Dry run: %1").arg(figures)
                                   : QStringLiteral("✘ ") + r->message.toHtmlEscaped());
    } else {
        m_syncDone = ok;
        m_syncResult->setText(
            ok ? tr("✔ Synced: %Ln member(s) are in the cohort. Create the Mixpanel cohort "
                    "below if you have not yet.",
                    nullptr, int(r->syncedCount))
               : QStringLiteral("✘ ") + r->message.toHtmlEscaped());
        m_syncButton->setEnabled(!ok);
    }
    refreshCompleteness();
}

void SetupWizard::saveMapping()
{
    m_dryRunDone = false;
    m_dryRunResult->setText(tr("Saving the mapping as a paused draft…"));
    // Paused, so no schedule or "Resync all" syncs it before the operator's Sync now.
    Mapping draft = mapping();
    draft.paused = true;
    // The answer is taken on the controller, not the wizard: a wizard cancelled (and
    // deleted) while the save was in flight still removes its draft.
    QPointer<SetupWizard> self(this);
    SyncController* controller = m_controller;
    m_saving = m_controller->mappings()
                   ->add(draft)
                   .then(controller,
                         [self, controller](qint64 id) {
                             if (!self || self->m_cancelled) {
                                 controller->mappings()->remove({id});
                                 return;
                             }
                             self->m_saving = 0;
                             self->m_mappingId = id;
                             self->m_dryRunResult->setText(
                                 tr("Previewing the sync (dry run: nothing is sent)…"));
                             controller->syncMappings({id}, RunKind::DryRun)
                                 .then(self.data(), &SetupWizard::onRunsFinished)
                                 .onFailed(self.data(), [self](const SyncError& e) {
                                     self->m_dryRunResult->setText(QStringLiteral("✘ ") +
                                                                   e.message.toHtmlEscaped());
                                 });
                         })
                   .onFailed(this,
                             [this](const SyncError& e) {
                                 // Back and Next again saves again.
                                 m_saving = 0;
                                 m_dryRunResult->setText(
                                     QStringLiteral("✘ ") +
                                     tr("The mapping could not be saved: %1")
                                         .arg(e.message.isEmpty() ? e.toString() : e.message)
                                         .toHtmlEscaped());
                             })
                   .id();
}

void SetupWizard::done(int result)
{
    // Cancelled before Sync now: the draft saved for the dry run goes away again, so a
    // cancelled wizard leaves no mapping behind.
    if (result == QDialog::Rejected && !m_syncDone) {
        m_cancelled = true;
        if (m_mappingId != 0)
            m_controller->mappings()->remove({m_mappingId});
        m_mappingId = 0;
    }
    QWizard::done(result);
}

bool SetupWizard::validateCurrentPage()
{
    if (currentId() == ConnectPage) {
        // Connected: the workspace keeps the addresses; the secrets go to the engine.
        const WorkspaceSettings base = m_settings;
        m_settings.connection = m_connection->connection();
        m_controller->setup()->saveSettings(m_settings, base);
        m_controller->setCredentials(m_connection->credentials());
        Q_EMIT connected(m_settings, m_connection->credentials());
    }
    return QWizard::validateCurrentPage();
}

const SegmentChoice* SetupWizard::selectedSegment() const
{
    const QList<QTableWidgetItem*> items = m_segments->selectedItems();
    if (items.isEmpty())
        return nullptr;
    const qint64 id = m_segments->item(items.first()->row(), 0)->data(Qt::UserRole).toLongLong();
    for (const SegmentChoice& s : m_segmentChoices)
        if (s.info.id == id)
            return &s;
    return nullptr;
}

Mapping SetupWizard::mapping() const
{
    Mapping m;
    m.id = m_mappingId;
    if (const SegmentChoice* s = selectedSegment()) {
        m.segmentId = s->info.id;
        m.segmentName = s->info.name;
    }
    m.cohortName = m_cohort->text().trimmed();
    m.identity = IdentityKey(m_identity->currentData().toInt());
    m.owner = m_owner->text().trimmed();
    m.decision = m_decision->text().trimmed();
    m.scheduleMinutes = m_settings.defaultScheduleMinutes;
    return m;
}

Credentials SetupWizard::credentials() const
{
    return m_connection->credentials();
}

void SetupWizard::refreshCompleteness()
{
    for (int id : pageIds())
        if (auto* step = dynamic_cast<Step*>(page(id)))
            step->changed();
}

} // namespace lockstep
