// Identity mismatches of each mapping's latest run (older runs keep counts only).
#pragma once

#include "identity/identityresolver.h"
#include "util/result.h"

namespace lockstep {

class Workspace;

struct StoredMismatch
{
    qint64 runId = 0;
    qint64 mappingId = 0;
    IdentityMismatch mismatch;
};

class MismatchRepository
{
public:
    explicit MismatchRepository(Workspace& ws) : m_ws(ws) {}

    Status replace(qint64 mappingId, qint64 runId, const QList<IdentityMismatch>& mismatches);
    // Adds to the mapping's mismatches (found later in the same run, e.g. by the exit check).
    Status append(qint64 mappingId, qint64 runId, const QList<IdentityMismatch>& mismatches);
    // "error" (not sent), "warning" (sent, but shared) or "info" (only explains a change).
    static QString severityName(MismatchReason reason);
    Result<QList<StoredMismatch>> list(qint64 mappingId = 0, int limit = 100000);

private:
    Status insert(qint64 mappingId, qint64 runId, const QList<IdentityMismatch>& mismatches);
    Workspace& m_ws;
};

} // namespace lockstep
