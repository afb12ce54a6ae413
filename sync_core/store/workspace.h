// The workspace: one database connection (SQLite file, or PostgreSQL for teams) with
// versioned migrations that run the same on both. Open one Workspace per thread, in
// the thread that uses it (Qt SQL connections are not shared across threads).
#pragma once

#include "util/redaction.h"
#include "util/result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <functional>
#include <memory>

namespace lockstep {

class Workspace
{
public:
    enum class Dialect
    {
        Sqlite,
        Postgres
    };

    // `location` is a file path (created with its folders when missing, private to its
    // owner) or a postgresql://user@host[:port]/db[?sslmode=...] URL (password from
    // PGPASSWORD or ~/.pgpass; TLS required for a server not on this machine).
    static Result<std::unique_ptr<Workspace>> open(const QString& location);
    ~Workspace();

    // The newest schema this build knows (the last migration).
    static int newestSchemaVersion();
    // The schema version stored at `location`, read without migrating (0 when it has no
    // schema yet): tells a workspace written by a newer Lockstep, which open() refuses,
    // from one that cannot be opened at all.
    static Result<int> storedSchemaVersion(const QString& location);
    // The versions recorded as applied, oldest first.
    Result<QList<int>> appliedMigrations();

    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    QSqlDatabase& db() { return m_db; }
    // SQLite: the connection no longer copies the write-ahead log into the database when
    // it commits (a 1M-member run would pay for that inside the run); checkpoint() does
    // it when the caller is idle. No-ops on PostgreSQL.
    void deferCheckpoints();
    void checkpoint();
    // SQLite: leaves no copy of deleted rows in the files. Deleted content is zeroed as it
    // is freed (secure_delete, on for every connection), but the write-ahead log's earlier
    // frames still hold it, and so do pages freed before secure_delete was on (workspaces
    // of older versions). Quick copies the log in and truncates it if no other connection
    // is reading it right now; Thorough rewrites the whole file first (VACUUM) and waits
    // for readers (busy timeout). False when the log could not be emptied. Nothing to do
    // (true) on PostgreSQL.
    enum class Erase
    {
        Quick,
        Thorough
    };
    bool forgetFreedBytes(Erase how);
    Dialect dialect() const { return m_dialect; }
    QString location() const { return m_location; }
    int schemaVersion() const { return m_schemaVersion; }

    // Runs `body` in one transaction; rolls back when it returns an error. Called inside
    // another transaction of this connection, the body joins the outer one.
    Status transaction(const std::function<Status()>& body);
    // The same, holding the write lock from the start (SQLite BEGIN IMMEDIATE), for a body
    // that reads, decides and writes: other writers wait rather than fail halfway.
    Status writeTransaction(const std::function<Status()>& body);

    // A prepared query on this connection.
    QSqlQuery query(const QString& sql);
    // Executes a prepared query; maps a failure to a Storage error naming `what`.
    static Status exec(QSqlQuery& q, const char* what);

    // Qt binds a null QString as SQL NULL; the schema's text columns are NOT NULL.
    static QString text(const QString& s) { return s.isNull() ? QStringLiteral("") : s; }
    // Free text that may quote a service's reply (a run's message, a batch's error, a
    // check's summary), redacted as the logs are: every teammate reads the workspace.
    static QString message(const QString& s) { return text(redactSecrets(s)); }

    // `location` as it may be printed: never a URL's query (it may carry key paths).
    static QString displayLocation(const QString& location);

    // The default per-user workspace file (QStandardPaths), or LOCKSTEP_WORKSPACE.
    static QString defaultLocation();

private:
    Workspace() = default;
    // Opens the connection (and SQLite's pragmas) without touching the schema.
    static Result<std::unique_ptr<Workspace>> connect(const QString& location);
    Status migrate();
    // Runs a PRAGMA on SQLite (nothing on PostgreSQL); a failure is logged, not fatal.
    void sqlitePragma(const char* pragma, const char* failure);
    Status nested(const std::function<Status()>& body);

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_location;
    Dialect m_dialect = Dialect::Sqlite;
    int m_schemaVersion = 0;
    int m_transactionDepth = 0;
};

} // namespace lockstep
