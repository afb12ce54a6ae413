#include "cohortcounts.h"

#include "api/mixpanelclient.h"
#include "health/sizehistory.h"
#include "store/mappingrepository.h"
#include "trust/querybudget.h"

#include <QHash>

#include <memory>

namespace lockstep {

void readCohortCounts(Workspace& ws, RequestScheduler* http, const MixpanelEndpoints& endpoints,
                      const Clock* clock, int queriesPerHour, QList<CohortCountTarget> targets,
                      const QString& purpose, std::function<void(Result<int>)> done)
{
    // The hourly query budget is shared with every other process on the workspace.
    if (auto st = QueryBudget(ws, http, clock, queriesPerHour).take(1, purpose); !st) {
        done(st.error());
        return;
    }
    auto client = std::make_shared<MixpanelClient>(http, endpoints);
    client->cohorts([&ws, client, targets = std::move(targets),
                     done = std::move(done)](Result<QList<CohortInfo>> cohorts) {
        if (!cohorts) {
            done(cohorts.error());
            return;
        }
        // The operator names the Mixpanel cohort after the mapping's cohort value.
        QHash<QString, qint64> byName;
        for (const CohortInfo& c : *cohorts)
            byName.insert(c.name, c.count);
        MappingRepository mappings(ws);
        SizeHistory history(ws);
        int recorded = 0;
        for (const CohortCountTarget& t : targets) {
            auto m = mappings.get(t.mappingId);
            if (!m)
                continue;
            const auto it = byName.constFind(m->cohortName);
            if (it == byName.cend())
                continue;
            if (history.setMixpanelCount(t.runId, *it))
                ++recorded;
        }
        done(recorded);
    });
}

} // namespace lockstep
