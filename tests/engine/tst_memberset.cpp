// MemberSet and diffMembers against a plain std::set oracle.
#include "members/memberset.h"

#include <QTest>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

using namespace lockstep;

class TestMemberSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diffMatchesSetOracle_data();
    void diffMatchesSetOracle();
    void duplicatesAreReportedOnce();
    void containsAndExtras();
    void emptySets();
    void blobViewMatchesAddedSet_data();
    void blobViewMatchesAddedSet();
    void bigSetsGrowWithoutSlack();
    void runsSealedPageByPageMergeLikeOneSort();
    void sealRunShowsEachPageInOrder_data();
    void sealRunShowsEachPageInOrder();
    void keyOrderIsByteOrder();
};

void TestMemberSet::diffMatchesSetOracle_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("universe");
    QTest::newRow("small") << 1 << 50 << 80;
    QTest::newRow("dense") << 2 << 5000 << 6000;
    QTest::newRow("sparse") << 3 << 3000 << 100000;
    QTest::newRow("unicode") << 4 << 2000 << 4000;
}

void TestMemberSet::diffMatchesSetOracle()
{
    QFETCH(int, seed);
    QFETCH(int, size);
    QFETCH(int, universe);
    std::mt19937 rng{uint32_t(seed)};
    std::uniform_int_distribution<int> pick(0, universe - 1);
    auto keyOf = [&](int n) {
        std::string k = "user-" + std::to_string(n);
        if (seed == 4 && n % 3 == 0)
            k = "ü\xe2\x82\xac" + k; // non-ASCII bytes sort after ASCII
        return k;
    };
    std::set<std::string> a, b;
    MemberSet sa, sb;
    for (int i = 0; i < size; ++i) {
        const std::string ka = keyOf(pick(rng));
        const std::string kb = keyOf(pick(rng));
        a.insert(ka);
        b.insert(kb);
        sa.add(ka);
        sb.add(kb);
    }
    sa.finalize();
    sb.finalize();
    QCOMPARE(sa.size(), a.size());
    QCOMPARE(sb.size(), b.size());

    const MemberDiff d = diffMembers(sa, sb);
    std::set<std::string> entered, exited;
    for (uint32_t i : d.entered)
        entered.insert(std::string(sb.key(i)));
    for (uint32_t i : d.exited)
        exited.insert(std::string(sa.key(i)));
    std::set<std::string> wantEntered, wantExited;
    size_t common = 0;
    for (const auto& k : b)
        if (!a.count(k))
            wantEntered.insert(k);
        else
            ++common;
    for (const auto& k : a)
        if (!b.count(k))
            wantExited.insert(k);
    QCOMPARE(d.entered.size(), wantEntered.size());
    QCOMPARE(d.exited.size(), wantExited.size());
    QVERIFY(entered == wantEntered);
    QVERIFY(exited == wantExited);
    QCOMPARE(d.unchanged, common);
}

void TestMemberSet::duplicatesAreReportedOnce()
{
    MemberSet s;
    s.add("b", "cio-1");
    s.add("a", "cio-2");
    s.add("b", "cio-3");
    s.add("b", "cio-4");
    s.add("c", "cio-5");
    int groups = 0;
    std::vector<std::string> extras;
    s.finalize([&](std::string_view key, const std::vector<std::string_view>& e) {
        ++groups;
        QCOMPARE(QByteArray(key.data(), qsizetype(key.size())), QByteArray("b"));
        for (auto x : e)
            extras.emplace_back(x);
    });
    QCOMPARE(groups, 1);
    QCOMPARE(s.size(), size_t(3));
    QCOMPARE(extras.size(), size_t(3));
    // Stable: the first spelling added is the one kept.
    QCOMPARE(QByteArray(s.extra(1).data(), qsizetype(s.extra(1).size())), QByteArray("cio-1"));
}

void TestMemberSet::containsAndExtras()
{
    MemberSet s;
    for (int i = 0; i < 1000; ++i)
        s.add(std::to_string(i * 7), std::to_string(i));
    s.finalize();
    QVERIFY(s.contains("0"));
    QVERIFY(s.contains("6993"));
    QVERIFY(!s.contains("1"));
    QVERIFY(!s.contains(""));
    QVERIFY(s.memoryBytes() < 1000 * 40);
}

void TestMemberSet::emptySets()
{
    MemberSet a, b;
    a.finalize();
    b.add("x");
    b.finalize();
    MemberDiff d = diffMembers(a, b);
    QCOMPARE(d.entered.size(), size_t(1));
    QCOMPARE(d.exited.size(), size_t(0));
    d = diffMembers(b, a);
    QCOMPARE(d.exited.size(), size_t(1));
    QCOMPARE(d.unchanged, size_t(0));
}

void TestMemberSet::blobViewMatchesAddedSet_data()
{
    QTest::addColumn<bool>("sorted");
    QTest::newRow("sorted blob") << true;
    QTest::newRow("unsorted blob with duplicates and empty lines") << false;
}
// (A sorted blob is indexed by offsets alone, 4 bytes a member; anything else the general
// way: both must read the same.)

void TestMemberSet::blobViewMatchesAddedSet()
{
    QFETCH(bool, sorted);
    std::mt19937 rng(7);
    std::set<std::string> oracle;
    std::vector<std::string> keys;
    for (int i = 0; i < 5000; ++i) {
        std::string k = "k" + std::to_string(rng() % 20000);
        oracle.insert(k);
        keys.push_back(k);
    }
    if (sorted) {
        keys.assign(oracle.begin(), oracle.end());
    } else {
        keys.push_back(keys.front()); // a duplicate
        keys.insert(keys.begin() + 10, std::string());
    }
    QByteArray blob;
    for (const std::string& k : keys) {
        if (!blob.isEmpty() || &k != &keys.front())
            blob += '\n';
        blob.append(k.data(), qsizetype(k.size()));
    }
    const MemberSet view = MemberSet::fromBlob(blob, keys.size());
    QCOMPARE(view.size(), oracle.size());
    QByteArray joined;
    for (const std::string& k : oracle)
        joined +=
            (joined.isEmpty() ? QByteArray() : QByteArray("\n")) + QByteArray::fromStdString(k);
    QCOMPARE(view.joinedKeys(), joined);
    if (sorted) // offsets only, no 8-byte references
        QVERIFY(view.memoryBytes() < size_t(blob.size()) + 5 * oracle.size());
    size_t i = 0;
    for (const std::string& k : oracle) {
        QCOMPARE(std::string(view.key(i)), k);
        ++i;
    }
    // lowerBound from any start agrees with std::lower_bound.
    const std::vector<std::string> sortedKeys(oracle.begin(), oracle.end());
    for (int probe = 0; probe < 2000; ++probe) {
        const std::string k = "k" + std::to_string(rng() % 25000);
        const size_t expected =
            size_t(std::lower_bound(sortedKeys.begin(), sortedKeys.end(), k) - sortedKeys.begin());
        const size_t from = expected == 0 ? 0 : size_t(rng() % expected);
        QCOMPARE(view.lowerBound(k, from), expected);
        QCOMPARE(view.contains(k), oracle.count(k) == 1);
    }
    // A copy that is added to leaves the original view alone.
    MemberSet copy = view;
    copy.add("zzz-new");
    copy.finalize();
    QCOMPARE(copy.size(), oracle.size() + 1);
    QVERIFY(copy.contains("zzz-new"));
    QVERIFY(!view.contains("zzz-new"));
    QCOMPARE(std::string(view.key(0)), *oracle.begin());
}

void TestMemberSet::bigSetsGrowWithoutSlack()
{
    MemberSet s;
    const size_t n = 300000;
    for (size_t i = 0; i < n; ++i)
        s.add("member-" + std::to_string(i * 2654435761u % 1000003u));
    // 8-byte refs (vector growth) plus key bytes in blocks of at most 1 MiB.
    const size_t keyBytes = n * 13;
    QVERIFY2(s.memoryBytes() < keyBytes + (1 << 20) + n * 8 * 2,
             qPrintable(QString::number(s.memoryBytes())));
    // Keys stay where they were written while the set grows.
    const std::string_view first = s.key(0);
    for (int i = 0; i < 100000; ++i)
        s.add("more-" + std::to_string(i));
    QCOMPARE(std::string(first), std::string(s.key(0)));
}

void TestMemberSet::runsSealedPageByPageMergeLikeOneSort()
{
    // Pages of uneven size, sealed one by one as the engine does, with keys repeated
    // across pages: the result and the extra kept for a duplicate (the first added) are
    // those of one stable sort.
    std::mt19937 rng(11);
    MemberSet paged, whole;
    std::map<std::string, std::string> firstExtra;
    int added = 0;
    for (int page = 0; page < 37; ++page) {
        const int n = int(rng() % 900);
        for (int i = 0; i < n; ++i) {
            const std::string k = "p" + std::to_string(rng() % 15000);
            const std::string extra = std::to_string(added++);
            paged.add(k, extra);
            whole.add(k, extra);
            firstExtra.emplace(k, extra);
        }
        paged.sealRun();
    }
    int pagedGroups = 0, wholeGroups = 0;
    paged.finalize([&](std::string_view, const std::vector<std::string_view>&) { ++pagedGroups; });
    whole.finalize([&](std::string_view, const std::vector<std::string_view>&) { ++wholeGroups; });
    QCOMPARE(pagedGroups, wholeGroups);
    QCOMPARE(paged.size(), firstExtra.size());
    size_t i = 0;
    for (const auto& [k, extra] : firstExtra) {
        QCOMPARE(std::string(paged.key(i)), k);
        QCOMPARE(std::string(paged.extra(i)), extra);
        QCOMPARE(std::string(whole.extra(i)), extra);
        ++i;
    }
}

void TestMemberSet::sealRunShowsEachPageInOrder_data()
{
    QTest::addColumn<QString>("shape");
    QTest::newRow("pages in order (ids counting up)") << QStringLiteral("sorted");
    QTest::newRow("pages in random order") << QStringLiteral("random");
    QTest::newRow("in order, then not") << QStringLiteral("mixed");
}

// The engine streams a page's new keys from the sort that seals it: the visitor must see
// exactly that page's keys, sorted, however the input was ordered (input that happens to
// arrive sorted, like ascending ids, is one run already and must be shown too), and the
// set must still end up as one sort of everything.
void TestMemberSet::sealRunShowsEachPageInOrder()
{
    QFETCH(QString, shape);
    std::mt19937 rng(5);
    MemberSet set;
    std::set<std::string> all;
    int next = 100000;
    for (int page = 0; page < 12; ++page) {
        std::vector<std::string> keys;
        for (int i = 0; i < 500; ++i) {
            const bool ordered =
                shape == QLatin1String("sorted") || (shape == QLatin1String("mixed") && page < 6);
            keys.push_back(ordered ? std::to_string(next++) : "r" + std::to_string(rng() % 4000));
        }
        for (const std::string& k : keys)
            set.add(k);
        std::vector<std::string> seen;
        set.sealRun([&](std::string_view k) { seen.emplace_back(k); });
        std::sort(keys.begin(), keys.end());
        QCOMPARE(seen, keys);
        all.insert(keys.begin(), keys.end());
    }
    set.finalize();
    QCOMPARE(set.size(), all.size());
    size_t i = 0;
    for (const std::string& k : all)
        QCOMPARE(std::string(set.key(i++)), k);
}

// The eight-bytes-a-step comparison orders keys as bytes, like std::string_view:
// shared prefixes longer than a word, prefixes of each other, bytes above 0x7f.
void TestMemberSet::keyOrderIsByteOrder()
{
    std::vector<std::string> keys = {"",
                                     "a",
                                     "ab",
                                     "abcdefgh",
                                     "abcdefgh",
                                     "abcdefghi",
                                     "abcdefgg",
                                     "abcdefghabcdefgh",
                                     "abcdefghabcdefgi",
                                     "abcdefghabcdefg",
                                     "\xc3\xa9t\xc3\xa9",
                                     "\xff",
                                     "z\x80",
                                     "z\x7f",
                                     "zz@example.com",
                                     "zoe@example.com",
                                     "Zoe@example.com"};
    std::mt19937 rng(3);
    for (int i = 0; i < 300; ++i) {
        std::string k;
        const int len = int(rng() % 20);
        for (int j = 0; j < len; ++j)
            k += char("ab\x80\xff"[rng() % 4]);
        keys.push_back(k);
    }
    MemberSet set;
    for (const std::string& k : keys)
        set.add(k);
    set.finalize();
    std::vector<std::string> expected = keys;
    std::sort(expected.begin(), expected.end(), [](const std::string& a, const std::string& b) {
        return std::string_view(a) < std::string_view(b);
    });
    expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
    expected.erase(std::remove(expected.begin(), expected.end(), std::string()), expected.end());
    std::vector<std::string> got;
    for (size_t i = 0; i < set.size(); ++i)
        got.emplace_back(set.key(i));
    got.erase(std::remove(got.begin(), got.end(), std::string()), got.end());
    QCOMPARE(got, expected);
    for (const std::string& k : expected) {
        const size_t at = set.lowerBound(k);
        QVERIFY(at < set.size());
        QCOMPARE(std::string(set.key(at)), k);
    }
}

QTEST_GUILESS_MAIN(TestMemberSet)
#include "tst_memberset.moc"
