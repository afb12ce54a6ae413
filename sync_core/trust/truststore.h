// Where trust checks keep their evidence: stored check results (trust_checks), the
// operator's latency expectation per mapping (trust_settings) and the query API calls
// trust checks made (query_usage, so separate processes share one hourly budget).
#pragma once

#include "util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace lockstep {

class Workspace;
struct OpenRehearsal;
struct RehearsalResult;

struct TrustCheckRecord
{
    qint64 id = 0;
    qint64 mappingId = 0;
    QString kind; // trustkind::*
    qint64 atMs = 0;
    bool passed = false;
    QString summary;
    QJsonObject result;
};

class TrustStore
{
public:
    explicit TrustStore(Workspace& ws) : m_ws(ws) {}

    Result<qint64> record(const TrustCheckRecord& check);
    // The newest check of a kind for a mapping; nullopt when there is none.
    Result<std::optional<TrustCheckRecord>> latest(qint64 mappingId, const QString& kind);
    // Newest first; kind empty = every kind.
    Result<QList<TrustCheckRecord>> history(qint64 mappingId, const QString& kind = {},
                                            int limit = 50);

    // The mapping's newest rehearsal while its temporary value has not been removed (no
    // verified cleanup of that value recorded after it); nullopt when there is none. As
    // stored, it names no one: a cleanup finds the profiles that carry the value.
    Result<std::optional<RehearsalResult>> openRehearsal(qint64 mappingId);
    // Every such rehearsal of the live mappings (of one mapping when mappingId > 0), oldest
    // first. A rehearsal that wrote nothing (no one had a usable key) is not open.
    Result<QList<OpenRehearsal>> openRehearsals(qint64 mappingId = 0);
    // The open rehearsal stored as trust check `checkId`; nullopt when there is no such
    // rehearsal or it has been cleaned up.
    Result<std::optional<OpenRehearsal>> openRehearsalById(qint64 checkId);

    // 0 when the operator has not set one.
    Result<int> latencyExpectationMinutes(qint64 mappingId);
    Status setLatencyExpectationMinutes(qint64 mappingId, int minutes);

    Status recordQueries(qint64 atMs, int count, const QString& what);
    // Send times of recorded queries after `sinceMs`, oldest first.
    Result<QList<qint64>> queriesSince(qint64 sinceMs);
    // The same, of the queries recorded for `what` only.
    Result<QList<qint64>> queriesSince(qint64 sinceMs, const QString& what);
    // Queries recorded after `sinceMs`, counted by what they were for.
    Result<QList<std::pair<QString, int>>> queriesByPurposeSince(qint64 sinceMs);

private:
    Workspace& m_ws;
};

} // namespace lockstep
