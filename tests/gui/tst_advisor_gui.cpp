// The console's side of ghost profiles and the whole checklist, against the demo scenario
// (its Mixpanel knows people by id): the Health page's unknown_profiles alert offers "Ask the
// advisor", whose answer recommends id and whose one click makes the new version; the
// Mappings page's checklist dialog shows every item with its evidence, opens the reporting
// plan's board and records a stability review; the mapping editor edits the new fields.
#include "guitestutil.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "checklistdialog.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "healthpage.h"
#include "identityadviceview.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingeditor.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "modelroles.h"
#include "trust/checklistevaluator.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using lockstep::test::child;

namespace {
constexpr int kWaitMs = 60'000;
const QString kWinback = QStringLiteral("CIO | Winback | 45-60d");
} // namespace

class TestAdvisorGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void askTheAdvisorFromTheAlertAndSwitch();
    void checklistDialogShowsEveryItem();

private:
    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_winback = 0;
    qint64 m_vip = 0;
};

void TestAdvisorGui::initTestCase()
{
    QVERIFY(installTranslations());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_advisor_gui"));
    QSettings().clear();
    m_sandbox = std::make_unique<test::SandboxProcess>(QStringLiteral("demo.json"));
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_dir = std::make_unique<QTemporaryDir>();
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    const ConnectionSettings connection = test::connectionTo(*m_sandbox);
    const QList<qint64> ids = test::seedWorkspace(
        path,
        {test::mapping(101, kWinback, QStringLiteral("Winback 45-60d"), IdentityKey::Email),
         test::mapping(102, QStringLiteral("CIO | VIP | 30d"), QStringLiteral("VIP 30d"),
                       IdentityKey::Id)},
        &connection);
    QCOMPARE(ids.size(), 2);
    m_winback = ids[0];
    m_vip = ids[1];
    const Credentials creds{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                            m_sandbox->serviceAccount()};
    m_controller = std::make_unique<SyncController>(m_context, path, creds);
    QSignalSpy synced(m_controller.get(), &SyncController::syncFinished);
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setSessionCredentials(creds);
    m_window->resize(1440, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 2);
    m_controller->syncAll();
    QTRY_VERIFY_WITH_TIMEOUT(!synced.isEmpty(), kWaitMs);
}

void TestAdvisorGui::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset();
    m_sandbox.reset();
}

void TestAdvisorGui::askTheAdvisorFromTheAlertAndSwitch()
{
    m_window->showPage(QStringLiteral("health"));
    HealthPage* health = m_window->healthPage();
    health->selectMappings({m_winback});
    auto* ask = child<QPushButton>(health, "healthAskAdvisor");
    QVERIFY(!ask->isEnabled()); // no alert selected
    QTRY_VERIFY_WITH_TIMEOUT(health->selectAlert(QStringLiteral("unknown_profiles")), kWaitMs);
    QVERIFY(ask->isEnabled());
    // The id mapping has no ghost-profile alert to ask about.
    health->selectMappings({m_vip});
    QTRY_VERIFY(!health->selectAlert(QStringLiteral("unknown_profiles")));
    health->selectMappings({m_winback});
    QTRY_VERIFY(health->selectAlert(QStringLiteral("unknown_profiles")));

    QTest::mouseClick(ask, Qt::LeftButton);
    IdentityAdviceDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = health->findChild<IdentityAdviceDialog*>()) != nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), kWaitMs);
    auto* summary = child<QLabel>(dialog, "adviceSummary");
    QVERIFY2(summary->text().contains(QStringLiteral("have a profile under their id; this mapping "
                                                     "sends e-mail")),
             qPrintable(summary->text()));
    auto* keys = child<QTableWidget>(dialog, "adviceKeys");
    QCOMPARE(keys->rowCount(), 4);
    QCOMPARE(keys->item(0, 0)->data(CodeRole).toString(), QStringLiteral("id"));
    QVERIFY(keys->item(0, 0)->text().contains(QStringLiteral("recommended")));
    QVERIFY(keys->item(0, 1)->data(ValueRole).toDouble() >= 0.9);
    QCOMPARE(keys->item(1, 2)->text(), QStringLiteral("0")); // e-mail: none found...
    QVERIFY(keys->item(1, 3)->text().toInt() > 0);           // ...only the sync's ghosts

    // One click: a new version keyed by id, this one paused.
    auto* sw = child<QPushButton>(dialog, "adviceSwitch");
    QVERIFY(sw->isVisible());
    QCOMPARE(sw->text(), QStringLiteral("Switch to id (new version)"));
    QSignalSpy switched(dialog, &IdentityAdviceDialog::switched);
    QTest::mouseClick(sw, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!switched.isEmpty(), kWaitMs);
    const qint64 next = switched.first().first().toLongLong();
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 3);
    const MappingOverview* v2 = m_window->mappingsModel()->find(next);
    QVERIFY(v2);
    QCOMPARE(v2->mapping.identity, IdentityKey::Id);
    QCOMPARE(v2->mapping.cohortName, kWinback + QStringLiteral(" | v2"));
    QTRY_VERIFY(m_window->mappingsModel()->find(m_winback)->mapping.paused);
    QVERIFY(child<QLabel>(dialog, "adviceOutcome")->text().contains(QStringLiteral("paused")));
    dialog->close();
}

void TestAdvisorGui::checklistDialogShowsEveryItem()
{
    m_window->showPage(QStringLiteral("mappings"));
    MappingsPage* page = m_window->mappingsPage();
    page->selectMapping(m_vip);
    QTRY_COMPARE(page->selectedMappingIds(), QList<qint64>{m_vip});

    // The new fields from the editor: both owners and the report.
    const QString url =
        QStringLiteral("https://mixpanel.com/project/3141592/view/1/app/boards#id=7");
    MappingEditor* editor = page->editSelected();
    QVERIFY(editor);
    child<QLineEdit>(editor, "mappingEditorOwner")->setText(QStringLiteral("Jon (growth)"));
    child<QLineEdit>(editor, "mappingEditorHealthMonitor")
        ->setText(QStringLiteral("Ana (on call)"));
    auto* report = child<QLineEdit>(editor, "mappingEditorReportUrl");
    report->setFocus();
    QTest::keyClicks(report, url);
    QVERIFY(child<QCheckBox>(editor, "mappingEditorReportCurrent")->isChecked());
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorSave"), Qt::LeftButton);
    QTRY_COMPARE(m_window->mappingsModel()->find(m_vip)->mapping.reportUrl, url);
    QCOMPARE(m_window->mappingsModel()->find(m_vip)->mapping.healthMonitor,
             QStringLiteral("Ana (on call)"));

    ChecklistDialog* dialog = page->checklistSelected();
    QVERIFY(dialog);
    auto* items = child<QTableWidget>(dialog, "checklistItems");
    auto row = [items](const char* key) {
        for (int r = 0; r < items->rowCount(); ++r)
            if (items->item(r, 0)->data(CodeRole).toString() == QLatin1String(key))
                return r;
        return -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(items->rowCount(), 10, kWaitMs);
    QTRY_VERIFY(items->item(row(checklistitem::kReportingPlanSet), 1)->data(ValueRole).toBool());
    QCOMPARE(items->item(row(checklistitem::kReportingPlanSet), 2)->text(), url);
    QCOMPARE(items->item(row(checklistitem::kHealthMonitorSet), 2)->text(),
             QStringLiteral("Ana (on call)"));
    QCOMPARE(items->item(row(checklistitem::kSegmentOwnerSet), 2)->text(),
             QStringLiteral("Jon (growth)"));

    // The board opens from here.
    QList<QUrl> opened;
    dialog->setUrlOpener([&opened](const QUrl& u) {
        opened.append(u);
        return true;
    });
    auto* open = child<QPushButton>(dialog, "checklistOpenReport");
    QVERIFY(open->isEnabled());
    QTest::mouseClick(open, Qt::LeftButton);
    QCOMPARE(opened, QList<QUrl>{QUrl(url)});

    // The stability review, with who reviewed: one sync is too little history, and says so.
    const int stability = row(checklistitem::kSegmentStabilityReviewed);
    QVERIFY(items->item(stability, 2)->text().startsWith(QStringLiteral("not reviewed")));
    dialog->reviewStability(QStringLiteral("Maya"));
    QTRY_VERIFY_WITH_TIMEOUT(items->item(row(checklistitem::kSegmentStabilityReviewed), 2)
                                 ->text()
                                 .contains(QStringLiteral("reviewed by Maya")),
                             kWaitMs);
    QVERIFY(
        !items->item(row(checklistitem::kSegmentStabilityReviewed), 1)->data(ValueRole).toBool());
    dialog->close();
}

QTEST_MAIN(TestAdvisorGui)
#include "tst_advisor_gui.moc"
