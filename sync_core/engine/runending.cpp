#include "runending.h"

namespace lockstep {

RunEnding decideEnding(const RunTally& t)
{
    if (t.runError.isError()) {
        const bool cancelled = t.runError.category == SyncError::Category::Cancelled;
        return {cancelled ? RunStatus::Cancelled : RunStatus::Failed, t.runError.message,
                t.runError.categoryName()};
    }
    if (!t.notReady.isEmpty())
        return {RunStatus::Skipped, t.notReady, {}};

    const bool planned = t.phase == RunPhase::Sending || t.phase == RunPhase::Verifying ||
                         t.phase == RunPhase::Settling;
    if (!planned) {
        // Stopped before the plan: what was streamed and acknowledged stays in the
        // journal, the rest is planned again by the next run.
        if (t.cancelled) {
            const bool reading = t.phase == RunPhase::LoadingSnapshot ||
                                 t.phase == RunPhase::Reading || t.phase == RunPhase::Diffing;
            return {RunStatus::Cancelled,
                    reading ? QStringLiteral("cancelled while reading the segment")
                            : QStringLiteral("cancelled"),
                    {}};
        }
        if (t.stoppedGracefully)
            return {RunStatus::Cancelled,
                    QStringLiteral("stopped while reading the segment; the next run continues"),
                    {}};
        if (t.sendError.isError())
            return {RunStatus::Failed, t.sendError.message, t.sendError.categoryName()};
        return {RunStatus::Cancelled, QStringLiteral("stopped while reading the segment"), {}};
    }

    // A dry run sent nothing, so a stop cannot have cut it short.
    if (t.dryRun)
        return {RunStatus::Succeeded, QStringLiteral("dry run: nothing was sent"), {}};
    if (t.cancelled || (t.stoppedGracefully && !t.sendError.isError() && t.unsent > 0))
        return {RunStatus::Cancelled,
                QStringLiteral("stopped; %1 changes left for the next run").arg(t.failed),
                {}};
    if (t.sendError.isError() && t.failed >= t.planned)
        return {RunStatus::Failed, t.sendError.message, t.sendError.categoryName()};
    if (t.failed > 0)
        return {
            RunStatus::Partial,
            QStringLiteral("%1 of %2 changes were not acknowledged: %3")
                .arg(QString::number(t.failed), QString::number(t.planned), t.sendError.message),
            t.sendError.categoryName()};
    return {RunStatus::Succeeded, t.notes, {}};
}

} // namespace lockstep
