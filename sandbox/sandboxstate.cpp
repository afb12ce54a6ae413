#include "sandboxstate.h"

#include <QDateTime>
#include <QJsonObject>

namespace lockstep::sandbox {

SandboxState::SandboxState(Scenario s)
    : scenario(std::move(s)),
      prng(scenario.seed),
      faults(scenario.seed),
      customerIoBucket(scenario.rateLimitPerSecond),
      queryBudget(scenario.queryLimitPerHour, scenario.queryHourSeconds, scenario.queryConcurrency),
      startedMs(QDateTime::currentMSecsSinceEpoch())
{
}

std::optional<ScenarioError> SandboxState::build()
{
    population.build(scenario, prng);
    if (auto err = segments.build(scenario, population, prng))
        return err;
    profiles.setCohorts(scenario.cohorts);

    // Mixpanel profiles that already exist (the app tracks these users), so match rates
    // can be measured. A separate PRNG stream keeps segments independent of this share.
    Prng profilePrng(scenario.seed ^ 0x9A0F11Eull);
    if (scenario.existingProfileShare > 0) {
        for (std::uint32_t i = 0; i < population.size(); ++i) {
            if (!profilePrng.chance(scenario.existingProfileShare))
                continue;
            const Person& p = population.person(i);
            const std::uint32_t key = scenario.existingProfileKey == QStringLiteral("email") ? p.email
                                      : scenario.existingProfileKey == QStringLiteral("cio_id") ? p.cioId
                                                                                               : p.id;
            if (key == StringPool::kNone)
                continue;
            QJsonObject props;
            if (p.email != StringPool::kNone)
                props.insert(QStringLiteral("$email"),
                             QString::fromUtf8(population.text(p.email).trimmed()).toLower());
            profiles.seed(population.text(key), props);
        }
    }
    if (!scenario.faults.isEmpty()) {
        const QString err = faults.install(scenario.faults);
        if (!err.isEmpty())
            return ScenarioError{QString(), err};
    }
    return std::nullopt;
}

} // namespace lockstep::sandbox
