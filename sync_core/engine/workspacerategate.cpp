#include "workspacerategate.h"

#include "store/workspace.h"

#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

Q_DECLARE_LOGGING_CATEGORY(lcStore) // workspace.cpp

namespace lockstep {

namespace {

SyncError storageError(const QString& what, const QSqlError& e)
{
    return SyncError::make(SyncError::Category::Storage,
                           QStringLiteral("%1: %2").arg(what, e.text().trimmed()));
}

} // namespace

struct WorkspaceRateGate::Connection
{
    std::unique_ptr<Workspace> ws;
    qint64 retryAtMs = 0; // after a failure, the local bucket alone decides until then
};

WorkspaceRateGate::WorkspaceRateGate(QString location) : m_location(std::move(location)) {}

WorkspaceRateGate::~WorkspaceRateGate()
{
    // QThreadStorage deletes a thread's data when that thread finishes, never in its own
    // destructor: close this thread's connection here, in the thread that opened it.
    if (m_connections.hasLocalData())
        m_connections.setLocalData(nullptr);
}

qint64 WorkspaceRateGate::reserve(const QString& key, const HostLimit& limit, qint64 nowMs)
{
    if (limit.perSecond <= 0)
        return 0;
    if (!m_connections.hasLocalData())
        m_connections.setLocalData(new Connection);
    Connection& c = *m_connections.localData();
    if (!c.ws) {
        if (nowMs < c.retryAtMs) {
            ++m_fallbacks;
            return 0;
        }
        auto ws = open(m_location);
        if (!ws)
            return fallBack(c, ws.error(), nowMs);
        c.ws = std::move(*ws);
    }
    const Result<qint64> wait = take(*c.ws, key, limit, nowMs);
    if (!wait) {
        c.ws.reset(); // a connection that failed (e.g. the server went away) is opened anew
        return fallBack(c, wait.error(), nowMs);
    }
    return *wait;
}

Result<std::unique_ptr<Workspace>> WorkspaceRateGate::open(const QString& location)
{
    auto ws = Workspace::open(location);
    if (!ws)
        return ws.error();
    // Each reserve commits: on SQLite it must not be the commit that copies a run's tens
    // of megabytes of log into the database (the engine checkpoints between runs).
    (*ws)->deferCheckpoints();
    QStringList setup;
    if ((*ws)->dialect() == Workspace::Dialect::Sqlite) {
        setup << QStringLiteral("PRAGMA busy_timeout = %1").arg(kLockTimeoutMs);
    } else {
        // A crashed server that loses a bucket's last updates lets a few requests leave
        // early, once; waiting for its disk would slow every request (the caller holds
        // its process's limits meanwhile).
        setup << QStringLiteral("SET lock_timeout = %1").arg(kLockTimeoutMs)
              << QStringLiteral("SET synchronous_commit = off");
    }
    for (const QString& sql : setup) {
        QSqlQuery q((*ws)->db());
        if (!q.exec(sql))
            return storageError(QStringLiteral("cannot set up the rate bucket's connection"),
                                q.lastError());
    }
    return ws;
}

Result<qint64> WorkspaceRateGate::take(Workspace& ws, const QString& key, const HostLimit& limit,
                                       qint64 nowMs)
{
    const bool sqlite = ws.dialect() == Workspace::Dialect::Sqlite;
    QSqlQuery tx(ws.db());
    // SQLite: take the write lock up front, so no two processes read the same tokens (a
    // deferred transaction would fail to upgrade instead of waiting). PostgreSQL: the row
    // lock below serialises the reserves of one key and nothing else.
    if (!tx.exec(sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN")))
        return storageError(QStringLiteral("cannot start the rate bucket's transaction"),
                            tx.lastError());
    auto rollback = qScopeGuard([&ws] { QSqlQuery(ws.db()).exec(QStringLiteral("ROLLBACK")); });

    const double capacity = std::max(1.0, limit.burst);
    const QString select =
        QStringLiteral("SELECT tokens, refilled_at_ms FROM rate_buckets WHERE key = ?") +
        (sqlite ? QString() : QStringLiteral(" FOR UPDATE"));
    double tokens = capacity;
    qint64 refilledAtMs = nowMs;
    bool found = false;
    for (int attempt = 0; attempt < 2 && !found; ++attempt) {
        if (attempt == 1) {
            // A key's first use: a full bucket. Another process may insert it meanwhile.
            QSqlQuery insert = ws.query(QStringLiteral(
                "INSERT INTO rate_buckets (key, tokens, refilled_at_ms) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO NOTHING"));
            insert.addBindValue(key);
            insert.addBindValue(capacity);
            insert.addBindValue(nowMs);
            if (auto st = Workspace::exec(insert, "cannot create the rate bucket"); !st)
                return st.error();
        }
        QSqlQuery q = ws.query(select);
        q.addBindValue(key);
        if (auto st = Workspace::exec(q, "cannot read the rate bucket"); !st)
            return st.error();
        if (q.next()) {
            found = true;
            tokens = q.value(0).toDouble();
            refilledAtMs = q.value(1).toLongLong();
        }
    }
    if (!found)
        return SyncError::make(SyncError::Category::Storage,
                               QStringLiteral("the rate bucket %1 vanished").arg(key));

    // Refilled by this host's clock against the time another host wrote: runner hosts are
    // expected to keep time (NTP; `lockstep doctor` checks the clock against the
    // services'). A clock behind the row's time refills nothing and never moves it back,
    // so a skewed host slows itself down rather than letting everyone exceed the limit.
    const qint64 elapsedMs = std::max<qint64>(0, nowMs - refilledAtMs);
    tokens = std::min(capacity, tokens + double(elapsedMs) * limit.perSecond / 1000.0);
    refilledAtMs = std::max(refilledAtMs, nowMs);
    qint64 waitMs = 0;
    if (tokens >= 1.0) {
        tokens -= 1.0;
        QSqlQuery update = ws.query(
            QStringLiteral("UPDATE rate_buckets SET tokens = ?, refilled_at_ms = ? WHERE key = ?"));
        update.addBindValue(tokens);
        update.addBindValue(refilledAtMs);
        update.addBindValue(key);
        if (auto st = Workspace::exec(update, "cannot take a token from the rate bucket"); !st)
            return st.error();
    } else {
        waitMs = std::max<qint64>(1, qint64(std::ceil((1.0 - tokens) * 1000.0 / limit.perSecond)));
    }
    if (!tx.exec(QStringLiteral("COMMIT")))
        return storageError(QStringLiteral("cannot commit the rate bucket"), tx.lastError());
    rollback.dismiss();
    return waitMs;
}

qint64 WorkspaceRateGate::fallBack(Connection& c, const SyncError& why, qint64 nowMs)
{
    c.retryAtMs = nowMs + kRetryMs;
    ++m_fallbacks;
    if (!m_warned.exchange(true))
        qCWarning(lcStore).noquote()
            << "the workspace" << Workspace::displayLocation(m_location)
            << "cannot share the request limits with other processes; this process keeps to"
               " its own limits and tries again later:"
            << why.message;
    else
        qCDebug(lcStore).noquote() << "shared request limits unavailable:" << why.message;
    return 0;
}

} // namespace lockstep
