#include "credentials.h"

#include <QStringList>

namespace lockstep {

Credentials Credentials::fromEnvironment()
{
    Credentials c;
    c.customerIoAppApiKey = qEnvironmentVariable("LOCKSTEP_CUSTOMERIO_APP_API_KEY");
    c.mixpanelProjectToken = qEnvironmentVariable("LOCKSTEP_MIXPANEL_PROJECT_TOKEN");
    c.mixpanelServiceAccount = qEnvironmentVariable("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT");
    return c;
}

QStringList Credentials::secrets() const
{
    QStringList out;
    for (const QString& s : {customerIoAppApiKey, mixpanelProjectToken, mixpanelServiceAccount})
        if (!s.isEmpty())
            out << s;
    const qsizetype colon = mixpanelServiceAccount.indexOf(QLatin1Char(':'));
    if (colon > 0)
        out << mixpanelServiceAccount.mid(colon + 1);
    return out;
}

} // namespace lockstep
