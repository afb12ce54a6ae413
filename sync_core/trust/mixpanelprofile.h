// What "unknown to Mixpanel" means, in one place for the entry check after a run, the spot
// check and the identity advisor, so that they agree on the same person: Mixpanel has no
// profile under the key, or only one that holds nothing but what Lockstep writes (the
// cohort properties of this workspace's mappings, a rehearsal's flag). Such a ghost profile
// was made by the sync itself; no report joins it with real activity.
#pragma once

#include "store/records.h"
#include "util/result.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace lockstep {

class Workspace;

// The profile properties Lockstep writes for a set of mappings.
class LockstepProperties
{
public:
    LockstepProperties() = default;
    LockstepProperties(QSet<QString> names, QStringList prefixes)
        : m_names(std::move(names)), m_prefixes(std::move(prefixes))
    {}
    // `mappings` and `extra` (a mapping being set up, not stored yet).
    static LockstepProperties of(const QList<Mapping>& mappings, const Mapping* extra = nullptr);
    // Every mapping of the workspace, plus `extra` when given.
    static Result<LockstepProperties> ofWorkspace(Workspace& ws, const Mapping* extra = nullptr);

    void add(const Mapping& m);
    // Every property of the profile is one Lockstep writes ($distinct_id aside).
    bool onlyThese(const QJsonObject& properties) const;

    // The property names, and the prefixes of names (a flag-mode rehearsal's flags).
    const QSet<QString>& names() const { return m_names; }
    const QStringList& prefixes() const { return m_prefixes; }

private:
    QSet<QString> m_names;
    QStringList m_prefixes;
};

// Whether Mixpanel knows the person behind a key: `profile` is what the /engage query
// answered for it (all properties), or null when it answered nothing.
inline bool knownToMixpanel(const QJsonObject* profile, const LockstepProperties& own)
{
    return profile && !own.onlyThese(*profile);
}

} // namespace lockstep
