// Where the services are and the secrets to reach them, resolved for one engine
// session (from the workspace's connection settings and the credentials).
#pragma once

#include "mixpanelclient.h"

#include <QUrl>

namespace lockstep {

struct ServiceConfig
{
    QUrl customerIo;
    QString appApiKey;
    MixpanelEndpoints mixpanel;
};

} // namespace lockstep
