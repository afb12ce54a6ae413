// Secrets for one workspace. Held in memory only: never stored in the workspace,
// logged or exported. Headless runs read them from the environment.
#pragma once

#include <QMetaType>
#include <QString>

namespace lockstep {

struct Credentials
{
    QString customerIoAppApiKey;    // LOCKSTEP_CUSTOMERIO_APP_API_KEY
    QString mixpanelProjectToken;   // LOCKSTEP_MIXPANEL_PROJECT_TOKEN
    QString mixpanelServiceAccount; // LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT, "user:secret"

    static Credentials fromEnvironment();
    // Every non-empty secret, for redaction.
    QStringList secrets() const;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::Credentials)
