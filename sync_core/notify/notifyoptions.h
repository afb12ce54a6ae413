// How a process delivers notifications: how often it looks for due messages, how long
// it holds a lease, how long one attempt may take, how it backs off and when it gives up.
// Read once per process, with overrides from the environment (tests shorten them).
#pragma once

#include <QString>

namespace lockstep {

struct NotifyOptions
{
    int pollMs = 5000; // looks for due rows this often (and at once after a sync)
    int requestTimeoutMs = 15000;
    // Longer than an attempt can take (the timeout, SMTP's too), so a live deliverer's
    // lease never runs out under it; a dead one's row waits this long for another.
    int leaseMs = 60000;
    int backoffBaseMs = 5000;   // doubled each attempt, with jitter
    int backoffMaxMs = 600000;  // 10 minutes
    qint64 giveUpMs = 86400000; // a message older than a day is recorded failed
    int batch = 20;             // rows claimed at once
    // How long `lockstep sync` waits, after its runs, for the messages they produced.
    int syncWaitMs = 30000;
    // PEM certificates trusted for SMTP over TLS instead of the system's bundle (a company
    // relay signed by an internal authority). Empty: the system's bundle.
    QString smtpCaFile;

    // LOCKSTEP_NOTIFY_POLL_MS, _TIMEOUT_MS, _LEASE_MS, _BACKOFF_MS, _BACKOFF_MAX_MS,
    // _GIVE_UP_MS, _SYNC_WAIT_MS (values in milliseconds; invalid ones are ignored), and
    // LOCKSTEP_SMTP_CA_FILE.
    static NotifyOptions fromEnvironment();
};

} // namespace lockstep
