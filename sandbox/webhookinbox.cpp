#include "webhookinbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lockstep::sandbox {

QString WebhookInbox::routeOf(const HttpRequest& request)
{
    if (request.method != "POST")
        return {};
    for (const char* kind : {"slack", "teams", "webhook"}) {
        const QString prefix = QStringLiteral("/hooks/%1/").arg(QLatin1String(kind));
        if (request.path.startsWith(prefix) && request.path.size() > prefix.size())
            return QStringLiteral("hook.%1").arg(QLatin1String(kind));
    }
    return {};
}

HttpReply WebhookInbox::receive(const QString& route, const HttpRequest& request, qint64 nowMs)
{
    const QString kind = route.mid(5);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &pe);
    const bool json = pe.error == QJsonParseError::NoError && doc.isObject();
    if (kind == QLatin1String("slack")) {
        // Slack answers "ok", or a plain-text error code with 400 (api.slack.com/messaging/
        // webhooks, "Handling errors": invalid_payload, no_text).
        if (!json)
            return HttpReply::text(400, "invalid_payload");
        const QJsonObject o = doc.object();
        if (o.value(QLatin1String("text")).toString().isEmpty() &&
            o.value(QLatin1String("blocks")).toArray().isEmpty())
            return HttpReply::text(400, "no_text");
    } else if (kind == QLatin1String("teams")) {
        // A Teams workflow ("When a Teams webhook request is received",
        // learn.microsoft.com/connectors/teams, "Post to a channel when a webhook request is
        // received") accepts a message whose attachments are Adaptive Cards, answering 202
        // Accepted without a body. Its error body is not documented: the client reads only
        // the status, and this one is made up.
        const QJsonArray attachments = doc.object().value(QLatin1String("attachments")).toArray();
        if (!json || attachments.isEmpty() ||
            attachments.first().toObject().value(QLatin1String("contentType")).toString() !=
                QLatin1String("application/vnd.microsoft.card.adaptive"))
            return HttpReply::json(400, "{\"error\":{\"code\":\"InvalidRequestContent\","
                                        "\"message\":\"The request content is not valid.\"}}");
    } else if (!json) {
        return HttpReply::json(400, "{\"error\":\"the body is not a JSON object\"}");
    }
    m_received.append({kind, request.path, nowMs, request.headers, request.body});
    if (kind == QLatin1String("slack"))
        return HttpReply::text(200, "ok");
    if (kind == QLatin1String("teams"))
        return HttpReply::text(202, {});
    return HttpReply::json(200, "{\"ok\":true}");
}

QByteArray WebhookInbox::toJson(const QString& kind) const
{
    QJsonArray out;
    for (const Received& r : m_received) {
        if (!kind.isEmpty() && r.kind != kind)
            continue;
        QJsonObject headers;
        for (const auto& [name, value] : r.headers)
            headers.insert(QString::fromLatin1(name).toLower(), QString::fromUtf8(value));
        out.append(QJsonObject{{QStringLiteral("kind"), r.kind},
                               {QStringLiteral("path"), r.path},
                               {QStringLiteral("at_ms"), r.atMs},
                               {QStringLiteral("headers"), headers},
                               {QStringLiteral("body"), QString::fromUtf8(r.body)}});
    }
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace lockstep::sandbox
