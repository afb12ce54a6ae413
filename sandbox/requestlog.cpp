#include "requestlog.h"

#include "jsonwriter.h"

namespace lockstep::sandbox {

void RequestLog::record(const LogEntry& entry)
{
    RouteCounters& c = m_routes[entry.route];
    ++c.requests;
    ++c.statuses[entry.status ? QString::number(entry.status) : entry.fault];
    m_entries.push_back(entry);
    if (m_entries.size() > kMaxEntries)
        m_entries.pop_front();
}

void RequestLog::addEngage(qint64 received, qint64 accepted, qint64 failed, qint64 dropped)
{
    m_engageReceived += received;
    m_engageAccepted += accepted;
    m_engageFailed += failed;
    m_engageDropped += dropped;
}

void RequestLog::addImport(qint64 received, qint64 imported, qint64 deduplicated, qint64 failed)
{
    m_importReceived += received;
    m_importImported += imported;
    m_importDeduplicated += deduplicated;
    m_importFailed += failed;
}

void RequestLog::reset()
{
    *this = RequestLog();
}

QByteArray RequestLog::toJson(qint64 logLimit, qint64 sinceMs) const
{
    QByteArray out;
    out.append("{\"routes\":{");
    bool first = true;
    for (auto it = m_routes.begin(); it != m_routes.end(); ++it) {
        if (!first)
            out.append(',');
        first = false;
        json::appendString(out, it.key());
        out.append(":{\"requests\":" + QByteArray::number(it->requests) + ",\"statuses\":{");
        bool f2 = true;
        for (auto s = it->statuses.begin(); s != it->statuses.end(); ++s) {
            if (!f2)
                out.append(',');
            f2 = false;
            json::appendString(out, s.key());
            out.append(':' + QByteArray::number(s.value()));
        }
        out.append("}}");
    }
    out.append("},\"engage\":{\"updates\":" + QByteArray::number(m_engageReceived) +
               ",\"accepted\":" + QByteArray::number(m_engageAccepted) +
               ",\"failed\":" + QByteArray::number(m_engageFailed) +
               ",\"dropped\":" + QByteArray::number(m_engageDropped) + ",\"operators\":{");
    first = true;
    for (auto it = m_operators.begin(); it != m_operators.end(); ++it) {
        if (!first)
            out.append(',');
        first = false;
        json::appendString(out, it.key());
        out.append(':' + QByteArray::number(it.value()));
    }
    out.append("}},\"import\":{\"events\":" + QByteArray::number(m_importReceived) +
               ",\"imported\":" + QByteArray::number(m_importImported) +
               ",\"deduplicated\":" + QByteArray::number(m_importDeduplicated) +
               ",\"failed\":" + QByteArray::number(m_importFailed) + "},\"log\":[");
    std::size_t start = 0;
    if (logLimit >= 0 && std::size_t(logLimit) < m_entries.size())
        start = m_entries.size() - std::size_t(logLimit);
    first = true;
    for (std::size_t i = start; i < m_entries.size(); ++i) {
        const LogEntry& e = m_entries[i];
        if (e.timeMs < sinceMs)
            continue;
        if (!first)
            out.append(',');
        first = false;
        out.append("{\"t_ms\":" + QByteArray::number(e.timeMs) +
                   ",\"duration_ms\":" + QByteArray::number(e.durationMs) + ",\"method\":");
        json::appendString(out, e.method);
        out.append(",\"host\":");
        json::appendString(out, e.host);
        out.append(",\"path\":");
        json::appendString(out, e.path);
        out.append(",\"route\":");
        json::appendString(out, e.route);
        out.append(",\"status\":" + QByteArray::number(e.status) +
                   ",\"updates\":" + QByteArray::number(e.updates));
        if (!e.fault.isEmpty()) {
            out.append(",\"fault\":");
            json::appendString(out, e.fault);
        }
        out.append('}');
    }
    out.append("]}");
    return out;
}

} // namespace lockstep::sandbox
