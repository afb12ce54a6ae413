#include "apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lockstep {

namespace {
QString detailFrom(const QByteArray& body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("errors")).isArray()) {
        QStringList details;
        for (const QJsonValue& e : o.value(QLatin1String("errors")).toArray()) {
            const QString d = e.toObject().value(QLatin1String("detail")).toString();
            if (!d.isEmpty())
                details << d;
        }
        if (!details.isEmpty())
            return details.join(QStringLiteral("; "));
    }
    if (o.value(QLatin1String("error")).isString())
        return o.value(QLatin1String("error")).toString();
    // Plain text, shortened: never dump a whole page into a message.
    QString text = QString::fromUtf8(body.left(200)).simplified();
    return text;
}
} // namespace

SyncError errorFromReply(const QString& service, const HttpResponse& reply)
{
    using C = SyncError::Category;
    const int s = reply.status;
    C c = C::BadRequest;
    QString what;
    if (s == 401 || s == 403) {
        c = C::Auth;
        what = QStringLiteral("%1 refused the credentials").arg(service);
    } else if (s == 404) {
        c = C::NotFound;
        what = QStringLiteral("%1: not found").arg(service);
    } else if (s == 429) {
        c = C::RateLimited;
        what = QStringLiteral("%1 kept rate-limiting the requests").arg(service);
    } else if (s >= 500) {
        c = C::Server;
        what = QStringLiteral("%1 had a server error").arg(service);
    } else {
        what = QStringLiteral("%1 rejected the request").arg(service);
    }
    const QString detail = detailFrom(reply.body);
    if (!detail.isEmpty())
        what += QStringLiteral(": ") + detail;
    return SyncError::make(c, what, s, s == 429 || s >= 500);
}

} // namespace lockstep
