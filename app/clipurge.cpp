// `lockstep purge --person ID_OR_EMAIL`: an erasure request. Removes the person from every
// table of the workspace and leaves no copy of the deleted bytes in its files.
#include "clisupport.h"

#include "store/retention.h"
#include "store/workspace.h"

#include <QJsonDocument>

namespace lockstep::cli {

int purgeCommand(const QString& location, Args a)
{
    QStringList people;
    QString error;
    // Repeatable: a person known by an id in one mapping and an e-mail in another.
    while (const auto person = a.take(QStringLiteral("--person"), &error)) {
        if (person->trimmed().isEmpty())
            return usageError(QStringLiteral("--person needs an id or an e-mail, not nothing"));
        people << *person;
    }
    const bool json = a.flag(QStringLiteral("--json"));
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    if (people.isEmpty())
        return usageError(QStringLiteral("purge needs --person ID_OR_EMAIL"));

    auto ws = Workspace::open(location);
    if (!ws)
        return reportError(ws.error());
    auto counts = Retention(**ws).purgePerson(people);
    if (!counts)
        return reportError(counts.error());

    const int linked = counts->identifiers - int(people.size());
    if (json) {
        QJsonObject tables;
        for (const auto& [table, rows] : counts->tables)
            tables.insert(table, rows);
        out() << QJsonDocument(QJsonObject{{QStringLiteral("identifiers"), counts->identifiers},
                                           {QStringLiteral("linked"), std::max(0, linked)},
                                           {QStringLiteral("tables"), tables},
                                           {QStringLiteral("rows"), counts->total()},
                                           {QStringLiteral("keys"), counts->keys},
                                           {QStringLiteral("files_cleared"), counts->filesCleared}})
                     .toJson(QJsonDocument::Indented);
    } else {
        // The identifiers themselves are not printed: the output goes to terminals and logs.
        out() << "purged " << counts->total() << " rows and " << counts->keys
              << " snapshot and journal keys for " << counts->identifiers << " identifiers ("
              << std::max(0, linked) << " linked to the ones given):\n";
        for (const auto& [table, rows] : counts->tables)
            out() << "  " << table << ": " << rows << "\n";
    }
    out().flush();
    if (!counts->filesCleared) {
        err() << "lockstep: the rows are gone, but another process has the workspace open, so "
                 "its log still holds their old bytes until it is next emptied; run purge "
                 "again when nothing else uses the workspace\n";
        err().flush();
    }
    return Ok;
}

} // namespace lockstep::cli
