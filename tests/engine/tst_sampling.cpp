// The arithmetic of the key's and the query budget's sharing: the seeded sample order an
// exit check and an entry check draw, the merged share estimated from a sample with its
// 95 % Wilson interval (values checked against the published formula), and how a
// fleet's verification shares its queries (FleetVerifier's allowance and fair shares).
#include "engine/exitcheck.h"
#include "engine/fleetverifier.h"
#include "util/sampling.h"

#include <QSet>
#include <QTest>

#include <numeric>

using namespace lockstep;

class TestSampling : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void orderIsReproducibleAndDistinct();
    void prefixesAreUniform();
    void estimate_data();
    void estimate();
    void estimateCoversTheTruth();
    void summarySaysTheEstimate();
    void allowance_data();
    void allowance();
    void fairShares_data();
    void fairShares();
};

void TestSampling::orderIsReproducibleAndDistinct()
{
    const std::vector<uint32_t> a = sampleOrder(42, 1000, 1000);
    QCOMPARE(a, sampleOrder(42, 1000, 1000)); // the same seed, the same order
    QVERIFY(a != sampleOrder(43, 1000, 1000));
    QCOMPARE(QSet<uint32_t>(a.begin(), a.end()).size(), 1000); // a permutation
    // A shorter draw is the prefix of the longer one: a sample, then the rest.
    const std::vector<uint32_t> head = sampleOrder(42, 1000, 100);
    QVERIFY(std::equal(head.begin(), head.end(), a.begin()));
    QCOMPARE(sampleOrder(7, 5, 50).size(), size_t(5));
    QVERIFY(sampleOrder(7, 0, 50).empty());
    // Fixed values: the order must not change between builds or platforms (a run's
    // sample is drawn again from its id).
    QCOMPARE(sampleOrder(1, 10, 3), (std::vector<uint32_t>{5, 8, 1}));
}

void TestSampling::prefixesAreUniform()
{
    // Over many seeds each position is first about equally often (chi-square, 9 degrees
    // of freedom: 27.9 is the 0.1 % critical value).
    constexpr int kN = 10;
    constexpr int kSeeds = 20000;
    std::vector<int> first(kN, 0);
    for (int s = 0; s < kSeeds; ++s)
        ++first[sampleOrder(quint64(s), kN, 1).front()];
    double chi = 0;
    for (int c : first) {
        const double expected = double(kSeeds) / kN;
        chi += (c - expected) * (c - expected) / expected;
    }
    QVERIFY2(chi < 27.9, qPrintable(QString::number(chi)));
}

void TestSampling::estimate_data()
{
    QTest::addColumn<qint64>("hits");
    QTest::addColumn<qint64>("sampled");
    QTest::addColumn<qint64>("population");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addColumn<qint64>("estimated");
    // Newcombe's continuity-corrected score interval, z = 1.96 (his table: 1 of 100 gives
    // 0.0005 to 0.0623); a huge population leaves it uncorrected.
    QTest::newRow("0 of 100") << 0LL << 100LL << 1000000000LL << 0.0 << 0.0461026 << 0LL;
    QTest::newRow("1 of 100") << 1LL << 100LL << 1000000000LL << 0.0005222 << 0.0624133
                              << 10000000LL;
    QTest::newRow("2 of 10") << 2LL << 10LL << 1000000000LL << 0.0354261 << 0.5578239
                             << 200000000LL;
    // Sampling without replacement: 100 of 500 narrows the interval.
    QTest::newRow("3 of 100 of 500") << 3LL << 100LL << 500LL << 0.0087017 << 0.0835613 << 15LL;
    // Everyone looked up: the share is known exactly.
    QTest::newRow("all 100") << 10LL << 100LL << 100LL << 0.1 << 0.1 << 10LL;
    // Nothing looked up: nothing is known.
    QTest::newRow("none") << 0LL << 0LL << 500LL << 0.0 << 1.0 << 0LL;
}

void TestSampling::estimate()
{
    QFETCH(qint64, hits);
    QFETCH(qint64, sampled);
    QFETCH(qint64, population);
    QFETCH(double, low);
    QFETCH(double, high);
    QFETCH(qint64, estimated);
    const ShareEstimate e = estimateShare(hits, sampled, population);
    QVERIFY2(qAbs(e.low - low) < 1e-6, qPrintable(QString::number(e.low, 'g', 10)));
    QVERIFY2(qAbs(e.high - high) < 1e-6, qPrintable(QString::number(e.high, 'g', 10)));
    QCOMPARE(e.estimatedHits(), estimated);
    QVERIFY(e.low <= e.share && e.share <= e.high);
    QCOMPARE(e.margin(), (e.high - e.low) / 2);
    QCOMPARE(e.exact(), sampled >= population);
}

void TestSampling::estimateCoversTheTruth()
{
    // A population of 500 exits, 15 of them merged away; samples of 100 drawn as the exit
    // check draws them (one order per run id): at least about 95 % of the intervals hold
    // the truth (the continuity correction errs on the safe side).
    constexpr uint32_t kPopulation = 500;
    constexpr int kHits = 15;
    constexpr int kRuns = 2000;
    int covered = 0;
    for (int run = 1; run <= kRuns; ++run) {
        const std::vector<uint32_t> sample = sampleOrder(quint64(run), kPopulation, 100);
        const qint64 hits = std::count_if(sample.begin(), sample.end(),
                                          [](uint32_t i) { return i < uint32_t(kHits); });
        const ShareEstimate e = estimateShare(hits, 100, kPopulation);
        const double truth = double(kHits) / kPopulation;
        covered += e.low <= truth && truth <= e.high ? 1 : 0;
    }
    const double coverage = double(covered) / kRuns;
    QVERIFY2(coverage > 0.94 && coverage < 0.999, qPrintable(QString::number(coverage)));
}

void TestSampling::summarySaysTheEstimate()
{
    ExitCheckResult r;
    r.exits = 500;
    r.checked = 100;
    r.vanished = 3;
    r.extent = ExitCheckResult::Extent::Sample;
    const QString s = r.summary(true);
    QVERIFY2(s.contains(QStringLiteral("3 of 100 exits looked up in Customer.io no longer exist")),
             qPrintable(s));
    QVERIFY2(s.contains(QStringLiteral("400 of 500 exits were not looked up (the Customer.io key "
                                       "was busy with other mappings)")),
             qPrintable(s));
    QVERIFY2(s.contains(QStringLiteral("estimate 3.0 % \u00b1 3.7 %")), qPrintable(s));
    QVERIFY2(s.contains(QStringLiteral("95 % interval 0.87 % to 8.4 %")), qPrintable(s));
    QVERIFY2(s.contains(QStringLiteral("about 15 of 500")), qPrintable(s));
    r.extent = ExitCheckResult::Extent::All;
    r.checked = r.exits;
    QVERIFY2(!r.summary(false).contains(QStringLiteral("estimate")), qPrintable(r.summary(false)));
}

void TestSampling::allowance_data()
{
    QTest::addColumn<int>("verifyLeft");
    QTest::addColumn<int>("projectLeft");
    QTest::addColumn<int>("reserve");
    QTest::addColumn<int>("queries");
    QTest::newRow("half of the bound") << 12 << 60 << 10 << 6;
    QTest::newRow("rounded up") << 3 << 60 << 10 << 2;
    QTest::newRow("the last one") << 1 << 60 << 10 << 1;
    QTest::newRow("bound spent") << 0 << 60 << 10 << 0;
    QTest::newRow("project near its reserve") << 12 << 12 << 10 << 2;
    QTest::newRow("project at its reserve") << 12 << 10 << 10 << 0;
}

void TestSampling::allowance()
{
    QFETCH(int, verifyLeft);
    QFETCH(int, projectLeft);
    QFETCH(int, reserve);
    QFETCH(int, queries);
    QCOMPARE(FleetVerifier::allowance(verifyLeft, projectLeft, reserve), queries);
}

void TestSampling::fairShares_data()
{
    QTest::addColumn<std::vector<int>>("wants");
    QTest::addColumn<int>("capacity");
    QTest::addColumn<std::vector<int>>("shares");
    using V = std::vector<int>;
    QTest::newRow("all fit") << V{500, 300} << 1000 << V{500, 300};
    QTest::newRow("equal cut") << V{1000, 1000, 1000, 1000} << 1000 << V{250, 250, 250, 250};
    QTest::newRow("a small one in full") << V{100, 1000, 1000} << 1000 << V{100, 450, 450};
    QTest::newRow("remainder to the first") << V{1000, 1000, 1000} << 1000 << V{334, 333, 333};
    QTest::newRow("nothing fits") << V{10, 20} << 0 << V{0, 0};
    QTest::newRow("twenty runs, one query") << V(20, 1000) << 1000 << V(20, 50);
}

void TestSampling::fairShares()
{
    QFETCH(std::vector<int>, wants);
    QFETCH(int, capacity);
    QFETCH(std::vector<int>, shares);
    const std::vector<int> got = FleetVerifier::fairShares(wants, capacity);
    QCOMPARE(got, shares);
    const int total = std::accumulate(wants.begin(), wants.end(), 0);
    QCOMPARE(std::accumulate(got.begin(), got.end(), 0), std::min(total, capacity));
}

QTEST_GUILESS_MAIN(TestSampling)
#include "tst_sampling.moc"
