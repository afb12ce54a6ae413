// The console's query side of the engine seam: the host of the services that answer the
// console's reads, edits and trust checks (mappingservice.h, healthservice.h,
// trustservice.h, setupservice.h). Lives in the engine's worker thread next to
// EngineWorker, with its own workspace connection (opened in that thread), its own request
// scheduler on the context's limits and the change watcher, which its services share.
// Each service answers each request with a queued signal carrying the request's id and
// value types (pending.h), so the GUI thread never touches the database or the network.
#pragma once

#include "seamtypes.h"
#include "util/clock.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace lockstep {

class ChangeWatcher;
class EngineContext;
class HealthService;
class MappingService;
class RequestScheduler;
class SetupService;
class TrustService;
class Workspace;

class QueryWorker : public QObject
{
    Q_OBJECT
public:
    QueryWorker(const EngineContext& context, QString workspace, Credentials credentials);
    ~QueryWorker() override;

    // The services, children of this worker: they move to its thread with it.
    MappingService* mappings() const { return m_mappings; }
    HealthService* health() const { return m_health; }
    TrustService* trust() const { return m_trust; }
    SetupService* setup() const { return m_setup; }

    // All of these run in the worker thread (queued from SyncController).
    void open();
    void shutdown();
    void setCredentials(const Credentials& credentials);

    // --- Changes made elsewhere (ChangeWatcher on this connection) ---
    // Starts reporting workspaceChanged(), now or once open (consoles do; the CLI not).
    void watchChanges();
    // The caller is about to reload these tables (empty: all): what they hold now is
    // not news. workspaceChanged() reports only what changed after this.
    void markChangesSeen(const QStringList& tables = {});

    // What the services share; in the worker thread only.
    const EngineContext& context() const { return m_context; }
    Workspace* workspace() const { return m_ws.get(); } // null until open
    RequestScheduler* http() const { return m_http; }
    const Credentials& credentials() const { return m_credentials; }
    const Clock* clock() const { return m_clock; }

Q_SIGNALS:
    void opened();
    // Another console, the CLI or a runner changed these tables (names as in
    // ChangeWatcher::watchedTables()); coalesced, never for this worker's own writes.
    void workspaceChanged(const QStringList& tables);

private:
    const EngineContext& m_context;
    QString m_location;
    Credentials m_credentials;
    const Clock* m_clock;
    std::unique_ptr<Workspace> m_ws;
    RequestScheduler* m_http = nullptr;
    ChangeWatcher* m_changes = nullptr; // while open and watching
    bool m_watchChanges = false;

    MappingService* m_mappings;
    HealthService* m_health;
    TrustService* m_trust;
    SetupService* m_setup;
};

// The base of the query services: each request takes a RequestId and answers it exactly
// once, with the service's answer signal or failed().
class QueryService : public QObject
{
    Q_OBJECT
public:
    explicit QueryService(QueryWorker& host);

Q_SIGNALS:
    // The request `id` failed; it gets no other answer.
    void failed(lockstep::RequestId id, const lockstep::SyncError& error);

protected:
    // The open workspace; null (and `id` answered with a failure) when it is not open.
    Workspace* workspaceFor(RequestId id);
    static SyncError notOpen();

    QueryWorker& m_host;
};

} // namespace lockstep
