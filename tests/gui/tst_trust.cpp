// Issue 9's GUI test: the rehearsal and spot-check dialogs against the real sandbox, the
// real engine thread and the real main window. The operator's clicks are replayed; the
// outcome is checked in the dialogs and, through the sandbox, in "Mixpanel" itself.
#include "guitestutil.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "modelroles.h"
#include "openrehearsalsdialog.h"
#include "rehearsaldialog.h"
#include "spotcheckdialog.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/truststore.h"

#include <QAction>
#include <QDateTime>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include <memory>

using namespace lockstep;
using lockstep::test::child;

namespace {

constexpr int kCheckTimeoutMs = 60'000;
const QString kCohort = QStringLiteral("CIO | Winback | 45-60d");

// Named people with e-mails, each with a Mixpanel profile keyed by that e-mail; a
// four-person segment to sync and spot-check, a two-person internal test segment (one
// e-mail in mixed case) and one too big to rehearse on.
QJsonObject scenario()
{
    auto person = [](const char* id, const QJsonValue& email) {
        return QJsonObject{
            {QStringLiteral("id"), QLatin1String(id)},
            {QStringLiteral("email"), email},
            {QStringLiteral("cio_id"), QString(QStringLiteral("cio-") + QLatin1String(id))}};
    };
    auto segment = [](int id, const char* name, const QStringList& members) {
        return QJsonObject{{QStringLiteral("id"), id},
                           {QStringLiteral("name"), QLatin1String(name)},
                           {QStringLiteral("members"), QJsonArray::fromStringList(members)}};
    };
    return QJsonObject{
        {QStringLiteral("seed"), 11},
        {QStringLiteral("mixpanel"),
         QJsonObject{
             {QStringLiteral("existing_profile_share"), 1.0},
             {QStringLiteral("existing_profile_key"), QStringLiteral("email")},
             {QStringLiteral("cohorts"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                     {QStringLiteral("name"), kCohort},
                                     {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                     {QStringLiteral("value"), kCohort}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 300}}},
        {QStringLiteral("people"), QJsonArray{person("alice", QStringLiteral("alice@example.com")),
                                              person("bob", QStringLiteral("bob@example.com")),
                                              person("nomail", QJsonValue::Null),
                                              person("gone", QStringLiteral("gone@example.com")),
                                              person("t1", QStringLiteral("t1@corp.example")),
                                              person("t2", QStringLiteral("T2@Corp.example"))}},
        {QStringLiteral("segments"),
         QJsonArray{
             segment(1, "Winback",
                     {QStringLiteral("cio-alice"), QStringLiteral("cio-bob"),
                      QStringLiteral("cio-nomail"), QStringLiteral("cio-gone")}),
             segment(2, "Internal test", {QStringLiteral("cio-t1"), QStringLiteral("cio-t2")}),
             QJsonObject{{QStringLiteral("id"), 3},
                         {QStringLiteral("name"), QStringLiteral("Too big")},
                         {QStringLiteral("size"), 250}}}},
    };
}

// The number of queries the budget label says are left ("58 of 60 Mixpanel queries left …").
int queriesLeft(const QLabel* label)
{
    static const QRegularExpression re(QStringLiteral("(\\d+) of (\\d+) Mixpanel queries left"));
    const auto m = re.match(label->text());
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

QTreeWidgetItem* segmentItem(QTreeWidget* tree, const QString& name)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0).startsWith(name))
            return tree->topLevelItem(i);
    return nullptr;
}

// The row of a people table whose first cell starts with `who`; -1 when none.
int rowOf(QTableWidget* table, const QString& who)
{
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0) && table->item(row, 0)->text().startsWith(who))
            return row;
    return -1;
}

} // namespace

class TestTrust : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void rehearsalRunsAndCleansUp();
    void rehearsalWarnsAboutBigSegments();
    void spotCheckShowsReasonsAndSpendsBudget();
    void rehearsalClosedUncleanedAsksAndIsRemembered();
    void openRehearsalsAreListedAndCleanedAfterARestart();
    void spotCheckOfSomeoneInNeitherSystemIsNotFound();
    void contextMenuOffersTheChecks();
    void latencyExpectationIsSetFromTheConsole();

private:
    void openWindow();
    void selectMapping();
    bool engage(const QJsonArray& updates);

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_mappingId = 0;
    int m_syncs = 0;
    int m_evaluations = 0;
};

void TestTrust::initTestCase()
{
    QVERIFY(installTranslations()); // the English plurals, as app/main.cpp loads them
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_trust"));
    QSettings().clear();
}

void TestTrust::init()
{
    qunsetenv("LOCKSTEP_QUERY_PER_HOUR");
    m_sandbox = std::make_unique<test::SandboxProcess>(scenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    openWindow();
}

void TestTrust::cleanup()
{
    qunsetenv("LOCKSTEP_QUERY_PER_HOUR");
    m_window.reset();
    m_controller.reset(); // stops the worker thread before the sandbox goes away
    m_sandbox.reset();
    m_dir.reset();
}

void TestTrust::openWindow()
{
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    const ConnectionSettings connection = test::connectionTo(*m_sandbox);
    Mapping m = test::mapping(1, kCohort, QStringLiteral("Winback"), IdentityKey::Email);
    m.owner = QStringLiteral("Maya");
    m.decision = QStringLiteral("Winback offer");
    const QList<qint64> ids = test::seedWorkspace(path, {m}, &connection);
    QCOMPARE(ids.size(), 1);
    m_mappingId = ids.first();
    const Credentials creds{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                            m_sandbox->serviceAccount()};
    m_controller = std::make_unique<SyncController>(m_context, path, creds);
    m_syncs = m_evaluations = 0;
    connect(m_controller.get(), &SyncController::syncFinished, this, [this] { ++m_syncs; });
    connect(m_controller->health(), &HealthRequests::healthEvaluated, this,
            [this] { ++m_evaluations; });
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setSessionCredentials(creds);
    m_window->resize(1400, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 1);
}

void TestTrust::selectMapping()
{
    m_window->mappingsPage()->selectMapping(m_mappingId);
    QTRY_COMPARE(m_window->mappingsPage()->selectedMappingIds(), QList<qint64>{m_mappingId});
}

bool TestTrust::engage(const QJsonArray& updates)
{
    QUrl u = m_sandbox->mixpanel();
    u.setPath(QStringLiteral("/engage"));
    const auto r = test::SandboxProcess::request(
        "POST", u, QJsonDocument(updates).toJson(QJsonDocument::Compact),
        {{"Content-Type", "application/json"}});
    return r.status == 200;
}

void TestTrust::rehearsalRunsAndCleansUp()
{
    MappingsModel* model = m_window->mappingsModel();
    // The Rollout column is there before any check: not ready, rehearsal missing.
    QTRY_VERIFY(model->checklist(m_mappingId) != nullptr);
    const QModelIndex rollout = model->index(0, MappingsModel::Rollout);
    QTRY_COMPARE(rollout.data(CodeRole).toString(), QStringLiteral("not_ready"));
    QVERIFY2(rollout.data().toString().startsWith(QStringLiteral("Not ready (")),
             qPrintable(rollout.data().toString()));
    QVERIFY(rollout.data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Rehearsal on a test segment passed")));
    QVERIFY(!model->checklist(m_mappingId)
                 ->item(QString::fromLatin1(checklistitem::kRehearsalPassed))
                 ->done);

    selectMapping();
    auto* button = child<QToolButton>(m_window.get(), "mappingsRehearse");
    QVERIFY(button);
    QTRY_VERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    RehearsalDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<RehearsalDialog*>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());

    // The segments come from Customer.io with their sizes.
    auto* tree = child<QTreeWidget>(dialog, "rehearsalSegments");
    QTRY_COMPARE_WITH_TIMEOUT(dialog->segmentCount(), 3, kCheckTimeoutMs);
    QTreeWidgetItem* internal = segmentItem(tree, QStringLiteral("Internal test"));
    QVERIFY(internal);
    QCOMPARE(internal->text(1), QStringLiteral("2"));
    QVERIFY(segmentItem(tree, QStringLiteral("Winback"))
                ->text(0)
                .contains(QStringLiteral("this mapping's segment")));

    auto* run = child<QPushButton>(dialog, "rehearsalRun");
    QVERIFY(!run->isEnabled()); // nothing chosen yet
    tree->scrollToItem(internal);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {},
                      tree->visualItemRect(internal).center());
    QCOMPARE(dialog->selectedSegmentId(), 2);
    QVERIFY(
        child<QLabel>(dialog, "rehearsalSizeNote")->text().contains(QStringLiteral("2 people")));
    const QString shownValue = child<QLabel>(dialog, "rehearsalValue")->text();
    QVERIFY2(shownValue.contains(QStringLiteral("[rehearsal ")), qPrintable(shownValue));
    QVERIFY(shownValue.contains(QStringLiteral("cio_cohorts")));
    auto* budget = child<QLabel>(dialog, "rehearsalBudget");
    QTRY_VERIFY(queriesLeft(budget) > 0);
    const int before = queriesLeft(budget);

    QTRY_VERIFY(run->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
    auto* people = child<QTableWidget>(dialog, "rehearsalPeople");
    QTRY_VERIFY_WITH_TIMEOUT(dialog->result().has_value(), kCheckTimeoutMs);
    QVERIFY2(dialog->result()->passed(),
             qPrintable(QJsonDocument(dialog->result()->toJson()).toJson()));
    QCOMPARE(people->rowCount(), 2);
    QStringList keys;
    for (int row = 0; row < people->rowCount(); ++row) {
        keys << people->item(row, 1)->text();
        QCOMPARE(people->item(row, 2)->text(), QStringLiteral("Pass"));
    }
    keys.sort();
    // The mixed-case e-mail was normalised before writing, as a sync would.
    QCOMPARE(keys,
             (QStringList{QStringLiteral("t1@corp.example"), QStringLiteral("t2@corp.example")}));
    QVERIFY(child<QLabel>(dialog, "rehearsalStatus")
                ->text()
                .startsWith(QStringLiteral("Passed: 2 of 2")));
    const QString value = dialog->result()->value;
    QVERIFY(value.startsWith(kCohort + QStringLiteral(" [rehearsal ")));
    QVERIFY(child<QLabel>(dialog, "rehearsalValue")->text().contains(value.toHtmlEscaped()));
    // Ground truth in "Mixpanel": exactly the test people carry the temporary value, and
    // the real cohort value was not written.
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value),
             (QStringList{QStringLiteral("t1@corp.example"), QStringLiteral("t2@corp.example")}));
    QVERIFY(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), kCohort).isEmpty());
    // One read-back query spent.
    QTRY_COMPARE(queriesLeft(budget), before - 1);
    // The checklist turned green for the rehearsal, in the Mappings table.
    QTRY_VERIFY(model->checklist(m_mappingId)
                    ->item(QString::fromLatin1(checklistitem::kRehearsalPassed))
                    ->done);
    QTRY_VERIFY(!model->index(0, MappingsModel::Rollout)
                     .data(Qt::ToolTipRole)
                     .toString()
                     .contains(QStringLiteral("Rehearsal on a test segment passed")));

    // Clean up, on request.
    auto* cleanupButton = child<QPushButton>(dialog, "rehearsalCleanup");
    QVERIFY(cleanupButton->isEnabled());
    QTest::mouseClick(cleanupButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->cleanup().has_value(), kCheckTimeoutMs);
    QCOMPARE(dialog->cleanup()->removed, 2);
    QVERIFY(dialog->cleanup()->verified());
    QVERIFY(
        child<QLabel>(dialog, "rehearsalStatus")->text().contains(QStringLiteral("verified gone")));
    QVERIFY(!cleanupButton->isEnabled());
    // Gone, by the sandbox's own account.
    QVERIFY(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value).isEmpty());
    QTRY_COMPARE(queriesLeft(budget), before - 2);

    QTest::mouseClick(child<QPushButton>(dialog, "rehearsalClose"), Qt::LeftButton);
    QTRY_VERIFY(m_window->findChild<RehearsalDialog*>() == nullptr);
}

void TestTrust::rehearsalWarnsAboutBigSegments()
{
    selectMapping();
    RehearsalDialog* dialog = m_window->mappingsPage()->rehearseSelected();
    QVERIFY(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->segmentCount(), 3, kCheckTimeoutMs);
    QVERIFY(dialog->selectSegment(3));
    QVERIFY2(child<QLabel>(dialog, "rehearsalSizeNote")->text().contains(QStringLiteral("too big")),
             qPrintable(child<QLabel>(dialog, "rehearsalSizeNote")->text()));
    QVERIFY(!child<QPushButton>(dialog, "rehearsalRun")->isEnabled());
    // The mapping's own segment (4 people) is allowed, without a warning sign.
    QVERIFY(dialog->selectSegment(1));
    QTRY_VERIFY(child<QPushButton>(dialog, "rehearsalRun")->isEnabled());
    QVERIFY(!child<QLabel>(dialog, "rehearsalSizeNote")->text().contains(QStringLiteral("⚠")));
    dialog->close();
}

void TestTrust::spotCheckShowsReasonsAndSpendsBudget()
{
    // A real sync first, then "gone" is deleted in Mixpanel behind Lockstep's back.
    const int evaluations = m_evaluations;
    m_controller->syncMappings({m_mappingId});
    QTRY_VERIFY_WITH_TIMEOUT(m_syncs == 1, kCheckTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_evaluations > evaluations, kCheckTimeoutMs);
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), kCohort),
             (QStringList{QStringLiteral("alice@example.com"), QStringLiteral("bob@example.com"),
                          QStringLiteral("gone@example.com")}));
    QVERIFY(engage(
        QJsonArray{QJsonObject{{QStringLiteral("$token"), m_sandbox->projectToken()},
                               {QStringLiteral("$distinct_id"), QStringLiteral("gone@example.com")},
                               {QStringLiteral("$delete"), QString()}}}));

    selectMapping();
    auto* button = child<QToolButton>(m_window.get(), "mappingsSpotCheck");
    QTRY_VERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    SpotCheckDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<SpotCheckDialog*>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    auto* count = child<QSpinBox>(dialog, "spotCheckCount");
    QCOMPARE(count->value(), 10); // the default
    auto* budget = child<QLabel>(dialog, "spotCheckBudget");
    QTRY_VERIFY(queriesLeft(budget) > 0);
    const int before = queriesLeft(budget);

    count->setValue(2);
    auto* named = child<QLineEdit>(dialog, "spotCheckNamed");
    named->setFocus();
    QTest::keyClicks(named, QStringLiteral("gone@example.com, nomail"));
    QCOMPARE(dialog->named(),
             (QStringList{QStringLiteral("gone@example.com"), QStringLiteral("nomail")}));
    auto* run = child<QPushButton>(dialog, "spotCheckRun");
    QVERIFY(run->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->result().has_value(), kCheckTimeoutMs);

    auto* people = child<QTableWidget>(dialog, "spotCheckPeople");
    QCOMPARE(people->rowCount(), int(dialog->result()->people.size()));
    QVERIFY(people->rowCount() >= 2);
    const int gone = rowOf(people, QStringLiteral("gone@example.com"));
    QVERIFY(gone >= 0);
    QCOMPARE(people->item(gone, 2)->text(), QStringLiteral("yes")); // in segment
    QCOMPARE(people->item(gone, 3)->text(), QStringLiteral("no"));  // in Mixpanel
    QCOMPARE(people->item(gone, 4)->text(), QStringLiteral("no"));  // carries value
    QCOMPARE(people->item(gone, 5)->text(), QStringLiteral("Fail"));
    QCOMPARE(people->item(gone, 6)->data(CodeRole).toString(),
             QString::fromLatin1(trustreason::kNoProfile));
    QVERIFY(people->item(gone, 6)->text().startsWith(QStringLiteral("Profile not in Mixpanel")));
    const int nomail = rowOf(people, QStringLiteral("nomail"));
    QVERIFY(nomail >= 0);
    QCOMPARE(people->item(nomail, 1)->text(), QStringLiteral("(no key)"));
    QCOMPARE(people->item(nomail, 6)->data(CodeRole).toString(),
             QString::fromLatin1(trustreason::kIdentityKeyMissing));
    // Everyone else drawn from the segment agrees in both systems.
    for (int row = 0; row < people->rowCount(); ++row)
        if (row != gone && row != nomail)
            QCOMPARE(people->item(row, 5)->text(), QStringLiteral("Pass"));
    QVERIFY(child<QLabel>(dialog, "spotCheckStatus")->text().startsWith(QStringLiteral("Failed:")));

    // ONE query spent, and shown.
    QTRY_COMPARE(queriesLeft(budget), before - 1);
    QCOMPARE(dialog->result()->queriesUsed, 1);
    // The spot check failed: identity is not verified in the Rollout column.
    QTRY_VERIFY(m_window->mappingsModel()->checklist(m_mappingId) != nullptr);
    const ChecklistItem* identity =
        m_window->mappingsModel()
            ->checklist(m_mappingId)
            ->item(QString::fromLatin1(checklistitem::kIdentityVerified));
    QVERIFY(identity && !identity->done);
    QTRY_VERIFY(identity->evidence.startsWith(QStringLiteral("failed")));

    // Other tools of the project spend the rest of the hour (recorded in the workspace,
    // as another console or runner does): Run is refused with a clear message.
    {
        auto ws = Workspace::open(m_dir->filePath(QStringLiteral("workspace.sqlite")));
        QVERIFY(ws);
        QVERIFY(TrustStore(**ws).recordQueries(QDateTime::currentMSecsSinceEpoch(), 60,
                                               QStringLiteral("another runner")));
    }
    m_controller->trust()->loadQueryBudget(); // the dialog sees the announcement
    QTRY_VERIFY(budget->text().startsWith(QStringLiteral("No Mixpanel queries left this hour")));
    QVERIFY(budget->text().contains(QStringLiteral("frees up at")));
    QVERIFY(!run->isEnabled());
    QVERIFY(run->toolTip().contains(QStringLiteral("used up")));
    dialog->close();
}

// Closing a rehearsal before Clean up asks; kept, it is remembered by the workspace, so a
// console opened later (another controller, as after a restart) still cleans it up.
void TestTrust::rehearsalClosedUncleanedAsksAndIsRemembered()
{
    selectMapping();
    RehearsalDialog* dialog = m_window->mappingsPage()->rehearseSelected();
    QVERIFY(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->segmentCount(), 3, kCheckTimeoutMs);
    QVERIFY(dialog->selectSegment(2));
    QTRY_VERIFY(child<QPushButton>(dialog, "rehearsalRun")->isEnabled());
    dialog->run();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->result().has_value(), kCheckTimeoutMs);
    const QString value = dialog->result()->value;
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value).size(), 2);

    QTest::mouseClick(child<QPushButton>(dialog, "rehearsalClose"), Qt::LeftButton);
    QMessageBox* ask = nullptr;
    QTRY_VERIFY((ask = dialog->findChild<QMessageBox*>(QStringLiteral("rehearsalCloseConfirm"))));
    QTRY_VERIFY(ask->isVisible());
    QVERIFY2(ask->text().contains(value), qPrintable(ask->text()));
    QVERIFY(dialog->isVisible()); // not closed behind the question
    QTest::mouseClick(child<QPushButton>(ask, "rehearsalCloseKeep"), Qt::LeftButton);
    QTRY_VERIFY(m_window->findChild<RehearsalDialog*>() == nullptr);
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value).size(), 2);

    // A new console on the same workspace.
    m_window.reset();
    m_controller.reset();
    const Credentials creds{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                            m_sandbox->serviceAccount()};
    m_controller = std::make_unique<SyncController>(
        m_context, m_dir->filePath(QStringLiteral("workspace.sqlite")), creds);
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setSessionCredentials(creds);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 1);
    selectMapping();
    dialog = m_window->mappingsPage()->rehearseSelected();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->cleansEarlierRehearsal(), kCheckTimeoutMs);
    QCOMPARE(dialog->result()->value, value);
    QVERIFY(child<QLabel>(dialog, "rehearsalStatus")->text().contains(value));
    auto* cleanup = child<QPushButton>(dialog, "rehearsalCleanup");
    QTRY_VERIFY(cleanup->isEnabled());
    QTest::mouseClick(cleanup, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->cleanup().has_value(), kCheckTimeoutMs);
    QVERIFY(dialog->cleanup()->verified());
    QVERIFY(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value).isEmpty());
    // Cleaned: closing asks nothing, and nothing is left to offer.
    dialog->close();
    QTRY_VERIFY(m_window->findChild<RehearsalDialog*>() == nullptr);
    bool answered = false;
    RehearsalResult open;
    m_controller->trust()->openRehearsal(m_mappingId).then(this, [&](const RehearsalResult& r) {
        open = r;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY(open.value.isEmpty());
}

// A rehearsal kept at closing is listed after a restart (a new console on the same
// workspace) under Mappings › Open rehearsals…, with a hint in the status bar, and its row's
// Clean up removes the value from Mixpanel and then the row.
void TestTrust::openRehearsalsAreListedAndCleanedAfterARestart()
{
    qputenv("USER", "maya");
    selectMapping();
    RehearsalDialog* dialog = m_window->mappingsPage()->rehearseSelected();
    QVERIFY(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->segmentCount(), 3, kCheckTimeoutMs);
    QVERIFY(dialog->selectSegment(2));
    QTRY_VERIFY(child<QPushButton>(dialog, "rehearsalRun")->isEnabled());
    dialog->run();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->result().has_value(), kCheckTimeoutMs);
    const QString value = dialog->result()->value;
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value).size(), 2);
    QTest::mouseClick(child<QPushButton>(dialog, "rehearsalClose"), Qt::LeftButton);
    QMessageBox* ask = nullptr;
    QTRY_VERIFY((ask = dialog->findChild<QMessageBox*>(QStringLiteral("rehearsalCloseConfirm"))));
    QVERIFY2(ask->informativeText().contains(QStringLiteral("Open rehearsals")),
             qPrintable(ask->informativeText()));
    QTest::mouseClick(child<QPushButton>(ask, "rehearsalCloseKeep"), Qt::LeftButton);
    QTRY_VERIFY(m_window->findChild<RehearsalDialog*>() == nullptr);

    // A new console on the same workspace.
    m_window.reset();
    m_controller.reset();
    const Credentials creds{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                            m_sandbox->serviceAccount()};
    m_controller = std::make_unique<SyncController>(
        m_context, m_dir->filePath(QStringLiteral("workspace.sqlite")), creds);
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setSessionCredentials(creds);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 1);

    // The status bar says so without being asked.
    auto* hint = child<QLabel>(m_window.get(), "openRehearsalsHint");
    QVERIFY(hint);
    QTRY_VERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(QStringLiteral("1 rehearsal not cleaned up")),
             qPrintable(hint->text()));
    QVERIFY2(hint->toolTip().contains(QStringLiteral("2 profiles")), qPrintable(hint->toolTip()));
    QCOMPARE(m_window->openRehearsalCount(), 1);

    // Mappings › Open rehearsals… lists it with what the workspace remembers.
    auto* action = m_window->findChild<QAction*>(QStringLiteral("actionOpenRehearsals"));
    QVERIFY(action);
    action->trigger();
    OpenRehearsalsDialog* list = nullptr;
    QTRY_VERIFY((list = m_window->findChild<OpenRehearsalsDialog*>()) != nullptr);
    QTRY_VERIFY(list->isVisible());
    QTRY_VERIFY(list->isLoaded());
    // The hint's link opens the same list rather than a second one.
    Q_EMIT hint->linkActivated(QStringLiteral("open-rehearsals"));
    QCOMPARE(m_window->findChildren<OpenRehearsalsDialog*>().size(), 1);
    auto* table = child<QTableWidget>(list, "openRehearsalsTable");
    QCOMPARE(list->rowCount(), 1);
    QCOMPARE(table->item(0, OpenRehearsalsDialog::Cohort)->text(), kCohort);
    QCOMPARE(table->item(0, OpenRehearsalsDialog::Value)->text(), value);
    QCOMPARE(table->item(0, OpenRehearsalsDialog::Property)->text(), QStringLiteral("cio_cohorts"));
    QCOMPARE(table->item(0, OpenRehearsalsDialog::Profiles)->text(), QStringLiteral("2"));
    QCOMPARE(table->item(0, OpenRehearsalsDialog::By)->text(), QStringLiteral("maya"));
    QVERIFY(!table->item(0, OpenRehearsalsDialog::Made)->text().isEmpty());
    QVERIFY2(child<QLabel>(list, "openRehearsalsSummary")
                 ->text()
                 .contains(QStringLiteral("1 rehearsal not cleaned up")),
             qPrintable(child<QLabel>(list, "openRehearsalsSummary")->text()));

    // Clean up: progress, the result, the row gone once Mixpanel confirms.
    const qint64 id = list->listedIds().first();
    QPushButton* clean = list->cleanupButton(id);
    QVERIFY(clean);
    QTRY_VERIFY(clean->isEnabled());
    QSignalSpy finished(list, &OpenRehearsalsDialog::cleanupFinished);
    QTest::mouseClick(clean, Qt::LeftButton);
    QVERIFY(list->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), kCheckTimeoutMs);
    const auto cleanup = finished.first().at(1).value<RehearsalCleanup>();
    QVERIFY(cleanup.verified());
    QCOMPARE(cleanup.removed, 2);
    QVERIFY(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value).isEmpty());
    auto* status = child<QLabel>(list, "openRehearsalsStatus");
    QVERIFY2(status->text().contains(QStringLiteral("verified gone")), qPrintable(status->text()));
    QTRY_COMPARE(list->rowCount(), 0);
    QVERIFY(child<QLabel>(list, "openRehearsalsEmpty")->isVisible());
    QTRY_VERIFY(!hint->isVisible());
    QCOMPARE(m_window->openRehearsalCount(), 0);
    list->close();
    QTRY_VERIFY(m_window->findChild<OpenRehearsalsDialog*>() == nullptr);
}

// Someone typed who is in neither Customer.io nor Mixpanel was not checked: Not found,
// and the check fails.
void TestTrust::spotCheckOfSomeoneInNeitherSystemIsNotFound()
{
    selectMapping();
    SpotCheckDialog* dialog = m_window->mappingsPage()->spotCheckSelected();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->setCount(0);
    dialog->setNamed({QStringLiteral("nobody@nowhere.test"), QStringLiteral("alice@example.com")});
    auto* run = child<QPushButton>(dialog, "spotCheckRun");
    QTRY_VERIFY(run->isEnabled());
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->result().has_value(), kCheckTimeoutMs);
    QVERIFY(!dialog->result()->passed());
    auto* people = child<QTableWidget>(dialog, "spotCheckPeople");
    const int nobody = rowOf(people, QStringLiteral("nobody@nowhere.test"));
    QVERIFY(nobody >= 0);
    QCOMPARE(people->item(nobody, 5)->text(), QStringLiteral("Not found"));
    QCOMPARE(people->item(nobody, 6)->data(CodeRole).toString(),
             QString::fromLatin1(trustreason::kNotFound));
    QVERIFY(child<QLabel>(dialog, "spotCheckStatus")->text().startsWith(QStringLiteral("Failed:")));
    dialog->close();
}

void TestTrust::contextMenuOffersTheChecks()
{
    selectMapping();
    QMenu* menu = m_window->mappingsPage()->contextMenu();
    QVERIFY(menu);
    auto* rehearse = child<QAction>(menu, "contextRehearse");
    auto* spot = child<QAction>(menu, "contextSpotCheck");
    QVERIFY(rehearse && spot);
    QTRY_VERIFY(rehearse->isEnabled() && spot->isEnabled());
    QCOMPARE(rehearse->text(), QStringLiteral("Rehearse on a test segment…"));
    spot->trigger();
    QTRY_VERIFY(m_window->findChild<SpotCheckDialog*>() != nullptr);
    m_window->findChild<SpotCheckDialog*>()->close();
    rehearse->trigger();
    QTRY_VERIFY(m_window->findChild<RehearsalDialog*>() != nullptr);
    QCOMPARE(m_window->findChild<RehearsalDialog*>()->mapping().id, m_mappingId);
    // The Mappings menu has them too.
    QVERIFY(child<QAction>(m_window.get(), "actionRehearse"));
    QVERIFY(child<QAction>(m_window.get(), "actionSpotCheck"));
}

void TestTrust::latencyExpectationIsSetFromTheConsole()
{
    selectMapping();
    MappingsModel* model = m_window->mappingsModel();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data(MappingIdRole).toLongLong() == m_mappingId)
            row = r;
    QVERIFY(row >= 0);
    const auto latencyCell = [&](int role = Qt::DisplayRole) {
        return model->index(row, MappingsModel::Latency).data(role);
    };
    QVERIFY(!latencyCell().toString().contains(QStringLiteral("≤")));
    QVERIFY(child<QAction>(m_window->mappingsPage()->contextMenu(), "contextLatency"));
    QVERIFY(m_window->mappingsPage()->setLatencyExpectationSelected(15));
    QTRY_VERIFY2(latencyCell().toString().contains(QStringLiteral("≤ 15 min")),
                 qPrintable(latencyCell().toString()));
    QVERIFY(
        latencyCell(Qt::ToolTipRole).toString().contains(QStringLiteral("Expectation: 15 min")));
    // The checklist item turns done on the same evidence.
    const RolloutChecklist* c = model->checklist(m_mappingId);
    QVERIFY(c);
    QVERIFY(c->item(QStringLiteral("latency_expectation_set")));
    QVERIFY(c->item(QStringLiteral("latency_expectation_set"))->done);
    // 0 clears it.
    QVERIFY(m_window->mappingsPage()->setLatencyExpectationSelected(0));
    QTRY_VERIFY(!latencyCell().toString().contains(QStringLiteral("≤")));
    QVERIFY(!model->checklist(m_mappingId)->item(QStringLiteral("latency_expectation_set"))->done);
}

QTEST_MAIN(TestTrust)
#include "tst_trust.moc"
