// Identity mismatch "unknown to Mixpanel (when verified)": after a run's sends, the
// entered keys are looked up in Mixpanel with one budgeted query. The expected count
// comes from the sandbox's own state (control API), read before the sync: keys with no
// profile, or a profile holding only what Lockstep writes.
#include "../trust/trustfixture.h"

#include "engine/entrycheck.h"
#include "identity/identityresolver.h"
#include "store/backgroundwriter.h"
#include "store/mismatchrepository.h"
#include "store/runrepository.h"
#include "trust/querybudget.h"
#include "trust/truststore.h"

#include <QUrlQuery>

using namespace lockstep;
using lockstep::test::SandboxProcess;
using lockstep::test::TrustFixture;

namespace {

const QString kList = QStringLiteral("cio_cohorts");
const QString kFlag = QStringLiteral("CIO | Flagged | 7d");

// 150 generated people (60 % with a profile the app created, keyed by id), a few id
// anomalies; explicit people whose profiles the test shapes before syncing.
QJsonObject scenario()
{
    auto person = [](const char* id) {
        return QJsonObject{
            {QStringLiteral("id"), QLatin1String(id)},
            {QStringLiteral("email"), QString(QLatin1String(id) + QStringLiteral("@example.com"))},
            {QStringLiteral("cio_id"), QString(QStringLiteral("cio-") + QLatin1String(id))}};
    };
    return QJsonObject{
        {QStringLiteral("seed"), 21},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("existing_profile_share"), 0.6},
                     {QStringLiteral("existing_profile_key"), QStringLiteral("id")},
                     {QStringLiteral("query_limit_per_hour"), 1000},
                     {QStringLiteral("cohorts"),
                      QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                             {QStringLiteral("name"), test::kCohort},
                                             {QStringLiteral("property"), kList},
                                             {QStringLiteral("value"), test::kCohort}}}}}},
        {QStringLiteral("population"),
         QJsonObject{
             {QStringLiteral("size"), 150},
             {QStringLiteral("anomalies"), QJsonObject{{QStringLiteral("placeholder_id"), 0.05},
                                                       {QStringLiteral("missing_id"), 0.05}}}}},
        {QStringLiteral("people"),
         QJsonArray{person("known"), person("ghost"), person("flagged"), person("app-user"),
                    person("late-known"), person("late-ghost")}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                {QStringLiteral("name"), QStringLiteral("Winback")},
                                {QStringLiteral("size"), 70}}}},
    };
}

QJsonObject update(const QString& token, const QString& id, const QString& op,
                   const QJsonValue& arg)
{
    return QJsonObject{{QStringLiteral("$token"), token},
                       {QStringLiteral("$distinct_id"), id},
                       {QStringLiteral("$ignore_time"), true},
                       {op, arg}};
}

// The sandbox's profile of `key`, or nullopt when Mixpanel has none.
std::optional<QJsonObject> profileOf(SandboxProcess& s, const QString& key)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("distinct_id"), key);
    const QJsonValue v =
        s.control("GET", QStringLiteral("/_sandbox/profiles?") + q.query(QUrl::FullyEncoded));
    if (!v.isObject())
        return std::nullopt;
    return v.toObject().value(QStringLiteral("$properties")).toObject();
}

// Keys of the segment's members as a mapping by id sends them, with their people.
QMap<QString, QJsonObject> sentKeys(SandboxProcess& s, int segment)
{
    QMap<QString, QJsonObject> keys;
    for (const QJsonValue& v : s.segmentMembers(segment)) {
        const QJsonObject m = v.toObject();
        MemberIdentifiers who;
        if (m.value(QStringLiteral("id")).isString())
            who.id = m.value(QStringLiteral("id")).toString();
        if (m.value(QStringLiteral("email")).isString())
            who.email = m.value(QStringLiteral("email")).toString();
        who.cioId = m.value(QStringLiteral("cio_id")).toString();
        const auto k = IdentityResolver::keyFor(IdentityKey::Id, who);
        if (!k.problem || mismatchIsWarning(*k.problem))
            keys.insert(k.value, m);
    }
    return keys;
}

// Computed from the sandbox alone: keys without a profile the app wrote to (none at all,
// or only the list and flag properties of this workspace's mappings).
QSet<QString> expectedUnknown(SandboxProcess& s, const QStringList& keys)
{
    QSet<QString> out;
    for (const QString& key : keys) {
        const auto props = profileOf(s, key);
        if (!props) {
            out.insert(key);
            continue;
        }
        QJsonObject rest = *props;
        rest.remove(kList);
        rest.remove(kFlag);
        if (rest.isEmpty())
            out.insert(key);
    }
    return out;
}

QMap<QString, StoredMismatch> unknownRows(Workspace& ws, qint64 mappingId)
{
    QMap<QString, StoredMismatch> rows;
    auto list = MismatchRepository(ws).list(mappingId);
    if (list)
        for (const StoredMismatch& m : *list)
            if (m.mismatch.reason == MismatchReason::UnknownToMixpanel)
                rows.insert(m.mismatch.distinctId, m);
    return rows;
}

QSet<QString> keysOf(const QMap<QString, StoredMismatch>& rows)
{
    const QStringList k = rows.keys();
    return QSet<QString>(k.begin(), k.end());
}

} // namespace

class TestIdentityUnknown : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void reserveLeavesRoomForChecks();
    void onlyLockstepProperties();
    void countsWhatTheSandboxPredicts();
    void laterRunsKeepAndForget();
    void sampleIsExtrapolated();
    void skippedWhenTheBudgetIsLow_data();
    void skippedWhenTheBudgetIsLow();
    void disabledWithZero();
    void badQueryRepliesLeaveTheRunSucceeded_data();
    void badQueryRepliesLeaveTheRunSucceeded();
    void answersUnderOtherIdsAreACaveat();
    void dryRunVerifiesNothing();
    void emailKeysOfAnIdProjectAreUnknown();
    void valueMissingWhereProfilesExist();

private:
    RunRecord sync(const Mapping& m, int sample = EntryCheck::kDefaultSample,
                   RunKind kind = RunKind::Incremental);
    int queries() { return m_f->routeRequests(QStringLiteral("mp.query.engage")); }

    std::unique_ptr<TrustFixture> m_f;
    Mapping m_mapping;
};

void TestIdentityUnknown::initTestCase()
{
    qRegisterMetaType<RunRecord>();
}

void TestIdentityUnknown::init()
{
    m_f = std::make_unique<TrustFixture>(scenario());
    QVERIFY2(m_f->ok(), qPrintable(m_f->sandbox.errorString()));
    const QString token = m_f->sandbox.projectToken();
    // "ghost" and "flagged" have profiles, but only with what Lockstep writes (an earlier
    // sync of another cohort, another mapping's flag); "app-user" has one the app made.
    QVERIFY(m_f->engage(QJsonArray{
        update(token, QStringLiteral("ghost"), QStringLiteral("$delete"), QString()),
        update(token, QStringLiteral("ghost"), QStringLiteral("$union"),
               QJsonObject{{kList, QJsonArray{QStringLiteral("CIO | Older | 30d")}}}),
        update(token, QStringLiteral("flagged"), QStringLiteral("$delete"), QString()),
        update(token, QStringLiteral("flagged"), QStringLiteral("$set"),
               QJsonObject{{kFlag, true}}),
        update(token, QStringLiteral("app-user"), QStringLiteral("$delete"), QString()),
        update(token, QStringLiteral("app-user"), QStringLiteral("$set"),
               QJsonObject{{QStringLiteral("plan"), QStringLiteral("pro")}}),
        update(token, QStringLiteral("known"), QStringLiteral("$set"),
               QJsonObject{{QStringLiteral("$name"), QStringLiteral("Known Person")}}),
        update(token, QStringLiteral("late-known"), QStringLiteral("$set"),
               QJsonObject{{QStringLiteral("$name"), QStringLiteral("Late Known")}}),
        update(token, QStringLiteral("late-ghost"), QStringLiteral("$delete"), QString())}));
    m_f->sandbox.control(
        "POST", QStringLiteral("/_sandbox/segments/1/members"),
        QJsonObject{{QStringLiteral("add"),
                     QJsonArray{QStringLiteral("cio-known"), QStringLiteral("cio-ghost"),
                                QStringLiteral("cio-flagged"), QStringLiteral("cio-app-user")}},
                    {QStringLiteral("remove"), QJsonArray{QStringLiteral("cio-late-known"),
                                                          QStringLiteral("cio-late-ghost")}}});
    // The workspace's mappings: the one synced (list mode, by id) and a flag-mode one.
    Mapping m;
    m.segmentId = 1;
    m.cohortName = test::kCohort;
    m.identity = IdentityKey::Id;
    m.mode = SyncMode::List;
    auto id = MappingRepository(*m_f->ws).add(m);
    QVERIFY(id);
    m.id = *id;
    m_mapping = m;
    Mapping flag;
    flag.segmentId = 1;
    flag.cohortName = kFlag;
    flag.identity = IdentityKey::Id;
    flag.mode = SyncMode::Flag;
    QVERIFY(MappingRepository(*m_f->ws).add(flag));
}

void TestIdentityUnknown::cleanup()
{
    m_f.reset();
}

RunRecord TestIdentityUnknown::sync(const Mapping& m, int sample, RunKind kind)
{
    RunOptions o;
    o.kind = kind;
    o.verifySample = sample;
    // As the engine runs it: bulk writes (and the check's own rows) on a second connection.
    BackgroundWriter writer(m_f->ws->location());
    MappingRun run(*m_f->ws, &m_f->http, m_f->services, Clock::system(), m, o, nullptr, &writer);
    QSignalSpy done(&run, &MappingRun::finished);
    run.start();
    if (done.isEmpty())
        done.wait(60000);
    return done.isEmpty() ? RunRecord{} : done.first().first().value<RunRecord>();
}

void TestIdentityUnknown::reserveLeavesRoomForChecks()
{
    QCOMPARE(EntryCheck::reserveFor(60), 10);
    QCOMPARE(EntryCheck::reserveFor(30), 5);
    QCOMPARE(EntryCheck::reserveFor(5), 2);
    QCOMPARE(EntryCheck::reserveFor(1), 2);
}

void TestIdentityUnknown::onlyLockstepProperties()
{
    const QSet<QString> own{kList, kFlag};
    const QStringList prefixes{kFlag + QStringLiteral(" [rehearsal ")};
    auto only = [&](const QJsonObject& p) { return EntryCheck::onlyLockstep(p, own, prefixes); };
    QVERIFY(only({}));
    QVERIFY(only({{QStringLiteral("$distinct_id"), QStringLiteral("x")}}));
    QVERIFY(only({{kList, QJsonArray{QStringLiteral("A")}}, {kFlag, true}}));
    QVERIFY(only({{kList, QJsonArray{}}})); // every value removed: still only ours
    QVERIFY(only({{kFlag + QStringLiteral(" [rehearsal 20260101-0930]"), true}}));
    QVERIFY(!only({{kList, QJsonArray{QStringLiteral("A")}},
                   {QStringLiteral("$email"), QStringLiteral("a@b.io")}}));
    QVERIFY(!only({{QStringLiteral("$last_seen"), QStringLiteral("2024-05-01T09:30:00")}}));
}

void TestIdentityUnknown::countsWhatTheSandboxPredicts()
{
    const QMap<QString, QJsonObject> members = sentKeys(m_f->sandbox, 1);
    const QSet<QString> expected = expectedUnknown(m_f->sandbox, members.keys());
    // The scenario makes both kinds: people the app knows and people it does not.
    QVERIFY2(expected.size() >= 3 && expected.size() < members.size() - 3,
             qPrintable(QStringLiteral("%1 of %2").arg(expected.size()).arg(members.size())));
    QVERIFY(expected.contains(QStringLiteral("ghost")) &&
            expected.contains(QStringLiteral("flagged")));
    QVERIFY(!expected.contains(QStringLiteral("known")) &&
            !expected.contains(QStringLiteral("app-user")));

    m_f->sandbox.resetStats();
    const RunRecord run = sync(m_mapping); // the sample (1000) covers every entrant
    qInfo() << "predicted" << expected.size() << "of" << members.size() << "-" << run.message;
    QCOMPARE(run.status, RunStatus::Succeeded);
    QCOMPARE(run.entered, qint64(members.size()));
    const EntryVerification& v = run.verification;
    QCOMPARE(v.status, QStringLiteral("verified"));
    QCOMPARE(v.entered, qint64(members.size()));
    QCOMPARE(v.verified, int(members.size()));
    QCOMPARE(v.unknown, int(expected.size()));
    QCOMPARE(v.estimatedUnknown(), qint64(expected.size()));
    QCOMPARE(queries(), 1); // ONE query for the whole sample
    QVERIFY2(run.message.contains(QStringLiteral("%1 unknown to Mixpanel").arg(expected.size())),
             qPrintable(run.message));
    // Known profiles are not reported; every unknown one is, with its person.
    const auto rows = unknownRows(*m_f->ws, m_mapping.id);
    QCOMPARE(keysOf(rows), expected);
    for (const StoredMismatch& r : rows) {
        const QJsonObject who = members.value(r.mismatch.distinctId);
        QCOMPARE(r.runId, run.id);
        QCOMPARE(r.mismatch.cioId, who.value(QStringLiteral("cio_id")).toString());
        QCOMPARE(r.mismatch.personId.value_or(QString()),
                 who.value(QStringLiteral("id")).toString());
        QVERIFY(!mismatchIsWarning(r.mismatch.reason));
    }
    // The other mismatches of the run are still there (placeholder and missing ids).
    auto all = MismatchRepository(*m_f->ws).list(m_mapping.id);
    QVERIFY(all);
    QCOMPARE(all->size(), qsizetype(run.mismatched) + rows.size());
    // The message is what the run history keeps.
    auto stored = RunRepository(*m_f->ws).last(m_mapping.id);
    QVERIFY(stored && *stored);
    QCOMPARE((*stored)->message, run.message);
}

void TestIdentityUnknown::laterRunsKeepAndForget()
{
    const RunRecord first = sync(m_mapping);
    QCOMPARE(first.verification.status, QStringLiteral("verified"));
    const auto before = unknownRows(*m_f->ws, m_mapping.id);
    QVERIFY(before.contains(QStringLiteral("ghost")) && before.contains(QStringLiteral("flagged")));

    // "ghost" leaves; two people join: one the app knows, one it does not.
    m_f->sandbox.control(
        "POST", QStringLiteral("/_sandbox/segments/1/members"),
        QJsonObject{{QStringLiteral("add"), QJsonArray{QStringLiteral("cio-late-known"),
                                                       QStringLiteral("cio-late-ghost")}},
                    {QStringLiteral("remove"), QJsonArray{QStringLiteral("cio-ghost")}}});
    m_f->sandbox.resetStats();
    const RunRecord second = sync(m_mapping);
    QCOMPARE(second.status, RunStatus::Succeeded);
    QCOMPARE(second.entered, 2);
    QCOMPARE(second.verification.entered, 2);
    QCOMPARE(second.verification.verified, 2);
    QCOMPARE(second.verification.unknown, 1);
    QCOMPARE(queries(), 1);

    const auto after = unknownRows(*m_f->ws, m_mapping.id);
    QSet<QString> expected = keysOf(before);
    expected.remove(QStringLiteral("ghost"));      // left the segment: forgotten
    expected.insert(QStringLiteral("late-ghost")); // verified unknown by this run
    QCOMPARE(keysOf(after), expected);
    QCOMPARE(after.value(QStringLiteral("late-ghost")).runId, second.id);
    QCOMPARE(after.value(QStringLiteral("flagged")).runId,
             first.id); // kept from when it was verified

    // Nobody enters: nothing is looked up, nothing is forgotten.
    m_f->sandbox.resetStats();
    const RunRecord third = sync(m_mapping);
    QCOMPARE(third.entered, 0);
    QCOMPARE(third.verification.status, QStringLiteral("skipped"));
    QCOMPARE(third.verification.note, QStringLiteral("no keys entered"));
    QCOMPARE(queries(), 0);
    QCOMPARE(keysOf(unknownRows(*m_f->ws, m_mapping.id)), expected);
}

void TestIdentityUnknown::sampleIsExtrapolated()
{
    const QMap<QString, QJsonObject> members = sentKeys(m_f->sandbox, 1);
    const QSet<QString> expected = expectedUnknown(m_f->sandbox, members.keys());
    const int sample = 20;
    m_f->sandbox.resetStats();
    const RunRecord run = sync(m_mapping, sample);
    QCOMPARE(run.status, RunStatus::Succeeded);
    const EntryVerification& v = run.verification;
    QCOMPARE(v.status, QStringLiteral("verified"));
    QCOMPARE(v.verified, sample);
    QCOMPARE(v.entered, qint64(members.size()));
    QCOMPARE(queries(), 1);
    // Only sampled keys are recorded, each one truly unknown.
    const auto rows = unknownRows(*m_f->ws, m_mapping.id);
    QCOMPARE(rows.size(), v.unknown);
    QVERIFY(keysOf(rows).subtract(expected).isEmpty());
    QCOMPARE(v.estimatedUnknown(), qint64(double(v.unknown) / sample * members.size() + 0.5));
    QVERIFY2(run.message.contains(
                 QStringLiteral("verified %1 of %2 entered keys").arg(sample).arg(members.size())),
             qPrintable(run.message));
}

void TestIdentityUnknown::skippedWhenTheBudgetIsLow_data()
{
    QTest::addColumn<int>("usedElsewhere");
    QTest::addColumn<QString>("status");
    // 60 an hour, 10 kept for read-backs and spot checks.
    QTest::newRow("10 left: all in reserve") << 50 << QStringLiteral("skipped");
    QTest::newRow("none left") << 60 << QStringLiteral("skipped");
    QTest::newRow("11 left: one above the reserve") << 49 << QStringLiteral("verified");
}

void TestIdentityUnknown::skippedWhenTheBudgetIsLow()
{
    QFETCH(int, usedElsewhere);
    QFETCH(QString, status);
    // Other processes on the workspace used part of this hour's queries.
    QVERIFY(TrustStore(*m_f->ws).recordQueries(QDateTime::currentMSecsSinceEpoch(), usedElsewhere,
                                               QStringLiteral("someone else")));
    m_f->sandbox.resetStats();
    const RunRecord run = sync(m_mapping);
    QCOMPARE(run.status, RunStatus::Succeeded);
    QVERIFY(run.entered > 0);
    QCOMPARE(run.verification.status, status);
    const int left = 60 - usedElsewhere;
    if (status == QLatin1String("verified")) {
        QCOMPARE(queries(), 1);
        QCOMPARE(QueryBudget(*m_f->ws, &m_f->http, Clock::system()).left(), left - 1);
        return;
    }
    QCOMPARE(run.verification.verified, 0);
    QVERIFY2(run.message.contains(QStringLiteral("not verified")) &&
                 run.message.contains(QStringLiteral("%1 of 60 queries left").arg(left)),
             qPrintable(run.message));
    QCOMPARE(run.verification.note, run.message);
    QCOMPARE(queries(), 0);
    QVERIFY(unknownRows(*m_f->ws, m_mapping.id).isEmpty());
    // The reserve is still there for the checks it is kept for.
    QCOMPARE(QueryBudget(*m_f->ws, &m_f->http, Clock::system()).left(), left);
}

void TestIdentityUnknown::disabledWithZero()
{
    m_f->sandbox.resetStats();
    const RunRecord run = sync(m_mapping, 0);
    QCOMPARE(run.status, RunStatus::Succeeded);
    QVERIFY(run.entered > 0);
    QCOMPARE(run.verification.status, QStringLiteral("disabled"));
    QVERIFY(!run.verification.note.isEmpty());
    QVERIFY2(run.message.isEmpty(), qPrintable(run.message));
    QCOMPARE(queries(), 0);
    QVERIFY(unknownRows(*m_f->ws, m_mapping.id).isEmpty());
}

void TestIdentityUnknown::badQueryRepliesLeaveTheRunSucceeded_data()
{
    QTest::addColumn<QJsonObject>("fault");
    const QJsonObject base{{QStringLiteral("route"), QStringLiteral("mp.query.engage")},
                           {QStringLiteral("count"), 1}};
    auto with = [](QJsonObject o, const char* k, const QJsonValue& v) {
        o.insert(QLatin1String(k), v);
        return o;
    };
    QTest::newRow("malformed") << with(base, "malformed", true);
    QTest::newRow("400") << with(base, "status", 400);
    QTest::newRow("no results") << with(with(base, "status", 200), "body",
                                        QStringLiteral("{\"status\":\"ok\"}"));
    QTest::newRow("incomplete page") << with(
        with(base, "status", 200), "body",
        QStringLiteral("{\"page\":0,\"page_size\":1000,\"session_id\":\"s\",\"status\":\"ok\","
                       "\"total\":40,\"results\":[]}"));
}

void TestIdentityUnknown::badQueryRepliesLeaveTheRunSucceeded()
{
    QFETCH(QJsonObject, fault);
    m_f->sandbox.setFaults(QJsonArray{fault});
    const RunRecord run = sync(m_mapping);
    QCOMPARE(run.status, RunStatus::Succeeded);
    QVERIFY(run.errorCategory.isEmpty());
    QCOMPARE(run.failed, 0);
    QCOMPARE(run.verification.status, QStringLiteral("failed"));
    QCOMPARE(run.verification.verified, 0);
    QVERIFY2(run.message.contains(QStringLiteral("could not be verified")),
             qPrintable(run.message));
    QVERIFY(unknownRows(*m_f->ws, m_mapping.id).isEmpty());
    // The sends were acknowledged all the same: the cohort holds the segment.
    QCOMPARE(m_f->sandbox.profilesWith(kList, test::kCohort).size(), qsizetype(run.syncedCount));
}

void TestIdentityUnknown::answersUnderOtherIdsAreACaveat()
{
    // A key answered under another id (an ID-merge cluster's canonical id) cannot be
    // matched: counted unknown, and the run says by how much the count may be off.
    m_f->sandbox.setFaults(QJsonArray{QJsonObject{
        {QStringLiteral("route"), QStringLiteral("mp.query.engage")},
        {QStringLiteral("count"), 1},
        {QStringLiteral("status"), 200},
        {QStringLiteral("body"),
         QStringLiteral("{\"page\":0,\"page_size\":1000,\"session_id\":\"s\",\"status\":"
                        "\"ok\",\"total\":1,\"results\":[{\"$distinct_id\":\"$device:abc\","
                        "\"$properties\":{\"$name\":\"Someone\"}}]}")}}});
    const RunRecord run = sync(m_mapping);
    QCOMPARE(run.status, RunStatus::Succeeded);
    QCOMPARE(run.verification.status, QStringLiteral("verified"));
    QCOMPARE(qint64(run.verification.unknown), run.entered);
    QVERIFY2(run.verification.note.contains(
                 QStringLiteral("1 of Mixpanel's answers came under ids not asked for")),
             qPrintable(run.verification.note));
    QVERIFY2(run.message.contains(run.verification.note), qPrintable(run.message));
}

void TestIdentityUnknown::dryRunVerifiesNothing()
{
    m_f->sandbox.resetStats();
    const RunRecord run = sync(m_mapping, EntryCheck::kDefaultSample, RunKind::DryRun);
    QCOMPARE(run.status, RunStatus::Succeeded);
    QCOMPARE(run.verification.status, QStringLiteral("skipped"));
    QVERIFY(run.verification.note.startsWith(QStringLiteral("dry run")));
    QCOMPARE(queries(), 0);
    QVERIFY(unknownRows(*m_f->ws, m_mapping.id).isEmpty());
}

void TestIdentityUnknown::emailKeysOfAnIdProjectAreUnknown()
{
    // The app keys its profiles by id; a mapping by e-mail writes the value to profiles of
    // their own, which no report joins with activity: every entered key is unknown, and
    // the value did land (nothing is value_missing).
    Mapping byEmail = m_mapping;
    byEmail.identity = IdentityKey::Email;
    byEmail.cohortName = QStringLiteral("CIO | By e-mail | 30d");
    auto id = MappingRepository(*m_f->ws).add(byEmail);
    QVERIFY(id);
    byEmail.id = *id;
    m_f->sandbox.resetStats();
    const RunRecord run = sync(byEmail);
    QCOMPARE(run.status, RunStatus::Succeeded);
    QVERIFY(run.entered > 10);
    const EntryVerification& v = run.verification;
    QCOMPARE(v.status, QStringLiteral("verified"));
    QCOMPARE(qint64(v.verified), run.entered);
    QCOMPARE(qint64(v.unknown), run.entered);
    QCOMPARE(v.valueMissing, 0);
    QCOMPARE(unknownRows(*m_f->ws, byEmail.id).size(), qsizetype(run.entered));
}

void TestIdentityUnknown::valueMissingWhereProfilesExist()
{
    // A token of another project: Mixpanel answers 1 and drops the updates. Keys whose
    // profile exists (the app's) are value_missing; those without one are unknown.
    const QMap<QString, QJsonObject> members = sentKeys(m_f->sandbox, 1);
    QSet<QString> existing;
    for (const QString& key : members.keys())
        if (profileOf(m_f->sandbox, key))
            existing.insert(key);
    QVERIFY(existing.size() > 10 && existing.size() < members.size());
    m_f->services.mixpanel.projectToken = QStringLiteral("token-of-another-project");
    m_f->sandbox.resetStats();
    const RunRecord run = sync(m_mapping);
    QCOMPARE(run.status, RunStatus::Succeeded); // nothing in the replies tells
    QCOMPARE(m_f->sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("dropped"))
                 .toInt(),
             members.size());
    const EntryVerification& v = run.verification;
    QCOMPARE(v.status, QStringLiteral("verified"));
    QCOMPARE(v.verified, int(members.size()));
    QCOMPARE(v.valueMissing, int(existing.size()));
    QCOMPARE(v.unknown, int(members.size() - existing.size()));
    QVERIFY2(run.message.contains(QStringLiteral("may write to another project")),
             qPrintable(run.message));
    QSet<QString> missing;
    auto all = MismatchRepository(*m_f->ws).list(m_mapping.id);
    QVERIFY(all);
    for (const StoredMismatch& m : *all)
        if (m.mismatch.reason == MismatchReason::ValueMissing)
            missing.insert(m.mismatch.distinctId);
    QCOMPARE(missing, existing);
    QCOMPARE(mismatchReasonName(MismatchReason::ValueMissing), QStringLiteral("value_missing"));

    // With the right token the value lands: those rows are replaced as the keys are checked.
    m_f->services.mixpanel.projectToken = m_f->sandbox.projectToken();
    const RunRecord full = sync(m_mapping, EntryCheck::kDefaultSample, RunKind::Full);
    QCOMPARE(full.status, RunStatus::Succeeded);
    QCOMPARE(full.verification.valueMissing, 0);
    auto after = MismatchRepository(*m_f->ws).list(m_mapping.id);
    QVERIFY(after);
    for (const StoredMismatch& m : *after)
        QVERIFY(m.mismatch.reason != MismatchReason::ValueMissing);
}

QTEST_GUILESS_MAIN(TestIdentityUnknown)
#include "tst_identity_unknown.moc"
