#include "mismatchrepository.h"

#include "workspace.h"
#include "util/jsonwriter.h"

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
    return replace(mappingId, runId, mismatches.size(),
                   [&mismatches](qsizetype from, qsizetype count) { return mismatches.mid(from, count); });
}

Status MismatchRepository::replace(qint64 mappingId, qint64 runId, qsizetype total, const Slice& slice)
{
    return m_ws.transaction([&]() -> Status {
        QSqlQuery del = m_ws.query(
            QStringLiteral("DELETE FROM mismatches WHERE mapping_id=? AND reason<>?"));
        del.addBindValue(mappingId);
        del.addBindValue(mismatchReasonName(MismatchReason::UnknownToMixpanel));
        if (auto st = Workspace::exec(del, "cannot replace identity mismatches"); !st)
            return st;
        return insert(mappingId, runId, total, slice);
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
    return insert(mappingId, runId, mismatches.size(),
                  [&mismatches](qsizetype from, qsizetype count) { return mismatches.mid(from, count); });
}

Status MismatchRepository::insert(qint64 mappingId, qint64 runId, qsizetype total, const Slice& slice)
{
    // Rows go in as one JSON array a statement, unpacked by the database: binding eight
    // values a row through QSqlQuery costs more than storing the row, and a run can
    // record tens of thousands.
    const QString from = m_ws.dialect() == Workspace::Dialect::Postgres
                             ? QStringLiteral("json_array_elements(CAST(? AS json)) AS e(value)")
                             : QStringLiteral("json_each(?) AS e");
    QSqlQuery q = m_ws.query(
        QStringLiteral("INSERT INTO mismatches (run_id, mapping_id, reason, severity, cio_id, "
                       "person_id, email, distinct_id) SELECT ?, ?, e.value ->> 0, e.value ->> 1, "
                       "e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5 FROM ")
        + from);
    constexpr qsizetype kRowsPerInsert = 10000;
    for (qsizetype at = 0; at < total; at += kRowsPerInsert) {
        const QList<IdentityMismatch> mismatches = slice(at, std::min(kRowsPerInsert, total - at));
        const qsizetype end = mismatches.size();
        QByteArray rows;
        rows.reserve(end * 96);
        rows += '[';
        const auto text = [&rows](const QString& s) { appendText(rows, s); };
        for (qsizetype i = 0; i < end; ++i) {
            const IdentityMismatch& m = mismatches[i];
            rows += i > 0 ? ",[" : "[";
            text(mismatchReasonName(m.reason));
            rows += ',';
            text(severityName(m.reason));
            rows += ',';
            text(m.cioId);
            rows += ',';
            m.personId ? text(*m.personId) : void(rows += "null");
            rows += ',';
            m.email ? text(*m.email) : void(rows += "null");
            rows += ',';
            text(m.distinctId);
            rows += ']';
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
    QSqlQuery del = m_ws.query(QStringLiteral(
        "DELETE FROM mismatches WHERE mapping_id=? AND reason=? AND distinct_id=?"));
    for (const QString& key : keys) {
        del.bindValue(0, mappingId);
        del.bindValue(1, mismatchReasonName(MismatchReason::UnknownToMixpanel));
        del.bindValue(2, Workspace::text(key));
        if (auto st = Workspace::exec(del, "cannot update identity mismatches"); !st)
            return st;
    }
    return {};
}

Status MismatchRepository::recordVerified(qint64 mappingId, qint64 runId,
                                          const QStringList& checked,
                                          const QList<IdentityMismatch>& unknown)
{
    // Only keys that have a row are deleted one by one (the table has no index on keys).
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
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT distinct_id FROM mismatches WHERE mapping_id=? AND reason=?"));
    q.addBindValue(mappingId);
    q.addBindValue(mismatchReasonName(MismatchReason::UnknownToMixpanel));
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
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT run_id, mapping_id, reason, cio_id, person_id, email, distinct_id "
                       "FROM mismatches %1 LIMIT %2")
            .arg(mappingId ? QStringLiteral("WHERE mapping_id=?") : QString())
            .arg(limit));
    if (mappingId)
        q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read identity mismatches"); !st)
        return st.error();
    QList<StoredMismatch> out;
    while (q.next()) {
        StoredMismatch s;
        s.runId = q.value(0).toLongLong();
        s.mappingId = q.value(1).toLongLong();
        s.mismatch.reason = parseMismatchReason(q.value(2).toString()).value_or(MismatchReason::MissingKey);
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
