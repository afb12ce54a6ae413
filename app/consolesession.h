// The console's one window and what it runs on: the engine context, the controller and,
// for the demo, its sandbox, clock and history. "Try the sandbox" replaces them all in
// place, so the process never shows two main windows (nor holds two engine contexts).
#pragma once

#include "api/credentials.h"
#include "engine/enginecontext.h"
#include "util/result.h"

#include <QObject>
#include <QString>

#include <memory>

namespace lockstep {

class DemoHistory;
class DemoSession;
class MainWindow;
class Notifier;
class SimulatedClock;
class SyncController;

class ConsoleSession : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString workspace; // the workspace file; for the demo, a new file or empty
        Credentials credentials;
        EngineContext::Setup setup;
        bool demo = false; // a fresh demo workspace on its own sandbox, with its history
        // An operator's console: the first-run wizard and "Try the sandbox"; secrets from
        // the keychain when `keychain` and none were given.
        bool interactive = true;
        bool keychain = true;
    };

    explicit ConsoleSession(QObject* parent = nullptr);
    ~ConsoleSession() override;

    // Opens the workspace (starting the demo's sandbox first when asked) and shows its
    // window. On error nothing is shown.
    Status open(Options options);
    // The demo in this window's place: the sandbox is started, then the current window,
    // controller and context go and the demo's come up. On error the current one stays.
    Status switchToSandbox();

    MainWindow* window() const { return m_window.get(); }
    SyncController* controller() const { return m_controller.get(); }
    EngineContext* context() const { return m_context.get(); }
    // Delivers alert messages for every channel whose secrets this process holds.
    Notifier* notifier() const { return m_notifier.get(); }
    // The demo's sandbox and history (nullptr when this is not the demo).
    DemoSession* demo() const { return m_demo.get(); }
    DemoHistory* history() const { return m_history.get(); }

Q_SIGNALS:
    // A window is up: after open() and after each switch.
    void windowOpened(lockstep::MainWindow* window);
    // The demo's history is recorded (`error` empty) or stopped by an error.
    void historyFinished(const QString& error);

private:
    // Builds and shows the window on `options` (the demo's session already started).
    Status start(Options options, std::unique_ptr<DemoSession> demo);
    void close();
    void connectInteractive();

    EngineContext::Setup m_baseSetup; // as given, before the demo's changes
    Options m_options;
    // Declared in the order they are built; destroyed the other way round.
    std::unique_ptr<DemoSession> m_demo;
    std::unique_ptr<SimulatedClock> m_demoClock;
    std::unique_ptr<DemoHistory> m_history;
    std::unique_ptr<EngineContext> m_context;
    std::unique_ptr<Notifier> m_notifier;
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    bool m_switching = false;
};

} // namespace lockstep
