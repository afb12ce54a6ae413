// After a run's sends, checks that the value landed on the keys it entered and that they
// are people Mixpanel already knew: a random sample of up to 1000 entered keys, ONE
// budgeted /engage query. A key is "value_missing" when its profile exists without the
// cohort value (the token wrote elsewhere: /engage answers 1 to a token of another
// project; or Mixpanel has not ingested the update yet), and "unknown to Mixpanel" when
// Mixpanel has no profile for it, or one that holds only what Lockstep writes (the cohort
// properties of this workspace's mappings): the value then sits on a ghost profile that
// no report joins with real activity. Both are recorded as identity mismatches; a skipped
// or failed check is a note, never a failure.
#pragma once

#include "api/mixpanelclient.h"
#include "identity/identityresolver.h"
#include "members/memberset.h"
#include "store/records.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>
#include <vector>

namespace lockstep {

class Clock;
class Workspace;

// A run's entered keys drawn for verification, in a random order seeded by the run's id:
// any prefix is itself a random sample (a fleet's verification cuts samples to fit its
// queries), and the same run draws the same keys.
struct EntrySample
{
    struct Key
    {
        QString key;
        MemberIdentifiers member;
    };
    qint64 runId = 0;
    Mapping mapping;
    qint64 entered = 0; // keys the sample was drawn from
    std::vector<Key> keys;
};

// What the profiles Mixpanel answered say about sampled keys.
struct EntryJudgement
{
    QStringList checked;             // every key judged
    QList<IdentityMismatch> flagged; // unknown_to_mixpanel and value_missing
    int unknown = 0;
    int valueMissing = 0;
    bool landedNone = false; // no judged key carries the value
};

class EntryCheck : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultSample = 1000;
    static constexpr int kMaxSample = 1000; // one page of the /engage query
    // What verification queries are recorded as in the query budget (query_usage), so
    // that verify_queries_per_hour can count them.
    static const QString kPurpose;
    // A run's verification note while its sample waits for the sync's other runs.
    static const QString kDeferredNote;

    // Queries of the hourly budget the check leaves to the cohort read-back, full-resync
    // listings, spot checks and rehearsals: a sixth (10 of 60), at least 2.
    static int reserveFor(int perHour);

    EntryCheck(Workspace& ws, RequestScheduler* http, const Clock* clock, MixpanelClient& mixpanel,
               Mapping mapping, int sampleSize, int queriesPerHour, QObject* parent = nullptr);

    // When the run is planned (never on dry runs): draws the sample from the entered keys
    // (`entered` indexes `current`; null: all of `current`, a full resync) and forgets
    // stored unknown keys that are no longer members.
    void prepare(qint64 runId, const MemberSet& current, const std::vector<uint32_t>* entered);
    // A sample waits to be checked.
    bool pending() const { return m_prepared && !m_ran && !m_sample.keys.empty(); }
    // Hands the sample to whoever verifies it with other runs' (FleetVerifier) instead
    // of checking it here; result() then says so until the caller fills it in.
    EntrySample takeSample();
    bool running() const { return m_running; }
    // Checks the sample (or skips it, with a note), records what is unknown, then `done`.
    void run(std::function<void()> done);
    // Where the result is written: by default on the workspace, here and now; a run hands
    // its writer over (MappingRun::write) so that a long write ahead does not hold up this
    // thread. `then` is called in this thread.
    using Write = std::function<void(std::function<Status(Workspace&)> job,
                                     std::function<void(const Status&)> then)>;
    void setWrite(Write write) { m_write = std::move(write); }

    // The outcome for a run that ends with `status`.
    EntryVerification result(RunKind kind, RunStatus status) const;
    // For the run's message: what was found, or why it was not looked for ("" if nothing
    // worth saying: turned off, nothing entered, no service account).
    QString note() const { return m_note; }

    // A profile the product never wrote to: every property is one Lockstep writes (the one
    // definition, trust/mixpanelprofile.h).
    static bool onlyLockstep(const QJsonObject& properties, const QSet<QString>& own,
                             const QStringList& ownPrefixes);
    // The properties Lockstep writes on the workspace (`mapping` and every mapping's).
    static void ownProperties(Workspace& ws, const Mapping& mapping, QSet<QString>* own,
                              QStringList* prefixes);
    // Judges `keys` of `mapping` against `profiles` (by distinct id; a key not there has
    // no profile).
    static EntryJudgement judge(const Mapping& mapping, const std::vector<EntrySample::Key>& keys,
                                const QHash<QString, QJsonObject>& profiles,
                                const QSet<QString>& own, const QStringList& ownPrefixes);
    // The run message's sentence for a verified sample.
    static QString verifiedNote(const EntryVerification& result, bool landedNone);
    // The caveat when Mixpanel answered `foreign` profiles under ids not asked for.
    static QString foreignCaveat(qsizetype foreign);

private:
    void complete(const QString& status, const QString& note, const QString& message);
    void skip(const QString& status, const QString& why, bool inMessage);
    void judge(const ProfilePage& page);
    void judged(const Status& recorded, const QString& caveat);

    Workspace& m_ws;
    RequestScheduler* m_http;
    const Clock* m_clock;
    MixpanelClient& m_mixpanel;
    Mapping m_mapping;
    int m_sampleSize;
    int m_perHour;
    qint64 m_runId = 0;
    bool m_prepared = false;
    bool m_ran = false;
    bool m_running = false;
    bool m_deferred = false; // the sample went to a FleetVerifier
    EntrySample m_sample;
    EntryVerification m_result;
    QString m_note;
    bool m_landedNone = false; // no sampled key carries the value
    std::function<void()> m_done;
    Write m_write;
};

} // namespace lockstep
