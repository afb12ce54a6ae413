// The workspace schema as an ordered list of migrations. Statements use two
// placeholders that each dialect fills in: %ID% (auto-increment primary key) and
// %BLOB% (binary column). Where the dialects cannot share a statement (triggers), a
// migration adds one list per dialect that does the same thing on each.
#pragma once

#include <QStringList>
#include <vector>

namespace lockstep {

struct Migration
{
    int version;
    const char* description;
    QStringList statements;              // both dialects, first
    QStringList sqliteStatements = {};   // then these on SQLite
    QStringList postgresStatements = {}; // or these on PostgreSQL
};

const std::vector<Migration>& workspaceMigrations();

} // namespace lockstep
