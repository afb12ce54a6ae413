#include "latencymonitor.h"

#include "health/alertstore.h"
#include "store/workspace.h"
#include "truststore.h"

#include <QSet>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace lockstep {

std::optional<qint64> LatencyMonitor::quantile(std::vector<Sample> samples, double q)
{
    qint64 total = 0;
    for (const Sample& s : samples)
        total += std::max<qint64>(0, s.weight);
    if (total == 0)
        return std::nullopt;
    std::sort(samples.begin(), samples.end(),
              [](const Sample& a, const Sample& b) { return a.latencyMs < b.latencyMs; });
    // Nearest rank: the first value whose cumulative weight reaches ceil(q * total).
    const qint64 rank = std::max<qint64>(1, qint64(std::ceil(q * double(total))));
    qint64 seen = 0;
    for (const Sample& s : samples) {
        seen += std::max<qint64>(0, s.weight);
        if (seen >= rank)
            return s.latencyMs;
    }
    return samples.back().latencyMs;
}

Result<LatencyReport> LatencyMonitor::report(qint64 mappingId, int recentRuns)
{
    LatencyReport r;
    r.mappingId = mappingId;
    auto expectation = TrustStore(m_ws).latencyExpectationMinutes(mappingId);
    if (!expectation)
        return expectation.error();
    r.expectationMinutes = *expectation;
    // Newest runs first; batches written before the timing columns existed read 0.
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT run_id, size, acked_at_ms - planned_at_ms FROM journal_batches WHERE mapping_id=? "
        "AND planned_at_ms > 0 AND acked_at_ms >= planned_at_ms AND state IN ('acked','applied') "
        "ORDER BY run_id DESC LIMIT 20000"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the batch timings"); !st)
        return st.error();
    std::vector<Sample> samples;
    QSet<qint64> runs;
    while (q.next()) {
        const qint64 run = q.value(0).toLongLong();
        if (!runs.contains(run)) {
            if (runs.size() >= recentRuns)
                break;
            runs.insert(run);
        }
        samples.push_back(Sample{q.value(2).toLongLong(), q.value(1).toLongLong()});
        r.changes += q.value(1).toLongLong();
    }
    r.runs = int(runs.size());
    r.medianMs = quantile(samples, 0.5);
    r.p95Ms = quantile(samples, 0.95);
    r.maxMs = quantile(samples, 1.0);
    return r;
}

Result<LatencyReport> LatencyMonitor::evaluate(qint64 mappingId, int recentRuns)
{
    auto r = report(mappingId, recentRuns);
    if (!r)
        return r;
    std::vector<HealthFinding> findings;
    if (r->exceeded()) {
        HealthFinding f;
        f.mappingId = mappingId;
        f.rule = QString::fromLatin1(rule::kLatency);
        f.severity = AlertSeverity::Warning;
        f.value = double(*r->p95Ms) / 60000.0;
        f.message =
            QStringLiteral(
                "Sync latency is above the documented expectation: 95% of changes reached "
                "Mixpanel within %1 min (median %2 min), the expectation is %3 min. "
                "Analyses that read this cohort soon after a change may miss people; "
                "check the schedule and the Mixpanel rate limits, or update the expectation.")
                .arg(QString::number(*r->p95Ms / 60000.0, 'f', 1),
                     QString::number(r->medianMs.value_or(0) / 60000.0, 'f', 1),
                     QString::number(r->expectationMinutes));
        findings.push_back(f);
    }
    if (auto st = AlertStore(m_ws, m_clock)
                      .reconcile(mappingId, {QString::fromLatin1(rule::kLatency)}, findings);
        !st)
        return st.error();
    return r;
}

} // namespace lockstep
