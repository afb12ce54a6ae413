#pragma once
// People by identifier for the customer lookup (POST /v1/customers/attributes): by id and
// cio_id exactly, by e-mail trimmed and lower-cased, as sorted arrays. The sandbox builds
// them once the world is seeded (buildAll(); about 0.3 s for a million e-mail addresses),
// so the first lookup answers as fast as the others, as Customer.io's would; identifiers
// never change after start-up (a merge only marks the secondary vanished, which the
// caller checks). An index not built yet is built on its first lookup.

#include "population.h"

#include <QByteArrayView>

#include <cstdint>
#include <string>
#include <utility>
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

    // Builds every identifier's index now (after seeding, before serving).
    void buildAll();

    // Everyone with that identifier (vanished people included), in person order.
    std::vector<std::uint32_t> find(IdType type, QByteArrayView value);

    // How Customer.io is taken to match e-mail addresses (UNCONFIRMED, see SANDBOX.md).
    static std::string normaliseEmail(QByteArrayView email);

private:
    // (string id, or hash of the normalised e-mail) -> person, sorted.
    using Index = std::vector<std::pair<std::uint64_t, std::uint32_t>>;
    const Index& index(IdType type);

    const Population& m_population;
    Index m_indexes[3];
    bool m_built[3] = {false, false, false};
};

} // namespace lockstep::sandbox
