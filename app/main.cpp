// lockstep: the operator console, and the same binary's command line for scripts.

#include "api/customerioclient.h"
#include "cli.h"
#include "clisupport.h"
#include "demohistory.h"
#include "demosession.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "signalwatcher.h"
#include "store/workspace.h"
#include "util/redaction.h"
#include "util/simulatedclock.h"

#include "lockstepresources.h"
#include "mainwindow.h"
#include "screenshots.h"
#include "secretstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace lockstep;

namespace {

// Customer.io requests a second while the demo replays its history (its sandbox allows it).
constexpr double kDemoReplayPerSecond = 200;

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

    QString location =
        parser.isSet(workspaceOpt) ? parser.value(workspaceOpt) : Workspace::defaultLocation();
    Credentials credentials = Credentials::fromEnvironment();
    DemoSession demo;
    EngineContext::Setup setup = EngineContext::Setup::fromEnvironment();
    const double customerIoPerSecond = setup.options.customerIoPerSecond;
    // The demo's engine runs on a clock it can move: its history is replayed at past days.
    SimulatedClock demoClock;
    std::unique_ptr<DemoHistory> history;
    if (parser.isSet(demoOpt)) {
        if (auto st = demo.start(parser.isSet(workspaceOpt) ? location : QString()); !st) {
            QTextStream(stderr) << "lockstep: " << st.error().message << "\n";
            return 2;
        }
        location = demo.workspace();
        credentials = demo.credentials();
        demo.allowSandbox(setup.allowedHosts);
        history = std::make_unique<DemoHistory>(&demoClock, demo.sandboxUrl(), demo.story());
        setup.clock = &demoClock;
        // Months of daily syncs in seconds: the demo's own sandbox allows this rate (its
        // scenario says so); Customer.io's 10/s comes back once the history is recorded.
        setup.options.customerIoPerSecond = std::max(customerIoPerSecond, kDemoReplayPerSecond);
    }

    // A session logout or `kill` ends the console through the event loop, so the demo's
    // sandbox and the engine thread are stopped by their destructors.
    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::received, &app, [] { QApplication::exit(0); });

    EngineContext context(std::move(setup));
    SyncController controller(context, location, credentials);
    MainWindow window(&controller);
    window.setSessionCredentials(credentials);
    window.show();
    controller.start();
    const bool interactive = !parser.isSet(demoOpt) && !parser.isSet(shotOpt);
    if (interactive) {
        // Secrets saved in the OS keychain (Settings) win over an empty environment.
        const bool fromEnvironment = !credentials.customerIoAppApiKey.isEmpty();
        if (!fromEnvironment) {
            auto* secrets = new SecretStore(&window);
            secrets->readCredentials([&controller, &window](Result<Credentials> stored) {
                if (stored && !stored->customerIoAppApiKey.isEmpty()) {
                    controller.setCredentials(*stored);
                    window.setSessionCredentials(*stored);
                }
            });
        }
        // Not connected yet: the guided set-up, with "try the sandbox" as a way out.
        QObject::connect(&controller, &SyncController::opened, &window,
                         [&window] { window.startFirstRunIfNeeded(); });
        // The demo takes this console's place: one window, never two side by side.
        QObject::connect(&window, &MainWindow::sandboxRequested, &window, [&window] {
            if (QProcess::startDetached(QCoreApplication::applicationFilePath(),
                                        {QStringLiteral("--demo")})) {
                window.close();
                QApplication::quit();
                return;
            }
            QMessageBox::warning(
                &window, QCoreApplication::translate("lockstep::console", "Sandbox"),
                QCoreApplication::translate("lockstep::console", "The demo could not be started."));
        });
    }
    // Once the history is in (the demo) or the first sync is over: the pictures.
    auto takeScreenshots = [&window, dir = parser.value(shotOpt)] {
        // Let the refreshed models reach the views before taking pictures.
        QTimer::singleShot(500, &window, [&window, dir] {
            QDir().mkpath(dir);
            const QStringList files =
                saveScreenshots(window, dir) + saveTrustScreenshots(window, dir) +
                saveAdvisorScreenshot(window, dir) + saveDoctorScreenshot(window, dir) +
                saveSafetyScreenshots(window, dir);
            QTextStream(stdout) << files.join(QLatin1Char('\n')) << "\n";
            QApplication::exit(files.isEmpty() ? 1 : 0);
        });
    };
    QElapsedTimer replay;
    if (history) {
        QObject::connect(&controller, &SyncController::opened, history.get(),
                         [&history, &controller, &replay] {
                             replay.start();
                             history->start(&controller);
                         });
        QObject::connect(history.get(), &DemoHistory::progress, &window,
                         &MainWindow::setHistoryProgress);
        QObject::connect(history.get(), &DemoHistory::finished, &window,
                         [&, takeScreenshots](const QString& error) {
                             context.limits()->setLimit(
                                 QString::fromLatin1(CustomerIoClient::kLimitKey),
                                 HostLimit{customerIoPerSecond, 1, 0, 0}, context.clock()->nowMs());
                             if (!error.isEmpty())
                                 window.showError(error);
                             // The figure docs/BENCH.md quotes (bench/demo/run-demo-history.sh).
                             QTextStream(stderr)
                                 << QStringLiteral("lockstep: demo history: %1 days in %2 s\n")
                                        .arg(history->days())
                                        .arg(double(replay.elapsed()) / 1000.0, 0, 'f', 1);
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
