#include "customerioclient.h"

#include "apierror.h"
#include "membershipparser.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace lockstep {

namespace {
SyncError protocol(const QString& what)
{
    return SyncError::make(SyncError::Category::Protocol,
                           QStringLiteral("Customer.io sent an unexpected reply: ") + what);
}

Result<QJsonObject> parseObject(const QByteArray& body)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return protocol(QStringLiteral("malformed JSON at byte %1 (%2)")
                            .arg(QString::number(err.offset), err.errorString()));
    if (!doc.isObject())
        return protocol(QStringLiteral("expected a JSON object"));
    return doc.object();
}

// Customer.io times are Unix seconds; tolerate them as numbers or numeric strings.
qint64 toSeconds(const QJsonValue& v)
{
    if (v.isDouble())
        return v.toInteger(); // 0 unless an exact qint64 (a cast of 1e300 is undefined)
    if (v.isString())
        return v.toString().toLongLong();
    return 0;
}

std::optional<QString> nullableString(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) // ids are strings, but a number is still an id
        return QString::number(v.toDouble(), 'g', 17);
    return std::nullopt;
}
} // namespace

CustomerIoClient::CustomerIoClient(RequestScheduler* http, QUrl baseUrl, QString appApiKey,
                                   std::shared_ptr<RequestCounters> counters)
    : m_http(http), m_base(std::move(baseUrl)), m_auth("Bearer " + appApiKey.toUtf8()),
      m_counters(std::move(counters)), m_limitKey(limitKeyFor(appApiKey))
{}

QString CustomerIoClient::limitKeyFor(const QString& appApiKey)
{
    // The App API's 10 requests/s is per key: one bucket per key, named by a short hash
    // so the key itself never appears in a log line about limits.
    const QByteArray hash =
        QCryptographicHash::hash(appApiKey.toUtf8(), QCryptographicHash::Sha256);
    return QString::fromLatin1(kLimitKey) + QLatin1Char(':') +
           QString::fromLatin1(hash.toHex().left(12));
}

HttpRequest CustomerIoClient::get(const QString& path,
                                  const QList<std::pair<QString, QString>>& query) const
{
    HttpRequest r;
    r.url = m_base;
    r.url.setPath(m_base.path() + path);
    if (!query.isEmpty()) {
        QUrlQuery q;
        for (const auto& [k, v] : query)
            q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
        r.url.setQuery(q);
    }
    r.headers = {{"Authorization", m_auth}, {"Accept", "application/json"}};
    r.limitKey = m_limitKey;
    r.counters = m_counters;
    return r;
}

HttpRequest CustomerIoClient::post(const QString& path,
                                   const QList<std::pair<QString, QString>>& query,
                                   QByteArray jsonBody) const
{
    HttpRequest r = get(path, query);
    r.method = "POST";
    r.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    r.body = std::move(jsonBody);
    return r;
}

template <typename T>
void CustomerIoClient::fetch(HttpRequest req, std::function<Result<T>(const QByteArray&)> parse,
                             Callback<T> done)
{
    m_http->send(std::move(req),
                 [parse = std::move(parse), done = std::move(done)](const Result<HttpResponse>& r) {
                     if (!r.ok()) {
                         done(r.error());
                         return;
                     }
                     if (r->status < 200 || r->status > 299) {
                         done(errorFromReply(QStringLiteral("Customer.io"), *r));
                         return;
                     }
                     done(parse(r->body));
                 });
}

Result<SegmentInfo> CustomerIoClient::parseSegment(const QJsonObject& o)
{
    SegmentInfo s;
    const QJsonValue id = o.value(QLatin1String("id"));
    if (!id.isDouble())
        return protocol(QStringLiteral("segment without a numeric id"));
    s.id = id.toInteger(); // never a cast: out-of-range doubles are undefined behaviour
    s.name = o.value(QLatin1String("name")).toString();
    s.description = o.value(QLatin1String("description")).toString();
    s.state = o.value(QLatin1String("state")).toString();
    if (o.value(QLatin1String("progress")).isDouble())
        s.progress = o.value(QLatin1String("progress")).toInt();
    s.type = o.value(QLatin1String("type")).toString();
    s.createdAt = toSeconds(o.value(QLatin1String("created_at")));
    s.updatedAt = toSeconds(o.value(QLatin1String("updated_at")));
    return s;
}

Result<QList<SegmentInfo>> CustomerIoClient::parseSegments(const QByteArray& body)
{
    auto obj = parseObject(body);
    if (!obj)
        return obj.error();
    const QJsonValue arr = obj->value(QLatin1String("segments"));
    if (!arr.isArray())
        return protocol(QStringLiteral("no \"segments\" array"));
    QList<SegmentInfo> out;
    for (const QJsonValue& v : arr.toArray()) {
        auto s = parseSegment(v.toObject());
        if (!s)
            return s.error();
        out.append(*s);
    }
    return out;
}

Result<MembershipPage> CustomerIoClient::parseMembershipPage(const QByteArray& body)
{
    return parseMembershipPageFast(body);
}

Result<MembershipPage> CustomerIoClient::parseMembershipPageReference(const QByteArray& body)
{
    auto obj = parseObject(body);
    if (!obj)
        return obj.error();
    MembershipPage page;
    const QJsonValue next = obj->value(QLatin1String("next"));
    if (next.isString())
        page.next = next.toString();
    else if (!next.isUndefined() && !next.isNull())
        return protocol(QStringLiteral("\"next\" is not a string"));

    const QJsonValue identifiers = obj->value(QLatin1String("identifiers"));
    const QJsonValue ids = obj->value(QLatin1String("ids"));
    if (identifiers.isArray()) {
        const QJsonArray arr = identifiers.toArray();
        page.members.reserve(size_t(arr.size()));
        for (const QJsonValue& v : arr) {
            if (!v.isObject())
                return protocol(QStringLiteral("an identifier is not an object"));
            const QJsonObject o = v.toObject();
            MemberIdentifiers m;
            m.id = nullableString(o.value(QLatin1String("id")));
            m.email = nullableString(o.value(QLatin1String("email")));
            m.cioId = nullableString(o.value(QLatin1String("cio_id"))).value_or(QString());
            page.members.push_back(std::move(m));
        }
    } else if (ids.isArray()) {
        // Older shape: ids only. "" stands for a member without an id.
        const QJsonArray arr = ids.toArray();
        page.members.reserve(size_t(arr.size()));
        for (const QJsonValue& v : arr) {
            MemberIdentifiers m;
            m.id = nullableString(v);
            page.members.push_back(std::move(m));
        }
    } else {
        return protocol(QStringLiteral("neither \"identifiers\" nor \"ids\" in a membership page"));
    }
    return page;
}

void CustomerIoClient::segments(Callback<QList<SegmentInfo>> done)
{
    fetch<QList<SegmentInfo>>(get(QStringLiteral("/v1/segments")), &parseSegments, std::move(done));
}

void CustomerIoClient::segment(qint64 id, Callback<SegmentInfo> done)
{
    fetch<SegmentInfo>(get(QStringLiteral("/v1/segments/%1").arg(id)), &parseSegmentReply,
                       std::move(done));
}

Result<SegmentInfo> CustomerIoClient::parseSegmentReply(const QByteArray& body)
{
    auto obj = parseObject(body);
    if (!obj)
        return obj.error();
    if (!obj->value(QLatin1String("segment")).isObject())
        return protocol(QStringLiteral("no \"segment\" object"));
    return parseSegment(obj->value(QLatin1String("segment")).toObject());
}

void CustomerIoClient::customerCount(qint64 id, Callback<qint64> done)
{
    fetch<qint64>(get(QStringLiteral("/v1/segments/%1/customer_count").arg(id)),
                  &parseCustomerCount, std::move(done));
}

Result<qint64> CustomerIoClient::parseCustomerCount(const QByteArray& body)
{
    auto obj = parseObject(body);
    if (!obj)
        return obj.error();
    const QJsonValue c = obj->value(QLatin1String("count"));
    if (!c.isDouble())
        return protocol(QStringLiteral("no numeric \"count\""));
    return c.toInteger();
}

std::optional<QString> CustomerIoClient::peekNext(const QByteArray& body)
{
    // Only the common shape is read without parsing: the top-level key "next" as the
    // last member, i.e. `"next": <string or null>` followed by nothing but the closing
    // brace. The brace that ends a valid document closes the root object, so that key is
    // the root's own (a "next" key inside an identifier would be followed by `}]}`).
    // Anything else, including no "next" at all (which an escaped key such as
    // "n\u0065xt" could still spell), is left to the full parser: nullopt. Found by
    // fuzz_membership_page, which checks that peek and parse agree.
    const qsizetype at = body.lastIndexOf("\"next\"");
    if (at <= 0 || body[at - 1] == '\\')
        return std::nullopt;
    auto skipSpace = [&body](qsizetype i) {
        while (i < body.size() && QChar::isSpace(uchar(body[i])))
            ++i;
        return i;
    };
    qsizetype i = skipSpace(at + 6);
    if (i >= body.size() || body[i] != ':')
        return std::nullopt;
    i = skipSpace(i + 1);
    std::optional<QString> value;
    qsizetype end = i;
    if (body.mid(i, 4) == "null") {
        value = QString();
        end = i + 4;
    } else if (i < body.size() && body[i] == '"') {
        end = i + 1;
        while (end < body.size() && body[end] != '"')
            end += body[end] == '\\' ? 2 : 1;
        if (end >= body.size())
            return std::nullopt;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + body.mid(i, end - i + 1) + "]");
        if (!doc.isArray() || !doc.array().at(0).isString())
            return std::nullopt;
        value = doc.array().at(0).toString();
        ++end;
    } else {
        return std::nullopt;
    }
    end = skipSpace(end);
    if (end >= body.size() || body[end] != '}' || skipSpace(end + 1) != body.size())
        return std::nullopt;
    return value;
}

void CustomerIoClient::membershipPageRaw(qint64 segmentId, const QString& start, int limit,
                                         Callback<QByteArray> done)
{
    QList<std::pair<QString, QString>> query;
    if (!start.isEmpty())
        query.append({QStringLiteral("start"), start});
    query.append({QStringLiteral("limit"), QString::number(std::clamp(limit, 1, kMaxPageSize))});
    fetch<QByteArray>(
        get(QStringLiteral("/v1/segments/%1/membership").arg(segmentId), query),
        [](const QByteArray& body) -> Result<QByteArray> { return body; }, std::move(done));
}

void CustomerIoClient::membershipPage(qint64 segmentId, const QString& start, int limit,
                                      Callback<MembershipPage> done)
{
    QList<std::pair<QString, QString>> query;
    if (!start.isEmpty())
        query.append({QStringLiteral("start"), start});
    query.append({QStringLiteral("limit"), QString::number(std::clamp(limit, 1, kMaxPageSize))});
    fetch<MembershipPage>(get(QStringLiteral("/v1/segments/%1/membership").arg(segmentId), query),
                          &parseMembershipPage, std::move(done));
}

Result<std::vector<MemberIdentifiers>> CustomerIoClient::parseCustomers(const QByteArray& body)
{
    auto obj = parseObject(body);
    if (!obj)
        return obj.error();
    const QJsonValue customers = obj->value(QLatin1String("customers"));
    std::vector<MemberIdentifiers> out;
    if (customers.isNull())
        return out; // nobody found, said as null
    if (!customers.isArray())
        return protocol(QStringLiteral("no \"customers\" array in a customer lookup"));
    const QJsonArray arr = customers.toArray();
    out.reserve(size_t(arr.size()));
    for (const QJsonValue& v : arr) {
        const QJsonValue c = v.toObject().value(QLatin1String("customer"));
        if (!c.isObject())
            return protocol(QStringLiteral("a customer lookup item without a \"customer\" object"));
        const QJsonObject customer = c.toObject();
        const QJsonValue attrs = customer.value(QLatin1String("attributes"));
        if (!attrs.isUndefined() && !attrs.isNull() && !attrs.isObject())
            return protocol(QStringLiteral("a customer's \"attributes\" is not an object"));
        const QJsonObject a = attrs.toObject();
        // Identifiers sit in the attributes; take them from the customer itself as well.
        auto field = [&customer, &a](QLatin1String name) {
            const std::optional<QString> top = nullableString(customer.value(name));
            return top ? top : nullableString(a.value(name));
        };
        MemberIdentifiers m;
        m.id = field(QLatin1String("id"));
        m.email = field(QLatin1String("email"));
        m.cioId = field(QLatin1String("cio_id")).value_or(QString());
        out.push_back(std::move(m));
    }
    return out;
}

Result<QSet<QString>>
CustomerIoClient::matchCustomers(IdentityKey idType, const QStringList& ids,
                                 const std::vector<MemberIdentifiers>& customers)
{
    auto as = [idType](const QString& value) {
        MemberIdentifiers m;
        (idType == IdentityKey::Id ? m.id : m.email) = value;
        m.cioId = value;
        return m;
    };
    // Both sides through the identity rules, so a key matches the customer it came from.
    QHash<QString, QStringList> wanted; // normalised -> the ids as given
    for (const QString& id : ids)
        wanted[IdentityResolver::keyFor(idType, as(id)).value].append(id);
    QSet<QString> found;
    for (const MemberIdentifiers& c : customers) {
        const IdentityResolver::Key k = IdentityResolver::keyFor(idType, c);
        const auto it = k.value.isEmpty() ? wanted.constEnd() : wanted.constFind(k.value);
        if (it == wanted.constEnd())
            return protocol(
                QStringLiteral("a customer lookup returned a customer that was not asked for"));
        for (const QString& id : *it)
            found.insert(id);
    }
    return found;
}

void CustomerIoClient::existingCustomers(IdentityKey idType, const QStringList& ids,
                                         Callback<QSet<QString>> done)
{
    if (ids.isEmpty()) {
        done(QSet<QString>());
        return;
    }
    if (ids.size() > kMaxLookupIds) {
        done(SyncError::make(SyncError::Category::Usage,
                             QStringLiteral("a customer lookup takes at most %1 ids, not %2")
                                 .arg(kMaxLookupIds)
                                 .arg(ids.size())));
        return;
    }
    QJsonObject body{{QStringLiteral("ids"), QJsonArray::fromStringList(ids)}};
    fetch<QSet<QString>>(
        post(QStringLiteral("/v1/customers/attributes"),
             {{QStringLiteral("id_type"), identityKeyName(idType)}},
             QJsonDocument(body).toJson(QJsonDocument::Compact)),
        [idType, ids](const QByteArray& reply) -> Result<QSet<QString>> {
            auto customers = parseCustomers(reply);
            if (!customers)
                return customers.error();
            return matchCustomers(idType, ids, *customers);
        },
        std::move(done));
}

} // namespace lockstep
