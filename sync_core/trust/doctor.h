// Checks the whole chain for a workspace, the way `lockstep doctor` and the console's
// Check connection show it: the schema, the connection settings, each service host
// (policy, vendor or custom, reachable), each credential with one cheap call, the
// project token through the token probe, the shared query budget, the clock against
// the services' Date headers, and each mapping's segment. Asynchronous, in the thread
// that owns the RequestScheduler; answers finished() once.
#pragma once

#include "doctorreport.h"

#include "api/credentials.h"
#include "api/endpointpolicy.h"
#include "api/mixpanelclient.h"
#include "store/records.h"
#include "tokenprobe.h"

#include <QObject>

#include <memory>

namespace lockstep {

class Clock;
class CustomerIoClient;
class MixpanelClient;
class QueryBudget;
class RequestScheduler;
class TokenProbe;
class Workspace;
struct HttpResponse;

struct DoctorOptions
{
    // Past this the clock check fails. Lockstep dates events, counts the hourly query
    // budget and measures sync latency (minutes) on this machine's clock; a Date header
    // is only good to a second plus the round trip. Five minutes is far above that
    // error and small next to the hour window and latency expectations.
    qint64 maxClockSkewMs = 5 * 60 * 1000;
    int timeoutMs = 15000; // each request
    int queriesPerHour = 60;
    // Hosts besides the vendors' that may receive the secrets (EngineContext's).
    HostAllowList allowedHosts;
    TokenProbeOptions tokenProbe;
};

class Doctor : public QObject
{
    Q_OBJECT
public:
    enum class Service
    {
        CustomerIo,
        MixpanelIngestion,
        MixpanelQuery
    };

    // `settings` and `credentials` are checked as given (the console checks what is in
    // the form before it is saved); mappings, schema and budget come from `ws`.
    Doctor(Workspace& ws, RequestScheduler* http, ConnectionSettings settings,
           Credentials credentials, const Clock* clock, DoctorOptions options = {},
           QObject* parent = nullptr);
    ~Doctor() override;

    void start();

    // The report for a workspace that cannot be opened: the schema check says why
    // (newer than this build, or unreadable), every other check is skipped.
    static DoctorReport unopenedWorkspace(const QString& location, const SyncError& error);

    // Pure judgements, exposed for tests.
    // A service URL: HTTPS (plain HTTP on loopback only), a vendor's host (for the region)
    // or a custom one listed in `allowed`. Pass or a configuration failure.
    static DoctorCheck judgeHost(Service service, const QString& url, const QString& region,
                                 const HostAllowList& allowed);
    struct ClockSample
    {
        QString service;   // who sent the Date header
        qint64 skewMs = 0; // their clock minus ours (positive: they are ahead)
        qint64 uncertaintyMs = 0;
    };
    static DoctorCheck judgeClock(const QList<ClockSample>& samples, qint64 maxSkewMs);
    // "3 s", "7 min 3 s", "2 h 5 min".
    static QString duration(qint64 ms);

Q_SIGNALS:
    void finished(const lockstep::DoctorReport& report);

private:
    DoctorCheck& row(const char* name);
    void skip(const char* name, const QString& why);
    void fail(const char* name, DoctorCheck::Kind kind, const QString& detail, const QString& fix);
    void checkSchema();
    void checkSecrets(); // a missing secret is a configuration failure
    void reach(Service service, const char* rowName, std::function<void(bool)> then);
    void recordClock(Service service, const HttpResponse& reply, qint64 sentMs, qint64 answeredMs);
    void checkCustomerIoKey();
    void countSegments(int next);
    void checkServiceAccount();
    MixpanelEndpoints mixpanelEndpoints() const; // as given to the doctor, for both checks
    void mixpanelReached();
    // The token ↔ project proof (TokenProbe). One function, so the probe plugs in here.
    void checkProjectToken();
    void chainDone();
    void finish();

    Workspace& m_ws;
    RequestScheduler* m_http;
    ConnectionSettings m_settings;
    Credentials m_credentials;
    const Clock* m_clock;
    DoctorOptions m_options;
    std::unique_ptr<QueryBudget> m_budget;
    std::unique_ptr<CustomerIoClient> m_cio;
    std::unique_ptr<MixpanelClient> m_mixpanel;
    std::unique_ptr<TokenProbe> m_probe;
    DoctorReport m_report;
    QList<Mapping> m_mappings;
    QList<qint64> m_toCount; // segment ids whose size is read, one after the other
    QList<ClockSample> m_clockSamples;
    qint64 m_startedMs = 0;
    int m_budgetLeft = -1;
    int m_chains = 0;          // request chains still running
    int m_mixpanelReaches = 0; // Mixpanel hosts still being reached
    bool m_ingestionReachable = false;
    bool m_queryReachable = false;
    bool m_serviceAccountOk = false;
    bool m_done = false;
};

} // namespace lockstep
