// Applies a mappings file to a workspace: all of it in one transaction or nothing, under
// the locks a run holds, so a mapping being synced changes only once its run has ended.
#pragma once

#include "mappingsfile.h"
#include "specplan.h"
#include "util/result.h"

#include <functional>
#include <optional>

namespace lockstep {

class Clock;
class Workspace;

struct ApplyOptions
{
    // Deletions are carried out only when allowed (`apply --yes`, or a person said yes).
    bool allowDeletions = false;
    // When set, the plan made under the locks must be this one (the one a person saw and
    // confirmed); if the workspace changed meanwhile nothing is applied.
    std::optional<QJsonObject> expectedPlan;
    // How long to wait for runs of the mappings it changes to end.
    int lockWaitMs = 600000;
    // Told once per mapping it starts waiting for (its id and key).
    std::function<void(qint64, const QString&)> onWaiting;
    const Clock* clock = nullptr; // system clock when null
};

struct ApplyOutcome
{
    SpecPlan plan;                             // what was applied (empty: nothing to do)
    QList<std::pair<QString, qint64>> created; // key -> new mapping id (creates, new versions)
};

// Errors: Config for a file that cannot apply here (plan.errors) or a refused deletion,
// Usage when the workspace changed under a confirmed plan or a run did not end in time,
// Storage when the workspace failed (rolled back: nothing changed).
Result<ApplyOutcome> applyMappingsFile(Workspace& ws, const MappingsFile& file,
                                       const ApplyOptions& options);

} // namespace lockstep
