// Sends one e-mail through libcurl's SMTP client (STARTTLS for smtp://, implicit TLS for
// smtps://, AUTH when a user is given). Blocking: call it from a worker thread, never the
// GUI or engine thread (ChannelSender does).
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace lockstep {

struct SmtpResult
{
    bool ok = false;
    int replyCode = 0;      // the server's last SMTP reply code (250 on success)
    QString answer;         // libcurl's error text, or the server's last reply
    bool transient = false; // worth trying again: a 4xx reply, a timeout, no connection
};

struct SmtpRequest
{
    QString url; // smtp://[user@]host[:port] or smtps://...
    QString password;
    QString from;
    QStringList to;
    QByteArray message; // RFC 5322, CRLF line ends
    int timeoutMs = 15000;
    QString caFile; // extra trusted certificates (PEM); the server's name is always checked
};

SmtpResult sendMail(const SmtpRequest& request);

} // namespace lockstep
