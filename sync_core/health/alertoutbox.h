// The alert outbox: one row per alert state change (opened, severity raised, resolved)
// and subscribed channel, written in the same transaction as the change, so a change is
// announced exactly when it is stored. Deliverers of any process claim due rows with a
// lease (PostgreSQL FOR UPDATE SKIP LOCKED, SQLite's write lock), then record what the
// receiver answered. The row's event_id is the same on every attempt: receivers
// deduplicate on it.
#pragma once

#include "alert.h"
#include "util/result.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace lockstep {

class Workspace;

enum class AlertChange
{
    Opened,
    Raised, // severity rose while open
    Resolved,
    Acknowledged, // someone took it on: the others can stand down
    Test          // "Send test message": not an alert, never queued for other processes
};
// "opened", "raised", "resolved", "acknowledged", "test"
QString alertChangeName(AlertChange c);

// What a message tells about a mapping (looked up when the change is stored).
struct AlertSubject
{
    qint64 mappingId = 0;
    QString cohortName;
    qint64 segmentId = 0;
    QString segmentName;
    QString owner;
    QString healthMonitor; // who watches the mapping's health (a name or an e-mail address)
};

// The event as the generic webhook receives it (README: "Webhook JSON"): schema
// "lockstep.alert.v1", event_id, event, occurred_at, alert, mapping, what_to_do.
QJsonObject alertEventJson(const QString& eventId, AlertChange change, const Alert& now,
                           const Alert* before, const AlertSubject& subject, qint64 atMs);
// What an operator should do about a rule's alert (one sentence).
QString whatToDo(const QString& rule, AlertChange change);

struct OutboxDelivery
{
    qint64 id = 0;
    QString eventId;
    qint64 channelId = 0;
    qint64 alertId = 0;
    QString change;
    QJsonObject payload;
    QString state; // pending, delivered, failed
    int attempts = 0;
    qint64 createdAtMs = 0;
    qint64 nextAttemptAtMs = 0;
    int lastStatus = 0; // the receiver's HTTP status (or SMTP reply code); 0: none
    QString lastError;  // the receiver's answer or why it failed (redacted)
    qint64 finishedAtMs = 0;
};

class AlertOutbox
{
public:
    explicit AlertOutbox(Workspace& ws) : m_ws(ws) {}

    // Inside the caller's transaction: a row for every channel that wants this change
    // (severity and mapping). A change nobody subscribes to writes nothing.
    Status enqueue(AlertChange change, const Alert& now, const Alert* before, qint64 atMs);

    // Leases up to `limit` due rows of `channelIds` to `owner` until nowMs + leaseMs and
    // counts the attempt. Rows leased by a live process are skipped, an expired lease is
    // taken over. One short write transaction.
    Result<QList<OutboxDelivery>> claim(const QString& owner, const QList<qint64>& channelIds,
                                        qint64 nowMs, qint64 leaseMs, int limit);
    Status delivered(qint64 id, int status, const QString& answer, qint64 nowMs);
    Status retryLater(qint64 id, const QString& owner, int status, const QString& error,
                      qint64 nextAttemptMs);
    Status failed(qint64 id, int status, const QString& error, qint64 nowMs);
    // A test message's outcome, kept with the channel's history.
    Status recordTest(qint64 channelId, const QString& eventId, const QJsonObject& payload, bool ok,
                      int status, const QString& answer, qint64 nowMs);

    // The channel's newest rows (every state), newest first.
    Result<QList<OutboxDelivery>> recent(qint64 channelId, int limit = 50);
    // Rows of `channelIds` still pending that were created at or after `sinceMs`.
    Result<int> pending(const QList<qint64>& channelIds, qint64 sinceMs);

private:
    Workspace& m_ws;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::OutboxDelivery)
