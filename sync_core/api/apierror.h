// Maps an HTTP reply that is not a success into a SyncError with the service's own
// words (Customer.io `errors[].detail`, Mixpanel `error`).
#pragma once

#include "requestscheduler.h"

namespace lockstep {

SyncError errorFromReply(const QString& service, const HttpResponse& reply);

} // namespace lockstep
