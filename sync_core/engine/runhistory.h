// What a run reads and notes about its mapping's history in the workspace, beside the
// run's own record (RunRepository).
#pragma once

#include <QString>

namespace lockstep {

class Workspace;

struct BaseRun
{
    qint64 id = 0; // the mapping's last succeeded run before this one (0: none)
    qint64 finishedMs = 0;
};

BaseRun lastSucceededRun(Workspace& ws, qint64 mappingId, qint64 beforeRunId);

// The segment's name as Customer.io shows it now (the mapping keeps the last one seen).
void recordSegmentName(Workspace& ws, qint64 mappingId, const QString& name);

} // namespace lockstep
