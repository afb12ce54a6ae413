#include "seamtypes.h"

namespace lockstep {

void registerSeamTypes()
{
    static const bool once = [] {
        qRegisterMetaType<SyncError>();
        qRegisterMetaType<RequestId>("lockstep::RequestId");
        qRegisterMetaType<Mapping>();
        qRegisterMetaType<RunRecord>();
        qRegisterMetaType<MappingOverview>();
        qRegisterMetaType<SyncProgress>();
        qRegisterMetaType<BatchError>();
        qRegisterMetaType<QList<MappingOverview>>();
        qRegisterMetaType<QList<RunRecord>>();
        qRegisterMetaType<QList<BatchError>>();
        qRegisterMetaType<QList<qint64>>();
        qRegisterMetaType<HeldExits>();
        qRegisterMetaType<QList<HeldExits>>();
        qRegisterMetaType<Alert>();
        qRegisterMetaType<QList<Alert>>();
        qRegisterMetaType<SizeHistoryData>();
        qRegisterMetaType<MappingHealth>();
        qRegisterMetaType<QList<MappingHealth>>();
        qRegisterMetaType<HealthEvaluation>();
        qRegisterMetaType<OverlapData>();
        qRegisterMetaType<WatchedPair>();
        qRegisterMetaType<StoredMismatch>();
        qRegisterMetaType<QList<StoredMismatch>>();
        qRegisterMetaType<AuditReport>();
        qRegisterMetaType<WorkspaceSettings>();
        qRegisterMetaType<ConnectionSettings>();
        qRegisterMetaType<Credentials>();
        qRegisterMetaType<ConnectionTest>();
        qRegisterMetaType<DoctorReport>();
        qRegisterMetaType<IdentityPreview>();
        qRegisterMetaType<SegmentChoice>();
        qRegisterMetaType<QList<SegmentChoice>>();
        qRegisterMetaType<QueryBudgetState>();
        qRegisterMetaType<RehearsalResult>();
        qRegisterMetaType<RehearsalCleanup>();
        qRegisterMetaType<OpenRehearsal>();
        qRegisterMetaType<QList<OpenRehearsal>>();
        qRegisterMetaType<SpotCheckResult>();
        qRegisterMetaType<IdentityAdvice>();
        qRegisterMetaType<RolloutChecklist>();
        qRegisterMetaType<QList<RolloutChecklist>>();
        qRegisterMetaType<QMap<QString, QString>>(); // a mapping's own health thresholds
        return true;
    }();
    Q_UNUSED(once);
}

} // namespace lockstep
