// The console is safe and clear, against the real sandbox (the demo scenario), the real
// engine and the real window: nothing writes to Mixpanel without a deliberate step, the
// Add form checks its segment, a running sync is on the Runs page while it runs, a
// cancelled one says what never started, and the Audit page speaks plain words.
#include "guitestutil.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "auditfindingsmodel.h"
#include "auditpage.h"
#include "config/mappingthresholds.h"
#include "emptystate.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingeditor.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "modelroles.h"
#include "runsmodel.h"
#include "runspage.h"
#include "settingsdialog.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "themes.h"

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using lockstep::test::child;

namespace {
constexpr int kSyncTimeoutMs = 60'000;

// One mapping reads at a time and each waits before merging, so a sync of the four lasts
// long enough to be watched and cancelled midway.
EngineContext::Setup slowSetup()
{
    EngineContext::Setup s = EngineContext::Setup::fromEnvironment();
    s.options.parallelMappings = 1;
    s.options.runsInFlight = 1;
    s.options.testMergeDelayMs = 700;
    return s;
}

template <typename T> T* visibleChild(QObject* root, const char* name)
{
    for (T* w : root->findChildren<T*>(QLatin1String(name)))
        if (w->isVisible())
            return w;
    return nullptr;
}

int rowOfCohort(QAbstractItemModel* m, const QString& cohort)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, MappingsModel::Cohort).data().toString() == cohort)
            return r;
    return -1;
}
} // namespace

class TestSafety : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void doubleClickOpensTheMapping();
    void fullResyncWithoutSelectionAsks();
    void dryRunKeepsLastSync();
    void addRefusesAMissingSegmentAndWarnsWhenMapped();
    void runningSyncIsListedAndCancelSaysWhatNeverStarted();
    void batchPaneTellsNothingSentFromDelivered();
    void runsFilterByMappingAndStatus();
    void auditSpeaksPlainWords();
    void settingsSayWhatTheyDo();
    void ownThresholdsInTheEditor();
    void auditAppliesSuggestions();

private:
    void syncAndWait(const QList<qint64>& ids, RunKind kind = RunKind::Incremental);
    // The Mappings model's verdicts as the workspace has them now.
    void reloadVerdicts();
    QTableView* mappingsView() { return child<QTableView>(m_window.get(), "mappingsView"); }

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    EngineContext m_context{slowSetup()}; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QList<qint64> m_ids;
    int m_started = 0;
    int m_syncs = 0;
    int m_evaluations = 0;
};

void TestSafety::initTestCase()
{
    QVERIFY(installTranslations());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_safety"));
    QSettings().clear();
    m_sandbox = std::make_unique<test::SandboxProcess>(QStringLiteral("demo.json"));
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_dir = std::make_unique<QTemporaryDir>();
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    const ConnectionSettings connection = test::connectionTo(*m_sandbox);
    m_ids = test::seedWorkspace(
        path,
        {test::mapping(101, QStringLiteral("CIO | Winback | 45-60d")),
         test::mapping(102, QStringLiteral("CIO | VIP | 30d"), {}, IdentityKey::Id),
         test::mapping(103, QStringLiteral("CIO | Cart abandoners | 0-24h")),
         // Its name says nothing of a window: the audit has something to say.
         test::mapping(104, QStringLiteral("winback 60-90 days"))},
        &connection);
    QCOMPARE(m_ids.size(), 4);
    const Credentials creds{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                            m_sandbox->serviceAccount()};
    m_controller = std::make_unique<SyncController>(m_context, path, creds);
    connect(m_controller.get(), &SyncController::syncStarted, this, [this] { ++m_started; });
    connect(m_controller.get(), &SyncController::syncFinished, this, [this] { ++m_syncs; });
    connect(m_controller->health(), &HealthRequests::healthEvaluated, this,
            [this] { ++m_evaluations; });
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setSessionCredentials(creds);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 4);
    syncAndWait({});
}

void TestSafety::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset();
    m_sandbox.reset();
    m_dir.reset();
}

void TestSafety::reloadVerdicts()
{
    QSignalSpy loaded(m_controller->health(), &HealthRequests::mappingHealthLoaded);
    m_controller->health()->loadMappingHealth();
    QTRY_VERIFY(loaded.size() > 0);
}

void TestSafety::syncAndWait(const QList<qint64>& ids, RunKind kind)
{
    const int syncs = m_syncs;
    const int evaluations = m_evaluations;
    if (ids.isEmpty())
        m_controller->syncAll(kind);
    else
        m_controller->syncMappings(ids, kind);
    QTRY_VERIFY_WITH_TIMEOUT(m_syncs > syncs, kSyncTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_evaluations > evaluations, 20'000);
}

void TestSafety::doubleClickOpensTheMapping()
{
    m_window->showPage(QStringLiteral("mappings"));
    QTableView* view = mappingsView();
    const int row = rowOfCohort(view->model(), QStringLiteral("CIO | VIP | 30d"));
    QVERIFY(row >= 0);
    const QPoint at = view->visualRect(view->model()->index(row, 1)).center();
    const int started = m_started;
    // A real double-click: press and release, then the double-click.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    MappingEditor* editor = nullptr;
    QTRY_VERIFY((editor = visibleChild<MappingEditor>(m_window.get(), "mappingEditor")));
    QCOMPARE(editor->mapping().id, m_ids[1]);
    QCOMPARE(child<QLineEdit>(editor, "mappingEditorCohort")->text(),
             QStringLiteral("CIO | VIP | 30d"));
    QTest::qWait(300); // a queued sync request would have been announced by now
    QCOMPARE(m_started, started);
    QVERIFY(!m_controller->isBusy());
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorCancel"), Qt::LeftButton);
    QTRY_VERIFY(!visibleChild<MappingEditor>(m_window.get(), "mappingEditor"));
}

void TestSafety::fullResyncWithoutSelectionAsks()
{
    m_window->showPage(QStringLiteral("mappings"));
    mappingsView()->clearSelection();
    QVERIFY(m_window->mappingsPage()->selectedMappingIds().isEmpty());
    auto* full = m_window->findChild<QAction*>(QStringLiteral("actionFullResync"));
    QVERIFY(full);
    QTRY_VERIFY(full->isEnabled());
    const int started = m_started;
    full->trigger();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = visibleChild<QMessageBox>(m_window.get(), "confirmFullResync")));
    QVERIFY2(box->text().contains(QStringLiteral("all 4 active mappings")),
             qPrintable(box->text()));
    // Names the mappings and the people at their last sync.
    QVERIFY2(box->informativeText().contains(QStringLiteral("CIO | VIP | 30d")),
             qPrintable(box->informativeText()));
    QVERIFY2(box->informativeText().contains(QStringLiteral("people")),
             qPrintable(box->informativeText()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!visibleChild<QMessageBox>(m_window.get(), "confirmFullResync"));
    QTest::qWait(300);
    QCOMPARE(m_started, started); // cancelled: nothing started

    // Confirmed, it resyncs every mapping in full.
    full->trigger();
    QTRY_VERIFY((box = visibleChild<QMessageBox>(m_window.get(), "confirmFullResync")));
    const int syncs = m_syncs;
    QTest::mouseClick(child<QPushButton>(box, "confirmFullResyncYes"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_syncs > syncs, kSyncTimeoutMs);
    QCOMPARE(m_started, started + 1);
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isBusy(), kSyncTimeoutMs);
}

void TestSafety::dryRunKeepsLastSync()
{
    MappingsModel* m = m_window->mappingsModel();
    const qint64 id = m_ids[0];
    reloadVerdicts(); // as of every sync so far
    QTRY_VERIFY(m->verdict(id) && m->verdict(id)->lastSyncMs > 0);
    const qint64 lastSyncMs = m->verdict(id)->lastSyncMs;
    const QString shown = m->index(m->rowOf(id), MappingsModel::LastSync).data().toString();
    QVERIFY(!shown.isEmpty());
    m_sandbox->tick(1);
    QTest::qWait(1100); // a later run ends at a later time, to the second shown
    syncAndWait({id}, RunKind::DryRun);
    QTRY_COMPARE(m->index(m->rowOf(id), 0).data(StatusNameRole).toString(),
                 QStringLiteral("succeeded"));
    reloadVerdicts();
    QVERIFY(m->verdict(id) && !m->verdict(id)->laterRunStatus);
    QCOMPARE(m->verdict(id)->lastSyncMs, lastSyncMs);
    QCOMPARE(m->index(m->rowOf(id), MappingsModel::LastSync).data().toString(), shown);
}

void TestSafety::addRefusesAMissingSegmentAndWarnsWhenMapped()
{
    m_window->showPage(QStringLiteral("mappings"));
    MappingEditor* editor = m_window->mappingsPage()->addMapping();
    QVERIFY(editor);
    QTRY_VERIFY(editor->isVisible());
    // The picker lists Customer.io's segments with their size and state.
    auto* picker = child<QComboBox>(editor, "mappingEditorSegmentPicker");
    QTRY_VERIFY_WITH_TIMEOUT(editor->segmentsLoaded(), 20'000);
    QCOMPARE(picker->count(), 7); // "Pick a segment…" and the demo's six
    const int building = picker->findData(qint64(105));
    QVERIFY(building > 0);
    QVERIFY2(picker->itemText(building).contains(QStringLiteral("building")),
             qPrintable(picker->itemText(building)));
    const QString vip = picker->itemText(picker->findData(qint64(102)));
    QVERIFY2(vip.startsWith(QStringLiteral("VIP 30d (102) · ")) &&
                 vip.endsWith(QStringLiteral(" people")),
             qPrintable(vip));

    // A segment Customer.io does not have is refused with a clear message.
    child<QSpinBox>(editor, "mappingEditorSegmentId")->setValue(999);
    auto* note = child<QLabel>(editor, "mappingEditorSegmentNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("no segment 999")), qPrintable(note->text()));
    auto* cohort = child<QLineEdit>(editor, "mappingEditorCohort");
    QTest::keyClicks(cohort, QStringLiteral("winback 60-90 days"));
    // The naming check says what is wrong, and the suggestion is one click away.
    auto* useSuggestion = child<QPushButton>(editor, "mappingEditorUseSuggestion");
    QVERIFY(useSuggestion->isEnabled());
    QTest::mouseClick(useSuggestion, Qt::LeftButton);
    QCOMPARE(cohort->text(), QStringLiteral("CIO | Winback | 60-90d"));
    QVERIFY(!useSuggestion->isEnabled());
    const int before = m_window->mappingsModel()->rowCount();
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorSave"), Qt::LeftButton);
    auto* error = child<QLabel>(editor, "mappingEditorError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("Customer.io has no segment 999")),
             qPrintable(error->text()));
    QVERIFY(editor->isVisible());

    // Picking a segment another mapping uses warns, and is allowed.
    picker->setCurrentIndex(picker->findData(qint64(101)));
    Q_EMIT picker->activated(picker->currentIndex());
    QCOMPARE(child<QSpinBox>(editor, "mappingEditorSegmentId")->value(), 101);
    QCOMPARE(child<QLineEdit>(editor, "mappingEditorSegmentName")->text(),
             QStringLiteral("Winback 45-60d"));
    QVERIFY2(note->text().contains(QStringLiteral("already mapped to “CIO | Winback | 45-60d”")),
             qPrintable(note->text()));
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorSave"), Qt::LeftButton);
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), before + 1);
    QVERIFY(rowOfCohort(m_window->mappingsModel(), QStringLiteral("CIO | Winback | 60-90d")) >= 0);
}

void TestSafety::runningSyncIsListedAndCancelSaysWhatNeverStarted()
{
    m_window->showPage(QStringLiteral("runs"));
    RunsModel* runs = m_window->runsModel();
    auto running = [runs] {
        for (const RunRecord& r : runs->runs())
            if (r.status == RunStatus::Running)
                return r;
        return RunRecord{};
    };
    const int syncs = m_syncs;
    QList<RunRecord> finished;
    connect(m_controller.get(), &SyncController::syncFinished, this,
            [&finished](const QList<RunRecord>& r) { finished = r; });
    const int mappings = m_window->mappingsModel()->rowCount();
    m_controller->syncAll();
    // Listed while it runs, with what it is doing.
    QTRY_VERIFY_WITH_TIMEOUT(running().message.startsWith(QStringLiteral("In progress")), 20'000);
    QCOMPARE(m_syncs, syncs);
    const RunRecord live = running();
    const int row = runs->rowOf(live.id);
    QCOMPARE(runs->index(row, RunsModel::Status).data(StatusNameRole).toString(),
             QStringLiteral("running"));

    // Cancelled before the last mappings' turn: they are reported, not forgotten.
    m_window->findChild<QAction*>(QStringLiteral("actionCancel"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_syncs > syncs, kSyncTimeoutMs);
    QCOMPARE(finished.size(), mappings);
    int notStarted = 0;
    QStringList neverStarted;
    for (const RunRecord& r : finished)
        if (r.id == 0) {
            ++notStarted;
            QCOMPARE(r.status, RunStatus::Cancelled);
            QVERIFY(r.message.startsWith(QStringLiteral("not started")));
            neverStarted << m_window->mappingsModel()->find(r.mappingId)->mapping.cohortName;
        }
    QVERIFY2(notStarted >= 1, qPrintable(QString::number(notStarted)));
    const QString summary = m_window->statusBar()->currentMessage();
    QVERIFY2(summary.startsWith(QStringLiteral("Sync cancelled:")), qPrintable(summary));
    // Counted and named: the first of those that never started, by cohort.
    QVERIFY2(summary.contains(QStringLiteral("%1 never started (%2")
                                  .arg(QString::number(notStarted), neverStarted.first())),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("of %1 mappings synced").arg(mappings)),
             qPrintable(summary));
    // Once over, no row stays "running".
    QTRY_VERIFY_WITH_TIMEOUT(running().id == 0, 20'000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isBusy(), kSyncTimeoutMs);
}

void TestSafety::batchPaneTellsNothingSentFromDelivered()
{
    // Each kind of run the workspace has: a dry run, a delivered sync.
    m_window->showPage(QStringLiteral("runs"));
    RunsModel* runs = m_window->runsModel();
    auto* view = child<QTableView>(m_window.get(), "runsView");
    auto* text = child<EmptyState>(m_window.get(), "batchErrorsEmpty");
    QVERIFY(text);
    auto select = [&](auto pick) -> QString {
        for (int r = 0; r < view->model()->rowCount(); ++r) {
            const qint64 id = view->model()->index(r, 0).data(RunIdRole).toLongLong();
            if (!pick(runs->runs()[runs->rowOf(id)]))
                continue;
            view->selectRow(r);
            const QString mark = QStringLiteral(" run %1 ").arg(id);
            // The pane says its words once the run's (empty) batch errors are loaded.
            if (!QTest::qWaitFor([&]() -> bool {
                    const QString shown = QLatin1Char(' ') + text->text() + QLatin1Char(' ');
                    return shown.contains(mark, Qt::CaseInsensitive);
                }))
                return QString();
            return text->text();
        }
        return QString();
    };
    const QString dry = select([](const RunRecord& r) { return r.kind == RunKind::DryRun; });
    QVERIFY2(dry.contains(QStringLiteral("dry run: nothing was sent")), qPrintable(dry));
    const QString sent = select([](const RunRecord& r) {
        return r.kind != RunKind::DryRun && r.status == RunStatus::Succeeded &&
               r.entered + r.exited > 0;
    });
    QVERIFY2(sent.startsWith(QStringLiteral("Every batch of run")), qPrintable(sent));
}

void TestSafety::runsFilterByMappingAndStatus()
{
    m_window->showPage(QStringLiteral("runs"));
    auto* view = child<QTableView>(m_window.get(), "runsView");
    auto* mapping = child<QComboBox>(m_window.get(), "runsMappingFilter");
    auto* status = child<QComboBox>(m_window.get(), "runsStatusFilter");
    QTRY_VERIFY(mapping->findData(m_ids[1]) > 0);
    const int all = view->model()->rowCount();
    mapping->setCurrentIndex(mapping->findData(m_ids[1]));
    QVERIFY(view->model()->rowCount() > 0);
    QVERIFY(view->model()->rowCount() < all);
    for (int r = 0; r < view->model()->rowCount(); ++r)
        QCOMPARE(view->model()->index(r, 0).data(MappingIdRole).toLongLong(), m_ids[1]);
    status->setCurrentIndex(status->findData(QStringLiteral("succeeded")));
    for (int r = 0; r < view->model()->rowCount(); ++r)
        QCOMPARE(view->model()->index(r, 0).data(StatusNameRole).toString(),
                 QStringLiteral("succeeded"));
    status->setCurrentIndex(status->findData(QStringLiteral("interrupted")));
    QCOMPARE(view->model()->rowCount(), 0);
    mapping->setCurrentIndex(0);
    status->setCurrentIndex(0);
    QCOMPARE(view->model()->rowCount(), all);
}

void TestSafety::auditSpeaksPlainWords()
{
    m_window->showPage(QStringLiteral("audit"));
    auto* model =
        m_window->auditPage()->findChild<AuditFindingsModel*>(QStringLiteral("auditModel"));
    QVERIFY(model);
    int partCount = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < model->rowCount(); ++r)
                if (model->index(r, 0).data(CodeRole).toString() == QLatin1String("part_count"))
                    return (partCount = r) >= 0;
            return false;
        }(),
        20'000);
    const QString finding = model->index(partCount, AuditFindingsModel::Code).data().toString();
    QCOMPARE(finding, QStringLiteral("Wrong number of parts"));
    const QString message = model->index(partCount, AuditFindingsModel::Message).data().toString();
    QVERIFY2(!message.contains(QStringLiteral("2 parts")), qPrintable(message));
    QCOMPARE(model->index(partCount, AuditFindingsModel::Suggested).data().toString(),
             QStringLiteral("CIO | Winback | 60-90d"));
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString code = model->index(r, 0).data(CodeRole).toString();
        QVERIFY2(model->index(r, AuditFindingsModel::Code).data().toString() != code,
                 qPrintable(code));
    }
}

void TestSafety::settingsSayWhatTheyDo()
{
    SettingsDialog* dialog = m_window->openSettings();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    // Where the secrets really go.
    const QString secrets = child<QLabel>(dialog, "settingsSecretsNote")->text();
    QVERIFY2(secrets.contains(QStringLiteral("system keychain")), qPrintable(secrets));
    QVERIFY2(!secrets.contains(QStringLiteral("never written")), qPrintable(secrets));

    // A new naming pattern says, before it is saved, which cohorts would fail it.
    auto* pattern = child<QLineEdit>(dialog, "settingsPattern");
    auto* preview = child<QLabel>(dialog, "settingsPatternPreview");
    const int cohorts = m_window->mappingsModel()->rowCount();
    QVERIFY2(preview->text().startsWith(QStringLiteral("1 of %1 cohorts").arg(cohorts)),
             qPrintable(preview->text()));
    QVERIFY2(preview->text().contains(QStringLiteral("winback 60-90 days")),
             qPrintable(preview->text()));
    pattern->setText(QStringLiteral("CIO | {intent}"));
    QVERIFY2(preview->text().startsWith(QStringLiteral("%1 of %1 cohorts").arg(cohorts)),
             qPrintable(preview->text()));
    QVERIFY2(preview->text().contains(QStringLiteral("CIO | VIP | 30d")),
             qPrintable(preview->text()));
    pattern->setText(QStringLiteral("CIO | {intent} | {window} [| v{version}]"));

    // The theme, also here.
    auto* theme = child<QComboBox>(dialog, "settingsTheme");
    theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
    QTest::mouseClick(child<QPushButton>(dialog, "settingsSave"), Qt::LeftButton);
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
    QVERIFY(m_window->findChild<QAction*>(QStringLiteral("actionThemeDark"))->isChecked());
    m_window->setTheme(Theme::System);
}

// The cart cohort churns by design: its editor sets its own churn ratio, kept in the
// workspace for that mapping only and shown again when the editor reopens.
void TestSafety::ownThresholdsInTheEditor()
{
    const qint64 cart = m_ids[2];
    m_window->mappingsPage()->selectMapping(cart);
    QTRY_COMPARE(m_window->mappingsPage()->selectedMappingIds(), QList<qint64>{cart});
    MappingEditor* editor = m_window->mappingsPage()->editSelected();
    QVERIFY(editor);
    auto* own = child<QGroupBox>(editor, "mappingEditorOwnThresholds");
    auto* churn = child<QLineEdit>(editor, "mappingEditorThreshold_churn_ratio");
    QVERIFY(!own->isChecked());
    QCOMPARE(churn->placeholderText(), QStringLiteral("workspace: 0.5"));
    own->setChecked(true);
    churn->setText(QStringLiteral("-1"));
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorSave"), Qt::LeftButton);
    auto* error = child<QLabel>(editor, "mappingEditorError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().startsWith(QStringLiteral("churn_ratio: ")), qPrintable(error->text()));
    QVERIFY(editor->isVisible());
    churn->setText(QStringLiteral("5"));
    QPointer<MappingEditor> first(editor);
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorSave"), Qt::LeftButton);
    QTRY_VERIFY(!first || !first->isVisible());

    auto stored = [this, cart] {
        auto ws = Workspace::open(m_dir->filePath(QStringLiteral("workspace.sqlite")));
        return ws ? MappingThresholdsRepository(**ws).get(cart).value() : ThresholdOverrides{};
    };
    QTRY_COMPARE(stored(),
                 (ThresholdOverrides{{QStringLiteral("churn_ratio"), QStringLiteral("5")}}));
    {
        auto ws = Workspace::open(m_dir->filePath(QStringLiteral("workspace.sqlite")));
        QVERIFY(ws);
        QVERIFY(MappingThresholdsRepository(**ws).get(m_ids[0])->isEmpty());
    }
    editor = m_window->mappingsPage()->editSelected();
    QVERIFY(editor);
    churn = child<QLineEdit>(editor, "mappingEditorThreshold_churn_ratio");
    QTRY_COMPARE(churn->text(), QStringLiteral("5"));
    QVERIFY(child<QGroupBox>(editor, "mappingEditorOwnThresholds")->isChecked());
    QPointer<MappingEditor> second(editor);
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorCancel"), Qt::LeftButton);
    QTRY_VERIFY(!second || !second->isVisible());
}

// "Apply suggestion" on the Audit page: enabled for findings with a suggested name, one
// confirmation naming every rename, Cancel changes nothing; confirmed, the mappings are
// renamed in the workspace and the audit, run again, no longer finds them.
void TestSafety::auditAppliesSuggestions()
{
    // A second name without separators, so two findings carry a suggestion.
    const int before = m_window->mappingsModel()->rowCount();
    bool added = false;
    qint64 spring = 0;
    m_controller->mappings()
        ->add(test::mapping(105, QStringLiteral("spring launch 14 days")))
        .then(this, [&](qint64 id) {
            spring = id;
            added = true;
        });
    QTRY_VERIFY(added);
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), before + 1);
    const qint64 winback = m_ids[3];

    m_window->showPage(QStringLiteral("audit"));
    AuditPage* page = m_window->auditPage();
    QTableView* view = page->view();
    auto* apply = child<QPushButton>(page, "auditApplySuggestion");
    QVERIFY(apply);
    // The first finding of a mapping that suggests a name, and one without a suggestion.
    auto rowWith = [view](qint64 mappingId, bool suggested) {
        QAbstractItemModel* m = view->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            const QModelIndex i = m->index(r, AuditFindingsModel::Suggested);
            if (i.data(MappingIdRole).toLongLong() == mappingId &&
                (i.data().toString() != QStringLiteral("—")) == suggested)
                return r;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowWith(spring, true) >= 0, 20'000);
    QTRY_VERIFY(rowWith(winback, true) >= 0);
    const QString winbackName = view->model()
                                    ->index(rowWith(winback, true), AuditFindingsModel::Suggested)
                                    .data()
                                    .toString();
    const QString springName = view->model()
                                   ->index(rowWith(spring, true), AuditFindingsModel::Suggested)
                                   .data()
                                   .toString();
    QCOMPARE(winbackName, QStringLiteral("CIO | Winback | 60-90d"));
    QVERIFY2(springName.startsWith(QStringLiteral("CIO | ")), qPrintable(springName));

    auto select = [view](const QList<int>& rows) {
        view->clearSelection();
        for (int r : rows)
            view->selectionModel()->select(view->model()->index(r, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    };
    // Nothing selected, or only a finding without a suggestion: nothing to apply.
    view->clearSelection();
    QVERIFY(!apply->isEnabled());
    const int noSuggestion =
        rowWith(m_ids[0], false) >= 0 ? rowWith(m_ids[0], false) : rowWith(winback, false);
    if (noSuggestion >= 0) {
        select({noSuggestion});
        QVERIFY(!apply->isEnabled());
    }
    select({rowWith(winback, true), rowWith(spring, true)});
    QVERIFY(apply->isEnabled());
    // The context menu offers the same.
    const QPoint at = view->visualRect(view->model()->index(rowWith(spring, true), 1)).center();
    Q_EMIT view->customContextMenuRequested(at);
    auto* menuAction = page->findChild<QAction*>(QStringLiteral("contextApplySuggestion"));
    QVERIFY(menuAction);
    QVERIFY(menuAction->isEnabled());
    if (auto* menu = qobject_cast<QMenu*>(menuAction->parent()))
        menu->close();

    auto stored = [this](qint64 id) {
        auto ws = Workspace::open(m_dir->filePath(QStringLiteral("workspace.sqlite")));
        return ws ? MappingRepository(**ws).get(id).value().cohortName : QString();
    };
    // Cancel: nothing renamed.
    QTest::mouseClick(apply, Qt::LeftButton);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = visibleChild<QMessageBox>(page, "auditApplyConfirm")));
    QVERIFY2(box->text().startsWith(QStringLiteral("Rename 2 cohorts")), qPrintable(box->text()));
    QVERIFY2(
        box->text().contains(QStringLiteral("“winback 60-90 days” → “CIO | Winback | 60-90d”")),
        qPrintable(box->text()));
    QVERIFY2(box->text().contains(QStringLiteral("“spring launch 14 days” → “%1”").arg(springName)),
             qPrintable(box->text()));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!visibleChild<QMessageBox>(page, "auditApplyConfirm"));
    QTest::qWait(200);
    QCOMPARE(stored(winback), QStringLiteral("winback 60-90 days"));
    QCOMPARE(stored(spring), QStringLiteral("spring launch 14 days"));

    // Confirmed: both renamed in the workspace, and the audit no longer finds them.
    select({rowWith(winback, true), rowWith(spring, true)});
    menuAction->trigger();
    QTRY_VERIFY((box = visibleChild<QMessageBox>(page, "auditApplyConfirm")));
    QTest::mouseClick(child<QPushButton>(box, "auditApplyConfirmRename"), Qt::LeftButton);
    QTRY_COMPARE(stored(winback), winbackName);
    QTRY_COMPARE(stored(spring), springName);
    auto* status = child<QLabel>(page, "auditStatus");
    QTRY_VERIFY2(status->text().startsWith(QStringLiteral("Renamed 2 cohorts")),
                 qPrintable(status->text()));
    QTRY_VERIFY(rowWith(winback, true) < 0 && rowWith(spring, true) < 0);
    for (int r = 0; r < page->model()->rowCount(); ++r) {
        const QString cohort =
            page->model()->index(r, AuditFindingsModel::Cohort).data().toString();
        QVERIFY2(cohort != QStringLiteral("winback 60-90 days") &&
                     cohort != QStringLiteral("spring launch 14 days"),
                 qPrintable(cohort));
    }
    // The Mappings page shows the new names too.
    QTRY_VERIFY(rowOfCohort(m_window->mappingsModel(), winbackName) >= 0);
    QVERIFY(!apply->isEnabled());
}

QTEST_MAIN(TestSafety)
#include "tst_safety.moc"
