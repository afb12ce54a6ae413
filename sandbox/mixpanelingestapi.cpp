#include "mixpanelingestapi.h"

#include "formdata.h"
#include "jsonwriter.h"
#include "sandboxstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

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

// Mixpanel matches a token to a project after it has answered (mixpanel/mixpanel-node#59:
// "matching the token to an existing project happens outside of the request cycle";
// john-doherty/mixpanel-lite#2: every request answered as a success, no data arrived). So
// a token of another project, or a mistyped one, is answered 1 and its updates are
// dropped; only a missing or empty token fails in the request (a batch in which no update
// carries one: 401 "Invalid token", as Mixpanel's reference shows). strict_token in the
// scenario brings back a 401 for a batch with no valid token.
QString tokenMessage(bool strictToken)
{
    return strictToken ? QStringLiteral("$token, missing or invalid")
                       : QStringLiteral("$token, missing or empty");
}

bool isPlaceholderId(const QString& id)
{
    static const QStringList placeholders = {QStringLiteral("anon"),
                                             QStringLiteral("anonymous"),
                                             QStringLiteral("null"),
                                             QStringLiteral("undefined"),
                                             QStringLiteral("nil"),
                                             QStringLiteral("none"),
                                             QStringLiteral("0"),
                                             QStringLiteral("-1"),
                                             QStringLiteral("00000000-0000-0000-0000-000000000000"),
                                             QStringLiteral("<nil>"),
                                             QStringLiteral("[]"),
                                             QStringLiteral("{}"),
                                             QStringLiteral("lmy47d")};
    return placeholders.contains(id.trimmed().toLower());
}

// Reads the updates of a JsonTree body; false when one needs QJsonDocument's reading (a
// non-string $distinct_id, an object inside an operator's values).
bool readUpdates(IngestJob& job)
{
    const JsonTree& tree = job.tree;
    const JsonNode& root = tree.root();
    const bool array = root.type == JsonNode::Type::Array;
    job.received = array ? root.count : 1;
    if (job.received > MixpanelIngestApi::kMaxUpdates) {
        job.tooMany = true;
        return true;
    }
    const std::string_view token(job.token.constData(), std::size_t(job.token.size()));
    job.updates.resize(std::size_t(job.received));
    for (std::uint32_t i = 0; i < std::uint32_t(job.received); ++i) {
        const JsonNode& e = array ? tree.child(root, i) : root;
        ParsedUpdate& u = job.updates[i];
        if (e.type != JsonNode::Type::Object)
            continue;
        u.isObject = true;
        std::string_view updateToken; // a missing or non-string $token reads as ""
        for (std::uint32_t m = 0; m < e.count; ++m) {
            const JsonNode& member = tree.child(e, m);
            if (member.key.empty() || member.key[0] != '$')
                continue;
            if (member.key == "$distinct_id") {
                if (member.type != JsonNode::Type::String)
                    return false;
                u.distinctId = member.text;
                u.distinctIdHash = StringPool::hashOf(
                    QByteArrayView(member.text.data(), qsizetype(member.text.size())));
            } else if (member.key == "$token") {
                if (member.type == JsonNode::Type::String)
                    updateToken = member.text;
            } else if (member.key == "$ignore_time") {
                u.ignoreTime = member.type == JsonNode::Type::Bool && member.boolean;
            } else if (const EngageOp op = engageOpOf(member.key); op != EngageOp::None) {
                // Members come in QJsonObject's (sorted) order, as apply() meets them.
                if (u.op == EngageOp::None) {
                    u.op = op;
                    u.arg = &member;
                } else if (u.secondOp == EngageOp::None) {
                    u.secondOp = op;
                }
            }
        }
        u.tokenOk = updateToken == token;
        u.tokenMissing = updateToken.empty();
        if (u.arg && u.op != EngageOp::Delete &&
            (u.arg->type == JsonNode::Type::Object || u.arg->type == JsonNode::Type::Array)) {
            for (std::uint32_t m = 0; m < u.arg->count; ++m) {
                if (tree.containsObject(tree.child(*u.arg, m)))
                    return false; // PropValue keeps objects as Qt's compact JSON
            }
        }
    }
    return true;
}

// ^[A-Za-z0-9-]{1,36}$ as QRegularExpression matches it ('$' also matches before a final
// newline).
bool validInsertId(const QString& id)
{
    qsizetype n = id.size();
    if (n > 0 && id.at(n - 1) == QLatin1Char('\n'))
        --n;
    if (n < 1 || n > 36)
        return false;
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = id.at(i).unicode();
        if (!((c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') ||
              c == u'-'))
            return false;
    }
    return true;
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
    const std::unique_ptr<IngestJob> job = prepare(route, request);
    run(*job);
    return commit(*job);
}

std::unique_ptr<IngestJob> MixpanelIngestApi::prepare(const QString& route,
                                                      HttpRequest request) const
{
    auto job = std::make_unique<IngestJob>();
    job->engage = route == QStringLiteral("mp.engage");
    job->request = std::move(request);
    job->token = m_state.scenario.projectToken.toUtf8();
    job->serviceAccount = m_state.scenario.serviceAccount;
    job->projectId = m_state.scenario.projectId;
    job->strictToken = m_state.scenario.strictToken;
    return job;
}

void MixpanelIngestApi::run(IngestJob& job)
{
    if (job.engage)
        runEngage(job);
    else
        runImport(job);
}

HttpReply MixpanelIngestApi::commit(IngestJob& job)
{
    HttpReply reply = job.engage ? commitEngage(job) : commitImport(job);
    // Nothing of the request is needed any more: free it here, not wherever the job dies.
    job = IngestJob();
    return reply;
}

void MixpanelIngestApi::runEngage(IngestJob& job)
{
    const HttpRequest& request = job.request;
    // Parameters may come in the query string or in the form body.
    QHash<QString, QString> form;
    QByteArray payload;
    const QByteArray contentType = request.header("Content-Type").toLower();
    if (request.method == "GET") {
        payload = formdata::decodeDataParameter(request.queryItem(QStringLiteral("data")));
    } else if (request.method == "POST") {
        const QByteArray head = request.body.left(16).trimmed();
        const bool jsonBody = head.startsWith('[') || head.startsWith('{');
        if (!jsonBody && (contentType.startsWith("application/x-www-form-urlencoded") ||
                          head.startsWith("data="))) {
            form = formdata::parse(request.body);
            payload = formdata::decodeDataParameter(form.value(QStringLiteral("data")));
        } else {
            payload = request.body;
        }
    } else {
        job.reply = errorResponse(405, QStringLiteral("method not allowed"));
        return;
    }
    auto param = [&](const QString& key) {
        return request.query.hasQueryItem(key) ? request.queryItem(key) : form.value(key);
    };
    job.verbose = param(QStringLiteral("verbose")) == QStringLiteral("1");
    job.strict = param(QStringLiteral("strict")) == QStringLiteral("1");
    job.payload = payload;

    // The single-pass reader takes what it can vouch for; bodies over 1 MB (the per-update
    // size check) and anything unusual are read by QJsonDocument as before.
    if (job.payload.size() <= kMaxUpdateBytes && job.tree.parse(job.payload)) {
        if (readUpdates(job)) {
            job.fast = true;
            return;
        }
        job.updates.clear();
        job.tooMany = false;
    }
    job.tree = JsonTree();

    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(job.payload, &pe);
    if (pe.error != QJsonParseError::NoError || (!doc.isArray() && !doc.isObject())) {
        job.reply = engageReply(
            400, job.verbose, false,
            QStringLiteral("data, missing or empty: could not parse the body as JSON (%1)")
                .arg(pe.errorString()));
        return;
    }
    job.slowUpdates = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
    job.received = job.slowUpdates.size();
    job.tooMany = job.received > kMaxUpdates;
}

HttpReply MixpanelIngestApi::commitEngage(IngestJob& job)
{
    if (job.reply)
        return *job.reply;
    const qint64 count = job.received;
    if (job.tooMany) {
        HttpReply r = engageReply(400, job.verbose, false,
                                  QStringLiteral("too many updates: %1 in one request, at most %2")
                                      .arg(count)
                                      .arg(kMaxUpdates));
        r.updates = count;
        m_state.log.addEngage(count, 0, count);
        return r;
    }

    int accepted = 0;
    int tokenFailures = 0;
    int dropped = 0;   // a token of another project: answered as accepted, never applied
    QByteArray failed; // strict mode: per-record failures
    int failures = 0;
    qint64 opCounts[kEngageOpCount] = {};
    auto fail = [&](qint64 i, auto distinctId, const QString& message) {
        if (failures++)
            failed.append(',');
        failed.append("{\"index\":" + QByteArray::number(i) + ",\"$distinct_id\":");
        json::appendString(failed, distinctId);
        failed.append(",\"message\":");
        json::appendString(failed, message);
        failed.append('}');
    };
    if (job.fast) {
        constexpr qint64 kPrefetchAhead = 8; // profile lookups miss the cache: ask early
        for (qint64 i = 0; i < count; ++i) {
            if (i + kPrefetchAhead < count)
                m_state.profiles.prefetch(job.updates[std::size_t(i + kPrefetchAhead)]);
            const ParsedUpdate& u = job.updates[std::size_t(i)];
            QString message;
            if (!u.isObject) {
                message = QStringLiteral("update is not a JSON object");
            } else if (!u.tokenOk && (job.strictToken || u.tokenMissing)) {
                message = tokenMessage(job.strictToken);
                ++tokenFailures;
            } else if (!u.tokenOk) {
                ++dropped;
            } else {
                message = m_state.profiles.apply(job.tree, u);
                if (message.isEmpty()) {
                    ++accepted;
                    ++opCounts[int(u.op)];
                }
            }
            if (!message.isEmpty())
                fail(i, QByteArrayView(u.distinctId.data(), qsizetype(u.distinctId.size())),
                     message);
        }
    } else {
        const QString token = m_state.scenario.projectToken;
        const QJsonArray& updates = job.slowUpdates;
        for (int i = 0; i < updates.size(); ++i) {
            QString message;
            QString distinctId;
            if (!updates.at(i).isObject()) {
                message = QStringLiteral("update is not a JSON object");
            } else {
                const QJsonObject u = updates.at(i).toObject();
                distinctId = u.value(QLatin1StringView("$distinct_id")).toVariant().toString();
                const QString updateToken = u.value(QLatin1StringView("$token")).toString();
                if (updateToken != token && (job.strictToken || updateToken.isEmpty())) {
                    message = tokenMessage(job.strictToken);
                    ++tokenFailures;
                } else if (updateToken != token) {
                    ++dropped;
                } else if (job.payload.size() > kMaxUpdateBytes &&
                           QJsonDocument(u).toJson(QJsonDocument::Compact).size() >
                               kMaxUpdateBytes) {
                    // Only a body over 1 MB can hold an update over 1 MB: skip the cost otherwise.
                    message = QStringLiteral("update larger than 1 MB");
                } else {
                    const UpdateResult r = m_state.profiles.apply(u);
                    message = r.error;
                    if (message.isEmpty()) {
                        ++accepted;
                        ++opCounts[int(engageOpOf(
                            std::string_view(r.op.constData(), std::size_t(r.op.size()))))];
                    }
                }
            }
            if (!message.isEmpty())
                fail(i, distinctId, message);
        }
    }
    for (int op = 0; op < kEngageOpCount; ++op) {
        if (opCounts[op])
            m_state.log.countEngage(engageOpName(EngageOp(op)), opCounts[op]);
    }
    m_state.log.addEngage(count, accepted, failures, dropped);

    HttpReply reply;
    if (tokenFailures == count && count > 0) {
        // No update carried a token (with strict_token: the project's token), answered 401
        // with an error object.
        reply = errorResponse(
            401, job.strictToken
                     ? QStringLiteral("Invalid token: no update carried a valid project token")
                     : QStringLiteral("Invalid token"));
    } else if (job.strict && failures > 0) {
        QByteArray body =
            "{\"error\":\"some data points in the request failed validation\",\"failed_records\":[";
        body.append(failed);
        body.append("],\"num_good_events\":" + QByteArray::number(accepted) + ",\"status\":0}");
        reply = HttpReply::json(400, body);
    } else {
        // Dropped updates count as taken: the reply cannot tell a token of another project.
        const bool taken = accepted + dropped > 0;
        reply = engageReply(200, job.verbose, taken,
                            taken ? QString() : QStringLiteral("no valid updates in the request"));
    }
    reply.updates = count;
    return reply;
}

namespace {

void addImportFailure(IngestJob& job, qint64 index, const QString& insertId, const QString& field,
                      const QString& message)
{
    if (job.failures++)
        job.failed.append(',');
    job.failed.append("{\"index\":" + QByteArray::number(index) + ",\"insert_id\":");
    json::appendString(job.failed, insertId);
    job.failed.append(",\"field\":");
    json::appendString(job.failed, field);
    job.failed.append(",\"message\":");
    json::appendString(job.failed, message);
    job.failed.append('}');
}

QString textOf(const JsonNode* node)
{
    // QJsonValue::toString(): "" for anything but a string.
    return node && node->type == JsonNode::Type::String
               ? QString::fromUtf8(node->text.data(), qsizetype(node->text.size()))
               : QString();
}

// The /import checks of runImport() on a JsonTree array; false to leave the body to
// QJsonDocument (a time beyond 2^53, where a double would not hold Qt's exact integer).
bool readEvents(IngestJob& job)
{
    const JsonTree& tree = job.tree;
    const JsonNode& root = tree.root();
    if (root.type != JsonNode::Type::Array)
        return false;
    if (root.count == 0) {
        job.reply = importError(400, QStringLiteral("no events in the request"));
        return true;
    }
    if (root.count > std::uint32_t(MixpanelIngestApi::kMaxEvents)) {
        job.reply = importError(400, QStringLiteral("too many events: %1, at most %2")
                                         .arg(root.count)
                                         .arg(MixpanelIngestApi::kMaxEvents));
        return true;
    }
    job.received = root.count;
    job.events.reserve(root.count);
    for (std::uint32_t i = 0; i < root.count; ++i) {
        const JsonNode& e = tree.child(root, i);
        const JsonNode* props = tree.member(e, "properties");
        const JsonNode* propsObject =
            props && props->type == JsonNode::Type::Object ? props : nullptr;
        const QString insertId =
            propsObject ? textOf(tree.member(*propsObject, "$insert_id")) : QString();
        const JsonNode* time = propsObject ? tree.member(*propsObject, "time") : nullptr;
        const JsonNode* distinct = propsObject ? tree.member(*propsObject, "distinct_id") : nullptr;
        const JsonNode* event = tree.member(e, "event");
        if (time && time->type == JsonNode::Type::Number &&
            std::fabs(time->number) > 9007199254740992.0)
            return false;
        // Qt keeps an integral number within qint64 as an integer; toInteger() is 0 otherwise.
        const bool timeOk = time && time->type == JsonNode::Type::Number &&
                            time->number == std::floor(time->number) && time->number > 0;
        QString field;
        QString message;
        if (e.type != JsonNode::Type::Object) {
            message = QStringLiteral("event is not a JSON object");
        } else if (!event || event->type != JsonNode::Type::String || event->text.empty()) {
            field = QStringLiteral("event");
            message = QStringLiteral("'event' must be a non-empty string");
        } else if (!propsObject) {
            field = QStringLiteral("properties");
            message = QStringLiteral("'properties' must be an object");
        } else if (!timeOk) {
            field = QStringLiteral("properties.time");
            message = QStringLiteral(
                "'properties.time' is invalid: must be specified as seconds since epoch");
        } else if (!distinct || distinct->type != JsonNode::Type::String) {
            field = QStringLiteral("properties.distinct_id");
            message = QStringLiteral("'properties.distinct_id' is required and must be a string");
        } else if (isPlaceholderId(textOf(distinct))) {
            field = QStringLiteral("properties.distinct_id");
            message =
                QStringLiteral("'properties.distinct_id' is invalid: \"%1\" is a placeholder value")
                    .arg(textOf(distinct));
        } else if (!validInsertId(insertId)) {
            field = QStringLiteral("properties.$insert_id");
            message = QStringLiteral(
                "'properties.$insert_id' is invalid: at most 36 letters, digits or '-'");
        }
        if (!message.isEmpty()) {
            addImportFailure(job, i, insertId, field, message);
            continue;
        }
        job.events.push_back({textOf(event), qint64(time->number), textOf(distinct), insertId});
    }
    return true;
}

} // namespace

void MixpanelIngestApi::runImport(IngestJob& job)
{
    const HttpRequest& request = job.request;
    auto refuse = [&job](int status, const QString& message) {
        job.reply = importError(status, message);
    };
    if (request.method != "POST")
        return refuse(405, QStringLiteral("method not allowed"));
    // Auth: service account user:secret (project_id required) or the token as user.
    const QByteArray auth = request.header("Authorization");
    if (!auth.startsWith("Basic "))
        return refuse(401, QStringLiteral("Invalid credentials"));
    const QString credentials = QString::fromUtf8(QByteArray::fromBase64(auth.mid(6).trimmed()));
    const QString projectId = request.queryItem(QStringLiteral("project_id"));
    if (credentials == job.serviceAccount) {
        if (projectId.isEmpty())
            return refuse(400,
                          QStringLiteral(
                              "project_id is required when authenticating with a service account"));
        if (projectId != QString::number(job.projectId))
            return refuse(
                401, QStringLiteral("service account has no access to project %1").arg(projectId));
    } else if (credentials.section(QLatin1Char(':'), 0, 0) != QString::fromUtf8(job.token)) {
        return refuse(401, QStringLiteral("Invalid credentials"));
    }

    if (request.body.size() > kMaxImportBytes)
        return refuse(413,
                      QStringLiteral("request exceeds max limit of %1 bytes").arg(kMaxImportBytes));
    QByteArray payload = request.body;
    if (request.header("Content-Encoding").trimmed().toLower() == "gzip") {
        const auto inflated = formdata::gunzip(request.body, kMaxImportBytes);
        if (!inflated)
            return refuse(400, QStringLiteral("unable to decompress gzip body"));
        if (inflated->size() > kMaxImportBytes)
            return refuse(
                413, QStringLiteral("request exceeds max limit of %1 bytes").arg(kMaxImportBytes));
        payload = *inflated;
    }

    QJsonArray events;
    const QByteArray trimmed = payload.trimmed();
    job.importStrict = request.queryItem(QStringLiteral("strict")) != QStringLiteral("0");
    if (trimmed.startsWith('[')) {
        // A JSON array the single-pass reader vouches for skips QJsonDocument.
        job.payload = trimmed;
        if (job.tree.parse(job.payload) && readEvents(job))
            return;
        job.events.clear();
        job.failed.clear();
        job.failures = 0;
        job.reply.reset();
        job.tree = JsonTree();
    }
    if (trimmed.startsWith('[')) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &pe);
        if (pe.error != QJsonParseError::NoError)
            return refuse(400, QStringLiteral("invalid JSON: %1").arg(pe.errorString()));
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
                return refuse(400, QStringLiteral("invalid NDJSON at line %1").arg(line));
            events.append(doc.object());
        }
    }
    if (events.isEmpty())
        return refuse(400, QStringLiteral("no events in the request"));
    if (events.size() > kMaxEvents)
        return refuse(
            400,
            QStringLiteral("too many events: %1, at most %2").arg(events.size()).arg(kMaxEvents));

    // Validation touches no state: only the dedup (commit) does.
    job.received = events.size();
    job.events.reserve(std::size_t(events.size()));
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
        } else if (!e.value(QStringLiteral("event")).isString() ||
                   e.value(QStringLiteral("event")).toString().isEmpty()) {
            field = QStringLiteral("event");
            message = QStringLiteral("'event' must be a non-empty string");
        } else if (!e.value(QStringLiteral("properties")).isObject()) {
            field = QStringLiteral("properties");
            message = QStringLiteral("'properties' must be an object");
        } else if (!time.isDouble() || time.toDouble() != double(time.toInteger()) ||
                   time.toInteger() <= 0) {
            field = QStringLiteral("properties.time");
            message = QStringLiteral(
                "'properties.time' is invalid: must be specified as seconds since epoch");
        } else if (!distinct.isString()) {
            field = QStringLiteral("properties.distinct_id");
            message = QStringLiteral("'properties.distinct_id' is required and must be a string");
        } else if (isPlaceholderId(distinct.toString())) {
            field = QStringLiteral("properties.distinct_id");
            message =
                QStringLiteral("'properties.distinct_id' is invalid: \"%1\" is a placeholder value")
                    .arg(distinct.toString());
        } else if (!validInsertId(insertId)) {
            field = QStringLiteral("properties.$insert_id");
            message = QStringLiteral(
                "'properties.$insert_id' is invalid: at most 36 letters, digits or '-'");
        }
        if (!message.isEmpty()) {
            addImportFailure(job, i, insertId, field, message);
            continue;
        }
        job.events.push_back({e.value(QStringLiteral("event")).toString(), time.toInteger(),
                              distinct.toString(), insertId});
    }
}

HttpReply MixpanelIngestApi::commitImport(IngestJob& job)
{
    if (job.reply)
        return *job.reply;
    const qint64 imported = qint64(
        job.events.size()); // duplicates count as imported: Mixpanel dedups them at query time
    qint64 deduplicated = 0;
    for (const IngestJob::Event& e : job.events) {
        if (!m_state.events.add(e.name, e.time, e.distinctId, e.insertId))
            ++deduplicated;
    }
    m_state.log.addImport(job.received, imported, deduplicated, job.failures);

    HttpReply reply;
    if (job.importStrict && job.failures > 0) {
        QByteArray body =
            "{\"code\":400,\"error\":\"some data points in the request failed validation\","
            "\"num_records_imported\":" +
            QByteArray::number(imported) + ",\"status\":\"Bad Request\",\"failed_records\":[";
        body.append(job.failed);
        body.append("]}");
        reply = HttpReply::json(400, body);
    } else {
        reply = HttpReply::json(200, "{\"code\":200,\"num_records_imported\":" +
                                         QByteArray::number(imported) + ",\"status\":\"OK\"}");
    }
    reply.updates = job.received;
    return reply;
}

} // namespace lockstep::sandbox
