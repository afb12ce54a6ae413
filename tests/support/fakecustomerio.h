#pragma once
// A small Customer.io App API for FakeNetwork: a population of people, segments of them,
// and the endpoints a sync uses (docs/API.md, tests/contract/fixtures): GET /v1/segments,
// /v1/segments/{id}, /customer_count, /membership (start/next paging) and POST
// /v1/customers/attributes. Bearer-key auth; errors in the App API's {"errors":[...]} shape.
// Thread-safe: the test moves segments while the engine's thread reads them. The full
// emulator (rate limits, scenarios, faults over TCP) is the sandbox (sandbox/).
//
//     FakeCustomerIo cio;
//     cio.addSegment(1, "Trial users", 500);
//     script->addFallback(cio.handler());
//     cio.churn(1, 40, 30);  ... cio.memberKeys(1, "email")

#include "fakescript.h"

#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace lockstep::test {

class FakeCustomerIo
{
public:
    explicit FakeCustomerIo(int population = 2000, quint64 seed = 1,
                            const QString& host = QStringLiteral("api.customer.io"));
    ~FakeCustomerIo();

    QUrl baseUrl() const; // https://<host>
    QString appApiKey() const;

    // A segment of `size` people drawn from the population (replaces one with that id).
    void addSegment(qint64 id, const QString& name, int size);
    // `entered` people join it and `exited` members leave (drawn from the seed).
    void churn(qint64 id, int entered, int exited);
    // A percentage while the segment builds (Customer.io's `progress`), nullopt when ready.
    void setProgress(qint64 id, std::optional<int> progress);
    // The members' identifiers of one kind ("id", "email" or "cio_id"), sorted.
    QStringList memberKeys(qint64 id, const QString& identifier) const;
    // Everyone's identifiers of one kind, sorted (the people removed left out).
    QStringList people(const QString& identifier) const;
    // The people left out of customer lookups from now on (merged away or deleted).
    void removePeople(const QStringList& emails);

    // Answers the App API's requests to the host; nullopt for any other host.
    FakeScript::Fallback handler() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace lockstep::test
