// Phase timings of a run with its resident memory, for developers and bench/engine
// (QT_LOGGING_RULES="lockstep.perf.debug=true"); silent and free otherwise.
#pragma once

#include <QElapsedTimer>

namespace lockstep {

class RunPerf
{
public:
    void start() { m_elapsed.start(); }
    void mark(qint64 runId, const char* phase) const;

private:
    QElapsedTimer m_elapsed;
};

} // namespace lockstep
