// How the workspace lets go of people: the member-level rows of a deleted mapping, and one
// person everywhere (an erasure request). Runs, size points and alerts stay as counts.
#pragma once

#include "util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace lockstep {

class Workspace;

struct PurgeCounts
{
    // Rows deleted or rewritten per table, in a fixed order (every table, zeros included).
    QList<std::pair<QString, qint64>> tables;
    // Keys taken out of snapshots and journal batches (a row holds many).
    qint64 keys = 0;
    // The identifiers looked for: those given and those the workspace links to them (the
    // same person's id, e-mail and cio_id on one mismatch row).
    int identifiers = 0;
    // SQLite: the freed pages were rewritten and the write-ahead log emptied, so the
    // deleted bytes are gone from the files. False when another process held the
    // workspace open (the rows are gone; their old bytes leave with its next checkpoint).
    bool filesCleared = true;

    qint64 total() const;
};

class Retention
{
public:
    explicit Retention(Workspace& ws) : m_ws(ws) {}

    // The tables holding a mapping's members (snapshot keys and counts, journal batches,
    // mismatch rows and documents): deleted. Call inside the transaction that deletes the
    // mapping.
    static Status forgetMappingRows(Workspace& ws, qint64 mappingId);

    // Removes every key, row and mention of a person named by any of `identifiers` (id,
    // e-mail or cio_id; an e-mail matches in any case) from every table, in one
    // transaction, then (SQLite) rewrites the freed pages and empties the log.
    Result<PurgeCounts> purgePerson(const QStringList& identifiers);

private:
    Workspace& m_ws;
};

} // namespace lockstep
