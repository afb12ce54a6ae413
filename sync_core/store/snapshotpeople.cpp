#include "snapshotpeople.h"

#include "workspace.h"

#include <QVariant>

#include <string_view>
#include <unordered_set>

namespace lockstep {

namespace {
qint64 lineCount(const QByteArray& people)
{
    return people.isEmpty() ? 0 : people.count('\n') + 1;
}
} // namespace

Status SnapshotPeople::write(qint64 mappingId, qint64 runId, const QByteArray& people)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO snapshot_people (mapping_id, run_id, people_count, people) VALUES (?,?,?,?) "
        "ON CONFLICT (mapping_id) DO UPDATE SET run_id = excluded.run_id, people_count = "
        "excluded.people_count, people = excluded.people"));
    q.addBindValue(mappingId);
    q.addBindValue(runId);
    q.addBindValue(lineCount(people));
    q.addBindValue(people.isNull() ? QByteArray("") : people);
    return Workspace::exec(q, "cannot write the snapshot's people");
}

Status SnapshotPeople::merge(qint64 mappingId, qint64 runId, const QByteArray& people)
{
    auto stored = load(mappingId);
    if (!stored)
        return stored.error();
    if (!*stored || (*stored)->isEmpty())
        return write(mappingId, runId, people);
    // Distinct lines of both, so repeated holds do not grow the row.
    std::unordered_set<std::string_view> seen;
    QByteArray out;
    out.reserve((*stored)->size() + people.size() + 1);
    const QByteArray* const blobs[] = {&**stored, &people};
    for (const QByteArray* blob : blobs) {
        qsizetype start = 0;
        while (start < blob->size()) {
            qsizetype end = blob->indexOf('\n', start);
            if (end < 0)
                end = blob->size();
            const std::string_view line(blob->constData() + start, size_t(end - start));
            if (!line.empty() && seen.insert(line).second) {
                if (!out.isEmpty())
                    out += '\n';
                out.append(line.data(), qsizetype(line.size()));
            }
            start = end + 1;
        }
    }
    return write(mappingId, runId, out);
}

Result<std::optional<QByteArray>> SnapshotPeople::load(qint64 mappingId)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT people FROM snapshot_people WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the snapshot's people"); !st)
        return st.error();
    if (!q.next())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(q.value(0).toByteArray());
}

Status SnapshotPeople::clear(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral("DELETE FROM snapshot_people WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot clear the snapshot's people");
}

} // namespace lockstep
