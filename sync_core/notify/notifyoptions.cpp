#include "notifyoptions.h"

#include <QString>

namespace lockstep {

namespace {
template <typename T> void readMs(const char* name, T& into, qint64 lo, qint64 hi)
{
    bool ok = false;
    const qint64 v = qEnvironmentVariable(name).toLongLong(&ok);
    if (ok && v >= lo && v <= hi)
        into = T(v);
}
} // namespace

NotifyOptions NotifyOptions::fromEnvironment()
{
    NotifyOptions o;
    readMs("LOCKSTEP_NOTIFY_POLL_MS", o.pollMs, 50, 3600000);
    readMs("LOCKSTEP_NOTIFY_TIMEOUT_MS", o.requestTimeoutMs, 100, 600000);
    readMs("LOCKSTEP_NOTIFY_LEASE_MS", o.leaseMs, 200, 3600000);
    readMs("LOCKSTEP_NOTIFY_BACKOFF_MS", o.backoffBaseMs, 10, 3600000);
    readMs("LOCKSTEP_NOTIFY_BACKOFF_MAX_MS", o.backoffMaxMs, 10, 86400000);
    readMs("LOCKSTEP_NOTIFY_GIVE_UP_MS", o.giveUpMs, 100, qint64(30) * 86400000);
    readMs("LOCKSTEP_NOTIFY_SYNC_WAIT_MS", o.syncWaitMs, 0, 600000);
    o.smtpCaFile = qEnvironmentVariable("LOCKSTEP_SMTP_CA_FILE");
    // The lease must outlast an attempt, or a slow receiver gets every message twice.
    o.leaseMs = qMax(o.leaseMs, o.requestTimeoutMs + 1000);
    return o;
}

} // namespace lockstep
