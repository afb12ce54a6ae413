#include "mixpanelprofile.h"

#include "cohortvalue.h"
#include "store/mappingrepository.h"

#include <algorithm>

namespace lockstep {

namespace {
// What Rehearsal::temporaryValue() puts after a cohort name.
const QString kRehearsalMarker = QStringLiteral(" [rehearsal ");
} // namespace

LockstepProperties LockstepProperties::of(const QList<Mapping>& mappings, const Mapping* extra)
{
    LockstepProperties p;
    for (const Mapping& m : mappings)
        p.add(m);
    if (extra)
        p.add(*extra);
    return p;
}

Result<LockstepProperties> LockstepProperties::ofWorkspace(Workspace& ws, const Mapping* extra)
{
    auto all = MappingRepository(ws).list();
    if (!all)
        return all.error();
    return of(*all, extra);
}

void LockstepProperties::add(const Mapping& m)
{
    m_names.insert(CohortValue::forMapping(m).property());
    // A rehearsal in flag mode writes a property of its own (list mode: a value).
    if (m.mode == SyncMode::Flag)
        m_prefixes.append(m.cohortName + kRehearsalMarker);
}

bool LockstepProperties::onlyThese(const QJsonObject& properties) const
{
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString& name = it.key();
        if (name == QLatin1String("$distinct_id") || m_names.contains(name))
            continue;
        if (std::any_of(m_prefixes.begin(), m_prefixes.end(),
                        [&](const QString& p) { return name.startsWith(p); }))
            continue;
        return false;
    }
    return true;
}

} // namespace lockstep
