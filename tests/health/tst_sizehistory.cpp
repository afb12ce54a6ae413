// Size history queries over a real workspace, and the chart downsamplers.
#include "health/downsampler.h"
#include "health/sizehistory.h"
#include "store/workspace.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace lockstep;

namespace {
std::vector<SizePoint> wave(int n, quint32 seed)
{
    QRandomGenerator rng(seed);
    std::vector<SizePoint> out;
    for (int i = 0; i < n; ++i) {
        SizePoint p;
        p.runId = i + 1;
        p.atMs = qint64(i) * 3600 * 1000 + rng.bounded(1000);
        p.segmentCount = 10000 + rng.bounded(500);
        out.push_back(p);
    }
    return out;
}
bool timeOrdered(const std::vector<SizePoint>& v)
{
    return std::is_sorted(v.begin(), v.end(),
                          [](const SizePoint& a, const SizePoint& b) { return a.atMs < b.atMs; });
}
} // namespace

class TestSizeHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowAndLatest()
    {
        QTemporaryDir dir;
        auto ws = Workspace::open(dir.filePath(QStringLiteral("ws.sqlite")));
        QVERIFY(ws.ok());
        SizeHistory h(**ws);
        for (int i = 0; i < 10; ++i) {
            SizePoint p;
            p.runId = i + 1;
            p.atMs = 1000 * i;
            p.segmentCount = 100 + i;
            QVERIFY(h.append(1, p).ok());
            p.runId = 100 + i;
            QVERIFY(h.append(2, p).ok()); // another mapping, same times
        }
        auto w = h.window(1, 2000, 5000);
        QVERIFY(w.ok());
        QCOMPARE(w->size(), size_t(3)); // 2000, 3000, 4000: end is exclusive
        QCOMPARE(w->front().segmentCount, 102);
        QCOMPARE(w->back().atMs, 4000);
        auto l = h.latest(1, 4);
        QCOMPARE(l->size(), size_t(4));
        QCOMPARE(l->front().atMs, 6000); // oldest first
        QCOMPARE(l->back().atMs, 9000);
        QCOMPARE(*h.lastAt(1), 9000);
        QCOMPARE(*h.lastAt(3), 0);
        QCOMPARE(l->back().mixpanelCount, -1);
        QVERIFY(h.setMixpanelCount(10, 95).ok());
        QCOMPARE(h.latest(1, 1)->back().mixpanelCount, 95);
        QCOMPARE(h.latest(2, 1)->back().mixpanelCount, -1);
    }

    void lttbKeepsEndsAndSpikes_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("target");
        QTest::newRow("1000 -> 100") << 1000 << 100;
        QTest::newRow("3 years daily -> 300") << 1095 << 300;
        QTest::newRow("fewer than target") << 50 << 100;
        QTest::newRow("target 3") << 500 << 3;
    }
    void lttbKeepsEndsAndSpikes()
    {
        QFETCH(int, points);
        QFETCH(int, target);
        auto pts = wave(points, 7);
        pts[size_t(points / 2)].segmentCount = 0; // a collapse must survive
        const auto out = downsampleLttb(pts, size_t(target));
        QCOMPARE(out.size(), size_t(std::min(points, target)));
        QCOMPARE(out.front().runId, pts.front().runId);
        QCOMPARE(out.back().runId, pts.back().runId);
        QVERIFY(timeOrdered(out));
        if (target > 3)
            QVERIFY(std::any_of(out.begin(), out.end(),
                                [](const SizePoint& p) { return p.segmentCount == 0; }));
    }
    void lttbTinyTargets()
    {
        const auto pts = wave(10, 1);
        QCOMPARE(downsampleLttb(pts, 0).size(), size_t(0));
        QCOMPARE(downsampleLttb(pts, 1).size(), size_t(1));
        QCOMPARE(downsampleLttb(pts, 2).front().runId, 1);
        QCOMPARE(downsampleLttb(pts, 2).back().runId, 10);
    }

    void minMaxKeepsExtremes_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("target");
        QTest::newRow("1000 -> 100") << 1000 << 100;
        QTest::newRow("odd target") << 777 << 51;
        QTest::newRow("fewer than target") << 20 << 100;
    }
    void minMaxKeepsExtremes()
    {
        QFETCH(int, points);
        QFETCH(int, target);
        auto pts = wave(points, 9);
        pts[3].segmentCount = 1;                      // global minimum
        pts[size_t(points - 5)].segmentCount = 99999; // global maximum
        const auto out = downsampleMinMax(pts, size_t(target));
        QVERIFY(out.size() <= size_t(target));
        QVERIFY(timeOrdered(out));
        QVERIFY(std::any_of(out.begin(), out.end(),
                            [](const SizePoint& p) { return p.segmentCount == 1; }));
        QVERIFY(std::any_of(out.begin(), out.end(),
                            [](const SizePoint& p) { return p.segmentCount == 99999; }));
        // Every kept point is a real input point.
        for (const SizePoint& p : out)
            QCOMPARE(pts[size_t(p.runId - 1)].atMs, p.atMs);
    }
    void minMaxOtherSeries()
    {
        auto pts = wave(200, 3);
        pts[50].exited = 777;
        const auto out = downsampleMinMax(pts, 10, SizeSeries::Exited);
        QVERIFY(std::any_of(out.begin(), out.end(),
                            [](const SizePoint& p) { return p.exited == 777; }));
    }
};

QTEST_GUILESS_MAIN(TestSizeHistory)
#include "tst_sizehistory.moc"
