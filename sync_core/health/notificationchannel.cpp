#include "notificationchannel.h"

#include "store/workspace.h"

#include <QDateTime>
#include <QVariant>

namespace lockstep {

namespace {

const char* kColumns = "id, kind, name, severities, mapping_ids, target, smtp_url, mail_from, "
                       "mail_to, header_names, created_at, mail_monitor";

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

} // namespace

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

Result<qint64> ChannelRepository::add(const NotificationChannel& c)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO notify_channels (kind, name, severities, mapping_ids, target, smtp_url, "
        "mail_from, mail_to, header_names, mail_monitor, created_at) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?)"));
    bindFields(q, c);
    q.addBindValue(c.createdAtMs ? c.createdAtMs : QDateTime::currentMSecsSinceEpoch());
    if (auto st = Workspace::exec(q, "cannot add the notification channel"); !st)
        return st.error();
    const QVariant id = q.lastInsertId();
    if (id.isValid())
        return id.toLongLong();
    QSqlQuery back = m_ws.query(QStringLiteral("SELECT MAX(id) FROM notify_channels"));
    if (auto st = Workspace::exec(back, "cannot read the channel id"); !st)
        return st.error();
    back.next();
    return back.value(0).toLongLong();
}

Status ChannelRepository::update(const NotificationChannel& c)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE notify_channels SET kind=?, name=?, severities=?, mapping_ids=?, target=?, "
        "smtp_url=?, mail_from=?, mail_to=?, header_names=?, mail_monitor=? WHERE id=? AND "
        "deleted=0"));
    bindFields(q, c);
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
