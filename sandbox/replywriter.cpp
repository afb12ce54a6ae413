#include "replywriter.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace lockstep::sandbox::replywriter {

QByteArray serialize(const HttpReply& reply, bool keepAlive)
{
    QByteArray out;
    out.reserve(reply.body.size() + 256);
    out.append("HTTP/1.1 ");
    out.append(QByteArray::number(reply.status));
    out.append(' ');
    out.append(reasonPhrase(reply.status));
    out.append("\r\nContent-Type: ");
    out.append(reply.contentType);
    out.append("\r\nContent-Length: ");
    out.append(QByteArray::number(reply.body.size()));
    out.append(keepAlive ? "\r\nConnection: keep-alive" : "\r\nConnection: close");
    for (const auto& [name, value] : reply.headers) {
        out.append("\r\n");
        out.append(name);
        out.append(": ");
        out.append(value);
    }
    out.append("\r\n\r\n");
    out.append(reply.body);
    return out;
}

void write(QTcpSocket* socket, const HttpReply& reply, bool keepAlive)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    socket->write(serialize(reply, keepAlive));
    if (!keepAlive)
        socket->disconnectFromHost();
}

void writeTruncated(QTcpSocket* socket, const HttpReply& reply)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray full = serialize(reply, false);
    const qsizetype cut = full.size() - reply.body.size() / 2 - 1;
    socket->write(full.left(cut));
    socket->disconnectFromHost();
}

void reset(QTcpSocket* socket)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        struct linger lg
        {
            1, 0
        };
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    socket->abort();
}

} // namespace lockstep::sandbox::replywriter
