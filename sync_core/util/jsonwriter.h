// Appends JSON text by hand, for request bodies built in hot loops (a batch of 2000
// profile updates) where building a QJsonDocument would cost more than the send.
#pragma once

#include <QByteArray>
#include <QString>
#include <string_view>

namespace lockstep::json {

// Appends `s` (UTF-8) as a quoted JSON string.
void appendString(QByteArray& out, std::string_view s);
inline void appendString(QByteArray& out, const QByteArray& s)
{
    appendString(out, std::string_view(s.constData(), size_t(s.size())));
}
inline void appendString(QByteArray& out, const QString& s)
{
    appendString(out, s.toUtf8());
}

} // namespace lockstep::json
