#include "batchsender.h"

#include "api/mixpanelclient.h"
#include "util/clock.h"

#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcSync) // mappingrun.cpp

namespace lockstep {

BatchSender::BatchSender(MixpanelClient& mixpanel, SnapshotStore& snapshots, int concurrency,
                         QObject* parent)
    : QObject(parent), m_mixpanel(mixpanel), m_snapshots(snapshots), m_concurrency(concurrency)
{}

void BatchSender::setRun(qint64 runId, qint64 mappingId, BatchBodies bodies)
{
    m_runId = runId;
    m_mappingId = mappingId;
    m_bodies = std::move(bodies);
}

void BatchSender::setNotify(std::function<void()> answered, std::function<void()> recorded)
{
    m_answeredNotify = std::move(answered);
    m_recordedNotify = std::move(recorded);
}

void BatchSender::enqueue(QList<JournalBatch> batches)
{
    for (JournalBatch& b : batches) {
        m_planned += b.size;
        ++m_batchesPlanned;
        m_queue.push_back(std::move(b));
    }
}

qint64 BatchSender::unsent() const
{
    qint64 n = 0;
    for (const JournalBatch& b : m_queue)
        n += b.size;
    return n;
}

void BatchSender::send()
{
    while (m_inFlight < m_concurrency && !m_queue.empty()) {
        const JournalBatch batch = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_inFlight;
        QPointer<BatchSender> self(this);
        m_mixpanel.engage(m_bodies.engage(batch), [self, batch](Status st) {
            if (!self)
                return;
            // Membership events go after the profile update; the batch is acknowledged
            // only when both are in.
            if (!st.ok() || !self->m_bodies.sendsEvents())
                return self->onAnswer(batch, st);
            self->m_mixpanel.importEvents(self->m_bodies.events(batch),
                                          [self, batch](Status events) {
                                              if (self)
                                                  self->onAnswer(batch, events);
                                          });
        });
    }
}

void BatchSender::noteError(const SyncError& error)
{
    if (!m_firstError.isError())
        m_firstError = error;
}

void BatchSender::onAnswer(const JournalBatch& batch, const Status& status)
{
    --m_inFlight;
    if (status.ok()) {
        m_answered += batch.size;
        // Recorded by the writer, in order behind the run's other writes: this thread goes
        // on sending meanwhile.
        const qint64 runId = m_runId;
        const qint64 mappingId = m_mappingId;
        const qint64 atMs = Clock::system()->nowMs();
        const int size = batch.size;
        m_write(
            [runId, mappingId, batch, atMs](Workspace& ws) {
                return SnapshotStore(ws).acknowledge(runId, mappingId, batch, atMs);
            },
            [this, size](const Status& st) {
                if (!st) {
                    // Mixpanel has it but we could not record it: the next run resends it.
                    m_failed += size;
                    noteError(st.error());
                    m_halted = true;
                } else {
                    m_recorded += size;
                    ++m_batchesRecorded;
                }
                m_recordedNotify();
            });
    } else {
        const SyncError& e = status.error();
        m_failed += batch.size;
        noteError(e);
        if (e.category != SyncError::Category::Cancelled)
            (void)m_snapshots.fail(m_runId, batch.seq, e.toString());
        // Credentials or project problems will not get better batch by batch.
        if (e.category == SyncError::Category::Auth || e.category == SyncError::Category::NotFound)
            m_halted = true;
        qCWarning(lcSync) << "batch" << batch.seq << "of run" << m_runId
                          << "failed:" << e.toString();
    }
    m_answeredNotify();
}

} // namespace lockstep
