#pragma once
// Counters per route and a bounded request log, read through GET /_sandbox/stats so
// tests can assert how many requests of each kind were made and at what rate.

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QString>

#include <deque>

namespace lockstep::sandbox {

struct LogEntry
{
    qint64 timeMs = 0; // epoch milliseconds when the request arrived
    qint64 durationMs = 0;
    QByteArray method;
    QByteArray host; // the Host header: which service address the client meant
    QString path;
    QString route;
    int status = 0; // 0: no status (hang or reset)
    qint64 updates = 0;
    QString fault;
};

struct RouteCounters
{
    qint64 requests = 0;
    QMap<QString, qint64> statuses; // "200" -> n; "reset", "hang" for faults without status
};

class RequestLog
{
public:
    void record(const LogEntry& entry);
    void countEngage(QLatin1StringView op, qint64 n) { m_operators[QString(op)] += n; }
    // `dropped`: updates with a token of another project (answered, never applied).
    void addEngage(qint64 received, qint64 accepted, qint64 failed, qint64 dropped = 0);
    void addImport(qint64 received, qint64 imported, qint64 deduplicated, qint64 failed);
    void reset();
    // Counters plus at most `logLimit` most recent entries (all when < 0) since `sinceMs`.
    QByteArray toJson(qint64 logLimit, qint64 sinceMs) const;

private:
    static constexpr std::size_t kMaxEntries = 200000;
    std::deque<LogEntry> m_entries;
    QMap<QString, RouteCounters> m_routes;
    QMap<QString, qint64> m_operators;
    qint64 m_engageReceived = 0, m_engageAccepted = 0, m_engageFailed = 0, m_engageDropped = 0;
    qint64 m_importReceived = 0, m_importImported = 0, m_importDeduplicated = 0, m_importFailed = 0;
};

} // namespace lockstep::sandbox
