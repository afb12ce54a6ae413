#include "mixpanelingestapi.h"

#include "formdata.h"
#include "jsonwriter.h"
#include "sandboxstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>

namespace lockstep::sandbox {
namespace {

HttpReply errorResponse(int status, const QString& message)
{
    QByteArray body = "{\"error\":";
    json::appendString(body, message);
    body.append(",\"status\":\"error\"}");
    return HttpReply::json(status, body);
}

// The /import reply family: {"code":N,"error":...,"status":"Reason"}.
HttpReply importError(int status, const QString& message)
{
    QByteArray body = "{\"code\":" + QByteArray::number(status) + ",\"error\":";
    json::appendString(body, message);
    body.append(",\"status\":");
    json::appendString(body, reasonPhrase(status));
    body.append('}');
    return HttpReply::json(status, body);
}

HttpReply engageReply(int status, bool verbose, bool ok, const QString& error)
{
    if (!verbose)
        return HttpReply::text(status, ok ? "1" : "0");
    QByteArray body = "{\"status\":" + QByteArray(ok ? "1" : "0") + ",\"error\":";
    if (error.isEmpty())
        body.append("null");
    else
        json::appendString(body, error);
    body.append('}');
    return HttpReply::json(status, body);
}

bool isPlaceholderId(const QString& id)
{
    static const QStringList placeholders = {
        QStringLiteral("anon"), QStringLiteral("anonymous"), QStringLiteral("null"),
        QStringLiteral("undefined"), QStringLiteral("nil"), QStringLiteral("none"), QStringLiteral("0"),
        QStringLiteral("-1"), QStringLiteral("00000000-0000-0000-0000-000000000000"),
        QStringLiteral("<nil>"), QStringLiteral("[]"), QStringLiteral("{}"), QStringLiteral("lmy47d")};
    return placeholders.contains(id.trimmed().toLower());
}

} // namespace

QString MixpanelIngestApi::routeOf(const HttpRequest& request)
{
    if (request.path == QStringLiteral("/engage") || request.path == QStringLiteral("/engage/"))
        return QStringLiteral("mp.engage");
    if (request.path == QStringLiteral("/import") || request.path == QStringLiteral("/import/"))
        return QStringLiteral("mp.import");
    return {};
}

HttpReply MixpanelIngestApi::handle(const QString& route, const HttpRequest& request)
{
    if (route == QStringLiteral("mp.engage"))
        return engage(request);
    return import(request);
}

HttpReply MixpanelIngestApi::engage(const HttpRequest& request)
{
    // Parameters may come in the query string or in the form body.
    QHash<QString, QString> form;
    QByteArray payload;
    const QByteArray contentType = request.header("Content-Type").toLower();
    if (request.method == "GET") {
        payload = formdata::decodeDataParameter(request.queryItem(QStringLiteral("data")));
    } else if (request.method == "POST") {
        const QByteArray head = request.body.left(16).trimmed();
        const bool jsonBody = head.startsWith('[') || head.startsWith('{');
        if (!jsonBody && (contentType.startsWith("application/x-www-form-urlencoded") || head.startsWith("data="))) {
            form = formdata::parse(request.body);
            payload = formdata::decodeDataParameter(form.value(QStringLiteral("data")));
        } else {
            payload = request.body;
        }
    } else {
        return errorResponse(405, QStringLiteral("method not allowed"));
    }
    auto param = [&](const QString& key) {
        return request.query.hasQueryItem(key) ? request.queryItem(key) : form.value(key);
    };
    const bool verbose = param(QStringLiteral("verbose")) == QStringLiteral("1");
    const bool strict = param(QStringLiteral("strict")) == QStringLiteral("1");

    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &pe);
    if (pe.error != QJsonParseError::NoError || (!doc.isArray() && !doc.isObject()))
        return engageReply(400, verbose, false,
                           QStringLiteral("data, missing or empty: could not parse the body as JSON (%1)")
                               .arg(pe.errorString()));
    const QJsonArray updates = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
    if (updates.size() > kMaxUpdates) {
        HttpReply r = engageReply(400, verbose, false,
                                  QStringLiteral("too many updates: %1 in one request, at most %2")
                                      .arg(updates.size())
                                      .arg(kMaxUpdates));
        r.updates = updates.size();
        m_state.log.addEngage(updates.size(), 0, updates.size());
        return r;
    }

    const QString token = m_state.scenario.projectToken;
    int accepted = 0;
    int tokenFailures = 0;
    QByteArray failed; // strict mode: per-record failures
    int failures = 0;
    for (int i = 0; i < updates.size(); ++i) {
        QString message;
        QString distinctId;
        if (!updates.at(i).isObject()) {
            message = QStringLiteral("update is not a JSON object");
        } else {
            const QJsonObject u = updates.at(i).toObject();
            distinctId = u.value(QLatin1StringView("$distinct_id")).toVariant().toString();
            if (u.value(QLatin1StringView("$token")).toString() != token) {
                message = QStringLiteral("$token, missing or invalid");
                ++tokenFailures;
            } else if (payload.size() > kMaxUpdateBytes
                       && QJsonDocument(u).toJson(QJsonDocument::Compact).size() > kMaxUpdateBytes) {
                // Only a body over 1 MB can hold an update over 1 MB: skip the cost otherwise.
                message = QStringLiteral("update larger than 1 MB");
            } else {
                const UpdateResult r = m_state.profiles.apply(u);
                message = r.error;
                if (message.isEmpty()) {
                    ++accepted;
                    m_state.log.countEngage(r.op);
                }
            }
        }
        if (!message.isEmpty()) {
            if (failures++)
                failed.append(',');
            failed.append("{\"index\":" + QByteArray::number(i) + ",\"$distinct_id\":");
            json::appendString(failed, distinctId);
            failed.append(",\"message\":");
            json::appendString(failed, message);
            failed.append('}');
        }
    }
    m_state.log.addEngage(updates.size(), accepted, failures);

    HttpReply reply;
    if (tokenFailures == updates.size() && !updates.isEmpty()) {
        // Nothing carried the project's token: Mixpanel answers 401 with an error object.
        reply = errorResponse(401, QStringLiteral("Invalid token: no update carried a valid project token"));
    } else if (strict && failures > 0) {
        QByteArray body = "{\"error\":\"some data points in the request failed validation\",\"failed_records\":[";
        body.append(failed);
        body.append("],\"num_good_events\":" + QByteArray::number(accepted) + ",\"status\":0}");
        reply = HttpReply::json(400, body);
    } else {
        reply = engageReply(200, verbose, accepted > 0,
                            accepted > 0 ? QString() : QStringLiteral("no valid updates in the request"));
    }
    reply.updates = updates.size();
    return reply;
}

HttpReply MixpanelIngestApi::import(const HttpRequest& request)
{
    if (request.method != "POST")
        return importError(405, QStringLiteral("method not allowed"));
    // Auth: service account user:secret (project_id required) or the token as user.
    const QByteArray auth = request.header("Authorization");
    if (!auth.startsWith("Basic "))
        return importError(401, QStringLiteral("Invalid credentials"));
    const QString credentials = QString::fromUtf8(QByteArray::fromBase64(auth.mid(6).trimmed()));
    const QString projectId = request.queryItem(QStringLiteral("project_id"));
    if (credentials == m_state.scenario.serviceAccount) {
        if (projectId.isEmpty())
            return importError(400, QStringLiteral("project_id is required when authenticating with a service account"));
        if (projectId != QString::number(m_state.scenario.projectId))
            return importError(401, QStringLiteral("service account has no access to project %1").arg(projectId));
    } else if (credentials.section(QLatin1Char(':'), 0, 0) != m_state.scenario.projectToken) {
        return importError(401, QStringLiteral("Invalid credentials"));
    }

    if (request.body.size() > kMaxImportBytes)
        return importError(413, QStringLiteral("request exceeds max limit of %1 bytes").arg(kMaxImportBytes));
    QByteArray payload = request.body;
    if (request.header("Content-Encoding").trimmed().toLower() == "gzip") {
        const auto inflated = formdata::gunzip(request.body, kMaxImportBytes);
        if (!inflated)
            return importError(400, QStringLiteral("unable to decompress gzip body"));
        if (inflated->size() > kMaxImportBytes)
            return importError(413, QStringLiteral("request exceeds max limit of %1 bytes").arg(kMaxImportBytes));
        payload = *inflated;
    }

    QJsonArray events;
    const QByteArray trimmed = payload.trimmed();
    if (trimmed.startsWith('[')) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &pe);
        if (pe.error != QJsonParseError::NoError)
            return importError(400, QStringLiteral("invalid JSON: %1").arg(pe.errorString()));
        events = doc.array();
    } else {
        int line = 0;
        for (const QByteArray& l : trimmed.split('\n')) {
            ++line;
            if (l.trimmed().isEmpty())
                continue;
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(l, &pe);
            if (pe.error != QJsonParseError::NoError || !doc.isObject())
                return importError(400, QStringLiteral("invalid NDJSON at line %1").arg(line));
            events.append(doc.object());
        }
    }
    if (events.isEmpty())
        return importError(400, QStringLiteral("no events in the request"));
    if (events.size() > kMaxEvents)
        return importError(400, QStringLiteral("too many events: %1, at most %2").arg(events.size()).arg(kMaxEvents));

    static const QRegularExpression insertIdPattern(QStringLiteral("^[A-Za-z0-9-]{1,36}$"));
    const bool strict = request.queryItem(QStringLiteral("strict")) != QStringLiteral("0");
    int imported = 0;
    int deduplicated = 0;
    QByteArray failed;
    int failures = 0;
    for (int i = 0; i < events.size(); ++i) {
        const QJsonObject e = events.at(i).toObject();
        const QJsonObject props = e.value(QStringLiteral("properties")).toObject();
        const QString insertId = props.value(QStringLiteral("$insert_id")).toString();
        QString field;
        QString message;
        const QJsonValue time = props.value(QStringLiteral("time"));
        const QJsonValue distinct = props.value(QStringLiteral("distinct_id"));
        if (!events.at(i).isObject()) {
            field = QString();
            message = QStringLiteral("event is not a JSON object");
        } else if (!e.value(QStringLiteral("event")).isString() || e.value(QStringLiteral("event")).toString().isEmpty()) {
            field = QStringLiteral("event");
            message = QStringLiteral("'event' must be a non-empty string");
        } else if (!e.value(QStringLiteral("properties")).isObject()) {
            field = QStringLiteral("properties");
            message = QStringLiteral("'properties' must be an object");
        } else if (!time.isDouble() || time.toDouble() != double(time.toInteger()) || time.toInteger() <= 0) {
            field = QStringLiteral("properties.time");
            message = QStringLiteral("'properties.time' is invalid: must be specified as seconds since epoch");
        } else if (!distinct.isString()) {
            field = QStringLiteral("properties.distinct_id");
            message = QStringLiteral("'properties.distinct_id' is required and must be a string");
        } else if (isPlaceholderId(distinct.toString())) {
            field = QStringLiteral("properties.distinct_id");
            message = QStringLiteral("'properties.distinct_id' is invalid: \"%1\" is a placeholder value")
                          .arg(distinct.toString());
        } else if (!insertIdPattern.match(insertId).hasMatch()) {
            field = QStringLiteral("properties.$insert_id");
            message = QStringLiteral("'properties.$insert_id' is invalid: at most 36 letters, digits or '-'");
        }
        if (!message.isEmpty()) {
            if (failures++)
                failed.append(',');
            failed.append("{\"index\":" + QByteArray::number(i) + ",\"insert_id\":");
            json::appendString(failed, insertId);
            failed.append(",\"field\":");
            json::appendString(failed, field);
            failed.append(",\"message\":");
            json::appendString(failed, message);
            failed.append('}');
            continue;
        }
        ++imported; // duplicates count as imported: Mixpanel dedups them at query time
        if (!m_state.events.add(e.value(QStringLiteral("event")).toString(), time.toInteger(),
                                distinct.toString(), insertId))
            ++deduplicated;
    }
    m_state.log.addImport(events.size(), imported, deduplicated, failures);

    HttpReply reply;
    if (strict && failures > 0) {
        QByteArray body = "{\"code\":400,\"error\":\"some data points in the request failed validation\","
                          "\"num_records_imported\":" + QByteArray::number(imported)
                          + ",\"status\":\"Bad Request\",\"failed_records\":[";
        body.append(failed);
        body.append("]}");
        reply = HttpReply::json(400, body);
    } else {
        reply = HttpReply::json(200, "{\"code\":200,\"num_records_imported\":" + QByteArray::number(imported)
                                         + ",\"status\":\"OK\"}");
    }
    reply.updates = events.size();
    return reply;
}

} // namespace lockstep::sandbox
