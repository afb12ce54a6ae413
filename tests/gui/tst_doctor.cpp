// Settings › Check connection in the real window against the sandbox: the doctor's
// checks fill the table, one row per check with its mark, detail and fix; a wrong key
// typed into the form fails its own row.
#include "guitestutil.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "doctorview.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "settingsdialog.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using lockstep::test::child;

namespace {

const QString kKey = QStringLiteral("cio-key-gui-doctor-4411");
const QString kToken = QStringLiteral("mp-token-gui-doctor-9023");
const QString kServiceAccount = QStringLiteral("sa-gui:sa-secret-gui-doctor-6650");

QJsonObject scenario()
{
    return QJsonObject{
        {QStringLiteral("seed"), 3},
        {QStringLiteral("customerio"), QJsonObject{{QStringLiteral("app_api_key"), kKey}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("project_token"), kToken},
                     {QStringLiteral("project_id"), 77},
                     {QStringLiteral("service_account"), kServiceAccount}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 300}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 5},
                                {QStringLiteral("name"), QStringLiteral("Winback")},
                                {QStringLiteral("size"), 120}}}},
    };
}

int rowOf(const DoctorView* v, const QString& name)
{
    for (int r = 0; r < v->rowCount(); ++r)
        if (v->checkName(r) == name)
            return r;
    return -1;
}

} // namespace

class TestDoctorGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void checkConnectionFillsTheList();
    void wrongKeyFailsItsRow();

private:
    SettingsDialog* openSettings();
    DoctorView* check(SettingsDialog* dialog);

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_mappingId = 0;
};

void TestDoctorGui::initTestCase()
{
    QVERIFY(installTranslations()); // the English plurals, as app/main.cpp loads them
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_doctor_gui"));
    QSettings().clear();
    qunsetenv("LOCKSTEP_QUERY_PER_HOUR");
    m_sandbox = std::make_unique<test::SandboxProcess>(scenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(QStringLiteral("workspace.sqlite"));
    const ConnectionSettings connection = test::connectionTo(*m_sandbox);
    const QList<qint64> ids = test::seedWorkspace(
        path, {test::mapping(5, QStringLiteral("CIO | Winback | 45-60d"))}, &connection);
    QCOMPARE(ids.size(), 1);
    m_mappingId = ids.first();
    const Credentials creds{kKey, kToken, kServiceAccount};
    m_controller = std::make_unique<SyncController>(m_context, path, creds);
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setSessionCredentials(creds);
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 1);
}

void TestDoctorGui::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset(); // stops the worker thread before the sandbox goes away
    m_sandbox.reset();
}

SettingsDialog* TestDoctorGui::openSettings()
{
    child<QAction>(m_window.get(), "actionSettings")->trigger();
    SettingsDialog* dialog = nullptr;
    for (int i = 0; i < 100 && !dialog; ++i) {
        for (SettingsDialog* d :
             m_window->findChildren<SettingsDialog*>(QStringLiteral("settingsDialog")))
            if (d->isVisible())
                dialog = d;
        if (!dialog)
            QTest::qWait(50);
    }
    return dialog;
}

DoctorView* TestDoctorGui::check(SettingsDialog* dialog)
{
    auto* view = child<DoctorView>(dialog, "settingsDoctor");
    if (!view)
        return nullptr;
    QTest::mouseClick(child<QPushButton>(dialog, "settingsTest"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return !dialog->isChecking() && view->rowCount() > 0; }, 30'000))
        return nullptr;
    return view;
}

void TestDoctorGui::checkConnectionFillsTheList()
{
    SettingsDialog* dialog = openSettings();
    QVERIFY(dialog);
    auto* view = child<DoctorView>(dialog, "settingsDoctor");
    QVERIFY(view);
    QVERIFY(!view->isVisible()); // nothing checked yet
    QCOMPARE(child<QPushButton>(dialog, "settingsTest")->text(),
             QStringLiteral("Check connection"));
    QVERIFY(check(dialog));
    QVERIFY(view->isVisible());

    // The same checks as `lockstep doctor`, in its order, each with a mark and a detail.
    const QStringList names = {QStringLiteral("workspace.schema"),
                               QStringLiteral("connection"),
                               QStringLiteral("host.customerio"),
                               QStringLiteral("host.mixpanel"),
                               QStringLiteral("host.mixpanel_query"),
                               QStringLiteral("customerio.app_api_key"),
                               QStringLiteral("mixpanel.service_account"),
                               QStringLiteral("mixpanel.project_token"),
                               QStringLiteral("mixpanel.query_budget"),
                               QStringLiteral("clock"),
                               QStringLiteral("segment.%1").arg(m_mappingId)};
    QCOMPARE(view->rowCount(), names.size());
    for (int r = 0; r < names.size(); ++r) {
        QCOMPARE(view->checkName(r), names[r]);
        QVERIFY(!view->item(r, DoctorView::CheckColumn)->text().isEmpty());
        QVERIFY2(!view->item(r, DoctorView::DetailColumn)->text().isEmpty(), qPrintable(names[r]));
        const QString mark = view->item(r, DoctorView::MarkColumn)->text();
        if (names[r] == QLatin1String("mixpanel.project_token"))
            continue; // proven only by the token probe
        QVERIFY2(view->status(r) == DoctorCheck::Status::Pass,
                 qPrintable(names[r] + QStringLiteral(": ") +
                            view->item(r, DoctorView::DetailColumn)->text()));
        QVERIFY2(mark.startsWith(QStringLiteral("✔")), qPrintable(mark));
    }
    QVERIFY(view->item(rowOf(view, QStringLiteral("segment.%1").arg(m_mappingId)),
                       DoctorView::DetailColumn)
                ->text()
                .contains(QStringLiteral("120 people")));
    auto* summary = child<QLabel>(dialog, "settingsTestResult");
    QVERIFY2(summary->text().startsWith(QStringLiteral("✔")), qPrintable(summary->text()));
    dialog->reject();
}

void TestDoctorGui::wrongKeyFailsItsRow()
{
    SettingsDialog* dialog = openSettings();
    QVERIFY(dialog);
    auto* key = child<QLineEdit>(dialog, "settingsCioKey");
    key->setText(QStringLiteral("cio-wrong-gui-1234"));
    DoctorView* view = check(dialog);
    QVERIFY(view);
    const int row = rowOf(view, QStringLiteral("customerio.app_api_key"));
    QVERIFY(row >= 0);
    QCOMPARE(view->status(row), DoctorCheck::Status::Fail);
    QVERIFY(view->item(row, DoctorView::MarkColumn)->text().startsWith(QStringLiteral("✘")));
    QVERIFY(!view->item(row, DoctorView::FixColumn)->text().isEmpty());
    // Its segment could not be checked without the key: skipped, not failed.
    QCOMPARE(view->status(rowOf(view, QStringLiteral("segment.%1").arg(m_mappingId))),
             DoctorCheck::Status::Skip);
    QVERIFY(child<QLabel>(dialog, "settingsTestResult")->text().startsWith(QStringLiteral("✘")));
    // No secret in the table.
    for (int r = 0; r < view->rowCount(); ++r)
        for (int c = 0; c < DoctorView::ColumnCount; ++c)
            for (const QString& s :
                 {kKey, kToken, kServiceAccount, QStringLiteral("cio-wrong-gui-1234")})
                QVERIFY2(!view->item(r, c)->text().contains(s),
                         qPrintable(view->item(r, c)->text()));
    dialog->reject();
}

QTEST_MAIN(TestDoctorGui)
#include "tst_doctor.moc"
