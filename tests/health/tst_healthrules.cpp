// Every health rule as a pure function: rows that must fire it and rows that must not.
#include "health/healthrules.h"

#include <QLocale>
#include <QTest>

using namespace lockstep;

namespace {

constexpr qint64 kDay = HealthThresholds::kDayMs;
constexpr qint64 kHour = 3600 * 1000;
constexpr qint64 kNow = 1'767'225'600'000; // 2026-01-01

Mapping mapping()
{
    Mapping m;
    m.id = 7;
    m.segmentId = 42;
    m.segmentName = QStringLiteral("Lapsed buyers");
    m.cohortName = QStringLiteral("CIO | Winback | 30d");
    m.scheduleMinutes = 60;
    m.createdAt = (kNow - 365 * kDay) / 1000;
    return m;
}

// Points `step` apart, the last one at kNow.
std::vector<SizePoint> series(const QList<qint64>& sizes, qint64 step = kDay)
{
    std::vector<SizePoint> out;
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        SizePoint p;
        p.runId = i + 1;
        p.atMs = kNow - (sizes.size() - 1 - i) * step;
        p.segmentCount = sizes[i];
        p.syncedCount = sizes[i];
        out.push_back(p);
    }
    return out;
}

HealthInput input(const std::vector<SizePoint>& pts)
{
    HealthInput in;
    in.mapping = mapping();
    in.points = pts;
    in.nowMs = kNow;
    in.lastSuccessMs = kNow;
    return in;
}

QList<qint64> repeat(qint64 v, int n)
{
    return QList<qint64>(n, v);
}

} // namespace

class TestHealthRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sizeCollapse_data()
    {
        QTest::addColumn<QList<qint64>>("sizes");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<double>("dropPercent");
        QTest::addColumn<int>("expected"); // -1 none, else AlertSeverity

        const int none = -1, warn = int(AlertSeverity::Warning),
                  crit = int(AlertSeverity::Critical);
        QTest::newRow("near zero")
            << QList<qint64>{1000, 1000, 1000, 1000, 3} << kDay << 50.0 << crit;
        QTest::newRow("exactly zero") << QList<qint64>{500, 520, 480, 0} << kDay << 50.0 << crit;
        QTest::newRow("drop 60%") << QList<qint64>{1000, 1010, 990, 1000, 400} << kDay << 50.0
                                  << warn;
        QTest::newRow("drop 40% is fine")
            << QList<qint64>{1000, 1000, 1000, 1000, 600} << kDay << 50.0 << none;
        QTest::newRow("drop 40% with threshold 30")
            << QList<qint64>{1000, 1000, 1000, 1000, 600} << kDay << 30.0 << warn;
        QTest::newRow("growth is not collapse")
            << QList<qint64>{1000, 1000, 1000, 5000} << kDay << 50.0 << none;
        QTest::newRow("tiny cohort") << QList<qint64>{30, 30, 30, 30, 0} << kDay << 50.0 << none;
        QTest::newRow("too few earlier points")
            << QList<qint64>{1000, 1000, 2} << kDay << 50.0 << none;
        QTest::newRow("baseline outside window")
            << QList<qint64>{1000, 1000, 1000, 1000, 2} << 10 * kDay << 50.0 << none;
        QTest::newRow("median ignores one spike")
            << QList<qint64>{1000, 1000, 90000, 1000, 900} << kDay << 50.0 << none;
        QTest::newRow("hourly points")
            << repeat(2000, 48) + QList<qint64>{700} << kHour << 50.0 << warn;
    }
    void sizeCollapse()
    {
        QFETCH(QList<qint64>, sizes);
        QFETCH(qint64, step);
        QFETCH(double, dropPercent);
        QFETCH(int, expected);
        HealthThresholds t;
        t.collapseDropPercent = dropPercent;
        const auto pts = series(sizes, step);
        const auto f = checkSizeCollapse(input(pts), t);
        QCOMPARE(f.has_value(), expected >= 0);
        if (f) {
            QCOMPARE(int(f->severity), expected);
            QCOMPARE(f->rule, QStringLiteral("size_collapse"));
            QCOMPARE(f->mappingId, 7);
            QVERIFY2(f->message.contains(QStringLiteral("CIO | Winback | 30d")),
                     qPrintable(f->message));
            QVERIFY2(f->message.contains(QStringLiteral("stopped flowing")),
                     qPrintable(f->message));
        }
    }

    void weekOverWeek_data()
    {
        QTest::addColumn<QList<qint64>>("sizes");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<bool>("fires");
        QTest::newRow("shrank 40%") << repeat(1000, 7) + QList<qint64>{600} << kDay << true;
        QTest::newRow("grew 50%") << repeat(1000, 7) + QList<qint64>{1500} << kDay << true;
        QTest::newRow("20% is fine") << repeat(1000, 7) + QList<qint64>{1200} << kDay << false;
        QTest::newRow("small absolute change")
            << repeat(100, 7) + QList<qint64>{140} << kDay << false;
        QTest::newRow("no point a week ago") << QList<qint64>{1000, 1000, 300} << kDay << false;
        QTest::newRow("8 days apart within tolerance")
            << QList<qint64>{1000, 600} << 8 * kDay << true;
        QTest::newRow("10 days apart outside tolerance")
            << QList<qint64>{1000, 600} << 10 * kDay << false;
        QTest::newRow("compares to a week ago, not yesterday")
            << QList<qint64>{1000, 700, 700, 700, 700, 700, 700, 1000} << kDay << false;
    }
    void weekOverWeek()
    {
        QFETCH(QList<qint64>, sizes);
        QFETCH(qint64, step);
        QFETCH(bool, fires);
        const auto pts = series(sizes, step);
        const auto f = checkWeekOverWeek(input(pts), HealthThresholds{});
        QCOMPARE(f.has_value(), fires);
        if (f)
            QVERIFY(f->message.contains(QStringLiteral("week over week")));
    }

    void churn_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("enteredPerRun");
        QTest::addColumn<qint64>("exitedPerRun");
        QTest::addColumn<int>("runs");
        QTest::addColumn<double>("ratio");
        QTest::addColumn<bool>("fires");
        QTest::newRow("70% turnover")
            << qint64(1000) << qint64(100) << qint64(100) << 8 << 0.5 << true;
        QTest::newRow("7% turnover")
            << qint64(1000) << qint64(10) << qint64(10) << 8 << 0.5 << false;
        QTest::newRow("7% with a low threshold")
            << qint64(1000) << qint64(10) << qint64(10) << 8 << 0.05 << true;
        QTest::newRow("small cohort")
            << qint64(20) << qint64(20) << qint64(20) << 8 << 0.5 << false;
        QTest::newRow("single point")
            << qint64(1000) << qint64(1000) << qint64(0) << 1 << 0.5 << false;
    }
    void churn()
    {
        QFETCH(qint64, size);
        QFETCH(qint64, enteredPerRun);
        QFETCH(qint64, exitedPerRun);
        QFETCH(int, runs);
        QFETCH(double, ratio);
        QFETCH(bool, fires);
        auto pts = series(repeat(size, runs));
        for (SizePoint& p : pts) {
            p.entered = enteredPerRun;
            p.exited = exitedPerRun;
        }
        HealthThresholds t;
        t.churnRatio = ratio;
        const auto f = checkChurn(input(pts), t);
        QCOMPARE(f.has_value(), fires);
    }
    void churnSkipsInitialLoad()
    {
        // The first run enters everyone; it measured time before the window.
        auto pts = series({1000, 1000});
        pts[0].entered = 1000;
        pts[1].entered = 5;
        pts[1].exited = 5;
        QVERIFY(!checkChurn(input(pts), HealthThresholds{}));
    }

    void staleSync_data()
    {
        QTest::addColumn<int>("schedule");
        QTest::addColumn<bool>("paused");
        QTest::addColumn<qint64>("successAgoMin"); // -1 = never
        QTest::addColumn<qint64>("createdAgoMin");
        QTest::addColumn<double>("factor");
        QTest::addColumn<bool>("fires");
        QTest::newRow("121 min > 2x60")
            << 60 << false << qint64(121) << qint64(10000) << 2.0 << true;
        QTest::newRow("119 min") << 60 << false << qint64(119) << qint64(10000) << 2.0 << false;
        QTest::newRow("paused") << 60 << true << qint64(5000) << qint64(10000) << 2.0 << false;
        QTest::newRow("never, created 3 h ago")
            << 60 << false << qint64(-1) << qint64(180) << 2.0 << true;
        QTest::newRow("never, created 1 h ago")
            << 60 << false << qint64(-1) << qint64(60) << 2.0 << false;
        QTest::newRow("factor 3") << 60 << false << qint64(150) << qint64(10000) << 3.0 << false;
        QTest::newRow("daily schedule, 30 h")
            << 1440 << false << qint64(30 * 60) << qint64(100000) << 2.0 << false;
        QTest::newRow("daily schedule, 49 h")
            << 1440 << false << qint64(49 * 60) << qint64(100000) << 2.0 << true;
    }
    void staleSync()
    {
        QFETCH(int, schedule);
        QFETCH(bool, paused);
        QFETCH(qint64, successAgoMin);
        QFETCH(qint64, createdAgoMin);
        QFETCH(double, factor);
        QFETCH(bool, fires);
        const auto pts = series({100});
        HealthInput in = input(pts);
        in.mapping.scheduleMinutes = schedule;
        in.mapping.paused = paused;
        in.mapping.createdAt = (kNow - createdAgoMin * 60000) / 1000;
        in.lastSuccessMs = successAgoMin < 0 ? 0 : kNow - successAgoMin * 60000;
        RunRecord failed;
        failed.status = RunStatus::Failed;
        failed.message = QStringLiteral("Customer.io answered 401");
        in.lastRun = failed;
        HealthThresholds t;
        t.staleFactor = factor;
        const auto f = checkStaleSync(in, t);
        QCOMPARE(f.has_value(), fires);
        if (f) {
            QCOMPARE(f->severity, AlertSeverity::Critical);
            QVERIFY2(f->message.contains(QStringLiteral("401")), qPrintable(f->message));
        }
    }

    void segmentNotReady_data()
    {
        QTest::addColumn<int>("schedule");
        QTest::addColumn<bool>("paused");
        QTest::addColumn<qint64>("skippedForMin"); // -1 = no run skipped since the last ready one
        QTest::addColumn<double>("factor");
        QTest::addColumn<bool>("fires");
        QTest::newRow("121 min > 2x60") << 60 << false << qint64(121) << 2.0 << true;
        QTest::newRow("exactly 2x60") << 60 << false << qint64(120) << 2.0 << false;
        QTest::newRow("one skipped run") << 60 << false << qint64(0) << 2.0 << false;
        QTest::newRow("nothing skipped") << 60 << false << qint64(-1) << 2.0 << false;
        QTest::newRow("paused") << 60 << true << qint64(600) << 2.0 << false;
        QTest::newRow("factor 3") << 60 << false << qint64(150) << 3.0 << false;
        QTest::newRow("factor 1") << 60 << false << qint64(61) << 1.0 << true;
        QTest::newRow("15 min schedule, 31 min") << 15 << false << qint64(31) << 2.0 << true;
        QTest::newRow("daily schedule, 30 h") << 1440 << false << qint64(30 * 60) << 2.0 << false;
        QTest::newRow("daily schedule, 49 h") << 1440 << false << qint64(49 * 60) << 2.0 << true;
    }
    void segmentNotReady()
    {
        QFETCH(int, schedule);
        QFETCH(bool, paused);
        QFETCH(qint64, skippedForMin);
        QFETCH(double, factor);
        QFETCH(bool, fires);
        const auto pts = series({100});
        HealthInput in = input(pts);
        in.mapping.scheduleMinutes = schedule;
        in.mapping.paused = paused;
        in.notReadySinceMs = skippedForMin < 0 ? 0 : kNow - skippedForMin * 60000;
        RunRecord skipped;
        skipped.status = RunStatus::Skipped;
        skipped.message =
            QStringLiteral("segment 42 is still building (40% done, state build); not synced");
        in.lastRun = skipped;
        HealthThresholds t;
        t.notReadyFactor = factor;
        const auto f = checkSegmentNotReady(in, t);
        QCOMPARE(f.has_value(), fires);
        if (f) {
            QCOMPARE(f->rule, QStringLiteral("segment_not_ready"));
            QCOMPARE(f->severity, AlertSeverity::Warning);
            QCOMPARE(f->mappingId, 7);
            QVERIFY2(f->message.contains(QStringLiteral("segment 42 is still building")),
                     qPrintable(f->message));
            QVERIFY2(f->message.contains(QStringLiteral("40% done")), qPrintable(f->message));
            QCOMPARE(f->value, double(skippedForMin) / 60.0);
        }
    }

    void drift_data()
    {
        QTest::addColumn<qint64>("synced");
        QTest::addColumn<qint64>("mixpanel");
        QTest::addColumn<qint64>("agoHours");
        QTest::addColumn<bool>("fires");
        QTest::newRow("10% fewer") << qint64(1000) << qint64(900) << qint64(1) << true;
        QTest::newRow("10% more") << qint64(1000) << qint64(1100) << qint64(1) << true;
        QTest::newRow("1%") << qint64(1000) << qint64(990) << qint64(1) << false;
        QTest::newRow("unverified") << qint64(1000) << qint64(-1) << qint64(1) << false;
        QTest::newRow("5% but only 5 members") << qint64(100) << qint64(95) << qint64(1) << false;
        QTest::newRow("verified 3 days ago") << qint64(1000) << qint64(500) << qint64(72) << false;
        QTest::newRow("Mixpanel empty") << qint64(1000) << qint64(0) << qint64(1) << true;
    }
    void drift()
    {
        QFETCH(qint64, synced);
        QFETCH(qint64, mixpanel);
        QFETCH(qint64, agoHours);
        QFETCH(bool, fires);
        auto pts = series({synced + 50});
        pts[0].syncedCount = synced;
        pts[0].mixpanelCount = mixpanel;
        pts[0].atMs = kNow - agoHours * kHour;
        const auto f = checkDrift(input(pts), HealthThresholds{});
        QCOMPARE(f.has_value(), fires);
    }
    void driftUsesNewestVerifiedPoint()
    {
        auto pts = series({1000, 1000, 1000});
        pts[0].mixpanelCount = 500; // old mismatch, since fixed
        pts[1].mixpanelCount = 1000;
        QVERIFY(!checkDrift(input(pts), HealthThresholds{}));
        pts[1].mixpanelCount = 700;
        QVERIFY(checkDrift(input(pts), HealthThresholds{}));
    }

    void matchRate_data()
    {
        QTest::addColumn<qint64>("segment");
        QTest::addColumn<qint64>("mismatched");
        QTest::addColumn<double>("floor");
        QTest::addColumn<bool>("fires");
        QTest::newRow("90%") << qint64(1000) << qint64(100) << 0.95 << true;
        QTest::newRow("99%") << qint64(1000) << qint64(10) << 0.95 << false;
        QTest::newRow("exactly the floor") << qint64(1000) << qint64(50) << 0.95 << false;
        QTest::newRow("just below") << qint64(1000) << qint64(51) << 0.95 << true;
        QTest::newRow("tiny segment") << qint64(10) << qint64(5) << 0.95 << false;
        QTest::newRow("90% with floor 0.8") << qint64(1000) << qint64(100) << 0.8 << false;
    }
    void matchRate()
    {
        QFETCH(qint64, segment);
        QFETCH(qint64, mismatched);
        QFETCH(double, floor);
        QFETCH(bool, fires);
        auto pts = series({segment});
        pts[0].mismatched = mismatched;
        HealthThresholds t;
        t.matchRateFloor = floor;
        const auto f = checkMatchRate(input(pts), t);
        QCOMPARE(f.has_value(), fires);
        if (f)
            QVERIFY(f->message.contains(QStringLiteral("Identity")));
    }

    void definitionChanged_data()
    {
        QTest::addColumn<qint64>("baseline");
        QTest::addColumn<qint64>("current");
        QTest::addColumn<bool>("fires");
        QTest::newRow("moved") << qint64(1'700'000'000) << qint64(1'700'086'400) << true;
        QTest::newRow("same") << qint64(1'700'000'000) << qint64(1'700'000'000) << false;
        QTest::newRow("no baseline") << qint64(0) << qint64(1'700'000'000) << false;
        QTest::newRow("unknown now") << qint64(1'700'000'000) << qint64(0) << false;
        QTest::newRow("older than baseline")
            << qint64(1'700'000'000) << qint64(1'600'000'000) << false;
    }
    void definitionChanged()
    {
        QFETCH(qint64, baseline);
        QFETCH(qint64, current);
        QFETCH(bool, fires);
        const auto pts = series({100});
        HealthInput in = input(pts);
        in.baselineUpdatedAt = baseline;
        in.segmentUpdatedAt = current;
        const auto f = checkDefinitionChanged(in, HealthThresholds{});
        QCOMPARE(f.has_value(), fires);
        if (f)
            QVERIFY2(f->message.contains(QStringLiteral("CIO | Winback | 30d | v2")),
                     qPrintable(f->message));
    }

    void unknownProfiles_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("verified");
        QTest::addColumn<int>("unknown");
        QTest::addColumn<double>("warning");
        QTest::addColumn<double>("critical");
        QTest::addColumn<int>("expected"); // -1 none, else AlertSeverity

        const int none = -1, warn = int(AlertSeverity::Warning),
                  crit = int(AlertSeverity::Critical);
        const QString ok = QStringLiteral("verified");
        QTest::newRow("none unknown") << ok << 1000 << 0 << 5.0 << 50.0 << none;
        QTest::newRow("4.9% is below the warning") << ok << 1000 << 49 << 5.0 << 50.0 << none;
        QTest::newRow("5% warns") << ok << 1000 << 50 << 5.0 << 50.0 << warn;
        QTest::newRow("49.9% warns") << ok << 1000 << 499 << 5.0 << 50.0 << warn;
        QTest::newRow("50% is critical") << ok << 1000 << 500 << 5.0 << 50.0 << crit;
        QTest::newRow("all unknown") << ok << 1000 << 1000 << 5.0 << 50.0 << crit;
        QTest::newRow("thresholds from the settings") << ok << 1000 << 49 << 4.0 << 4.5 << crit;
        QTest::newRow("a skipped check says nothing")
            << QStringLiteral("skipped") << 0 << 0 << 5.0 << 50.0 << none;
        QTest::newRow("a failed check says nothing")
            << QStringLiteral("failed") << 1000 << 900 << 5.0 << 50.0 << none;
    }

    void unknownProfiles()
    {
        QFETCH(QString, status);
        QFETCH(int, verified);
        QFETCH(int, unknown);
        QFETCH(double, warning);
        QFETCH(double, critical);
        QFETCH(int, expected);
        HealthThresholds t;
        t.unknownProfilesWarningPercent = warning;
        t.unknownProfilesCriticalPercent = critical;
        const auto pts = series(repeat(1000, 3));
        HealthInput in = input(pts);
        QVERIFY(!checkUnknownProfiles(in, t)); // never verified
        RunRecord run;
        run.id = 3;
        run.mappingId = in.mapping.id;
        run.status = RunStatus::Succeeded;
        run.finishedAtMs = kNow;
        run.verification.status = status;
        run.verification.entered = 1200;
        run.verification.verified = verified;
        run.verification.unknown = unknown;
        in.lastVerifiedRun = run;
        const auto f = checkUnknownProfiles(in, t);
        QCOMPARE(f ? int(f->severity) : -1, expected);
        if (!f)
            return;
        QCOMPARE(f->rule, QStringLiteral("unknown_profiles"));
        QCOMPARE(f->mappingId, in.mapping.id);
        QCOMPARE(f->value, 100.0 * unknown / verified);
        const QLocale en(QLocale::English, QLocale::UnitedStates);
        QVERIFY2(
            f->message.contains(
                QStringLiteral("%1 of the %2").arg(en.toString(unknown), en.toString(verified))),
            qPrintable(f->message));
        QVERIFY2(f->message.contains(QStringLiteral("Likely cause")), qPrintable(f->message));
    }

    // The message names the identifier another mapping of the workspace found Mixpanel
    // knows people by; without such evidence, what the mapping's own key usually means.
    void unknownProfilesNamesTheLikelyCause()
    {
        const auto pts = series(repeat(1000, 3));
        HealthInput in = input(pts);
        in.mapping.identity = IdentityKey::Email;
        RunRecord run;
        run.status = RunStatus::Succeeded;
        run.finishedAtMs = kNow;
        run.verification.status = QStringLiteral("verified");
        run.verification.verified = 800;
        run.verification.unknown = 800;
        in.lastVerifiedRun = run;
        const HealthThresholds t;

        auto f = checkUnknownProfiles(in, t);
        QVERIFY(f);
        QVERIFY2(f->message.contains(QStringLiteral("sends e-mail addresses")),
                 qPrintable(f->message));
        QVERIFY(!f->message.contains(QStringLiteral("“CIO | VIP | 30d”")));

        // Another e-mail mapping with ghosts, and an id mapping Mixpanel knows.
        in.otherKeys = {
            KeyEvidence{8, QStringLiteral("CIO | Cart | 0-24h"), IdentityKey::Email, 500, 500},
            KeyEvidence{9, QStringLiteral("CIO | VIP | 30d"), IdentityKey::Id, 900, 2}};
        f = checkUnknownProfiles(in, t);
        QVERIFY(f);
        QVERIFY2(f->message.contains(QStringLiteral("knows these people by their id")),
                 qPrintable(f->message));
        QVERIFY2(f->message.contains(QStringLiteral("“CIO | VIP | 30d”, keyed by id, found 2 of "
                                                    "900 unknown")),
                 qPrintable(f->message));

        // An id mapping whose keys Mixpanel does not know either is no evidence.
        in.otherKeys[1].unknown = 300;
        f = checkUnknownProfiles(in, t);
        QVERIFY(f);
        QVERIFY2(!f->message.contains(QStringLiteral("CIO | VIP")), qPrintable(f->message));

        // Keyed by id with no better key known: new people, or another identifier.
        in.mapping.identity = IdentityKey::Id;
        in.otherKeys.clear();
        f = checkUnknownProfiles(in, t);
        QVERIFY(f);
        QVERIFY2(f->message.contains(QStringLiteral("another identifier than their id")),
                 qPrintable(f->message));
    }

    void massExit_data()
    {
        QTest::addColumn<QString>("state"); // HeldExits::stateName; empty: no hold
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("fires");
        QTest::addColumn<QString>("says");
        QTest::newRow("no hold") << QString() << QString() << false << QString();
        QTest::newRow("empty segment held")
            << QStringLiteral("held") << QStringLiteral("empty_segment") << true
            << QStringLiteral("Run 77 held 1,000 exits of “CIO | Winback | 30d”: 100.0% of the "
                              "1,000 last synced, the segment read empty (0 members read)");
        QTest::newRow("past the share") << QStringLiteral("held") << QStringLiteral("share") << true
                                        << QStringLiteral("more than the 30.0% the mapping allows");
        QTest::newRow("applied") << QStringLiteral("applied") << QStringLiteral("share") << false
                                 << QString();
        QTest::newRow("discarded")
            << QStringLiteral("discarded") << QStringLiteral("share") << false << QString();
    }
    void massExit()
    {
        QFETCH(QString, state);
        QFETCH(QString, reason);
        HealthInput in = input({});
        in.mapping.id = 5;
        in.mapping.cohortName = QStringLiteral("CIO | Winback | 30d");
        if (!state.isEmpty()) {
            HeldExits h;
            h.runId = 77;
            h.mappingId = 5;
            h.reason = reason;
            h.lastSize = 1000;
            h.exitCount = reason == QLatin1String("share") ? 400 : 1000;
            h.segmentCount = reason == QLatin1String("share") ? 600 : 0;
            h.sharePercent = 30;
            h.state = *HeldExits::parseState(state);
            in.heldExits = h;
        }
        const auto f = checkMassExit(in, HealthThresholds{});
        QFETCH(bool, fires);
        QCOMPARE(f.has_value(), fires);
        if (!f)
            return;
        QFETCH(QString, says);
        QCOMPARE(f->rule, QStringLiteral("mass_exit"));
        QCOMPARE(f->severity, AlertSeverity::Critical);
        QCOMPARE(f->value, double(in.heldExits->exitCount));
        QVERIFY2(f->message.contains(says), qPrintable(f->message));
        QVERIFY(f->message.contains(QStringLiteral("lockstep sync --mapping 5 --accept-exits")));
        QVERIFY(f->message.contains(QStringLiteral("Nobody was removed")));
    }

    void nextVersionName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("next");
        QTest::newRow("none") << QStringLiteral("CIO | Winback | 30d") << 1
                              << QStringLiteral("CIO | Winback | 30d | v2");
        QTest::newRow("v2") << QStringLiteral("CIO | Winback | 30d | v2") << 2
                            << QStringLiteral("CIO | Winback | 30d | v3");
        QTest::newRow("mapping ahead") << QStringLiteral("CIO | Winback | 30d | v2") << 4
                                       << QStringLiteral("CIO | Winback | 30d | v5");
        QTest::newRow("sloppy suffix") << QStringLiteral("CIO | Winback | 30d|V9") << 1
                                       << QStringLiteral("CIO | Winback | 30d | v10");
    }
    void nextVersionName()
    {
        QFETCH(QString, name);
        QFETCH(int, version);
        QFETCH(QString, next);
        QCOMPARE(nextCohortVersionName(name, version), next);
    }

    void median()
    {
        QCOMPARE(medianOf({}), 0.0);
        QCOMPARE(medianOf({5}), 5.0);
        QCOMPARE(medianOf({9, 1, 5}), 5.0);
        QCOMPARE(medianOf({4, 1, 3, 2}), 2.5);
    }

    void healthyMappingHasNoFindings()
    {
        auto pts = series(repeat(1000, 30));
        for (SizePoint& p : pts) {
            p.entered = 5;
            p.exited = 5;
            p.mismatched = 3;
            p.mixpanelCount = 1000;
        }
        HealthInput in = input(pts);
        in.baselineUpdatedAt = in.segmentUpdatedAt = 1'700'000'000;
        QVERIFY(evaluateHealth(in, HealthThresholds{}).empty());
        // ...and a sick one trips several rules at once.
        pts.back().segmentCount = 0;
        pts.back().mixpanelCount = 400;
        in.lastSuccessMs = kNow - 5 * kHour;
        const auto all = evaluateHealth(in, HealthThresholds{});
        QStringList rules;
        for (const auto& f : all)
            rules.append(f.rule);
        QCOMPARE(rules, (QStringList{QStringLiteral("stale_sync"), QStringLiteral("size_collapse"),
                                     QStringLiteral("week_over_week"), QStringLiteral("drift")}));
    }
};

QTEST_GUILESS_MAIN(TestHealthRules)
#include "tst_healthrules.moc"
