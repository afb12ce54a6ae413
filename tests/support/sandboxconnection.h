// The connection settings that point a workspace at a running sandbox.
#pragma once

#include "sandboxprocess.h"
#include "store/records.h"

namespace lockstep::test {

inline ConnectionSettings connectionTo(const SandboxProcess& sandbox)
{
    ConnectionSettings s;
    s.customerIoUrl = sandbox.customerIo().toString();
    s.mixpanelUrl = sandbox.mixpanel().toString();
    s.mixpanelQueryUrl = sandbox.mixpanelQuery().toString();
    s.projectId = sandbox.projectId();
    return s;
}

} // namespace lockstep::test
