#pragma once
// One listening port. Subclasses QAbstractHttpServer (not QHttpServer) because faults
// need the raw socket: replies are written by hand so they can be delayed, truncated,
// corrupted or replaced by a connection reset.

#include "httpexchange.h"

#include <QAbstractHttpServer>

#include <functional>

class QTcpSocket;

namespace lockstep::sandbox {

class SandboxHttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Handler = std::function<void(HttpRequest&&, QTcpSocket*)>;

    SandboxHttpServer(Handler handler, QObject* parent = nullptr);

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    Handler m_handler;
};

} // namespace lockstep::sandbox
