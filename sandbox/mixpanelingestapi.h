#pragma once
// Mixpanel ingestion: /engage (profile updates; JSON array, form data=, GET ?data=, plain
// or base64) and /import (events; Basic auth, strict mode, dedup by $insert_id).

#include "httpexchange.h"

namespace lockstep::sandbox {

struct SandboxState;

class MixpanelIngestApi
{
public:
    explicit MixpanelIngestApi(SandboxState& state) : m_state(state) {}

    static QString routeOf(const HttpRequest& request);
    HttpReply handle(const QString& route, const HttpRequest& request);

    static constexpr int kMaxUpdates = 2000;
    static constexpr qsizetype kMaxUpdateBytes = 1 << 20;
    static constexpr int kMaxEvents = 2000;
    static constexpr qsizetype kMaxImportBytes = 2 * 1024 * 1024;

private:
    HttpReply engage(const HttpRequest& request);
    HttpReply import(const HttpRequest& request);

    SandboxState& m_state;
};

} // namespace lockstep::sandbox
