#pragma once
// Mixpanel's Query API as far as Lockstep reads it: /cohorts/list and the /engage profile
// query (where, filter_by_cohort, distinct_ids, output_properties, session paging), under
// /api/query and /api/2.0, with service-account Basic auth and project_id.

#include "httpexchange.h"

#include <QHash>

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace lockstep::sandbox {

struct SandboxState;

class MixpanelQueryApi
{
public:
    explicit MixpanelQueryApi(SandboxState& state) : m_state(state) {}

    static QString routeOf(const HttpRequest& request);
    // Auth, project_id and the hourly/concurrent budget. A refusal is returned as a reply;
    // `admitted` tells the caller to release the concurrency slot once the reply is out.
    std::optional<HttpReply> admit(const HttpRequest& request, qint64 nowMs, bool& admitted);
    HttpReply handle(const QString& route, const HttpRequest& request);

    static constexpr int kPageSize = 1000;
    static HttpReply error(int status, const QString& message);

private:
    HttpReply cohortsList() const;
    HttpReply engage(const HttpRequest& request);

    SandboxState& m_state;
    QHash<QString, std::vector<std::uint32_t>> m_sessions;
    std::deque<QString> m_sessionOrder; // oldest first; a few hundred are kept
    quint64 m_sessionCounter = 0;
};

} // namespace lockstep::sandbox
