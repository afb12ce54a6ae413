#pragma once
// Hand-written JSON output for the hot paths (membership pages, query pages): appending
// to one QByteArray is several times faster than building QJsonObjects per row.

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>

namespace lockstep::sandbox::json {

// Appends "text" as a quoted JSON string; text is UTF-8, control characters, quotes and
// backslashes are escaped.
void appendString(QByteArray& out, QByteArrayView text);
void appendString(QByteArray& out, const QString& text);
inline void appendString(QByteArray& out, const QByteArray& text)
{
    appendString(out, QByteArrayView(text));
}
void appendNumber(QByteArray& out, double value);
// Any QJsonValue, compact.
void appendValue(QByteArray& out, const QJsonValue& value);

QByteArray quoted(QByteArrayView text);

} // namespace lockstep::sandbox::json
