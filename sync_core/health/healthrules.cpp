#include "healthrules.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace lockstep {

namespace {

QString count(qint64 n)
{
    static const QLocale en(QLocale::English, QLocale::UnitedStates);
    return en.toString(n);
}

QString percent(double p)
{
    return QString::number(p, 'f', 1) + QLatin1Char('%');
}

QString duration(qint64 ms)
{
    const qint64 minutes = ms / 60000;
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 48)
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes % 60);
    return QStringLiteral("%1 days").arg(hours / 24);
}

QString quoted(const Mapping& m)
{
    const QString& name = m.cohortName.isEmpty() ? m.segmentName : m.cohortName;
    return QStringLiteral("“%1”").arg(name);
}

// First index whose time is >= t.
size_t firstAtOrAfter(std::span<const SizePoint> pts, qint64 t)
{
    return size_t(std::lower_bound(pts.begin(), pts.end(), t,
                                   [](const SizePoint& p, qint64 v) { return p.atMs < v; }) -
                  pts.begin());
}

HealthFinding finding(const HealthInput& in, const char* rule, AlertSeverity sev, QString msg,
                      double value)
{
    HealthFinding f;
    f.mappingId = in.mapping.id;
    f.rule = QString::fromLatin1(rule);
    f.severity = sev;
    f.message = std::move(msg);
    f.value = value;
    return f;
}

} // namespace

double medianOf(std::vector<qint64> v)
{
    if (v.empty())
        return 0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + qsizetype(mid), v.end());
    if (v.size() % 2)
        return double(v[mid]);
    const qint64 upper = v[mid];
    const qint64 lower = *std::max_element(v.begin(), v.begin() + qsizetype(mid));
    return (double(lower) + double(upper)) / 2.0;
}

std::optional<HealthFinding> checkSizeCollapse(const HealthInput& in, const HealthThresholds& t)
{
    if (in.points.size() < 2)
        return std::nullopt;
    const SizePoint& now = in.points.back();
    const size_t from = firstAtOrAfter(in.points, now.atMs - t.collapseMedianWindowMs);
    const size_t last = in.points.size() - 1;
    if (from >= last || int(last - from) < t.collapseMinPoints)
        return std::nullopt;
    std::vector<qint64> earlier;
    earlier.reserve(last - from);
    for (size_t i = from; i < last; ++i)
        earlier.push_back(in.points[i].segmentCount);
    const double median = medianOf(std::move(earlier));
    if (median < double(t.collapseMinBaseline))
        return std::nullopt;
    const double drop = 100.0 * (median - double(now.segmentCount)) / median;
    const QString figures = QStringLiteral("Segment %1 fell to %2 members from a recent median of "
                                           "%3 (−%4)")
                                .arg(quoted(in.mapping), count(now.segmentCount),
                                     count(qint64(std::llround(median))), percent(drop));
    if (now.segmentCount <= t.nearZeroCount)
        return finding(in, rule::kSizeCollapse, AlertSeverity::Critical,
                       figures + QStringLiteral(": it is near zero. An event may have stopped "
                                                "flowing into Customer.io, or the segment's "
                                                "conditions broke."),
                       drop);
    if (drop >= t.collapseDropPercent)
        return finding(in, rule::kSizeCollapse, AlertSeverity::Warning,
                       figures + QStringLiteral(": an event may have stopped flowing. Check the "
                                                "events the segment depends on."),
                       drop);
    return std::nullopt;
}

std::optional<HealthFinding> checkWeekOverWeek(const HealthInput& in, const HealthThresholds& t)
{
    if (in.points.size() < 2)
        return std::nullopt;
    const SizePoint& now = in.points.back();
    const qint64 target = now.atMs - 7 * HealthThresholds::kDayMs;
    // The point closest to exactly one week earlier, within the tolerance.
    const size_t i = firstAtOrAfter(in.points, target);
    const SizePoint* best = nullptr;
    for (size_t j : {i > 0 ? i - 1 : i, i}) {
        if (j >= in.points.size() - 1)
            continue;
        const SizePoint& p = in.points[j];
        if (std::abs(p.atMs - target) > t.wowToleranceMs)
            continue;
        if (!best || std::abs(p.atMs - target) < std::abs(best->atMs - target))
            best = &p;
    }
    if (!best || best->segmentCount <= 0)
        return std::nullopt;
    const qint64 delta = now.segmentCount - best->segmentCount;
    const double swing = 100.0 * double(delta) / double(best->segmentCount);
    if (std::abs(delta) < t.wowMinAbsolute || std::abs(swing) < t.wowSwingPercent)
        return std::nullopt;
    return finding(
        in, rule::kWeekOverWeek, AlertSeverity::Warning,
        QStringLiteral("Segment %1 %2 %3 week over week (%4 → %5 members). If no "
                       "campaign explains it, check the segment's data sources.")
            .arg(quoted(in.mapping), delta > 0 ? QStringLiteral("grew") : QStringLiteral("shrank"),
                 percent(std::abs(swing)), count(best->segmentCount), count(now.segmentCount)),
        swing);
}

std::optional<HealthFinding> checkChurn(const HealthInput& in, const HealthThresholds& t)
{
    if (in.points.size() < 2)
        return std::nullopt;
    const SizePoint& now = in.points.back();
    const size_t from = firstAtOrAfter(in.points, now.atMs - t.churnWindowMs);
    // A point's entered/exited are changes since the previous run, so the first point
    // of the window measured time before the window: count the ones after it.
    if (from + 1 >= in.points.size())
        return std::nullopt;
    qint64 moved = 0, entered = 0, exited = 0;
    double sizeSum = 0;
    for (size_t i = from; i < in.points.size(); ++i) {
        sizeSum += double(in.points[i].segmentCount);
        if (i == from)
            continue;
        entered += in.points[i].entered;
        exited += in.points[i].exited;
    }
    moved = entered + exited;
    const double mean = sizeSum / double(in.points.size() - from);
    if (mean < double(t.churnMinSize))
        return std::nullopt;
    const double ratio = double(moved) / (2.0 * mean);
    if (ratio < t.churnRatio)
        return std::nullopt;
    const qint64 days = std::max<qint64>(1, t.churnWindowMs / HealthThresholds::kDayMs);
    return finding(in, rule::kChurn, AlertSeverity::Warning,
                   QStringLiteral("Cohort %1 turned over %2 of its members in %3 days (%4 "
                                  "entered, %5 exited, mean size %6). Analyses over this cohort "
                                  "compare different people from day to day.")
                       .arg(quoted(in.mapping), percent(100.0 * ratio), QString::number(days),
                            count(entered), count(exited), count(qint64(std::llround(mean)))),
                   ratio);
}

std::optional<HealthFinding> checkStaleSync(const HealthInput& in, const HealthThresholds& t)
{
    if (in.mapping.paused || in.mapping.scheduleMinutes <= 0)
        return std::nullopt;
    const qint64 limitMs = qint64(double(in.mapping.scheduleMinutes) * 60000.0 * t.staleFactor);
    // A mapping that never succeeded is judged from when it was created.
    const qint64 since = in.lastSuccessMs > 0 ? in.lastSuccessMs : in.mapping.createdAt * 1000;
    if (since <= 0 || in.nowMs - since <= limitMs)
        return std::nullopt;
    QString msg = in.lastSuccessMs > 0
                      ? QStringLiteral("No successful sync of %1 for %2 (scheduled every %3 min).")
                            .arg(quoted(in.mapping), duration(in.nowMs - since),
                                 QString::number(in.mapping.scheduleMinutes))
                      : QStringLiteral("%1 has never synced successfully since it was created %2 "
                                       "ago (scheduled every %3 min).")
                            .arg(quoted(in.mapping), duration(in.nowMs - since),
                                 QString::number(in.mapping.scheduleMinutes));
    if (in.lastRun && in.lastRun->status != RunStatus::Succeeded && !in.lastRun->message.isEmpty())
        msg += QStringLiteral(" Last run %1: %2")
                   .arg(runStatusName(in.lastRun->status), in.lastRun->message);
    else
        msg += QStringLiteral(" Check that the scheduler (timer or console) is running.");
    return finding(in, rule::kStaleSync, AlertSeverity::Critical, msg,
                   double(in.nowMs - since) / 3600000.0);
}

std::optional<HealthFinding> checkSegmentNotReady(const HealthInput& in, const HealthThresholds& t)
{
    if (in.mapping.paused || in.mapping.scheduleMinutes <= 0 || in.notReadySinceMs <= 0)
        return std::nullopt;
    const qint64 limitMs = qint64(double(in.mapping.scheduleMinutes) * 60000.0 * t.notReadyFactor);
    const qint64 skippedFor = in.nowMs - in.notReadySinceMs;
    if (skippedFor <= limitMs)
        return std::nullopt;
    QString msg =
        QStringLiteral("%1 has not synced for %2: Customer.io segment %3 is still "
                       "building, so every run since is skipped (scheduled every %4 "
                       "min). Mixpanel keeps the cohort as of the last sync.")
            .arg(quoted(in.mapping), duration(skippedFor), QString::number(in.mapping.segmentId),
                 QString::number(in.mapping.scheduleMinutes));
    if (in.lastRun && in.lastRun->status == RunStatus::Skipped && !in.lastRun->message.isEmpty())
        msg += QStringLiteral(" Last run: %1.").arg(in.lastRun->message);
    msg += QStringLiteral(" Check the segment in Customer.io (a rebuild that never finishes).");
    return finding(in, rule::kSegmentNotReady, AlertSeverity::Warning, msg,
                   double(skippedFor) / 3600000.0);
}

std::optional<HealthFinding> checkDrift(const HealthInput& in, const HealthThresholds& t)
{
    auto it = std::find_if(in.points.rbegin(), in.points.rend(),
                           [](const SizePoint& p) { return p.verified(); });
    if (it == in.points.rend() || in.nowMs - it->atMs > t.driftMaxAgeMs)
        return std::nullopt;
    const SizePoint& p = *it;
    // Lockstep synced `syncedCount` keys; unmatched members are expected to be missing.
    const qint64 delta = p.mixpanelCount - p.syncedCount;
    const double pct = 100.0 * double(std::abs(delta)) / double(std::max<qint64>(1, p.syncedCount));
    if (std::abs(delta) < t.driftMinAbsolute || pct < t.driftPercent)
        return std::nullopt;
    return finding(in, rule::kDrift, AlertSeverity::Warning,
                   QStringLiteral("Mixpanel counts %1 members in cohort %2, Lockstep synced %3 "
                                  "(segment: %4): %5 %6 (%7). Check the cohort definition in "
                                  "Mixpanel, or run a full resync.")
                       .arg(count(p.mixpanelCount), quoted(in.mapping), count(p.syncedCount),
                            count(p.segmentCount), count(std::abs(delta)),
                            delta > 0 ? QStringLiteral("more") : QStringLiteral("fewer"),
                            percent(pct)),
                   pct);
}

std::optional<HealthFinding> checkMatchRate(const HealthInput& in, const HealthThresholds& t)
{
    if (in.points.empty())
        return std::nullopt;
    const SizePoint& p = in.points.back();
    if (p.segmentCount < t.matchRateMinSize)
        return std::nullopt;
    const qint64 unmatched = std::clamp<qint64>(p.mismatched, 0, p.segmentCount);
    const double rate = double(p.segmentCount - unmatched) / double(p.segmentCount);
    if (rate >= t.matchRateFloor)
        return std::nullopt;
    return finding(in, rule::kMatchRate, AlertSeverity::Warning,
                   QStringLiteral("Only %1 of the members of %2 could be matched to a Mixpanel "
                                  "key (%3 of %4 unmatched; floor %5). See the Identity page for "
                                  "the reasons.")
                       .arg(percent(100.0 * rate), quoted(in.mapping), count(unmatched),
                            count(p.segmentCount), percent(100.0 * t.matchRateFloor)),
                   rate);
}

namespace {
QString keyWords(IdentityKey k)
{
    switch (k) {
    case IdentityKey::Email:
        return QStringLiteral("e-mail addresses");
    case IdentityKey::Id:
        return QStringLiteral("Customer.io ids");
    case IdentityKey::CioId:
        return QStringLiteral("Customer.io cio_ids");
    }
    return {};
}

// Why the keys are unknown, from what the workspace itself knows: another mapping whose
// key Mixpanel does know is the strongest hint; otherwise what each key usually means.
QString likelyCause(const HealthInput& in, const HealthThresholds& t, bool critical)
{
    const KeyEvidence* best = nullptr;
    for (const KeyEvidence& e : in.otherKeys) {
        if (e.key == in.mapping.identity || e.verified <= 0 ||
            100.0 * e.unknownShare() >= t.unknownProfilesWarningPercent)
            continue;
        if (!best || e.unknownShare() < best->unknownShare() ||
            (e.unknownShare() == best->unknownShare() && e.verified > best->verified))
            best = &e;
    }
    const QString sends = keyWords(in.mapping.identity);
    if (best)
        return QStringLiteral("Likely cause: this mapping sends %1 as the Mixpanel key, while "
                              "Mixpanel knows these people by their %2: mapping “%3”, keyed by "
                              "%2, found %4 of %5 unknown (%6). Use the key Mixpanel uses (a new "
                              "version of this mapping).")
            .arg(sends, identityKeyName(best->key), best->cohortName, count(best->unknown),
                 count(best->verified), percent(100.0 * best->unknownShare()));
    QString cause;
    switch (in.mapping.identity) {
    case IdentityKey::Email:
        cause = QStringLiteral("Likely cause: this mapping sends e-mail addresses, while Mixpanel "
                               "knows these people by another identifier (usually the id the "
                               "product tracks them with as distinct_id). Check which identifier "
                               "Mixpanel's profiles use.");
        break;
    case IdentityKey::CioId:
        cause = QStringLiteral("Likely cause: this mapping sends Customer.io's cio_id, which "
                               "Mixpanel knows only if the product tracks it; Mixpanel may know "
                               "these people by id or e-mail.");
        break;
    case IdentityKey::Id:
        cause = QStringLiteral("Likely cause: Mixpanel knows these people by another identifier "
                               "than their id (e.g. e-mail), or has not seen them yet (no events "
                               "tracked for them).");
        break;
    }
    if (!critical)
        cause =
            QStringLiteral("Some may be people Mixpanel has not seen yet (new sign-ups). ") + cause;
    return cause;
}
} // namespace

std::optional<HealthFinding> checkUnknownProfiles(const HealthInput& in, const HealthThresholds& t)
{
    if (!in.lastVerifiedRun)
        return std::nullopt;
    // Switched to another key (a new version) and retired: it writes no more ghosts, and
    // its cohort is no longer the one reports use.
    if (in.mapping.paused && !in.newerVersion.isEmpty())
        return std::nullopt;
    const EntryVerification& v = in.lastVerifiedRun->verification;
    if (v.status != QLatin1String("verified") || v.verified <= 0)
        return std::nullopt;
    const double share = 100.0 * v.unknownShare();
    const bool critical = share >= t.unknownProfilesCriticalPercent;
    if (!critical && share < t.unknownProfilesWarningPercent)
        return std::nullopt;
    const QString when = QDateTime::fromMSecsSinceEpoch(in.lastVerifiedRun->finishedAtMs, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    const QString found =
        QStringLiteral("%1 of the %2 entered keys of %3 looked up in Mixpanel after the run of %4 "
                       "are unknown to it (%5): Mixpanel had no profile for them, or only what "
                       "Lockstep wrote. The cohort's value sits on ghost profiles that no report "
                       "joins with real activity.")
            .arg(count(v.unknown), count(v.verified), quoted(in.mapping), when, percent(share));
    return finding(in, rule::kUnknownProfiles,
                   critical ? AlertSeverity::Critical : AlertSeverity::Warning,
                   found + QLatin1Char(' ') + likelyCause(in, t, critical), share);
}

std::optional<HealthFinding> checkDefinitionChanged(const HealthInput& in, const HealthThresholds&)
{
    if (in.segmentUpdatedAt <= 0 || in.baselineUpdatedAt <= 0 ||
        in.segmentUpdatedAt <= in.baselineUpdatedAt)
        return std::nullopt;
    const QString when = QDateTime::fromSecsSinceEpoch(in.segmentUpdatedAt, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    return finding(
        in, rule::kDefinitionChanged, AlertSeverity::Info,
        QStringLiteral("Segment “%1” was edited in Customer.io on %2, after version %3 "
                       "of this cohort began: trend lines will shift. Consider a new "
                       "cohort version, e.g. “%4”.")
            .arg(in.mapping.segmentName.isEmpty() ? in.mapping.cohortName : in.mapping.segmentName,
                 when, QString::number(in.mapping.version),
                 nextCohortVersionName(in.mapping.cohortName, in.mapping.version)),
        double(in.segmentUpdatedAt - in.baselineUpdatedAt));
}

std::optional<HealthFinding> checkMassExit(const HealthInput& in, const HealthThresholds&)
{
    if (!in.heldExits || in.heldExits->state != HeldExits::State::Held)
        return std::nullopt;
    const HeldExits& h = *in.heldExits;
    const QString why =
        h.reason == QLatin1String("empty_segment")
            ? QStringLiteral("the segment read empty")
            : QStringLiteral("more than the %1 the mapping allows").arg(percent(h.sharePercent));
    return finding(
        in, rule::kMassExit, AlertSeverity::Critical,
        QStringLiteral("Run %1 held %2 exits of %3: %4 of the %5 last synced, %6 (%7 members "
                       "read). Nobody was removed from the Mixpanel cohort. If the segment "
                       "really lost them, apply the exits (Health page, or `lockstep sync "
                       "--mapping %8 --accept-exits`); if the read or the segment definition "
                       "is broken, discard them and fix the segment.")
            .arg(QString::number(h.runId), count(h.exitCount), quoted(in.mapping),
                 percent(h.exitPercent()), count(h.lastSize), why, count(h.segmentCount),
                 QString::number(in.mapping.id)),
        double(h.exitCount));
}

std::span<const NamedHealthRule> mappingHealthRules()
{
    static const NamedHealthRule rules[] = {
        {rule::kStaleSync, &checkStaleSync},
        {rule::kSegmentNotReady, &checkSegmentNotReady},
        {rule::kSizeCollapse, &checkSizeCollapse},
        {rule::kWeekOverWeek, &checkWeekOverWeek},
        {rule::kChurn, &checkChurn},
        {rule::kDrift, &checkDrift},
        {rule::kMatchRate, &checkMatchRate},
        {rule::kMassExit, &checkMassExit},
        {rule::kUnknownProfiles, &checkUnknownProfiles},
        {rule::kDefinitionChanged, &checkDefinitionChanged},
    };
    return rules;
}

std::vector<HealthFinding> evaluateHealth(const HealthInput& in, const HealthThresholds& t)
{
    std::vector<HealthFinding> out;
    for (const NamedHealthRule& r : mappingHealthRules())
        if (auto f = r.check(in, t))
            out.push_back(std::move(*f));
    return out;
}

QString nextCohortVersionName(const QString& cohortName, int currentVersion)
{
    static const QRegularExpression suffix(QStringLiteral("\\s*\\|\\s*[vV](\\d+)\\s*$"));
    const QRegularExpressionMatch m = suffix.match(cohortName);
    if (m.hasMatch()) {
        const int next = std::max(m.captured(1).toInt(), currentVersion) + 1;
        return cohortName.left(m.capturedStart()) + QStringLiteral(" | v%1").arg(next);
    }
    return cohortName.trimmed() + QStringLiteral(" | v%1").arg(std::max(1, currentVersion) + 1);
}

} // namespace lockstep
