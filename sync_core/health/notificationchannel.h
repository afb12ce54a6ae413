// A place alerts are sent to (Slack, Teams, a webhook, e-mail) and what it subscribes to.
// Only what may be stored in the workspace and shown to every teammate: the secret parts
// (a webhook's URL, its signing secret, header values, the SMTP password) are held by each
// delivering process (notify/channelsecrets.h), never here.
#pragma once

#include "healthfinding.h"
#include "util/result.h"

#include <QList>
#include <QMetaType>
#include <QStringList>

#include <optional>

namespace lockstep {

class Workspace;

enum class ChannelKind
{
    Slack,
    Teams,
    Webhook,
    Email
};
QString channelKindName(ChannelKind k); // "slack", "teams", "webhook", "email"
std::optional<ChannelKind> parseChannelKind(const QString& s);

struct NotificationChannel
{
    qint64 id = 0;
    // The team's stable name for it: mappings files name it so, and a delivering process
    // finds its secrets under LOCKSTEP_NOTIFY_<KEY>_* too. Empty when added: `<kind>-<id>`.
    // Unique among live channels, also as the variable name it becomes.
    QString key;
    ChannelKind kind = ChannelKind::Slack;
    QString name;
    QList<AlertSeverity> severities{AlertSeverity::Critical, AlertSeverity::Warning};
    // Empty: every mapping. Ids of mappings since deleted (or 0) match nothing, so a
    // channel whose every mapping is gone receives nothing rather than everything.
    QList<qint64> mappingIds;
    // What may be shown of the destination: a webhook's scheme and host (the path holds
    // Slack's and Teams' tokens), or the SMTP server.
    QString target;
    QString smtpUrl; // smtp://host:port or smtps://host:port, with a user name at most
    QString mailFrom;
    QStringList mailTo;
    // Also mails the alert's mapping's health monitor, when that is an e-mail address.
    bool mailMonitor = false;
    QStringList headerNames; // custom headers of a webhook (their values are secret)
    qint64 createdAtMs = 0;

    // Whether a change of an alert of `severity` concerning `mappingId` goes here.
    bool wants(AlertSeverity severity, qint64 mappingId) const;
};

// What is wrong with a channel key, or empty: the rules of a mapping key (1 to 64 letters,
// digits, '.', '_' or '-', starting with a letter or a digit), and not digits alone, which
// name a channel by its id in the environment (LOCKSTEP_NOTIFY_<ID>_URL).
QString checkChannelKey(const QString& key);
// The key as environment variable names spell it: upper case, every character but a
// letter or a digit '_' ("oncall-slack" -> "ONCALL_SLACK").
QString channelKeyVariable(const QString& key);

// One address, no display name: what an SMTP envelope and a To header may carry as is.
bool isMailAddress(const QString& address);

// Parses "critical,warning,info" (any order, any subset); an error names the bad word.
Result<QList<AlertSeverity>> parseSeverities(const QString& list);
QString severitiesText(const QList<AlertSeverity>& severities);

class ChannelRepository
{
public:
    explicit ChannelRepository(Workspace& ws) : m_ws(ws) {}

    Result<QList<NotificationChannel>> list();
    Result<NotificationChannel> get(qint64 id);
    // A channel without a key gets `<kind>-<id>` (`-2`, `-3`... when that is taken).
    Result<qint64> add(const NotificationChannel& c);
    Status update(const NotificationChannel& c);
    // Refuses a key that is invalid or taken by another live channel (`except`), also one
    // that only differs in what the environment cannot tell apart ("a-b" and "A_B").
    Status checkKeyFree(const QString& key, qint64 except = 0);
    // The channel stops receiving; what was delivered to it stays in the history.
    Status remove(qint64 id);

private:
    Workspace& m_ws;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::NotificationChannel)
