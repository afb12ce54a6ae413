#include "sandboxstate.h"

#include <QDateTime>
#include <QJsonObject>

namespace lockstep::sandbox {

SandboxState::SandboxState(Scenario s)
    : scenario(std::move(s)), prng(scenario.seed), faults(scenario.seed),
      customerIoBucket(scenario.rateLimitPerSecond),
      queryBudget(scenario.queryLimitPerHour, scenario.queryHourSeconds, scenario.queryConcurrency),
      startedMs(QDateTime::currentMSecsSinceEpoch())
{}

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
            const std::uint32_t key =
                scenario.existingProfileKey == QStringLiteral("email")    ? p.email
                : scenario.existingProfileKey == QStringLiteral("cio_id") ? p.cioId
                                                                          : p.id;
            if (key == StringPool::kNone)
                continue;
            // What an app's own tracking leaves on a profile: a name, when the person was
            // last seen (before the sandbox started), the e-mail when there is one. A
            // profile the app never touched holds only what a sync wrote to it.
            QJsonObject props;
            if (p.email != StringPool::kNone)
                props.insert(QStringLiteral("$email"),
                             QString::fromUtf8(population.text(p.email).trimmed()).toLower());
            props.insert(QStringLiteral("$name"), QStringLiteral("Person %1").arg(i + 1));
            props.insert(QStringLiteral("$last_seen"),
                         QStringLiteral("2024-05-%1T09:30:00")
                             .arg(int(i % 28) + 1, 2, 10, QLatin1Char('0')));
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
