#include "mismatchrepository.h"

#include "workspace.h"

#include <QSet>
#include <QVariant>

namespace lockstep {

Status MismatchRepository::replace(qint64 mappingId, qint64 runId,
                                   const QList<IdentityMismatch>& mismatches)
{
    return m_ws.transaction([&]() -> Status {
        QSqlQuery del = m_ws.query(
            QStringLiteral("DELETE FROM mismatches WHERE mapping_id=? AND reason<>?"));
        del.addBindValue(mappingId);
        del.addBindValue(mismatchReasonName(MismatchReason::UnknownToMixpanel));
        if (auto st = Workspace::exec(del, "cannot replace identity mismatches"); !st)
            return st;
        return insert(mappingId, runId, mismatches);
    });
}

Status MismatchRepository::insert(qint64 mappingId, qint64 runId,
                                  const QList<IdentityMismatch>& mismatches)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO mismatches (run_id, mapping_id, reason, severity, cio_id, person_id, "
        "email, distinct_id) VALUES (?,?,?,?,?,?,?,?)"));
    for (const IdentityMismatch& m : mismatches) {
        q.bindValue(0, runId);
        q.bindValue(1, mappingId);
        q.bindValue(2, mismatchReasonName(m.reason));
        q.bindValue(3, mismatchIsWarning(m.reason) ? QStringLiteral("warning")
                                                   : QStringLiteral("error"));
        q.bindValue(4, Workspace::text(m.cioId));
        q.bindValue(5, m.personId ? QVariant(*m.personId) : QVariant(QMetaType::fromType<QString>()));
        q.bindValue(6, m.email ? QVariant(*m.email) : QVariant(QMetaType::fromType<QString>()));
        q.bindValue(7, Workspace::text(m.distinctId));
        if (auto st = Workspace::exec(q, "cannot record an identity mismatch"); !st)
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
