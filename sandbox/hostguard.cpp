#include "hostguard.h"

namespace lockstep::sandbox {

namespace {

// Splits "name:port" / "[v6]:port" into the name (brackets kept) and the port text.
void splitHost(const QByteArray& host, QByteArray* name, QByteArray* port)
{
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        *name = close < 0 ? host : host.left(close + 1);
        *port = close < 0 ? QByteArray() : host.mid(close + 1);
    } else {
        const qsizetype colon = host.lastIndexOf(':');
        *name = colon < 0 ? host : host.left(colon);
        *port = colon < 0 ? QByteArray() : host.mid(colon);
    }
    if (port->startsWith(':'))
        *port = port->mid(1);
    else if (!port->isEmpty())
        *name = host; // junk after "]": not a host this check accepts
}

} // namespace

bool isLoopbackHost(const QByteArray& host, quint16 localPort)
{
    QByteArray name, port;
    splitHost(host.trimmed().toLower(), &name, &port);
    if (name != "localhost" && name != "127.0.0.1" && name != "[::1]")
        return false;
    if (port.isEmpty())
        return true;
    bool ok = false;
    return port.toUInt(&ok) == localPort && ok;
}

bool isEmulatedHost(const QByteArray& host)
{
    // docs/API.md: Customer.io App API (US, EU), Mixpanel ingestion and query (US, EU, IN).
    static const QByteArrayList hosts = {
        "api.customer.io",     "api-eu.customer.io", "api.mixpanel.com", "api-eu.mixpanel.com",
        "api-in.mixpanel.com", "mixpanel.com",       "eu.mixpanel.com",  "in.mixpanel.com"};
    QByteArray name, port;
    splitHost(host.trimmed().toLower(), &name, &port);
    return hosts.contains(name);
}

QString refusal(const HttpRequest& request, quint16 localPort, bool controlApi)
{
    const QByteArray host = request.header("Host");
    if (controlApi) {
        if (!request.header("Origin").isEmpty())
            return QStringLiteral("the control API refuses requests from web pages (they carry "
                                  "an Origin header)");
        if (!isLoopbackHost(host, localPort))
            return QStringLiteral("the control API answers only Host: localhost, 127.0.0.1 or "
                                  "[::1] (with this port), not \"%1\"")
                .arg(QString::fromLatin1(host.left(100)));
        return {};
    }
    if (!isLoopbackHost(host, localPort) && !isEmulatedHost(host))
        return QStringLiteral("the sandbox answers only Host: localhost, 127.0.0.1 or [::1] "
                              "(with this port), or an emulated vendor host, not \"%1\"")
            .arg(QString::fromLatin1(host.left(100)));
    return {};
}

} // namespace lockstep::sandbox
