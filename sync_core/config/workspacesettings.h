// Everything a workspace configures, as one value: what the Settings dialog edits, what
// `lockstep config` sets, and what the engine, the runner, the audit, the checklists and
// the health rules read. Secrets are not here (Credentials).
#pragma once

#include "settingkeys.h"
#include "store/records.h"

#include <QMetaType>

namespace lockstep {

class Workspace;

struct WorkspaceSettings
{
    ConnectionSettings connection; // `lockstep connect`, the connection form
    NamingConvention naming;       // naming_convention
    HealthThresholds thresholds;   // the health keys
    int defaultScheduleMinutes = keys::DefaultScheduleMinutes.fallback();
    double fullResyncDays = keys::FullResyncDays.fallback();
    double cohortCheckMinutes = keys::CohortCheckMinutes.fallback();
    // The workspace's values; a process may override them (EngineOptions, environment).
    int exitCheckLimit = keys::ExitCheckLimit.fallback();
    int verifySample = keys::VerifySample.fallback();
    int exitCheckSample = keys::ExitCheckSample.fallback();
    int verifyQueriesPerHour = keys::VerifyQueriesPerHour.fallback();
    double stabilityChurnPercent = keys::StabilityChurnPercent.fallback();

    // What the rollout checklist judges by.
    ChecklistRules checklistRules() const { return ChecklistRules{naming, stabilityChurnPercent}; }
    // The mass-exit safeguard's share (a mapping's own overrides it).
    double massExitPercent = keys::MassExitPercent.fallback();

    bool operator==(const WorkspaceSettings&) const = default;
};

// The connection and every workspace key (its default when none is stored).
Result<WorkspaceSettings> readWorkspaceSettings(Workspace& ws);
// Validates every value first; then writes the connection and every key. Nothing is
// written when a value is invalid, and the error names the key and its valid values.
Status writeWorkspaceSettings(Workspace& ws, const WorkspaceSettings& settings);
// The same for an editor (the Settings dialog, the set-up wizard): validates `edited`,
// then writes only what differs from `base`, the settings it started from, so what was
// changed elsewhere meanwhile (`lockstep config set`, another console) is kept.
Status writeWorkspaceSettingsChanges(Workspace& ws, const WorkspaceSettings& base,
                                     const WorkspaceSettings& edited);
Status validateWorkspaceSettings(const WorkspaceSettings& settings);

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::WorkspaceSettings)
