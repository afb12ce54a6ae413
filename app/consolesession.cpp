#include "consolesession.h"

#include "api/customerioclient.h"
#include "demohistory.h"
#include "demosession.h"
#include "engine/notifier.h"
#include "engine/synccontroller.h"
#include "util/simulatedclock.h"

#include "mainwindow.h"
#include "secretstore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QTextStream>

#include <algorithm>

namespace lockstep {

namespace {
// Customer.io requests a second while the demo replays its history (its sandbox allows it).
constexpr double kDemoReplayPerSecond = 200;
} // namespace

ConsoleSession::ConsoleSession(QObject* parent) : QObject(parent) {}

ConsoleSession::~ConsoleSession()
{
    close();
}

Status ConsoleSession::open(Options options)
{
    std::unique_ptr<DemoSession> demo;
    if (options.demo) {
        demo = std::make_unique<DemoSession>();
        if (auto st = demo->start(options.workspace); !st)
            return st;
    }
    return start(std::move(options), std::move(demo));
}

Status ConsoleSession::start(Options options, std::unique_ptr<DemoSession> demo)
{
    m_baseSetup = options.setup;
    EngineContext::Setup setup = options.setup;
    // A person watches this process: its GUI thread gets a core before its own sync.
    setup.engineThreadNice = EngineContext::Setup::kConsoleEngineThreadNice;
    const double customerIoPerSecond = setup.options.customerIoPerSecond;
    if (demo) {
        options.workspace = demo->workspace();
        options.credentials = demo->credentials();
        demo->allowSandbox(setup.allowedHosts);
        // The demo's engine runs on a clock it can move: its history is replayed at past
        // days. The history sets the clock, so it is made before the context.
        m_demoClock = std::make_unique<SimulatedClock>();
        m_history =
            std::make_unique<DemoHistory>(m_demoClock.get(), demo->sandboxUrl(), demo->story());
        setup.clock = m_demoClock.get();
        // Months of daily syncs in seconds: the demo's own sandbox allows this rate (its
        // scenario says so); Customer.io's 10/s comes back once the history is recorded.
        setup.options.customerIoPerSecond = std::max(customerIoPerSecond, kDemoReplayPerSecond);
    }
    m_demo = std::move(demo);
    m_options = options;
    m_context = std::make_unique<EngineContext>(std::move(setup));
    // The console delivers alert messages too, for every channel whose secrets it holds
    // (the environment, or the keychain below): docs/DECISIONS.md, "Who delivers alerts".
    m_notifier = std::make_unique<Notifier>(*m_context, options.workspace);
    if (m_demo)
        for (const auto& [id, secrets] : m_demo->channelSecrets())
            m_notifier->secrets()->put(id, secrets);
    m_notifier->start();
    m_controller =
        std::make_unique<SyncController>(*m_context, options.workspace, options.credentials);
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setNotifier(m_notifier.get());
    // A sync stores new alerts: their messages go out now, not at the next poll.
    connect(m_controller.get(), &SyncController::syncFinished, m_notifier.get(),
            [notifier = m_notifier.get()] { notifier->deliverNow(); });
    m_window->setSessionCredentials(options.credentials);
    m_window->show();
    m_controller->start();

    if (m_history) {
        auto replay = std::make_shared<QElapsedTimer>();
        DemoHistory* history = m_history.get();
        SyncController* controller = m_controller.get();
        connect(controller, &SyncController::opened, history, [history, controller, replay] {
            replay->start();
            history->start(controller);
        });
        connect(history, &DemoHistory::progress, m_window.get(), &MainWindow::setHistoryProgress);
        connect(history, &DemoHistory::finished, this,
                [this, replay, customerIoPerSecond](const QString& error) {
                    m_context->limits()->setLimit(QString::fromLatin1(CustomerIoClient::kLimitKey),
                                                  HostLimit{customerIoPerSecond, 1, 0, 0},
                                                  m_context->clock()->nowMs());
                    if (!error.isEmpty())
                        m_window->showError(error);
                    // The figure docs/BENCH.md quotes (bench/demo/run-demo-history.sh).
                    QTextStream(stderr)
                        << QStringLiteral("lockstep: demo history: %1 days in %2 s\n")
                               .arg(m_history->days())
                               .arg(double(replay->elapsed()) / 1000.0, 0, 'f', 1);
                    Q_EMIT historyFinished(error);
                });
    }
    if (options.interactive)
        connectInteractive();
    Q_EMIT windowOpened(m_window.get());
    return {};
}

void ConsoleSession::connectInteractive()
{
    MainWindow* window = m_window.get();
    SyncController* controller = m_controller.get();
    // Secrets saved in the OS keychain (Settings) win over an empty environment.
    if (m_options.keychain && m_options.credentials.customerIoAppApiKey.isEmpty()) {
        auto* secrets = new SecretStore(window);
        secrets->readCredentials([controller, window](Result<Credentials> stored) {
            if (stored && !stored->customerIoAppApiKey.isEmpty()) {
                controller->setCredentials(*stored);
                window->setSessionCredentials(*stored);
            }
        });
    }
    // Channels' secrets saved in the keychain (`lockstep notify add`, Settings).
    if (m_options.keychain) {
        Notifier* notifier = m_notifier.get();
        notifier->listChannels(
            window, 0,
            [notifier, window](const QList<NotificationChannel>& channels,
                               const QList<OutboxDelivery>&) {
                auto* store = new SecretStore(window);
                auto book = notifier->secrets();
                for (const NotificationChannel& c : channels)
                    store->read(channelSecretKey(c.id), [book, id = c.id](Result<QString> stored) {
                        if (!stored)
                            return;
                        if (auto s = ChannelSecrets::fromJson(stored->toUtf8()))
                            book->put(id, *s);
                    });
                notifier->deliverNow();
            });
    }
    // Not connected yet: the guided set-up, with "try the sandbox" as a way out.
    connect(controller, &SyncController::opened, window,
            [window] { window->startFirstRunIfNeeded(); });
    // Queued: the request comes from a button of the window (or of its wizard) that the
    // switch deletes.
    connect(
        window, &MainWindow::sandboxRequested, this,
        [this] {
            if (auto st = switchToSandbox(); !st)
                QMessageBox::warning(
                    m_window.get(), tr("Sandbox"),
                    tr("The demo could not be started: %1").arg(st.error().message));
        },
        Qt::QueuedConnection);
}

Status ConsoleSession::switchToSandbox()
{
    if (m_switching || m_demo)
        return {}; // already there (or on its way)
    m_switching = true;
    // The sandbox first, while the current window still shows: if it cannot start, the
    // operator keeps what they had.
    auto demo = std::make_unique<DemoSession>();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const Status started = demo->start();
    QApplication::restoreOverrideCursor();
    if (!started) {
        m_switching = false;
        return started;
    }
    Options next = m_options;
    next.setup = m_baseSetup;
    next.demo = true;
    next.workspace.clear();
    next.credentials = {};
    next.interactive = false;
    // For a moment there is no window: that is not the operator quitting.
    const bool quitOnLast = QGuiApplication::quitOnLastWindowClosed();
    QGuiApplication::setQuitOnLastWindowClosed(false);
    close();
    const Status opened = start(std::move(next), std::move(demo));
    QGuiApplication::setQuitOnLastWindowClosed(quitOnLast);
    m_switching = false;
    return opened;
}

void ConsoleSession::close()
{
    if (m_window) {
        m_window->saveLayout();
        m_window.reset();
    }
    m_history.reset();
    m_controller.reset(); // stops the engine's thread
    m_notifier.reset();   // stops its thread, before the context it was given
    m_context.reset();
    m_demoClock.reset(); // after the context that reads it
    m_demo.reset();      // stops the demo's sandbox
}

} // namespace lockstep
