// Overlap over interned keys and CRoaring bitmaps, checked against std::set
// intersections on random data; the interner itself; watched pairs.
#include "health/keyinterner.h"
#include "health/overlapindex.h"
#include "health/overlapviews.h"
#include "health/watchedpair.h"
#include "members/memberset.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>

using namespace lockstep;

namespace {
std::set<std::string> randomCohort(QRandomGenerator& rng, int universe, int size)
{
    std::set<std::string> s;
    while (int(s.size()) < size)
        s.insert("user-" + std::to_string(rng.bounded(universe)) + "@example.com");
    return s;
}
std::vector<std::string_view> views(const std::set<std::string>& s)
{
    return {s.begin(), s.end()};
}
} // namespace

class TestOverlap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void internerAssignsDenseStableIds()
    {
        KeyInterner in;
        QCOMPARE(in.find("a"), KeyInterner::kNotFound);
        QCOMPARE(in.intern("a"), 0u);
        QCOMPARE(in.intern("b"), 1u);
        QCOMPARE(in.intern("a"), 0u);
        QCOMPARE(in.intern(""), 2u);
        QCOMPARE(in.find(""), 2u);
        QCOMPARE(in.size(), size_t(3));
        // Views stay valid while the arena and table grow; long keys too.
        std::vector<std::string> keys;
        for (int i = 0; i < 200000; ++i)
            keys.push_back("k" + std::to_string(i) + std::string(size_t(i % 50), 'x'));
        keys.push_back(std::string(3 << 20, 'L')); // longer than an arena chunk
        for (const auto& k : keys)
            in.intern(k);
        QCOMPARE(in.size(), keys.size() + 3);
        for (size_t i = 0; i < keys.size(); ++i) {
            const uint32_t id = in.find(keys[i]);
            QCOMPARE(id, uint32_t(i + 3));
            QVERIFY(in.key(id) == keys[i]);
        }
        QCOMPARE(in.key(0), std::string_view("a"));
        QCOMPARE(in.find("missing"), KeyInterner::kNotFound);
    }

    void pairsMatchSetOracle_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("universe");
        QTest::addColumn<int>("sizeA");
        QTest::addColumn<int>("sizeB");
        QTest::newRow("dense overlap") << 1u << 3000 << 2000 << 2000;
        QTest::newRow("sparse overlap") << 2u << 1000000 << 5000 << 5000;
        QTest::newRow("subset-ish") << 3u << 1000 << 900 << 100;
        QTest::newRow("one empty") << 4u << 1000 << 0 << 300;
        QTest::newRow("big") << 5u << 200000 << 60000 << 80000;
    }
    void pairsMatchSetOracle()
    {
        QFETCH(quint32, seed);
        QFETCH(int, universe);
        QFETCH(int, sizeA);
        QFETCH(int, sizeB);
        QRandomGenerator rng(seed);
        const auto a = randomCohort(rng, universe, sizeA);
        const auto b = randomCohort(rng, universe, sizeB);
        std::vector<std::string> both;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));

        OverlapIndex idx;
        const auto va = views(a), vb = views(b);
        idx.setMembers(1, QStringLiteral("A"), va);
        idx.setMembers(2, QStringLiteral("B"), vb);
        const auto s = idx.pair(1, 2);
        QVERIFY(s.has_value());
        QCOMPARE(s->sizeA, uint64_t(a.size()));
        QCOMPARE(s->sizeB, uint64_t(b.size()));
        QCOMPARE(s->intersection, uint64_t(both.size()));
        const double uni = double(a.size() + b.size() - both.size());
        QCOMPARE(s->jaccard(), uni ? double(both.size()) / uni : 0.0);
        QCOMPARE(s->shareOfAInB(), a.empty() ? 0.0 : double(both.size()) / double(a.size()));
        QCOMPARE(s->shareOfBInA(), b.empty() ? 0.0 : double(both.size()) / double(b.size()));
        // The common keys are really common.
        const auto common = idx.commonKeys(1, 2, 50);
        QCOMPARE(common.size(), std::min<size_t>(50, both.size()));
        for (std::string_view k : common)
            QVERIFY(a.count(std::string(k)) && b.count(std::string(k)));
    }

    void matrixMatchesOracle()
    {
        QRandomGenerator rng(42);
        std::vector<std::set<std::string>> cohorts;
        OverlapIndex idx;
        for (int i = 0; i < 8; ++i) {
            cohorts.push_back(randomCohort(rng, 20000, 1000 + int(rng.bounded(4000))));
            // Half through MemberSet, as the snapshots arrive.
            if (i % 2) {
                MemberSet ms;
                for (const auto& k : cohorts.back())
                    ms.add(k);
                ms.finalize();
                idx.setMembers(100 + i, QStringLiteral("c%1").arg(i), ms);
            } else {
                const auto v = views(cohorts.back());
                idx.setMembers(100 + i, QStringLiteral("c%1").arg(i), v);
            }
        }
        const OverlapMatrix m = idx.matrix();
        QCOMPARE(m.size(), 8);
        for (qsizetype i = 0; i < 8; ++i) {
            QCOMPARE(m.mappingIds[i], 100 + i);
            for (qsizetype j = 0; j < 8; ++j) {
                std::vector<std::string> both;
                std::set_intersection(cohorts[size_t(i)].begin(), cohorts[size_t(i)].end(),
                                      cohorts[size_t(j)].begin(), cohorts[size_t(j)].end(),
                                      std::back_inserter(both));
                QCOMPARE(m.intersection(i, j), uint64_t(both.size()));
            }
        }
        QCOMPARE(m.stats(2, 5).sizeA, uint64_t(cohorts[2].size()));
        // A chosen subset, in the caller's order; unknown ids skipped.
        const OverlapMatrix sub = idx.matrix({105, 999, 101});
        QCOMPARE(sub.mappingIds, (QList<qint64>{105, 101}));
        QCOMPARE(sub.intersection(0, 1), m.intersection(5, 1));
    }

    void replacingMembersReplaces()
    {
        OverlapIndex idx;
        const std::vector<std::string_view> a = {"x", "y"}, b = {"y", "z"}, c = {"q"};
        idx.setMembers(1, QStringLiteral("A"), a);
        idx.setMembers(2, QStringLiteral("B"), b);
        QCOMPARE(idx.pair(1, 2)->intersection, 1u);
        idx.setMembers(1, QStringLiteral("A"), c);
        QCOMPARE(idx.pair(1, 2)->intersection, 0u);
        QCOMPARE(idx.cohortSize(1), 1u);
        idx.remove(2);
        QVERIFY(!idx.pair(1, 2).has_value());
    }

    void linesAreInternedOnce();
    void viewsJudgeByPersonWhereBothHavePeople();
    void nearIdenticalPairs_data();
    void nearIdenticalPairs();

    void watchedPairs()
    {
        OverlapIndex idx;
        const std::vector<std::string_view> sup = {"a", "b", "c"}, win = {"c", "d"}, other = {"e"};
        idx.setMembers(3, QStringLiteral("CIO | Suppressed | 30d"), sup);
        idx.setMembers(1, QStringLiteral("CIO | Winback | 7d"), win);
        idx.setMembers(2, QStringLiteral("CIO | Other | 7d"), other);
        const QList<WatchedPair> pairs = {
            {3, 1, QStringLiteral("must be suppressed"), 0}, {3, 2, {}, 0}, {3, 99, {}, 0}};
        const auto f = checkWatchedPairs(idx, pairs);
        QCOMPARE(f.size(), size_t(1));
        QCOMPARE(f[0].mappingId, 1);
        QCOMPARE(f[0].subject, QStringLiteral("pair:1:3"));
        QCOMPARE(f[0].severity, AlertSeverity::Critical);
        QCOMPARE(f[0].value, 1.0);
        QVERIFY2(f[0].message.contains(QStringLiteral("e.g. c")), qPrintable(f[0].message));
        QVERIFY(f[0].message.contains(QStringLiteral("must be suppressed")));
    }
};

void TestOverlap::linesAreInternedOnce()
{
    OverlapIndex idx;
    idx.setLines(1, QStringLiteral("A"), QByteArray("c1\nc2\n\nc2\nc3"));
    idx.setLines(2, QStringLiteral("B"), QByteArray("c3\nc4"));
    QCOMPARE(idx.cohortSize(1), 3u); // the empty line skipped, the repeat counted once
    QCOMPARE(idx.pair(1, 2)->intersection, 1u);
    idx.setLines(3, QStringLiteral("C"), QByteArray());
    QCOMPARE(idx.cohortSize(3), 0u);
}

void TestOverlap::viewsJudgeByPersonWhereBothHavePeople()
{
    // VIP keyed by id, Winback by e-mail: no key in common, two people in common.
    OverlapViews v;
    const std::vector<std::string_view> vipKeys = {"1001", "1002", "1003"},
                                        winKeys = {"a@x.io", "b@x.io"}, supKeys = {"a@x.io"};
    v.keys.setMembers(1, QStringLiteral("CIO | VIP | 30d"), vipKeys);
    v.keys.setMembers(2, QStringLiteral("CIO | Winback | 7d"), winKeys);
    v.keys.setMembers(3, QStringLiteral("CIO | Suppressed"), supKeys);
    v.people.setLines(1, QStringLiteral("CIO | VIP | 30d"), "c1\nc2\nc3");
    v.people.setLines(2, QStringLiteral("CIO | Winback | 7d"), "c1\nc2");
    // Suppressed has no people recorded: its pairs are judged by key.
    bool byPerson = false;
    QCOMPARE(v.pair(1, 2, &byPerson)->intersection, 2u);
    QVERIFY(byPerson);
    QCOMPARE(v.keys.pair(1, 2)->intersection, 0u);
    QCOMPARE(v.pair(2, 3, &byPerson)->intersection, 1u);
    QVERIFY(!byPerson);

    const QList<WatchedPair> pairs = {{1, 2, QStringLiteral("VIP get no winback"), 0},
                                      {2, 3, {}, 0}};
    const auto f = checkWatchedPairs(v, pairs);
    QCOMPARE(f.size(), size_t(2));
    QCOMPARE(f[0].subject, QStringLiteral("pair:1:2"));
    QCOMPARE(f[0].value, 2.0);
    QVERIFY2(f[0].message.contains(QStringLiteral("2 people are in both")) &&
                 f[0].message.contains(QStringLiteral("e.g. cio_id c1")),
             qPrintable(f[0].message));
    QVERIFY2(f[1].message.contains(QStringLiteral("1 members are in both")),
             qPrintable(f[1].message));
    // By key alone the cross-kind pair would look clean: the reassurance this prevents.
    QCOMPARE(checkWatchedPairs(v.keys, pairs).size(), size_t(1));
}

void TestOverlap::nearIdenticalPairs_data()
{
    QTest::addColumn<int>("a");
    QTest::addColumn<int>("b"); // b's people are the first b of a's
    QTest::addColumn<bool>("found");
    QTest::newRow("identical") << 50 << 50 << true;
    QTest::newRow("Jaccard 0.9") << 100 << 90 << true;
    QTest::newRow("Jaccard 0.89") << 100 << 89 << false;
    QTest::newRow("empty") << 0 << 0 << false;
}

void TestOverlap::nearIdenticalPairs()
{
    QFETCH(int, a);
    QFETCH(int, b);
    OverlapViews v;
    QByteArray la, lb;
    for (int i = 0; i < a; ++i)
        la += "c" + QByteArray::number(i) + "\n";
    for (int i = 0; i < b; ++i)
        lb += "c" + QByteArray::number(i) + "\n";
    v.people.setLines(7, QStringLiteral("A"), la);
    v.people.setLines(9, QStringLiteral("B"), lb);
    const auto pairs = lockstep::nearIdenticalPairs(v, {9, 7});
    QFETCH(bool, found);
    QCOMPARE(pairs.size(), found ? 1 : 0);
    if (found) {
        QCOMPARE(pairs[0].stats.mappingA, 9); // in the order asked
        QVERIFY(pairs[0].byPerson);
        QVERIFY(pairs[0].stats.jaccard() >= 0.9);
    }
}

QTEST_GUILESS_MAIN(TestOverlap)
#include "tst_overlap.moc"
