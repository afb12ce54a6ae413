// The workspace schema as an ordered list of migrations. Statements use two
// placeholders that each dialect fills in: %ID% (auto-increment primary key) and
// %BLOB% (binary column).
#pragma once

#include <QStringList>
#include <vector>

namespace lockstep {

struct Migration
{
    int version;
    const char* description;
    QStringList statements;
};

const std::vector<Migration>& workspaceMigrations();

} // namespace lockstep
