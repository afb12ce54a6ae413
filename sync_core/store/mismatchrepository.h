// Identity mismatches of each mapping's latest run (older runs keep counts only): the
// resolver's rows as one document per mapping, the checks' rows (exits looked up, keys
// verified in Mixpanel) one by one in table mismatches.
#pragma once

#include "members/identitymismatch.h"
#include "util/result.h"

#include <QList>

#include <functional>

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

    // Replaces the mapping's mismatches found while resolving identities (kept as one
    // document per mapping, table mismatch_sets, since a run rewrites them all) and drops
    // earlier runs' vanished_after_merge rows. Rows with reason unknown_to_mixpanel are
    // left alone: they come from sampled checks in Mixpanel, not from every member, so
    // each stays (with the run that verified it) until its key is checked again or
    // leaves the segment (see EntryCheck).
    Status replace(qint64 mappingId, qint64 runId, const QList<IdentityMismatch>& mismatches);
    // The same for `total` mismatches handed over a slice at a time (the resolver's
    // compact store never becomes one big list).
    using Slice = std::function<QList<IdentityMismatch>(qsizetype from, qsizetype count)>;
    Status replace(qint64 mappingId, qint64 runId, qsizetype total, const Slice& slice);
    // Adds to the mapping's mismatches (found later in the same run, e.g. by the exit check).
    Status append(qint64 mappingId, qint64 runId, const QList<IdentityMismatch>& mismatches);
    // "error" (not sent), "warning" (sent, but shared) or "info" (only explains a change).
    static QString severityName(MismatchReason reason);
    // The rows of one verification in Mixpanel (unknown_to_mixpanel, value_missing):
    // earlier rows of the `checked` keys are replaced by `unknown` (run `runId`), in one
    // transaction.
    Status recordVerified(qint64 mappingId, qint64 runId, const QStringList& checked,
                          const QList<IdentityMismatch>& unknown);
    // Keys of the mapping's unknown_to_mixpanel and value_missing rows.
    Result<QStringList> unknownKeys(qint64 mappingId);
    // Deletes the mapping's unknown_to_mixpanel and value_missing rows of these keys.
    Status forgetUnknown(qint64 mappingId, const QStringList& keys);
    Result<QList<StoredMismatch>> list(qint64 mappingId = 0, int limit = 100000);

private:
    Status insert(qint64 mappingId, qint64 runId, const QList<IdentityMismatch>& mismatches);
    Status insert(qint64 mappingId, qint64 runId, qsizetype total, const Slice& slice);
    Status deleteUnknown(qint64 mappingId, const QStringList& keys);

    Workspace& m_ws;
};

} // namespace lockstep
