#include "alertoutbox.h"

#include "notificationchannel.h"
#include "store/workspace.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QUuid>
#include <QVariant>

namespace lockstep {

namespace {

const char* kColumns = "id, event_id, channel_id, alert_id, change, payload, state, attempts, "
                       "created_at, next_attempt_at, last_status, last_error, finished_at";

OutboxDelivery deliveryFrom(const QSqlQuery& q)
{
    OutboxDelivery d;
    d.id = q.value(0).toLongLong();
    d.eventId = q.value(1).toString();
    d.channelId = q.value(2).toLongLong();
    d.alertId = q.value(3).toLongLong();
    d.change = q.value(4).toString();
    d.payload = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
    d.state = q.value(6).toString();
    d.attempts = q.value(7).toInt();
    d.createdAtMs = q.value(8).toLongLong();
    d.nextAttemptAtMs = q.value(9).toLongLong();
    d.lastStatus = q.value(10).toInt();
    d.lastError = q.value(11).toString();
    d.finishedAtMs = q.value(12).toLongLong();
    return d;
}

QString isoTime(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

QJsonValue timeOrNull(qint64 ms)
{
    return ms ? QJsonValue(isoTime(ms)) : QJsonValue(QJsonValue::Null);
}

QString placeholders(qsizetype n)
{
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << QStringLiteral("?");
    return marks.join(QLatin1Char(','));
}

Result<AlertSubject> subjectOf(Workspace& ws, qint64 mappingId)
{
    AlertSubject s;
    s.mappingId = mappingId;
    QSqlQuery q = ws.query(QStringLiteral(
        "SELECT cohort_name, segment_id, segment_name, owner, health_monitor FROM mappings "
        "WHERE id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the alert's mapping"); !st)
        return st.error();
    if (q.next()) {
        s.cohortName = q.value(0).toString();
        s.segmentId = q.value(1).toLongLong();
        s.segmentName = q.value(2).toString();
        s.owner = q.value(3).toString();
        s.healthMonitor = q.value(4).toString();
    }
    return s;
}

} // namespace

QString alertChangeName(AlertChange c)
{
    switch (c) {
    case AlertChange::Opened:
        return QStringLiteral("opened");
    case AlertChange::Raised:
        return QStringLiteral("raised");
    case AlertChange::Resolved:
        return QStringLiteral("resolved");
    case AlertChange::Acknowledged:
        return QStringLiteral("acknowledged");
    case AlertChange::Test:
        return QStringLiteral("test");
    }
    return {};
}

QString whatToDo(const QString& r, AlertChange change)
{
    if (change == AlertChange::Resolved)
        return QStringLiteral("Nothing: the condition cleared. Check the trend if it comes back.");
    if (change == AlertChange::Test)
        return QStringLiteral("Nothing: this is a test message from Lockstep.");
    if (change == AlertChange::Acknowledged)
        return QStringLiteral("Nothing, unless you were about to look into it: someone is on it. "
                              "A recovery message follows when it clears.");
    if (r == QLatin1String(rule::kSizeCollapse))
        return QStringLiteral("Check that the events defining the segment still arrive in "
                              "Customer.io, then the segment's definition.");
    if (r == QLatin1String(rule::kWeekOverWeek))
        return QStringLiteral("Compare the segment with last week's: a campaign, a data import "
                              "or a changed definition?");
    if (r == QLatin1String(rule::kChurn))
        return QStringLiteral("Look at who enters and leaves: a time window that is too short "
                              "or an attribute that flaps.");
    if (r == QLatin1String(rule::kStaleSync))
        return QStringLiteral("Check the runner (`lockstep status`, its log) and the last run's "
                              "error.");
    if (r == QLatin1String(rule::kSegmentNotReady))
        return QStringLiteral("Open the segment in Customer.io: it has been building for longer "
                              "than expected.");
    if (r == QLatin1String(rule::kDrift))
        return QStringLiteral("Compare the Mixpanel cohort's definition with the one Lockstep "
                              "shows; run a full resync if it matches.");
    if (r == QLatin1String(rule::kMatchRate))
        return QStringLiteral("Open Identity in the console: members lack the identifier this "
                              "mapping sends.");
    if (r == QLatin1String(rule::kUnknownProfiles))
        return QStringLiteral("Check which identifier Mixpanel uses for these people and key "
                              "the mapping by it.");
    if (r == QLatin1String(rule::kDefinitionChanged))
        return QStringLiteral("Version the cohort so trend lines before and after the change "
                              "are not mixed.");
    if (r == QLatin1String(rule::kWatchedOverlap))
        return QStringLiteral("People are in two cohorts that must stay apart: check the "
                              "suppression rules of both segments.");
    return QStringLiteral("Open the mapping's health in the Lockstep console.");
}

QJsonObject alertEventJson(const QString& eventId, AlertChange change, const Alert& now,
                           const Alert* before, const AlertSubject& subject, qint64 atMs)
{
    QJsonObject alert{
        {QStringLiteral("id"), now.id},
        {QStringLiteral("rule"), now.rule},
        {QStringLiteral("subject"), now.subject},
        {QStringLiteral("severity"), alertSeverityName(now.severity)},
        {QStringLiteral("previous_severity"),
         before ? QJsonValue(alertSeverityName(before->severity)) : QJsonValue()},
        {QStringLiteral("message"), now.message},
        {QStringLiteral("value"), now.value},
        {QStringLiteral("previous_value"), before ? QJsonValue(before->value) : QJsonValue()},
        {QStringLiteral("first_seen_at"), timeOrNull(now.firstSeenMs)},
        {QStringLiteral("resolved_at"), timeOrNull(now.resolvedAtMs)},
        {QStringLiteral("acknowledged_at"), timeOrNull(now.acknowledgedAtMs)},
        {QStringLiteral("acknowledged_by"), now.acknowledgedBy},
    };
    QJsonObject mapping{
        {QStringLiteral("id"), subject.mappingId},
        {QStringLiteral("cohort"), subject.cohortName},
        {QStringLiteral("segment_id"), subject.segmentId},
        {QStringLiteral("segment_name"), subject.segmentName},
        {QStringLiteral("owner"), subject.owner},
        {QStringLiteral("health_monitor"), subject.healthMonitor},
    };
    return QJsonObject{
        {QStringLiteral("schema"), QStringLiteral("lockstep.alert.v1")},
        {QStringLiteral("event_id"), eventId},
        {QStringLiteral("event"), alertChangeName(change)},
        {QStringLiteral("occurred_at"), isoTime(atMs)},
        {QStringLiteral("alert"), alert},
        {QStringLiteral("mapping"), mapping},
        {QStringLiteral("what_to_do"), whatToDo(now.rule, change)},
    };
}

Status AlertOutbox::enqueue(AlertChange change, const Alert& now, const Alert* before, qint64 atMs)
{
    auto channels = ChannelRepository(m_ws).list();
    if (!channels)
        return channels.error();
    QList<NotificationChannel> wanting;
    for (const NotificationChannel& c : *channels)
        if (c.wants(now.severity, now.mappingId) ||
            // A recovery goes where the alert went, whatever it was at its worst.
            (before && c.wants(before->severity, now.mappingId)))
            wanting << c;
    if (wanting.isEmpty())
        return {};
    auto subject = subjectOf(m_ws, now.mappingId);
    if (!subject)
        return subject.error();
    // One id for the change, the same on every attempt and every channel.
    const QString eventId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray payload =
        QJsonDocument(alertEventJson(eventId, change, now, before, *subject, atMs))
            .toJson(QJsonDocument::Compact);
    for (const NotificationChannel& c : std::as_const(wanting)) {
        QSqlQuery q = m_ws.query(QStringLiteral(
            "INSERT INTO notify_outbox (event_id, channel_id, alert_id, mapping_id, change, "
            "payload, created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?)"));
        q.addBindValue(eventId);
        q.addBindValue(c.id);
        q.addBindValue(now.id);
        q.addBindValue(now.mappingId);
        q.addBindValue(alertChangeName(change));
        q.addBindValue(QString::fromUtf8(payload));
        q.addBindValue(atMs);
        q.addBindValue(atMs);
        if (auto st = Workspace::exec(q, "cannot queue the alert's notification"); !st)
            return st;
    }
    return {};
}

Result<QList<OutboxDelivery>> AlertOutbox::claim(const QString& owner,
                                                 const QList<qint64>& channelIds, qint64 nowMs,
                                                 qint64 leaseMs, int limit)
{
    QList<OutboxDelivery> out;
    if (channelIds.isEmpty() || limit <= 0)
        return out;
    Status st = m_ws.writeTransaction([&]() -> Status {
        // PostgreSQL: rows another deliverer is claiming right now are skipped, not waited
        // for. SQLite: BEGIN IMMEDIATE already made this the only writer.
        QSqlQuery q = m_ws.query(
            QStringLiteral("SELECT %1 FROM notify_outbox WHERE state='pending' AND "
                           "next_attempt_at<=? AND lease_until<=? AND channel_id IN (%2) "
                           "ORDER BY id LIMIT %3%4")
                .arg(QLatin1String(kColumns), placeholders(channelIds.size()),
                     QString::number(limit),
                     m_ws.dialect() == Workspace::Dialect::Postgres
                         ? QStringLiteral(" FOR UPDATE SKIP LOCKED")
                         : QString()));
        q.addBindValue(nowMs);
        q.addBindValue(nowMs);
        for (qint64 id : channelIds)
            q.addBindValue(id);
        if (auto st = Workspace::exec(q, "cannot read the alert outbox"); !st)
            return st;
        while (q.next())
            out << deliveryFrom(q);
        for (OutboxDelivery& d : out) {
            QSqlQuery up = m_ws.query(QStringLiteral(
                "UPDATE notify_outbox SET lease_owner=?, lease_until=?, attempts=attempts+1 "
                "WHERE id=?"));
            up.addBindValue(owner);
            up.addBindValue(nowMs + leaseMs);
            up.addBindValue(d.id);
            if (auto st = Workspace::exec(up, "cannot lease the notification"); !st)
                return st;
            ++d.attempts;
        }
        return {};
    });
    if (!st)
        return st.error();
    return out;
}

Status AlertOutbox::delivered(qint64 id, int status, const QString& answer, qint64 nowMs)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE notify_outbox SET state='delivered', last_status=?, last_error=?, finished_at=?, "
        "lease_until=0 WHERE id=? AND state='pending'"));
    q.addBindValue(status);
    q.addBindValue(Workspace::message(answer.left(500)));
    q.addBindValue(nowMs);
    q.addBindValue(id);
    return Workspace::exec(q, "cannot record the delivery");
}

Status AlertOutbox::retryLater(qint64 id, const QString& owner, int status, const QString& error,
                               qint64 nextAttemptMs)
{
    // Only while the lease is ours: a process that took the row over after our lease ran
    // out decides now.
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE notify_outbox SET last_status=?, last_error=?, next_attempt_at=?, lease_until=0 "
        "WHERE id=? AND lease_owner=? AND state='pending'"));
    q.addBindValue(status);
    q.addBindValue(Workspace::message(error.left(500)));
    q.addBindValue(nextAttemptMs);
    q.addBindValue(id);
    q.addBindValue(owner);
    return Workspace::exec(q, "cannot record the failed attempt");
}

Status AlertOutbox::failed(qint64 id, int status, const QString& error, qint64 nowMs)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE notify_outbox SET state='failed', last_status=?, last_error=?, finished_at=?, "
        "lease_until=0 WHERE id=? AND state='pending'"));
    q.addBindValue(status);
    q.addBindValue(Workspace::message(error.left(500)));
    q.addBindValue(nowMs);
    q.addBindValue(id);
    return Workspace::exec(q, "cannot record the failed delivery");
}

Status AlertOutbox::recordTest(qint64 channelId, const QString& eventId, const QJsonObject& payload,
                               bool ok, int status, const QString& answer, qint64 nowMs)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO notify_outbox (event_id, channel_id, alert_id, mapping_id, change, payload, "
        "created_at, state, attempts, last_status, last_error, finished_at) "
        "VALUES (?,?,0,0,'test',?,?,?,1,?,?,?)"));
    q.addBindValue(eventId);
    q.addBindValue(channelId);
    q.addBindValue(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    q.addBindValue(nowMs);
    q.addBindValue(ok ? QStringLiteral("delivered") : QStringLiteral("failed"));
    q.addBindValue(status);
    q.addBindValue(Workspace::message(answer.left(500)));
    q.addBindValue(nowMs);
    return Workspace::exec(q, "cannot record the test message");
}

Result<QList<OutboxDelivery>> AlertOutbox::recent(qint64 channelId, int limit)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT %1 FROM notify_outbox WHERE channel_id=? "
                                            "ORDER BY id DESC LIMIT %2")
                                 .arg(QLatin1String(kColumns), QString::number(qMax(0, limit))));
    q.addBindValue(channelId);
    if (auto st = Workspace::exec(q, "cannot read the deliveries"); !st)
        return st.error();
    QList<OutboxDelivery> out;
    while (q.next())
        out << deliveryFrom(q);
    return out;
}

Result<int> AlertOutbox::pending(const QList<qint64>& channelIds, qint64 sinceMs)
{
    if (channelIds.isEmpty())
        return 0;
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT COUNT(*) FROM notify_outbox WHERE "
                                            "state='pending' AND created_at>=? AND channel_id "
                                            "IN (%1)")
                                 .arg(placeholders(channelIds.size())));
    q.addBindValue(sinceMs);
    for (qint64 id : channelIds)
        q.addBindValue(id);
    if (auto st = Workspace::exec(q, "cannot read the alert outbox"); !st)
        return st.error();
    q.next();
    return q.value(0).toInt();
}

} // namespace lockstep
