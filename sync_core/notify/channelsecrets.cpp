#include "channelsecrets.h"

#include "health/notificationchannel.h"
#include "util/redaction.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QUrl>
#include <QUrlQuery>

namespace lockstep {

QStringList ChannelSecrets::secrets() const
{
    QStringList out;
    if (!url.isEmpty()) {
        out << url;
        // A log line may show the URL cut at its host: its path (Slack's token) stays secret.
        const QUrl u(url);
        const QString tail =
            u.path(QUrl::FullyEncoded) +
            (u.hasQuery() ? QLatin1Char('?') + u.query(QUrl::FullyEncoded) : QString());
        if (tail.size() > 8)
            out << tail;
        if (u.hasQuery() && u.query().size() > 8)
            out << u.query(QUrl::FullyEncoded);
        // A receiver's error may quote one part alone (Slack's last segment is the token,
        // Teams' is the sig parameter). Short words (services, workflows, triggers) are not
        // secret and would redact ordinary text.
        for (const QString& part : u.path().split(QLatin1Char('/'), Qt::SkipEmptyParts))
            if (part.size() >= 10)
                out << part;
        for (const auto& item : QUrlQuery(u).queryItems(QUrl::FullyDecoded))
            if (item.second.size() >= 10)
                out << item.second;
    }
    if (!hmacSecret.isEmpty())
        out << hmacSecret;
    for (const auto& h : headers)
        if (h.second.size() >= 4)
            out << h.second;
    if (!smtpPassword.isEmpty())
        out << smtpPassword;
    return out;
}

QByteArray ChannelSecrets::toJson() const
{
    QJsonObject o;
    if (!url.isEmpty())
        o.insert(QStringLiteral("url"), url);
    if (!hmacSecret.isEmpty())
        o.insert(QStringLiteral("hmac_secret"), hmacSecret);
    if (!headers.isEmpty()) {
        QJsonObject h;
        for (const auto& [name, value] : headers)
            h.insert(name, value);
        o.insert(QStringLiteral("headers"), h);
    }
    if (!smtpPassword.isEmpty())
        o.insert(QStringLiteral("smtp_password"), smtpPassword);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

namespace {
QList<std::pair<QString, QString>> headersFrom(const QJsonObject& o)
{
    QList<std::pair<QString, QString>> out;
    for (auto it = o.begin(); it != o.end(); ++it)
        out.append({it.key(), it.value().toString()});
    return out;
}
} // namespace

std::optional<ChannelSecrets> ChannelSecrets::fromJson(const QByteArray& json)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    ChannelSecrets s;
    s.url = o.value(QStringLiteral("url")).toString();
    s.hmacSecret = o.value(QStringLiteral("hmac_secret")).toString();
    s.headers = headersFrom(o.value(QStringLiteral("headers")).toObject());
    s.smtpPassword = o.value(QStringLiteral("smtp_password")).toString();
    return s;
}

QString ChannelSecrets::variablePrefix(qint64 channelId)
{
    return QStringLiteral("LOCKSTEP_NOTIFY_%1_").arg(channelId);
}

QString ChannelSecrets::variablePrefix(const QString& channelKey)
{
    return QStringLiteral("LOCKSTEP_NOTIFY_%1_").arg(channelKeyVariable(channelKey));
}

QString ChannelSecrets::variablesFor(qint64 channelId, const QString& channelKey,
                                     const char* suffix)
{
    const QString byId = variablePrefix(channelId) + QLatin1String(suffix);
    if (channelKey.isEmpty())
        return byId;
    return QStringLiteral("%1 (or %2)")
        .arg(variablePrefix(channelKey) + QLatin1String(suffix), byId);
}

namespace {

const char* const kSuffixes[] = {"URL", "HMAC_SECRET", "HEADERS", "SMTP_PASSWORD"};

std::optional<ChannelSecrets> fromPrefix(const QString& prefix)
{
    auto var = [&](const char* name) {
        return qEnvironmentVariable(qPrintable(prefix + QLatin1String(name)));
    };
    ChannelSecrets s;
    s.url = var("URL");
    s.hmacSecret = var("HMAC_SECRET");
    s.smtpPassword = var("SMTP_PASSWORD");
    const QString headers = var("HEADERS");
    if (!headers.isEmpty())
        s.headers = headersFrom(QJsonDocument::fromJson(headers.toUtf8()).object());
    if (s.isEmpty())
        return std::nullopt;
    return s;
}

} // namespace

std::optional<ChannelSecrets> ChannelSecrets::fromEnvironment(qint64 channelId,
                                                              const QString& channelKey)
{
    if (channelId > 0)
        if (auto byId = fromPrefix(variablePrefix(channelId)))
            return byId;
    if (!channelKey.isEmpty() && checkChannelKey(channelKey).isEmpty())
        return fromPrefix(variablePrefix(channelKey));
    return std::nullopt;
}

QStringList ChannelSecrets::allInEnvironment()
{
    QStringList out;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& name : env.keys()) {
        if (!name.startsWith(QLatin1String("LOCKSTEP_NOTIFY_")))
            continue;
        for (const char* suffix : kSuffixes) {
            if (!name.endsWith(QLatin1Char('_') + QLatin1String(suffix)))
                continue;
            const QString value = env.value(name);
            if (QLatin1String(suffix) == QLatin1String("HEADERS")) {
                ChannelSecrets s;
                s.headers = headersFrom(QJsonDocument::fromJson(value.toUtf8()).object());
                out += s.secrets();
            } else if (QLatin1String(suffix) == QLatin1String("URL")) {
                ChannelSecrets s;
                s.url = value;
                out += s.secrets();
            } else if (!value.isEmpty()) {
                out << value;
            }
            break;
        }
    }
    return out;
}

std::optional<ChannelSecrets> SecretBook::find(qint64 channelId, const QString& channelKey) const
{
    if (auto env = ChannelSecrets::fromEnvironment(channelId, channelKey)) {
        registerSecrets(env->secrets());
        return env;
    }
    QMutexLocker lock(&m_mutex);
    const auto it = m_stored.find(channelId);
    if (it == m_stored.end())
        return std::nullopt;
    return it->second;
}

void SecretBook::put(qint64 channelId, const ChannelSecrets& secrets)
{
    registerSecrets(secrets.secrets());
    QMutexLocker lock(&m_mutex);
    m_stored[channelId] = secrets;
}

void SecretBook::forget(qint64 channelId)
{
    QMutexLocker lock(&m_mutex);
    m_stored.erase(channelId);
}

QString channelSecretKey(qint64 channelId)
{
    return QStringLiteral("notify/%1").arg(channelId);
}

} // namespace lockstep
