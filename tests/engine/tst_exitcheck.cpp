// Vanished after a merge: a Customer.io merge deletes the secondary person, whose
// key leaves the segment like an exit. After a sync the exits are looked up in Customer.io;
// those it no longer knows are recorded as vanished_after_merge, real exits are not, and
// every exit is still removed from Mixpanel. The number of vanished members is predicted
// from the sandbox's own state (its merges and segment members), not from the engine.
// Driven through the CLI (`lockstep sync --json`, `--exit-check N`); records read from the
// workspace.
#include "sandboxprocess.h"
#include "testdatabase.h"

#include "identity/identityresolver.h"
#include "store/mismatchrepository.h"
#include "store/records.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "util/sampling.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using lockstep::MismatchReason;
using lockstep::MismatchRepository;
using lockstep::Workspace;
using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {
const QString kCohort = QStringLiteral("CIO | Merges | 30d");

struct Cli
{
    int exitCode = -1;
    QJsonObject run; // the first run of `sync --json`
    QByteArray err;
};

// 4000 people, 5 % of them merged on the first tick (200 merges), churn on top; mixed-case
// e-mails so the e-mail lookup has to normalise as the engine does.
QJsonObject mergeScenario()
{
    return QJsonObject{
        {QStringLiteral("seed"), 21},
        {QStringLiteral("customerio"), QJsonObject{{QStringLiteral("rate_limit_per_second"), 10}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{
             {QStringLiteral("cohorts"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                     {QStringLiteral("name"), QStringLiteral("Merges")},
                                     {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                     {QStringLiteral("value"), kCohort}}}}}},
        {QStringLiteral("population"),
         QJsonObject{{QStringLiteral("size"), 4000},
                     {QStringLiteral("anomalies"),
                      QJsonObject{{QStringLiteral("merged"), 0.05},
                                  {QStringLiteral("mixed_case_email"), 0.2}}}}},
        {QStringLiteral("segments"),
         QJsonArray{
             QJsonObject{{QStringLiteral("id"), 1},
                         {QStringLiteral("name"), QStringLiteral("Merging")},
                         {QStringLiteral("size"), 2000},
                         {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), 60},
                                                               {QStringLiteral("exited"), 150}}}}}},
    };
}

// A member's Mixpanel key as the identity rules make it (e-mails trimmed, lower-cased).
QString keyOf(const QJsonObject& person, const QString& identity)
{
    const QString v = person.value(identity).toString().trimmed();
    return identity == QLatin1String("email") ? v.toLower() : v;
}

QSet<QString> keysOf(const QJsonArray& people, const QString& identity)
{
    QSet<QString> out;
    for (const QJsonValue& p : people)
        if (const QString k = keyOf(p.toObject(), identity); !k.isEmpty())
            out.insert(k);
    return out;
}

// Every identity problem the resolver finds while reading, shared keys included (found
// when the members are merged, and written after the rest): e-mails missing, invalid,
// shared exactly or after normalising; ids missing or placeholders.
QJsonObject identityScenario()
{
    QJsonObject o = mergeScenario();
    o.insert(QStringLiteral("population"),
             QJsonObject{{QStringLiteral("size"), 3000},
                         {QStringLiteral("anomalies"),
                          QJsonObject{{QStringLiteral("missing_email"), 0.03},
                                      {QStringLiteral("mixed_case_email"), 0.2},
                                      {QStringLiteral("duplicate_email"), 0.05},
                                      {QStringLiteral("placeholder_id"), 0.03},
                                      {QStringLiteral("missing_id"), 0.03},
                                      {QStringLiteral("merged"), 0.0}}}});
    o.insert(
        QStringLiteral("people"),
        QJsonArray{
            QJsonObject{{QStringLiteral("id"), QStringLiteral("bad-1")},
                        {QStringLiteral("email"), QStringLiteral("not-an-email")}},
            QJsonObject{{QStringLiteral("id"), QStringLiteral("bad-2")},
                        {QStringLiteral("email"), QStringLiteral("two@@ats.example")}},
            QJsonObject{{QStringLiteral("id"), QStringLiteral("spelling-1")},
                        {QStringLiteral("email"), QStringLiteral("Same.Person@Example.com")}},
            QJsonObject{{QStringLiteral("id"), QStringLiteral("spelling-2")},
                        {QStringLiteral("email"), QStringLiteral(" same.person@example.com")}}});
    return o;
}

// A mismatch as one comparable line.
QString lineOf(const lockstep::IdentityMismatch& m)
{
    return QStringList{lockstep::mismatchReasonName(m.reason), m.cioId,
                       m.personId.value_or(QStringLiteral("<null>")),
                       m.email.value_or(QStringLiteral("<null>")), m.distinctId}
        .join(QLatin1Char('|'));
}

std::optional<QString> optionalText(const QJsonValue& v)
{
    return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
}

QStringList sorted(const QSet<QString>& set)
{
    QStringList out(set.begin(), set.end());
    std::sort(out.begin(), out.end());
    return out;
}
} // namespace

class TestExitCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void vanishedAreExactlyTheMergedExits_data();
    void vanishedAreExactlyTheMergedExits();
    void capLimitsTheLookups();
    void failedLookupLeavesTheRunSucceeded_data();
    void failedLookupLeavesTheRunSucceeded();
    void resolverMismatchesReachTheWorkspace_data();
    void resolverMismatchesReachTheWorkspace();
    void snapshotFollowsTheSegmentRunAfterRun_data();
    void snapshotFollowsTheSegmentRunAfterRun();

private:
    // A fresh sandbox and workspace, a mapping on segment 1 with `identity`, a first sync
    // (everyone enters), then one tick: merges and churn. Fills the expectations.
    void prepare(const QString& identity);
    // A fresh sandbox on `scenario`, a workspace connected to it, a mapping on segment 1.
    void start(const QJsonObject& scenario, const QString& identity);
    Cli lockstep(const QStringList& args);
    QList<lockstep::StoredMismatch> vanishedRecords();
    QStringList vanishedKeys();
    int lookupRequests();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxProcess> m_sandbox;
    QString m_workspace;
    QString m_identity;
    int m_mergeDelayMs = 0;   // LOCKSTEP_TEST_MERGE_DELAY_MS for the next command
    int m_loadDelayMs = 0;    // LOCKSTEP_TEST_LOAD_DELAY_MS for the next command
    QSet<QString> m_after;    // members' keys after the tick
    QSet<QString> m_exits;    // keys that left the segment
    QSet<QString> m_vanished; // of them, keys of merged-away people only
};

Cli TestExitCheck::lockstep(const QStringList& args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.02")); // short backoff
    env.insert(QStringLiteral("LOCKSTEP_HTTP_TIMEOUT_MS"), QStringLiteral("5000"));
    if (m_mergeDelayMs > 0 || m_loadDelayMs > 0) {
        env.insert(QStringLiteral("LOCKSTEP_TEST"), QStringLiteral("1"));
        env.insert(QStringLiteral("LOCKSTEP_TEST_MERGE_DELAY_MS"), QString::number(m_mergeDelayMs));
        env.insert(QStringLiteral("LOCKSTEP_TEST_LOAD_DELAY_MS"), QString::number(m_loadDelayMs));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lockstep.perf.debug=true"));
    }
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            QStringList{QStringLiteral("--workspace"), m_workspace} + args);
    Cli c;
    if (!p.waitForFinished(180000)) {
        p.kill();
        p.waitForFinished();
        return c;
    }
    c.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    c.err = p.readAllStandardError();
    const QByteArray out = p.readAllStandardOutput();
    const QJsonDocument doc = QJsonDocument::fromJson(out);
    if (doc.isArray() && !doc.array().isEmpty())
        c.run = doc.array().at(0).toObject();
    return c;
}

void TestExitCheck::start(const QJsonObject& scenario, const QString& identity)
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
    c = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                  QStringLiteral("1"), QStringLiteral("--cohort"), kCohort,
                  QStringLiteral("--identity"), identity});
    QVERIFY2(c.exitCode == 0, c.err.constData());
}

void TestExitCheck::prepare(const QString& identity)
{
    m_identity = identity;
    start(mergeScenario(), identity);
    if (QTest::currentTestFailed())
        return;

    // First sync: nobody has left yet, so nothing is looked up.
    m_sandbox->resetStats();
    Cli c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QCOMPARE(c.run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(c.run.value(QStringLiteral("exited")).toInt(), 0);
    QVERIFY(!c.run.contains(QStringLiteral("exits_checked")));
    QCOMPARE(lookupRequests(), 0);

    // The sandbox's own account of what happens next.
    const QSet<QString> before = keysOf(m_sandbox->segmentMembers(1), identity);
    const QJsonObject tick = m_sandbox->tick();
    QCOMPARE(tick.value(QStringLiteral("merged")).toInt(), 200);
    m_after = keysOf(m_sandbox->segmentMembers(1), identity);
    m_exits = before - m_after;
    QSet<QString> secondaries, others;
    const QJsonObject merges =
        m_sandbox->control("GET", QStringLiteral("/_sandbox/merges")).toObject();
    for (const QJsonValue& m : merges.value(QStringLiteral("merges")).toArray()) {
        if (const QString k =
                keyOf(m.toObject().value(QStringLiteral("secondary")).toObject(), identity);
            !k.isEmpty())
            secondaries.insert(k);
    }
    QCOMPARE(merges.value(QStringLiteral("count")).toInt(), 200);
    m_vanished = m_exits & secondaries;
    // The scenario must exercise both kinds of exit.
    QVERIFY2(m_vanished.size() > 20, qPrintable(QString::number(m_vanished.size())));
    QVERIFY2((m_exits - m_vanished).size() > 100,
             qPrintable(QString::number((m_exits - m_vanished).size())));
    m_sandbox->resetStats();
}

QList<lockstep::StoredMismatch> TestExitCheck::vanishedRecords()
{
    QList<lockstep::StoredMismatch> out;
    auto ws = Workspace::open(m_workspace);
    if (!ws)
        return out;
    auto all = MismatchRepository(**ws).list();
    if (!all)
        return out;
    for (const lockstep::StoredMismatch& m : *all)
        if (m.mismatch.reason == MismatchReason::VanishedAfterMerge)
            out.append(m);
    return out;
}

QStringList TestExitCheck::vanishedKeys()
{
    QStringList out;
    for (const lockstep::StoredMismatch& m : vanishedRecords())
        out.append(m.mismatch.distinctId);
    std::sort(out.begin(), out.end());
    return out;
}

int TestExitCheck::lookupRequests()
{
    return m_sandbox->stats()
        .value(QStringLiteral("routes"))
        .toObject()
        .value(QStringLiteral("cio.customer_attributes"))
        .toObject()
        .value(QStringLiteral("requests"))
        .toInt();
}

void TestExitCheck::resolverMismatchesReachTheWorkspace_data()
{
    QTest::addColumn<QString>("identity");
    QTest::newRow("email") << QStringLiteral("email");
    QTest::newRow("id") << QStringLiteral("id");
}

void TestExitCheck::resolverMismatchesReachTheWorkspace()
{
    QFETCH(QString, identity);
    start(identityScenario(), identity);
    if (QTest::currentTestFailed())
        return;
    Cli c;
    const lockstep::IdentityKey key = *lockstep::parseIdentityKey(identity);

    // Twice: the first sync, then one after a tick of churn, whose rows replace the
    // first's (none left over, none twice), all carrying the later run.
    for (int round = 0; round < 2; ++round) {
        if (round == 1)
            m_sandbox->tick();
        c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QCOMPARE(c.run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        const qint64 runId = c.run.value(QStringLiteral("run_id")).toInteger();

        // What the scenario predicts: the segment's members (the sandbox's ground truth)
        // through the identity rules.
        lockstep::IdentityResolver rules(key);
        for (const QJsonValue& v : m_sandbox->segmentMembers(1)) {
            const QJsonObject p = v.toObject();
            rules.add({optionalText(p.value(QStringLiteral("id"))),
                       optionalText(p.value(QStringLiteral("email"))),
                       p.value(QStringLiteral("cio_id")).toString()});
        }
        (void)rules.takeMembers();
        QStringList predicted;
        QSet<lockstep::MismatchReason> reasons;
        for (const lockstep::IdentityMismatch& m : rules.mismatches()) {
            predicted << lineOf(m);
            reasons.insert(m.reason);
        }
        // The scenario has to exercise the kinds that matter for each key, shared ones too.
        const QList<lockstep::MismatchReason> wanted =
            identity == QLatin1String("email")
                ? QList<lockstep::MismatchReason>{lockstep::MismatchReason::MissingKey,
                                                  lockstep::MismatchReason::InvalidEmail,
                                                  lockstep::MismatchReason::DuplicateKey,
                                                  lockstep::MismatchReason::NormalisationCollision}
                : QList<lockstep::MismatchReason>{lockstep::MismatchReason::MissingKey,
                                                  lockstep::MismatchReason::PlaceholderId};
        for (const lockstep::MismatchReason r : wanted)
            QVERIFY2(reasons.contains(r), qPrintable(lockstep::mismatchReasonName(r)));

        auto ws = Workspace::open(m_workspace);
        QVERIFY(ws.ok());
        auto stored = MismatchRepository(**ws).list();
        QVERIFY(stored.ok());
        QStringList found;
        for (const lockstep::StoredMismatch& m : *stored) {
            if (m.mismatch.reason == MismatchReason::UnknownToMixpanel ||
                m.mismatch.reason == MismatchReason::VanishedAfterMerge)
                continue;
            QCOMPARE(m.runId, runId);
            found << lineOf(m.mismatch);
        }
        predicted.sort();
        found.sort();
        QCOMPARE(found.size(), predicted.size());
        QCOMPARE(found, predicted);
        QCOMPARE(c.run.value(QStringLiteral("mismatched")).toInteger(), rules.unmatched());
    }
}

void TestExitCheck::vanishedAreExactlyTheMergedExits_data()
{
    QTest::addColumn<QString>("identity");
    // The exits' lookups start at the last page, beside the merge of the members; with the
    // merge held up (a test hook) they end first, and what they found must still be kept
    // when the resolver's rows are written after them.
    QTest::addColumn<int>("mergeDelayMs");
    QTest::newRow("cio_id") << QStringLiteral("cio_id") << 0;
    QTest::newRow("email") << QStringLiteral("email") << 0;
    QTest::newRow("id") << QStringLiteral("id") << 0;
    QTest::newRow("email, lookups end before the merge") << QStringLiteral("email") << 1500;
}

void TestExitCheck::vanishedAreExactlyTheMergedExits()
{
    QFETCH(QString, identity);
    QFETCH(int, mergeDelayMs);
    m_mergeDelayMs = 0;
    prepare(identity);
    if (QTest::currentTestFailed())
        return;
    const int lookups = int((m_exits.size() + 99) / 100);

    // A dry run looks up too (read-only) and says what it found, but records nothing.
    Cli dry =
        lockstep({QStringLiteral("dry-run"), QStringLiteral("--all"), QStringLiteral("--json")});
    QVERIFY2(dry.exitCode == 0, dry.err.constData());
    QCOMPARE(dry.run.value(QStringLiteral("exited")).toInt(), m_exits.size());
    QCOMPARE(dry.run.value(QStringLiteral("exits_checked")).toInt(), m_exits.size());
    QCOMPARE(dry.run.value(QStringLiteral("exits_vanished")).toInt(), m_vanished.size());
    const QString dryMessage = dry.run.value(QStringLiteral("message")).toString();
    QVERIFY2(dryMessage.startsWith(QStringLiteral("dry run: nothing was sent")),
             qPrintable(dryMessage));
    QVERIFY2(dryMessage.contains(
                 QStringLiteral("%1 of %2 exits").arg(m_vanished.size()).arg(m_exits.size())),
             qPrintable(dryMessage));
    QVERIFY(vanishedRecords().isEmpty());
    QCOMPARE(lookupRequests(), lookups);

    m_sandbox->resetStats();
    m_mergeDelayMs = mergeDelayMs;
    Cli c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
    m_mergeDelayMs = 0;
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QCOMPARE(c.run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(c.run.value(QStringLiteral("exited")).toInt(), m_exits.size());
    QCOMPARE(c.run.value(QStringLiteral("exits_checked")).toInt(), m_exits.size());
    QCOMPARE(c.run.value(QStringLiteral("exits_vanished")).toInt(), m_vanished.size());
    QVERIFY2(c.run.value(QStringLiteral("message"))
                 .toString()
                 .contains(QStringLiteral("vanished_after_merge")),
             qPrintable(c.run.value(QStringLiteral("message")).toString()));
    // 100 ids a request, nothing retried.
    QCOMPARE(lookupRequests(), lookups);

    // Exactly the merged-away exits are recorded; no real exit is.
    const QList<lockstep::StoredMismatch> records = vanishedRecords();
    QCOMPARE(records.size(), m_vanished.size());
    QCOMPARE(vanishedKeys(), sorted(m_vanished));
    for (const QString& k : vanishedKeys())
        QVERIFY2(!(m_exits - m_vanished).contains(k), qPrintable(k));
    // With the one identifier the snapshot knows, in its column.
    for (const lockstep::StoredMismatch& r : records) {
        const QString known = identity == QLatin1String("cio_id") ? r.mismatch.cioId
                              : identity == QLatin1String("email")
                                  ? r.mismatch.email.value_or(QString())
                                  : r.mismatch.personId.value_or(QString());
        QCOMPARE(known, r.mismatch.distinctId);
        QCOMPARE(r.runId, qint64(c.run.value(QStringLiteral("run_id")).toInteger()));
    }
    {
        auto ws = Workspace::open(m_workspace);
        QVERIFY(ws.ok());
        QSqlQuery q = (*ws)->query(QStringLiteral(
            "SELECT DISTINCT severity FROM mismatches WHERE reason='vanished_after_merge'"));
        QVERIFY(Workspace::exec(q, "severity").ok());
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("info"));
        QVERIFY(!q.next());
    }
    // Every exit, merged or not, left the cohort: Mixpanel holds exactly the segment.
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), kCohort), sorted(m_after));
}

void TestExitCheck::capLimitsTheLookups()
{
    prepare(QStringLiteral("cio_id"));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_exits.size() > 150);

    // Off: nothing is looked up, nothing recorded, the exits are sent.
    Cli c =
        lockstep({QStringLiteral("dry-run"), QStringLiteral("--all"),
                  QStringLiteral("--exit-check"), QStringLiteral("0"), QStringLiteral("--json")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QVERIFY(!c.run.contains(QStringLiteral("exits_checked")));
    QCOMPARE(c.run.value(QStringLiteral("message")).toString(),
             QStringLiteral("dry run: nothing was sent"));
    QCOMPARE(lookupRequests(), 0);

    // 150 of the exits: two requests (100 + 50); a random 150, in the order drawn from the
    // run's id over the exits in key order (the snapshot's).
    c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--exit-check"),
                  QStringLiteral("150"), QStringLiteral("--json")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QCOMPARE(c.run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(c.run.value(QStringLiteral("exits_checked")).toInt(), 150);
    QCOMPARE(lookupRequests(), 2);
    const QStringList exits = sorted(m_exits);
    QStringList checked;
    for (uint32_t i :
         lockstep::sampleOrder(quint64(c.run.value(QStringLiteral("run_id")).toInteger()),
                               uint32_t(exits.size()), 150))
        checked.append(exits.at(qsizetype(i)));
    const QSet<QString> expected = QSet<QString>(checked.begin(), checked.end()) & m_vanished;
    QCOMPARE(c.run.value(QStringLiteral("exits_vanished")).toInt(), expected.size());
    QCOMPARE(vanishedKeys(), sorted(expected));
    const QString message = c.run.value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(QStringLiteral("%1 of %2 exits were not looked up")
                                  .arg(m_exits.size() - 150)
                                  .arg(m_exits.size())),
             qPrintable(message));
    // The cap's 150 are a random sample: the share of all the exits is estimated from it.
    const QJsonObject check = c.run.value(QStringLiteral("exit_check")).toObject();
    QCOMPARE(check.value(QStringLiteral("extent")).toString(), QStringLiteral("cap"));
    QCOMPARE(check.value(QStringLiteral("checked")).toInt(), 150);
    QCOMPARE(check.value(QStringLiteral("exits")).toInt(), m_exits.size());
    const lockstep::ShareEstimate e = lockstep::estimateShare(expected.size(), 150, m_exits.size());
    QCOMPARE(check.value(QStringLiteral("vanished_share")).toDouble(), e.share);
    QCOMPARE(check.value(QStringLiteral("interval_low")).toDouble(), e.low);
    QCOMPARE(check.value(QStringLiteral("interval_high")).toDouble(), e.high);
    QCOMPARE(check.value(QStringLiteral("estimated_vanished")).toInteger(), e.estimatedHits());
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), kCohort), sorted(m_after));

    // A bad value is a usage error.
    c = lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--exit-check"),
                  QStringLiteral("-3")});
    QCOMPARE(c.exitCode, 2);
}

void TestExitCheck::failedLookupLeavesTheRunSucceeded_data()
{
    QTest::addColumn<QJsonObject>("fault");
    // The lookups (100 exits each, in the order drawn from the run's id) that answered:
    // two are queued at a time, so the one already queued when another fails still
    // answers, and counts.
    QTest::addColumn<QList<int>>("answered");
    const auto rule = [](QJsonObject o) {
        o.insert(QStringLiteral("route"), QStringLiteral("cio.customer_attributes"));
        return o;
    };
    QTest::newRow("5xx after retries") << rule({{"status", 503}}) << QList<int>{};
    QTest::newRow("malformed reply") << rule({{"malformed", true}, {"count", 1}}) << QList<int>{1};
    QTest::newRow("400") << rule({{"status", 400}, {"count", 1}}) << QList<int>{1};
    QTest::newRow("second request fails")
        << rule({{"malformed", true}, {"skip", 1}, {"count", 1}}) << QList<int>{0, 2};
}

void TestExitCheck::failedLookupLeavesTheRunSucceeded()
{
    QFETCH(QJsonObject, fault);
    QFETCH(QList<int>, answered);
    prepare(QStringLiteral("email"));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_exits.size() > 200 && m_exits.size() < 300); // three lookups
    m_sandbox->setFaults(QJsonArray{fault});
    const Cli c =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 0);
    QSet<QString> looked;
    const QStringList exits = sorted(m_exits);
    const std::vector<uint32_t> order =
        lockstep::sampleOrder(quint64(c.run.value(QStringLiteral("run_id")).toInteger()),
                              uint32_t(exits.size()), uint32_t(exits.size()));
    for (const int chunk : answered)
        for (size_t i = size_t(chunk) * 100; i < std::min(order.size(), size_t(chunk + 1) * 100);
             ++i)
            looked.insert(exits.at(qsizetype(order[i])));
    const int checked = int(looked.size());
    QCOMPARE(c.run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QVERIFY(!c.run.contains(QStringLiteral("error")));
    const QString message = c.run.value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(QStringLiteral("the exit check stopped after %1 of %2 exits")
                                  .arg(checked)
                                  .arg(m_exits.size())),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("the exits were sent as usual")), qPrintable(message));
    QCOMPARE(c.run.value(QStringLiteral("exits_checked")).toInt(), checked);
    // What the lookups that worked found is kept; nothing else is claimed.
    QCOMPARE(vanishedKeys(), sorted(looked & m_vanished));
    // The exits were removed all the same.
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), kCohort), sorted(m_after));
    // Secrets never reach the output.
    QVERIFY(!c.err.contains(m_sandbox->appApiKey().toUtf8()));
}

// Run after run (merges, then churn on every tick), the snapshot, its count and Mixpanel
// all equal the segment, while the runs leave their acknowledged batches in the journal
// and a later run folds them in as it reads (SnapshotStore::settle and rebase): the keys
// are rewritten by the first sync and by rebases only, never at a small run's end.
void TestExitCheck::snapshotFollowsTheSegmentRunAfterRun_data()
{
    QTest::addColumn<int>("loadDelayMs");
    QTest::newRow("snapshot read before the first page") << 0;
    // The first page waits for the snapshot (it is read on the writer's thread).
    QTest::newRow("first page before the snapshot") << 400;
}

void TestExitCheck::snapshotFollowsTheSegmentRunAfterRun()
{
    QFETCH(int, loadDelayMs);
    start(mergeScenario(), QStringLiteral("cio_id"));
    if (QTest::currentTestFailed())
        return;
    m_loadDelayMs = loadDelayMs;
    qint64 lastBlobCount = -1, lastSynced = -1;
    int settledRuns = 0, rebases = 0;
    for (int run = 0; run < 8; ++run) {
        if (run > 0)
            m_sandbox->tick();
        const Cli c =
            lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QCOMPARE(c.run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        if (loadDelayMs > 0 && run > 0) // the first sync, a full one, lists holders first
            QVERIFY2(c.err.contains("first page held for the snapshot"), c.err.constData());
        const QStringList segment =
            sorted(keysOf(m_sandbox->segmentMembers(1), QStringLiteral("cio_id")));
        QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), kCohort), segment);
        QCOMPARE(c.run.value(QStringLiteral("synced_count")).toInteger(), segment.size());

        auto ws = Workspace::open(m_workspace);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        lockstep::SnapshotStore store(**ws);
        auto snapshot = store.load(1);
        QVERIFY2(snapshot.ok(), qPrintable(snapshot.error().toString()));
        QStringList keys;
        for (size_t i = 0; i < snapshot->size(); ++i)
            keys << QString::fromUtf8(snapshot->key(i).data(), qsizetype(snapshot->key(i).size()));
        QCOMPARE(keys, segment);
        QCOMPARE(*store.count(1), segment.size());

        QSqlQuery q = (*ws)->query(QStringLiteral(
            "SELECT m.member_count, m.synced_count, (SELECT COUNT(*) FROM journal_batches j WHERE "
            "j.mapping_id = 1 AND j.state = 'acked') FROM snapshot_meta m WHERE m.mapping_id = 1"));
        QVERIFY(Workspace::exec(q, "snapshot state").ok());
        QVERIFY(q.next());
        const qint64 blobCount = q.value(0).toLongLong(), synced = q.value(1).toLongLong();
        const qint64 acked = q.value(2).toLongLong();
        QCOMPARE(synced, segment.size());
        if (run == 0) {
            QCOMPARE(acked, 0); // everyone entered: the first sync writes the keys
            QCOMPARE(blobCount, synced);
        } else {
            QVERIFY2(acked > 0,
                     qPrintable(
                         QStringLiteral("run %1 (%2 in, %3 out of %4) left nothing in the journal")
                             .arg(run)
                             .arg(c.run.value(QStringLiteral("entered")).toInt())
                             .arg(c.run.value(QStringLiteral("exited")).toInt())
                             .arg(segment.size())));
            ++settledRuns;
            // Keys rewritten since the last run: only by a rebase, which stores what the
            // run loaded, i.e. what the last run ended with.
            if (blobCount != lastBlobCount) {
                QCOMPARE(blobCount, lastSynced);
                ++rebases;
            }
        }
        lastBlobCount = blobCount;
        lastSynced = synced;
    }
    QCOMPARE(settledRuns, 7);
    QVERIFY2(rebases >= 2, qPrintable(QString::number(rebases)));
    m_loadDelayMs = 0;
}

QTEST_GUILESS_MAIN(TestExitCheck)
#include "tst_exitcheck.moc"
