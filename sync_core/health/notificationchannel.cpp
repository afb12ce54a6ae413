#include "notificationchannel.h"

#include "store/workspace.h"

#include <QDateTime>
#include <QUuid>
#include <QVariant>

namespace lockstep {

namespace {

const char* kColumns = "id, kind, name, severities, mapping_ids, target, smtp_url, mail_from, "
                       "mail_to, header_names, created_at, mail_monitor, channel_key";

QString joinIds(const QList<qint64>& ids)
{
    QStringList out;
    for (qint64 id : ids)
        out << QString::number(id);
    return out.join(QLatin1Char(','));
}

NotificationChannel channelFrom(const QSqlQuery& q)
{
    NotificationChannel c;
    c.id = q.value(0).toLongLong();
    c.kind = parseChannelKind(q.value(1).toString()).value_or(ChannelKind::Webhook);
    c.name = q.value(2).toString();
    if (auto severities = parseSeverities(q.value(3).toString()))
        c.severities = *severities;
    else
        c.severities.clear();
    for (const QString& s : q.value(4).toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
        c.mappingIds << s.toLongLong();
    c.target = q.value(5).toString();
    c.smtpUrl = q.value(6).toString();
    c.mailFrom = q.value(7).toString();
    c.mailTo = q.value(8).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    c.headerNames = q.value(9).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    c.createdAtMs = q.value(10).toLongLong();
    c.mailMonitor = q.value(11).toInt() != 0;
    c.key = q.value(12).toString();
    return c;
}

void bindFields(QSqlQuery& q, const NotificationChannel& c)
{
    q.addBindValue(channelKindName(c.kind));
    q.addBindValue(Workspace::text(c.name));
    q.addBindValue(Workspace::text(severitiesText(c.severities)));
    q.addBindValue(Workspace::text(joinIds(c.mappingIds)));
    q.addBindValue(Workspace::text(c.target));
    q.addBindValue(Workspace::text(c.smtpUrl));
    q.addBindValue(Workspace::text(c.mailFrom));
    q.addBindValue(Workspace::text(c.mailTo.join(QLatin1Char(','))));
    q.addBindValue(Workspace::text(c.headerNames.join(QLatin1Char('\n'))));
    q.addBindValue(c.mailMonitor ? 1 : 0);
}

SyncError invalid(const QString& message)
{
    return SyncError::make(SyncError::Category::Config, message);
}

} // namespace

QString checkChannelKey(const QString& key)
{
    if (key.isEmpty())
        return QStringLiteral("a channel key may not be empty");
    if (key.size() > 64)
        return QStringLiteral("a channel key has at most 64 characters (this one has %1)")
            .arg(key.size());
    bool digitsOnly = true;
    for (qsizetype i = 0; i < key.size(); ++i) {
        const char16_t u = key[i].unicode();
        const bool digit = u >= u'0' && u <= u'9';
        const bool alnum = digit || (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
        digitsOnly = digitsOnly && digit;
        if (alnum)
            continue;
        if (i == 0)
            return QStringLiteral("a channel key starts with a letter or a digit");
        if (u != u'.' && u != u'_' && u != u'-')
            return QStringLiteral("a channel key holds only letters, digits, '.', '_' and '-' "
                                  "(found '%1')")
                .arg(key[i]);
    }
    if (digitsOnly)
        return QStringLiteral("a channel key may not be digits alone (LOCKSTEP_NOTIFY_%1_URL "
                              "would name channel %1 by its id)")
            .arg(key);
    return {};
}

QString channelKeyVariable(const QString& key)
{
    QString out;
    out.reserve(key.size());
    for (const QChar c : key) {
        const char16_t u = c.unicode();
        const bool alnum =
            (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
        out += alnum ? c.toUpper() : QLatin1Char('_');
    }
    return out;
}

bool isMailAddress(const QString& a)
{
    const qsizetype at = a.indexOf(QLatin1Char('@'));
    if (at <= 0 || at == a.size() - 1 || a.indexOf(QLatin1Char('@'), at + 1) >= 0)
        return false;
    for (QChar ch : a)
        if (ch.isSpace() || ch == QLatin1Char('<') || ch == QLatin1Char('>') ||
            ch == QLatin1Char(',') || ch.category() == QChar::Other_Control)
            return false;
    return true;
}

QString channelKindName(ChannelKind k)
{
    switch (k) {
    case ChannelKind::Slack:
        return QStringLiteral("slack");
    case ChannelKind::Teams:
        return QStringLiteral("teams");
    case ChannelKind::Webhook:
        return QStringLiteral("webhook");
    case ChannelKind::Email:
        return QStringLiteral("email");
    }
    return {};
}

std::optional<ChannelKind> parseChannelKind(const QString& s)
{
    for (ChannelKind k :
         {ChannelKind::Slack, ChannelKind::Teams, ChannelKind::Webhook, ChannelKind::Email})
        if (channelKindName(k) == s)
            return k;
    return std::nullopt;
}

bool NotificationChannel::wants(AlertSeverity severity, qint64 mappingId) const
{
    return severities.contains(severity) &&
           (mappingIds.isEmpty() || mappingIds.contains(mappingId));
}

Result<QList<AlertSeverity>> parseSeverities(const QString& list)
{
    QList<AlertSeverity> out;
    for (const QString& raw : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString word = raw.trimmed().toLower();
        AlertSeverity s;
        if (word == QLatin1String("critical"))
            s = AlertSeverity::Critical;
        else if (word == QLatin1String("warning"))
            s = AlertSeverity::Warning;
        else if (word == QLatin1String("info"))
            s = AlertSeverity::Info;
        else
            return SyncError::make(
                SyncError::Category::Config,
                QStringLiteral("unknown severity \"%1\" (critical, warning or info)").arg(raw));
        if (!out.contains(s))
            out << s;
    }
    if (out.isEmpty())
        return SyncError::make(SyncError::Category::Config,
                               QStringLiteral("no severity given (critical, warning or info)"));
    return out;
}

QString severitiesText(const QList<AlertSeverity>& severities)
{
    QStringList out;
    // Worst first, whatever order they were given in.
    for (AlertSeverity s : {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info})
        if (severities.contains(s))
            out << alertSeverityName(s);
    return out.join(QLatin1Char(','));
}

Result<QList<NotificationChannel>> ChannelRepository::list()
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT %1 FROM notify_channels WHERE deleted=0 ORDER BY id")
                       .arg(QLatin1String(kColumns)));
    if (auto st = Workspace::exec(q, "cannot read the notification channels"); !st)
        return st.error();
    QList<NotificationChannel> out;
    while (q.next())
        out << channelFrom(q);
    return out;
}

Result<NotificationChannel> ChannelRepository::get(qint64 id)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT %1 FROM notify_channels WHERE id=? AND deleted=0")
                       .arg(QLatin1String(kColumns)));
    q.addBindValue(id);
    if (auto st = Workspace::exec(q, "cannot read the notification channel"); !st)
        return st.error();
    if (!q.next())
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("no notification channel %1").arg(id));
    return channelFrom(q);
}

Status ChannelRepository::checkKeyFree(const QString& key, qint64 except)
{
    if (const QString wrong = checkChannelKey(key); !wrong.isEmpty())
        return invalid(wrong);
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT id, channel_key FROM notify_channels WHERE deleted=0 AND id<>? ORDER BY id"));
    q.addBindValue(except);
    if (auto st = Workspace::exec(q, "cannot read the channel keys"); !st)
        return st;
    const QString variable = channelKeyVariable(key);
    while (q.next()) {
        const QString other = q.value(1).toString();
        if (other == key)
            return invalid(QStringLiteral("the key %1 is already channel %2's")
                               .arg(key, q.value(0).toString()));
        // Both would read the same LOCKSTEP_NOTIFY_<KEY>_* variables: one channel's
        // secrets would deliver the other's messages.
        if (channelKeyVariable(other) == variable)
            return invalid(QStringLiteral("the key %1 names the same environment variables "
                                          "(LOCKSTEP_NOTIFY_%2_*) as channel %3's key %4")
                               .arg(key, variable, q.value(0).toString(), other));
    }
    return {};
}

Result<qint64> ChannelRepository::add(const NotificationChannel& c)
{
    qint64 newId = 0;
    const Status st = m_ws.transaction([&]() -> Status {
        if (!c.key.isEmpty())
            if (auto st = checkKeyFree(c.key); !st)
                return st;
        QSqlQuery q = m_ws.query(QStringLiteral(
            "INSERT INTO notify_channels (kind, name, severities, mapping_ids, target, smtp_url, "
            "mail_from, mail_to, header_names, mail_monitor, created_at, channel_key) VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?,?)"));
        bindFields(q, c);
        q.addBindValue(c.createdAtMs ? c.createdAtMs : QDateTime::currentMSecsSinceEpoch());
        // Until the id is known: unique, and no key a person would choose.
        q.addBindValue(c.key.isEmpty()
                           ? QStringLiteral("~") + QUuid::createUuid().toString(QUuid::Id128)
                           : c.key);
        if (auto st = Workspace::exec(q, "cannot add the notification channel"); !st)
            return st;
        const QVariant id = q.lastInsertId();
        if (id.isValid()) {
            newId = id.toLongLong();
        } else {
            QSqlQuery back = m_ws.query(QStringLiteral("SELECT MAX(id) FROM notify_channels"));
            if (auto st = Workspace::exec(back, "cannot read the channel id"); !st)
                return st;
            back.next();
            newId = back.value(0).toLongLong();
        }
        if (!c.key.isEmpty())
            return {};
        const QString base = QStringLiteral("%1-%2").arg(channelKindName(c.kind)).arg(newId);
        QString key = base;
        for (int n = 2; !checkKeyFree(key, newId); ++n)
            key = QStringLiteral("%1-%2").arg(base).arg(n);
        QSqlQuery set =
            m_ws.query(QStringLiteral("UPDATE notify_channels SET channel_key=? WHERE id=?"));
        set.addBindValue(key);
        set.addBindValue(newId);
        return Workspace::exec(set, "cannot set the channel's key");
    });
    if (!st)
        return st.error();
    return newId;
}

Status ChannelRepository::update(const NotificationChannel& c)
{
    // No key: the one it has.
    if (!c.key.isEmpty())
        if (auto st = checkKeyFree(c.key, c.id); !st)
            return st;
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE notify_channels SET kind=?, name=?, severities=?, mapping_ids=?, target=?, "
        "smtp_url=?, mail_from=?, mail_to=?, header_names=?, mail_monitor=?, "
        "channel_key=COALESCE(NULLIF(?, ''), channel_key) WHERE id=? AND deleted=0"));
    bindFields(q, c);
    q.addBindValue(Workspace::text(c.key));
    q.addBindValue(c.id);
    if (auto st = Workspace::exec(q, "cannot update the notification channel"); !st)
        return st;
    if (q.numRowsAffected() == 0)
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("no notification channel %1").arg(c.id));
    return {};
}

Status ChannelRepository::remove(qint64 id)
{
    return m_ws.transaction([&]() -> Status {
        QSqlQuery q =
            m_ws.query(QStringLiteral("UPDATE notify_channels SET deleted=1 WHERE id=? AND "
                                      "deleted=0"));
        q.addBindValue(id);
        if (auto st = Workspace::exec(q, "cannot remove the notification channel"); !st)
            return st;
        if (q.numRowsAffected() == 0)
            return SyncError::make(SyncError::Category::NotFound,
                                   QStringLiteral("no notification channel %1").arg(id));
        // Nobody will deliver to it any more: say so rather than leave rows pending forever.
        QSqlQuery drop = m_ws.query(QStringLiteral(
            "UPDATE notify_outbox SET state='failed', last_error='the channel was removed' "
            "WHERE channel_id=? AND state='pending'"));
        drop.addBindValue(id);
        return Workspace::exec(drop, "cannot close the channel's deliveries");
    });
}

} // namespace lockstep
