#include "propvalue.h"

#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lockstep::sandbox {

PropValue PropValue::fromJson(const QJsonValue& value, StringPool& pool)
{
    PropValue v;
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    case QJsonValue::Bool:
        v.type = Type::Bool;
        v.boolean = value.toBool();
        break;
    case QJsonValue::Double:
        v.type = Type::Number;
        v.number = value.toDouble();
        break;
    case QJsonValue::String:
        v.type = Type::String;
        v.str = pool.intern(QByteArrayView(value.toString().toUtf8()));
        break;
    case QJsonValue::Array: {
        v.type = Type::List;
        const QJsonArray arr = value.toArray();
        v.list.reserve(std::size_t(arr.size()));
        for (const QJsonValue& item : arr)
            v.list.push_back(fromJson(item, pool));
        break;
    }
    case QJsonValue::Object:
        v.type = Type::Raw;
        v.str = pool.intern(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        break;
    }
    return v;
}

void PropValue::write(QByteArray& out, const StringPool& pool) const
{
    switch (type) {
    case Type::Null:
        out.append("null");
        break;
    case Type::Bool:
        out.append(boolean ? "true" : "false");
        break;
    case Type::Number:
        json::appendNumber(out, number);
        break;
    case Type::String:
        json::appendString(out, pool.view(str));
        break;
    case Type::Raw:
        out.append(pool.view(str));
        break;
    case Type::List:
        out.append('[');
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i)
                out.append(',');
            list[i].write(out, pool);
        }
        out.append(']');
        break;
    }
}

bool PropValue::operator==(const PropValue& other) const
{
    if (type != other.type)
        return false;
    switch (type) {
    case Type::Null:
        return true;
    case Type::Bool:
        return boolean == other.boolean;
    case Type::Number:
        return number == other.number;
    case Type::String:
    case Type::Raw:
        return str == other.str; // interned: same id, same text
    case Type::List:
        return list == other.list;
    }
    return false;
}

} // namespace lockstep::sandbox
