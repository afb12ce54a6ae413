#include "workspace.h"

#include "migrations.h"
#include "postgresurl.h"
#include "util/privatefiles.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSqlError>
#include <QStandardPaths>
#include <QUrl>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcStore, "lockstep.store")

namespace lockstep {

namespace {

// How long a statement waits for another connection's lock before it fails.
constexpr int kBusyTimeoutMs = 10000;

QString nextConnectionName()
{
    static QAtomicInteger<int> counter;
    return QStringLiteral("lockstep-ws-%1").arg(counter.fetchAndAddRelaxed(1));
}

// Advisory lock key (class, 0) held while migrating a PostgreSQL workspace. The two-key
// form has its own key space, so it never meets single-bigint locks (per mapping).
constexpr int kMigrationLockClass = 0x4c6b5374; // "LkSt"

SyncError storageError(const QString& what, const QSqlError& e)
{
    return SyncError::make(SyncError::Category::Storage,
                           QStringLiteral("%1: %2").arg(what, e.text().trimmed()));
}

// What a failed PostgreSQL connection needs besides libpq's words: TLS is required off
// this machine, so the two TLS failures get what to do.
QString tlsAdvice(const QString& libpqText, const QString& sslMode)
{
    if (libpqText.contains(QLatin1String("does not support SSL")))
        return QStringLiteral(" (the server does not offer TLS, and sslmode=%1 requires it: "
                              "turn TLS on at the server; Lockstep will not send the password "
                              "in plain text to a server that is not on this machine)")
            .arg(sslMode.isEmpty() ? QStringLiteral("require") : sslMode);
    if (libpqText.contains(QLatin1String("root certificate")) ||
        libpqText.contains(QLatin1String("certificate verify failed")) ||
        libpqText.contains(QLatin1String("does not match host name")))
        return QStringLiteral(" (the server's certificate could not be checked: point "
                              "?sslrootcert=FILE or PGSSLROOTCERT at the CA that signed it)");
    return {};
}

// The workspace holds every member's e-mail: owner-only. A new file is created 0600
// before SQLite opens it (SQLite gives its -wal and -shm the main file's mode); an
// existing one readable by others is fixed, with a warning.
Status makePrivate(const QString& file)
{
    if (!QFileInfo::exists(file)) {
        const int fd = ::open(QFile::encodeName(file).constData(),
                              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return SyncError::make(SyncError::Category::Storage,
                                   QStringLiteral("cannot create workspace %1: %2")
                                       .arg(file, QString::fromLocal8Bit(std::strerror(errno))));
        if (fd >= 0)
            ::close(fd);
    }
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        const auto was = restrictToOwner(file + suffix);
        if (!was)
            qCWarning(lcStore).noquote() << was.error().message;
        else if (*was != 0)
            qCWarning(lcStore).noquote()
                << QStringLiteral("%1 was readable by other users (mode %2): it holds personal "
                                  "data, so it is now readable by its owner only (mode %3)")
                       .arg(file + suffix, QString::number(*was, 8),
                            QString::number(*was & 0700, 8));
    }
    return {};
}

} // namespace

QString Workspace::displayLocation(const QString& location)
{
    return lockstep::displayLocation(location);
}

QString Workspace::defaultLocation()
{
    const QByteArray env = qgetenv("LOCKSTEP_WORKSPACE");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/lockstep");
    return dir + QStringLiteral("/workspace.sqlite");
}

Result<std::unique_ptr<Workspace>> Workspace::open(const QString& location)
{
    auto ws = connect(location);
    if (!ws)
        return ws.error();
    if (auto st = (*ws)->migrate(); !st)
        return st.error();
    return ws;
}

int Workspace::newestSchemaVersion()
{
    const auto& migrations = workspaceMigrations();
    return migrations.empty() ? 0 : migrations.back().version;
}

Result<int> Workspace::storedSchemaVersion(const QString& location)
{
    auto ws = connect(location);
    if (!ws)
        return ws.error();
    QSqlQuery q((*ws)->m_db);
    // No table yet: a new (or foreign) database, schema 0.
    if (!(*ws)->m_db.tables().contains(QStringLiteral("schema_version")))
        return 0;
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")))
        return storageError(QStringLiteral("cannot read the schema version"), q.lastError());
    return q.next() ? q.value(0).toInt() : 0;
}

Result<QList<int>> Workspace::appliedMigrations()
{
    QSqlQuery q = query(QStringLiteral("SELECT version FROM schema_version ORDER BY version"));
    if (auto st = exec(q, "cannot read the applied migrations"); !st)
        return st.error();
    QList<int> versions;
    while (q.next())
        versions.append(q.value(0).toInt());
    return versions;
}

Result<std::unique_ptr<Workspace>> Workspace::connect(const QString& location)
{
    std::unique_ptr<Workspace> ws(new Workspace);
    ws->m_location = location;
    ws->m_connectionName = nextConnectionName();
    QString sslMode;

    if (isPostgresLocation(location)) {
        auto target = parsePostgresUrl(location);
        if (!target)
            return target.error();
        ws->m_dialect = Dialect::Postgres;
        ws->m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), ws->m_connectionName);
        ws->m_db.setHostName(target->host);
        ws->m_db.setPort(target->port);
        ws->m_db.setDatabaseName(target->database);
        ws->m_db.setUserName(target->user);
        ws->m_db.setConnectOptions(target->connectOptions);
        sslMode = target->sslMode;
        // libpq reads PGPASSWORD and ~/.pgpass itself.
    } else {
        if (location.isEmpty())
            return SyncError::make(SyncError::Category::Config,
                                   QStringLiteral("no workspace file given"));
        const QFileInfo fi(location);
        if (auto st = makePrivateFolder(fi.absolutePath()); !st)
            return st.error();
        if (fi.exists() && !fi.isFile())
            return SyncError::make(SyncError::Category::Storage,
                                   QStringLiteral("%1 is not a file").arg(location));
        if (auto st = makePrivate(fi.absoluteFilePath()); !st)
            return st.error();
        ws->m_dialect = Dialect::Sqlite;
        ws->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), ws->m_connectionName);
        ws->m_db.setDatabaseName(fi.absoluteFilePath());
        ws->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    }

    if (!ws->m_db.open()) {
        const QSqlError e = ws->m_db.lastError();
        return SyncError::make(
            SyncError::Category::Storage,
            QStringLiteral("cannot open workspace %1: %2%3")
                .arg(displayLocation(location), e.text().trimmed(), tlsAdvice(e.text(), sslMode)));
    }

    if (ws->m_dialect == Dialect::Sqlite) {
        QSqlQuery q(ws->m_db);
        for (const char* pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
              // Freed pages are zeroed: a person deleted (purged, a deleted mapping, an exit
              // compacted away) leaves no bytes behind for someone who copies the file.
              "PRAGMA secure_delete=ON"}) {
            if (!q.exec(QString::fromLatin1(pragma)))
                return storageError(QStringLiteral("workspace %1 is not usable").arg(location),
                                    q.lastError());
        }
    }

    return ws;
}

Workspace::~Workspace()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

void Workspace::deferCheckpoints()
{
    sqlitePragma("PRAGMA wal_autocheckpoint=0", "cannot defer checkpoints:");
}

void Workspace::checkpoint()
{
    // Passive: copies what no reader still needs and never waits for anyone.
    sqlitePragma("PRAGMA wal_checkpoint(PASSIVE)", "checkpoint failed:");
}

bool Workspace::forgetFreedBytes(Erase how)
{
    if (m_dialect != Dialect::Sqlite)
        return true;
    QSqlQuery q(m_db);
    bool cleared = true;
    if (how == Erase::Thorough) {
        // The rewrite's copy in memory: a temporary file would leave it on the disk.
        q.exec(QStringLiteral("PRAGMA temp_store=MEMORY"));
        if (!q.exec(QStringLiteral("VACUUM"))) {
            qCWarning(lcStore) << "cannot rewrite the workspace:" << q.lastError().text();
            cleared = false;
        }
        q.exec(QStringLiteral("PRAGMA temp_store=DEFAULT"));
    } else {
        // A console deleting a mapping while a run writes must not stall for the timeout.
        q.exec(QStringLiteral("PRAGMA busy_timeout=0"));
    }
    // Empties the log file; the first column is 1 when a reader kept it from finishing.
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) || !q.next() ||
        q.value(0).toInt() != 0) {
        qCInfo(lcStore) << "the workspace's log could not be emptied now" << q.lastError().text();
        cleared = false;
    }
    q.finish();
    if (how == Erase::Quick)
        q.exec(QStringLiteral("PRAGMA busy_timeout=%1").arg(kBusyTimeoutMs));
    return cleared;
}

void Workspace::sqlitePragma(const char* pragma, const char* failure)
{
    if (m_dialect != Dialect::Sqlite)
        return;
    QSqlQuery q(m_db);
    if (!q.exec(QString::fromLatin1(pragma)))
        qCWarning(lcStore) << failure << q.lastError().text();
}

QSqlQuery Workspace::query(const QString& sql)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        qCWarning(lcStore) << "prepare failed:" << q.lastError().text() << sql;
    return q;
}

Status Workspace::exec(QSqlQuery& q, const char* what)
{
    if (!q.exec())
        return storageError(QString::fromLatin1(what), q.lastError());
    return {};
}

Status Workspace::transaction(const std::function<Status()>& body)
{
    // Inside another transaction the body joins it: the outer one commits or rolls back
    // everything (a repository's own transaction inside a larger one, e.g. an apply).
    if (m_transactionDepth > 0)
        return nested(body);
    if (!m_db.transaction())
        return storageError(QStringLiteral("cannot start a transaction"), m_db.lastError());
    Status st = nested(body);
    if (!st) {
        m_db.rollback();
        return st;
    }
    if (!m_db.commit()) {
        const SyncError e = storageError(QStringLiteral("cannot commit"), m_db.lastError());
        m_db.rollback();
        return e;
    }
    return {};
}

Status Workspace::writeTransaction(const std::function<Status()>& body)
{
    if (m_transactionDepth > 0)
        return nested(body);
    QSqlQuery tx(m_db);
    // SQLite: take the write lock now (a deferred transaction that read first could not
    // upgrade once another writer committed). PostgreSQL: rows are locked as they are read
    // FOR UPDATE by the body.
    if (!tx.exec(m_dialect == Dialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE")
                                              : QStringLiteral("BEGIN")))
        return storageError(QStringLiteral("cannot start a transaction"), tx.lastError());
    Status st = nested(body);
    if (st && !tx.exec(QStringLiteral("COMMIT")))
        st = storageError(QStringLiteral("cannot commit"), tx.lastError());
    if (!st)
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    return st;
}

Status Workspace::nested(const std::function<Status()>& body)
{
    ++m_transactionDepth;
    const auto leave = qScopeGuard([this] { --m_transactionDepth; });
    return body();
}

Status Workspace::migrate()
{
    QSqlQuery q(m_db);
    // PostgreSQL: consoles and runners that open one new database at the same moment
    // would all run migration 1 (and race on CREATE TABLE IF NOT EXISTS itself). A
    // session advisory lock makes them take turns; the later ones then find the schema
    // current. The lock goes away with the connection if this process dies. SQLite
    // serialises writers itself (busy timeout).
    bool locked = false;
    const auto unlock = qScopeGuard([this, &locked] {
        if (locked)
            QSqlQuery(m_db).exec(
                QStringLiteral("SELECT pg_advisory_unlock(%1, 0)").arg(kMigrationLockClass));
    });
    if (m_dialect == Dialect::Postgres) {
        // Keeps the "already exists, skipping" NOTICE of every reopen off stderr.
        q.exec(QStringLiteral("SET client_min_messages TO warning"));
        if (!q.exec(QStringLiteral("SELECT pg_advisory_lock(%1, 0)").arg(kMigrationLockClass)))
            return storageError(QStringLiteral("cannot lock workspace %1 for migration")
                                    .arg(displayLocation(m_location)),
                                q.lastError());
        locked = true;
    }
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT "
                               "NULL)")))
        return storageError(QStringLiteral("workspace %1 is not a Lockstep workspace or is "
                                           "damaged")
                                .arg(displayLocation(m_location)),
                            q.lastError());
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")))
        return storageError(QStringLiteral("cannot read the schema version"), q.lastError());
    m_schemaVersion = q.next() ? q.value(0).toInt() : 0;

    const auto& migrations = workspaceMigrations();
    const int newest = migrations.empty() ? 0 : migrations.back().version;
    if (m_schemaVersion > newest)
        return SyncError::make(SyncError::Category::Storage,
                               QStringLiteral("workspace %1 was written by a newer Lockstep "
                                              "(schema %2, this build knows %3)")
                                   .arg(displayLocation(m_location),
                                        QString::number(m_schemaVersion), QString::number(newest)));

    const QString id = m_dialect == Dialect::Sqlite
                           ? QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT")
                           : QStringLiteral("BIGSERIAL PRIMARY KEY");
    const QString blob =
        m_dialect == Dialect::Sqlite ? QStringLiteral("BLOB") : QStringLiteral("BYTEA");
    for (const Migration& m : migrations) {
        if (m.version <= m_schemaVersion)
            continue;
        Status st = transaction([&]() -> Status {
            QSqlQuery mq(m_db);
            const QStringList statements =
                m.statements +
                (m_dialect == Dialect::Sqlite ? m.sqliteStatements : m.postgresStatements);
            for (QString sql : statements) {
                sql.replace(QLatin1String("%ID%"), id).replace(QLatin1String("%BLOB%"), blob);
                if (!mq.exec(sql))
                    return storageError(QStringLiteral("migration %1 failed").arg(m.version),
                                        mq.lastError());
            }
            if (!mq.exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (%1)")
                             .arg(m.version)))
                return storageError(QStringLiteral("migration %1 failed").arg(m.version),
                                    mq.lastError());
            return {};
        });
        if (!st)
            return st;
        qCDebug(lcStore) << "workspace migrated to schema" << m.version << m.description;
        m_schemaVersion = m.version;
    }
    return {};
}

} // namespace lockstep
