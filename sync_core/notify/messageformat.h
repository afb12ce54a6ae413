// An alert event (AlertOutbox's JSON, health/alertoutbox.h) as each channel shows it:
// Slack's Block Kit, a Teams Adaptive Card, the generic webhook's JSON as stored, an
// e-mail. Pure functions: tests read what a person would read.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace lockstep {

// Slack incoming webhook body: "text" (the notification's fallback) and "blocks".
QJsonObject slackMessage(const QJsonObject& event);
// Teams workflow webhook body: a message with one Adaptive Card attachment.
QJsonObject teamsMessage(const QJsonObject& event);
// The one-line summary every format starts with, e.g.
// "CRITICAL: size_collapse opened on CIO | Winback | 45-60d".
QString eventTitle(const QJsonObject& event);

// The generic webhook's signature header value: "sha256=" + hex HMAC-SHA256(body, secret).
QByteArray webhookSignature(const QByteArray& body, const QString& secret);

// An RFC 5322 message (CRLF line ends, UTF-8 text, encoded subject). Addresses are
// stripped of line breaks so nothing can add a header.
QByteArray emailMessage(const QJsonObject& event, const QString& from, const QStringList& to,
                        qint64 nowMs);

} // namespace lockstep
