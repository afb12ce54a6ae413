// Which Customer.io identifier becomes Mixpanel's $distinct_id: chosen per mapping,
// read by the clients, the identity rules and the store alike.
#pragma once

#include <QString>

#include <optional>

namespace lockstep {

enum class IdentityKey
{
    Id,
    Email,
    CioId
};
QString identityKeyName(IdentityKey k); // "id", "email", "cio_id"
std::optional<IdentityKey> parseIdentityKey(const QString& s);

} // namespace lockstep
