#include "runphase.h"

#include <initializer_list>

namespace lockstep {

QString runPhaseName(RunPhase phase)
{
    switch (phase) {
    case RunPhase::Created:
        return QStringLiteral("created");
    case RunPhase::CheckingSegment:
        return QStringLiteral("checking segment");
    case RunPhase::LoadingSnapshot:
        return QStringLiteral("loading snapshot");
    case RunPhase::ListingHolders:
        return QStringLiteral("listing holders");
    case RunPhase::Reading:
        return QStringLiteral("reading");
    case RunPhase::Diffing:
        return QStringLiteral("diffing");
    case RunPhase::Sending:
        return QStringLiteral("sending");
    case RunPhase::Verifying:
        return QStringLiteral("verifying");
    case RunPhase::Settling:
        return QStringLiteral("settling");
    case RunPhase::Stopping:
        return QStringLiteral("stopping");
    case RunPhase::Finishing:
        return QStringLiteral("finishing");
    case RunPhase::Done:
        return QStringLiteral("done");
    }
    return QString();
}

bool isLegalTransition(RunPhase from, RunPhase to)
{
    using P = RunPhase;
    const auto oneOf = [to](std::initializer_list<P> allowed) {
        for (P p : allowed)
            if (p == to)
                return true;
        return false;
    };
    switch (from) {
    case P::Created:
        return oneOf({P::CheckingSegment, P::Stopping});
    // A segment that is not ready ends the run here (skipped).
    case P::CheckingSegment:
        return oneOf({P::LoadingSnapshot, P::Stopping, P::Finishing});
    case P::LoadingSnapshot:
        return oneOf({P::ListingHolders, P::Reading, P::Stopping});
    case P::ListingHolders:
        return oneOf({P::Reading, P::Stopping});
    case P::Reading:
        return oneOf({P::Diffing, P::Stopping});
    // A dry run sends nothing: it waits for the exit check, if any (Settling).
    case P::Diffing:
        return oneOf({P::Sending, P::Settling, P::Stopping});
    case P::Sending:
        return oneOf({P::Verifying, P::Settling, P::Finishing, P::Stopping});
    case P::Verifying:
        return oneOf({P::Settling, P::Finishing, P::Stopping});
    // A graceful stop that left nothing unsent still verifies, once the writer is done.
    case P::Settling:
        return oneOf({P::Verifying, P::Finishing, P::Stopping});
    case P::Stopping:
        return oneOf({P::Finishing});
    case P::Finishing:
        return oneOf({P::Done});
    case P::Done:
        return false;
    }
    return false;
}

} // namespace lockstep
