#include "runhistory.h"

#include "store/workspace.h"

namespace lockstep {

BaseRun lastSucceededRun(Workspace& ws, qint64 mappingId, qint64 beforeRunId)
{
    BaseRun base;
    QSqlQuery q = ws.query(
        QStringLiteral("SELECT id, finished_at FROM runs WHERE mapping_id=? AND status='succeeded' "
                       "AND id<? ORDER BY id DESC LIMIT 1"));
    q.addBindValue(mappingId);
    q.addBindValue(beforeRunId);
    if (Workspace::exec(q, "cannot read the run history").ok() && q.next()) {
        base.id = q.value(0).toLongLong();
        base.finishedMs = q.value(1).toLongLong();
    }
    return base;
}

void recordSegmentName(Workspace& ws, qint64 mappingId, const QString& name)
{
    QSqlQuery q = ws.query(QStringLiteral("UPDATE mappings SET segment_name=? WHERE id=?"));
    q.addBindValue(name);
    q.addBindValue(mappingId);
    (void)Workspace::exec(q, "cannot record the segment name");
}

} // namespace lockstep
