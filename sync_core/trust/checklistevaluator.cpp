#include "checklistevaluator.h"

#include "audit/namechecker.h"
#include "health/stability.h"
#include "truststore.h"

#include <QDateTime>
#include <QJsonArray>

namespace lockstep {

namespace {
QString when(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString day(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd"));
}

QString percent(double p)
{
    return QString::number(p, 'f', p < 10 ? 1 : 0) + QStringLiteral(" %");
}

// "median daily churn 3.2 % over 12 days to 2026-05-01"
QString churnWords(double median, int days, qint64 toMs)
{
    return QStringLiteral("median daily churn %1 over %2 days to %3")
        .arg(percent(median), QString::number(days), day(toMs));
}

// A person's name: one line, no surrounding space, not empty.
QString personName(const QString& s)
{
    return s.simplified();
}
} // namespace

QJsonObject ChecklistEvaluator::stabilityFingerprint(const Mapping& m)
{
    QJsonObject f = trustFingerprint(m);
    f.insert(QStringLiteral("segment_id"), m.segmentId);
    return f;
}

Result<QString> ChecklistEvaluator::currentStabilityReviewer(Workspace& ws, const Mapping& m)
{
    auto history =
        TrustStore(ws).history(m.id, QString::fromLatin1(trustkind::kStabilityReview), 20);
    if (!history)
        return history.error();
    const QJsonObject fingerprint = stabilityFingerprint(m);
    for (const TrustCheckRecord& r : *history)
        if (r.result.value(QLatin1String("fingerprint")).toObject() == fingerprint)
            return r.result.value(QLatin1String("by")).toString();
    return QString();
}

Result<TrustCheckRecord> ChecklistEvaluator::reviewStability(const Mapping& m, const QString& by,
                                                             qint64 atMs)
{
    const QString who = personName(by);
    if (who.isEmpty())
        return SyncError::make(SyncError::Category::Usage,
                               QStringLiteral("a stability review needs the reviewer's name"));
    auto measure = readStability(m_ws, m.id);
    if (!measure)
        return measure.error();
    const StabilityMeasure& s = *measure;
    TrustCheckRecord rec;
    rec.mappingId = m.id;
    rec.kind = QString::fromLatin1(trustkind::kStabilityReview);
    rec.atMs = atMs;
    rec.passed = s.enough() && s.medianChurnPercent <= m_rules.stabilityChurnPercent;
    rec.summary = QStringLiteral("%1 reviewed: %2 (at most %3 is stable)")
                      .arg(who, churnWords(s.medianChurnPercent, s.days, s.toMs),
                           percent(m_rules.stabilityChurnPercent));
    QJsonArray daily;
    for (double d : s.dailyChurnPercent)
        daily.append(d);
    rec.result = QJsonObject{{QStringLiteral("by"), who},
                             {QStringLiteral("median_churn_percent"), s.medianChurnPercent},
                             {QStringLiteral("days"), s.days},
                             {QStringLiteral("window_days"), StabilityMeasure::kWindowDays},
                             {QStringLiteral("from_ms"), s.fromMs},
                             {QStringLiteral("to_ms"), s.toMs},
                             {QStringLiteral("daily_churn_percent"), daily},
                             {QStringLiteral("threshold_percent"), m_rules.stabilityChurnPercent},
                             {QStringLiteral("fingerprint"), stabilityFingerprint(m)}};
    auto id = TrustStore(m_ws).record(rec);
    if (!id)
        return id.error();
    rec.id = *id;
    return rec;
}

Result<ChecklistItem> ChecklistEvaluator::stabilityItem(const Mapping& m)
{
    ChecklistItem item{QString::fromLatin1(checklistitem::kSegmentStabilityReviewed),
                       QStringLiteral("Segment stability reviewed"),
                       false,
                       {}};
    const QString threshold = percent(m_rules.stabilityChurnPercent);
    const QString howTo = QStringLiteral("review it with `lockstep mapping set %1 "
                                         "--stability-reviewed-by NAME`")
                              .arg(m.id);
    auto history =
        TrustStore(m_ws).history(m.id, QString::fromLatin1(trustkind::kStabilityReview), 20);
    if (!history)
        return history.error();
    const QJsonObject fingerprint = stabilityFingerprint(m);
    bool stale = false;
    for (const TrustCheckRecord& r : *history) {
        if (r.result.value(QLatin1String("fingerprint")).toObject() != fingerprint) {
            stale = true;
            continue;
        }
        const double median = r.result.value(QLatin1String("median_churn_percent")).toDouble();
        const int days = r.result.value(QLatin1String("days")).toInt();
        const QString who = r.result.value(QLatin1String("by")).toString();
        const QString seen =
            churnWords(median, days, r.result.value(QLatin1String("to_ms")).toInteger());
        // Judged against the threshold as it is now, not as it was at the review.
        if (days < StabilityMeasure::kMinDays) {
            item.evidence = QStringLiteral("reviewed by %1 on %2 with too little history: %3 "
                                           "(needs %4 days); %5 again later")
                                .arg(who, when(r.atMs), seen,
                                     QString::number(StabilityMeasure::kMinDays), howTo);
        } else if (median > m_rules.stabilityChurnPercent) {
            item.evidence = QStringLiteral("reviewed by %1 on %2: %3, above the %4 a stable "
                                           "segment stays under; is its definition right?")
                                .arg(who, when(r.atMs), seen, threshold);
        } else {
            item.done = true;
            item.evidence = QStringLiteral("reviewed by %1 on %2: %3 (at most %4)")
                                .arg(who, when(r.atMs), seen, threshold);
        }
        return item;
    }
    auto now = readStability(m_ws, m.id);
    if (!now)
        return now.error();
    const QString measured =
        now->days > 0
            ? QStringLiteral("%1 (at most %2 is stable)")
                  .arg(churnWords(now->medianChurnPercent, now->days, now->toMs), threshold)
            : QStringLiteral("no churn measured yet (at most %1 is stable)").arg(threshold);
    item.evidence = (stale ? QStringLiteral("only reviewed before the mapping changed; now ")
                           : QStringLiteral("not reviewed; ")) +
                    measured + QStringLiteral("; ") + howTo;
    return item;
}

Result<RolloutChecklist> ChecklistEvaluator::evaluate(const Mapping& m)
{
    RolloutChecklist list;
    list.mappingId = m.id;
    TrustStore store(m_ws);
    const QJsonObject fingerprint = trustFingerprint(m);

    // The newest check of a kind still made with the mapping as it is now.
    auto evidence = [&](const char* kind, const QString& title, const QString& key,
                        const QString& howTo) -> Result<ChecklistItem> {
        ChecklistItem item{key, title, false, {}};
        auto history = store.history(m.id, QString::fromLatin1(kind), 20);
        if (!history)
            return history.error();
        bool stale = false;
        for (const TrustCheckRecord& r : *history) {
            if (r.result.value(QLatin1String("fingerprint")).toObject() != fingerprint) {
                stale = true;
                continue;
            }
            item.done = r.passed;
            item.failed = !r.passed;
            item.evidence = QStringLiteral("%1 on %2: %3")
                                .arg(r.passed ? QStringLiteral("passed") : QStringLiteral("failed"),
                                     when(r.atMs), r.summary);
            if (!r.passed)
                item.evidence += QStringLiteral("; ") + howTo;
            return item;
        }
        item.evidence =
            stale ? QStringLiteral("only checked before the mapping changed; ") + howTo : howTo;
        return item;
    };

    const QString id = QString::number(m.id);
    auto spot =
        evidence(trustkind::kSpotCheck, QStringLiteral("Identity key verified on real people"),
                 QString::fromLatin1(checklistitem::kIdentityVerified),
                 QStringLiteral("run `lockstep spot-check --mapping %1`").arg(id));
    if (!spot)
        return spot.error();
    list.items.append(*spot);
    auto rehearsal = evidence(
        trustkind::kRehearsal, QStringLiteral("Rehearsal on a test segment passed"),
        QString::fromLatin1(checklistitem::kRehearsalPassed),
        QStringLiteral("run `lockstep rehearse --mapping %1 --test-segment ID --cleanup`").arg(id));
    if (!rehearsal)
        return rehearsal.error();
    list.items.append(*rehearsal);

    ChecklistItem name{QString::fromLatin1(checklistitem::kNameConvention),
                       QStringLiteral("Name follows the convention"),
                       false,
                       {}};
    auto checker = NameChecker::create(m_rules.naming);
    if (!checker) {
        name.evidence =
            QStringLiteral("the naming convention does not parse: %1").arg(checker.error().message);
    } else {
        const NameCheck check = checker->check(m.cohortName);
        name.done = check.ok();
        QStringList problems;
        for (const NameProblem& p : check.problems)
            problems.append(p.message);
        name.evidence =
            check.ok()
                ? QStringLiteral("\"%1\" matches %2").arg(m.cohortName, m_rules.naming.pattern)
                : problems.join(QStringLiteral("; ")) +
                      (check.suggestion.isEmpty()
                           ? QString()
                           : QStringLiteral(" (suggested: \"%1\")").arg(check.suggestion));
    }
    list.items.append(name);

    auto person = [&](const char* key, const QString& title, const QString& value,
                      const QString& missing, const QString& flag) {
        const QString v = personName(value);
        return ChecklistItem{
            QString::fromLatin1(key), title, !v.isEmpty(),
            v.isEmpty()
                ? QStringLiteral("%1 (`lockstep mapping set %2 %3 NAME`)").arg(missing, id, flag)
                : v};
    };
    list.items.append(person(checklistitem::kSegmentOwnerSet, QStringLiteral("Segment owner set"),
                             m.owner, QStringLiteral("no segment owner: who edits the segment?"),
                             QStringLiteral("--segment-owner")));
    list.items.append(person(checklistitem::kHealthMonitorSet, QStringLiteral("Health monitor set"),
                             m.healthMonitor,
                             QStringLiteral("no health monitor: who answers this cohort's alerts?"),
                             QStringLiteral("--health-monitor")));
    list.items.append(ChecklistItem{
        QString::fromLatin1(checklistitem::kDecisionSet), QStringLiteral("Decision set"),
        !m.decision.trimmed().isEmpty(),
        m.decision.trimmed().isEmpty() ? QStringLiteral("no decision: what does this cohort drive?")
                                       : m.decision.trimmed()});

    auto expectation = store.latencyExpectationMinutes(m.id);
    if (!expectation)
        return expectation.error();
    list.items.append(ChecklistItem{
        QString::fromLatin1(checklistitem::kLatencyExpectationSet),
        QStringLiteral("Latency expectation documented"), *expectation > 0,
        *expectation > 0
            ? QStringLiteral("changes reach Mixpanel within %1 min").arg(*expectation)
            : QStringLiteral("run `lockstep latency --mapping %1 --expect MINUTES`").arg(id)});

    auto stability = stabilityItem(m);
    if (!stability)
        return stability.error();
    list.items.append(*stability);

    ChecklistItem report{QString::fromLatin1(checklistitem::kReportingPlanSet),
                         QStringLiteral("Reporting plan"),
                         m.reportPlanCurrent(),
                         {}};
    if (m.reportUrl.trimmed().isEmpty()) {
        report.evidence = QStringLiteral("no report: which Mixpanel board or report uses this "
                                         "cohort? (`lockstep mapping set %1 --report-url URL`)")
                              .arg(id);
    } else {
        report.url = m.reportUrl.trimmed();
        report.evidence = report.done
                              ? report.url
                              : QStringLiteral("%1 was set for “%2”; the cohort is now “%3”: "
                                               "point the report at it, then set the URL again")
                                    .arg(report.url, m.reportCohort, m.cohortName);
    }
    list.items.append(report);

    auto cohort =
        evidence(trustkind::kCohortDefinition, QStringLiteral("Mixpanel cohort definition created"),
                 QString::fromLatin1(checklistitem::kCohortDefinitionCreated),
                 QStringLiteral("create the cohort in Mixpanel (%1), then run `lockstep checklist "
                                "--mapping %2`")
                     .arg(m.cohortDefinition(), id));
    if (!cohort)
        return cohort.error();
    list.items.append(*cohort);
    return list;
}

} // namespace lockstep
