// The request bodies of one journaled batch: the /engage profile updates that write or
// remove the cohort value, and the Cohort Entered / Exited events for /import. Pure: the
// planner sizes batches with the same numbers the bodies are built from.
#pragma once

#include "store/records.h"
#include "store/snapshotstore.h"

#include <QByteArray>

#include <string_view>

namespace lockstep {

class BatchBodies
{
public:
    BatchBodies() = default;
    // `baseRunId` / `baseRunFinishedMs`: the last completed run of the mapping (0: none),
    // which keys and dates the events.
    BatchBodies(Mapping mapping, QByteArray projectToken, qint64 baseRunId = 0,
                qint64 baseRunFinishedMs = 0);

    QByteArray engage(const JournalBatch& batch) const;
    QByteArray events(const JournalBatch& batch) const;
    bool sendsEvents() const { return m_mapping.sendEvents; }

    // Bytes `key` adds to the larger of the batch's bodies (its separator included); a
    // batch's bodies are at most 2 + the sum over its keys.
    qsizetype keyBytes(JournalBatch::Op op, std::string_view key) const;

    // The $insert_id of a membership event: the same for a retry or a resumed run of the
    // same change (it keys on the last completed run, which a killed run is not), at
    // most 36 letters, digits and '-'. A run that did not fully succeed leaves keys to be
    // resent, so the key is the last run that did.
    static QByteArray eventInsertId(qint64 mappingId, qint64 baseRunId, bool entered,
                                    std::string_view key);
    // Bytes `s` takes as a quoted JSON string (json::appendString).
    static qsizetype jsonStringBytes(std::string_view s);

private:
    QByteArray engageHead(JournalBatch::Op op) const;
    QByteArray eventHead(JournalBatch::Op op) const;

    Mapping m_mapping;
    QByteArray m_token;
    qint64 m_baseRunId = 0;
    qint64 m_baseRunFinishedMs = 0;
    // Per-key overhead of each body (head, quotes, braces, separator), by op.
    qsizetype m_engageAdd = 0, m_engageRemove = 0, m_eventAdd = 0, m_eventRemove = 0;
};

} // namespace lockstep
