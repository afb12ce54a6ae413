// Which service URLs Lockstep will send credentials to: HTTPS everywhere, plain HTTP
// only on loopback (the sandbox); and only to the vendors' documented hosts, or to hosts
// the operator named in the environment (LOCKSTEP_ALLOWED_HOSTS). The workspace alone
// cannot redirect the keys: whoever can write it is not trusted with them.
#pragma once

#include "util/result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace lockstep {

// The transport rule alone: https, or http to loopback.
Status checkEndpoint(const QUrl& url);

enum class ServiceEndpoint
{
    CustomerIo,        // the App API key goes there
    MixpanelIngestion, // the project token
    MixpanelQuery,     // the service account
};

// Hosts the operator allows besides the vendors' own: "host" (any port) or "host:port",
// IPv6 in brackets ("[::1]:4010"), comma-separated.
class HostAllowList
{
public:
    static constexpr char kVariable[] = "LOCKSTEP_ALLOWED_HOSTS";

    static HostAllowList parse(const QString& text);
    static HostAllowList fromEnvironment();

    // A host and port as the sandbox prints them (demo: its own child process).
    void allow(const QString& host, int port = -1);
    bool allows(const QUrl& url) const;
    // Entries that are not host[:port]; a refusal names them.
    const QStringList& invalidEntries() const { return m_invalid; }

private:
    struct Entry
    {
        QString host; // lower case, IPv6 without brackets
        int port = -1;
    };
    QList<Entry> m_entries;
    QStringList m_invalid;
};

// The workspace setting that holds `service`'s address (for messages).
const char* endpointSetting(ServiceEndpoint service);
// The vendor's documented hosts of `service`, every region (docs/API.md).
const QStringList& vendorHosts(ServiceEndpoint service);

// The whole rule for one service address: the transport rule, then the host: one of the
// vendor's (https, default port) or listed in `allowed`. A refusal is a configuration
// error naming the setting and LOCKSTEP_ALLOWED_HOSTS.
Status checkServiceEndpoint(ServiceEndpoint service, const QUrl& url, const HostAllowList& allowed);

} // namespace lockstep
