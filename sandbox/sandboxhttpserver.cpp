#include "sandboxhttpserver.h"

#include <QHttpServerRequest>
#include <QTcpSocket>

namespace lockstep::sandbox {

SandboxHttpServer::SandboxHttpServer(Handler handler, QObject* parent)
    : QAbstractHttpServer(parent), m_handler(std::move(handler))
{}

bool SandboxHttpServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    HttpRequest r;
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
        r.method = "GET";
        break;
    case QHttpServerRequest::Method::Post:
        r.method = "POST";
        break;
    case QHttpServerRequest::Method::Put:
        r.method = "PUT";
        break;
    case QHttpServerRequest::Method::Delete:
        r.method = "DELETE";
        break;
    case QHttpServerRequest::Method::Patch:
        r.method = "PATCH";
        break;
    case QHttpServerRequest::Method::Head:
        r.method = "HEAD";
        break;
    case QHttpServerRequest::Method::Options:
        r.method = "OPTIONS";
        break;
    default:
        r.method = "OTHER";
        break;
    }
    const QUrl url = request.url();
    r.path = url.path(QUrl::FullyDecoded);
    r.query = QUrlQuery(url);
    r.headers = request.headers();
    r.body = request.body();
    m_handler(std::move(r), socket);
    return true;
}

void SandboxHttpServer::missingHandler(const QHttpServerRequest&, QTcpSocket*)
{
    // handleRequest() always answers.
}

} // namespace lockstep::sandbox
