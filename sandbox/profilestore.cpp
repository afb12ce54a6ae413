#include "profilestore.h"

#include "jsonwriter.h"

#include <QDateTime>
#include <QJsonArray>

namespace lockstep::sandbox {
namespace {

bool isOperator(QLatin1StringView key)
{
    static const QLatin1StringView ops[] = {
        QLatin1StringView("$set"),   QLatin1StringView("$set_once"), QLatin1StringView("$add"),
        QLatin1StringView("$union"), QLatin1StringView("$append"),   QLatin1StringView("$remove"),
        QLatin1StringView("$unset"), QLatin1StringView("$delete")};
    for (auto op : ops) {
        if (key == op)
            return true;
    }
    return false;
}

} // namespace

QLatin1StringView engageOpName(EngageOp op)
{
    switch (op) {
    case EngageOp::Set:
        return QLatin1StringView("$set");
    case EngageOp::SetOnce:
        return QLatin1StringView("$set_once");
    case EngageOp::Add:
        return QLatin1StringView("$add");
    case EngageOp::Union:
        return QLatin1StringView("$union");
    case EngageOp::Append:
        return QLatin1StringView("$append");
    case EngageOp::Remove:
        return QLatin1StringView("$remove");
    case EngageOp::Unset:
        return QLatin1StringView("$unset");
    case EngageOp::Delete:
        return QLatin1StringView("$delete");
    case EngageOp::None:
        break;
    }
    return {};
}

EngageOp engageOpOf(std::string_view key)
{
    if (key.size() < 4 || key[0] != '$')
        return EngageOp::None;
    for (int i = 0; i < kEngageOpCount; ++i) {
        const QLatin1StringView name = engageOpName(EngageOp(i));
        if (std::string_view(name.data(), std::size_t(name.size())) == key)
            return EngageOp(i);
    }
    return EngageOp::None;
}

void ProfileStore::setCohorts(const QList<CohortSpec>& cohorts)
{
    m_cohorts.clear();
    for (const CohortSpec& spec : cohorts) {
        CohortDef def;
        def.spec = spec;
        def.key = m_strings.intern(QByteArrayView(spec.property.toUtf8()));
        if (!spec.flag)
            def.value = m_strings.intern(QByteArrayView(spec.value.toUtf8()));
        m_cohorts.push_back(def);
    }
}

std::uint32_t ProfileStore::obtain(QByteArrayView distinctId, std::uint64_t hash)
{
    const std::uint32_t id = m_ids.intern(distinctId, hash);
    if (id >= m_profiles.size())
        m_profiles.resize(id + 1);
    if (!m_profiles[id].alive) {
        m_profiles[id].alive = true;
        ++m_live;
    }
    return id;
}

std::uint32_t ProfileStore::lookup(QByteArrayView distinctId) const
{
    return lookup(distinctId, StringPool::hashOf(distinctId));
}

std::uint32_t ProfileStore::lookup(QByteArrayView distinctId, std::uint64_t hash) const
{
    const std::uint32_t id = m_ids.find(distinctId, hash);
    if (id == StringPool::kNone || id >= m_profiles.size() || !m_profiles[id].alive)
        return StringPool::kNone;
    return id;
}

PropValue* ProfileStore::slot(Profile& p, std::uint32_t key)
{
    for (auto& [k, v] : p.props) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

const PropValue* ProfileStore::property(std::uint32_t index, std::uint32_t key) const
{
    for (const auto& [k, v] : m_profiles[index].props) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

void ProfileStore::seed(QByteArrayView distinctId, const QJsonObject& properties)
{
    Profile& p = m_profiles[obtain(distinctId)];
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const std::uint32_t key = m_strings.intern(QByteArrayView(it.key().toUtf8()));
        if (PropValue* v = slot(p, key))
            *v = PropValue::fromJson(it.value(), m_strings);
        else
            p.props.emplace_back(key, PropValue::fromJson(it.value(), m_strings));
    }
}

UpdateResult ProfileStore::apply(const QJsonObject& update)
{
    UpdateResult result;
    QJsonValue arg;
    for (auto it = update.begin(); it != update.end(); ++it) {
        const QString key = it.key();
        if (!key.startsWith(QLatin1Char('$')))
            continue;
        const QByteArray latin = key.toLatin1();
        if (!isOperator(QLatin1StringView(latin)))
            continue;
        if (!result.op.isEmpty()) {
            result.error = QStringLiteral("an update may hold only one operation, found %1 and %2")
                               .arg(QString::fromLatin1(result.op), key);
            return result;
        }
        result.op = latin;
        arg = it.value();
    }
    if (result.op.isEmpty()) {
        result.error =
            QStringLiteral("update has no operation ($set, $set_once, $add, $union, $append, "
                           "$remove, $unset or $delete)");
        return result;
    }
    const QJsonValue idValue = update.value(QLatin1StringView("$distinct_id"));
    QByteArray distinctId;
    if (idValue.isString())
        distinctId = idValue.toString().toUtf8();
    else if (idValue.isDouble())
        distinctId = QByteArray::number(idValue.toInteger());
    if (distinctId.isEmpty()) {
        result.error = QStringLiteral("$distinct_id is missing or empty");
        return result;
    }

    if (result.op == "$delete") {
        const std::uint32_t id = lookup(distinctId);
        if (id != StringPool::kNone) {
            m_profiles[id].alive = false;
            m_profiles[id].props.clear();
            m_profiles[id].props.shrink_to_fit();
            --m_live;
        }
        return result;
    }
    // Validate before creating, so a rejected update leaves no empty profile behind.
    const bool objectArg = result.op != "$unset";
    if (objectArg ? !arg.isObject() : !arg.isArray()) {
        result.error = QStringLiteral("%1 expects %2")
                           .arg(QString::fromLatin1(result.op),
                                objectArg ? QStringLiteral("an object")
                                          : QStringLiteral("an array of property names"));
        return result;
    }
    Profile& p = m_profiles[obtain(distinctId)];
    result.error = applyOperator(p, result.op, arg);
    const QJsonValue ignoreTime = update.value(QLatin1StringView("$ignore_time"));
    if (result.error.isEmpty() && !(ignoreTime.isBool() && ignoreTime.toBool())) {
        touchLastSeen(p);
    }
    return result;
}

void ProfileStore::touchLastSeen(Profile& p)
{
    // Mixpanel moves $last_seen unless $ignore_time is true: tests can see it.
    const qint64 second = QDateTime::currentSecsSinceEpoch();
    if (second != m_lastSeenSecond) {
        m_lastSeenSecond = second;
        m_lastSeenValue = m_strings.intern(
            QDateTime::fromSecsSinceEpoch(second, Qt::UTC).toString(Qt::ISODate).left(19).toUtf8());
    }
    const std::uint32_t key = m_strings.intern("$last_seen");
    const PropValue now = PropValue::ofString(m_lastSeenValue);
    if (PropValue* v = slot(p, key))
        *v = now;
    else
        p.props.emplace_back(key, now);
}

QString ProfileStore::apply(const JsonTree& tree, const ParsedUpdate& update)
{
    // Mirrors apply(const QJsonObject&): same checks, same order, same messages.
    if (update.secondOp != EngageOp::None)
        return QStringLiteral("an update may hold only one operation, found %1 and %2")
            .arg(engageOpName(update.op), engageOpName(update.secondOp));
    if (update.op == EngageOp::None)
        return QStringLiteral("update has no operation ($set, $set_once, $add, $union, $append, "
                              "$remove, $unset or $delete)");
    if (update.distinctId.empty())
        return QStringLiteral("$distinct_id is missing or empty");
    const QByteArrayView distinctId(update.distinctId.data(), qsizetype(update.distinctId.size()));
    if (update.op == EngageOp::Delete) {
        const std::uint32_t id = lookup(distinctId, update.distinctIdHash);
        if (id != StringPool::kNone) {
            m_profiles[id].alive = false;
            m_profiles[id].props.clear();
            m_profiles[id].props.shrink_to_fit();
            --m_live;
        }
        return {};
    }
    const bool objectArg = update.op != EngageOp::Unset;
    if (update.arg->type != (objectArg ? JsonNode::Type::Object : JsonNode::Type::Array))
        return QStringLiteral("%1 expects %2")
            .arg(engageOpName(update.op), objectArg ? QStringLiteral("an object")
                                                    : QStringLiteral("an array of property names"));
    Profile& p = m_profiles[obtain(distinctId, update.distinctIdHash)];
    QString error = applyOperator(p, update.op, tree, *update.arg);
    if (error.isEmpty() && !update.ignoreTime)
        touchLastSeen(p);
    return error;
}

PropValue ProfileStore::fromNode(const JsonTree& tree, const JsonNode& node)
{
    // PropValue::fromJson for a JsonTree node; objects never get here (the caller leaves
    // updates holding them to the QJsonDocument path).
    PropValue v;
    switch (node.type) {
    case JsonNode::Type::Null:
    case JsonNode::Type::Object:
        break;
    case JsonNode::Type::Bool:
        v.type = PropValue::Type::Bool;
        v.boolean = node.boolean;
        break;
    case JsonNode::Type::Number:
        v.type = PropValue::Type::Number;
        v.number = node.number;
        break;
    case JsonNode::Type::String:
        v.type = PropValue::Type::String;
        v.str = m_strings.intern(QByteArrayView(node.text.data(), qsizetype(node.text.size())));
        break;
    case JsonNode::Type::Array:
        v.type = PropValue::Type::List;
        v.list.reserve(node.count);
        for (std::uint32_t i = 0; i < node.count; ++i)
            v.list.push_back(fromNode(tree, tree.child(node, i)));
        break;
    }
    return v;
}

QString ProfileStore::applyOperator(Profile& p, EngageOp op, const JsonTree& tree,
                                    const JsonNode& arg)
{
    if (op == EngageOp::Unset) {
        for (std::uint32_t i = 0; i < arg.count; ++i) {
            const JsonNode& name = tree.child(arg, i);
            const std::string_view text =
                name.type == JsonNode::Type::String ? name.text : std::string_view();
            const std::uint32_t key =
                m_strings.find(QByteArrayView(text.data(), qsizetype(text.size())));
            std::erase_if(p.props, [key](const auto& kv) { return kv.first == key; });
        }
        return {};
    }
    for (std::uint32_t i = 0; i < arg.count; ++i) {
        const JsonNode& value = tree.child(arg, i);
        const std::uint32_t key =
            m_strings.intern(QByteArrayView(value.key.data(), qsizetype(value.key.size())));
        PropValue* current = slot(p, key);
        const auto keyName = [&value] {
            return QString::fromUtf8(value.key.data(), qsizetype(value.key.size()));
        };
        switch (op) {
        case EngageOp::Set:
        case EngageOp::SetOnce:
            if (op == EngageOp::SetOnce && current)
                break;
            if (current)
                *current = fromNode(tree, value);
            else
                p.props.emplace_back(key, fromNode(tree, value));
            break;
        case EngageOp::Add:
            if (value.type != JsonNode::Type::Number)
                return QStringLiteral("$add needs numeric values, %1 is not").arg(keyName());
            if (current && current->type != PropValue::Type::Number)
                return QStringLiteral("$add: property %1 is not numeric").arg(keyName());
            if (!current) {
                PropValue v;
                v.type = PropValue::Type::Number;
                p.props.emplace_back(key, v);
                current = &p.props.back().second;
            }
            current->number += value.number;
            break;
        case EngageOp::Union:
        case EngageOp::Append: {
            const bool isUnion = op == EngageOp::Union;
            if (isUnion && value.type != JsonNode::Type::Array)
                return QStringLiteral("$union needs a list for %1").arg(keyName());
            if (!current || current->type != PropValue::Type::List) {
                PropValue v;
                v.type = PropValue::Type::List;
                if (current)
                    *current = v;
                else
                    p.props.emplace_back(key, v);
                current = slot(p, key);
            }
            const std::uint32_t n = isUnion ? value.count : 1;
            for (std::uint32_t k = 0; k < n; ++k) {
                PropValue v = fromNode(tree, isUnion ? tree.child(value, k) : value);
                if (!isUnion ||
                    std::find(current->list.begin(), current->list.end(), v) == current->list.end())
                    current->list.push_back(std::move(v));
            }
            break;
        }
        case EngageOp::Remove:
            if (current && current->type == PropValue::Type::List) {
                const PropValue v = fromNode(tree, value);
                std::erase(current->list, v);
            }
            break;
        case EngageOp::Unset:
        case EngageOp::Delete:
        case EngageOp::None:
            break;
        }
    }
    return {};
}

QString ProfileStore::applyOperator(Profile& p, const QByteArray& op, const QJsonValue& arg)
{
    if (op == "$unset") {
        for (const QJsonValue& name : arg.toArray()) {
            const std::uint32_t key = m_strings.find(QByteArrayView(name.toString().toUtf8()));
            std::erase_if(p.props, [key](const auto& kv) { return kv.first == key; });
        }
        return {};
    }
    const QJsonObject obj = arg.toObject();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::uint32_t key = m_strings.intern(QByteArrayView(it.key().toUtf8()));
        PropValue* current = slot(p, key);
        const QJsonValue value = it.value();
        if (op == "$set" || (op == "$set_once" && !current)) {
            if (current)
                *current = PropValue::fromJson(value, m_strings);
            else
                p.props.emplace_back(key, PropValue::fromJson(value, m_strings));
        } else if (op == "$add") {
            if (!value.isDouble())
                return QStringLiteral("$add needs numeric values, %1 is not").arg(it.key());
            if (current && current->type != PropValue::Type::Number)
                return QStringLiteral("$add: property %1 is not numeric").arg(it.key());
            if (!current) {
                PropValue v;
                v.type = PropValue::Type::Number;
                p.props.emplace_back(key, v);
                current = &p.props.back().second;
            }
            current->number += value.toDouble();
        } else if (op == "$union" || op == "$append") {
            if (op == "$union" && !value.isArray())
                return QStringLiteral("$union needs a list for %1").arg(it.key());
            if (!current || current->type != PropValue::Type::List) {
                PropValue v;
                v.type = PropValue::Type::List;
                if (current)
                    *current = v;
                else
                    p.props.emplace_back(key, v);
                current = slot(p, key);
            }
            const QJsonArray items = op == "$union" ? value.toArray() : QJsonArray{value};
            for (const QJsonValue& item : items) {
                PropValue v = PropValue::fromJson(item, m_strings);
                if (op == "$append" ||
                    std::find(current->list.begin(), current->list.end(), v) == current->list.end())
                    current->list.push_back(std::move(v));
            }
        } else if (op == "$remove") {
            if (current && current->type == PropValue::Type::List) {
                const PropValue v = PropValue::fromJson(value, m_strings);
                std::erase(current->list, v);
            }
        }
    }
    return {};
}

const CohortDef* ProfileStore::cohort(qint64 id) const
{
    for (const CohortDef& c : m_cohorts) {
        if (c.spec.id == id)
            return &c;
    }
    return nullptr;
}

bool ProfileStore::inCohort(const CohortDef& cohort, std::uint32_t index) const
{
    const Profile& p = m_profiles[index];
    if (!p.alive)
        return false;
    const PropValue* v = property(index, cohort.key);
    if (!v)
        return false;
    if (cohort.spec.flag)
        return v->type == PropValue::Type::Bool && v->boolean;
    if (v->type != PropValue::Type::List)
        return false;
    for (const PropValue& item : v->list) {
        if (item.type == PropValue::Type::String && item.str == cohort.value)
            return true;
    }
    return false;
}

qint64 ProfileStore::cohortCount(const CohortDef& cohort) const
{
    qint64 n = 0;
    for (std::uint32_t i = 0; i < capacity(); ++i)
        n += inCohort(cohort, i) ? 1 : 0;
    return n;
}

void ProfileStore::writeProfile(QByteArray& out, std::uint32_t index,
                                const QSet<std::uint32_t>* only) const
{
    out.append("{\"$distinct_id\":");
    json::appendString(out, m_ids.view(index));
    out.append(",\"$properties\":{");
    bool first = true;
    for (const auto& [key, value] : m_profiles[index].props) {
        if (only && !only->contains(key))
            continue;
        if (!first)
            out.append(',');
        first = false;
        json::appendString(out, m_strings.view(key));
        out.append(':');
        value.write(out, m_strings);
    }
    out.append("}}");
}

} // namespace lockstep::sandbox
