#include "fakemixpanel.h"

#include <QHash>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>

#include <map>

namespace lockstep::test {

namespace {
constexpr int kMaxBatch = 2000;
constexpr int kPageSize = 1000;

FakeResponse errorObject(int status, const QString& error)
{
    return FakeResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("error"), error},
                                          {QStringLiteral("status"), QStringLiteral("error")}}));
}

// `"value"` with \" and \\ escapes, as the engine writes it into a where expression.
QString unescape(const QString& s)
{
    QString out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i) == QLatin1Char('\\') && i + 1 < s.size())
            ++i;
        out += s.at(i);
    }
    return out;
}

bool holds(const QJsonObject& properties, const QString& property, const QString& value)
{
    const QJsonValue v = properties.value(property);
    if (v.isArray())
        return v.toArray().contains(value);
    return v.isString() && v.toString() == value;
}
} // namespace

struct FakeMixpanel::State
{
    struct Cohort
    {
        QString name;
        QString property;
        QString value;
    };

    mutable QMutex mutex;
    QString ingestionHost;
    QString queryHost;
    QString token = QStringLiteral("fake-project-token");
    QString serviceAccount = QStringLiteral("fake-sa.user:fake-secret");
    qint64 projectId = 4242;
    QHash<QString, QJsonObject> profiles;
    std::map<qint64, Cohort> cohorts;
    QJsonArray events;
    QSet<QString> insertIds;

    // One profile update; "" when applied, else why it is invalid.
    QString apply(const QJsonObject& u)
    {
        const QString id = u.value(QStringLiteral("$distinct_id")).toString();
        if (id.isEmpty())
            return QStringLiteral("$distinct_id is missing");
        static const QStringList ops{QStringLiteral("$set"),    QStringLiteral("$set_once"),
                                     QStringLiteral("$unset"),  QStringLiteral("$union"),
                                     QStringLiteral("$remove"), QStringLiteral("$add"),
                                     QStringLiteral("$append"), QStringLiteral("$delete")};
        QString op;
        for (const QString& o : ops) {
            if (!u.contains(o))
                continue;
            if (!op.isEmpty())
                return QStringLiteral("more than one operation in the update");
            op = o;
        }
        if (op.isEmpty())
            return QStringLiteral("no operation in the update");
        if (op == QLatin1String("$delete")) {
            profiles.remove(id);
            return {};
        }
        const QJsonValue arg = u.value(op);
        QJsonObject& p = profiles[id];
        if (op == QLatin1String("$unset")) {
            for (const QJsonValue& name : arg.toArray())
                p.remove(name.toString());
            return {};
        }
        if (!arg.isObject())
            return QStringLiteral("%1 takes an object").arg(op);
        const QJsonObject o = arg.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            QJsonValue current = p.value(it.key());
            if (op == QLatin1String("$set")) {
                p.insert(it.key(), it.value());
            } else if (op == QLatin1String("$set_once")) {
                if (!p.contains(it.key()))
                    p.insert(it.key(), it.value());
            } else if (op == QLatin1String("$add")) {
                p.insert(it.key(), current.toDouble() + it.value().toDouble());
            } else if (op == QLatin1String("$append")) {
                QJsonArray list = current.toArray();
                list.append(it.value());
                p.insert(it.key(), list);
            } else if (op == QLatin1String("$union")) {
                QJsonArray list = current.toArray();
                for (const QJsonValue& v : it.value().toArray())
                    if (!list.contains(v))
                        list.append(v);
                p.insert(it.key(), list);
            } else { // $remove
                QJsonArray list = current.toArray();
                for (qsizetype i = list.size() - 1; i >= 0; --i)
                    if (list.at(i) == it.value())
                        list.removeAt(i);
                p.insert(it.key(), list);
            }
        }
        return {};
    }

    FakeResponse engage(const FakeRequest& r)
    {
        const QJsonDocument doc = r.json();
        if (!doc.isArray() && !doc.isObject())
            return FakeResponse::json(400,
                                      QByteArray(R"({"error":"the body is not JSON","status":0})"));
        const QJsonArray updates = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
        if (updates.size() > kMaxBatch)
            return FakeResponse::json(
                400, QByteArray(R"({"error":"at most 2000 updates a request","status":0})"));
        bool anyToken = false;
        int valid = 0;
        QString firstError;
        for (const QJsonValue& v : updates) {
            const QJsonObject u = v.toObject();
            const QString t = u.value(QStringLiteral("$token")).toString();
            if (t.isEmpty())
                continue;
            anyToken = true;
            if (t != token) { // another project's: matched after the reply, then dropped
                ++valid;
                continue;
            }
            const QString error = apply(u);
            if (error.isEmpty())
                ++valid;
            else if (firstError.isEmpty())
                firstError = error;
        }
        if (!anyToken)
            return errorObject(401, QStringLiteral("Invalid token"));
        const bool verbose =
            r.query().queryItemValue(QStringLiteral("verbose")) == QLatin1String("1");
        if (!verbose)
            return FakeResponse::text(200, valid > 0 ? "1" : "0");
        return FakeResponse::json(
            200, QJsonDocument(QJsonObject{
                     {QStringLiteral("status"), valid > 0 ? 1 : 0},
                     {QStringLiteral("error"), firstError.isEmpty() ? QJsonValue() : firstError}}));
    }

    FakeResponse import(const FakeRequest& r)
    {
        const QByteArray auth = r.header("Authorization");
        const bool byAccount = auth == "Basic " + serviceAccount.toUtf8().toBase64();
        const bool byToken = auth == "Basic " + (token + QLatin1Char(':')).toUtf8().toBase64();
        if (!byAccount && !byToken)
            return FakeResponse::json(
                401, QByteArray(
                         R"({"code":401,"error":"Invalid credentials","status":"Unauthorized"})"));
        if (byAccount &&
            r.query().queryItemValue(QStringLiteral("project_id")) != QString::number(projectId))
            return FakeResponse::json(
                401,
                QByteArray(
                    R"({"code":401,"error":"project_id does not match","status":"Unauthorized"})"));
        const QJsonDocument doc = r.json();
        if (!doc.isArray())
            return FakeResponse::json(
                400,
                QByteArray(
                    R"({"code":400,"error":"the body is not a JSON array","status":"Bad Request"})"));
        const QJsonArray batch = doc.array();
        if (batch.size() > kMaxBatch)
            return FakeResponse::json(
                413,
                QByteArray(
                    R"({"code":413,"error":"Request Entity Too Large","status":"Request Entity Too Large"})"));
        static const QRegularExpression insertId(QStringLiteral("^[A-Za-z0-9-]{1,36}$"));
        QJsonArray failed;
        int imported = 0;
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const QJsonObject e = batch.at(i).toObject();
            const QJsonObject p = e.value(QStringLiteral("properties")).toObject();
            const QString id = p.value(QStringLiteral("$insert_id")).toString();
            QString field, message;
            auto invalid = [&field, &message](const char* f, const char* m) {
                field = QLatin1String(f);
                message = QLatin1String(m);
            };
            if (e.value(QStringLiteral("event")).toString().isEmpty())
                invalid("event", "'event' must be a non-empty string");
            else if (!p.value(QStringLiteral("time")).isDouble())
                invalid("properties.time",
                        "'properties.time' is invalid: must be specified as seconds since epoch");
            else if (p.value(QStringLiteral("distinct_id")).toString().isEmpty())
                invalid("properties.distinct_id", "'properties.distinct_id' is missing");
            else if (!insertId.match(id).hasMatch())
                invalid("properties.$insert_id", "'properties.$insert_id' is invalid");
            if (!field.isEmpty()) {
                failed.append(QJsonObject{{QStringLiteral("index"), int(i)},
                                          {QStringLiteral("insert_id"), id},
                                          {QStringLiteral("field"), field},
                                          {QStringLiteral("message"), message}});
                continue;
            }
            ++imported;
            const QString key =
                e.value(QStringLiteral("event")).toString() + QLatin1Char('|') +
                p.value(QStringLiteral("distinct_id")).toString() + QLatin1Char('|') +
                QString::number(p.value(QStringLiteral("time")).toDouble(), 'f', 0) +
                QLatin1Char('|') + id;
            if (!insertIds.contains(key)) {
                insertIds.insert(key);
                events.append(e);
            }
        }
        if (!failed.isEmpty())
            return FakeResponse::json(
                400, QJsonDocument(QJsonObject{
                         {QStringLiteral("code"), 400},
                         {QStringLiteral("error"),
                          QStringLiteral("Some data points in the request failed validation.")},
                         {QStringLiteral("num_records_imported"), imported},
                         {QStringLiteral("status"), QStringLiteral("Bad Request")},
                         {QStringLiteral("failed_records"), failed}}));
        return FakeResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("code"), 200},
                                           {QStringLiteral("num_records_imported"), imported},
                                           {QStringLiteral("status"), QStringLiteral("OK")}}));
    }

    FakeResponse queryProfiles(const FakeRequest& r) const
    {
        const QUrlQuery form = r.form();
        auto field = [&form](const char* name) {
            return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
        };
        std::function<bool(const QString&, const QJsonObject&)> keep =
            [](const QString&, const QJsonObject&) { return true; };
        if (const QString ids = field("distinct_ids"); !ids.isEmpty()) {
            QSet<QString> wanted;
            for (const QJsonValue& v : QJsonDocument::fromJson(ids.toUtf8()).array())
                wanted.insert(v.toString());
            keep = [wanted](const QString& id, const QJsonObject&) { return wanted.contains(id); };
        }
        if (const QString where = field("where"); !where.isEmpty()) {
            static const QRegularExpression defined(
                QStringLiteral(R"re(^defined\(properties\["((?:[^"\\]|\\.)*)"\]\)$)re"));
            static const QRegularExpression in(QStringLiteral(
                R"re(^"((?:[^"\\]|\\.)*)" in properties\["((?:[^"\\]|\\.)*)"\]$)re"));
            if (const auto m = defined.match(where); m.hasMatch()) {
                const QString prop = unescape(m.captured(1));
                keep = [keep, prop](const QString& id, const QJsonObject& p) {
                    return keep(id, p) && p.contains(prop);
                };
            } else if (const auto m2 = in.match(where); m2.hasMatch()) {
                const QString value = unescape(m2.captured(1)), prop = unescape(m2.captured(2));
                keep = [keep, prop, value](const QString& id, const QJsonObject& p) {
                    return keep(id, p) && holds(p, prop, value);
                };
            } else {
                return errorObject(
                    400, QStringLiteral("the fake does not understand where=%1").arg(where));
            }
        }
        if (const QString cohort = field("filter_by_cohort"); !cohort.isEmpty()) {
            const qint64 id = QJsonDocument::fromJson(cohort.toUtf8())
                                  .object()
                                  .value(QStringLiteral("id"))
                                  .toInteger();
            const auto c = cohorts.find(id);
            if (c == cohorts.end())
                return errorObject(400, QStringLiteral("no cohort %1").arg(id));
            keep = [keep, c = c->second](const QString& did, const QJsonObject& p) {
                return keep(did, p) && holds(p, c.property, c.value);
            };
        }
        QStringList output;
        for (const QJsonValue& v :
             QJsonDocument::fromJson(field("output_properties").toUtf8()).array())
            output.append(v.toString());
        QStringList matching;
        for (auto it = profiles.cbegin(); it != profiles.cend(); ++it)
            if (keep(it.key(), it.value()))
                matching.append(it.key());
        matching.sort();
        const int page = field("page").toInt();
        QString session = field("session_id");
        if (session.isEmpty())
            session = QStringLiteral("fake-session-%1").arg(r.serial);
        QJsonArray results;
        for (qsizetype i = qsizetype(page) * kPageSize;
             i < matching.size() && i < qsizetype(page + 1) * kPageSize; ++i) {
            QJsonObject props = profiles.value(matching.at(i));
            if (!output.isEmpty()) {
                QJsonObject only;
                for (const QString& name : output)
                    if (props.contains(name))
                        only.insert(name, props.value(name));
                props = only;
            }
            results.append(QJsonObject{{QStringLiteral("$distinct_id"), matching.at(i)},
                                       {QStringLiteral("$properties"), props}});
        }
        return FakeResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("page"), page},
                                           {QStringLiteral("page_size"), kPageSize},
                                           {QStringLiteral("session_id"), session},
                                           {QStringLiteral("status"), QStringLiteral("ok")},
                                           {QStringLiteral("total"), qint64(matching.size())},
                                           {QStringLiteral("results"), results}}));
    }

    FakeResponse cohortList() const
    {
        QJsonArray list;
        for (const auto& [id, c] : cohorts) {
            qint64 count = 0;
            for (const QJsonObject& p : profiles)
                count += holds(p, c.property, c.value) ? 1 : 0;
            list.append(
                QJsonObject{{QStringLiteral("count"), count},
                            {QStringLiteral("is_visible"), 1},
                            {QStringLiteral("description"), QString()},
                            {QStringLiteral("created"), QStringLiteral("2024-01-01 00:00:00")},
                            {QStringLiteral("project_id"), projectId},
                            {QStringLiteral("id"), id},
                            {QStringLiteral("name"), c.name}});
        }
        return FakeResponse::json(200, QJsonDocument(list));
    }

    FakeResponse query(const FakeRequest& r) const
    {
        if (r.header("Authorization") != "Basic " + serviceAccount.toUtf8().toBase64())
            return errorObject(401, QStringLiteral("Invalid credentials"));
        if (r.query().queryItemValue(QStringLiteral("project_id")) != QString::number(projectId))
            return errorObject(403,
                               QStringLiteral("the service account has no access to this project"));
        if (r.method == "POST" && r.path() == QLatin1String("/api/query/engage"))
            return queryProfiles(r);
        if (r.method == "POST" && r.path() == QLatin1String("/api/query/cohorts/list"))
            return cohortList();
        return errorObject(404, QStringLiteral("no such endpoint: %1").arg(r.path()));
    }

    FakeResponse handle(const FakeRequest& r)
    {
        QMutexLocker lock(&mutex);
        if (r.url.host().compare(queryHost, Qt::CaseInsensitive) == 0)
            return query(r);
        if (r.method == "POST" && r.path() == QLatin1String("/engage"))
            return engage(r);
        if (r.method == "POST" && r.path() == QLatin1String("/import"))
            return import(r);
        return errorObject(404, QStringLiteral("no such endpoint: %1").arg(r.path()));
    }
};

FakeMixpanel::FakeMixpanel(const QString& ingestionHost, const QString& queryHost)
    : m_state(std::make_shared<State>())
{
    m_state->ingestionHost = ingestionHost;
    m_state->queryHost = queryHost;
}

FakeMixpanel::~FakeMixpanel() = default;

QUrl FakeMixpanel::ingestionUrl() const
{
    return QUrl(QStringLiteral("https://") + m_state->ingestionHost);
}

QUrl FakeMixpanel::queryUrl() const
{
    return QUrl(QStringLiteral("https://%1/api/query").arg(m_state->queryHost));
}

QString FakeMixpanel::projectToken() const
{
    return m_state->token;
}

QString FakeMixpanel::serviceAccount() const
{
    return m_state->serviceAccount;
}

qint64 FakeMixpanel::projectId() const
{
    return m_state->projectId;
}

void FakeMixpanel::addCohort(qint64 id, const QString& name, const QString& property,
                             const QString& value)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->cohorts[id] = State::Cohort{name, property, value};
}

void FakeMixpanel::setProfile(const QString& distinctId, const QJsonObject& properties)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->profiles.insert(distinctId, properties);
}

QJsonObject FakeMixpanel::profile(const QString& distinctId) const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->profiles.value(distinctId);
}

QStringList FakeMixpanel::profilesWith(const QString& property, const QString& value) const
{
    QMutexLocker lock(&m_state->mutex);
    QStringList out;
    for (auto it = m_state->profiles.cbegin(); it != m_state->profiles.cend(); ++it)
        if (holds(it.value(), property, value))
            out.append(it.key());
    out.sort();
    return out;
}

QJsonArray FakeMixpanel::events() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->events;
}

FakeScript::Fallback FakeMixpanel::handler() const
{
    return [state = m_state](const FakeRequest& r) -> std::optional<FakeResponse> {
        const QString host = r.url.host();
        if (host.compare(state->ingestionHost, Qt::CaseInsensitive) != 0 &&
            host.compare(state->queryHost, Qt::CaseInsensitive) != 0)
            return std::nullopt;
        return state->handle(r);
    };
}

} // namespace lockstep::test
