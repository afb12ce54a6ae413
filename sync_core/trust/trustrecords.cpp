#include "trustrecords.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace lockstep {

namespace {
QJsonValue optionalText(const std::optional<QString>& s)
{
    return s ? QJsonValue(*s) : QJsonValue(QJsonValue::Null);
}
std::optional<QString> optionalText(const QJsonValue& v)
{
    return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
}
QJsonArray peopleJson(const QList<PersonCheck>& people)
{
    QJsonArray a;
    for (const PersonCheck& p : people)
        a.append(p.toJson());
    return a;
}
QList<PersonCheck> peopleFrom(const QJsonValue& v)
{
    QList<PersonCheck> out;
    for (const QJsonValue& p : v.toArray())
        out.append(PersonCheck::fromJson(p.toObject()));
    return out;
}
int countPassed(const QList<PersonCheck>& people)
{
    return int(
        std::count_if(people.begin(), people.end(), [](const PersonCheck& p) { return p.passed; }));
}
QJsonValue optionalMs(const std::optional<qint64>& v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject PersonCheck::toJson() const
{
    QJsonObject o{{QStringLiteral("cio_id"), cioId},
                  {QStringLiteral("id"), optionalText(personId)},
                  {QStringLiteral("email"), optionalText(email)},
                  {QStringLiteral("distinct_id"), distinctId},
                  {QStringLiteral("in_segment"), inSegment},
                  {QStringLiteral("in_snapshot"), inSnapshot},
                  {QStringLiteral("in_mixpanel"), inMixpanel},
                  {QStringLiteral("ghost_profile"), ghost},
                  {QStringLiteral("unknown_to_mixpanel"), unknownToMixpanel()},
                  {QStringLiteral("has_value"), hasValue},
                  {QStringLiteral("passed"), passed},
                  {QStringLiteral("reason"), reason},
                  {QStringLiteral("detail"), detail}};
    if (!named.isEmpty())
        o.insert(QStringLiteral("named"), named);
    return o;
}

PersonCheck PersonCheck::fromJson(const QJsonObject& o)
{
    PersonCheck p;
    p.cioId = o.value(QLatin1String("cio_id")).toString();
    p.personId = optionalText(o.value(QLatin1String("id")));
    p.email = optionalText(o.value(QLatin1String("email")));
    p.named = o.value(QLatin1String("named")).toString();
    p.distinctId = o.value(QLatin1String("distinct_id")).toString();
    p.inSegment = o.value(QLatin1String("in_segment")).toBool();
    p.inSnapshot = o.value(QLatin1String("in_snapshot")).toBool();
    p.inMixpanel = o.value(QLatin1String("in_mixpanel")).toBool();
    p.ghost = o.value(QLatin1String("ghost_profile")).toBool();
    p.hasValue = o.value(QLatin1String("has_value")).toBool();
    p.passed = o.value(QLatin1String("passed")).toBool();
    p.reason = o.value(QLatin1String("reason")).toString();
    p.detail = o.value(QLatin1String("detail")).toString();
    return p;
}

QString PersonCheck::label() const
{
    if (email && !email->trimmed().isEmpty())
        return email->trimmed();
    if (personId && !personId->isEmpty())
        return *personId;
    if (!cioId.isEmpty())
        return cioId;
    return named;
}

int RehearsalResult::passedCount() const
{
    return countPassed(people);
}

bool RehearsalResult::passed() const
{
    return !people.isEmpty() && passedCount() == people.size() && unexpected.isEmpty();
}

QStringList RehearsalResult::writtenKeys() const
{
    QStringList keys;
    for (const PersonCheck& p : people)
        if (!p.distinctId.isEmpty() && !keys.contains(p.distinctId))
            keys.append(p.distinctId);
    return keys;
}

QJsonObject RehearsalResult::toJson() const
{
    return QJsonObject{{QStringLiteral("mapping_id"), mappingId},
                       {QStringLiteral("test_segment_id"), testSegmentId},
                       {QStringLiteral("test_segment_name"), testSegmentName},
                       {QStringLiteral("mode"), syncModeName(mode)},
                       {QStringLiteral("property"), property},
                       {QStringLiteral("value"), value},
                       {QStringLiteral("at_ms"), atMs},
                       {QStringLiteral("passed"), passed()},
                       {QStringLiteral("people_passed"), passedCount()},
                       {QStringLiteral("people_total"), int(people.size())},
                       {QStringLiteral("people"), peopleJson(people)},
                       {QStringLiteral("unexpected"), QJsonArray::fromStringList(unexpected)},
                       {QStringLiteral("queries_used"), queriesUsed},
                       {QStringLiteral("by"), by}};
}

RehearsalResult RehearsalResult::fromJson(const QJsonObject& o)
{
    RehearsalResult r;
    r.mappingId = o.value(QLatin1String("mapping_id")).toInteger();
    r.testSegmentId = o.value(QLatin1String("test_segment_id")).toInteger();
    r.testSegmentName = o.value(QLatin1String("test_segment_name")).toString();
    r.mode = parseSyncMode(o.value(QLatin1String("mode")).toString()).value_or(SyncMode::List);
    r.property = o.value(QLatin1String("property")).toString();
    r.value = o.value(QLatin1String("value")).toString();
    r.atMs = o.value(QLatin1String("at_ms")).toInteger();
    r.people = peopleFrom(o.value(QLatin1String("people")));
    for (const QJsonValue& v : o.value(QLatin1String("unexpected")).toArray())
        r.unexpected.append(v.toString());
    r.queriesUsed = o.value(QLatin1String("queries_used")).toInt();
    r.by = o.value(QLatin1String("by")).toString();
    return r;
}

QJsonObject OpenRehearsal::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), checkId},
        {QStringLiteral("mapping_id"), rehearsal.mappingId},
        {QStringLiteral("cohort"), cohortName},
        {QStringLiteral("mapping_deleted"), mappingDeleted},
        {QStringLiteral("test_segment_id"), rehearsal.testSegmentId},
        {QStringLiteral("test_segment_name"), rehearsal.testSegmentName},
        {QStringLiteral("mode"), syncModeName(rehearsal.mode)},
        {QStringLiteral("property"), rehearsal.property},
        {QStringLiteral("value"), rehearsal.value},
        {QStringLiteral("at_ms"), rehearsal.atMs},
        {QStringLiteral("at"),
         QDateTime::fromMSecsSinceEpoch(rehearsal.atMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("profiles"), carriers},
        {QStringLiteral("by"),
         rehearsal.by.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(rehearsal.by)}};
}

QJsonObject RehearsalCleanup::toJson() const
{
    return QJsonObject{
        {QStringLiteral("mapping_id"), mappingId}, {QStringLiteral("value"), value},
        {QStringLiteral("removed"), removed},      {QStringLiteral("remaining"), remaining},
        {QStringLiteral("verified"), verified()},  {QStringLiteral("queries_used"), queriesUsed}};
}

int SpotCheckResult::passedCount() const
{
    return countPassed(people);
}

bool SpotCheckResult::passed() const
{
    const bool anyMember =
        std::any_of(people.begin(), people.end(), [](const PersonCheck& p) { return p.inSegment; });
    return anyMember && passedCount() == people.size();
}

QJsonObject SpotCheckResult::toJson() const
{
    return QJsonObject{{QStringLiteral("mapping_id"), mappingId},
                       {QStringLiteral("at_ms"), atMs},
                       {QStringLiteral("property"), property},
                       {QStringLiteral("value"), value},
                       {QStringLiteral("passed"), passed()},
                       {QStringLiteral("people_passed"), passedCount()},
                       {QStringLiteral("people_total"), int(people.size())},
                       {QStringLiteral("people"), peopleJson(people)},
                       {QStringLiteral("queries_used"), queriesUsed},
                       {QStringLiteral("queries_left_this_hour"), queriesLeft}};
}

SpotCheckResult SpotCheckResult::fromJson(const QJsonObject& o)
{
    SpotCheckResult r;
    r.mappingId = o.value(QLatin1String("mapping_id")).toInteger();
    r.atMs = o.value(QLatin1String("at_ms")).toInteger();
    r.property = o.value(QLatin1String("property")).toString();
    r.value = o.value(QLatin1String("value")).toString();
    r.people = peopleFrom(o.value(QLatin1String("people")));
    r.queriesUsed = o.value(QLatin1String("queries_used")).toInt();
    r.queriesLeft = o.value(QLatin1String("queries_left_this_hour")).toInt(-1);
    return r;
}

QJsonObject withoutIdentifiers(const QJsonObject& result)
{
    QJsonObject out = result;
    if (result.contains(QLatin1String("people"))) {
        QJsonArray people;
        for (const QJsonValue& v : result.value(QLatin1String("people")).toArray()) {
            const QJsonObject p = v.toObject();
            QJsonObject kept;
            for (const char* key :
                 {"in_segment", "in_snapshot", "in_mixpanel", "has_value", "passed", "reason"})
                if (p.contains(QLatin1String(key)))
                    kept.insert(QLatin1String(key), p.value(QLatin1String(key)));
            people.append(kept);
        }
        out.insert(QStringLiteral("people"), people);
    }
    if (result.contains(QLatin1String("unexpected"))) {
        out.insert(QStringLiteral("unexpected_count"),
                   result.value(QLatin1String("unexpected")).toArray().size());
        out.remove(QStringLiteral("unexpected"));
    }
    return out;
}

QJsonObject LatencyReport::toJson() const
{
    return QJsonObject{{QStringLiteral("mapping_id"), mappingId},
                       {QStringLiteral("runs"), runs},
                       {QStringLiteral("changes"), changes},
                       {QStringLiteral("median_ms"), optionalMs(medianMs)},
                       {QStringLiteral("p95_ms"), optionalMs(p95Ms)},
                       {QStringLiteral("max_ms"), optionalMs(maxMs)},
                       {QStringLiteral("expectation_minutes"), expectationMinutes},
                       {QStringLiteral("exceeded"), exceeded()}};
}

bool RolloutChecklist::ready() const
{
    return !items.isEmpty() &&
           std::all_of(items.begin(), items.end(), [](const ChecklistItem& i) { return i.done; });
}

const ChecklistItem* RolloutChecklist::item(const QString& key) const
{
    for (const ChecklistItem& i : items)
        if (i.key == key)
            return &i;
    return nullptr;
}

QJsonObject RolloutChecklist::toJson() const
{
    QJsonObject itemsJson;
    for (const ChecklistItem& i : items) {
        QJsonObject o{{QStringLiteral("done"), i.done},
                      {QStringLiteral("title"), i.title},
                      {QStringLiteral("evidence"), i.evidence}};
        if (!i.url.isEmpty())
            o.insert(QStringLiteral("url"), i.url);
        itemsJson.insert(i.key, o);
    }
    return QJsonObject{{QStringLiteral("ready"), ready()}, {QStringLiteral("items"), itemsJson}};
}

QJsonObject trustFingerprint(const Mapping& m)
{
    return QJsonObject{
        {QStringLiteral("identity"), identityKeyName(m.identity)},
        {QStringLiteral("mode"), syncModeName(m.mode)},
        {QStringLiteral("property"), m.mode == SyncMode::List ? m.listProperty : QString()},
        {QStringLiteral("cohort"), m.cohortName}};
}

} // namespace lockstep
