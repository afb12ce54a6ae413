#include "backgroundwriter.h"

#include "workspace.h"

#include <QMetaObject>
#include <QPointer>

namespace lockstep {

class BackgroundWriter::Worker : public QObject
{
public:
    explicit Worker(QString location) : m_location(std::move(location)) {}

    Status run(const Job& job)
    {
        if (!m_ws) {
            auto ws = Workspace::open(m_location);
            if (!ws)
                return ws.error(); // tried again by the next job
            m_ws = std::move(*ws);
            // Like the engine's own connection: the log is copied into the database
            // between runs (EngineWorker), not when a big write commits.
            m_ws->deferCheckpoints();
        }
        return job(*m_ws);
    }

    void close() { m_ws.reset(); }

private:
    QString m_location;
    std::unique_ptr<Workspace> m_ws;
};

BackgroundWriter::BackgroundWriter(QString location) : m_worker(new Worker(std::move(location)))
{
    m_thread.setObjectName(QStringLiteral("lockstep-writer"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

BackgroundWriter::~BackgroundWriter()
{
    // Queued after every submitted job: they finish first, then the connection closes
    // in the thread that opened it.
    // (quit() from here would leave the jobs still queued unrun.)
    Worker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            worker->close();
            delete worker;
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
}

void BackgroundWriter::submit(Job job, QObject* context, std::function<void(const Status&)> done)
{
    Worker* worker = m_worker;
    QObject* home = &m_home;
    // The context is only looked at in its own thread (via m_home, which lives there).
    QPointer<QObject> target(context);
    QMetaObject::invokeMethod(
        worker,
        [worker, home, job = std::move(job), target, done = std::move(done)] {
            const Status st = worker->run(job);
            QMetaObject::invokeMethod(
                home,
                [target, done, st] {
                    if (target && done)
                        done(st);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace lockstep
