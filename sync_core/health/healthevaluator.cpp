#include "healthevaluator.h"

#include "alertstore.h"
#include "sizehistory.h"
#include "store/heldexits.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QVariant>

#include <algorithm>

namespace lockstep {

qint64 HealthEvaluator::historyNeededMs() const
{
    return std::max({m_t.collapseMedianWindowMs, m_t.churnWindowMs,
                     7 * HealthThresholds::kDayMs + m_t.wowToleranceMs, m_t.driftMaxAgeMs}) +
           1;
}

Result<qint64> HealthEvaluator::baselineFor(const Mapping& m, qint64 segmentUpdatedAt)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT version, segment_updated_at FROM health_baselines WHERE mapping_id=?"));
    q.addBindValue(m.id);
    if (auto st = Workspace::exec(q, "cannot read the segment baseline"); !st)
        return st.error();
    if (q.next() && q.value(0).toInt() == m.version)
        return q.value(1).toLongLong();
    // First sight of this cohort version: what the segment looks like now is its baseline.
    if (segmentUpdatedAt <= 0)
        return qint64(0);
    QSqlQuery del = m_ws.query(QStringLiteral("DELETE FROM health_baselines WHERE mapping_id=?"));
    del.addBindValue(m.id);
    if (auto st = Workspace::exec(del, "cannot record the segment baseline"); !st)
        return st.error();
    QSqlQuery ins = m_ws.query(QStringLiteral(
        "INSERT INTO health_baselines (mapping_id, version, segment_updated_at) VALUES (?,?,?)"));
    ins.addBindValue(m.id);
    ins.addBindValue(m.version);
    ins.addBindValue(segmentUpdatedAt);
    if (auto st = Workspace::exec(ins, "cannot record the segment baseline"); !st)
        return st.error();
    return segmentUpdatedAt;
}

Result<QList<KeyEvidence>> HealthEvaluator::keyEvidence()
{
    auto mappings = MappingRepository(m_ws).list();
    if (!mappings)
        return mappings.error();
    RunRepository runs(m_ws);
    QList<KeyEvidence> out;
    for (const Mapping& m : *mappings) {
        auto run = runs.lastVerified(m.id);
        if (!run)
            return run.error();
        if (!*run)
            continue;
        const EntryVerification& v = (*run)->verification;
        out.append({m.id, m.cohortName, m.identity, v.verified, v.unknown});
    }
    return out;
}

Result<std::vector<HealthFinding>> HealthEvaluator::evaluate(const Mapping& m)
{
    auto evidence = keyEvidence();
    if (!evidence)
        return evidence.error();
    return evaluate(m, *evidence);
}

Result<std::vector<HealthFinding>> HealthEvaluator::evaluate(const Mapping& m,
                                                             const QList<KeyEvidence>& evidence)
{
    SizeHistory history(m_ws);
    auto lastAt = history.lastAt(m.id);
    if (!lastAt)
        return lastAt.error();
    std::vector<SizePoint> points;
    if (*lastAt > 0) {
        auto w = history.window(m.id, *lastAt - historyNeededMs(), *lastAt + 1);
        if (!w)
            return w.error();
        points = std::move(*w);
    }

    RunRepository runs(m_ws);
    auto last = runs.last(m.id);
    if (!last)
        return last.error();

    // A dry run sends nothing: it is no sync.
    QSqlQuery ok =
        m_ws.query(QStringLiteral("SELECT MAX(finished_at) FROM runs WHERE mapping_id=? AND "
                                  "status='succeeded' AND kind<>'dry_run'"));
    ok.addBindValue(m.id);
    if (auto st = Workspace::exec(ok, "cannot read the run history"); !st)
        return st.error();
    const qint64 lastSuccess = ok.next() ? ok.value(0).toLongLong() : 0;

    // Runs are only skipped when the segment is still building; a succeeded or partial
    // run found it ready, which ends the streak.
    QSqlQuery skipped = m_ws.query(QStringLiteral(
        "SELECT MIN(started_at) FROM runs WHERE mapping_id=? AND status='skipped' AND id > "
        "COALESCE((SELECT MAX(id) FROM runs WHERE mapping_id=? AND status IN "
        "('succeeded','partial')), 0)"));
    skipped.addBindValue(m.id);
    skipped.addBindValue(m.id);
    if (auto st = Workspace::exec(skipped, "cannot read the run history"); !st)
        return st.error();
    const qint64 notReadySince = skipped.next() ? skipped.value(0).toLongLong() : 0;

    // snapshot_meta.segment_updated_at is what the engine last read from Customer.io.
    QSqlQuery meta = m_ws.query(
        QStringLiteral("SELECT segment_updated_at FROM snapshot_meta WHERE mapping_id=?"));
    meta.addBindValue(m.id);
    if (auto st = Workspace::exec(meta, "cannot read the snapshot state"); !st)
        return st.error();
    const qint64 segmentUpdatedAt = meta.next() ? meta.value(0).toLongLong() : 0;
    auto baseline = baselineFor(m, segmentUpdatedAt);
    if (!baseline)
        return baseline.error();
    auto verified = runs.lastVerified(m.id);
    if (!verified)
        return verified.error();
    QSqlQuery newer = m_ws.query(
        QStringLiteral("SELECT cohort_name FROM mappings WHERE deleted=0 AND segment_id=? AND "
                       "version>? AND id<>? ORDER BY version DESC LIMIT 1"));
    newer.addBindValue(m.segmentId);
    newer.addBindValue(m.version);
    newer.addBindValue(m.id);
    if (auto st = Workspace::exec(newer, "cannot read the mapping's versions"); !st)
        return st.error();
    auto held = HeldExitStore(m_ws).pending(m.id);
    if (!held)
        return held.error();

    HealthInput in;
    in.mapping = m;
    in.points = points;
    in.lastRun = *last;
    in.lastSuccessMs = lastSuccess;
    in.nowMs = m_clock.nowMs();
    in.segmentUpdatedAt = segmentUpdatedAt;
    in.baselineUpdatedAt = *baseline;
    in.notReadySinceMs = notReadySince;
    in.lastVerifiedRun = *verified;
    in.newerVersion = newer.next() ? newer.value(0).toString() : QString();
    in.heldExits = *held;
    for (const KeyEvidence& e : evidence)
        if (e.mappingId != m.id)
            in.otherKeys.append(e);
    return evaluateHealth(in, m_thresholdsFor ? m_thresholdsFor(m) : m_t);
}

Result<std::vector<HealthFinding>> HealthEvaluator::evaluateAndStore(const Mapping& m)
{
    auto evidence = keyEvidence();
    if (!evidence)
        return evidence.error();
    return evaluateAndStore(m, *evidence);
}

Result<std::vector<HealthFinding>>
HealthEvaluator::evaluateAndStore(const Mapping& m, const QList<KeyEvidence>& evidence)
{
    auto findings = evaluate(m, evidence);
    if (!findings)
        return findings;
    QStringList rules;
    for (const NamedHealthRule& r : mappingHealthRules())
        rules.append(QString::fromLatin1(r.id));
    AlertStore alerts(m_ws, m_clock);
    if (auto st = alerts.reconcile(m.id, rules, *findings); !st)
        return st.error();
    return findings;
}

Result<std::vector<HealthFinding>> HealthEvaluator::evaluateAll()
{
    auto mappings = MappingRepository(m_ws).list();
    if (!mappings)
        return mappings.error();
    auto evidence = keyEvidence();
    if (!evidence)
        return evidence.error();
    std::vector<HealthFinding> all;
    for (const Mapping& m : *mappings) {
        auto f = evaluateAndStore(m, *evidence);
        if (!f)
            return f.error();
        all.insert(all.end(), f->begin(), f->end());
    }
    return all;
}

} // namespace lockstep
