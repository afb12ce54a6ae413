// The first-run flow against the sandbox: an empty, unconnected workspace; the guided
// set-up connects (with a test), lists the live segments, names the cohort with naming
// feedback, previews the match rate, dry-runs and syncs, all by clicking and typing.
#include "guitestutil.h"
#include "sandboxprocess.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "setupwizard.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using lockstep::test::child;

class TestFirstRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void guidedSetUpConnectsPreviewsAndSyncs();
    void trySandboxInstead();
    void cancelledAfterTheDryRunLeavesNoMapping();

private:
    void openWindow();
    SetupWizard* wizard() { return child<SetupWizard>(m_window.get(), "setupWizard"); }
    void next();

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
};

void TestFirstRun::initTestCase()
{
    QVERIFY(installTranslations()); // the English plurals, as app/main.cpp loads them
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_firstrun"));
    m_sandbox = std::make_unique<test::SandboxProcess>(QStringLiteral("demo.json"));
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
}

void TestFirstRun::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    openWindow();
}

void TestFirstRun::cleanup()
{
    m_window.reset();
    m_controller.reset();
    m_dir.reset();
}

void TestFirstRun::openWindow()
{
    // No connection, no mapping, no secrets: a first start.
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    QVERIFY(test::seedWorkspace(path, {}).isEmpty());
    m_controller = std::make_unique<SyncController>(m_context, path, Credentials{});
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_controller->start();
    m_window->startFirstRunIfNeeded();
    QTRY_VERIFY(wizard() && wizard()->isVisible());
}

void TestFirstRun::next()
{
    auto* button = child<QPushButton>(wizard(), "wizardNext");
    QTRY_VERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

void TestFirstRun::guidedSetUpConnectsPreviewsAndSyncs()
{
    SetupWizard* w = wizard();
    QCOMPARE(w->currentId(), int(SetupWizard::ConnectPage));
    QVERIFY(!child<QPushButton>(w, "wizardNext")->isEnabled());
    // Custom addresses for both services (the last item of each region picker).
    auto* cioRegion = child<QComboBox>(w, "wizardCioRegion");
    auto* mpRegion = child<QComboBox>(w, "wizardMpRegion");
    cioRegion->setCurrentIndex(cioRegion->count() - 1);
    mpRegion->setCurrentIndex(mpRegion->count() - 1);
    QTest::keyClicks(child<QLineEdit>(w, "wizardCioUrl"), m_sandbox->customerIo().toString());
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpUrl"), m_sandbox->mixpanel().toString());
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpQueryUrl"),
                     m_sandbox->mixpanelQuery().toString());
    child<QSpinBox>(w, "wizardProjectId")->setValue(int(m_sandbox->projectId()));
    // A wrong key first: the test says so and Next stays off.
    QTest::keyClicks(child<QLineEdit>(w, "wizardCioKey"), QStringLiteral("wrong"));
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpToken"), m_sandbox->projectToken());
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpServiceAccount"), m_sandbox->serviceAccount());
    auto* result = child<QLabel>(w, "wizardTestResult");
    QTest::mouseClick(child<QPushButton>(w, "wizardTest"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("✘")), 20'000);
    QVERIFY(!child<QPushButton>(w, "wizardNext")->isEnabled());
    child<QLineEdit>(w, "wizardCioKey")->setText(m_sandbox->appApiKey());
    QTest::mouseClick(child<QPushButton>(w, "wizardTest"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("✔")), 20'000);
    QVERIFY2(result->text().contains(QStringLiteral("6 segments")), qPrintable(result->text()));
    next();

    // The live segment list, with sizes; the building one cannot be picked.
    QCOMPARE(w->currentId(), int(SetupWizard::SegmentPage));
    auto* segments = child<QTableWidget>(w, "wizardSegments");
    QCOMPARE(segments->rowCount(), 6);
    int winback = -1;
    for (int r = 0; r < segments->rowCount(); ++r) {
        if (segments->item(r, 0)->text() == QStringLiteral("Winback 45-60d"))
            winback = r;
        if (segments->item(r, 3)->text().startsWith(QStringLiteral("building")))
            QVERIFY(!(segments->item(r, 0)->flags() & Qt::ItemIsSelectable));
    }
    QVERIFY(winback >= 0);
    QCOMPARE(segments->item(winback, 2)->text(), QLocale().toString(2400));
    segments->selectRow(winback);
    next();

    // Naming: the prefilled name is checked live; the suggestion fixes it.
    QCOMPARE(w->currentId(), int(SetupWizard::NamePage));
    auto* cohort = child<QLineEdit>(w, "wizardCohort");
    QCOMPARE(cohort->text(), QStringLiteral("CIO | Winback 45-60d | 30d"));
    cohort->clear();
    QTest::keyClicks(cohort, QStringLiteral("cio | winback | 45-60 days"));
    QVERIFY(child<QLabel>(w, "wizardNaming")
                ->text()
                .contains(QStringLiteral("CIO | Winback | 45-60d")));
    QTest::mouseClick(child<QPushButton>(w, "wizardUseSuggestion"), Qt::LeftButton);
    QCOMPARE(cohort->text(), QStringLiteral("CIO | Winback | 45-60d"));
    QTest::keyClicks(child<QLineEdit>(w, "wizardOwner"), QStringLiteral("Maya"));
    QTest::keyClicks(child<QLineEdit>(w, "wizardDecision"), QStringLiteral("Winback offer"));
    next();

    // Identity: the advisor looks a sample up in Mixpanel under each identifier; the demo's
    // Mixpanel knows its people by id, so id is recommended and chosen.
    QCOMPARE(w->currentId(), int(SetupWizard::IdentityPage));
    auto* advice = child<QLabel>(w, "wizardAdviceSummary");
    QTRY_VERIFY2_WITH_TIMEOUT(advice->text().contains(QStringLiteral("have a profile under")),
                              qPrintable(advice->text()), 20000);
    QVERIFY2(advice->text().contains(QStringLiteral("under their id; the key chosen is e-mail")),
             qPrintable(advice->text()));
    QVERIFY(advice->text().contains(QLocale().toString(2400)));
    auto* identity = child<QComboBox>(w, "wizardIdentity");
    QCOMPARE(identity->currentData().toInt(), int(IdentityKey::Id));
    auto* keys = child<QTableWidget>(w, "wizardAdviceKeys");
    QCOMPARE(keys->rowCount(), 4);
    QVERIFY(!child<QPushButton>(w, "wizardAdviceSwitch")->isVisible()); // nothing stored yet
    // The operator may still choose otherwise.
    identity->setCurrentIndex(identity->findData(int(IdentityKey::Email)));
    next();

    // Dry run: the mapping is saved and previewed, nothing sent.
    QCOMPARE(w->currentId(), int(SetupWizard::DryRunPage));
    auto* dry = child<QLabel>(w, "wizardDryRunResult");
    QTRY_VERIFY_WITH_TIMEOUT(dry->text().startsWith(QStringLiteral("✔")), 60'000);
    QVERIFY(
        m_sandbox
            ->profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("CIO | Winback | 45-60d"))
            .isEmpty());
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 1);
    next();

    // Sync: Mixpanel now holds the segment.
    QCOMPARE(w->currentId(), int(SetupWizard::SyncPage));
    QTest::mouseClick(child<QPushButton>(w, "wizardSync"), Qt::LeftButton);
    auto* synced = child<QLabel>(w, "wizardSyncResult");
    QTRY_VERIFY_WITH_TIMEOUT(synced->text().startsWith(QStringLiteral("✔")), 60'000);
    QVERIFY(child<QLabel>(w, "wizardDefinition")->text().contains(QStringLiteral("cio_cohorts")));
    QVERIFY(
        !m_sandbox
             ->profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("CIO | Winback | 45-60d"))
             .isEmpty());
    auto* finish = child<QPushButton>(w, "wizardFinish");
    QTRY_VERIFY(finish->isEnabled());
    QTest::mouseClick(finish, Qt::LeftButton);
    QTRY_VERIFY(!wizard());
    QTRY_COMPARE(m_window->mappingsModel()->index(0, 0).data(StatusNameRole).toString(),
                 QStringLiteral("succeeded"));
    QCOMPARE(m_window->mappingsModel()->index(0, MappingsModel::Owner).data().toString(),
             QStringLiteral("Maya"));
    QVERIFY(m_window->workspaceSettings().connection.isComplete());
}

void TestFirstRun::trySandboxInstead()
{
    QSignalSpy sandbox(m_window.get(), &MainWindow::sandboxRequested);
    QSignalSpy finished(wizard(), &QDialog::finished);
    QTest::mouseClick(child<QPushButton>(wizard(), "wizardSandbox"), Qt::LeftButton);
    QCOMPARE(sandbox.size(), 1);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toInt(), SetupWizard::SandboxResult);
    // The Mappings page's empty state offers the same choice.
    QTRY_VERIFY(!wizard());
    auto* button = child<QPushButton>(m_window.get(), "mappingsEmptySandbox");
    QTRY_VERIFY(button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(sandbox.size(), 2);
}

// The dry run needs the mapping saved; cancelling the wizard afterwards removes it again,
// so nothing the operator did not finish is left live (or listed) in the workspace.
void TestFirstRun::cancelledAfterTheDryRunLeavesNoMapping()
{
    SetupWizard* w = wizard();
    auto* cioRegion = child<QComboBox>(w, "wizardCioRegion");
    auto* mpRegion = child<QComboBox>(w, "wizardMpRegion");
    cioRegion->setCurrentIndex(cioRegion->count() - 1);
    mpRegion->setCurrentIndex(mpRegion->count() - 1);
    QTest::keyClicks(child<QLineEdit>(w, "wizardCioUrl"), m_sandbox->customerIo().toString());
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpUrl"), m_sandbox->mixpanel().toString());
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpQueryUrl"),
                     m_sandbox->mixpanelQuery().toString());
    child<QSpinBox>(w, "wizardProjectId")->setValue(int(m_sandbox->projectId()));
    QTest::keyClicks(child<QLineEdit>(w, "wizardCioKey"), m_sandbox->appApiKey());
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpToken"), m_sandbox->projectToken());
    QTest::keyClicks(child<QLineEdit>(w, "wizardMpServiceAccount"), m_sandbox->serviceAccount());
    QTest::mouseClick(child<QPushButton>(w, "wizardTest"), Qt::LeftButton);
    auto* tested = child<QLabel>(w, "wizardTestResult");
    QTRY_VERIFY2_WITH_TIMEOUT(tested->text().startsWith(QStringLiteral("✔")),
                              qPrintable(tested->text()), 20'000);
    next();
    auto* segments = child<QTableWidget>(w, "wizardSegments");
    for (int r = 0; r < segments->rowCount(); ++r)
        if (segments->item(r, 0)->text() == QStringLiteral("Winback 45-60d"))
            segments->selectRow(r);
    next();
    auto* cohort = child<QLineEdit>(w, "wizardCohort");
    cohort->setText(
        QStringLiteral("CIO | Draft | 45-60d")); // the sandbox is shared: a name of its own
    next();
    next();
    QCOMPARE(w->currentId(), int(SetupWizard::DryRunPage));
    auto* dry = child<QLabel>(w, "wizardDryRunResult");
    QTRY_VERIFY_WITH_TIMEOUT(dry->text().startsWith(QStringLiteral("✔")), 60'000);
    // Listed while the wizard is open: a paused draft.
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 1);
    QCOMPARE(m_window->mappingsModel()->index(0, 0).data(StatusNameRole).toString(),
             QStringLiteral("paused"));

    QTest::mouseClick(child<QPushButton>(w, "wizardCancel"), Qt::LeftButton);
    QTRY_VERIFY(!wizard());
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 0);
    // And in the workspace itself, as any other process reads it.
    auto ws = Workspace::open(m_dir->filePath(QStringLiteral("workspace.sqlite")));
    QVERIFY(ws);
    auto live = MappingRepository(**ws).list();
    QVERIFY(live);
    QVERIFY(live->isEmpty());
    QVERIFY(
        m_sandbox
            ->profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("CIO | Draft | 45-60d"))
            .isEmpty());
}

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
