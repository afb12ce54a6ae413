// lockstep: the operator console, and the same binary's command line for scripts.

#include "cli.h"
#include "clisupport.h"
#include "consolesession.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "signalwatcher.h"
#include "store/workspace.h"
#include "util/redaction.h"

#include "lockstepresources.h"
#include "mainwindow.h"
#include "screenshots.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace lockstep;

namespace {

int runConsole(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("lockstep"));
    QApplication::setApplicationDisplayName(QStringLiteral("Lockstep"));
    QApplication::setOrganizationName(QStringLiteral("Lockstep"));
    QApplication::setApplicationVersion(QStringLiteral(LOCKSTEP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.lockstep.Lockstep"));
    // Before any text is made: the help below and every window read the catalogues.
    if (!installTranslations())
        qWarning("lockstep: no English translation catalogue in the resources");

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "lockstep::console", "Keeps Customer.io segments and Mixpanel cohorts in lockstep.\n"
                             "Command line: lockstep help"));
    parser.addHelpOption();
    QCommandLineOption workspaceOpt(
        QStringLiteral("workspace"),
        QCoreApplication::translate("lockstep::console", "Workspace file."),
        QStringLiteral("FILE"));
    QCommandLineOption demoOpt(
        QStringLiteral("demo"),
        QCoreApplication::translate("lockstep::console",
                                    "Open a fresh demo workspace on a local sandbox."));
    QCommandLineOption shotOpt(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("lockstep::console",
                                    "Save a PNG of every page into DIR, then quit."),
        QStringLiteral("DIR"));
    QCommandLineOption syncFirstOpt(
        QStringLiteral("sync-first"),
        QCoreApplication::translate("lockstep::console",
                                    "Resync all mappings once the window is up."));
    parser.addOptions({workspaceOpt, demoOpt, shotOpt, syncFirstOpt});
    parser.process(app);

    // A session logout or `kill` ends the console through the event loop, so the demo's
    // sandbox and the engine thread are stopped by their destructors.
    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::received, &app, [] { QApplication::exit(0); });

    ConsoleSession::Options options;
    options.demo = parser.isSet(demoOpt);
    options.workspace = parser.isSet(workspaceOpt)
                            ? parser.value(workspaceOpt)
                            : (options.demo ? QString() : Workspace::defaultLocation());
    options.credentials = Credentials::fromEnvironment();
    options.setup = EngineContext::Setup::fromEnvironment();
    options.interactive = !options.demo && !parser.isSet(shotOpt);
    ConsoleSession session;
    if (auto st = session.open(std::move(options)); !st) {
        QTextStream(stderr) << "lockstep: " << st.error().message << "\n";
        return 2;
    }
    MainWindow& window = *session.window();
    SyncController& controller = *session.controller();
    // Once the history is in (the demo) or the first sync is over: the pictures.
    auto takeScreenshots = [&window, dir = parser.value(shotOpt)] {
        // Let the refreshed models reach the views before taking pictures.
        QTimer::singleShot(500, &window, [&window, dir] {
            QDir().mkpath(dir);
            const QStringList files =
                saveScreenshots(window, dir) + saveTrustScreenshots(window, dir) +
                saveAdvisorScreenshot(window, dir) + saveDoctorScreenshot(window, dir) +
                saveSafetyScreenshots(window, dir) + saveNotificationsScreenshot(window, dir);
            QTextStream(stdout) << files.join(QLatin1Char('\n')) << "\n";
            QApplication::exit(files.isEmpty() ? 1 : 0);
        });
    };
    if (session.history()) {
        QObject::connect(&session, &ConsoleSession::historyFinished, &window, [&, takeScreenshots] {
            if (parser.isSet(shotOpt))
                takeScreenshots();
            else if (parser.isSet(syncFirstOpt))
                controller.syncAll();
        });
    } else {
        if (parser.isSet(syncFirstOpt) || parser.isSet(shotOpt))
            QObject::connect(&controller, &SyncController::opened, &controller,
                             [&controller] { controller.syncAll(); });
        if (parser.isSet(shotOpt))
            // Once: the pictures run a sync of their own (the live run on the Runs page).
            QObject::connect(&controller, &SyncController::syncFinished, &window, takeScreenshots,
                             Qt::SingleShotConnection);
    }
    return QApplication::exec();
}

} // namespace

int main(int argc, char** argv)
{
#if defined(__GLIBC__)
    // Big, short-lived buffers (membership pages, snapshot blobs, request bodies) are
    // mapped and unmapped instead of being carved from the heap: glibc's adaptive
    // threshold would otherwise rise to the largest freed buffer and leave the heap
    // fragmented, costing ~20 bytes of RSS per synced member (docs/BENCH.md).
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
    // Security: every log line passes the redacting handler, which knows the
    // environment's secrets before anything logs (SecretStore adds keychain ones).
    installRedactingMessageHandler(Credentials::fromEnvironment().secrets());
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (cli::isCommandLine(args)) {
        // Scripts read stdout and stderr: only warnings unless asked (QT_LOGGING_RULES).
        if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
            QLoggingCategory::setFilterRules(
                QStringLiteral("lockstep.*.info=false\nlockstep.*.debug=false"));
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("lockstep"));
        QCoreApplication::setOrganizationName(QStringLiteral("Lockstep"));
        // The command line's messages have plurals too ("1 mapping", "2 mappings").
        if (!installTranslations())
            qWarning("lockstep: no English translation catalogue in the resources");
        const int code = cli::run(args);
        // While the application and the redaction still stand, not from static destructors.
        cli::out().flush();
        cli::err().flush();
        return code;
    }
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(
            QStringLiteral("lockstep.*.info=false\nlockstep.*.debug=false"));
    return runConsole(argc, argv);
}
