// Sends one message to one channel and says how the receiver answered. Webhooks (Slack,
// Teams, generic) go through the access manager it is given (the EngineContext's network
// factory, so tests can fake it); e-mail goes through libcurl on a pool thread. Never
// blocks its caller's thread: the answer comes back as a callback in it.
#pragma once

#include "channelsecrets.h"
#include "health/notificationchannel.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace lockstep {

struct SendOutcome
{
    bool ok = false;
    bool retryable = false;
    int status = 0; // HTTP status or SMTP reply code; 0: no answer
    std::optional<qint64> retryAfterMs;
    QString answer; // the receiver's words (a body excerpt) or why nothing came back
};

// What a channel of this kind sends for `event` (the outbox's JSON), as the bytes of the
// request body (e-mail: the message); and whether the channel is complete enough to send.
QByteArray channelBody(const NotificationChannel& channel, const QJsonObject& event);
Status checkChannel(const NotificationChannel& channel, const ChannelSecrets& secrets);
// The channel's own recipients, and the mapping's health monitor when the channel asks
// for it and the monitor is an address.
QStringList mailRecipients(const NotificationChannel& channel, const QJsonObject& event);

class ChannelSender : public QObject
{
    Q_OBJECT
public:
    ChannelSender(QNetworkAccessManager* network, int timeoutMs, QString smtpCaFile = {},
                  QObject* parent = nullptr);
    ~ChannelSender() override;

    using Done = std::function<void(const SendOutcome&)>;
    void send(const NotificationChannel& channel, const ChannelSecrets& secrets,
              const QJsonObject& event, qint64 nowMs, Done done);
    // Aborts every request in flight (their callbacks still run, with a failure).
    void abortAll();

private:
    void sendWebhook(const NotificationChannel& channel, const ChannelSecrets& secrets,
                     const QJsonObject& event, qint64 nowMs, Done done);
    void sendMail(const NotificationChannel& channel, const ChannelSecrets& secrets,
                  const QJsonObject& event, qint64 nowMs, Done done);

    QPointer<QNetworkAccessManager> m_network;
    int m_timeoutMs;
    QString m_smtpCaFile;
    // Mail is sent on pool threads that may finish after this object is gone.
    struct Guard
    {
        QMutex mutex;
        ChannelSender* target = nullptr;
    };
    std::shared_ptr<Guard> m_guard;
};

} // namespace lockstep
