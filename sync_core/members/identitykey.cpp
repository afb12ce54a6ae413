#include "identitykey.h"

#include <utility>

namespace lockstep {

namespace {
const std::pair<IdentityKey, const char*> kNames[] = {
    {IdentityKey::Id, "id"}, {IdentityKey::Email, "email"}, {IdentityKey::CioId, "cio_id"}};
} // namespace

QString identityKeyName(IdentityKey k)
{
    for (const auto& [value, name] : kNames)
        if (value == k)
            return QString::fromLatin1(name);
    return {};
}

std::optional<IdentityKey> parseIdentityKey(const QString& s)
{
    for (const auto& [value, name] : kNames)
        if (s == QLatin1String(name))
            return value;
    return std::nullopt;
}

} // namespace lockstep
