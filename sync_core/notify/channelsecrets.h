// The secret parts of a notification channel: a webhook's URL (Slack's and Teams' carry
// their token in the path), the generic webhook's signing secret and header values, the
// SMTP password. Never in the workspace: the console keeps them in the keychain (entry
// "notify/<id>"), a headless process reads them from its environment:
//   LOCKSTEP_NOTIFY_<ID>_URL, LOCKSTEP_NOTIFY_<ID>_HMAC_SECRET,
//   LOCKSTEP_NOTIFY_<ID>_HEADERS (a JSON object: {"Name": "value"}),
//   LOCKSTEP_NOTIFY_<ID>_SMTP_PASSWORD,
// or the same under the channel's key (LOCKSTEP_NOTIFY_ONCALL_SLACK_URL for the key
// "oncall-slack"): a channel made from a mappings file has an id only once applied, and
// another one in each workspace, while its key is the file's.
#pragma once

#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <utility>

namespace lockstep {

struct ChannelSecrets
{
    QString url;
    QString hmacSecret;
    QList<std::pair<QString, QString>> headers;
    QString smtpPassword;

    bool isEmpty() const
    {
        return url.isEmpty() && hmacSecret.isEmpty() && headers.isEmpty() && smtpPassword.isEmpty();
    }
    // Every secret value, for redaction (the URL, its path and query on their own too).
    QStringList secrets() const;

    // The keychain's form: one JSON object.
    QByteArray toJson() const;
    static std::optional<ChannelSecrets> fromJson(const QByteArray& json);

    // The environment's form; nullopt when none of the variables is set. Those named by
    // the id win over those named by the key, as a whole (never a mix of the two).
    static QString variablePrefix(qint64 channelId);          // "LOCKSTEP_NOTIFY_3_"
    static QString variablePrefix(const QString& channelKey); // "LOCKSTEP_NOTIFY_ONCALL_SLACK_"
    static std::optional<ChannelSecrets> fromEnvironment(qint64 channelId,
                                                         const QString& channelKey = {});
    // Where a channel's secrets may come from, for messages: "LOCKSTEP_NOTIFY_ONCALL_SLACK_URL
    // (or LOCKSTEP_NOTIFY_3_URL)" for `suffix` "URL".
    static QString variablesFor(qint64 channelId, const QString& channelKey, const char* suffix);
    // Every channel secret in this process's environment, whatever channel it is for: a
    // mappings file refuses them wherever they appear.
    static QStringList allInEnvironment();
};

// The secrets a process holds, by channel id: the environment first, then what the
// console read from the keychain. Shared between the GUI thread (which fills it) and
// the deliverer's thread.
class SecretBook
{
public:
    std::optional<ChannelSecrets> find(qint64 channelId, const QString& channelKey = {}) const;
    void put(qint64 channelId, const ChannelSecrets& secrets);
    void forget(qint64 channelId);

private:
    mutable QMutex m_mutex;
    std::map<qint64, ChannelSecrets> m_stored;
};

// The secret key of the keychain entry of a channel ("notify/<id>").
QString channelSecretKey(qint64 channelId);

} // namespace lockstep
