#pragma once
// The Customer.io App API's segment endpoints (see docs/SANDBOX.md and API.md): bearer
// auth, 10 requests/s per key, error bodies {"errors":[{detail,status}]}, cursor paging.

#include "httpexchange.h"

namespace lockstep::sandbox {

struct SandboxState;
struct Segment;

class CustomerIoApi
{
public:
    explicit CustomerIoApi(SandboxState& state) : m_state(state) {}

    // Route name for stats and faults ("cio.membership"), or empty if not a Customer.io path.
    static QString routeOf(const HttpRequest& request);
    HttpReply handle(const QString& route, const HttpRequest& request, qint64 nowMs);

    static HttpReply error(int status, const QString& detail);
    static QByteArray encodeCursor(std::uint32_t person);
    static std::optional<std::uint32_t> decodeCursor(const QString& cursor);

private:
    QByteArray segmentJson(const Segment& segment) const;
    HttpReply membership(const Segment& segment, const HttpRequest& request) const;

    SandboxState& m_state;
};

} // namespace lockstep::sandbox
