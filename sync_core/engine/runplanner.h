// What one mapping run sends, decided without I/O: which keys go before the plan (new
// members while the segment is read; everyone on a full resync), and, once the members
// are diffed against the snapshot, the counts, the repairs of earlier runs' uncertain
// batches and the rest of the batches, cut to Mixpanel's request limits.
#pragma once

#include "batchbodies.h"
#include "members/memberset.h"
#include "store/records.h"
#include "store/snapshotstore.h"

#include <QList>

#include <string>
#include <vector>

namespace lockstep {

// The mass-exit safeguard: when a run's exits look like a broken read rather than people
// leaving (a partial read, a broken segment definition, an event that stopped flowing),
// the removes are held until an operator applies or discards them.
struct MassExitGuard
{
    static constexpr double kDefaultPercent = 30;
    static constexpr qint64 kEmptyMinimum = 100;

    // Exits past this share of the last synced size are held (percent; 0: no share limit).
    double sharePercent = kDefaultPercent;
    // A segment read empty where the last synced size was at least this is always held.
    qint64 emptyMinimum = kEmptyMinimum;
    // Keys an operator accepted (the held exits applied): sorted, distinct. They go
    // whatever the share; the other exits are judged without them.
    std::vector<std::string> accepted;
};

// Why a run holds its exits.
enum class HoldReason
{
    None,
    Share,        // more exits than the share allows
    EmptySegment, // the segment read empty
};
QString holdReasonName(HoldReason r); // "", "share", "empty_segment"

// The safeguard's judgement of `exits` (not accepted ones) against the last synced size.
HoldReason judgeExits(const MassExitGuard& guard, qint64 lastSize, qint64 segmentSize,
                      qint64 exits);

struct PlanOptions
{
    // Mixpanel takes at most 2000 updates (/engage) or events (/import) a request, and at
    // most 2 MB of events (/import, uncompressed); the profile updates are held to the same.
    static constexpr int kMaxUpdates = 2000;
    static constexpr qsizetype kMaxBodyBytes = 2 * 1024 * 1024;

    RunKind kind = RunKind::Incremental;
    int maxUpdates = kMaxUpdates;
    qsizetype maxBodyBytes = kMaxBodyBytes;
    BatchBodies bodies; // what each key costs in the batch's requests
    MassExitGuard massExit;
};

struct RunPlan
{
    qint64 entered = 0; // a full resync counts every member
    qint64 exited = 0;
    qint64 unchanged = 0;
    // Keys of earlier runs' uncertain batches sent again (and, on a full resync,
    // profiles that hold the value outside the segment and the snapshot): sorted, distinct.
    std::vector<std::string> repairAdds;
    std::vector<std::string> repairRemoves;
    // Exits the safeguard held (sorted): not sent, still in the cohort and the snapshot.
    HoldReason holdReason = HoldReason::None;
    std::vector<std::string> heldKeys;
    qint64 held = 0;     // heldKeys.size(), or what a dry run would hold
    qint64 accepted = 0; // exits sent because an operator accepted them
    // What is left to send: the streamed rest, the exits, then the repairs.
    QList<JournalBatch> batches;
};

class RunPlanner
{
public:
    explicit RunPlanner(PlanOptions options = {});

    const PlanOptions& options() const { return m_options; }
    // The exits an operator accepted (a held-exits row's keys, joined by '\n').
    void setAcceptedExits(const QByteArray& keys);
    // While reading: whether a key a page shows is sent before the plan.
    bool sendsEarly(bool inSnapshot) const
    {
        return m_options.kind == RunKind::Full ||
               (!inSnapshot && m_options.kind != RunKind::DryRun);
    }
    // Keys to send early (joined by '\n'): the full batches to journal and send now; the
    // short rest waits for more keys or for plan().
    QList<JournalBatch> stream(const QByteArray& keys, int count);
    int heldKeys() const { return m_heldCount; }

    // The counts alone (what a dry run reports): entered, exited, unchanged, and how many
    // exits would be held (`previous`: the acknowledged snapshot).
    RunPlan count(const MemberSet& previous, const MemberSet& current,
                  const MemberDiff& diff) const;
    // After the diff (`diff` of `current` against `previous`, the acknowledged snapshot).
    // `uncertain`: earlier runs' batches whose fate is unknown (SnapshotStore::uncertain).
    // `holders`: on a full resync, the keys Mixpanel says hold the value.
    RunPlan plan(const MemberSet& previous, const MemberSet& current, const MemberDiff& diff,
                 const QList<JournalBatch>& uncertain, const std::vector<std::string>& holders);

private:
    // Which exits go and which are held (indices into `previous`).
    struct ExitSplit
    {
        HoldReason reason = HoldReason::None;
        std::vector<uint32_t> send; // in the snapshot's order
        std::vector<uint32_t> hold;
        qint64 accepted = 0;
    };
    ExitSplit splitExits(const MemberSet& previous, const MemberSet& current,
                         const MemberDiff& diff) const;
    // Appends `key` to the batch being cut, closing it first when `key` would not fit.
    void push(QList<JournalBatch>& out, JournalBatch::Op op, std::string_view key);
    void close(QList<JournalBatch>& out);

    PlanOptions m_options;
    int m_nextSeq = 0;
    JournalBatch m_open;       // the batch being cut
    qsizetype m_openBytes = 2; // its largest body so far ('[' and ']')
    int m_heldCount = 0;       // streamed keys in m_open
};

} // namespace lockstep
