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
    // Replaces a finished run's message, API call count and verification with `r`'s: what
    // was learnt and spent after it ended (the verification of the sync's entered keys).
    Status amend(const RunRecord& r);
    Result<QList<RunRecord>> recent(int limit = 500, qint64 mappingId = 0);
    Result<std::optional<RunRecord>> last(qint64 mappingId);
    // The newest run that succeeded: what "last sync" means.
    Result<std::optional<RunRecord>> lastSucceeded(qint64 mappingId);
    // The newest run that ended and was meant to change Mixpanel (no dry runs, none
    // still running): the run a mapping is judged by.
    Result<std::optional<RunRecord>> lastEnded(qint64 mappingId);
    // The newest run whose entry check looked keys up in Mixpanel.
    Result<std::optional<RunRecord>> lastVerified(qint64 mappingId);
    // Runs left in state "running" by a process that died.
    Result<QList<RunRecord>> unfinished();
    Result<QList<BatchError>> batchErrors(qint64 runId);

private:
    Result<std::optional<RunRecord>> newest(qint64 mappingId, const QString& condition);

    Workspace& m_ws;
};

} // namespace lockstep
