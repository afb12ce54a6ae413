// Which service URLs Lockstep will send credentials to: HTTPS everywhere, plain HTTP
// only on loopback (the sandbox).
#pragma once

#include "util/result.h"

#include <QUrl>

namespace lockstep {

Status checkEndpoint(const QUrl& url);

} // namespace lockstep
