// The demo's months of history, recorded by the real engine on a simulated clock against
// the demo's sandbox: one run a day for 90 days, a weekly rhythm, a collapse with its alert
// and recovery, a definition change, a watched pair that overlapped for two days, the
// e-mail mappings' ghost profiles and a healthy id mapping. Every figure comes from what
// the engine wrote; the test only reads the workspace.
#include "demohistory.h"
#include "demosession.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "health/alertstore.h"
#include "health/healthfinding.h"
#include "health/sizehistory.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "util/simulatedclock.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace lockstep;

namespace {
constexpr qint64 kDay = DemoHistory::kDayMs;
}

class DemoHistoryTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void oneRunADayForNinetyDays();
    void weeklyRhythm();
    void collapseAlertAndRecovery();
    void definitionChange();
    void watchedPairOverlappedForTwoDays();
    void ghostProfilesAndAHealthyMapping();

private:
    qint64 mappingOf(qint64 segment) const { return m_bySegment.value(segment); }
    // The day of the history a time falls on (0 = the first).
    int dayOf(qint64 ms) const { return int((ms - m_firstDayMs + kDay / 2) / kDay); }
    std::vector<SizePoint> points(qint64 segment);
    QList<Alert> alerts(qint64 segment, const QString& rule);

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    QHash<qint64, qint64> m_bySegment;
    qint64 m_firstDayMs = 0;
    qint64 m_endMs = 0;
};

void DemoHistoryTest::initTestCase()
{
    // 90 days of runs: the engine's own log would drown the test's.
    QLoggingCategory::setFilterRules(
        QStringLiteral("lockstep.*.debug=false\nlockstep.*.info=false"));
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(QStringLiteral("demo.sqlite"));
    DemoSession demo;
    QVERIFY2(demo.start(path).ok(), "the demo did not start");
    QCOMPARE(demo.story().days, 90);

    SimulatedClock clock;
    QElapsedTimer elapsed;
    elapsed.start();
    DemoHistory history(&clock, demo.sandboxUrl(), demo.story());
    // Before the context exists: its limits start from the first day's time.
    QVERIFY(clock.nowMs() < Clock::system()->nowMs() - 88 * kDay);
    m_firstDayMs = clock.nowMs();

    EngineContext::Setup setup;
    setup.clock = &clock;
    setup.options.customerIoPerSecond = 200; // what the demo's sandbox allows
    demo.allowSandbox(setup.allowedHosts);
    EngineContext context(std::move(setup));
    SyncController controller(context, demo.workspace(), demo.credentials());
    QSignalSpy progress(&history, &DemoHistory::progress);
    QSignalSpy finished(&history, &DemoHistory::finished);
    connect(&controller, &SyncController::opened, &history, [&] { history.start(&controller); });
    controller.start();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 240000);
    QCOMPARE(finished.first().at(0).toString(), QString());
    qInfo("90 days recorded in %.1f s", double(elapsed.elapsed()) / 1000.0);
    // Progress from day 0 to day 90, one step a day.
    QCOMPARE(progress.size(), 91);
    for (int i = 0; i < progress.size(); ++i) {
        QCOMPARE(progress.at(i).at(0).toInt(), i);
        QCOMPARE(progress.at(i).at(1).toInt(), 90);
    }
    QCOMPARE(clock.offsetMs(), 0); // back on the wall clock
    m_endMs = Clock::system()->nowMs();

    auto ws = Workspace::open(path);
    QVERIFY(ws);
    m_ws = std::move(*ws);
    auto list = MappingRepository(*m_ws).list();
    QVERIFY(list);
    for (const Mapping& m : *list)
        m_bySegment.insert(m.segmentId, m.id);
    QCOMPARE(m_bySegment.size(), 5);
}

std::vector<SizePoint> DemoHistoryTest::points(qint64 segment)
{
    auto p = SizeHistory(*m_ws).window(mappingOf(segment), 0, m_endMs + 1);
    return p ? *p : std::vector<SizePoint>{};
}

QList<Alert> DemoHistoryTest::alerts(qint64 segment, const QString& rule)
{
    QList<Alert> out;
    auto all = AlertStore(*m_ws, *Clock::system()).history(mappingOf(segment), 1000);
    if (all)
        for (const Alert& a : *all)
            if (a.rule == rule)
                out.append(a);
    return out;
}

void DemoHistoryTest::oneRunADayForNinetyDays()
{
    for (qint64 segment : {101, 102, 103, 104}) {
        const std::vector<SizePoint> p = points(segment);
        // The cart mapping has one run more: its owner's Apply of the held exits, day 70.
        const bool applied = segment == 103;
        QCOMPARE(int(p.size()), applied ? 91 : 90);
        QCOMPARE(dayOf(p.front().atMs), 0);
        QCOMPARE(dayOf(p.back().atMs), 89);
        QList<int> days;
        for (const SizePoint& point : p)
            days.append(dayOf(point.atMs));
        for (int d = 0; d < 90; ++d)
            QCOMPARE(days.count(d), applied && d == 70 ? 2 : 1);
        QVERIFY(std::is_sorted(days.begin(), days.end()));
        // The last day is today: the window opens on a history that ends now.
        QVERIFY(m_endMs - p.back().atMs < kDay / 2);
    }
    // A weekly full resync re-sends every member; the trend still counts who joined (VIP
    // takes in at most 13 a day, demo.json), so neither the churn bars nor the churn rule
    // see the whole cohort enter once a week.
    const std::vector<SizePoint> vip = points(102);
    for (size_t d = 1; d < vip.size(); ++d)
        QVERIFY2(vip[d].entered <= 20,
                 qPrintable(QStringLiteral("day %1: %2 entered").arg(d).arg(vip[d].entered)));
    // The launch segment builds for its first three days: no run reads it before.
    const std::vector<SizePoint> launch = points(105);
    QCOMPARE(int(launch.size()), 87);
    QCOMPARE(dayOf(launch.front().atMs), 3);
}

void DemoHistoryTest::weeklyRhythm()
{
    // Cart abandoners enter by the week: 1.25x on the first day of the week, 0.7x on the
    // last two (demo.json). Away from the collapse the busy day enters far more.
    const std::vector<SizePoint> p = points(103);
    double busy = 0, quiet = 0;
    int nBusy = 0, nQuiet = 0;
    for (const SizePoint& point : p) {
        const int d = dayOf(point.atMs);
        if (d < 1 || (d >= 66 && d <= 71))
            continue;
        if ((d - 1) % 7 == 0) {
            busy += double(point.entered);
            ++nBusy;
        } else if ((d - 1) % 7 == 6) {
            quiet += double(point.entered);
            ++nQuiet;
        }
    }
    QVERIFY(nBusy >= 10 && nQuiet >= 10);
    busy /= nBusy;
    quiet /= nQuiet;
    QVERIFY2(busy > 1.5 * quiet, qPrintable(QStringLiteral("%1 vs %2").arg(busy).arg(quiet)));
}

void DemoHistoryTest::collapseAlertAndRecovery()
{
    // The cart events stop on day 66: nobody enters, the segment empties, then recovers.
    const std::vector<SizePoint> p = points(103);
    // The first point of each day (day 70 has two: the day's run, then the Apply's).
    auto onDay = [&](int day) {
        return *std::find_if(p.begin(), p.end(),
                             [&](const SizePoint& s) { return dayOf(s.atMs) == day; });
    };
    QVERIFY2(
        onDay(68).segmentCount < onDay(65).segmentCount / 10,
        qPrintable(
            QStringLiteral("%1 -> %2").arg(onDay(65).segmentCount).arg(onDay(68).segmentCount)));
    QVERIFY(onDay(72).segmentCount > onDay(65).segmentCount * 8 / 10);
    const QList<Alert> collapse = alerts(103, QLatin1String(rule::kSizeCollapse));
    QCOMPARE(collapse.size(), 1);
    const Alert& a = collapse.first();
    QVERIFY2(dayOf(a.firstSeenMs) >= 66 && dayOf(a.firstSeenMs) <= 68,
             qPrintable(QString::number(dayOf(a.firstSeenMs))));
    QVERIFY(!a.isOpen()); // recovered
    QVERIFY2(dayOf(a.resolvedAtMs) >= 69 && dayOf(a.resolvedAtMs) <= 72,
             qPrintable(QString::number(dayOf(a.resolvedAtMs))));
    // The runs held the collapse's exits (a broken read, by the look of it) until the
    // owner applied them on day 70: the hold's alert opened with the collapse and closed
    // with the Apply.
    const QList<Alert> held = alerts(103, QLatin1String(rule::kMassExit));
    QCOMPARE(held.size(), 1);
    QVERIFY2(dayOf(held.first().firstSeenMs) >= 66 && dayOf(held.first().firstSeenMs) <= 68,
             qPrintable(QString::number(dayOf(held.first().firstSeenMs))));
    QVERIFY(!held.first().isOpen());
    QCOMPARE(dayOf(held.first().resolvedAtMs), 70);
    // Its churn alert belongs to the collapse alone: a cart segment's daily churn stays
    // under the threshold the rest of the time (no alert that comes and goes).
    for (const Alert& churn : alerts(103, QLatin1String(rule::kChurn)))
        QVERIFY2(dayOf(churn.firstSeenMs) >= 66 && dayOf(churn.firstSeenMs) <= 72,
                 qPrintable(QString::number(dayOf(churn.firstSeenMs))));
}

void DemoHistoryTest::definitionChange()
{
    const QList<Alert> changed = alerts(101, QLatin1String(rule::kDefinitionChanged));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(dayOf(changed.first().firstSeenMs), 78);
    // The suggestion: version the cohort, as trend lines shift.
    QVERIFY2(changed.first().message.contains(QLatin1String("version"), Qt::CaseInsensitive),
             qPrintable(changed.first().message));
    for (qint64 segment : {102, 103, 104})
        QVERIFY(alerts(segment, QLatin1String(rule::kDefinitionChanged)).isEmpty());
}

void DemoHistoryTest::watchedPairOverlappedForTwoDays()
{
    // Filed under the smaller mapping id of the pair (Winback).
    const qint64 filedUnder =
        std::min(mappingOf(101), mappingOf(104)) == mappingOf(101) ? 101 : 104;
    const QList<Alert> overlap = alerts(filedUnder, QLatin1String(rule::kWatchedOverlap));
    QCOMPARE(overlap.size(), 1);
    QCOMPARE(dayOf(overlap.first().firstSeenMs), 82);
    QCOMPARE(overlap.first().occurrences, 2);
    QVERIFY(!overlap.first().isOpen());
    QCOMPARE(dayOf(overlap.first().resolvedAtMs), 84);
}

void DemoHistoryTest::ghostProfilesAndAHealthyMapping()
{
    // The win-back mapping is keyed by e-mail, Mixpanel by id: its keys are unknown to
    // Mixpanel from the first day, and the alert is still open.
    const QList<Alert> ghosts = alerts(101, QLatin1String(rule::kUnknownProfiles));
    QVERIFY(!ghosts.isEmpty());
    QVERIFY(ghosts.last().isOpen() || ghosts.first().isOpen());
    // The others use Mixpanel's key: none of their keys is unknown there.
    for (qint64 segment : {102, 103, 104, 105})
        QVERIFY(alerts(segment, QLatin1String(rule::kUnknownProfiles)).isEmpty());
    // The mappings sync daily, as scheduled: no day of the history reads as stale.
    for (qint64 segment : {101, 102, 103, 104, 105})
        QVERIFY(alerts(segment, QLatin1String(rule::kStaleSync)).isEmpty());
    // After 90 days only the win-back mapping has something open: the others are healthy
    // (the cart collapse and the overlap are over).
    for (qint64 segment : {102, 103, 104, 105}) {
        auto open = AlertStore(*m_ws, *Clock::system()).open(mappingOf(segment));
        QVERIFY(open);
        QStringList rules;
        for (const Alert& a : *open)
            rules << a.rule + QStringLiteral(" (day %1): ").arg(dayOf(a.firstSeenMs)) + a.message;
        QVERIFY2(open->isEmpty(), qPrintable(rules.join(QLatin1Char(','))));
    }
}

QTEST_GUILESS_MAIN(DemoHistoryTest)
#include "tst_demohistory.moc"
