// Delivers the alert outbox from one process: in its own thread, with its own workspace
// connection and access manager, it claims due rows of the channels this process holds
// secrets for, sends them, and records each answer. A failed attempt is tried again with
// backoff (Retry-After honoured) until the message is older than the give-up bound; then
// it is recorded failed, with the receiver's last answer, for Settings to show.
#pragma once

#include "channelsecrets.h"
#include "channelsender.h"
#include "health/alertoutbox.h"
#include "notifyoptions.h"
#include "util/result.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace lockstep {

class Clock;
class Workspace;

class NotificationDeliverer : public QObject
{
    Q_OBJECT
public:
    using NetworkFactory = std::function<QNetworkAccessManager*(QObject*)>;

    NotificationDeliverer(QString location, NetworkFactory network, const Clock* clock,
                          NotifyOptions options, std::shared_ptr<SecretBook> secrets);
    ~NotificationDeliverer() override;

    // Who holds a lease: host, process and a random part (unique among the workspace's
    // deliverers).
    const QString& owner() const { return m_owner; }

public Q_SLOTS:
    // In the deliverer's thread: opens the workspace and starts polling.
    void open();
    // Looks for due messages now (after a sync stored new alerts).
    void poll();
    // Emits drained() once no message created at or after sinceMs is pending for the
    // channels this process can deliver, or when deadlineMs (clock time) has passed.
    void drain(qint64 sinceMs, qint64 deadlineMs);
    // "Send test message": sends a test event to the channel now, records the answer.
    void testChannel(qint64 requestId, qint64 channelId);
    // The workspace's channels and each one's newest deliveries (Settings reads them here,
    // off the GUI thread).
    void listChannels(qint64 requestId, int deliveriesPerChannel);
    // Adds (id 0) or updates a channel; removes one. Answered by channelSaved (the id, or
    // 0 and why not).
    void saveChannel(qint64 requestId, const lockstep::NotificationChannel& channel);
    void removeChannel(qint64 requestId, qint64 channelId);
    void shutdown();

Q_SIGNALS:
    void failed(const lockstep::SyncError& error);
    // A message was recorded (delivered, failed, or to be tried again).
    void recorded(const lockstep::OutboxDelivery& delivery);
    void drained(int left);
    void testAnswered(qint64 requestId, bool ok, int status, const QString& answer);
    void channelSaved(qint64 requestId, qint64 channelId, const QString& error);
    void channelsListed(qint64 requestId, const QList<lockstep::NotificationChannel>& channels,
                        const QList<lockstep::OutboxDelivery>& deliveries);

private:
    void deliver(const OutboxDelivery& d, const NotificationChannel& channel,
                 const ChannelSecrets& secrets);
    void settle(const OutboxDelivery& d, const SendOutcome& o);
    void checkDrain();
    QList<NotificationChannel> deliverableChannels(QList<qint64>* ids);

    QString m_location;
    NetworkFactory m_networkFactory;
    const Clock* m_clock;
    NotifyOptions m_options;
    std::shared_ptr<SecretBook> m_secrets;
    QString m_owner;
    std::unique_ptr<Workspace> m_ws;
    QNetworkAccessManager* m_network = nullptr;
    ChannelSender* m_sender = nullptr;
    QTimer* m_timer = nullptr;
    int m_inFlight = 0;
    bool m_again = false;
    bool m_warned = false;
    qint64 m_drainSince = -1;
    qint64 m_drainDeadline = 0;
};

} // namespace lockstep
