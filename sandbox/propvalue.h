#pragma once
// A compact profile property value: scalars inline, strings interned, lists as vectors,
// anything nested kept as interned compact JSON. Avoids one QJsonObject per profile.

#include "stringpool.h"

#include <QByteArray>
#include <QJsonValue>

#include <cstdint>
#include <vector>

namespace lockstep::sandbox {

struct PropValue
{
    enum class Type : std::uint8_t
    {
        Null,
        Bool,
        Number,
        String,
        List,
        Raw
    };

    Type type = Type::Null;
    bool boolean = false;
    std::uint32_t str = StringPool::kNone; // String: the text; Raw: compact JSON
    double number = 0.0;
    std::vector<PropValue> list;

    static PropValue fromJson(const QJsonValue& value, StringPool& pool);
    static PropValue ofString(std::uint32_t id)
    {
        PropValue v;
        v.type = Type::String;
        v.str = id;
        return v;
    }
    void write(QByteArray& out, const StringPool& pool) const;
    bool operator==(const PropValue& other) const;
};

} // namespace lockstep::sandbox
