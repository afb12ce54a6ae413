// `lockstep rehearse|rehearsal|spot-check|checklist|latency|identity-advice`: the trust checks on
// the command line, and the per-mapping readiness that `lockstep status --json` reports.
#pragma once

#include "clisupport.h"

#include <QJsonObject>

namespace lockstep {
class Clock;
class EngineContext;
class Workspace;
struct ChecklistRules;
} // namespace lockstep

namespace lockstep::cli {

bool isTrustCommand(const QString& command);
int trustCommand(const EngineContext& context, const QString& command, const QString& location,
                 Args a);
// {"ready": bool, "checklist": {...}, "latency": {...}} for one mapping, from stored
// evidence only (no network), judged by the workspace's rules; empty when the
// workspace cannot be read.
QJsonObject trustStatusJson(Workspace& ws, const Mapping& m, const ChecklistRules& rules,
                            const Clock& clock);
// Raises or resolves the "latency" alerts of these mappings (before alerts are read).
void evaluateTrustAlerts(Workspace& ws, const QList<Mapping>& mappings, const Clock& clock);

} // namespace lockstep::cli
