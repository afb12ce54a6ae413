#pragma once
// Everything both emulators share: the scenario, the Customer.io people and segments, the
// Mixpanel profiles and events, limits, faults and the request log.

#include "faultinjector.h"
#include "importstore.h"
#include "population.h"
#include "prng.h"
#include "profilestore.h"
#include "querybudget.h"
#include "requestlog.h"
#include "scenario.h"
#include "segmentstore.h"
#include "tokenbucket.h"
#include "webhookinbox.h"

#include <memory>
#include <optional>

namespace lockstep::sandbox {

struct SandboxState
{
    explicit SandboxState(Scenario s);

    // Generates people, segments and pre-existing profiles; an error names the field.
    std::optional<ScenarioError> build();
    // One step of churn, merges, definition edits and build progress (deterministic).
    TickReport tick() { return segments.tick(population, prng); }

    Scenario scenario;
    Prng prng;
    Population population;
    SegmentStore segments;
    ProfileStore profiles;
    ImportStore events;
    RequestLog log;
    FaultInjector faults;
    WebhookInbox webhooks;
    TokenBucket customerIoBucket;
    QueryBudget queryBudget;
    qint64 startedMs = 0;
};

} // namespace lockstep::sandbox
