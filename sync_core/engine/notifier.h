// A process's alert delivery, started from its EngineContext (network factory, clock,
// notification options): a NotificationDeliverer in its own thread ("lockstep-notify"),
// so neither the GUI thread nor the engine thread ever waits for a receiver. The runner
// and the console keep one running; `lockstep sync` starts one and waits, a bounded time,
// for the messages its run produced.
#pragma once

#include "notify/channelsecrets.h"
#include "notify/deliverer.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace lockstep {

class EngineContext;

class Notifier : public QObject
{
    Q_OBJECT
public:
    Notifier(const EngineContext& context, const QString& location,
             std::shared_ptr<SecretBook> secrets = {}, QObject* parent = nullptr);
    ~Notifier() override;

    void start();
    void deliverNow();
    // drained(left) once the messages created since sinceMs are delivered (or recorded
    // failed), or after timeoutMs with the number still pending.
    void waitForDelivery(qint64 sinceMs, int timeoutMs);
    // Sends a test message to the channel; `done` runs in the caller's thread.
    void testChannel(qint64 channelId, QObject* context,
                     std::function<void(bool ok, int status, const QString& answer)> done);
    // The channels and their newest deliveries; `done` runs in the caller's thread.
    void listChannels(
        QObject* context, int deliveriesPerChannel,
        std::function<void(const QList<NotificationChannel>&, const QList<OutboxDelivery>&)> done);
    // Adds (id 0) or updates a channel, or removes one; `done` gets the id, or 0 and why.
    void saveChannel(const NotificationChannel& channel, QObject* context,
                     std::function<void(qint64 id, const QString& error)> done);
    void removeChannel(qint64 channelId, QObject* context,
                       std::function<void(qint64 id, const QString& error)> done);
    const std::shared_ptr<SecretBook>& secrets() const { return m_secrets; }

Q_SIGNALS:
    void drained(int left);
    void recorded(const lockstep::OutboxDelivery& delivery);

private:
    qint64 awaitSaved(QObject* context, std::function<void(qint64, const QString&)> done);

    const EngineContext& m_context;
    std::shared_ptr<SecretBook> m_secrets;
    QThread m_thread;
    NotificationDeliverer* m_deliverer = nullptr;
    qint64 m_nextRequest = 1;
};

} // namespace lockstep
