#pragma once
// The Customer.io App API's segment endpoints and the customer lookup (see docs/SANDBOX.md
// and API.md): bearer auth, 10 requests/s per key, error bodies {"errors":[{detail,status}]},
// cursor paging.

#include "customerindex.h"
#include "httpexchange.h"
#include "scenario.h"

namespace lockstep::sandbox {

struct SandboxState;
struct Segment;

class CustomerIoApi
{
public:
    explicit CustomerIoApi(SandboxState& state);

    // Route name for stats and faults ("cio.membership"), or empty if not a Customer.io path.
    static QString routeOf(const HttpRequest& request);
    HttpReply handle(const QString& route, const HttpRequest& request, qint64 nowMs);
    // Indexes the seeded people for the customer lookup (before serving).
    void indexPeople() { m_index.buildAll(); }

    static HttpReply error(int status, const QString& detail);
    // A cursor names a position in page order (a rank). Its encoding is the scenario's:
    // base64url unpadded, or standard base64 with '+', '/' and '=' in every cursor.
    static QByteArray encodeCursor(std::uint32_t rank, CursorEncoding encoding);
    static std::optional<std::uint32_t> decodeCursor(const QByteArray& cursor,
                                                     CursorEncoding encoding);

private:
    QByteArray segmentJson(const Segment& segment) const;
    HttpReply membership(const Segment& segment, const HttpRequest& request) const;
    // POST /v1/customers/attributes?id_type=: up to 100 ids; those unknown (or merged away)
    // are left out of the reply.
    HttpReply customerAttributes(const HttpRequest& request);

    SandboxState& m_state;
    CustomerIndex m_index;
};

} // namespace lockstep::sandbox
