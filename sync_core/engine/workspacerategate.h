// The request limits of a workspace's processes, shared through the workspace: one token
// bucket row per limit key (table rate_buckets), so two runners, or a runner and a
// console, on one team workspace keep together to a limit the vendor sets per key.
#pragma once

#include "api/ratelimits.h"
#include "util/result.h"

#include <QString>
#include <QThreadStorage>

#include <atomic>
#include <memory>

namespace lockstep {

class Workspace;

class WorkspaceRateGate : public SharedRateGate
{
public:
    explicit WorkspaceRateGate(QString location);
    // Closes the calling thread's connection; other threads' close when they finish, so
    // the gate must outlive them (the engine's threads end before their EngineContext).
    ~WorkspaceRateGate() override;
    WorkspaceRateGate(const WorkspaceRateGate&) = delete;
    WorkspaceRateGate& operator=(const WorkspaceRateGate&) = delete;

    QString location() const { return m_location; }

    // One short write transaction on the calling thread's own connection (opened on first
    // use: Qt SQL connections belong to their thread). When the workspace cannot answer,
    // returns 0 so the local bucket alone decides (warned once), and asks the workspace
    // again after kRetryMs: a storage failure never stops a sync.
    qint64 reserve(const QString& key, const HostLimit& limit, qint64 nowMs) override;

    // Reserves the local bucket decided alone because the workspace could not answer.
    int fallbacks() const { return m_fallbacks.load(); }

    static constexpr qint64 kRetryMs = 5000;
    // How long a reserve waits for another writer of the workspace (SQLite's write lock, a
    // PostgreSQL row lock) before it falls back: longer than the workspace's writes take,
    // short enough not to stall a sync, since the caller waits with its limits locked.
    static constexpr int kLockTimeoutMs = 2000;

private:
    struct Connection;
    static Result<std::unique_ptr<Workspace>> open(const QString& location);
    static Result<qint64> take(Workspace& ws, const QString& key, const HostLimit& limit,
                               qint64 nowMs);
    qint64 fallBack(Connection& c, const SyncError& why, qint64 nowMs);

    const QString m_location;
    QThreadStorage<Connection*> m_connections;
    std::atomic<bool> m_warned{false};
    std::atomic<int> m_fallbacks{0};
};

} // namespace lockstep
