#include "runperf.h"

#include <QFile>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPerf, "lockstep.perf", QtWarningMsg)

namespace lockstep {

void RunPerf::mark(qint64 runId, const char* phase) const
{
    if (!lcPerf().isDebugEnabled())
        return;
    // Resident memory now and at its peak (Linux), next to the time: where a run's
    // memory goes, phase by phase.
    QString rss;
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:"))
                rss += QString::fromLatin1(line.simplified()) + QLatin1Char(' ');
    qCDebug(lcPerf).noquote() << "run" << runId << phase << "at" << m_elapsed.elapsed() << "ms"
                              << rss;
}

} // namespace lockstep
