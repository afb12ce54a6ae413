#pragma once
// Receives the alert messages Lockstep sends: Slack incoming webhooks, Teams workflow
// webhooks and generic webhooks, on POST /hooks/slack/..., /hooks/teams/... and
// /hooks/webhook/... of either port. Every accepted message is kept, in order, for
// GET /_sandbox/webhooks; faults (429 with Retry-After, 500, hang) apply to the routes
// hook.slack, hook.teams and hook.webhook like to any other.

#include "httpexchange.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace lockstep::sandbox {

class WebhookInbox
{
public:
    // "hook.slack", "hook.teams", "hook.webhook" for a POST to the kind's path; else empty.
    static QString routeOf(const HttpRequest& request);

    // Answers as the service does and keeps what it accepted.
    HttpReply receive(const QString& route, const HttpRequest& request, qint64 nowMs);

    // [{"kind", "path", "at_ms", "headers": {name: value}, "body": text}], oldest first;
    // `kind` empty: every kind.
    QByteArray toJson(const QString& kind) const;
    void clear() { m_received.clear(); }

private:
    struct Received
    {
        QString kind;
        QString path;
        qint64 atMs = 0;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
    };
    QList<Received> m_received;
};

} // namespace lockstep::sandbox
