// An error as a value: what went wrong, whether trying again may help, and a message
// an operator can act on. Crosses thread boundaries by value (queued signals).
#pragma once

#include <QMetaType>
#include <QString>

namespace lockstep {

struct SyncError
{
    enum class Category
    {
        None,
        Usage,       // bad command line or request from the caller
        Config,      // workspace or mapping configuration is incomplete or invalid
        Network,     // connection refused, reset, DNS, TLS
        Timeout,     // no reply in time
        Auth,        // 401/403: wrong or missing credentials
        NotFound,    // 404
        RateLimited, // 429
        Server,      // 5xx
        BadRequest,  // 400 and other 4xx: never retried
        Protocol,    // the reply broke the contract (malformed JSON, wrong types)
        Storage,     // the workspace database failed
        Cancelled,   // the operator cancelled
        Internal,
    };

    Category category = Category::None;
    int httpStatus = 0;
    bool retryable = false;
    QString message;

    bool isError() const { return category != Category::None; }
    QString categoryName() const;
    QString toString() const;

    // The message passes redactSecrets(): no registered secret, Authorization value or
    // Basic/Bearer token survives into it.
    static SyncError make(Category c, QString msg, int status = 0, bool retryable = false);
    static const char* categoryName(Category c);
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::SyncError)
