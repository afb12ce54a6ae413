// Sends one run's journaled batches to Mixpanel, several in flight: the profile updates
// and then, when the mapping sends them, the membership events (a batch is answered when
// both are in). An acknowledged batch is recorded in the journal through the owner's
// writer; until it is, it counts as unsent, and a process that dies resends it.
#pragma once

#include "batchbodies.h"
#include "store/snapshotstore.h"
#include "util/result.h"

#include <QList>
#include <QObject>

#include <deque>
#include <functional>

namespace lockstep {

class MixpanelClient;
class Workspace;

class BatchSender : public QObject
{
    Q_OBJECT
public:
    // Runs `job` on the owner's writer; `then` gets its status in this thread.
    using Write = std::function<void(std::function<Status(Workspace&)> job,
                                     std::function<void(const Status&)> then)>;

    BatchSender(MixpanelClient& mixpanel, SnapshotStore& snapshots, int concurrency,
                QObject* parent = nullptr);

    // Before the first batch: whose batches, how their bodies are built, where acks go.
    void setRun(qint64 runId, qint64 mappingId, BatchBodies bodies);
    void setWrite(Write write) { m_write = std::move(write); }
    // After each answer (counts updated), and after each acknowledgement is recorded.
    void setNotify(std::function<void()> answered, std::function<void()> recorded);

    void enqueue(QList<JournalBatch> batches);
    // Sends queued batches while fewer than the concurrency are in flight.
    void send();
    // Forgets the queue (the journal keeps it); call once the counts are taken.
    void clear() { m_queue.clear(); }

    int inFlight() const { return m_inFlight; }
    qint64 planned() const { return m_planned; }              // updates queued so far
    qint64 answered() const { return m_answered; }            // acknowledged by Mixpanel
    qint64 recorded() const { return m_recorded; }            // ... and recorded
    qint64 failed() const { return m_failed; }                // refused, failed, or not recorded
    qint64 unsent() const;                                    // queued, never sent
    int batchesPlanned() const { return m_batchesPlanned; }   // batches queued so far
    int batchesRecorded() const { return m_batchesRecorded; } // ... acknowledged, recorded
    const SyncError& firstError() const { return m_firstError; }
    // An error that the next batches would repeat (credentials, a missing project, a
    // journal that cannot be written): nothing more should be sent.
    bool halted() const { return m_halted; }

private:
    void onAnswer(const JournalBatch& batch, const Status& status);
    void noteError(const SyncError& error);

    MixpanelClient& m_mixpanel;
    SnapshotStore& m_snapshots;
    int m_concurrency;
    qint64 m_runId = 0;
    qint64 m_mappingId = 0;
    BatchBodies m_bodies;
    Write m_write;
    std::function<void()> m_answeredNotify;
    std::function<void()> m_recordedNotify;
    std::deque<JournalBatch> m_queue;
    int m_inFlight = 0;
    qint64 m_planned = 0; // a key streamed twice counts twice
    qint64 m_answered = 0;
    qint64 m_recorded = 0;
    qint64 m_failed = 0;
    int m_batchesPlanned = 0;
    int m_batchesRecorded = 0;
    SyncError m_firstError;
    bool m_halted = false;
};

} // namespace lockstep
