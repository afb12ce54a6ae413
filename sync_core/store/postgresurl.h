// A PostgreSQL workspace URL (postgresql://user@host[:port]/db[?param=value...]) read
// into what QPSQL needs: the libpq parameters Lockstep passes through, TLS required by
// default for a server that is not on this machine, and no password ever in the URL.
#pragma once

#include "util/result.h"

#include <QString>

namespace lockstep {

struct PostgresTarget
{
    QString host;
    int port = 5432;
    QString database;
    QString user;
    // libpq's "key='value'" pairs, separated by ';' as QSqlDatabase::setConnectOptions
    // expects for QPSQL.
    QString connectOptions;
    QString sslMode; // the sslmode in force ("" when libpq's own PGSSLMODE decides)
    bool loopback = false;
};

bool isPostgresLocation(const QString& location);

// Refuses a password (in the user part or as ?password=) without echoing it, unknown
// parameters, and values QPSQL cannot carry.
Result<PostgresTarget> parsePostgresUrl(const QString& location);

// The location as it may be shown: a URL without password, query or fragment; a file
// path as it is.
QString displayLocation(const QString& location);

// The libpq parameters a workspace URL may carry.
const QStringList& postgresUrlParameters();

} // namespace lockstep
