#include "pending.h"

namespace lockstep {

void RequestRouter::fail(RequestId id, const SyncError& error)
{
    const std::shared_ptr<detail::PendingBase> state = m_pending.take(id);
    if (!state || !state->fail(error))
        Q_EMIT unclaimedFailure(error);
}

void RequestRouter::progress(RequestId id, const QString& step)
{
    if (const auto it = m_pending.constFind(id); it != m_pending.cend())
        (*it)->progress(step);
}

} // namespace lockstep
