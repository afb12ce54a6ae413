#pragma once
// Writes raw HTTP/1.1 replies to a socket, including the broken ones faults ask for.

#include "httpexchange.h"

class QTcpSocket;

namespace lockstep::sandbox::replywriter {

QByteArray serialize(const HttpReply& reply, bool keepAlive);
void write(QTcpSocket* socket, const HttpReply& reply, bool keepAlive);
// Headers announce the full length, then the connection closes half-way through the body.
void writeTruncated(QTcpSocket* socket, const HttpReply& reply);
// Closes with a TCP RST (SO_LINGER 0), so the client sees "connection reset by peer".
void reset(QTcpSocket* socket);

} // namespace lockstep::sandbox::replywriter
