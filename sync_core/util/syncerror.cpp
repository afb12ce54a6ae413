#include "syncerror.h"

#include "redaction.h"

namespace lockstep {

const char* SyncError::categoryName(Category c)
{
    switch (c) {
    case Category::None:
        return "none";
    case Category::Usage:
        return "usage";
    case Category::Config:
        return "config";
    case Category::Network:
        return "network";
    case Category::Timeout:
        return "timeout";
    case Category::Auth:
        return "auth";
    case Category::NotFound:
        return "not_found";
    case Category::RateLimited:
        return "rate_limited";
    case Category::Server:
        return "server";
    case Category::BadRequest:
        return "bad_request";
    case Category::Protocol:
        return "protocol";
    case Category::Storage:
        return "storage";
    case Category::Cancelled:
        return "cancelled";
    case Category::Internal:
        return "internal";
    }
    return "internal";
}

QString SyncError::categoryName() const
{
    return QString::fromLatin1(categoryName(category));
}

QString SyncError::toString() const
{
    if (!isError())
        return QStringLiteral("ok");
    QString s = categoryName();
    if (httpStatus)
        s += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    return s + QStringLiteral(": ") + message;
}

SyncError SyncError::make(Category c, QString msg, int status, bool retryable)
{
    SyncError e;
    e.category = c;
    // Messages quote replies (a 401's body may echo the key) and end up in the CLI's
    // output, run history and the console: redacted once, here, where they are made.
    e.message = redactSecrets(msg);
    e.httpStatus = status;
    e.retryable = retryable;
    return e;
}

} // namespace lockstep
