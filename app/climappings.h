// Mappings as code on the command line: export, plan and apply a mappings file, and the
// console's edits as commands (mapping set/pause/resume/delete/version, pair, alert ack).
#pragma once

#include "clisupport.h"

namespace lockstep {
class Workspace;
}

namespace lockstep::cli {

bool isMappingsCommand(const QString& command); // export, plan, apply, pair, alert
int mappingsCommand(const QString& command, Workspace& ws, Args a);
// `mapping set|pause|resume|delete|version`; false when `sub` is none of them.
bool isMappingEdit(const QString& sub);
int mappingEdit(const QString& sub, const EngineContext& context, Workspace& ws, Args a);

} // namespace lockstep::cli
