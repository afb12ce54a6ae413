// A Customer.io member's identifiers as a reply gives them: what the identity key is
// chosen from.
#pragma once

#include <QString>

#include <optional>

namespace lockstep {

struct MemberIdentifiers
{
    std::optional<QString> id; // nullopt when null in the reply
    std::optional<QString> email;
    QString cioId;
};

} // namespace lockstep
