// Tells a Customer.io merge from a real exit. A merge deletes the secondary person, whose
// key then leaves every segment as if it had exited; a lookup of the exiting members
// (POST /v1/customers/attributes, 100 a request) leaves out everyone Customer.io no longer
// knows. Those are reported as VanishedAfterMerge mismatches. The exits are removed from
// Mixpanel either way (the person is gone): the record only says why they left.
// The exits are looked up in a random order drawn from the run's id, so whatever part of
// them is looked up (a sample while the Customer.io key is busy, the cap) is a random
// sample, and the share that vanished is estimated from it with its interval.
#pragma once

#include "api/customerioclient.h"
#include "identity/identityresolver.h"
#include "members/memberset.h"
#include "util/sampling.h"
#include "util/syncerror.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>

namespace lockstep {

// How much of a run's exits to look up.
struct ExitCheckPlan
{
    int limit = 0;    // at most this many (0: none)
    int sample = 0;   // while the key is contended, stop once this many are looked up
    quint64 seed = 0; // the order of the lookups (the run's id: reproducible)
    // Whether other work waits for the same Customer.io key (null: never). Asked before
    // each lookup past the sample.
    std::function<bool()> contended;
};

struct ExitCheckResult
{
    enum class Extent
    {
        None,    // nothing looked up (no exits)
        All,     // every exit
        Sample,  // a random sample: the key was contended when the sample was out
        Cap,     // a random sample: over the exit check cap
        Stopped, // a lookup failed: what was looked up before stands
    };
    qint64 exits = 0;    // members who left the segment in this run
    qint64 checked = 0;  // of them, looked up (the rest were over the cap or not reached)
    qint64 vanished = 0; // of those checked, unknown to Customer.io
    Extent extent = Extent::None;
    QList<IdentityMismatch> mismatches; // one per vanished member
    SyncError error;                    // why the check stopped early, if it did

    // The share of the exits that vanished, estimated from those looked up.
    ShareEstimate estimate() const { return estimateShare(vanished, checked, exits); }
    // "all", "sample", "cap", "stopped"; "" for None.
    static QString extentName(Extent e);
    // One sentence for the run's message; empty when there is nothing to tell (no
    // exits, or all checked and none vanished). `recorded`: the mismatches were stored.
    QString summary(bool recorded) const;
};

class ExitCheck : public QObject
{
    Q_OBJECT
public:
    // `cio` must outlive the check. `identity` is the mapping's key: the exits' keys are
    // looked up as that kind of identifier (id, e-mail or cio_id).
    ExitCheck(CustomerIoClient& cio, IdentityKey identity, QObject* parent = nullptr);

    // Looks up the keys of up to `plan.limit` exits (indices into `previous`, the snapshot
    // they left) in the plan's random order, two requests queued at a time: the next one
    // waits in the scheduler for its token instead of for this thread to read the last
    // reply, and other mappings' paging on the same rate limit is never held up for long.
    // Past `plan.sample` exits it goes on only while the key is not contended. The keys
    // are copied: `previous` may go once this returns.
    // `done` runs once, later, unless the check is destroyed first.
    void start(const MemberSet& previous, const std::vector<uint32_t>& exited, ExitCheckPlan plan,
               std::function<void(const ExitCheckResult&)> done);
    bool isRunning() const { return m_running; }

private:
    static constexpr int kQueued = 2; // lookups handed to the scheduler at once
    void next();
    void onReply(const QStringList& asked, const Result<QSet<QString>>& found);
    IdentityMismatch mismatchFor(const QString& key) const;

    CustomerIoClient& m_cio;
    IdentityKey m_identity;
    QStringList m_keys; // in the order they are looked up
    ExitCheckPlan m_plan;
    qsizetype m_at = 0;
    int m_outstanding = 0;  // lookups sent, not answered
    bool m_sampled = false; // stopped at the sample: the key was contended
    bool m_running = false;
    ExitCheckResult m_result;
    std::function<void(const ExitCheckResult&)> m_done;
};

} // namespace lockstep
