#include "channelsender.h"

#include "api/backoff.h"
#include "api/endpointpolicy.h"
#include "messageformat.h"
#include "smtpmailer.h"
#include "util/redaction.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThreadPool>
#include <QUrl>

namespace lockstep {

namespace {

QString excerpt(const QByteArray& body)
{
    return redactSecrets(QString::fromUtf8(body.left(300)).simplified());
}

} // namespace

QByteArray channelBody(const NotificationChannel& channel, const QJsonObject& event)
{
    switch (channel.kind) {
    case ChannelKind::Slack:
        return QJsonDocument(slackMessage(event)).toJson(QJsonDocument::Compact);
    case ChannelKind::Teams:
        return QJsonDocument(teamsMessage(event)).toJson(QJsonDocument::Compact);
    case ChannelKind::Webhook:
        return QJsonDocument(event).toJson(QJsonDocument::Compact);
    case ChannelKind::Email:
        return emailMessage(event, channel.mailFrom, mailRecipients(channel, event),
                            QDateTime::currentMSecsSinceEpoch());
    }
    return {};
}

QStringList mailRecipients(const NotificationChannel& channel, const QJsonObject& event)
{
    QStringList to = channel.mailTo;
    if (channel.mailMonitor) {
        const QString monitor = event.value(QStringLiteral("mapping"))
                                    .toObject()
                                    .value(QStringLiteral("health_monitor"))
                                    .toString()
                                    .trimmed();
        if (isMailAddress(monitor) && !to.contains(monitor, Qt::CaseInsensitive))
            to << monitor;
    }
    return to;
}

Status checkChannel(const NotificationChannel& channel, const ChannelSecrets& secrets)
{
    using C = SyncError::Category;
    if (channel.kind == ChannelKind::Email) {
        const QUrl smtp(channel.smtpUrl);
        if (smtp.scheme() != QLatin1String("smtp") && smtp.scheme() != QLatin1String("smtps"))
            return SyncError::make(C::Config, QStringLiteral("the SMTP address must start with "
                                                             "smtp:// or smtps://"));
        if (smtp.host().isEmpty())
            return SyncError::make(C::Config, QStringLiteral("the SMTP address has no host"));
        if (channel.mailFrom.isEmpty() || (channel.mailTo.isEmpty() && !channel.mailMonitor))
            return SyncError::make(C::Config, QStringLiteral("an e-mail channel needs a sender "
                                                             "and at least one recipient"));
        for (const QString& a : channel.mailTo + QStringList{channel.mailFrom})
            if (!isMailAddress(a))
                return SyncError::make(C::Config,
                                       QStringLiteral("not an e-mail address: %1").arg(a));
        if (!smtp.userName().isEmpty() && secrets.smtpPassword.isEmpty())
            return SyncError::make(
                C::Config,
                QStringLiteral("no SMTP password for this channel: set %1 "
                               "or store it in the keychain")
                    .arg(ChannelSecrets::variablesFor(channel.id, channel.key, "SMTP_PASSWORD")));
        return {};
    }
    if (secrets.url.isEmpty())
        return SyncError::make(
            C::Config, QStringLiteral("no webhook URL for this channel: set %1 or store "
                                      "it in the keychain")
                           .arg(ChannelSecrets::variablesFor(channel.id, channel.key, "URL")));
    const QUrl url(secrets.url);
    if (!url.isValid() || url.host().isEmpty())
        return SyncError::make(C::Config, QStringLiteral("the webhook URL is not a URL"));
    // The transport rule of the services: https, or http to this machine only.
    if (auto st = checkEndpoint(url); !st)
        return st;
    if (channel.kind == ChannelKind::Webhook && secrets.hmacSecret.isEmpty())
        return SyncError::make(
            C::Config,
            QStringLiteral("no signing secret for this webhook: set %1 or "
                           "store it in the keychain")
                .arg(ChannelSecrets::variablesFor(channel.id, channel.key, "HMAC_SECRET")));
    return {};
}

ChannelSender::ChannelSender(QNetworkAccessManager* network, int timeoutMs, QString smtpCaFile,
                             QObject* parent)
    : QObject(parent), m_network(network), m_timeoutMs(timeoutMs),
      m_smtpCaFile(std::move(smtpCaFile)), m_guard(std::make_shared<Guard>())
{
    m_guard->target = this;
}

ChannelSender::~ChannelSender()
{
    QMutexLocker lock(&m_guard->mutex);
    m_guard->target = nullptr;
}

void ChannelSender::send(const NotificationChannel& channel, const ChannelSecrets& secrets,
                         const QJsonObject& event, qint64 nowMs, Done done)
{
    if (auto st = checkChannel(channel, secrets); !st) {
        SendOutcome o;
        o.answer = st.error().message;
        done(o);
        return;
    }
    if (channel.kind == ChannelKind::Email)
        sendMail(channel, secrets, event, nowMs, std::move(done));
    else
        sendWebhook(channel, secrets, event, nowMs, std::move(done));
}

void ChannelSender::sendWebhook(const NotificationChannel& channel, const ChannelSecrets& secrets,
                                const QJsonObject& event, qint64 nowMs, Done done)
{
    const QByteArray body = channelBody(channel, event);
    QNetworkRequest request{QUrl(secrets.url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Lockstep"));
    // A webhook URL is a secret: a redirect would hand the body to whoever it names.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_timeoutMs);
    if (channel.kind == ChannelKind::Webhook) {
        for (const auto& [name, value] : secrets.headers)
            request.setRawHeader(name.toUtf8(), value.toUtf8());
        request.setRawHeader("X-Lockstep-Event-Id",
                             event.value(QLatin1String("event_id")).toString().toUtf8());
        request.setRawHeader("X-Lockstep-Signature", webhookSignature(body, secrets.hmacSecret));
    }
    if (!m_network) {
        SendOutcome o;
        o.answer = QStringLiteral("no network");
        done(o);
        return;
    }
    QNetworkReply* reply = m_network->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done), nowMs] {
        reply->deleteLater();
        SendOutcome o;
        o.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = reply->readAll();
        if (o.status >= 200 && o.status < 300) {
            o.ok = true;
            o.answer = answer.isEmpty() ? QStringLiteral("HTTP %1").arg(o.status) : excerpt(answer);
        } else if (o.status > 0) {
            o.retryable = isRetryableStatus(o.status);
            o.retryAfterMs = parseRetryAfterMs(reply->rawHeader("Retry-After"), nowMs);
            o.answer = QStringLiteral("HTTP %1: %2").arg(o.status).arg(excerpt(answer));
        } else {
            // No reply: a timeout, a refused or dropped connection, TLS. Worth trying again.
            o.retryable = true;
            o.answer = reply->error() == QNetworkReply::OperationCanceledError
                           ? QStringLiteral("no answer in time")
                           : redactSecrets(reply->errorString());
        }
        done(o);
    });
}

void ChannelSender::sendMail(const NotificationChannel& channel, const ChannelSecrets& secrets,
                             const QJsonObject& event, qint64 nowMs, Done done)
{
    SmtpRequest r;
    r.url = channel.smtpUrl;
    r.password = secrets.smtpPassword;
    r.from = channel.mailFrom;
    r.to = mailRecipients(channel, event);
    if (r.to.isEmpty()) {
        // A permanent failure: nothing changes by waiting until someone names an address.
        SendOutcome o;
        o.answer = QStringLiteral("nobody to write to: the mapping's health monitor is not an "
                                  "e-mail address and the channel names no other recipient");
        done(o);
        return;
    }
    r.message = emailMessage(event, channel.mailFrom, r.to, nowMs);
    r.timeoutMs = m_timeoutMs;
    r.caFile = m_smtpCaFile;
    // libcurl blocks: a pool thread waits for the server, the answer comes back queued
    // to this object's thread, unless it is gone by then (the guard's lock decides).
    QThreadPool::globalInstance()->start([guard = m_guard, r, done = std::move(done)]() mutable {
        const SmtpResult res = lockstep::sendMail(r);
        SendOutcome o;
        o.ok = res.ok;
        o.status = res.replyCode;
        o.retryable = !res.ok && res.transient;
        o.answer = redactSecrets(res.answer);
        QMutexLocker lock(&guard->mutex);
        if (guard->target)
            QMetaObject::invokeMethod(
                guard->target, [o, done = std::move(done)] { done(o); }, Qt::QueuedConnection);
    });
}

void ChannelSender::abortAll()
{
    if (!m_network)
        return;
    for (QNetworkReply* r : m_network->findChildren<QNetworkReply*>())
        r->abort();
}

} // namespace lockstep
