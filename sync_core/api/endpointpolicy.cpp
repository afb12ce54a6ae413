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

HostAllowList HostAllowList::parse(const QString& text)
{
    HostAllowList list;
    for (QString item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        item = item.trimmed();
        if (item.isEmpty())
            continue;
        QString host;
        QString port;
        if (item.startsWith(QLatin1Char('['))) {
            const qsizetype close = item.indexOf(QLatin1Char(']'));
            if (close < 0) {
                list.m_invalid << item;
                continue;
            }
            host = item.mid(1, close - 1);
            const QString rest = item.mid(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(QLatin1Char(':'))) {
                    list.m_invalid << item;
                    continue;
                }
                port = rest.mid(1);
            }
        } else if (item.count(QLatin1Char(':')) == 1) {
            host = item.section(QLatin1Char(':'), 0, 0);
            port = item.section(QLatin1Char(':'), 1);
        } else {
            host = item; // a name, an IPv4 address or a bare IPv6 address
        }
        bool ok = true;
        const int portNumber = port.isEmpty() ? -1 : port.toInt(&ok);
        // A URL's own parser judges the host, so an entry matches exactly what a URL
        // with that host would carry.
        const QUrl probe(
            QStringLiteral("https://") +
            (host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host));
        if (host.isEmpty() || !ok || (!port.isEmpty() && (portNumber < 1 || portNumber > 65535)) ||
            !probe.isValid() || probe.host().isEmpty() || host.contains(QLatin1Char('/')) ||
            host.contains(QLatin1Char('@'))) {
            list.m_invalid << item;
            continue;
        }
        list.m_entries.append({probe.host(), portNumber});
    }
    return list;
}

HostAllowList HostAllowList::fromEnvironment()
{
    return parse(qEnvironmentVariable(kVariable));
}

void HostAllowList::allow(const QString& host, int port)
{
    m_entries.append({host.toLower(), port});
}

bool HostAllowList::allows(const QUrl& url) const
{
    const QString host = url.host().toLower();
    const int port = url.port(url.scheme() == QLatin1String("http") ? 80 : 443);
    for (const Entry& e : m_entries)
        if (e.host == host && (e.port < 0 || e.port == port))
            return true;
    return false;
}

const char* endpointSetting(ServiceEndpoint service)
{
    switch (service) {
    case ServiceEndpoint::CustomerIo:
        return "customerio_url";
    case ServiceEndpoint::MixpanelIngestion:
        return "mixpanel_url";
    case ServiceEndpoint::MixpanelQuery:
        break;
    }
    return "mixpanel_query_url";
}

const QStringList& vendorHosts(ServiceEndpoint service)
{
    static const QStringList customerIo = {QStringLiteral("api.customer.io"),
                                           QStringLiteral("api-eu.customer.io")};
    static const QStringList ingestion = {QStringLiteral("api.mixpanel.com"),
                                          QStringLiteral("api-eu.mixpanel.com"),
                                          QStringLiteral("api-in.mixpanel.com")};
    static const QStringList query = {QStringLiteral("mixpanel.com"),
                                      QStringLiteral("eu.mixpanel.com"),
                                      QStringLiteral("in.mixpanel.com")};
    switch (service) {
    case ServiceEndpoint::CustomerIo:
        return customerIo;
    case ServiceEndpoint::MixpanelIngestion:
        return ingestion;
    case ServiceEndpoint::MixpanelQuery:
        break;
    }
    return query;
}

Status checkServiceEndpoint(ServiceEndpoint service, const QUrl& url, const HostAllowList& allowed)
{
    const char* setting = endpointSetting(service);
    if (Status st = checkEndpoint(url); !st)
        return SyncError::make(SyncError::Category::Config,
                               QLatin1String(setting) + QStringLiteral(": ") + st.error().message);
    const bool vendor = url.scheme() == QLatin1String("https") && url.port(443) == 443 &&
                        vendorHosts(service).contains(url.host().toLower());
    if (vendor || allowed.allows(url))
        return {};
    const QString hostPort =
        url.port() > 0 ? QStringLiteral("%1:%2").arg(
                             url.host().contains(QLatin1Char(':'))
                                 ? QString(QLatin1Char('[') + url.host() + QLatin1Char(']'))
                                 : url.host(),
                             QString::number(url.port()))
                       : url.host();
    const char* secret = service == ServiceEndpoint::CustomerIo          ? "the App API key"
                         : service == ServiceEndpoint::MixpanelIngestion ? "the project token"
                                                                         : "the service account";
    QString message =
        QStringLiteral("%1: %2 is not a host of the service (%3); Lockstep sends %4 only to "
                       "the vendor's hosts and to hosts named in %5 in the environment or the "
                       "systemd unit (e.g. %6=%7), never to an address the workspace alone "
                       "names")
            .arg(QLatin1String(setting),
                 url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery),
                 vendorHosts(service).join(QStringLiteral(", ")), QLatin1String(secret),
                 QLatin1String(HostAllowList::kVariable), QLatin1String(HostAllowList::kVariable),
                 hostPort);
    if (!allowed.invalidEntries().isEmpty())
        message += QStringLiteral(" (%1 has entries that are not host[:port]: %2)")
                       .arg(QLatin1String(HostAllowList::kVariable),
                            allowed.invalidEntries().join(QStringLiteral(", ")));
    return SyncError::make(SyncError::Category::Config, message);
}

} // namespace lockstep
