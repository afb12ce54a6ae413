#include "testrunhooks.h"

#include <QTimer>

namespace lockstep {

RunPhaseHook delayingPhaseHook(int loadDelayMs, int mergeDelayMs)
{
    if (loadDelayMs <= 0 && mergeDelayMs <= 0)
        return {};
    return [loadDelayMs, mergeDelayMs](RunPhase phase, QObject* context,
                                       std::function<void()> proceed) {
        const int delay = phase == RunPhase::LoadingSnapshot ? loadDelayMs
                          : phase == RunPhase::Diffing       ? mergeDelayMs
                                                             : 0;
        if (delay <= 0)
            return proceed();
        QTimer::singleShot(delay, context, std::move(proceed));
    };
}

} // namespace lockstep
