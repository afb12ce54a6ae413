// Exits the mass-exit safeguard held instead of sending: one row per hold, kept until an
// operator applies it (`sync --accept-exits`, the console's Apply), discards it (the
// members stay in the cohort) or a later run decides the mapping's exits again.
#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace lockstep {

class Workspace;

struct HeldExits
{
    enum class State
    {
        Held,
        Applied,
        Discarded,
        Superseded
    };
    static QString stateName(State s); // "held", "applied", "discarded", "superseded"
    static std::optional<State> parseState(const QString& s);

    qint64 id = 0;
    qint64 mappingId = 0;
    qint64 runId = 0; // the run that held them
    qint64 heldAtMs = 0;
    QString reason;          // "share" or "empty_segment" (holdReasonName)
    qint64 lastSize = 0;     // the synced size the exits were judged against
    qint64 segmentCount = 0; // members the run read
    qint64 exitCount = 0;    // exits held
    double sharePercent = 0; // the share in force (0: only the empty-segment rule)
    QByteArray keys;         // sorted, joined by '\n' (empty unless loaded)
    QStringList sample;      // the first keys, for a person to look at
    State state = State::Held;
    qint64 decidedAtMs = 0;
    QString decidedBy;
    qint64 decidedRunId = 0; // the run that applied them

    double exitPercent() const { return lastSize > 0 ? 100.0 * double(exitCount) / lastSize : 0; }
};

class HeldExitStore
{
public:
    static constexpr int kSampleKeys = 20;

    explicit HeldExitStore(Workspace& ws) : m_ws(ws) {}

    // Records a hold (its keys included), superseding the mapping's earlier one. Call it
    // inside the transaction that journals the run's batches.
    Status hold(const HeldExits& held);
    // The mapping's pending hold is moot: run `runId` decided its exits again (and held
    // none). Inside the journal's transaction too.
    Status supersede(qint64 mappingId, qint64 runId);
    // Run `runId` sent the pending hold's exits, as an operator asked.
    Status markApplied(qint64 heldId, qint64 runId, const QString& by, qint64 atMs);
    // Keeps the members: the hold is closed, nothing is sent. Refused when `heldId` is not
    // the mapping's pending hold any more (a later run or another console decided).
    Status discard(qint64 mappingId, qint64 heldId, const QString& by, qint64 atMs);

    enum class Keys
    {
        None,
        Sample, // the first kSampleKeys
        All,
    };
    // The mapping's pending hold, if any.
    Result<std::optional<HeldExits>> pending(qint64 mappingId, Keys keys = Keys::None);
    // Every pending hold, newest first, with a sample of keys each.
    Result<QList<HeldExits>> pendingAll();
    // The mapping's holds, newest first (without keys).
    Result<QList<HeldExits>> history(qint64 mappingId, int limit = 50);

private:
    Result<QList<HeldExits>> select(const QString& where, const QVariantList& binds, Keys keys,
                                    int limit);
    Workspace& m_ws;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::HeldExits)
