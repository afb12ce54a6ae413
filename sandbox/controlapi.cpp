#include "controlapi.h"

#include "jsonwriter.h"
#include "sandboxstate.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace lockstep::sandbox {
namespace {

HttpReply controlError(int status, const QString& message)
{
    QByteArray body = "{\"error\":";
    json::appendString(body, message);
    body.append('}');
    return HttpReply::json(status, body);
}

void appendPerson(QByteArray& out, const Population& people, std::uint32_t index)
{
    const Person& p = people.person(index);
    out.append("{\"id\":");
    if (p.id == StringPool::kNone)
        out.append("null");
    else
        json::appendString(out, people.text(p.id));
    out.append(",\"email\":");
    if (p.email == StringPool::kNone)
        out.append("null");
    else
        json::appendString(out, people.text(p.email));
    out.append(",\"cio_id\":");
    json::appendString(out, people.text(p.cioId));
    out.append('}');
}

} // namespace

HttpReply ControlApi::handle(const HttpRequest& request)
{
    const QString path = request.path;
    const QByteArray& m = request.method;
    if (path == QStringLiteral("/_sandbox/tick") && m == "POST")
        return tick(request);
    if (path == QStringLiteral("/_sandbox/stats") && m == "GET") {
        bool ok = false;
        qint64 limit = request.queryItem(QStringLiteral("log_limit")).toLongLong(&ok);
        if (!ok)
            limit = -1;
        const qint64 since = request.queryItem(QStringLiteral("since_ms")).toLongLong();
        return HttpReply::json(200, m_state.log.toJson(limit, since));
    }
    if (path == QStringLiteral("/_sandbox/stats/reset") && m == "POST") {
        m_state.log.reset();
        return HttpReply::json(200, "{\"ok\":true}");
    }
    if (path == QStringLiteral("/_sandbox/webhooks")) {
        if (m == "GET")
            return HttpReply::json(
                200, m_state.webhooks.toJson(request.queryItem(QStringLiteral("kind"))));
        if (m == "DELETE") {
            m_state.webhooks.clear();
            return HttpReply::json(200, "{\"ok\":true}");
        }
    }
    if (path == QStringLiteral("/_sandbox/faults")) {
        if (m == "GET")
            return HttpReply::json(
                200, QJsonDocument(m_state.faults.toJson()).toJson(QJsonDocument::Compact));
        if (m == "DELETE") {
            m_state.faults.clear();
            return HttpReply::json(200, "{\"ok\":true}");
        }
        if (m == "POST") {
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(request.body, &pe);
            if (pe.error != QJsonParseError::NoError)
                return controlError(400,
                                    QStringLiteral("body is not JSON: %1").arg(pe.errorString()));
            QJsonValue rules = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
            if (doc.isObject() && doc.object().contains(QStringLiteral("faults")))
                rules = doc.object().value(QStringLiteral("faults"));
            const QString err = m_state.faults.install(rules);
            if (!err.isEmpty())
                return controlError(400, err);
            return HttpReply::json(
                200, QJsonDocument(m_state.faults.toJson()).toJson(QJsonDocument::Compact));
        }
    }
    static const QRegularExpression membersPath(
        QStringLiteral("^/_sandbox/segments/(\\d+)/members$"));
    if (const auto match = membersPath.match(path); match.hasMatch()) {
        if (m == "GET")
            return segmentMembers(match.captured(1).toInt());
        if (m == "POST")
            return editMembers(match.captured(1).toInt(), request);
    }
    if (path == QStringLiteral("/_sandbox/merges")) {
        if (m == "GET")
            return merges();
        if (m == "POST")
            return mergeNow(request);
    }
    if (path == QStringLiteral("/_sandbox/profiles") && m == "GET")
        return profiles(request);
    if (path == QStringLiteral("/_sandbox/info") && m == "GET")
        return info();
    if (path == QStringLiteral("/_sandbox/query_budget/reset") && m == "POST") {
        m_state.queryBudget.reset();
        return HttpReply::json(200, "{\"ok\":true}");
    }
    return controlError(
        404, QStringLiteral("no control endpoint %1 %2").arg(QString::fromLatin1(m), path));
}

HttpReply ControlApi::tick(const HttpRequest& request)
{
    bool ok = true;
    const int n = request.query.hasQueryItem(QStringLiteral("n"))
                      ? request.queryItem(QStringLiteral("n")).toInt(&ok)
                      : 1;
    if (!ok || n < 1 || n > 100000)
        return controlError(400, QStringLiteral("n must be an integer between 1 and 100000"));
    TickReport total;
    for (int i = 0; i < n; ++i) {
        const TickReport r = m_state.tick();
        total.tick = r.tick;
        total.entered += r.entered;
        total.exited += r.exited;
        total.merged += r.merged;
        total.definitionEdits += r.definitionEdits;
    }
    return HttpReply::json(
        200, "{\"tick\":" + QByteArray::number(total.tick) +
                 ",\"entered\":" + QByteArray::number(total.entered) +
                 ",\"exited\":" + QByteArray::number(total.exited) +
                 ",\"merged\":" + QByteArray::number(total.merged) +
                 ",\"definition_edits\":" + QByteArray::number(total.definitionEdits) + '}');
}

HttpReply ControlApi::segmentMembers(int segmentId) const
{
    const Segment* s = m_state.segments.find(segmentId);
    if (!s)
        return controlError(404, QStringLiteral("segment %1 not found").arg(segmentId));
    QByteArray body = "{\"segment_id\":" + QByteArray::number(segmentId) +
                      ",\"count\":" + QByteArray::number(s->count) + ",\"members\":[";
    bool first = true;
    for (std::uint32_t p = m_state.segments.nextMember(*s, 0); p != Population::kNoPerson;
         p = m_state.segments.nextMember(*s, p + 1)) {
        if (!first)
            body.append(',');
        first = false;
        appendPerson(body, m_state.population, p);
    }
    body.append("]}");
    return HttpReply::json(200, body);
}

HttpReply ControlApi::editMembers(int segmentId, const HttpRequest& request)
{
    const QJsonObject o = QJsonDocument::fromJson(request.body).object();
    QStringList add, remove;
    for (const QJsonValue& v : o.value(QStringLiteral("add")).toArray())
        add.append(v.toString());
    for (const QJsonValue& v : o.value(QStringLiteral("remove")).toArray())
        remove.append(v.toString());
    const QString err = m_state.segments.edit(segmentId, m_state.population, add, remove);
    if (!err.isEmpty())
        return controlError(400, err);
    return segmentMembers(segmentId);
}

HttpReply ControlApi::merges() const
{
    const Population& people = m_state.population;
    QByteArray body =
        "{\"count\":" + QByteArray::number(qulonglong(people.merges().size())) + ",\"merges\":[";
    bool first = true;
    for (const Merge& merge : people.merges()) {
        if (!first)
            body.append(',');
        first = false;
        body.append("{\"tick\":" + QByteArray::number(merge.tick) + ",\"secondary\":");
        appendPerson(body, people, merge.secondary);
        body.append(",\"primary\":");
        appendPerson(body, people, merge.primary);
        body.append('}');
    }
    body.append("]}");
    return HttpReply::json(200, body);
}

HttpReply ControlApi::mergeNow(const HttpRequest& request)
{
    const QJsonObject o = QJsonDocument::fromJson(request.body).object();
    std::uint32_t people[2] = {Population::kNoPerson, Population::kNoPerson};
    const char* const roles[2] = {"secondary", "primary"};
    for (int i = 0; i < 2; ++i) {
        const QString key = o.value(QLatin1String(roles[i])).toString();
        people[i] = key.isEmpty() ? Population::kNoPerson
                                  : m_state.population.findByKey(QByteArrayView(key.toUtf8()));
        if (people[i] == Population::kNoPerson)
            return controlError(400, QStringLiteral("%1: no person has cio_id, id or email \"%2\"")
                                         .arg(QLatin1String(roles[i]), key));
        if (m_state.population.person(people[i]).vanished)
            return controlError(400, QStringLiteral("%1 \"%2\" was merged away already")
                                         .arg(QLatin1String(roles[i]), key));
    }
    if (people[0] == people[1])
        return controlError(400, QStringLiteral("a person cannot be merged into itself"));
    m_state.segments.merge(m_state.population, people[0], people[1]);
    return merges();
}

HttpReply ControlApi::profiles(const HttpRequest& request) const
{
    const ProfileStore& store = m_state.profiles;
    const QString property = request.queryItem(QStringLiteral("property"));
    const bool hasValue = request.query.hasQueryItem(QStringLiteral("value"));
    const QString value = request.queryItem(QStringLiteral("value"));
    const QString distinctId = request.queryItem(QStringLiteral("distinct_id"));
    if (!distinctId.isEmpty()) {
        const std::uint32_t index = store.lookup(QByteArrayView(distinctId.toUtf8()));
        if (index == StringPool::kNone)
            return controlError(404, QStringLiteral("no profile %1").arg(distinctId));
        QByteArray body;
        store.writeProfile(body, index, nullptr);
        return HttpReply::json(200, body);
    }
    const std::uint32_t key =
        property.isEmpty() ? StringPool::kNone : store.keyId(QByteArrayView(property.toUtf8()));
    const std::uint32_t valueId = store.stringId(QByteArrayView(value.toUtf8()));
    QByteArray ids;
    qint64 count = 0;
    for (std::uint32_t i = 0; i < store.capacity(); ++i) {
        if (!store.profile(i).alive)
            continue;
        if (!property.isEmpty()) {
            const PropValue* v = key == StringPool::kNone ? nullptr : store.property(i, key);
            if (!v)
                continue;
            if (hasValue) {
                bool match = false;
                if (v->type == PropValue::Type::List) {
                    for (const PropValue& item : v->list)
                        match =
                            match || (item.type == PropValue::Type::String && item.str == valueId);
                } else if (v->type == PropValue::Type::String) {
                    match = v->str == valueId;
                } else if (v->type == PropValue::Type::Bool) {
                    match = (value == QStringLiteral("true")) == v->boolean;
                } else if (v->type == PropValue::Type::Number) {
                    match = value.toDouble() == v->number;
                }
                if (!match)
                    continue;
            }
        }
        if (count++)
            ids.append(',');
        json::appendString(ids, store.distinctId(i));
    }
    return HttpReply::json(200, "{\"count\":" + QByteArray::number(count) + ",\"distinct_ids\":[" +
                                    ids + "]}");
}

HttpReply ControlApi::info() const
{
    const Scenario& s = m_state.scenario;
    QJsonArray segments;
    for (const Segment& seg : m_state.segments.segments())
        segments.append(QJsonObject{{QStringLiteral("id"), seg.spec.id},
                                    {QStringLiteral("name"), seg.spec.name},
                                    {QStringLiteral("count"), seg.count},
                                    {QStringLiteral("state"), seg.state}});
    QJsonArray cohorts;
    for (const CohortDef& c : m_state.profiles.cohorts()) {
        QJsonObject o{{QStringLiteral("id"), c.spec.id},
                      {QStringLiteral("name"), c.spec.name},
                      {QStringLiteral("property"), c.spec.property}};
        if (c.spec.flag)
            o.insert(QStringLiteral("flag"), true);
        else
            o.insert(QStringLiteral("value"), c.spec.value);
        cohorts.append(o);
    }
    const QJsonObject o{
        {QStringLiteral("app_api_key"), s.appApiKey},
        {QStringLiteral("project_token"), s.projectToken},
        {QStringLiteral("project_id"), s.projectId},
        {QStringLiteral("service_account"), s.serviceAccount},
        {QStringLiteral("identifiers"),
         s.emailIdentifiers ? QStringLiteral("email") : QStringLiteral("id_only")},
        // The variants of undocumented details this sandbox serves (pinned or from the seed).
        {QStringLiteral("cursor_encoding"), s.cursorEncoding == CursorEncoding::Base64
                                                ? QStringLiteral("base64")
                                                : QStringLiteral("base64url")},
        {QStringLiteral("page_order"), s.pageOrder == PageOrder::Shuffled
                                           ? QStringLiteral("shuffled")
                                           : QStringLiteral("ascending")},
        {QStringLiteral("next_position"),
         s.nextPosition == NextPosition::First ? QStringLiteral("first") : QStringLiteral("last")},
        {QStringLiteral("last_page_next"),
         QStringList{QStringLiteral("absent"), QStringLiteral("null"), QStringLiteral("empty")}.at(
             int(s.lastPageNext))},
        {QStringLiteral("query_retry_after"), s.queryRetryAfter},
        {QStringLiteral("tick"), m_state.segments.ticks()},
        {QStringLiteral("population"), qint64(m_state.population.size())},
        {QStringLiteral("profiles"), m_state.profiles.liveCount()},
        {QStringLiteral("query_budget_used"),
         m_state.queryBudget.used(QDateTime::currentMSecsSinceEpoch())},
        {QStringLiteral("query_budget_limit"), m_state.queryBudget.limit()},
        {QStringLiteral("segments"), segments},
        {QStringLiteral("cohorts"), cohorts}};
    return HttpReply::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace lockstep::sandbox
