#pragma once
// application/x-www-form-urlencoded parsing ('+' is a space) and Mixpanel's data=
// payloads, which may be JSON or base64-encoded JSON.

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace lockstep::sandbox::formdata {

QHash<QString, QString> parse(const QByteArray& body);
// Decodes a data= value: JSON as is, or base64 (standard or URL alphabet) of JSON.
QByteArray decodeDataParameter(const QString& value);
// gzip (RFC 1952) inflate; nullopt on corrupt input or when the output exceeds maxBytes.
std::optional<QByteArray> gunzip(const QByteArray& data, qsizetype maxBytes);

} // namespace lockstep::sandbox::formdata
