#pragma once
// The /_sandbox/... endpoints (same state on both ports, no auth, loopback only): ticks,
// stats and the request log, faults, and ground truth on both sides for assertions.

#include "httpexchange.h"

namespace lockstep::sandbox {

struct SandboxState;

class ControlApi
{
public:
    explicit ControlApi(SandboxState& state) : m_state(state) {}

    static bool owns(const HttpRequest& request)
    {
        return request.path.startsWith(QStringLiteral("/_sandbox/"));
    }
    HttpReply handle(const HttpRequest& request);

private:
    HttpReply tick(const HttpRequest& request);
    HttpReply segmentMembers(int segmentId) const;
    HttpReply editMembers(int segmentId, const HttpRequest& request);
    HttpReply merges() const;
    HttpReply mergeNow(const HttpRequest& request);
    HttpReply profiles(const HttpRequest& request) const;
    HttpReply info() const;

    SandboxState& m_state;
};

} // namespace lockstep::sandbox
