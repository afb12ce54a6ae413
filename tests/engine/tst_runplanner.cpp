// RunPlanner, BatchBodies and decideEnding: what a run sends and how it ends, without a
// network, a database or an event loop. Each row is one situation a run meets.
#include "engine/batchbodies.h"
#include "engine/runending.h"
#include "engine/runphase.h"
#include "engine/runplanner.h"
#include "members/memberset.h"

#include <QTest>

#include <algorithm>
#include <set>
#include <string>

using namespace lockstep;

Q_DECLARE_METATYPE(lockstep::RunKind)
Q_DECLARE_METATYPE(lockstep::SyncMode)
Q_DECLARE_METATYPE(lockstep::RunStatus)
Q_DECLARE_METATYPE(lockstep::RunPhase)

namespace {

Mapping mappingFor(SyncMode mode, bool events,
                   const QString& listProperty = QStringLiteral("cio_cohorts"))
{
    Mapping m;
    m.id = 7;
    m.segmentId = 42;
    m.cohortName = QStringLiteral("VIP customers");
    m.mode = mode;
    m.listProperty = listProperty;
    m.sendEvents = events;
    m.createdAt = 1700000000;
    return m;
}

BatchBodies bodiesFor(SyncMode mode, bool events,
                      const QString& listProperty = QStringLiteral("cio_cohorts"))
{
    return BatchBodies(mappingFor(mode, events, listProperty), "0123456789abcdef0123456789abcdef",
                       3, 1700000500000);
}

MemberSet setOf(const QStringList& keys)
{
    MemberSet s;
    for (const QString& k : keys)
        s.add(k.toStdString());
    s.finalize();
    return s;
}

// "add:a,b" / "remove:c"
QString describe(const JournalBatch& b)
{
    return (b.op == JournalBatch::Op::Add ? QStringLiteral("add:") : QStringLiteral("remove:")) +
           QString::fromUtf8(b.keys).replace(QLatin1Char('\n'), QLatin1Char(','));
}

JournalBatch batchFrom(const QString& description)
{
    JournalBatch b;
    const qsizetype colon = description.indexOf(QLatin1Char(':'));
    b.op = description.left(colon) == QLatin1String("add") ? JournalBatch::Op::Add
                                                           : JournalBatch::Op::Remove;
    const QStringList keys = description.mid(colon + 1).split(QLatin1Char(','));
    b.keys = keys.join(QLatin1Char('\n')).toUtf8();
    b.size = int(keys.size());
    return b;
}

QStringList toList(const std::vector<std::string>& keys)
{
    QStringList out;
    for (const std::string& k : keys)
        out << QString::fromStdString(k);
    return out;
}

// Keys of `n` letters: long enough that the byte limit, not the count, cuts batches.
QString longKey(char c, int n = 1000)
{
    return QString(n, QLatin1Char(c));
}

} // namespace

class TestRunPlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plan_data();
    void plan();
    void massExit_data();
    void massExit();
    void judgeExits_data();
    void judgeExits();
    void streamCutsFullBatchesAsKeysArrive_data();
    void streamCutsFullBatchesAsKeysArrive();
    void bodiesFollowTheMode_data();
    void bodiesFollowTheMode();
    void ending_data();
    void ending();
    void transitions_data();
    void transitions();
};

void TestRunPlanner::plan_data()
{
    QTest::addColumn<RunKind>("kind");
    QTest::addColumn<SyncMode>("mode");
    QTest::addColumn<bool>("events");
    QTest::addColumn<QString>("listProperty");
    QTest::addColumn<QStringList>("snapshot");
    QTest::addColumn<QStringList>("members");
    QTest::addColumn<QStringList>("uncertain"); // earlier runs' batches of unknown fate
    QTest::addColumn<QStringList>("holders");   // full resync: who holds the value in Mixpanel
    QTest::addColumn<int>("maxUpdates");
    QTest::addColumn<int>(
        "roomForFlagUpdates"); // byte limit: this many flag-mode updates (0: default)
    QTest::addColumn<qint64>("entered");
    QTest::addColumn<qint64>("exited");
    QTest::addColumn<qint64>("unchanged");
    QTest::addColumn<QStringList>("repairAdds");
    QTest::addColumn<QStringList>("repairRemoves");
    QTest::addColumn<QStringList>("batches"); // streamed ones first, in order

    const auto I = RunKind::Incremental;
    const auto F = RunKind::Full;
    const auto D = RunKind::DryRun;
    const auto L = SyncMode::List;
    const auto G = SyncMode::Flag;
    const QString cio = QStringLiteral("cio_cohorts");
    const QStringList none;
    const int max = PlanOptions::kMaxUpdates;

    QTest::newRow("empty segment, empty snapshot")
        << I << L << false << cio << none << none << none << none << max << 0 << 0ll << 0ll << 0ll
        << none << none << none;
    QTest::newRow("new cohort: everyone enters")
        << I << L << false << cio << none << QStringList{"a", "b", "c"} << none << none << max << 0
        << 3ll << 0ll << 0ll << none << none << QStringList{"add:a,b,c"};
    QTest::newRow("all unchanged")
        << I << L << false << cio << QStringList{"a", "b"} << QStringList{"a", "b"} << none << none
        << max << 0 << 0ll << 0ll << 2ll << none << none << none;
    QTest::newRow("entries only") << I << L << false << cio << QStringList{"a"}
                                  << QStringList{"a", "b", "c"} << none << none << max << 0 << 2ll
                                  << 0ll << 1ll << none << none << QStringList{"add:b,c"};
    QTest::newRow("exits only") << I << L << false << cio << QStringList{"a", "b", "c"}
                                << QStringList{"a"} << none << none << max << 0 << 0ll << 2ll << 1ll
                                << none << none << QStringList{"remove:b,c"};
    QTest::newRow("entries, then exits")
        << I << G << false << cio << QStringList{"a", "b"} << QStringList{"b", "c"} << none << none
        << max << 0 << 1ll << 1ll << 1ll << none << none << QStringList{"add:c", "remove:a"};
    QTest::newRow("everyone left")
        << I << L << false << cio << QStringList{"a", "b"} << none << none << none << max << 0
        << 0ll << 2ll << 0ll << none << none << QStringList{"remove:a,b"};
    QTest::newRow("dry run sends nothing, repairs nothing")
        << D << L << false << cio << QStringList{"a", "b"} << QStringList{"b", "c"}
        << QStringList{"add:z"} << none << max << 0 << 1ll << 1ll << 1ll << none << none << none;
    QTest::newRow("full resync resends everyone")
        << F << L << false << cio << QStringList{"a", "b"} << QStringList{"b", "c"} << none << none
        << max << 0 << 2ll << 1ll << 0ll << none << none << QStringList{"add:b,c", "remove:a"};
    QTest::newRow("full resync removes holders outside segment and snapshot")
        << F << L << false << cio << QStringList{"a", "b"} << QStringList{"b", "c"} << none
        << QStringList{"x", "b", "a", "c", "x"} << max << 0 << 2ll << 2ll << 0ll << none
        << QStringList{"x"} << QStringList{"add:b,c", "remove:a,x"};
    QTest::newRow("full resync re-adds nothing from an uncertain remove")
        << F << L << false << cio << QStringList{"a", "b"} << QStringList{"a", "b"}
        << QStringList{"remove:b"} << none << max << 0 << 2ll << 0ll << 0ll << none << none
        << QStringList{"add:a,b"};
    QTest::newRow("repair: an uncertain add of a key that left is removed")
        << I << L << false << cio << QStringList{"a"} << QStringList{"a"} << QStringList{"add:a,z"}
        << none << max << 0 << 0ll << 1ll << 1ll << none << QStringList{"z"}
        << QStringList{"remove:z"};
    QTest::newRow("repair: an uncertain remove of a member is added again")
        << I << L << false << cio << QStringList{"a", "b"} << QStringList{"a", "b"}
        << QStringList{"remove:b"} << none << max << 0 << 1ll << 0ll << 1ll << QStringList{"b"}
        << none << QStringList{"add:b"};
    QTest::newRow("repair: an uncertain remove of a key not acknowledged stays a remove")
        << I << L << false << cio << QStringList{"a"} << QStringList{"a"} << QStringList{"remove:q"}
        << none << max << 0 << 0ll << 1ll << 1ll << none << QStringList{"q"}
        << QStringList{"remove:q"};
    QTest::newRow("repair: keys of several uncertain batches once each, after the exits")
        << I << L << false << cio << QStringList{"a", "b", "c"} << QStringList{"b", "c", "d"}
        << QStringList{"add:z,y", "add:y", "remove:c", "remove:c"} << none << max << 0 << 2ll << 3ll
        << 1ll << QStringList{"c"} << QStringList{"y", "z"}
        << QStringList{"add:d", "remove:a,y,z", "add:c"};
    QTest::newRow("count limit cuts entries")
        << I << L << false << cio << none << QStringList{"a", "b", "c", "d", "e"} << none << none
        << 2 << 0 << 5ll << 0ll << 0ll << none << none
        << QStringList{"add:a,b", "add:c,d", "add:e"};
    QTest::newRow("count limit cuts exits and repairs")
        << I << L << false << cio << QStringList{"a", "b", "c"} << none << QStringList{"add:y,z"}
        << none << 2 << 0 << 0ll << 5ll << 0ll << none << QStringList{"y", "z"}
        << QStringList{"remove:a,b", "remove:c,y", "remove:z"};
    const QString k1 = longKey('p'), k2 = longKey('q'), k3 = longKey('r'), k4 = longKey('s');
    const QStringList four{k1, k2, k3, k4};
    QTest::newRow("byte limit, flag mode, no events")
        << I << G << false << cio << none << four << none << none << max << 3 << 4ll << 0ll << 0ll
        << none << none << QStringList{"add:" + k1 + "," + k2 + "," + k3, "add:" + k4};
    QTest::newRow("byte limit, flag mode, events on: events are bigger")
        << I << G << true << cio << none << four << none << none << max << 3 << 4ll << 0ll << 0ll
        << none << none << QStringList{"add:" + k1 + "," + k2, "add:" + k3 + "," + k4};
    QTest::newRow("byte limit, list mode: the list property takes room too")
        << I << L << false << QString(200, QLatin1Char('l')) << none << four << none << none << max
        << 3 << 4ll << 0ll << 0ll << none << none
        << QStringList{"add:" + k1 + "," + k2, "add:" + k3 + "," + k4};
    QTest::newRow("byte limit cuts exits")
        << I << G << false << cio << four << none << none << none << max << 2 << 0ll << 4ll << 0ll
        << none << none << QStringList{"remove:" + k1 + "," + k2, "remove:" + k3 + "," + k4};
    QTest::newRow("a key over the byte limit goes alone")
        << I << G << false << cio << none << QStringList{"a", longKey('x', 4000), "y"} << none
        << none << max << 1 << 3ll << 0ll << 0ll << none << none
        << QStringList{"add:a", "add:" + longKey('x', 4000), "add:y"};
    QTest::newRow("list and flag mode plan the same batches")
        << I << L << true << cio << QStringList{"a", "b"} << QStringList{"b", "c"} << none << none
        << max << 0 << 1ll << 1ll << 1ll << none << none << QStringList{"add:c", "remove:a"};
}

void TestRunPlanner::plan()
{
    QFETCH(RunKind, kind);
    QFETCH(SyncMode, mode);
    QFETCH(bool, events);
    QFETCH(QString, listProperty);
    QFETCH(QStringList, snapshot);
    QFETCH(QStringList, members);
    QFETCH(QStringList, uncertain);
    QFETCH(QStringList, holders);
    QFETCH(int, maxUpdates);
    QFETCH(int, roomForFlagUpdates);

    PlanOptions options;
    options.kind = kind;
    options.maxUpdates = maxUpdates;
    options.bodies = bodiesFor(mode, events, listProperty);
    // These rows' cohorts are tiny: the mass-exit safeguard has rows of its own (massExit).
    options.massExit.sharePercent = 0;
    if (roomForFlagUpdates > 0) {
        // Room for that many flag-mode updates of 1000-byte keys, and no more.
        const BatchBodies flag = bodiesFor(SyncMode::Flag, false);
        options.maxBodyBytes =
            2 + roomForFlagUpdates * flag.keyBytes(JournalBatch::Op::Add, std::string(1000, 'p'));
    }
    RunPlanner planner(options);

    const MemberSet previous = setOf(snapshot);
    const MemberSet current = setOf(members);
    const MemberDiff diff = diffMembers(previous, current);

    // As the run does: the keys sent early go while the pages are read (one page here).
    QList<JournalBatch> batches;
    QByteArray early;
    int earlyCount = 0;
    for (size_t i = 0; i < current.size(); ++i) {
        const std::string_view k = current.key(i);
        if (!planner.sendsEarly(previous.contains(k)))
            continue;
        if (earlyCount++)
            early += '\n';
        early.append(k.data(), qsizetype(k.size()));
    }
    batches += planner.stream(early, earlyCount);

    QList<JournalBatch> earlier;
    for (const QString& b : uncertain)
        earlier.append(batchFrom(b));
    std::vector<std::string> holderKeys;
    for (const QString& h : holders)
        holderKeys.push_back(h.toStdString());
    const RunPlan plan = planner.plan(previous, current, diff, earlier, holderKeys);
    batches += plan.batches;

    QTEST(plan.entered, "entered");
    QTEST(plan.exited, "exited");
    QTEST(plan.unchanged, "unchanged");
    QTEST(toList(plan.repairAdds), "repairAdds");
    QTEST(toList(plan.repairRemoves), "repairRemoves");
    QStringList described;
    for (const JournalBatch& b : batches)
        described << describe(b);
    QTEST(described, "batches");

    int lastSeq = -1;
    for (const JournalBatch& b : batches) {
        QVERIFY2(b.seq > lastSeq, "batches are numbered in the order they are cut");
        lastSeq = b.seq;
        QCOMPARE(b.size, int(b.keyList().size()));
        QVERIFY(b.size <= maxUpdates);
        // The request bodies themselves keep to the byte limit (a lone oversized key aside).
        if (b.size > 1) {
            QVERIFY(options.bodies.engage(b).size() <= options.maxBodyBytes);
            if (events)
                QVERIFY(options.bodies.events(b).size() <= options.maxBodyBytes);
        }
    }
}

namespace {
// "k000".."k<n-1>" (sorted as strings: zero-padded).
QStringList keysFrom(int from, int to)
{
    QStringList out;
    for (int i = from; i < to; ++i)
        out << QStringLiteral("k%1").arg(i, 3, 10, QLatin1Char('0'));
    return out;
}
} // namespace

void TestRunPlanner::massExit_data()
{
    QTest::addColumn<RunKind>("kind");
    QTest::addColumn<QStringList>("snapshot");
    QTest::addColumn<QStringList>("members");
    QTest::addColumn<double>("share");         // percent, 0: off
    QTest::addColumn<QStringList>("accepted"); // an operator's --accept-exits
    QTest::addColumn<QStringList>("uncertain");
    QTest::addColumn<QString>("reason"); // holdReasonName
    QTest::addColumn<qint64>("held");
    QTest::addColumn<qint64>("exited"); // removes sent (repairs included)
    QTest::addColumn<qint64>("accepted_sent");
    QTest::addColumn<QStringList>("removes"); // every key of the remove batches, in order
    QTest::addColumn<QStringList>("repairAdds");

    const auto I = RunKind::Incremental;
    const auto F = RunKind::Full;
    const QStringList none;
    const QStringList ten = keysFrom(0, 10);
    const QStringList hundred = keysFrom(0, 100);

    QTest::newRow("3 of 10 leave: at the share, sent")
        << I << ten << keysFrom(3, 10) << 30.0 << none << none << QString() << 0ll << 3ll << 0ll
        << keysFrom(0, 3) << none;
    QTest::newRow("4 of 10 leave: past the share, held")
        << I << ten << keysFrom(4, 10) << 30.0 << none << none << QStringLiteral("share") << 4ll
        << 0ll << 0ll << none << none;
    QTest::newRow("held exits, entries still go")
        << I << ten << (keysFrom(4, 10) << QStringLiteral("new")) << 30.0 << none << none
        << QStringLiteral("share") << 4ll << 0ll << 0ll << none << none;
    QTest::newRow("a mapping's own share lets them go")
        << I << ten << keysFrom(4, 10) << 50.0 << none << none << QString() << 0ll << 4ll << 0ll
        << keysFrom(0, 4) << none;
    QTest::newRow("share off: everyone may leave a small cohort")
        << I << ten << none << 0.0 << none << none << QString() << 0ll << 10ll << 0ll << ten
        << none;
    QTest::newRow("share off: an empty read of 100 is still held")
        << I << hundred << none << 0.0 << none << none << QStringLiteral("empty_segment") << 100ll
        << 0ll << 0ll << none << none;
    QTest::newRow("an empty read of 99 is judged by the share only")
        << I << keysFrom(0, 99) << none << 0.0 << none << none << QString() << 0ll << 99ll << 0ll
        << keysFrom(0, 99) << none;
    QTest::newRow("empty read of 100, share 100 %: held all the same")
        << I << hundred << none << 100.0 << none << none << QStringLiteral("empty_segment") << 100ll
        << 0ll << 0ll << none << none;
    QTest::newRow("accepted: the held exits go")
        << I << ten << keysFrom(4, 10) << 30.0 << keysFrom(0, 4) << none << QString() << 0ll << 4ll
        << 4ll << keysFrom(0, 4) << none;
    QTest::newRow("accepted exits that came back are not removed")
        << I << ten << keysFrom(2, 10) << 30.0 << keysFrom(0, 4) << none << QString() << 0ll << 2ll
        << 2ll << keysFrom(0, 2) << none;
    QTest::newRow("accepted, and new exits past the share are held apart")
        << I << ten << keysFrom(8, 10) << 30.0 << keysFrom(0, 4) << none << QStringLiteral("share")
        << 4ll << 4ll << 4ll << keysFrom(0, 4) << none;
    QTest::newRow("accepted, new exits within the share go too")
        << I << ten << keysFrom(6, 10) << 30.0 << keysFrom(0, 4) << none << QString() << 0ll << 6ll
        << 4ll << keysFrom(0, 6) << none;
    QTest::newRow("a held exit whose remove is uncertain is added back")
        << I << ten << keysFrom(4, 10) << 30.0 << none
        << QStringList{QStringLiteral("remove:k000,k001")} << QStringLiteral("share") << 4ll << 0ll
        << 0ll << none << QStringList{QStringLiteral("k000"), QStringLiteral("k001")};
    QTest::newRow("full resync: exits from the snapshot are held the same")
        << F << ten << keysFrom(4, 10) << 30.0 << none << none << QStringLiteral("share") << 4ll
        << 0ll << 0ll << none << none;
    QTest::newRow("nothing synced yet: nothing to judge against")
        << I << none << keysFrom(0, 3) << 30.0 << none << none << QString() << 0ll << 0ll << 0ll
        << none << none;
}

void TestRunPlanner::massExit()
{
    QFETCH(RunKind, kind);
    QFETCH(QStringList, snapshot);
    QFETCH(QStringList, members);
    QFETCH(double, share);
    QFETCH(QStringList, accepted);
    QFETCH(QStringList, uncertain);

    PlanOptions options;
    options.kind = kind;
    options.bodies = bodiesFor(SyncMode::List, false);
    options.massExit.sharePercent = share;
    RunPlanner planner(options);
    planner.setAcceptedExits(accepted.join(QLatin1Char('\n')).toUtf8());

    const MemberSet previous = setOf(snapshot);
    const MemberSet current = setOf(members);
    const MemberDiff diff = diffMembers(previous, current);
    QList<JournalBatch> earlier;
    for (const QString& b : uncertain)
        earlier.append(batchFrom(b));

    // A dry run counts what a run would hold, and holds the same.
    PlanOptions dryOptions = options;
    dryOptions.kind = RunKind::DryRun;
    RunPlanner dry(dryOptions);
    dry.setAcceptedExits(accepted.join(QLatin1Char('\n')).toUtf8());
    const RunPlan counted = dry.count(previous, current, diff);
    QTEST(holdReasonName(counted.holdReason), "reason");
    QTEST(counted.held, "held");

    const RunPlan plan = planner.plan(previous, current, diff, earlier, {});
    QTEST(holdReasonName(plan.holdReason), "reason");
    QTEST(plan.held, "held");
    QCOMPARE(qint64(plan.heldKeys.size()), plan.held);
    QVERIFY(std::is_sorted(plan.heldKeys.begin(), plan.heldKeys.end()));
    QTEST(plan.exited, "exited");
    QTEST(plan.accepted, "accepted_sent");
    QStringList removes;
    for (const JournalBatch& b : plan.batches)
        if (b.op == JournalBatch::Op::Remove)
            for (const QByteArray& k : b.keyList())
                removes << QString::fromUtf8(k);
    QTEST(removes, "removes");
    QTEST(toList(plan.repairAdds), "repairAdds");
    // No held key is ever removed, and every exit is either held or sent.
    for (const std::string& k : plan.heldKeys) {
        QVERIFY(!removes.contains(QString::fromStdString(k)));
        QVERIFY(!current.contains(k));
    }
    if (kind != RunKind::Full)
        QCOMPARE(plan.held + plan.exited - qint64(plan.repairRemoves.size()),
                 qint64(diff.exited.size()));
}

void TestRunPlanner::judgeExits_data()
{
    QTest::addColumn<double>("share");
    QTest::addColumn<qint64>("lastSize");
    QTest::addColumn<qint64>("segment");
    QTest::addColumn<qint64>("exits");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no exits") << 30.0 << 1000ll << 1000ll << 0ll << QString();
    QTest::newRow("exactly the share") << 30.0 << 1000ll << 700ll << 300ll << QString();
    QTest::newRow("one past the share")
        << 30.0 << 1000ll << 699ll << 301ll << QStringLiteral("share");
    QTest::newRow("a fraction of a percent")
        << 0.5 << 1000ll << 994ll << 6ll << QStringLiteral("share");
    QTest::newRow("off") << 0.0 << 1000ll << 1ll << 999ll << QString();
    QTest::newRow("empty at the minimum")
        << 0.0 << 100ll << 0ll << 100ll << QStringLiteral("empty_segment");
    QTest::newRow("empty under the minimum, share on")
        << 30.0 << 99ll << 0ll << 99ll << QStringLiteral("share");
    QTest::newRow("nothing synced") << 30.0 << 0ll << 0ll << 0ll << QString();
}

void TestRunPlanner::judgeExits()
{
    QFETCH(double, share);
    QFETCH(qint64, lastSize);
    QFETCH(qint64, segment);
    QFETCH(qint64, exits);
    MassExitGuard guard;
    guard.sharePercent = share;
    QTEST(holdReasonName(lockstep::judgeExits(guard, lastSize, segment, exits)), "reason");
}

void TestRunPlanner::streamCutsFullBatchesAsKeysArrive_data()
{
    QTest::addColumn<QStringList>("pages"); // keys sent early, page by page ("a,b")
    QTest::addColumn<int>("maxUpdates");
    QTest::addColumn<QList<int>>("batchesAfterPage");
    QTest::addColumn<int>("held");

    QTest::newRow("short pages wait for a full batch")
        << QStringList{"a", "b", "c"} << 3 << QList<int>{0, 0, 1} << 0;
    QTest::newRow("a long page leaves several")
        << QStringList{"a,b,c,d,e,f,g"} << 3 << QList<int>{2} << 1;
    QTest::newRow("the rest is held for the plan")
        << QStringList{"a,b", "c"} << 5 << QList<int>{0, 0} << 3;
}

void TestRunPlanner::streamCutsFullBatchesAsKeysArrive()
{
    QFETCH(QStringList, pages);
    QFETCH(int, maxUpdates);
    QFETCH(QList<int>, batchesAfterPage);
    QFETCH(int, held);

    PlanOptions options;
    options.maxUpdates = maxUpdates;
    options.bodies = bodiesFor(SyncMode::List, false);
    RunPlanner planner(options);
    QStringList sent;
    for (qsizetype i = 0; i < pages.size(); ++i) {
        const QStringList keys = pages[i].split(QLatin1Char(','));
        const QList<JournalBatch> out =
            planner.stream(keys.join(QLatin1Char('\n')).toUtf8(), int(keys.size()));
        QCOMPARE(int(out.size()), batchesAfterPage[i]);
        for (const JournalBatch& b : out) {
            QCOMPARE(b.size, maxUpdates);
            sent << describe(b);
        }
    }
    QCOMPARE(planner.heldKeys(), held);
    // The held rest is the first batch of the plan.
    const MemberSet empty;
    const RunPlan plan = planner.plan(empty, empty, MemberDiff{}, {}, {});
    QCOMPARE(int(plan.batches.size()), held > 0 ? 1 : 0);
    if (held > 0)
        QCOMPARE(plan.batches.front().size, held);
}

void TestRunPlanner::bodiesFollowTheMode_data()
{
    QTest::addColumn<SyncMode>("mode");
    QTest::addColumn<bool>("events");
    QTest::addColumn<bool>("add");
    QTest::addColumn<QByteArray>("engageHas");
    QTest::addColumn<QByteArray>("eventHas"); // empty: no events are sent

    QTest::newRow("list mode, entry")
        << SyncMode::List << false << true
        << QByteArray("\"$union\":{\"cio_cohorts\":[\"VIP customers\"]}") << QByteArray();
    QTest::newRow("list mode, exit")
        << SyncMode::List << false << false
        << QByteArray("\"$remove\":{\"cio_cohorts\":\"VIP customers\"}") << QByteArray();
    QTest::newRow("flag mode, entry")
        << SyncMode::Flag << false << true << QByteArray("\"$set\":{\"VIP customers\":true}")
        << QByteArray();
    QTest::newRow("flag mode, exit")
        << SyncMode::Flag << false << false << QByteArray("\"$unset\":[\"VIP customers\"]")
        << QByteArray();
    QTest::newRow("events on, entry") << SyncMode::List << true << true << QByteArray("\"$union\"")
                                      << QByteArray("\"event\":\"Cohort Entered\"");
    QTest::newRow("events on, exit") << SyncMode::Flag << true << false << QByteArray("\"$unset\"")
                                     << QByteArray("\"event\":\"Cohort Exited\"");
}

void TestRunPlanner::bodiesFollowTheMode()
{
    QFETCH(SyncMode, mode);
    QFETCH(bool, events);
    QFETCH(bool, add);
    QFETCH(QByteArray, engageHas);
    QFETCH(QByteArray, eventHas);

    const BatchBodies bodies = bodiesFor(mode, events);
    QCOMPARE(bodies.sendsEvents(), events);
    JournalBatch b;
    b.op = add ? JournalBatch::Op::Add : JournalBatch::Op::Remove;
    b.keys = "alice@example.com\nbob \"the\" builder\ncarol\\x";
    b.size = 3;
    const QByteArray engage = bodies.engage(b);
    QVERIFY2(engage.contains(engageHas), engage.constData());
    QVERIFY(engage.contains("\"$distinct_id\":\"bob \\\"the\\\" builder\""));
    // keyBytes() is exact: the body is '[' + updates + ']' with one ',' fewer than keys.
    qsizetype sum = 2;
    for (const QByteArray& k : b.keyList())
        sum += bodies.keyBytes(b.op, std::string_view(k.constData(), size_t(k.size())));
    if (!events) {
        QCOMPARE(engage.size(), sum - 1);
        return;
    }
    const QByteArray ev = bodies.events(b);
    QVERIFY2(ev.contains(eventHas), ev.constData());
    QCOMPARE(std::max(engage.size(), ev.size()), sum - 1);
    // The same change gets the same $insert_id in a resumed run.
    QVERIFY(ev.contains(BatchBodies::eventInsertId(7, 3, add, "carol\\x")));
}

void TestRunPlanner::ending_data()
{
    QTest::addColumn<RunPhase>("phase");
    QTest::addColumn<QString>("situation"); // cancel, graceful, notready, error, dry
    QTest::addColumn<qint64>("planned");
    QTest::addColumn<qint64>("failed");
    QTest::addColumn<qint64>("unsent");
    QTest::addColumn<bool>("sendError");
    QTest::addColumn<RunStatus>("status");
    QTest::addColumn<QString>("message");

    const auto P = [](RunPhase p) { return p; };
    QTest::newRow("all acknowledged") << P(RunPhase::Settling) << QString() << 10ll << 0ll << 0ll
                                      << false << RunStatus::Succeeded << QStringLiteral("notes");
    QTest::newRow("some batches failed")
        << P(RunPhase::Sending) << QString() << 10ll << 4ll << 0ll << true << RunStatus::Partial
        << QStringLiteral("4 of 10 changes were not acknowledged: boom");
    QTest::newRow("every batch failed") << P(RunPhase::Sending) << QString() << 10ll << 10ll << 0ll
                                        << true << RunStatus::Failed << QStringLiteral("boom");
    QTest::newRow("cancelled while sending")
        << P(RunPhase::Sending) << QStringLiteral("cancel") << 10ll << 6ll << 6ll << false
        << RunStatus::Cancelled << QStringLiteral("stopped; 6 changes left for the next run");
    QTest::newRow("graceful stop with changes unsent")
        << P(RunPhase::Sending) << QStringLiteral("graceful") << 10ll << 6ll << 6ll << false
        << RunStatus::Cancelled << QStringLiteral("stopped; 6 changes left for the next run");
    QTest::newRow("graceful stop after the last batch")
        << P(RunPhase::Settling) << QStringLiteral("graceful") << 10ll << 0ll << 0ll << false
        << RunStatus::Succeeded << QStringLiteral("notes");
    QTest::newRow("graceful stop while reading")
        << P(RunPhase::Reading) << QStringLiteral("graceful") << 4ll << 0ll << 0ll << false
        << RunStatus::Cancelled
        << QStringLiteral("stopped while reading the segment; the next run continues");
    QTest::newRow("cancelled while reading")
        << P(RunPhase::Reading) << QStringLiteral("cancel") << 0ll << 0ll << 0ll << false
        << RunStatus::Cancelled << QStringLiteral("cancelled while reading the segment");
    QTest::newRow("cancelled while checking the segment")
        << P(RunPhase::CheckingSegment) << QStringLiteral("cancel") << 0ll << 0ll << 0ll << false
        << RunStatus::Cancelled << QStringLiteral("cancelled");
    QTest::newRow("sending halted while reading")
        << P(RunPhase::Reading) << QString() << 4ll << 4ll << 0ll << true << RunStatus::Failed
        << QStringLiteral("boom");
    QTest::newRow("segment not ready")
        << P(RunPhase::CheckingSegment) << QStringLiteral("notready") << 0ll << 0ll << 0ll << false
        << RunStatus::Skipped << QStringLiteral("still building");
    QTest::newRow("a read failed")
        << P(RunPhase::Reading) << QStringLiteral("error") << 0ll << 0ll << 0ll << false
        << RunStatus::Failed << QStringLiteral("page lost");
    QTest::newRow("dry run") << P(RunPhase::Settling) << QStringLiteral("dry") << 0ll << 0ll << 0ll
                             << false << RunStatus::Succeeded
                             << QStringLiteral("dry run: nothing was sent");
    QTest::newRow("dry run cancelled after the diff")
        << P(RunPhase::Settling) << QStringLiteral("dry,cancel") << 0ll << 0ll << 0ll << false
        << RunStatus::Succeeded << QStringLiteral("dry run: nothing was sent");
}

void TestRunPlanner::ending()
{
    QFETCH(RunPhase, phase);
    QFETCH(QString, situation);
    QFETCH(qint64, planned);
    QFETCH(qint64, failed);
    QFETCH(qint64, unsent);
    QFETCH(bool, sendError);

    RunTally t;
    t.phase = phase;
    t.cancelled = situation.contains(QLatin1String("cancel"));
    t.stoppedGracefully = situation.contains(QLatin1String("graceful"));
    t.dryRun = situation.contains(QLatin1String("dry"));
    if (situation.contains(QLatin1String("notready")))
        t.notReady = QStringLiteral("still building");
    if (situation.contains(QLatin1String("error")))
        t.runError = SyncError::make(SyncError::Category::Network, QStringLiteral("page lost"));
    if (sendError)
        t.sendError = SyncError::make(SyncError::Category::Server, QStringLiteral("boom"));
    t.planned = planned;
    t.failed = failed;
    t.unsent = unsent;
    t.notes = QStringLiteral("notes");
    const RunEnding e = decideEnding(t);
    QTEST(e.status, "status");
    QTEST(e.message, "message");
    QCOMPARE(e.errorCategory.isEmpty(), !sendError && !t.runError.isError());
}

void TestRunPlanner::transitions_data()
{
    QTest::addColumn<QList<RunPhase>>("path");
    QTest::addColumn<bool>("legal");
    using P = RunPhase;
    QTest::newRow("incremental run")
        << QList<P>{P::Created, P::CheckingSegment, P::LoadingSnapshot, P::Reading,   P::Diffing,
                    P::Sending, P::Verifying,       P::Settling,        P::Finishing, P::Done}
        << true;
    QTest::newRow("full resync lists holders")
        << QList<P>{P::LoadingSnapshot, P::ListingHolders, P::Reading} << true;
    QTest::newRow("dry run waits for the exit check")
        << QList<P>{P::Diffing, P::Settling, P::Finishing} << true;
    QTest::newRow("skipped") << QList<P>{P::CheckingSegment, P::Finishing, P::Done} << true;
    QTest::newRow("stopped while reading")
        << QList<P>{P::Reading, P::Stopping, P::Finishing, P::Done} << true;
    QTest::newRow("graceful stop verifies late")
        << QList<P>{P::Sending, P::Settling, P::Verifying, P::Finishing} << true;
    QTest::newRow("no sending before the plan") << QList<P>{P::Reading, P::Sending} << false;
    QTest::newRow("no way back to reading") << QList<P>{P::Sending, P::Reading} << false;
    QTest::newRow("a stop finishes") << QList<P>{P::Stopping, P::Sending} << false;
    QTest::newRow("done is final") << QList<P>{P::Done, P::Created} << false;
}

void TestRunPlanner::transitions()
{
    QFETCH(QList<RunPhase>, path);
    QFETCH(bool, legal);
    bool all = true;
    for (qsizetype i = 1; i < path.size(); ++i)
        all = all && isLegalTransition(path[i - 1], path[i]);
    QCOMPARE(all, legal);
    for (RunPhase p : path)
        QVERIFY(!runPhaseName(p).isEmpty());
}

QTEST_GUILESS_MAIN(TestRunPlanner)
#include "tst_runplanner.moc"
