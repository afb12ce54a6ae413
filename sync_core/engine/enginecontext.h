// One per process: what every front end (the console, each CLI command, the runner)
// starts the engine with. It owns what must exist once per process: the network factory
// (tests inject a fake one), the per-API limits and their state (one Customer.io bucket
// per App API key, one Mixpanel query budget, the ingestion concurrency), the engine
// options and the clock. Nothing else builds these.
#pragma once

#include "api/credentials.h"
#include "api/endpointpolicy.h"
#include "api/ratelimits.h"
#include "api/requestscheduler.h"
#include "api/serviceconfig.h"
#include "engineoptions.h"
#include "store/records.h"
#include "trust/doctor.h"
#include "trust/tokenprobe.h"
#include "util/clock.h"
#include "util/result.h"

#include <QMutex>
#include <QString>

#include <memory>

class QObject;

namespace lockstep {

class EngineContext
{
public:
    struct Setup
    {
        EngineOptions options;
        const Clock* clock = nullptr; // nullptr: the system clock
        NetworkFactory network;       // empty: a real QNetworkAccessManager each
        int queriesPerHour = 60;      // the Mixpanel query API's budget for this process
        // Hosts besides the vendors' that may receive the secrets (a proxy, a sandbox):
        // LOCKSTEP_ALLOWED_HOSTS, plus what the process itself starts (the demo's sandbox).
        HostAllowList allowedHosts;
        // How long the token probe waits for Mixpanel's ingestion before each read.
        TokenProbeOptions tokenProbe;
        // How many nice levels below its starter the engine's thread (and every thread it
        // starts: the parsers, the writer, the network's) runs. The console sets it so that
        // its GUI thread gets a core first while its own sync keeps the other busy; the
        // CLI and the runner, with nobody watching, leave it at 0.
        int engineThreadNice = 0;
        static constexpr int kConsoleEngineThreadNice = 10;

        // The options, clock, budget and allowed hosts from the environment
        // (LOCKSTEP_* variables).
        static Setup fromEnvironment();
    };

    explicit EngineContext(Setup setup = Setup::fromEnvironment());
    EngineContext(const EngineContext&) = delete;
    EngineContext& operator=(const EngineContext&) = delete;

    const Clock* clock() const { return m_clock; }
    const EngineOptions& options() const { return m_options; }
    int queriesPerHour() const { return m_queriesPerHour; }
    const TokenProbeOptions& tokenProbe() const { return m_tokenProbe; }
    int engineThreadNice() const { return m_engineThreadNice; }
    // The doctor's limits and hosts, the same as the engine's.
    DoctorOptions doctorOptions() const;
    const NetworkFactory& network() const { return m_network; }
    const std::shared_ptr<RateLimits>& limits() const { return m_limits; }
    const HostAllowList& allowedHosts() const { return m_allowedHosts; }

    // A scheduler owned by `parent` (in the caller's thread) that sends through this
    // context's network and draws on its limits, with its timeouts and backoff.
    RequestScheduler* createScheduler(QObject* parent) const;

    // Whoever opens a workspace for the engine calls this: the Customer.io limit is per
    // App API key, so every process on the workspace at `location` (runners, consoles,
    // CLI commands) draws from one bucket per key kept there (WorkspaceRateGate).
    // Idempotent; another location replaces the first. Acts on the shared limits, which
    // is why it is const like createScheduler.
    void shareLimitsThrough(const QString& location) const;

    // What a caller needs of the secrets.
    enum class Need
    {
        Sync,       // Customer.io key and project token (the service account is optional)
        AllSecrets, // the trust checks: every secret, the service account included
    };
    // The services of `connection` with `credentials`: the connection complete, each
    // address allowed (https, or http on loopback; a vendor's host or one in
    // allowedHosts()), the secrets `need` asks for. Every path that sends a secret
    // (syncs, trust checks, cohort counts, doctor) is checked by this rule.
    Result<ServiceConfig> services(const ConnectionSettings& connection,
                                   const Credentials& credentials, Need need) const;
    // The same rule for one address (callers that need a single service).
    Status checkService(ServiceEndpoint service, const QString& url) const;

private:
    EngineOptions m_options;
    const Clock* m_clock;
    int m_queriesPerHour;
    NetworkFactory m_network;
    std::shared_ptr<RateLimits> m_limits;
    HostAllowList m_allowedHosts;
    TokenProbeOptions m_tokenProbe;
    int m_engineThreadNice;
    mutable QMutex m_sharedMutex; // engine and main threads both open workspaces
    mutable QString m_sharedLocation;
};

} // namespace lockstep
