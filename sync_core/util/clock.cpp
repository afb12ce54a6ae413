#include "clock.h"

namespace lockstep {

namespace {
class SystemClock : public Clock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};
} // namespace

Clock* Clock::system()
{
    static SystemClock clock;
    return &clock;
}

} // namespace lockstep
