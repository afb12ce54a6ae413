#include "formdata.h"

#include <QUrl>

#include <zlib.h>

namespace lockstep::sandbox::formdata {

QHash<QString, QString> parse(const QByteArray& body)
{
    QHash<QString, QString> out;
    for (const QByteArray& pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray key = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        key.replace('+', ' ');
        value.replace('+', ' ');
        out.insert(QUrl::fromPercentEncoding(key), QUrl::fromPercentEncoding(value));
    }
    return out;
}

QByteArray decodeDataParameter(const QString& value)
{
    const QByteArray raw = value.toUtf8().trimmed();
    if (raw.startsWith('[') || raw.startsWith('{'))
        return raw;
    QByteArray b64 = raw;
    b64.replace(' ', '+'); // a '+' sent unencoded in a form turns into a space
    auto decoded = QByteArray::fromBase64Encoding(b64, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        decoded = QByteArray::fromBase64Encoding(b64, QByteArray::Base64UrlEncoding |
                                                          QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? decoded.decoded : raw;
}

std::optional<QByteArray> gunzip(const QByteArray& data, qsizetype maxBytes)
{
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return std::nullopt;
    QByteArray out;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = uInt(data.size());
    char buffer[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof buffer;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        out.append(buffer, qsizetype(sizeof buffer - zs.avail_out));
        if (out.size() > maxBytes) {
            inflateEnd(&zs);
            return out; // caller sees the size and answers 413
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0)
            break; // truncated stream
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return std::nullopt;
    return out;
}

} // namespace lockstep::sandbox::formdata
