#include "mismatchrepository.h"

#include "workspace.h"

#include <QVariant>

namespace lockstep {

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
    return m_ws.transaction([&]() -> Status {
        QSqlQuery del = m_ws.query(QStringLiteral("DELETE FROM mismatches WHERE mapping_id=?"));
        del.addBindValue(mappingId);
        if (auto st = Workspace::exec(del, "cannot replace identity mismatches"); !st)
            return st;
        return insert(mappingId, runId, mismatches);
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
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO mismatches (run_id, mapping_id, reason, severity, cio_id, person_id, "
        "email, distinct_id) VALUES (?,?,?,?,?,?,?,?)"));
    for (const IdentityMismatch& m : mismatches) {
        q.bindValue(0, runId);
        q.bindValue(1, mappingId);
        q.bindValue(2, mismatchReasonName(m.reason));
        q.bindValue(3, severityName(m.reason));
        q.bindValue(4, Workspace::text(m.cioId));
        q.bindValue(5, m.personId ? QVariant(*m.personId) : QVariant(QMetaType::fromType<QString>()));
        q.bindValue(6, m.email ? QVariant(*m.email) : QVariant(QMetaType::fromType<QString>()));
        q.bindValue(7, Workspace::text(m.distinctId));
        if (auto st = Workspace::exec(q, "cannot record an identity mismatch"); !st)
            return st;
    }
    return {};
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
