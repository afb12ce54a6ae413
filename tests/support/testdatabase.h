#pragma once
// Where a test's workspace lives. One parameterised suite runs on both stores: a test
// asks for a fresh workspace location and gets a SQLite file normally, or, when the
// environment says LOCKSTEP_TEST_STORE=postgresql (the `<test>_pg` CTest entries), a
// brand-new database on the throwaway server of the `pg` fixture (tests/pg).
//
//     const QString location = lockstep::test::TestDatabase::freshWorkspace(m_dir.path());
//     auto ws = Workspace::open(location);

#include <QString>

namespace lockstep::test {

class TestDatabase
{
public:
    // A location that has never been opened: `<tempDir>/workspace-<n>.sqlite`, or a
    // `postgresql://postgres@127.0.0.1:PORT/lockstep_test_<random>` URL whose database
    // was just created. Empty (with a warning saying why) when that database could not
    // be created: Workspace::open then fails with a clear error.
    static QString freshWorkspace(const QString& tempDir);

    // True when LOCKSTEP_TEST_STORE=postgresql.
    static bool usingPostgres();

    // The fixture server is up (its pg.env exists) and accepts a connection.
    static bool postgresAvailable();

    // A new, empty database on the fixture server, as a workspace URL; empty on failure
    // (`error` says why). For tests that need PostgreSQL whatever the store setting.
    static QString createPostgresDatabase(QString* error = nullptr);

    // The fixture server's URL for `database` (e.g. "postgres"); empty when not running.
    static QString postgresUrl(const QString& database);
};

} // namespace lockstep::test
