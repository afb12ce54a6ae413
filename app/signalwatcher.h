// Turns SIGTERM, SIGINT and SIGHUP into a Qt signal on the event loop, so a front end
// that is told to stop (systemd, a session logout, Ctrl-C) unwinds normally: destructors
// run, child processes are stopped, batches in flight are recorded.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace lockstep {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    // One per process; watches the signals from construction until destruction, then
    // restores their default actions.
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

    bool isWatching() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void received(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace lockstep
