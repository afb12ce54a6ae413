// Proves that the Mixpanel project token writes to the configured project. /engage
// answers 1 for a token of another project (or a mistyped one) and drops the updates
// later, so only a read-back tells: write a random value to a throwaway profile
// ("lockstep-probe-<random>") with the token, read it back through the query API with
// the project id and service account (polling for ingestion delay, each read one query
// of the shared hourly budget), then delete the profile. Asynchronous, in the thread
// that owns the RequestScheduler.
#pragma once

#include "api/mixpanelclient.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace lockstep {

class Clock;
class QueryBudget;

struct TokenProbeResult
{
    enum class Outcome
    {
        Proven,       // the value was read back from the project
        WrongProject, // written, never read back within the wait: the token writes elsewhere
        CannotProve,  // no service account or project id, or no query budget left: unknown
        Failed,       // the write, a read or the delete failed (network, auth, protocol)
    };
    Outcome outcome = Outcome::Failed;
    QString message;      // for the operator (what was found, how long it waited)
    qint64 waitedMs = 0;  // from the write's answer to the last read's answer
    int queriesUsed = 0;  // reads taken from the query budget
    QString distinctId;   // the throwaway profile's $distinct_id ("" when nothing was written)
    bool deleted = false; // its $delete was acknowledged
    SyncError error;      // Failed (and CannotProve): the underlying error, if any

    bool proven() const { return outcome == Outcome::Proven; }
    static QString outcomeName(Outcome o); // "proven", "wrong_project", "cannot_prove", "failed"
};

struct TokenProbeOptions
{
    int maxReads = 4;        // queries of the hourly budget at most
    int firstDelayMs = 1000; // before the first read; three times as long before each next
    static constexpr int kMaxReads = 10;
    static constexpr int kBackoffFactor = 3; // 1, 3, 9, 27 s: about 40 s in all by default

    // Defaults; LOCKSTEP_TOKEN_PROBE_DELAY_MS sets the first delay (tests use a short one).
    // Only EngineContext reads it, for its process.
    static TokenProbeOptions fromEnvironment();
    // The longest the probe waits for ingestion: the sum of the delays.
    qint64 maxWaitMs() const;
};

class TokenProbe : public QObject
{
    Q_OBJECT
public:
    // `budget` is the shared query budget (every read is taken from it before it is sent).
    TokenProbe(RequestScheduler* http, MixpanelEndpoints endpoints, QueryBudget* budget,
               const Clock* clock, TokenProbeOptions options = {}, QObject* parent = nullptr);
    ~TokenProbe() override;

    // Runs the probe once; `done` is called exactly once, in this thread (not if the probe
    // is destroyed first).
    void start(std::function<void(TokenProbeResult)> done);

    // What the workspace remembers of a proven token: SHA-256 over the token and the
    // project id, hex. Never the token; a changed token or project gives another value.
    static QString fingerprint(const QString& token, qint64 projectId);
    // The throwaway profile's prefix: "lockstep-probe-".
    static QString distinctIdPrefix();

private:
    void write();
    void scheduleRead();
    void read();
    void finish(TokenProbeResult::Outcome outcome, const QString& message,
                const SyncError& error = {});
    void cleanUp();
    void complete();

    RequestScheduler* m_http;
    MixpanelEndpoints m_ep;
    MixpanelClient m_mixpanel;
    QueryBudget* m_budget;
    const Clock* m_clock;
    TokenProbeOptions m_options;
    std::function<void(TokenProbeResult)> m_done;
    TokenProbeResult m_result;
    QString m_value; // the random value written
    qint64 m_writtenAtMs = 0;
    int m_reads = 0;
    int m_nextDelayMs = 0;
    QTimer m_timer;
};

} // namespace lockstep
