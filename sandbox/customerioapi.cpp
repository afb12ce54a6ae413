#include "customerioapi.h"

#include "jsonwriter.h"
#include "sandboxstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace lockstep::sandbox {
namespace {

constexpr int kDefaultLimit = 1000;
constexpr int kMaxLimit = 30000;
constexpr int kMaxLookupIds = 100;
// When the sandbox says every attribute was set (2024-01-01): the lookup's "timestamps".
constexpr qint64 kAttributeTime = 1704067200;
const char* const kAttributesPath = "/v1/customers/attributes";

// /v1/segments/{id}[/customer_count|/membership]
const QRegularExpression& segmentPath()
{
    static const QRegularExpression re(
        QStringLiteral("^/v1/segments/([^/]+)(/customer_count|/membership)?/?$"));
    return re;
}

} // namespace

CustomerIoApi::CustomerIoApi(SandboxState& state) : m_state(state), m_index(state.population) {}

QString CustomerIoApi::routeOf(const HttpRequest& request)
{
    if (request.path == QLatin1String(kAttributesPath))
        return QStringLiteral("cio.customer_attributes");
    if (request.path == QStringLiteral("/v1/segments") ||
        request.path == QStringLiteral("/v1/segments/"))
        return QStringLiteral("cio.segments");
    const auto m = segmentPath().match(request.path);
    if (!m.hasMatch())
        return {};
    if (m.captured(2) == QStringLiteral("/customer_count"))
        return QStringLiteral("cio.customer_count");
    if (m.captured(2) == QStringLiteral("/membership"))
        return QStringLiteral("cio.membership");
    return QStringLiteral("cio.segment");
}

HttpReply CustomerIoApi::error(int status, const QString& detail)
{
    QByteArray body = "{\"errors\":[{\"detail\":";
    json::appendString(body, detail);
    body.append(",\"status\":\"" + QByteArray::number(status) + "\"}]}");
    return HttpReply::json(status, body);
}

namespace {
// Leads every cursor: three bytes whose base64 is "+//+" (or "-__-"), so a client that
// does not percent-encode `start` meets those characters on its first page.
const QByteArray kCursorLead("\xfb\xff\xfe", 3);

QByteArray::Base64Options base64Options(CursorEncoding encoding)
{
    return encoding == CursorEncoding::Base64
               ? QByteArray::Base64Encoding
               : QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}
} // namespace

QByteArray CustomerIoApi::encodeCursor(std::uint32_t rank, CursorEncoding encoding)
{
    // Opaque to clients; stable across churn because it names a position in page order.
    QByteArray payload = QByteArray(kCursorLead + "m1:") + QByteArray::number(rank);
    if (payload.size() % 3 == 0)
        payload.append('.'); // padded base64 then always ends in '='
    return payload.toBase64(base64Options(encoding));
}

std::optional<std::uint32_t> CustomerIoApi::decodeCursor(const QByteArray& cursor,
                                                         CursorEncoding encoding)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor, base64Options(encoding) | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith(QByteArray(kCursorLead + "m1:")))
        return std::nullopt;
    QByteArray digits = decoded.decoded.mid(kCursorLead.size() + 3);
    if (digits.endsWith('.'))
        digits.chop(1);
    bool ok = false;
    const qulonglong v = digits.toULongLong(&ok);
    if (!ok || v > 0xFFFFFFFEull)
        return std::nullopt;
    return std::uint32_t(v);
}

QByteArray CustomerIoApi::segmentJson(const Segment& s) const
{
    QByteArray out;
    out.append("{\"id\":" + QByteArray::number(s.spec.id) + ",\"deduplicate_id\":");
    const QByteArray dedup = QByteArray::number(s.spec.id) + ':' + QByteArray::number(s.updatedAt);
    json::appendString(out, QByteArrayView(dedup));
    out.append(",\"name\":");
    json::appendString(out, s.spec.name);
    out.append(",\"description\":");
    json::appendString(out, s.spec.description);
    out.append(",\"state\":");
    json::appendString(out, s.state);
    out.append(",\"progress\":");
    out.append(s.progress ? QByteArray::number(*s.progress) : QByteArray("null"));
    out.append(",\"type\":");
    json::appendString(out, s.spec.type);
    out.append(",\"tags\":[");
    for (int i = 0; i < s.spec.tags.size(); ++i) {
        if (i)
            out.append(',');
        json::appendString(out, s.spec.tags.at(i));
    }
    out.append("],\"created_at\":" + QByteArray::number(s.spec.createdAt) +
               ",\"updated_at\":" + QByteArray::number(s.updatedAt) + '}');
    return out;
}

HttpReply CustomerIoApi::handle(const QString& route, const HttpRequest& request, qint64 nowMs)
{
    const bool lookup = route == QStringLiteral("cio.customer_attributes");
    if (request.method != (lookup ? "POST" : "GET"))
        return error(405, QStringLiteral("method not allowed"));
    const QByteArray auth = request.header("Authorization");
    if (auth != "Bearer " + m_state.scenario.appApiKey.toUtf8())
        return error(401, QStringLiteral("unauthorized: invalid or missing App API key"));
    int retryAfter = 1;
    if (!m_state.customerIoBucket.take(nowMs, retryAfter)) {
        const QString ref = QString::number(quint64(nowMs) * 2654435761u % 0xFFFFFFu, 16);
        return error(429, QStringLiteral("rate limited to %1 requests per 1s (reference %2)")
                              .arg(m_state.scenario.rateLimitPerSecond)
                              .arg(ref))
            .withHeader("Retry-After", QByteArray::number(retryAfter));
    }

    if (lookup)
        return customerAttributes(request);
    if (route == QStringLiteral("cio.segments")) {
        QByteArray body = "{\"segments\":[";
        bool first = true;
        for (const Segment& s : m_state.segments.segments()) {
            if (!first)
                body.append(',');
            first = false;
            body.append(segmentJson(s));
        }
        body.append("]}");
        return HttpReply::json(200, body);
    }

    const QString idText = segmentPath().match(request.path).captured(1);
    bool ok = false;
    const int id = idText.toInt(&ok);
    const Segment* segment = ok ? m_state.segments.find(id) : nullptr;
    if (!segment)
        return error(404, QStringLiteral("segment %1 not found").arg(idText));

    if (route == QStringLiteral("cio.segment"))
        return HttpReply::json(200, "{\"segment\":" + segmentJson(*segment) + '}');
    if (route == QStringLiteral("cio.customer_count"))
        return HttpReply::json(200, "{\"segment_id\":" + QByteArray::number(id) +
                                        ",\"count\":" + QByteArray::number(segment->count) + '}');
    return membership(*segment, request);
}

HttpReply CustomerIoApi::membership(const Segment& segment, const HttpRequest& request) const
{
    int limit = kDefaultLimit;
    if (request.query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = request.queryItem(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1)
            return error(400, QStringLiteral("limit must be a positive integer"));
        limit = std::min(limit, kMaxLimit); // documented: larger limits are clamped to 30000
    }
    std::uint32_t from = 0; // a rank in page order
    // Decoded as a web server decodes a query string: a raw '+' is a space, so a padded
    // base64 cursor survives only when the client percent-encodes it.
    QByteArray start =
        request.query.queryItemValue(QStringLiteral("start"), QUrl::FullyEncoded).toLatin1();
    start = QByteArray::fromPercentEncoding(start.replace('+', ' '));
    if (!start.isEmpty()) {
        const auto cursor = decodeCursor(start, m_state.scenario.cursorEncoding);
        if (!cursor)
            return error(400, QStringLiteral("invalid start cursor"));
        from = *cursor;
    }

    const Population& people = m_state.population;
    const bool withEmail = m_state.scenario.emailIdentifiers;
    QByteArray ids;
    QByteArray identifiers;
    ids.reserve(limit * 12);
    identifiers.reserve(limit * (withEmail ? 80 : 48));
    const SegmentStore& store = m_state.segments;
    std::uint32_t rank = store.nextRanked(segment, from);
    int n = 0;
    for (; rank != Population::kNoPerson && n < limit;
         rank = store.nextRanked(segment, rank + 1), ++n) {
        const Person& person = people.person(store.personAt(rank));
        if (n) {
            ids.append(',');
            identifiers.append(',');
        }
        identifiers.append("{\"id\":");
        if (person.id == StringPool::kNone) {
            ids.append("\"\"");
            identifiers.append("null");
        } else {
            json::appendString(ids, people.text(person.id));
            json::appendString(identifiers, people.text(person.id));
        }
        if (withEmail) {
            identifiers.append(",\"email\":");
            if (person.email == StringPool::kNone)
                identifiers.append("null");
            else
                json::appendString(identifiers, people.text(person.email));
        }
        identifiers.append(",\"cio_id\":");
        json::appendString(identifiers, people.text(person.cioId));
        identifiers.append('}');
    }

    // The last page's "next" and where "next" sits are undocumented: the scenario's variant.
    QByteArray next;
    if (rank != Population::kNoPerson)
        next = "\"next\":\"" + encodeCursor(rank, m_state.scenario.cursorEncoding) + '"';
    else if (m_state.scenario.lastPageNext == LastPageNext::Null)
        next = "\"next\":null";
    else if (m_state.scenario.lastPageNext == LastPageNext::Empty)
        next = "\"next\":\"\"";
    const bool nextFirst = m_state.scenario.nextPosition == NextPosition::First;
    QByteArray body;
    body.reserve(ids.size() + identifiers.size() + 128);
    body.append('{');
    if (nextFirst && !next.isEmpty())
        body.append(next + ',');
    body.append("\"segment_id\":" + QByteArray::number(segment.spec.id) + ",\"ids\":[");
    body.append(ids);
    body.append("],\"identifiers\":[");
    body.append(identifiers);
    body.append(']');
    if (!nextFirst && !next.isEmpty())
        body.append(',' + next);
    body.append('}');
    HttpReply reply = HttpReply::json(200, body);
    reply.updates = n;
    return reply;
}

HttpReply CustomerIoApi::customerAttributes(const HttpRequest& request)
{
    IdType type = IdType::Id;
    if (request.query.hasQueryItem(QStringLiteral("id_type"))) {
        const QString t = request.queryItem(QStringLiteral("id_type"));
        if (t == QStringLiteral("id")) {
            type = IdType::Id;
        } else if (t == QStringLiteral("cio_id")) {
            type = IdType::CioId;
        } else if (t == QStringLiteral("email") && m_state.scenario.emailIdentifiers) {
            type = IdType::Email;
        } else if (t == QStringLiteral("email") || t == QStringLiteral("phone")) {
            // Documented: email and phone only where the workspace identifies people by them.
            return error(
                400, QStringLiteral("id_type %1 is not an identifier in this workspace").arg(t));
        } else {
            return error(400, QStringLiteral("id_type must be one of id, email, phone, cio_id"));
        }
    }

    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return error(
            400, QStringLiteral("the request body is not valid JSON: %1").arg(pe.errorString()));
    const QJsonValue idsValue = doc.object().value(QStringLiteral("ids"));
    if (!doc.isObject() || !idsValue.isArray())
        return error(400,
                     QStringLiteral("the request body must be an object with an \"ids\" array"));
    const QJsonArray ids = idsValue.toArray();
    if (ids.isEmpty() || ids.size() > kMaxLookupIds)
        return error(400, QStringLiteral("\"ids\" must hold 1 to %1 identifiers, not %2")
                              .arg(kMaxLookupIds)
                              .arg(ids.size()));
    for (int i = 0; i < ids.size(); ++i) {
        if (!ids.at(i).isString())
            return error(400, QStringLiteral("ids[%1] must be a string").arg(i));
    }

    const Population& people = m_state.population;
    const bool withEmail = m_state.scenario.emailIdentifiers;
    const QByteArray at = QByteArray::number(kAttributeTime);
    std::vector<std::uint32_t> served;
    QByteArray body = "{\"customers\":[";
    for (const QJsonValue& v : ids) {
        for (const std::uint32_t p : m_index.find(type, QByteArrayView(v.toString().toUtf8()))) {
            const Person& person = people.person(p);
            // Merged away: Customer.io deleted it, so it is left out like an unknown id.
            if (person.vanished || std::find(served.begin(), served.end(), p) != served.end())
                continue;
            if (!served.empty())
                body.append(',');
            served.push_back(p);
            body.append("{\"customer\":{\"id\":");
            if (person.id == StringPool::kNone)
                body.append("null");
            else
                json::appendString(body, people.text(person.id));
            body.append(",\"attributes\":{\"cio_id\":");
            json::appendString(body, people.text(person.cioId));
            QByteArray times = "\"cio_id\":" + at;
            if (withEmail && person.email != StringPool::kNone) {
                body.append(",\"email\":");
                json::appendString(body, people.text(person.email));
                times.append(",\"email\":" + at);
            }
            if (person.id != StringPool::kNone) {
                body.append(",\"id\":");
                json::appendString(body, people.text(person.id));
                times.append(",\"id\":" + at);
            }
            body.append("},\"timestamps\":{" + times + "},\"devices\":[]}}");
        }
    }
    body.append("]}");
    HttpReply reply = HttpReply::json(200, body);
    reply.updates = qint64(served.size());
    return reply;
}

} // namespace lockstep::sandbox
