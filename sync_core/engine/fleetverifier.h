// Verifies the entered keys of a sync's runs together: each run hands over its sample
// (EntryCheck::takeSample) instead of spending a query of its own, and once the runs are
// done the samples are cut to fit the queries the budget allows, packed up to 1000 keys a
// query (the /engage query's page), and judged run by run as EntryCheck would. The
// project's 60 queries an hour are shared with every tool of the project: the queries
// come from the workspace's QueryBudget and are bounded by verify_queries_per_hour.
#pragma once

#include "api/mixpanelclient.h"
#include "entrycheck.h"
#include "store/records.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <vector>

namespace lockstep {

class Clock;
class RequestScheduler;
class Workspace;

// The outcome for one run, and the batch it was part of.
struct FleetVerdict
{
    EntryVerification verification;
    QString message; // for the run's message: what was found, or why it was not looked for
    int queries = 0; // queries sent that held the run's keys (one may hold several runs')
};

class FleetVerifier : public QObject
{
    Q_OBJECT
public:
    static constexpr int kKeysPerQuery = EntryCheck::kMaxSample;

    // `projectPerHour`: the project's budget this process may use (QueryBudget);
    // `verifyPerHour`: verify_queries_per_hour. `ws` and `http` must outlive the verifier.
    FleetVerifier(Workspace& ws, RequestScheduler* http, const Clock* clock,
                  const MixpanelEndpoints& endpoints, int projectPerHour, int verifyPerHour,
                  QObject* parent = nullptr);

    void add(EntrySample sample);
    // Samples handed over and not yet verified.
    int pending() const { return int(m_samples.size()); }

    // Verifies the samples of `runIds` (the runs that succeeded; the others' are dropped).
    // `done` runs once, in this thread, later, unless the verifier is destroyed first.
    using Done = std::function<void(const QHash<qint64, FleetVerdict>&, const VerificationBatch&)>;
    void run(const QList<qint64>& runIds, Done done);

    // The queries a sync may spend: half of what is left of the verification bound this
    // hour (rounded up, so that later syncs of the hour still verify), and no more than
    // what the project's budget leaves above the reserve kept for read-backs and checks.
    static int allowance(int verifyLeft, int projectLeft, int reserve);
    // How many keys each sample gives when `capacity` keys fit: everything when it all
    // fits; else the same share for all (water-filling), what a small sample leaves going
    // to the larger ones, the remainder to the first. Sums to min(capacity, sum of wants).
    static std::vector<int> fairShares(const std::vector<int>& wants, int capacity);

private:
    void ask(int chunk);
    void finish();
    void verdictsForAll(const QString& status, const QString& message);

    Workspace& m_ws;
    RequestScheduler* m_http;
    const Clock* m_clock;
    MixpanelClient m_mixpanel;
    int m_projectPerHour;
    int m_verifyPerHour;
    std::vector<EntrySample> m_samples;

    // One verification in flight.
    std::vector<EntrySample> m_asked; // samples cut to their share
    QList<QStringList> m_chunks;      // distinct keys, up to kKeysPerQuery a query
    QHash<QString, int> m_chunkOf;    // key -> its chunk
    QHash<QString, QJsonObject> m_profiles;
    QList<SyncError> m_chunkErrors; // per chunk; none: answered
    QList<qsizetype> m_foreign;     // per chunk: answers under ids not asked for
    QHash<qint64, FleetVerdict> m_verdicts;
    VerificationBatch m_batch;
    int m_outstanding = 0; // queries not yet answered
    Done m_done;
};

} // namespace lockstep
