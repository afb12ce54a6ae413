// "Try the sandbox" takes the console's place: clicked in the set-up wizard or on the empty
// Mappings page, the window is replaced by the demo's, never joined by a second one, and the
// new window works on the demo's workspace and its sandbox on loopback.
#include "consolesession.h"
#include "demosession.h"
#include "guitestutil.h"

#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "setupwizard.h"

#include <QApplication>
#include <QHostAddress>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using lockstep::test::child;

namespace {
// Every main window of the process, shown or not (a deleted one is gone from the list).
QList<MainWindow*> mainWindows()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QList<MainWindow*> windows;
    for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* m = qobject_cast<MainWindow*>(w))
            windows << m;
    return windows;
}

SetupWizard* shownWizard(QWidget* window)
{
    for (SetupWizard* w : window->findChildren<SetupWizard*>())
        if (w->isVisible())
            return w;
    return nullptr;
}
} // namespace

class TestSandboxSwitch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void replacesTheWindow_data();
    void replacesTheWindow();
};

void TestSandboxSwitch::initTestCase()
{
    QVERIFY(installTranslations());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_sandboxswitch"));
    QSettings().clear();
}

void TestSandboxSwitch::replacesTheWindow_data()
{
    QTest::addColumn<bool>("fromWizard");
    QTest::newRow("set-up wizard") << true;
    QTest::newRow("empty Mappings page") << false;
}

void TestSandboxSwitch::replacesTheWindow()
{
    QFETCH(bool, fromWizard);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A first launch: a new workspace with no connection and no mapping.
    ConsoleSession session;
    ConsoleSession::Options options;
    options.workspace = dir.filePath(QStringLiteral("workspace.sqlite"));
    options.setup = EngineContext::Setup::fromEnvironment();
    options.keychain = false; // the test machine's keychain is not the test's
    QVERIFY(session.open(std::move(options)).ok());
    QPointer<MainWindow> first = session.window();
    QVERIFY(first);
    QVERIFY(QTest::qWaitForWindowExposed(first));
    QCOMPARE(mainWindows(), QList<MainWindow*>{first.data()});
    QVERIFY(!session.demo());

    SetupWizard* wizard = nullptr;
    QTRY_VERIFY((wizard = shownWizard(first)));
    if (fromWizard) {
        QTest::mouseClick(child<QPushButton>(wizard, "wizardSandbox"), Qt::LeftButton);
    } else {
        wizard->reject();
        auto* button = child<QPushButton>(first, "mappingsEmptySandbox");
        QTRY_VERIFY(button->isVisible());
        QTest::mouseClick(button, Qt::LeftButton);
    }

    // The first window is gone, the demo's is the only one.
    QTRY_VERIFY_WITH_TIMEOUT(first.isNull(), 20'000);
    QVERIFY(session.demo());
    MainWindow* demo = session.window();
    QVERIFY(demo);
    QCOMPARE(mainWindows(), QList<MainWindow*>{demo});
    QVERIFY(QTest::qWaitForWindowExposed(demo));
    QVERIFY(QGuiApplication::quitOnLastWindowClosed()); // closing it still quits

    // It works on the demo's workspace, connected to the demo's sandbox on loopback.
    QTRY_VERIFY_WITH_TIMEOUT(demo->workspaceSettings().connection.isComplete(), 20'000);
    const QUrl cio(demo->workspaceSettings().connection.customerIoUrl);
    QCOMPARE(cio.host(), session.demo()->sandboxUrl().host());
    QCOMPARE(cio.port(), session.demo()->sandboxUrl().port());
    QVERIFY(QHostAddress(cio.host()).isLoopback());
    QTRY_COMPARE_WITH_TIMEOUT(demo->mappingsModel()->rowCount(), 5, 20'000);
    // The demo's history is being recorded through the new window's engine.
    QVERIFY(session.history());
    QTRY_VERIFY_WITH_TIMEOUT(session.history()->isRunning(), 20'000);

    // A second request changes nothing: still the one demo window.
    Q_EMIT demo->sandboxRequested();
    QTest::qWait(300);
    QCOMPARE(session.window(), demo);
    QCOMPARE(mainWindows(), QList<MainWindow*>{demo});
}

QTEST_MAIN(TestSandboxSwitch)
#include "tst_sandboxswitch.moc"
