// The Customer.io people (cio_id) behind a mapping's acknowledged snapshot, whatever key
// the mapping sends: what overlap by person is computed from. Written by the run that
// settles the snapshot; a mapping that has not settled one since has none (nullopt).
#pragma once

#include "util/result.h"

#include <QByteArray>

#include <optional>

namespace lockstep {

class Workspace;

class SnapshotPeople
{
public:
    explicit SnapshotPeople(Workspace& ws) : m_ws(ws) {}

    // Replaces the mapping's people with `people` (cio_ids joined by '\n', in any order;
    // a cio_id may repeat), as of run `runId`.
    Status write(qint64 mappingId, qint64 runId, const QByteArray& people);
    // Adds `people` to the stored ones: a run that held exits keeps their people too.
    Status merge(qint64 mappingId, qint64 runId, const QByteArray& people);
    Result<std::optional<QByteArray>> load(qint64 mappingId);
    Status clear(qint64 mappingId);

private:
    Workspace& m_ws;
};

} // namespace lockstep
