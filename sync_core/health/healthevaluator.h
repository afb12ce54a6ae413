// Runs the health rules for mappings of a workspace: gathers each mapping's inputs
// (recent size points, last runs, segment baseline), evaluates, and keeps the alerts
// table in step (raise what fired, resolve what cleared).
#pragma once

#include <functional>

#include "healthrules.h"
#include "util/result.h"

#include <vector>

namespace lockstep {

class Clock;
class Workspace;

class HealthEvaluator
{
public:
    // The workspace's thresholds (WorkspaceSettings::thresholds): no default, so no caller
    // judges with other numbers than the operator set.
    HealthEvaluator(Workspace& ws, const Clock& clock, HealthThresholds t)
        : m_ws(ws), m_clock(clock), m_t(t)
    {}

    const HealthThresholds& thresholds() const { return m_t; }
    // The thresholds each mapping is judged by, when some mappings set their own
    // (config/mappingthresholds.h); without it every mapping gets the workspace's.
    void setThresholdsFor(std::function<HealthThresholds(const Mapping&)> f)
    {
        m_thresholdsFor = std::move(f);
    }

    // The rules' findings for one mapping; stores nothing but the segment baseline
    // (recorded the first time a cohort version is seen).
    Result<std::vector<HealthFinding>> evaluate(const Mapping& m);
    // evaluate() plus AlertStore::reconcile for that mapping's rules.
    Result<std::vector<HealthFinding>> evaluateAndStore(const Mapping& m);
    // Every mapping of the workspace (deleted ones are not listed by the repository).
    Result<std::vector<HealthFinding>> evaluateAll();

    // How far back from the newest point the rules look.
    qint64 historyNeededMs() const;

    // Each mapping's newest verification in Mixpanel (the unknown_profiles rule's hint of
    // which identifier Mixpanel knows people by).
    Result<QList<KeyEvidence>> keyEvidence();

private:
    Result<qint64> baselineFor(const Mapping& m, qint64 segmentUpdatedAt);
    Result<std::vector<HealthFinding>> evaluate(const Mapping& m,
                                                const QList<KeyEvidence>& evidence);
    Result<std::vector<HealthFinding>> evaluateAndStore(const Mapping& m,
                                                        const QList<KeyEvidence>& evidence);

    Workspace& m_ws;
    const Clock& m_clock;
    HealthThresholds m_t;
    std::function<HealthThresholds(const Mapping&)> m_thresholdsFor;
};

} // namespace lockstep
