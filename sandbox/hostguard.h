#pragma once
// Which requests the sandbox answers at all. It listens on loopback, but a web page can
// still reach it through DNS rebinding (its own name resolved to 127.0.0.1), and the
// control API has no authentication. Such a request carries the page's name in `Host`,
// and a browser adds `Origin` to cross-origin requests; a local client sends neither.

#include "httpexchange.h"

#include <QString>

namespace lockstep::sandbox {

// `Host` names this machine's loopback (localhost, 127.0.0.1, [::1]), with no port or
// the port the request came in on.
bool isLoopbackHost(const QByteArray& host, quint16 localPort);

// `Host` names a vendor host the sandbox stands in for (docs/API.md), as the engine's
// test routing sends (LOCKSTEP_TEST_HOSTS). A rebinding page cannot send these: their
// DNS is not the attacker's.
bool isEmulatedHost(const QByteArray& host);

// Why the sandbox refuses `request` ("" when it serves it): a foreign Host anywhere; on
// the control API (/_sandbox/...) also an Origin header or any non-loopback Host.
QString refusal(const HttpRequest& request, quint16 localPort, bool controlApi);

} // namespace lockstep::sandbox
