// A fleet on one Customer.io App API key, driven through the CLI against the sandbox:
// - the exit check samples while the key is contended: in a `sync --all` read one
//   mapping at a time, the runs whose exits are known while other mappings wait to be
//   read look up a random 100 of them (drawn from the run's id), say so and estimate the
//   merged share; the last run, and a lone `sync --mapping`, look every exit up. The
//   vanished keys recorded are exactly the merged-away ones among those the run's id
//   draws, and the interval holds the true share (the sandbox's merges);
// - the runs of one sync are verified together, one Mixpanel query per 1000 keys, and
//   the hour's verification queries are bounded (verify_queries_per_hour) and shown by
//   `status --json`;
// - the key stays busy while runs wait on Mixpanel: with every /engage answered 2.5 s
//   late, the next mappings are read meanwhile, so no gap between two Customer.io
//   requests comes near that (the control row, which keeps a run's reading slot until
//   it ends, shows the gap the test would catch).
#include "sandboxprocess.h"
#include "testdatabase.h"

#include "store/mismatchrepository.h"
#include "store/workspace.h"
#include "util/sampling.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>

using lockstep::MismatchReason;
using lockstep::MismatchRepository;
using lockstep::Workspace;
using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {

QString cohortName(int i)
{
    return QStringLiteral("CIO | Fleet %1 | 30d").arg(i);
}

// `segments` segments of `size` from a population with 5 % merged on the first tick, and
// churn: `exited` leave and a few join each tick.
QJsonObject scenario(int segments, int size, int exited)
{
    QJsonArray cohorts, list;
    for (int i = 1; i <= segments; ++i) {
        cohorts.append(QJsonObject{{QStringLiteral("id"), i},
                                   {QStringLiteral("name"), cohortName(i)},
                                   {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                   {QStringLiteral("value"), cohortName(i)}});
        list.append(QJsonObject{
            {QStringLiteral("id"), i},
            {QStringLiteral("name"), QStringLiteral("Fleet %1").arg(i)},
            {QStringLiteral("size"), size},
            {QStringLiteral("churn"),
             QJsonObject{{QStringLiteral("entered"), 40}, {QStringLiteral("exited"), exited}}}});
    }
    return QJsonObject{
        {QStringLiteral("seed"), 31},
        {QStringLiteral("customerio"), QJsonObject{{QStringLiteral("rate_limit_per_second"), 10}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("cohorts"), cohorts},
                     {QStringLiteral("existing_profile_share"), 0.7},
                     {QStringLiteral("existing_profile_key"), QStringLiteral("cio_id")}}},
        {QStringLiteral("population"),
         QJsonObject{{QStringLiteral("size"), segments * size},
                     {QStringLiteral("anomalies"), QJsonObject{{QStringLiteral("merged"), 0.05}}}}},
        {QStringLiteral("segments"), list}};
}

QSet<QString> cioIds(const QJsonArray& people)
{
    QSet<QString> out;
    for (const QJsonValue& p : people)
        out.insert(p.toObject().value(QStringLiteral("cio_id")).toString());
    return out;
}

QStringList sorted(const QSet<QString>& set)
{
    QStringList out(set.begin(), set.end());
    std::sort(out.begin(), out.end());
    return out;
}

struct Cli
{
    int exitCode = -1;
    QJsonArray runs; // `sync --json`
    QJsonObject doc; // other commands' --json
    QByteArray err;
};

// Requests of one route family in the sandbox's log, by arrival time.
QList<qint64> arrivals(const QJsonObject& stats, const QString& prefix)
{
    QList<qint64> out;
    for (const QJsonValue& v : stats.value(QStringLiteral("log")).toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("route")).toString().startsWith(prefix))
            out.append(e.value(QStringLiteral("t_ms")).toInteger());
    }
    std::sort(out.begin(), out.end());
    return out;
}

int countRoute(const QJsonObject& stats, const QString& route)
{
    return stats.value(QStringLiteral("routes"))
        .toObject()
        .value(route)
        .toObject()
        .value(QStringLiteral("requests"))
        .toInt();
}

} // namespace

class TestFleet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contendedRunsSampleTheirExits();
    void fleetIsVerifiedTogetherWithinTheBound();
    void keyStaysBusyWhileRunsWaitOnMixpanel_data();
    void keyStaysBusyWhileRunsWaitOnMixpanel();

private:
    void start(const QJsonObject& scenario, int mappings);
    Cli lockstep(const QStringList& args, const QMap<QString, QString>& env = {});
    QMap<qint64, QList<lockstep::StoredMismatch>> mismatchesByMapping(MismatchReason reason);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxProcess> m_sandbox;
    QString m_workspace;
};

void TestFleet::start(const QJsonObject& scenario, int mappings)
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_sandbox = std::make_unique<SandboxProcess>(scenario);
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_workspace = TestDatabase::freshWorkspace(m_dir->path());
    QVERIFY(!m_workspace.isEmpty());
    Cli c = lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                      m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                      m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                      m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                      QString::number(m_sandbox->projectId())});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    for (int i = 1; i <= mappings; ++i) {
        c = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                      QString::number(i), QStringLiteral("--cohort"), cohortName(i),
                      QStringLiteral("--identity"), QStringLiteral("cio_id")});
        QVERIFY2(c.exitCode == 0, c.err.constData());
    }
}

Cli TestFleet::lockstep(const QStringList& args, const QMap<QString, QString>& extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.02"));
    for (auto it = extra.begin(); it != extra.end(); ++it)
        env.insert(it.key(), it.value());
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            QStringList{QStringLiteral("--workspace"), m_workspace} + args);
    Cli c;
    if (!p.waitForFinished(240000)) {
        p.kill();
        p.waitForFinished();
        return c;
    }
    c.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    c.err = p.readAllStandardError();
    const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput());
    c.runs = doc.array();
    c.doc = doc.object();
    return c;
}

QMap<qint64, QList<lockstep::StoredMismatch>> TestFleet::mismatchesByMapping(MismatchReason reason)
{
    QMap<qint64, QList<lockstep::StoredMismatch>> out;
    auto ws = Workspace::open(m_workspace);
    if (!ws)
        return out;
    auto all = MismatchRepository(**ws).list();
    if (!all)
        return out;
    for (const lockstep::StoredMismatch& m : *all)
        if (m.mismatch.reason == reason)
            out[m.mappingId].append(m);
    return out;
}

void TestFleet::contendedRunsSampleTheirExits()
{
    constexpr int kMappings = 4;
    start(scenario(kMappings, 1500, 200), kMappings);
    if (QTest::currentTestFailed())
        return;
    // One mapping read at a time, in pages of 500: while a run's exits are looked up the
    // next mappings wait for the key.
    const QMap<QString, QString> oneAtATime{
        {QStringLiteral("LOCKSTEP_PARALLEL_MAPPINGS"), QStringLiteral("1")},
        {QStringLiteral("LOCKSTEP_PAGE_SIZE"), QStringLiteral("500")}};
    Cli c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                     oneAtATime);
    QVERIFY2(c.exitCode == 0, c.err.constData());

    // The sandbox's own account of who leaves, and who of them was merged away.
    std::map<int, QSet<QString>> before;
    for (int i = 1; i <= kMappings; ++i)
        before[i] = cioIds(m_sandbox->segmentMembers(i));
    QVERIFY(m_sandbox->tick().value(QStringLiteral("merged")).toInt() > 0);
    QSet<QString> secondaries;
    const QJsonObject merges =
        m_sandbox->control("GET", QStringLiteral("/_sandbox/merges")).toObject();
    for (const QJsonValue& m : merges.value(QStringLiteral("merges")).toArray())
        secondaries.insert(m.toObject()
                               .value(QStringLiteral("secondary"))
                               .toObject()
                               .value(QStringLiteral("cio_id"))
                               .toString());
    std::map<int, QStringList> exits; // in key order, the snapshot's
    for (int i = 1; i <= kMappings; ++i)
        exits[i] = sorted(before[i] - cioIds(m_sandbox->segmentMembers(i)));

    m_sandbox->resetStats();
    c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                 oneAtATime);
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QCOMPARE(c.runs.size(), kMappings);
    const auto vanished = mismatchesByMapping(MismatchReason::VanishedAfterMerge);
    int sampledRuns = 0;
    int lookups = 0;
    for (const QJsonValue& v : c.runs) {
        const QJsonObject run = v.toObject();
        const int mapping = int(run.value(QStringLiteral("mapping_id")).toInteger());
        const QStringList& left = exits[mapping];
        QVERIFY2(left.size() > 150, qPrintable(QString::number(left.size())));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        const QJsonObject check = run.value(QStringLiteral("exit_check")).toObject();
        const QString extent = check.value(QStringLiteral("extent")).toString();
        const int checked = check.value(QStringLiteral("checked")).toInt();
        QCOMPARE(check.value(QStringLiteral("exits")).toInt(), left.size());
        // The keys looked up: the first `checked` of the order drawn from the run's id.
        QSet<QString> asked;
        for (uint32_t i :
             lockstep::sampleOrder(quint64(run.value(QStringLiteral("run_id")).toInteger()),
                                   uint32_t(left.size()), uint32_t(checked)))
            asked.insert(left.at(qsizetype(i)));
        const QSet<QString> merged = asked & secondaries;
        QSet<QString> recorded;
        for (const lockstep::StoredMismatch& m : vanished.value(mapping))
            recorded.insert(m.mismatch.distinctId);
        QCOMPARE(sorted(recorded), sorted(merged));
        QCOMPARE(check.value(QStringLiteral("vanished")).toInt(), merged.size());
        lookups += (checked + 99) / 100;
        const QString message = run.value(QStringLiteral("message")).toString();
        if (extent == QLatin1String("sample")) {
            ++sampledRuns;
            QCOMPARE(checked, 100);
            QVERIFY(check.value(QStringLiteral("sampled")).toBool());
            QVERIFY2(
                message.contains(QStringLiteral("%1 of %2 exits were not looked up (the "
                                                "Customer.io key was busy with other mappings)")
                                     .arg(left.size() - 100)
                                     .arg(left.size())),
                qPrintable(message));
            // The 95 % interval holds the true share of the mapping's exits.
            const double truth =
                double((QSet<QString>(left.begin(), left.end()) & secondaries).size()) /
                left.size();
            QVERIFY2(check.value(QStringLiteral("interval_low")).toDouble() <= truth &&
                         truth <= check.value(QStringLiteral("interval_high")).toDouble(),
                     qPrintable(QStringLiteral("%1 not in [%2, %3]")
                                    .arg(truth)
                                    .arg(check.value(QStringLiteral("interval_low")).toDouble())
                                    .arg(check.value(QStringLiteral("interval_high")).toDouble())));
            QCOMPARE(check.value(QStringLiteral("estimated_vanished")).toInteger(),
                     lockstep::estimateShare(merged.size(), 100, left.size()).estimatedHits());
        } else {
            // Nobody else waits for the key: every exit.
            QCOMPARE(extent, QStringLiteral("all"));
            QCOMPARE(checked, left.size());
            QVERIFY2(!message.contains(QStringLiteral("not looked up")), qPrintable(message));
        }
    }
    // Every run but the last to read waited on the others: it sampled.
    QCOMPARE(sampledRuns, kMappings - 1);
    QCOMPARE(countRoute(m_sandbox->stats(), QStringLiteral("cio.customer_attributes")), lookups);

    // A lone run has the key to itself: every exit.
    m_sandbox->tick();
    c = lockstep({QStringLiteral("sync"), QStringLiteral("--mapping"), QStringLiteral("2"),
                  QStringLiteral("--json")},
                 oneAtATime);
    QVERIFY2(c.exitCode == 0, c.err.constData());
    const QJsonObject lone = c.runs.at(0).toObject();
    QCOMPARE(lone.value(QStringLiteral("exit_check")).toObject().value(QStringLiteral("extent")),
             QJsonValue(QStringLiteral("all")));
    QCOMPARE(lone.value(QStringLiteral("exits_checked")).toInt(),
             lone.value(QStringLiteral("exited")).toInt());
}

void TestFleet::fleetIsVerifiedTogetherWithinTheBound()
{
    constexpr int kMappings = 5;
    start(scenario(kMappings, 800, 100), kMappings);
    if (QTest::currentTestFailed())
        return;
    // The first sync: 800 entered per mapping, 4000 keys sampled; verified together in
    // the queries half the hour's bound of 12 allows: 6 queries of 1000 keys hold them.
    m_sandbox->resetStats();
    Cli c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QCOMPARE(c.runs.size(), kMappings);
    int keys = 0;
    for (const QJsonValue& v : c.runs) {
        const QJsonObject e = v.toObject().value(QStringLiteral("verification")).toObject();
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("verified"));
        QCOMPARE(e.value(QStringLiteral("verified")).toInt(), 800);
        const QJsonObject batch = e.value(QStringLiteral("batch")).toObject();
        QCOMPARE(batch.value(QStringLiteral("runs")).toInt(), kMappings);
        QCOMPARE(batch.value(QStringLiteral("verify_queries_per_hour")).toInt(), 12);
        keys = batch.value(QStringLiteral("keys")).toInt();
        // One query per up to 1000 distinct keys.
        QCOMPARE(batch.value(QStringLiteral("queries")).toInt(), (keys + 999) / 1000);
    }
    QVERIFY2(keys > 1000 && keys <= kMappings * 800, qPrintable(QString::number(keys)));
    // The unknown keys each run reports are the rows it recorded.
    const auto unknown = mismatchesByMapping(MismatchReason::UnknownToMixpanel);
    int reported = 0;
    for (const QJsonValue& v : c.runs) {
        const QJsonObject run = v.toObject();
        const int n = run.value(QStringLiteral("verification"))
                          .toObject()
                          .value(QStringLiteral("unknown_to_mixpanel"))
                          .toInt();
        QCOMPARE(unknown.value(run.value(QStringLiteral("mapping_id")).toInteger()).size(), n);
        reported += n;
    }
    QVERIFY(reported > 0); // 30 % of the people have no profile of the app's
    QJsonObject stats = m_sandbox->stats();
    // The holders of each full resync's cohort (one query each) and the keys' queries.
    const int verifyQueries = (keys + 999) / 1000;
    QCOMPARE(countRoute(stats, QStringLiteral("mp.query.engage")),
             kMappings + verifyQueries + 1 /* the token probe's read */);

    // After churn: 5 runs with a few dozen entered keys each, one query for all of them.
    m_sandbox->tick();
    m_sandbox->resetStats();
    c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    for (const QJsonValue& v : c.runs) {
        const QJsonObject run = v.toObject();
        const QJsonObject e = run.value(QStringLiteral("verification")).toObject();
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("verified"));
        QCOMPARE(e.value(QStringLiteral("verified")).toInteger(),
                 run.value(QStringLiteral("entered")).toInteger());
        QCOMPARE(e.value(QStringLiteral("batch")).toObject().value(QStringLiteral("queries")),
                 QJsonValue(1));
    }
    QCOMPARE(countRoute(m_sandbox->stats(), QStringLiteral("mp.query.engage")), 1);

    // The hour's bound: with the verification queries spent, the next sync verifies
    // nothing, says why, and spends no query on it.
    const int spent = verifyQueries + 1;
    c = lockstep({QStringLiteral("config"), QStringLiteral("set"),
                  QStringLiteral("verify_queries_per_hour"), QString::number(spent)});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    m_sandbox->tick();
    m_sandbox->resetStats();
    c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    for (const QJsonValue& v : c.runs) {
        const QJsonObject run = v.toObject();
        const QJsonObject e = run.value(QStringLiteral("verification")).toObject();
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
        QVERIFY2(run.value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("verification queries an hour "
                                              "(verify_queries_per_hour) are spent")),
                 qPrintable(run.value(QStringLiteral("message")).toString()));
    }
    QCOMPARE(countRoute(m_sandbox->stats(), QStringLiteral("mp.query.engage")), 0);

    // Visible: what the hour's queries went to, and the bound.
    c = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject budget = c.doc.value(QStringLiteral("query_budget")).toObject();
    QCOMPARE(budget.value(QStringLiteral("per_hour")).toInt(), 60);
    QCOMPARE(budget.value(QStringLiteral("verify_per_hour")).toInt(), spent);
    QCOMPARE(budget.value(QStringLiteral("verify_used_this_hour")).toInt(), spent);
    int byPurpose = 0;
    for (const QJsonValue& v : budget.value(QStringLiteral("by_purpose")).toArray())
        byPurpose += v.toObject().value(QStringLiteral("queries")).toInt();
    QCOMPARE(byPurpose, budget.value(QStringLiteral("used_this_hour")).toInt());
    QVERIFY(budget.value(QStringLiteral("used_this_hour")).toInt() >= spent + kMappings);
}

void TestFleet::keyStaysBusyWhileRunsWaitOnMixpanel_data()
{
    QTest::addColumn<bool>("packed");
    QTest::newRow("packed") << true;
    QTest::newRow("a run keeps its slot to the end (control)") << false;
}

void TestFleet::keyStaysBusyWhileRunsWaitOnMixpanel()
{
    QFETCH(bool, packed);
    constexpr int kMappings = 4;
    constexpr int kLatencyMs = 2500;
    start(scenario(kMappings, 1000, 50), kMappings);
    if (QTest::currentTestFailed())
        return;
    // Every /engage (the token probe's write, every batch) is answered 2.5 s late. Two
    // mappings read at once: the other two wait for the key, then for a reading slot.
    m_sandbox->setFaults(
        QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.engage")},
                               {QStringLiteral("latency_ms"), kLatencyMs}}});
    m_sandbox->resetStats();
    QMap<QString, QString> env{{QStringLiteral("LOCKSTEP_PARALLEL_MAPPINGS"), QStringLiteral("2")},
                               {QStringLiteral("LOCKSTEP_PAGE_SIZE"), QStringLiteral("250")},
                               {QStringLiteral("LOCKSTEP_VERIFY_SAMPLE"), QStringLiteral("0")}};
    if (!packed)
        env.insert(QStringLiteral("LOCKSTEP_RUNS_IN_FLIGHT"), QStringLiteral("2"));
    const Cli c =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, env);
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QCOMPARE(c.runs.size(), kMappings);
    const QList<qint64> cio = arrivals(m_sandbox->stats(), QStringLiteral("cio."));
    QCOMPARE(cio.size(), kMappings * (1 + 1000 / 250)); // the segment and its pages
    qint64 gap = 0;
    for (qsizetype i = 1; i < cio.size(); ++i)
        gap = std::max(gap, cio[i] - cio[i - 1]);
    qInfo("longest gap between two Customer.io requests: %lld ms", gap);
    if (packed)
        // The key waits for nobody's Mixpanel replies: the next mappings read meanwhile.
        QVERIFY2(gap < kLatencyMs / 2, qPrintable(QString::number(gap)));
    else
        // Runs that hold their slot while Mixpanel answers leave the key idle that long.
        QVERIFY2(gap >= kLatencyMs * 3 / 4, qPrintable(QString::number(gap)));
}

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
