// Bulk writes of a run (its identity mismatches, its snapshot: tens of megabytes for a
// million members) on a second connection to the same workspace, in a thread of their
// own. The engine's thread keeps its event loop meanwhile, so the requests it paces
// (Customer.io lookups, Mixpanel batches) are not held up behind a write.
//
// Jobs run one at a time in the order they were submitted. A job's `done` is called in
// the thread of its `context`, and not at all if the context is gone by then. The
// destructor finishes every job already submitted: a write is never dropped half-way.
#pragma once

#include "util/result.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

namespace lockstep {

class Workspace;

class BackgroundWriter
{
public:
    using Job = std::function<Status(Workspace&)>;

    // `location` as for Workspace::open(); opened in the writer's thread on first use.
    explicit BackgroundWriter(QString location);
    ~BackgroundWriter();
    BackgroundWriter(const BackgroundWriter&) = delete;
    BackgroundWriter& operator=(const BackgroundWriter&) = delete;

    void submit(Job job, QObject* context, std::function<void(const Status&)> done);

private:
    class Worker;
    QObject m_home; // in the caller's thread: where results come back before `done`
    QThread m_thread;
    Worker* m_worker = nullptr; // lives in m_thread
};

} // namespace lockstep
