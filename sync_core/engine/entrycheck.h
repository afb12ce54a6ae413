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

#include <QObject>
#include <QSet>

#include <functional>
#include <vector>

namespace lockstep {

class Clock;
class Workspace;

class EntryCheck : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultSample = 1000;
    static constexpr int kMaxSample = 1000; // one page of the /engage query

    // Queries of the hourly budget the check leaves to the cohort read-back, full-resync
    // listings, spot checks and rehearsals: a sixth (10 of 60), at least 2.
    static int reserveFor(int perHour);

    EntryCheck(Workspace& ws, RequestScheduler* http, const Clock* clock, MixpanelClient& mixpanel,
               Mapping mapping, int sampleSize, QObject* parent = nullptr);

    // When the run is planned (never on dry runs): draws the sample from the entered keys
    // (`entered` indexes `current`; null: all of `current`, a full resync) and forgets
    // stored unknown keys that are no longer members.
    void prepare(qint64 runId, const MemberSet& current, const std::vector<uint32_t>* entered);
    // A sample waits to be checked.
    bool pending() const { return m_prepared && !m_ran && !m_sample.empty(); }
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

    // A profile the product never wrote to: every property is one Lockstep writes.
    static bool onlyLockstep(const QJsonObject& properties, const QSet<QString>& own,
                             const QStringList& ownPrefixes);

private:
    struct Sampled
    {
        QString key;
        MemberIdentifiers member;
    };
    void complete(const QString& status, const QString& note, const QString& message);
    void skip(const QString& status, const QString& why, bool inMessage);
    void judge(const ProfilePage& page);
    void judged(const Status& recorded, const QString& caveat);
    void ownProperties(QSet<QString>* own, QStringList* prefixes) const;

    Workspace& m_ws;
    RequestScheduler* m_http;
    const Clock* m_clock;
    MixpanelClient& m_mixpanel;
    Mapping m_mapping;
    int m_sampleSize;
    qint64 m_runId = 0;
    bool m_prepared = false;
    bool m_ran = false;
    bool m_running = false;
    std::vector<Sampled> m_sample;
    EntryVerification m_result;
    QString m_note;
    bool m_landedNone = false; // no sampled key carries the value
    std::function<void()> m_done;
    Write m_write;
};

} // namespace lockstep
