#pragma once
// Plain value types for one request and its reply, independent of QtHttpServer so the
// API handlers can be unit-tested and replies can be delayed, truncated or corrupted.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace lockstep::sandbox {

struct HttpRequest
{
    QByteArray method; // "GET", "POST", ...
    QString path;      // decoded path, no query
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto& [k, v] : headers) {
            if (QByteArrayView(k).compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    QString queryItem(const QString& key) const
    {
        return query.queryItemValue(key, QUrl::FullyDecoded);
    }
};

struct HttpReply
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 updates = 0; // /engage updates or /import events carried by the request (for the log)

    static HttpReply json(int status, QByteArray body)
    {
        HttpReply r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
    static HttpReply text(int status, QByteArray body)
    {
        HttpReply r;
        r.status = status;
        r.contentType = "text/plain";
        r.body = std::move(body);
        return r;
    }
    HttpReply& withHeader(QByteArray name, QByteArray value)
    {
        headers.append({std::move(name), std::move(value)});
        return *this;
    }
};

QByteArray reasonPhrase(int status);

} // namespace lockstep::sandbox
