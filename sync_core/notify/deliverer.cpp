#include "deliverer.h"

#include "api/backoff.h"
#include "health/notificationchannel.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QUuid>

Q_LOGGING_CATEGORY(lcNotify, "lockstep.notify")

namespace lockstep {

NotificationDeliverer::NotificationDeliverer(QString location, NetworkFactory network,
                                             const Clock* clock, NotifyOptions options,
                                             std::shared_ptr<SecretBook> secrets)
    : m_location(std::move(location)), m_networkFactory(std::move(network)),
      m_clock(clock ? clock : Clock::system()), m_options(options),
      m_secrets(secrets ? std::move(secrets) : std::make_shared<SecretBook>()),
      m_owner(QStringLiteral("%1:%2:%3")
                  .arg(QHostInfo::localHostName(),
                       QString::number(QCoreApplication::applicationPid()),
                       QUuid::createUuid().toString(QUuid::Id128).left(8)))
{}

NotificationDeliverer::~NotificationDeliverer() = default;

void NotificationDeliverer::open()
{
    m_network = m_networkFactory ? m_networkFactory(this) : new QNetworkAccessManager(this);
    m_sender = new ChannelSender(m_network, m_options.requestTimeoutMs, m_options.smtpCaFile, this);
    m_timer = new QTimer(this);
    m_timer->setInterval(m_options.pollMs);
    connect(m_timer, &QTimer::timeout, this, &NotificationDeliverer::poll);
    m_timer->start();
    poll();
}

QList<NotificationChannel> NotificationDeliverer::deliverableChannels(QList<qint64>* ids)
{
    QList<NotificationChannel> out;
    auto channels = ChannelRepository(*m_ws).list();
    if (!channels) {
        qCWarning(lcNotify) << "cannot read the channels:" << channels.error().message;
        Q_EMIT failed(channels.error());
        return out;
    }
    for (const NotificationChannel& c : *channels) {
        // A process without a channel's secrets leaves its messages to one that has them.
        if (auto s = m_secrets->find(c.id, c.key); s && checkChannel(c, *s)) {
            out << c;
            ids->append(c.id);
        }
    }
    return out;
}

void NotificationDeliverer::poll()
{
    if (!m_sender)
        return;
    if (m_inFlight > 0) {
        m_again = true;
        return;
    }
    if (!m_ws) {
        auto ws = Workspace::open(m_location);
        if (!ws) {
            if (!m_warned)
                qCWarning(lcNotify)
                    << "cannot open the workspace to deliver alerts:" << ws.error().message;
            m_warned = true;
            checkDrain();
            return;
        }
        m_ws = std::move(*ws);
        m_warned = false;
    }
    QList<qint64> ids;
    const QList<NotificationChannel> channels = deliverableChannels(&ids);
    const qint64 now = m_clock->nowMs();
    auto claimed = AlertOutbox(*m_ws).claim(m_owner, ids, now, m_options.leaseMs, m_options.batch);
    if (!claimed) {
        qCWarning(lcNotify) << "cannot read the alert outbox:" << claimed.error().message;
        // A broken connection (a restarted server) is opened again next time.
        m_ws.reset();
        checkDrain();
        return;
    }
    for (const OutboxDelivery& d : std::as_const(*claimed)) {
        const auto channel =
            std::find_if(channels.begin(), channels.end(),
                         [&](const NotificationChannel& c) { return c.id == d.channelId; });
        if (channel == channels.end())
            continue; // removed meanwhile: its lease runs out, the next poll skips it
        auto secrets = m_secrets->find(d.channelId, channel->key);
        if (!secrets)
            continue; // removed meanwhile: its lease runs out, the next poll skips it
        if (now - d.createdAtMs > m_options.giveUpMs) {
            (void)AlertOutbox(*m_ws).failed(
                d.id, d.lastStatus,
                QStringLiteral("gave up: not delivered within %1 s (last answer: %2)")
                    .arg(m_options.giveUpMs / 1000)
                    .arg(d.lastError.isEmpty() ? QStringLiteral("none") : d.lastError),
                now);
            continue;
        }
        deliver(d, *channel, *secrets);
    }
    if (m_inFlight == 0)
        checkDrain();
}

void NotificationDeliverer::deliver(const OutboxDelivery& d, const NotificationChannel& channel,
                                    const ChannelSecrets& secrets)
{
    ++m_inFlight;
    m_sender->send(channel, secrets, d.payload, m_clock->nowMs(),
                   [this, d](const SendOutcome& o) { settle(d, o); });
}

void NotificationDeliverer::settle(const OutboxDelivery& d, const SendOutcome& o)
{
    --m_inFlight;
    const qint64 now = m_clock->nowMs();
    OutboxDelivery after = d;
    after.lastStatus = o.status;
    after.lastError = o.answer;
    if (m_ws) {
        AlertOutbox outbox(*m_ws);
        Status st;
        if (o.ok) {
            after.state = QStringLiteral("delivered");
            st = outbox.delivered(d.id, o.status, o.answer, now);
        } else if (!o.retryable) {
            after.state = QStringLiteral("failed");
            st = outbox.failed(d.id, o.status, o.answer, now);
            qCWarning(lcNotify).noquote()
                << QStringLiteral("alert message %1 to channel %2 refused: %3")
                       .arg(d.eventId, QString::number(d.channelId), o.answer);
        } else {
            RetryPolicy p;
            p.baseDelayMs = m_options.backoffBaseMs;
            p.maxDelayMs = m_options.backoffMaxMs;
            p.jitterMinMs = 0;
            p.jitterMaxMs = qMax(1, m_options.backoffBaseMs / 5);
            const qint64 wait = backoffDelayMs(p, d.attempts + 1, o.retryAfterMs,
                                               QRandomGenerator::global()->generateDouble());
            after.nextAttemptAtMs = now + wait;
            if (after.nextAttemptAtMs - d.createdAtMs > m_options.giveUpMs) {
                after.state = QStringLiteral("failed");
                st = outbox.failed(
                    d.id, o.status,
                    QStringLiteral("gave up after %1 attempts: %2").arg(d.attempts).arg(o.answer),
                    now);
            } else {
                after.state = QStringLiteral("pending");
                st = outbox.retryLater(d.id, m_owner, o.status, o.answer, after.nextAttemptAtMs);
            }
            qCInfo(lcNotify).noquote()
                << QStringLiteral("alert message %1 to channel %2 not delivered (%3), next "
                                  "attempt in %4 ms")
                       .arg(d.eventId, QString::number(d.channelId), o.answer,
                            QString::number(wait));
        }
        if (!st) {
            qCWarning(lcNotify) << "cannot record a delivery:" << st.error().message;
            m_ws.reset();
        }
    }
    Q_EMIT recorded(after);
    if (m_inFlight == 0) {
        // The batch is done: a full one may have left more behind.
        m_again = false;
        QMetaObject::invokeMethod(this, &NotificationDeliverer::poll, Qt::QueuedConnection);
    }
}

void NotificationDeliverer::drain(qint64 sinceMs, qint64 deadlineMs)
{
    m_drainSince = sinceMs;
    m_drainDeadline = deadlineMs;
    poll();
}

void NotificationDeliverer::checkDrain()
{
    if (m_drainSince < 0)
        return;
    int left = 0;
    if (m_ws) {
        QList<qint64> ids;
        deliverableChannels(&ids);
        auto pending = AlertOutbox(*m_ws).pending(ids, m_drainSince);
        left = pending ? *pending : 1;
    } else {
        left = 1;
    }
    if (left == 0 || m_clock->nowMs() >= m_drainDeadline) {
        m_drainSince = -1;
        Q_EMIT drained(left);
    } else if (m_timer) {
        // Waiting on a backoff: look again soon rather than at the next poll.
        QTimer::singleShot(qMin(250, m_options.pollMs), this, &NotificationDeliverer::poll);
    }
}

void NotificationDeliverer::testChannel(qint64 requestId, qint64 channelId)
{
    auto fail = [&](const QString& why) { Q_EMIT testAnswered(requestId, false, 0, why); };
    if (!m_ws) {
        auto ws = Workspace::open(m_location);
        if (!ws)
            return fail(ws.error().message);
        m_ws = std::move(*ws);
    }
    auto channel = ChannelRepository(*m_ws).get(channelId);
    if (!channel)
        return fail(channel.error().message);
    auto secrets = m_secrets->find(channelId, channel->key);
    if (!secrets && channel->kind != ChannelKind::Email)
        return fail(QStringLiteral("this process holds no secrets for channel %1: set %2 or "
                                   "store them in the keychain")
                        .arg(channelId)
                        .arg(ChannelSecrets::variablesFor(channelId, channel->key, "URL")));
    const qint64 now = m_clock->nowMs();
    const QString eventId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    Alert a;
    a.rule = QStringLiteral("test");
    a.severity = AlertSeverity::Info;
    a.message = QStringLiteral("Lockstep can reach this channel. Alerts of severity %1 will "
                               "arrive here.")
                    .arg(severitiesText(channel->severities));
    const QJsonObject event =
        alertEventJson(eventId, AlertChange::Test, a, nullptr, AlertSubject{}, now);
    const NotificationChannel c = *channel;
    m_sender->send(c, secrets.value_or(ChannelSecrets{}), event, now,
                   [this, requestId, c, eventId, event](const SendOutcome& o) {
                       if (m_ws)
                           (void)AlertOutbox(*m_ws).recordTest(c.id, eventId, event, o.ok, o.status,
                                                               o.answer, m_clock->nowMs());
                       Q_EMIT testAnswered(requestId, o.ok, o.status, o.answer);
                   });
}

void NotificationDeliverer::listChannels(qint64 requestId, int deliveriesPerChannel)
{
    QList<NotificationChannel> channels;
    QList<OutboxDelivery> deliveries;
    if (!m_ws) {
        if (auto ws = Workspace::open(m_location))
            m_ws = std::move(*ws);
    }
    if (m_ws) {
        if (auto list = ChannelRepository(*m_ws).list()) {
            channels = *list;
            for (const NotificationChannel& c : std::as_const(channels))
                if (auto recent = AlertOutbox(*m_ws).recent(c.id, deliveriesPerChannel))
                    deliveries += *recent;
        }
    }
    Q_EMIT channelsListed(requestId, channels, deliveries);
}

void NotificationDeliverer::saveChannel(qint64 requestId, const NotificationChannel& channel)
{
    if (!m_ws) {
        auto ws = Workspace::open(m_location);
        if (!ws)
            return Q_EMIT channelSaved(requestId, 0, ws.error().message);
        m_ws = std::move(*ws);
    }
    ChannelRepository channels(*m_ws);
    if (channel.id == 0) {
        auto id = channels.add(channel);
        Q_EMIT channelSaved(requestId, id ? *id : 0, id ? QString() : id.error().message);
        return;
    }
    const Status st = channels.update(channel);
    Q_EMIT channelSaved(requestId, st ? channel.id : 0, st ? QString() : st.error().message);
}

void NotificationDeliverer::removeChannel(qint64 requestId, qint64 channelId)
{
    if (!m_ws) {
        auto ws = Workspace::open(m_location);
        if (!ws)
            return Q_EMIT channelSaved(requestId, 0, ws.error().message);
        m_ws = std::move(*ws);
    }
    const Status st = ChannelRepository(*m_ws).remove(channelId);
    Q_EMIT channelSaved(requestId, st ? channelId : 0, st ? QString() : st.error().message);
}

void NotificationDeliverer::shutdown()
{
    if (m_timer)
        m_timer->stop();
    if (m_sender)
        m_sender->abortAll();
    m_ws.reset();
}

} // namespace lockstep
