#include "truststore.h"

#include "store/workspace.h"
#include "trustrecords.h"

#include <QJsonDocument>
#include <QVariant>

namespace lockstep {

namespace {
TrustCheckRecord fromRow(const QSqlQuery& q)
{
    TrustCheckRecord r;
    r.id = q.value(0).toLongLong();
    r.mappingId = q.value(1).toLongLong();
    r.kind = q.value(2).toString();
    r.atMs = q.value(3).toLongLong();
    r.passed = q.value(4).toInt() != 0;
    r.summary = q.value(5).toString();
    r.result = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
    return r;
}
const char* kColumns =
    "SELECT id, mapping_id, kind, at_ms, passed, summary, result FROM trust_checks ";
} // namespace

Result<qint64> TrustStore::record(const TrustCheckRecord& check)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO trust_checks (mapping_id, kind, at_ms, passed, summary, result) VALUES "
        "(?,?,?,?,?,?)"));
    q.addBindValue(check.mappingId);
    q.addBindValue(check.kind);
    q.addBindValue(check.atMs);
    q.addBindValue(check.passed ? 1 : 0);
    q.addBindValue(Workspace::message(check.summary));
    // The result was shown from memory; the workspace keeps what the checklist needs.
    q.addBindValue(QString::fromUtf8(
        QJsonDocument(withoutIdentifiers(check.result)).toJson(QJsonDocument::Compact)));
    if (auto st = Workspace::exec(q, "cannot store the trust check"); !st)
        return st.error();
    return q.lastInsertId().toLongLong();
}

Result<std::optional<TrustCheckRecord>> TrustStore::latest(qint64 mappingId, const QString& kind)
{
    auto list = history(mappingId, kind, 1);
    if (!list)
        return list.error();
    if (list->isEmpty())
        return std::optional<TrustCheckRecord>();
    return std::optional<TrustCheckRecord>(list->first());
}

Result<std::optional<RehearsalResult>> TrustStore::openRehearsal(qint64 mappingId)
{
    using Open = std::optional<RehearsalResult>;
    auto open = openRehearsals(mappingId);
    if (!open)
        return open.error();
    if (open->isEmpty())
        return Open();
    return Open(open->last().rehearsal);
}

Result<QList<OpenRehearsal>> TrustStore::openRehearsals(qint64 mappingId)
{
    // Every rehearsal and clean-up in the order they were recorded: a verified clean-up
    // closes the mapping's earlier rehearsals that wrote the value it removed.
    QSqlQuery q = m_ws.query(
        // A deleted mapping's rehearsals too: deleting a mapping removes nothing from
        // Mixpanel, so its test value is still on profiles.
        QStringLiteral("SELECT t.id, t.mapping_id, t.kind, t.at_ms, t.passed, t.summary, "
                       "t.result, m.cohort_name, m.deleted FROM trust_checks t JOIN mappings m "
                       "ON m.id = t.mapping_id WHERE t.kind IN (?, ?)") +
        (mappingId > 0 ? QStringLiteral(" AND t.mapping_id = ?") : QString()) +
        QStringLiteral(" ORDER BY t.id"));
    q.addBindValue(QString::fromLatin1(trustkind::kRehearsal));
    q.addBindValue(QString::fromLatin1(trustkind::kRehearsalCleanup));
    if (mappingId > 0)
        q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the rehearsals"); !st)
        return st.error();
    QList<OpenRehearsal> open;
    while (q.next()) {
        const TrustCheckRecord rec = fromRow(q);
        const QString value = rec.result.value(QLatin1String("value")).toString();
        if (rec.kind == QLatin1String(trustkind::kRehearsalCleanup)) {
            if (rec.passed)
                open.removeIf([&](const OpenRehearsal& o) {
                    return o.rehearsal.mappingId == rec.mappingId && o.rehearsal.value == value;
                });
            continue;
        }
        OpenRehearsal o;
        o.checkId = rec.id;
        o.cohortName = q.value(7).toString();
        o.mappingDeleted = q.value(8).toInt() != 0;
        o.rehearsal = RehearsalResult::fromJson(rec.result);
        o.rehearsal.mappingId = rec.mappingId;
        if (o.rehearsal.value.isEmpty())
            continue;
        // As stored, people keep their flags and reason, and the others only a count.
        bool wrote = false;
        for (const PersonCheck& p : o.rehearsal.people) {
            o.carriers += p.hasValue ? 1 : 0;
            wrote = wrote || p.reason != QLatin1String(trustreason::kIdentityKeyMissing);
        }
        const int unexpected = rec.result.value(QLatin1String("unexpected_count")).toInt();
        o.carriers += unexpected;
        // Nobody had a key: nothing was written, nothing to remove.
        if (!wrote && unexpected == 0)
            continue;
        open.append(o);
    }
    return open;
}

Result<std::optional<OpenRehearsal>> TrustStore::openRehearsalById(qint64 checkId)
{
    using Found = std::optional<OpenRehearsal>;
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT mapping_id FROM trust_checks WHERE id=? AND "
                                            "kind=?"));
    q.addBindValue(checkId);
    q.addBindValue(QString::fromLatin1(trustkind::kRehearsal));
    if (auto st = Workspace::exec(q, "cannot read the rehearsal"); !st)
        return st.error();
    if (!q.next())
        return Found();
    auto open = openRehearsals(q.value(0).toLongLong());
    if (!open)
        return open.error();
    for (const OpenRehearsal& o : *open)
        if (o.checkId == checkId)
            return Found(o);
    return Found();
}

Result<QList<TrustCheckRecord>> TrustStore::history(qint64 mappingId, const QString& kind,
                                                    int limit)
{
    QSqlQuery q = m_ws.query(QLatin1String(kColumns) +
                             (kind.isEmpty() ? QStringLiteral("WHERE mapping_id=? ")
                                             : QStringLiteral("WHERE mapping_id=? AND kind=? ")) +
                             QStringLiteral("ORDER BY at_ms DESC, id DESC LIMIT ?"));
    q.addBindValue(mappingId);
    if (!kind.isEmpty())
        q.addBindValue(kind);
    q.addBindValue(limit);
    if (auto st = Workspace::exec(q, "cannot read the trust checks"); !st)
        return st.error();
    QList<TrustCheckRecord> out;
    while (q.next())
        out.append(fromRow(q));
    return out;
}

Result<int> TrustStore::latencyExpectationMinutes(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT latency_expectation_minutes FROM trust_settings WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the latency expectation"); !st)
        return st.error();
    return q.next() ? q.value(0).toInt() : 0;
}

Status TrustStore::setLatencyExpectationMinutes(qint64 mappingId, int minutes)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO trust_settings (mapping_id, latency_expectation_minutes) VALUES (?,?) "
        "ON CONFLICT (mapping_id) DO UPDATE SET "
        "latency_expectation_minutes=excluded.latency_expectation_minutes"));
    q.addBindValue(mappingId);
    q.addBindValue(minutes);
    return Workspace::exec(q, "cannot store the latency expectation");
}

Status TrustStore::recordQueries(qint64 atMs, int count, const QString& what)
{
    return m_ws.transaction([&]() -> Status {
        QSqlQuery q =
            m_ws.query(QStringLiteral("INSERT INTO query_usage (at_ms, what) VALUES (?,?)"));
        for (int i = 0; i < count; ++i) {
            q.bindValue(0, atMs);
            q.bindValue(1, Workspace::text(what));
            if (auto st = Workspace::exec(q, "cannot record the query budget use"); !st)
                return st;
        }
        // Older than a day is of no use to an hourly budget.
        QSqlQuery prune = m_ws.query(QStringLiteral("DELETE FROM query_usage WHERE at_ms < ?"));
        prune.addBindValue(atMs - 24 * 3600 * 1000LL);
        return Workspace::exec(prune, "cannot prune the query budget use");
    });
}

Result<QList<qint64>> TrustStore::queriesSince(qint64 sinceMs)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT at_ms FROM query_usage WHERE at_ms > ? ORDER BY at_ms"));
    q.addBindValue(sinceMs);
    if (auto st = Workspace::exec(q, "cannot read the query budget use"); !st)
        return st.error();
    QList<qint64> out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

Result<QList<qint64>> TrustStore::queriesSince(qint64 sinceMs, const QString& what)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT at_ms FROM query_usage WHERE at_ms > ? AND what = ? ORDER BY at_ms"));
    q.addBindValue(sinceMs);
    q.addBindValue(Workspace::text(what));
    if (auto st = Workspace::exec(q, "cannot read the query budget use"); !st)
        return st.error();
    QList<qint64> out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

Result<QList<std::pair<QString, int>>> TrustStore::queriesByPurposeSince(qint64 sinceMs)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT what, COUNT(*) FROM query_usage WHERE at_ms > "
                                            "? GROUP BY what ORDER BY COUNT(*) DESC, what"));
    q.addBindValue(sinceMs);
    if (auto st = Workspace::exec(q, "cannot read the query budget use"); !st)
        return st.error();
    QList<std::pair<QString, int>> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toInt()});
    return out;
}

} // namespace lockstep
