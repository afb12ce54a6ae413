#pragma once
// People by identifier for the customer lookup (POST /v1/customers/attributes): by id and
// cio_id exactly, by e-mail trimmed and lower-cased. Built on the first lookup, so worlds
// that never look anyone up pay nothing; identifiers never change after start-up (a merge
// only marks the secondary vanished, which the caller checks).

#include "population.h"

#include <QByteArrayView>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace lockstep::sandbox {

enum class IdType
{
    Id,
    Email,
    CioId
};

class CustomerIndex
{
public:
    explicit CustomerIndex(const Population& population) : m_population(population) {}

    // Everyone with that identifier (vanished people included), in person order.
    std::vector<std::uint32_t> find(IdType type, QByteArrayView value);

    // How Customer.io is taken to match e-mail addresses (UNCONFIRMED, see SANDBOX.md).
    static std::string normaliseEmail(QByteArrayView email);

private:
    void build();

    const Population& m_population;
    bool m_built = false;
    std::unordered_multimap<std::uint32_t, std::uint32_t> m_byId;  // string id -> person
    std::unordered_multimap<std::uint32_t, std::uint32_t> m_byCio; // string id -> person
    std::unordered_multimap<std::string, std::uint32_t> m_byEmail; // normalised -> person
};

} // namespace lockstep::sandbox
