#include "fakecustomerio.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

namespace lockstep::test {

namespace {
constexpr int kDefaultPageSize = 1000;
constexpr int kMaxPageSize = 30000;
constexpr int kMaxLookupIds = 100;
constexpr qint64 kCreatedAt = 1700000000;

FakeResponse errors(int status, const QString& detail)
{
    const QJsonObject e{{QStringLiteral("detail"), detail},
                        {QStringLiteral("status"), QString::number(status)}};
    return FakeResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("errors"), QJsonArray{e}}}));
}

// A JSON string literal, for replies built by hand to keep the service's key order.
QByteArray quoted(const QString& s)
{
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}
} // namespace

struct FakeCustomerIo::State
{
    struct Segment
    {
        QString name;
        std::optional<int> progress;
        qint64 updatedAt = kCreatedAt;
        std::vector<int> members; // people, sorted
    };

    mutable QMutex mutex;
    QString host;
    QString key = QStringLiteral("fake-app-api-key");
    int population = 0;
    std::mt19937_64 rng;
    std::map<qint64, Segment> segments;
    QSet<int> removed;

    static QString id(int person) { return QString::number(100000 + person); }
    static QString email(int person) { return QStringLiteral("person%1@example.com").arg(person); }
    static QString cioId(int person)
    {
        return QStringLiteral("c%1").arg(person, 6, 16, QLatin1Char('0'));
    }
    QString identifier(int person, const QString& kind) const
    {
        if (kind == QLatin1String("id"))
            return id(person);
        if (kind == QLatin1String("cio_id"))
            return cioId(person);
        return email(person);
    }

    QJsonObject segmentJson(qint64 segmentId, const Segment& s) const
    {
        return QJsonObject{
            {QStringLiteral("id"), segmentId},
            {QStringLiteral("deduplicate_id"),
             QStringLiteral("%1:%2").arg(segmentId).arg(s.updatedAt)},
            {QStringLiteral("name"), s.name},
            {QStringLiteral("description"), QString()},
            {QStringLiteral("state"),
             s.progress ? QStringLiteral("build") : QStringLiteral("finished")},
            {QStringLiteral("progress"), s.progress ? QJsonValue(*s.progress) : QJsonValue()},
            {QStringLiteral("type"), QStringLiteral("dynamic")},
            {QStringLiteral("tags"), QJsonArray()},
            {QStringLiteral("created_at"), kCreatedAt},
            {QStringLiteral("updated_at"), s.updatedAt}};
    }

    FakeResponse membership(const Segment& s, qint64 segmentId, const QUrlQuery& query) const
    {
        bool ok = true;
        const int limit = query.hasQueryItem(QStringLiteral("limit"))
                              ? query.queryItemValue(QStringLiteral("limit")).toInt(&ok)
                              : kDefaultPageSize;
        if (!ok || limit < 1)
            return errors(400, QStringLiteral("limit must be a positive number"));
        qint64 offset = 0;
        if (query.hasQueryItem(QStringLiteral("start"))) {
            const QByteArray cursor = QByteArray::fromBase64(
                query.queryItemValue(QStringLiteral("start"), QUrl::FullyDecoded).toLatin1(),
                QByteArray::Base64UrlEncoding);
            offset = cursor.startsWith("offset:") ? cursor.mid(7).toLongLong(&ok) : -1;
            if (!ok || offset < 0)
                return errors(400, QStringLiteral("invalid start cursor"));
        }
        const qint64 end =
            std::min<qint64>(qint64(s.members.size()), offset + std::min(limit, kMaxPageSize));
        QByteArray ids = "[", identifiers = "[";
        for (qint64 i = offset; i < end; ++i) {
            const int p = s.members[size_t(i)];
            if (i > offset) {
                ids += ',';
                identifiers += ',';
            }
            ids += quoted(id(p));
            identifiers += "{\"id\":" + quoted(id(p)) + ",\"email\":" + quoted(email(p)) +
                           ",\"cio_id\":" + quoted(cioId(p)) + '}';
        }
        QByteArray body = "{\"segment_id\":" + QByteArray::number(segmentId) + ",\"ids\":" + ids +
                          "],\"identifiers\":" + identifiers + ']';
        // The last page has no `next` (API.md: absent or ""; the fixture shows it absent).
        if (end < qint64(s.members.size())) {
            const QByteArray cursor = QByteArray("offset:") + QByteArray::number(end);
            body += ",\"next\":" +
                    quoted(QString::fromLatin1(cursor.toBase64(QByteArray::Base64UrlEncoding |
                                                               QByteArray::OmitTrailingEquals)));
        }
        body += '}';
        return FakeResponse::json(200, body);
    }

    FakeResponse customers(const FakeRequest& r) const
    {
        const QString idType = r.query().queryItemValue(QStringLiteral("id_type"));
        if (idType != QLatin1String("id") && idType != QLatin1String("email") &&
            idType != QLatin1String("cio_id"))
            return errors(400, QStringLiteral("id_type must be id, email or cio_id"));
        const QJsonArray ids = r.json().object().value(QStringLiteral("ids")).toArray();
        if (ids.isEmpty() || ids.size() > kMaxLookupIds)
            return errors(400, QStringLiteral("between 1 and %1 ids").arg(kMaxLookupIds));
        QHash<QString, int> byKey;
        for (int p = 0; p < population; ++p)
            if (!removed.contains(p))
                byKey.insert(identifier(p, idType).toLower(), p);
        QJsonArray out;
        for (const QJsonValue& v : ids) {
            const auto it = byKey.constFind(v.toString().trimmed().toLower());
            if (it == byKey.cend())
                continue; // Customer.io leaves unknown people out
            const int p = *it;
            const QJsonObject attrs{{QStringLiteral("cio_id"), cioId(p)},
                                    {QStringLiteral("email"), email(p)},
                                    {QStringLiteral("id"), id(p)}};
            const QJsonObject stamps{{QStringLiteral("cio_id"), kCreatedAt},
                                     {QStringLiteral("email"), kCreatedAt},
                                     {QStringLiteral("id"), kCreatedAt}};
            out.append(QJsonObject{{QStringLiteral("customer"),
                                    QJsonObject{{QStringLiteral("id"), id(p)},
                                                {QStringLiteral("attributes"), attrs},
                                                {QStringLiteral("timestamps"), stamps},
                                                {QStringLiteral("devices"), QJsonArray()}}}});
        }
        return FakeResponse::json(200,
                                  QJsonDocument(QJsonObject{{QStringLiteral("customers"), out}}));
    }

    FakeResponse handle(const FakeRequest& r) const
    {
        if (r.header("Authorization") != "Bearer " + key.toUtf8())
            return errors(401, QStringLiteral("unauthorized"));
        static const QRegularExpression segmentPath(
            QStringLiteral("^/v1/segments/(\\d+)(/customer_count|/membership)?$"));
        const QString path = r.path();
        QMutexLocker lock(&mutex);
        if (r.method == "GET" && path == QLatin1String("/v1/segments")) {
            QJsonArray list;
            for (const auto& [sid, s] : segments)
                list.append(segmentJson(sid, s));
            return FakeResponse::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("segments"), list}}));
        }
        if (r.method == "POST" && path == QLatin1String("/v1/customers/attributes"))
            return customers(r);
        const QRegularExpressionMatch m = segmentPath.match(path);
        if (r.method != "GET" || !m.hasMatch())
            return errors(
                404,
                QStringLiteral("no such endpoint: %1 %2").arg(QString::fromLatin1(r.method), path));
        const qint64 sid = m.captured(1).toLongLong();
        const auto it = segments.find(sid);
        if (it == segments.end())
            return errors(404, QStringLiteral("segment not found"));
        const QString tail = m.captured(2);
        if (tail.isEmpty())
            return FakeResponse::json(
                200, QJsonDocument(
                         QJsonObject{{QStringLiteral("segment"), segmentJson(sid, it->second)}}));
        if (tail == QLatin1String("/customer_count"))
            return FakeResponse::json(
                200, QJsonDocument(QJsonObject{
                         {QStringLiteral("segment_id"), sid},
                         {QStringLiteral("count"), qint64(it->second.members.size())}}));
        return membership(it->second, sid, r.query());
    }
};

FakeCustomerIo::FakeCustomerIo(int population, quint64 seed, const QString& host)
    : m_state(std::make_shared<State>())
{
    m_state->host = host;
    m_state->population = population;
    m_state->rng.seed(seed);
}

FakeCustomerIo::~FakeCustomerIo() = default;

QUrl FakeCustomerIo::baseUrl() const
{
    return QUrl(QStringLiteral("https://") + m_state->host);
}

QString FakeCustomerIo::appApiKey() const
{
    return m_state->key;
}

void FakeCustomerIo::addSegment(qint64 id, const QString& name, int size)
{
    QMutexLocker lock(&m_state->mutex);
    std::vector<int> everyone(size_t(m_state->population));
    for (int p = 0; p < m_state->population; ++p)
        everyone[size_t(p)] = p;
    std::shuffle(everyone.begin(), everyone.end(), m_state->rng);
    everyone.resize(size_t(std::clamp(size, 0, m_state->population)));
    std::sort(everyone.begin(), everyone.end());
    State::Segment s;
    s.name = name;
    s.members = std::move(everyone);
    m_state->segments[id] = std::move(s);
}

void FakeCustomerIo::churn(qint64 id, int entered, int exited)
{
    QMutexLocker lock(&m_state->mutex);
    const auto it = m_state->segments.find(id);
    if (it == m_state->segments.end())
        return;
    std::vector<int>& members = it->second.members;
    std::shuffle(members.begin(), members.end(), m_state->rng);
    members.resize(members.size() - std::min(members.size(), size_t(std::max(0, exited))));
    const QSet<int> in(members.begin(), members.end());
    std::vector<int> outside;
    for (int p = 0; p < m_state->population; ++p)
        if (!in.contains(p) && !m_state->removed.contains(p))
            outside.push_back(p);
    std::shuffle(outside.begin(), outside.end(), m_state->rng);
    outside.resize(std::min(outside.size(), size_t(std::max(0, entered))));
    members.insert(members.end(), outside.begin(), outside.end());
    std::sort(members.begin(), members.end());
}

void FakeCustomerIo::setProgress(qint64 id, std::optional<int> progress)
{
    QMutexLocker lock(&m_state->mutex);
    if (const auto it = m_state->segments.find(id); it != m_state->segments.end())
        it->second.progress = progress;
}

QStringList FakeCustomerIo::memberKeys(qint64 id, const QString& identifier) const
{
    QMutexLocker lock(&m_state->mutex);
    QStringList out;
    if (const auto it = m_state->segments.find(id); it != m_state->segments.end())
        for (int p : it->second.members)
            out.append(m_state->identifier(p, identifier));
    out.sort();
    return out;
}

QStringList FakeCustomerIo::people(const QString& identifier) const
{
    QMutexLocker lock(&m_state->mutex);
    QStringList out;
    for (int p = 0; p < m_state->population; ++p)
        if (!m_state->removed.contains(p))
            out.append(m_state->identifier(p, identifier));
    out.sort();
    return out;
}

void FakeCustomerIo::removePeople(const QStringList& emails)
{
    QMutexLocker lock(&m_state->mutex);
    for (int p = 0; p < m_state->population; ++p)
        if (emails.contains(State::email(p)))
            m_state->removed.insert(p);
}

FakeScript::Fallback FakeCustomerIo::handler() const
{
    return [state = m_state](const FakeRequest& r) -> std::optional<FakeResponse> {
        if (r.url.host().compare(state->host, Qt::CaseInsensitive) != 0)
            return std::nullopt;
        return state->handle(r);
    };
}

} // namespace lockstep::test
