#include "endpointpolicy.h"

#include <QHostAddress>

namespace lockstep {

Status checkEndpoint(const QUrl& url)
{
    if (!url.isValid() || url.host().isEmpty())
        return SyncError::make(SyncError::Category::Config,
                               QStringLiteral("not a valid service URL: %1")
                                   .arg(url.toDisplayString(QUrl::RemoveUserInfo)));
    if (url.scheme() == QLatin1String("https"))
        return {};
    const QString host = url.host();
    const QHostAddress addr(host);
    const bool loopback =
        host == QLatin1String("localhost") || (!addr.isNull() && addr.isLoopback());
    if (url.scheme() == QLatin1String("http") && loopback)
        return {};
    return SyncError::make(
        SyncError::Category::Config,
        QStringLiteral("%1 must use https (plain http is allowed on loopback only)")
            .arg(url.toDisplayString(QUrl::RemoveUserInfo)));
}

} // namespace lockstep
