#include "mismatchrepository.h"

#include "util/jsonwriter.h"
#include "workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QVariant>

namespace lockstep {

namespace {
// A JSON string; a NUL (which no text column of PostgreSQL can hold) becomes U+FFFD.
void appendText(QByteArray& out, const QByteArray& s)
{
    if (!s.contains('\0'))
        return json::appendString(out, s);
    QByteArray clean = s;
    clean.replace('\0', QByteArrayLiteral("\xEF\xBF\xBD"));
    json::appendString(out, clean);
}
void appendText(QByteArray& out, const QString& s)
{
    appendText(out, s.toUtf8());
}

// One row as a JSON array: [reason, severity, cio_id, person_id, email, distinct_id],
// the last three possibly null. The table's insert and the resolver's document share it.
void appendRow(QByteArray& out, const IdentityMismatch& m)
{
    out += '[';
    appendText(out, mismatchReasonName(m.reason));
    out += ',';
    appendText(out, MismatchRepository::severityName(m.reason));
    out += ',';
    appendText(out, m.cioId);
    out += ',';
    m.personId ? appendText(out, *m.personId) : void(out += "null");
    out += ',';
    m.email ? appendText(out, *m.email) : void(out += "null");
    out += ',';
    appendText(out, m.distinctId);
    out += ']';
}

std::optional<QString> optionalText(const QJsonValue& v)
{
    if (v.isNull() || v.isUndefined())
        return std::nullopt;
    return v.toString();
}

// Rows the resolver finds (every member's, replaced as a whole by each run) as opposed to
// the checks' rows (sampled lookups in Customer.io and Mixpanel), kept one by one.
bool isResolverReason(MismatchReason r)
{
    return r != MismatchReason::UnknownToMixpanel && r != MismatchReason::ValueMissing &&
           r != MismatchReason::VanishedAfterMerge;
}
} // namespace

QString MismatchRepository::severityName(MismatchReason reason)
{
    // A member merged away in Customer.io left the segment and was removed from the cohort,
    // as it should be: the record only tells a merge from churn.
    if (reason == MismatchReason::VanishedAfterMerge)
        return QStringLiteral("info");
    return mismatchIsWarning(reason) ? QStringLiteral("warning") : QStringLiteral("error");
}

Status MismatchRepository::replace(qint64 mappingId, qint64 runId,
                                   const QList<IdentityMismatch>& mismatches)
{
    return replace(
        mappingId, runId, mismatches.size(),
        [&mismatches](qsizetype from, qsizetype count) { return mismatches.mid(from, count); });
}

Status MismatchRepository::replace(qint64 mappingId, qint64 runId, qsizetype total,
                                   const Slice& slice)
{
    // The resolver's rows are one document per mapping (tens of thousands of rows for a
    // big e-mail segment, all replaced by each run): one value to write instead of a row
    // each, which kept a 1M-member run waiting ~0.3 s.
    QByteArray rows;
    rows.reserve(total * 96 + 2);
    rows += '[';
    qsizetype count = 0;
    QList<IdentityMismatch> checks; // not the resolver's (rare here): rows of the table
    constexpr qsizetype kSlice = 10000;
    for (qsizetype at = 0; at < total; at += kSlice) {
        for (const IdentityMismatch& m : slice(at, std::min(kSlice, total - at))) {
            if (!isResolverReason(m.reason)) {
                checks.append(m);
                continue;
            }
            if (count++ > 0)
                rows += ',';
            appendRow(rows, m);
        }
    }
    rows += ']';
    return m_ws.transaction([&]() -> Status {
        // Earlier runs' check rows go too, except sampled Mixpanel checks (EntryCheck).
        QSqlQuery del = m_ws.query(
            QStringLiteral("DELETE FROM mismatches WHERE mapping_id=? AND reason NOT IN (?,?)"));
        del.addBindValue(mappingId);
        del.addBindValue(mismatchReasonName(MismatchReason::UnknownToMixpanel));
        del.addBindValue(mismatchReasonName(MismatchReason::ValueMissing));
        if (auto st = Workspace::exec(del, "cannot replace identity mismatches"); !st)
            return st;
        QSqlQuery q = m_ws.query(QStringLiteral(
            "INSERT INTO mismatch_sets (mapping_id, run_id, row_count, rows) VALUES (?,?,?,?) "
            "ON CONFLICT (mapping_id) DO UPDATE SET run_id = excluded.run_id, row_count = "
            "excluded.row_count, rows = excluded.rows"));
        q.addBindValue(mappingId);
        q.addBindValue(runId);
        q.addBindValue(count);
        q.addBindValue(rows);
        if (auto st = Workspace::exec(q, "cannot record identity mismatches"); !st)
            return st;
        return insert(mappingId, runId, checks);
    });
}

Status MismatchRepository::append(qint64 mappingId, qint64 runId,
                                  const QList<IdentityMismatch>& mismatches)
{
    if (mismatches.isEmpty())
        return {};
    return m_ws.transaction([&]() -> Status { return insert(mappingId, runId, mismatches); });
}

Status MismatchRepository::insert(qint64 mappingId, qint64 runId,
                                  const QList<IdentityMismatch>& mismatches)
{
    return insert(
        mappingId, runId, mismatches.size(),
        [&mismatches](qsizetype from, qsizetype count) { return mismatches.mid(from, count); });
}

Status MismatchRepository::insert(qint64 mappingId, qint64 runId, qsizetype total,
                                  const Slice& slice)
{
    // Rows go in as one JSON array a statement, unpacked by the database: binding eight
    // values a row through QSqlQuery costs more than storing the row.
    const QString from = m_ws.dialect() == Workspace::Dialect::Postgres
                             ? QStringLiteral("json_array_elements(CAST(? AS json)) AS e(value)")
                             : QStringLiteral("json_each(?) AS e");
    QSqlQuery q = m_ws.query(
        QStringLiteral("INSERT INTO mismatches (run_id, mapping_id, reason, severity, cio_id, "
                       "person_id, email, distinct_id) SELECT ?, ?, e.value ->> 0, e.value ->> 1, "
                       "e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5 FROM ") +
        from);
    constexpr qsizetype kRowsPerInsert = 10000;
    for (qsizetype at = 0; at < total; at += kRowsPerInsert) {
        const QList<IdentityMismatch> mismatches = slice(at, std::min(kRowsPerInsert, total - at));
        QByteArray rows;
        rows.reserve(mismatches.size() * 96 + 2);
        rows += '[';
        for (const IdentityMismatch& m : mismatches) {
            if (rows.size() > 1)
                rows += ',';
            appendRow(rows, m);
        }
        rows += ']';
        q.bindValue(0, runId);
        q.bindValue(1, mappingId);
        q.bindValue(2, QString::fromUtf8(rows));
        if (auto st = Workspace::exec(q, "cannot record identity mismatches"); !st)
            return st;
    }
    return {};
}

Status MismatchRepository::deleteUnknown(qint64 mappingId, const QStringList& keys)
{
    if (keys.isEmpty())
        return {};
    // One statement for all the keys (the table has no index on keys: a statement per
    // key read the whole table each time).
    const QString list = m_ws.dialect() == Workspace::Dialect::Postgres
                             ? QStringLiteral("SELECT json_array_elements_text(CAST(? AS json))")
                             : QStringLiteral("SELECT value FROM json_each(?)");
    QSqlQuery del = m_ws.query(
        QStringLiteral(
            "DELETE FROM mismatches WHERE mapping_id=? AND reason IN (?,?) AND distinct_id IN (%1)")
            .arg(list));
    QByteArray json = "[";
    for (const QString& key : keys) {
        if (json.size() > 1)
            json += ',';
        appendText(json, Workspace::text(key));
    }
    json += ']';
    del.addBindValue(mappingId);
    del.addBindValue(mismatchReasonName(MismatchReason::UnknownToMixpanel));
    del.addBindValue(mismatchReasonName(MismatchReason::ValueMissing));
    del.addBindValue(QString::fromUtf8(json));
    return Workspace::exec(del, "cannot update identity mismatches");
}

Status MismatchRepository::recordVerified(qint64 mappingId, qint64 runId,
                                          const QStringList& checked,
                                          const QList<IdentityMismatch>& unknown)
{
    // Only keys that have a row are deleted.
    auto existing = unknownKeys(mappingId);
    if (!existing)
        return existing.error();
    const QSet<QString> had(existing->begin(), existing->end());
    QStringList stale;
    for (const QString& key : checked)
        if (had.contains(key))
            stale.append(key);
    return m_ws.transaction([&]() -> Status {
        if (auto st = deleteUnknown(mappingId, stale); !st)
            return st;
        return insert(mappingId, runId, unknown);
    });
}

Result<QStringList> MismatchRepository::unknownKeys(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT distinct_id FROM mismatches WHERE mapping_id=? AND reason IN (?,?)"));
    q.addBindValue(mappingId);
    q.addBindValue(mismatchReasonName(MismatchReason::UnknownToMixpanel));
    q.addBindValue(mismatchReasonName(MismatchReason::ValueMissing));
    if (auto st = Workspace::exec(q, "cannot read identity mismatches"); !st)
        return st.error();
    QStringList keys;
    while (q.next())
        keys.append(q.value(0).toString());
    return keys;
}

Status MismatchRepository::forgetUnknown(qint64 mappingId, const QStringList& keys)
{
    if (keys.isEmpty())
        return {};
    return m_ws.transaction([&]() -> Status { return deleteUnknown(mappingId, keys); });
}

Result<QList<StoredMismatch>> MismatchRepository::list(qint64 mappingId, int limit)
{
    QList<StoredMismatch> out;
    const QString where = mappingId ? QStringLiteral("WHERE mapping_id=?") : QString();
    {
        QSqlQuery q = m_ws.query(
            QStringLiteral(
                "SELECT mapping_id, run_id, rows FROM mismatch_sets %1 ORDER BY mapping_id")
                .arg(where));
        if (mappingId)
            q.addBindValue(mappingId);
        if (auto st = Workspace::exec(q, "cannot read identity mismatches"); !st)
            return st.error();
        while (q.next() && out.size() < limit) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(q.value(2).toByteArray(), &error);
            if (error.error != QJsonParseError::NoError || !doc.isArray())
                return SyncError::make(
                    SyncError::Category::Storage,
                    QStringLiteral("the identity mismatches of mapping %1 are damaged "
                                   "(%2); the next run rewrites them")
                        .arg(QString::number(q.value(0).toLongLong()), error.errorString()));
            const QJsonArray rows = doc.array();
            for (const QJsonValue& v : rows) {
                if (out.size() >= limit)
                    break;
                const QJsonArray row = v.toArray();
                StoredMismatch s;
                s.mappingId = q.value(0).toLongLong();
                s.runId = q.value(1).toLongLong();
                s.mismatch.reason =
                    parseMismatchReason(row.at(0).toString()).value_or(MismatchReason::MissingKey);
                s.mismatch.cioId = row.at(2).toString();
                s.mismatch.personId = optionalText(row.at(3));
                s.mismatch.email = optionalText(row.at(4));
                s.mismatch.distinctId = row.at(5).toString();
                out.append(s);
            }
        }
    }
    if (out.size() >= limit)
        return out;
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT run_id, mapping_id, reason, cio_id, person_id, email, distinct_id "
                       "FROM mismatches %1 LIMIT %2")
            .arg(where)
            .arg(limit - out.size()));
    if (mappingId)
        q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read identity mismatches"); !st)
        return st.error();
    while (q.next()) {
        StoredMismatch s;
        s.runId = q.value(0).toLongLong();
        s.mappingId = q.value(1).toLongLong();
        s.mismatch.reason =
            parseMismatchReason(q.value(2).toString()).value_or(MismatchReason::MissingKey);
        s.mismatch.cioId = q.value(3).toString();
        if (!q.value(4).isNull())
            s.mismatch.personId = q.value(4).toString();
        if (!q.value(5).isNull())
            s.mismatch.email = q.value(5).toString();
        s.mismatch.distinctId = q.value(6).toString();
        out.append(s);
    }
    return out;
}

} // namespace lockstep
