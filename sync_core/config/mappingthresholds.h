// Health thresholds one mapping sets for itself over the workspace's: a 0-24h cart
// cohort replaces its members daily by design, so the workspace's churn ratio would
// always call it unhealthy. Named, checked and written as the workspace settings of the
// same name (`lockstep config list`); kept in mapping_thresholds.
#pragma once

#include "health/healththresholds.h"
#include "util/result.h"

#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

namespace lockstep {

class Workspace;
struct Mapping;

// Setting name -> canonical text ("churn_ratio" -> "3").
using ThresholdOverrides = QMap<QString, QString>;

// The settings a mapping may set for itself: the rules' ratios, shares and factors (the
// windows and minimum sizes stay the workspace's).
QStringList overridableThresholds();
// The value as the workspace setting `name` takes it, canonical; an error naming what is
// wrong (an unknown or not overridable name, a value out of range).
Result<QString> normalizeThresholdOverride(const QString& name, const QString& value);
// Each overridable setting's text in `t` (what a mapping without its own gets).
ThresholdOverrides thresholdTexts(const HealthThresholds& t);
// `base` with the overrides (each normalized) applied.
HealthThresholds applyThresholdOverrides(HealthThresholds base, const ThresholdOverrides& o);

class MappingThresholdsRepository
{
public:
    explicit MappingThresholdsRepository(Workspace& ws) : m_ws(ws) {}

    Result<ThresholdOverrides> get(qint64 mappingId);
    // Every mapping's, by id (mappings without any are absent).
    Result<QHash<qint64, ThresholdOverrides>> all();
    // Replaces the mapping's overrides (empty: the workspace's thresholds again). Each is
    // checked first; nothing is written when one is refused.
    Status set(qint64 mappingId, const ThresholdOverrides& overrides);

private:
    Workspace& m_ws;
};

// What the health evaluator applies to each mapping: `base` with its overrides.
Result<std::function<HealthThresholds(const Mapping&)>>
thresholdsPerMapping(Workspace& ws, const HealthThresholds& base);

} // namespace lockstep
