#pragma once
// People by identifier for the customer lookup (POST /v1/customers/attributes): by id and
// cio_id exactly, by e-mail trimmed and lower-cased. Each identifier's index is built on
// its first lookup (a sorted array: tens of milliseconds for a million people, so the
// first lookup answers about as fast as Customer.io would), and worlds that never look
// anyone up pay nothing; identifiers never change after start-up (a merge only marks
// the secondary vanished, which the caller checks).

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
