// Run history, size points and per-batch errors.
#pragma once

#include "records.h"
#include "util/result.h"

namespace lockstep {

class Workspace;

class RunRepository
{
public:
    explicit RunRepository(Workspace& ws) : m_ws(ws) {}

    Result<qint64> begin(qint64 mappingId, RunKind kind, qint64 startedAtMs);
    // Writes the final figures of a run, and its size point unless it is a dry run
    // or was skipped.
    Status finish(const RunRecord& run);
    Result<QList<RunRecord>> recent(int limit = 500, qint64 mappingId = 0);
    Result<std::optional<RunRecord>> last(qint64 mappingId);
    // Runs left in state "running" by a process that died.
    Result<QList<RunRecord>> unfinished();
    Result<QList<BatchError>> batchErrors(qint64 runId);

private:
    Workspace& m_ws;
};

} // namespace lockstep
