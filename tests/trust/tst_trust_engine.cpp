// The trust checks against the sandbox, in-process as the engine thread runs them:
// rehearsal (write, read back, clean up), spot checks with each failure reason, the
// Mixpanel query budget respected client-side, latency from known delays, and the
// rollout checklist turning green only on evidence.
#include "trustfixture.h"

#include "health/alertstore.h"
#include "health/sizehistory.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/cohortdefinitioncheck.h"
#include "trust/identityadvisor.h"
#include "trust/latencymonitor.h"
#include "trust/querybudget.h"
#include "trust/rehearsal.h"
#include "trust/spotcheck.h"
#include "trust/truststore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace lockstep;
using lockstep::test::runCheck;
using lockstep::test::TrustFixture;
using lockstep::test::trustScenario;

namespace {
QStringList carriers(TrustFixture& f, SyncMode mode, const QString& value)
{
    return mode == SyncMode::List ? f.sandbox.profilesWith(QStringLiteral("cio_cohorts"), value)
                                  : f.sandbox.profilesWith(value, QStringLiteral("true"));
}

// Whom a check named that its stored row still names; empty when it keeps only counts and
// reasons. Also fails on any per-person field other than the flags and the reason.
QStringList identifiersStored(const QJsonObject& stored, const QList<PersonCheck>& people)
{
    QStringList found;
    const QByteArray text = QJsonDocument(stored).toJson();
    for (const PersonCheck& p : people)
        for (const QString& id : {p.cioId, p.distinctId, p.named, p.email.value_or(QString()),
                                  p.personId.value_or(QString())})
            if (!id.trimmed().isEmpty() && text.contains(id.trimmed().toUtf8()))
                found << id;
    const QStringList allowed{QStringLiteral("in_segment"),  QStringLiteral("in_snapshot"),
                              QStringLiteral("in_mixpanel"), QStringLiteral("has_value"),
                              QStringLiteral("passed"),      QStringLiteral("reason")};
    for (const QJsonValue& v : stored.value(QLatin1String("people")).toArray())
        for (const QString& key : v.toObject().keys())
            if (!allowed.contains(key))
                found << QStringLiteral("field ") + key;
    return found;
}

const PersonCheck* personNamed(const SpotCheckResult& r, const QString& named)
{
    for (const PersonCheck& p : r.people)
        if (p.named == named)
            return &p;
    return nullptr;
}
} // namespace

namespace {
// `days` daily size points of `size` members, each entering and exiting `moved`, after the
// mapping's newest point (ending now when it has none; the first point of a history enters
// everyone, so the stability measure skips it).
void appendDailyPoints(Workspace& ws, qint64 mappingId, int days, qint64 size, qint64 moved)
{
    const qint64 day = 24 * 3600 * 1000LL;
    auto last = SizeHistory(ws).lastAt(mappingId);
    QVERIFY(last);
    const qint64 first = *last > 0 ? *last + day : Clock::system()->nowMs() - (days - 1) * day;
    static qint64 runId = 1'000'000;
    for (int i = 0; i < days; ++i) {
        SizePoint p;
        p.runId = ++runId;
        p.atMs = first + qint64(i) * day;
        p.segmentCount = size;
        p.syncedCount = size;
        p.entered = moved;
        p.exited = moved;
        QVERIFY(SizeHistory(ws).append(mappingId, p));
    }
}
} // namespace

class TestTrustEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rehearsalPassesAndCleansUp_data();
    void rehearsalPassesAndCleansUp();
    void rehearsalJudgesEachPerson();
    void rehearsalRefusesLargeTestSegments();
    void rehearsalValueKeepsToMixpanelsLimit_data();
    void rehearsalValueKeepsToMixpanelsLimit();
    void syncRefusesACohortNamePastTheLimit();
    void spotCheckGivesEachReason();
    void spotCheckSamplesMembersAtRandom();
    void queryBudgetRefusesBeforeTheSandboxWould();
    void latencyFromKnownDelays();
    void latencyQuantilesAndAlert();
    void checklistTurnsGreenOnlyOnEvidence();
    void stabilityReviewNeedsCurrentEvidence();
    void reportingPlanFollowsTheCohort();
    void ownershipIsSplit();
};

void TestTrustEngine::initTestCase()
{
    qRegisterMetaType<RehearsalResult>();
    qRegisterMetaType<RehearsalCleanup>();
    qRegisterMetaType<SpotCheckResult>();
    qRegisterMetaType<CohortDefinitionResult>();
    qRegisterMetaType<RunRecord>();
    qRegisterMetaType<SyncError>();
}

void TestTrustEngine::rehearsalPassesAndCleansUp_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("list") << int(SyncMode::List);
    QTest::newRow("flag") << int(SyncMode::Flag);
}

void TestTrustEngine::rehearsalPassesAndCleansUp()
{
    QFETCH(int, mode);
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    const Mapping m = f.addMapping(1, SyncMode(mode));
    f.sandbox.resetStats();

    Rehearsal r(*f.ws, &f.http, f.services, Clock::system(), m, 2);
    SyncError error;
    auto result = runCheck<RehearsalResult>(
        &r, &Rehearsal::finished, [&] { r.start(); }, &error);
    QVERIFY2(result, qPrintable(error.message));
    QVERIFY(result->value.startsWith(test::kCohort + QStringLiteral(" [rehearsal ")));
    QVERIFY2(result->passed(), qPrintable(QJsonDocument(result->toJson()).toJson()));
    QCOMPARE(result->people.size(), 2);
    // The mixed-case e-mail was normalised before writing: what a sync would send.
    QCOMPARE(result->writtenKeys(),
             (QStringList{QStringLiteral("t1@corp.example"), QStringLiteral("t2@corp.example")}));
    QCOMPARE(carriers(f, SyncMode(mode), result->value),
             (QStringList{QStringLiteral("t1@corp.example"), QStringLiteral("t2@corp.example")}));
    // The real cohort value was not touched, and the read-back was ONE query.
    QVERIFY(carriers(f, SyncMode(mode), test::kCohort).isEmpty());
    QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage")), 1);

    auto stored = TrustStore(*f.ws).latest(m.id, QString::fromLatin1(trustkind::kRehearsal));
    QVERIFY(stored && *stored);
    QVERIFY((*stored)->passed);
    QCOMPARE((*stored)->result.value(QStringLiteral("value")).toString(), result->value);
    // Shown once (the result above); stored as counts and reasons.
    QVERIFY(!result->people.isEmpty());
    QCOMPARE(identifiersStored((*stored)->result, result->people), QStringList());
    QCOMPARE((*stored)->result.value(QStringLiteral("people")).toArray().size(),
             result->people.size());
    QCOMPARE((*stored)->result.value(QStringLiteral("people_passed")).toInt(), 2);

    auto cleaned = runCheck<RehearsalCleanup>(
        &r, &Rehearsal::cleanupFinished, [&] { r.cleanup(); }, &error);
    QVERIFY2(cleaned, qPrintable(error.message));
    QCOMPARE(cleaned->removed, 2);
    QCOMPARE(cleaned->remaining, 0);
    QVERIFY(cleaned->verified());
    QVERIFY(carriers(f, SyncMode(mode), result->value).isEmpty()); // gone, by ground truth
    QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage")), 2);
}

void TestTrustEngine::rehearsalJudgesEachPerson()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    const Mapping m = f.addMapping(1);
    // Someone else's profile already carries a value that collides with ours: reported.
    const QString value =
        Rehearsal::temporaryValue(m.cohortName, QDateTime::currentMSecsSinceEpoch());
    QVERIFY(f.engage(QJsonArray{
        QJsonObject{{QStringLiteral("$token"), f.sandbox.projectToken()},
                    {QStringLiteral("$distinct_id"), QStringLiteral("stranger")},
                    {QStringLiteral("$union"),
                     QJsonObject{{QStringLiteral("cio_cohorts"), QJsonArray{value}}}}}}));

    Rehearsal r(*f.ws, &f.http, f.services, Clock::system(), m, 3);
    SyncError error;
    auto result = runCheck<RehearsalResult>(
        &r, &Rehearsal::finished, [&] { r.start(); }, &error);
    QVERIFY2(result, qPrintable(error.message));
    if (result->value != value)
        QSKIP("the minute turned between writing the collision and rehearsing");
    QVERIFY(!result->passed());
    QCOMPARE(result->people.size(), 2);
    for (const PersonCheck& p : result->people) {
        if (p.cioId == QLatin1String("cio-t1")) {
            QVERIFY(p.passed);
        } else {
            QCOMPARE(p.cioId, QStringLiteral("cio-t3"));
            QVERIFY(!p.passed);
            QCOMPARE(p.reason, QString::fromLatin1(trustreason::kIdentityKeyMissing));
        }
    }
    QCOMPARE(result->unexpected, QStringList{QStringLiteral("stranger")});
    auto stored = TrustStore(*f.ws).latest(m.id, QString::fromLatin1(trustkind::kRehearsal));
    QVERIFY(stored && *stored && !(*stored)->passed);
    QCOMPARE(identifiersStored((*stored)->result, result->people), QStringList());
    QVERIFY(!QJsonDocument((*stored)->result).toJson().contains("stranger"));
    QCOMPARE((*stored)->result.value(QStringLiteral("unexpected_count")).toInt(), 1);
    const QJsonArray reasons = (*stored)->result.value(QStringLiteral("people")).toArray();
    QCOMPARE(reasons.size(), 2);
    QVERIFY(reasons[0].toObject().value(QStringLiteral("passed")).isBool());

    // Cleanup from the stored row (as `rehearse --cleanup-last` does, in a later process)
    // knows no one: it removes the value from everyone carrying it, the stranger included.
    Rehearsal later(*f.ws, &f.http, f.services, Clock::system(), m, 3);
    auto cleaned = runCheck<RehearsalCleanup>(
        &later, &Rehearsal::cleanupFinished,
        [&] { later.cleanup(RehearsalResult::fromJson((*stored)->result)); }, &error);
    QVERIFY2(cleaned, qPrintable(error.message));
    QVERIFY(cleaned->verified());
    QVERIFY(f.sandbox.profilesWith(QStringLiteral("cio_cohorts"), value).isEmpty());
}

void TestTrustEngine::rehearsalRefusesLargeTestSegments()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    const Mapping m = f.addMapping(1);
    f.sandbox.resetStats();
    Rehearsal r(*f.ws, &f.http, f.services, Clock::system(), m, 4);
    SyncError error;
    auto result = runCheck<RehearsalResult>(
        &r, &Rehearsal::finished, [&] { r.start(); }, &error);
    QVERIFY(!result);
    QCOMPARE(error.category, SyncError::Category::Usage);
    QVERIFY2(error.message.contains(QLatin1String("250")) &&
                 error.message.contains(QLatin1String("200")),
             qPrintable(error.message));
    QCOMPARE(f.sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInt(),
             0);
    QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage")), 0);

    // A larger cap lets it through: the cap is the only reason it was refused.
    RehearsalOptions o;
    o.sizeCap = 300;
    Rehearsal big(*f.ws, &f.http, f.services, Clock::system(), m, 4, o);
    auto ok = runCheck<RehearsalResult>(
        &big, &Rehearsal::finished, [&] { big.start(); }, &error);
    QVERIFY2(ok, qPrintable(error.message));
    QCOMPARE(ok->people.size(), 250);
}

void TestTrustEngine::rehearsalValueKeepsToMixpanelsLimit_data()
{
    // The suffix " [rehearsal yyyyMMdd-HHmm]" is 26 bytes: names up to 229 bytes fit.
    QTest::addColumn<QString>("cohort");
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("refused");
    QTest::newRow("ascii 229") << QString(229, QLatin1Char('r')) << int(SyncMode::List) << false;
    QTest::newRow("ascii 230") << QString(230, QLatin1Char('r')) << int(SyncMode::List) << true;
    QTest::newRow("flag, ascii 230")
        << QString(230, QLatin1Char('r')) << int(SyncMode::Flag) << true;
    QTest::newRow("3-byte x 76 + 1 = 229")
        << QString(76, QChar(0x20AC)) + QLatin1Char('r') << int(SyncMode::List) << false;
    QTest::newRow("3-byte x 77 = 231") << QString(77, QChar(0x20AC)) << int(SyncMode::List) << true;
}

void TestTrustEngine::rehearsalValueKeepsToMixpanelsLimit()
{
    QFETCH(QString, cohort);
    QFETCH(int, mode);
    QFETCH(bool, refused);
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    Mapping m = f.addMapping(1, SyncMode(mode));
    m.cohortName = cohort; // a valid mapping: the cohort name itself is within 255 bytes
    QVERIFY(MappingRepository::validate(m).ok());
    f.sandbox.resetStats();
    Rehearsal r(*f.ws, &f.http, f.services, Clock::system(), m, 2);
    SyncError error;
    auto result = runCheck<RehearsalResult>(
        &r, &Rehearsal::finished, [&] { r.start(); }, &error);
    QCOMPARE(!result, refused);
    if (refused) {
        QCOMPARE(error.category, SyncError::Category::Usage);
        QVERIFY2(error.message.contains(QLatin1String("at most 255 bytes")) &&
                     error.message.contains(QLatin1String("at most 229 bytes")),
                 qPrintable(error.message));
        // Refused before anything was written or read.
        QCOMPARE(f.sandbox.stats()
                     .value(QStringLiteral("engage"))
                     .toObject()
                     .value(QStringLiteral("updates"))
                     .toInt(),
                 0);
        QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage")), 0);
    } else {
        QVERIFY2(result->passed(), qPrintable(QJsonDocument(result->toJson()).toJson()));
        QCOMPARE(int(result->value.toUtf8().size()), 255);
    }
}

void TestTrustEngine::syncRefusesACohortNamePastTheLimit()
{
    // The engine's own guard, for a mapping that never went through the repository's
    // check (saved by an older Lockstep, or edited in the database).
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    Mapping m = f.addMapping(1);
    m.cohortName = QString(86, QChar(0x20AC)); // 258 bytes, 86 characters
    f.sandbox.resetStats();
    const RunRecord r = f.sync(m);
    QCOMPARE(r.status, RunStatus::Failed);
    QCOMPARE(r.errorCategory, QStringLiteral("config"));
    QVERIFY2(r.message.contains(QLatin1String("258 bytes")), qPrintable(r.message));
    QCOMPARE(f.sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInt(),
             0);
}

void TestTrustEngine::spotCheckGivesEachReason()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    const Mapping m = f.addMapping(1);
    const RunRecord run = f.sync(m);
    QCOMPARE(run.status, RunStatus::Succeeded);
    QCOMPARE(f.sandbox.profilesWith(QStringLiteral("cio_cohorts"), m.cohortName),
             (QStringList{QStringLiteral("alice@example.com"), QStringLiteral("bob@example.com"),
                          QStringLiteral("gone@example.com")}));
    // After the sync: two people join (one with a mixed-case e-mail whose Mixpanel
    // profile uses that spelling), a profile is deleted in Mixpanel and another loses
    // the value there.
    f.sandbox.control("POST", QStringLiteral("/_sandbox/segments/1/members"),
                      QJsonObject{{QStringLiteral("add"), QJsonArray{QStringLiteral("cio-mixed"),
                                                                     QStringLiteral("cio-late")}}});
    const QString token = f.sandbox.projectToken();
    QVERIFY(f.engage(
        QJsonArray{QJsonObject{{QStringLiteral("$token"), token},
                               {QStringLiteral("$distinct_id"), QStringLiteral("gone@example.com")},
                               {QStringLiteral("$delete"), QString()}},
                   QJsonObject{{QStringLiteral("$token"), token},
                               {QStringLiteral("$distinct_id"), QStringLiteral("bob@example.com")},
                               {QStringLiteral("$remove"),
                                QJsonObject{{QStringLiteral("cio_cohorts"), m.cohortName}}}}}));
    f.sandbox.resetStats();

    SpotCheckOptions o;
    o.count = 0;
    o.named = {
        QStringLiteral("Alice@Example.com"), QStringLiteral("cio-nomail"), QStringLiteral("mixed"),
        QStringLiteral("gone@example.com"),  QStringLiteral("late"),       QStringLiteral("bob"),
        QStringLiteral("t1@corp.example")};
    SpotCheck check(*f.ws, &f.http, f.services, Clock::system(), m, o);
    SyncError error;
    auto result = runCheck<SpotCheckResult>(
        &check, &SpotCheck::finished, [&] { check.start(); }, &error);
    QVERIFY2(result, qPrintable(error.message));
    const QByteArray dump = QJsonDocument(result->toJson()).toJson();
    QCOMPARE(result->people.size(), 7);

    struct Expect
    {
        const char* named;
        bool passed;
        const char* reason;
        bool inSegment;
    };
    const Expect expected[] = {
        {"Alice@Example.com", true, "", true},
        {"cio-nomail", false, trustreason::kIdentityKeyMissing, true},
        {"mixed", false, trustreason::kNormalisation, true},
        {"gone@example.com", false, trustreason::kNoProfile, true},
        {"late", false, trustreason::kNotYetSynced, true},
        {"bob", false, trustreason::kValueMissing, true},
        {"t1@corp.example", true, trustreason::kNotInSegment, false},
    };
    for (const Expect& e : expected) {
        const PersonCheck* p = personNamed(*result, QLatin1String(e.named));
        QVERIFY2(p, e.named);
        QVERIFY2(p->passed == e.passed,
                 qPrintable(QLatin1String(e.named) + QLatin1Char('\n') + QString::fromUtf8(dump)));
        QCOMPARE(p->reason, QString::fromLatin1(e.reason));
        QCOMPARE(p->inSegment, e.inSegment);
        QVERIFY(!p->detail.isEmpty());
    }
    QVERIFY(!result->passed());
    // ONE query, with the normalised keys and the raw spelling of the mixed-case one.
    QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage")), 1);
    QCOMPARE(result->queriesUsed, 1);
    QCOMPARE(result->queriesLeft, 58); // the sync's check of its entered keys took one
    auto stored = TrustStore(*f.ws).latest(m.id, QString::fromLatin1(trustkind::kSpotCheck));
    QVERIFY(stored && *stored && !(*stored)->passed);
    QCOMPARE(identifiersStored((*stored)->result, result->people), QStringList());
    QCOMPARE((*stored)->result.value(QStringLiteral("people")).toArray().size(),
             result->people.size());
}

void TestTrustEngine::spotCheckSamplesMembersAtRandom()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    const Mapping m = f.addMapping(4); // 250 generated people, all with e-mails
    QCOMPARE(f.sync(m).status, RunStatus::Succeeded);
    QSet<QString> seen;
    for (quint64 seed : {1u, 2u}) {
        SpotCheckOptions o;
        o.seed = seed;
        o.pageSize = 40; // several pages: the sample spans all of them
        SpotCheck check(*f.ws, &f.http, f.services, Clock::system(), m, o);
        SyncError error;
        auto result = runCheck<SpotCheckResult>(
            &check, &SpotCheck::finished, [&] { check.start(); }, &error);
        QVERIFY2(result, qPrintable(error.message));
        QCOMPARE(result->people.size(), 10);
        QVERIFY2(result->passed(), qPrintable(QJsonDocument(result->toJson()).toJson()));
        for (const PersonCheck& p : result->people) {
            QVERIFY(p.inSegment && p.inSnapshot && p.inMixpanel && p.hasValue);
            seen.insert(p.cioId);
        }
    }
    QVERIFY2(seen.size() > 10, "two seeds drew the same ten people");
}

void TestTrustEngine::queryBudgetRefusesBeforeTheSandboxWould()
{
    // The sandbox allows 3 queries an hour; so does the client. A fourth check must be
    // refused by Lockstep itself, before anything is read or sent.
    TrustFixture f(trustScenario(3), 3);
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    const Mapping m = f.addMapping(1);
    f.sandbox.resetStats();
    SpotCheckOptions o;
    o.named = {QStringLiteral("alice")};
    o.count = 0;
    o.queriesPerHour = 3;
    for (int i = 0; i < 3; ++i) {
        SpotCheck check(*f.ws, &f.http, f.services, Clock::system(), m, o);
        SyncError error;
        auto result = runCheck<SpotCheckResult>(
            &check, &SpotCheck::finished, [&] { check.start(); }, &error);
        QVERIFY2(result, qPrintable(error.message));
        QCOMPARE(result->queriesLeft, 2 - i);
    }
    SpotCheck fourth(*f.ws, &f.http, f.services, Clock::system(), m, o);
    SyncError error;
    QVERIFY(!runCheck<SpotCheckResult>(
        &fourth, &SpotCheck::finished, [&] { fourth.start(); }, &error));
    QCOMPARE(error.category, SyncError::Category::RateLimited);
    QVERIFY2(error.message.contains(QLatin1String("0 of 3 left")), qPrintable(error.message));
    QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage")), 3);
    QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage"), QStringLiteral("429")), 0);
    QCOMPARE(f.routeRequests(QStringLiteral("cio.membership")), 3); // the fourth read nothing

    // Another process (a fresh scheduler) sees the use recorded in the workspace.
    QNetworkAccessManager nam;
    RequestScheduler other(&nam, Clock::system());
    other.setLimit(QStringLiteral("mixpanel-query"), HostLimit{0, 1, 5, 3});
    QCOMPARE(other.queriesLeftThisHour(), 3);
    QCOMPARE(QueryBudget(*f.ws, &other, Clock::system(), 3).left(), 0);
    QVERIFY(QueryBudget(*f.ws, &other, Clock::system(), 3).nextFreeAtMs() >
            QDateTime::currentMSecsSinceEpoch());
    Rehearsal r(*f.ws, &other, f.services, Clock::system(), m, 2);
    QVERIFY(!runCheck<RehearsalResult>(
        &r, &Rehearsal::finished, [&] { r.start(); }, &error));
    QCOMPARE(error.category, SyncError::Category::RateLimited);
    // An hour later the budget is back.
    ManualClock later(QDateTime::currentMSecsSinceEpoch() + QueryBudget::kHourMs + 1000);
    QCOMPARE(QueryBudget(*f.ws, nullptr, &later, 3).left(), 3);
}

void TestTrustEngine::latencyFromKnownDelays()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    const Mapping m = f.addMapping(4);
    // Every /engage answer is held back 400 ms; batches of 50 make five batches.
    f.sandbox.setFaults(
        QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.engage")},
                               {QStringLiteral("latency_ms"), 400}}});
    const RunRecord first = f.sync(m, 50);
    QCOMPARE(first.status, RunStatus::Succeeded);
    QVERIFY(first.entered > 200);
    f.sandbox.clearFaults();
    auto r = LatencyMonitor(*f.ws, *Clock::system()).report(m.id);
    QVERIFY(r);
    QCOMPARE(r->runs, 1);
    QCOMPARE(r->changes, first.entered); // every change was timed
    QVERIFY(r->medianMs && r->p95Ms && r->maxMs);
    QVERIFY2(*r->medianMs >= 400 && *r->medianMs < 10000,
             qPrintable(QString::number(*r->medianMs)));
    QVERIFY(*r->p95Ms >= *r->medianMs && *r->maxMs >= *r->p95Ms);

    // A second, fast run: its changes count too, and pull the median down.
    QJsonArray leaving;
    for (const QJsonValue& v : f.sandbox.segmentMembers(4))
        if (leaving.size() < 3 && v.toObject().value(QStringLiteral("email")).isString())
            leaving.append(v.toObject().value(QStringLiteral("cio_id")));
    QCOMPARE(leaving.size(), 3);
    f.sandbox.control("POST", QStringLiteral("/_sandbox/segments/4/members"),
                      QJsonObject{{QStringLiteral("remove"), leaving}});
    const RunRecord second = f.sync(m, 50);
    QCOMPARE(second.status, RunStatus::Succeeded);
    QCOMPARE(second.exited, qint64(3));
    auto r2 = LatencyMonitor(*f.ws, *Clock::system()).report(m.id);
    QVERIFY(r2);
    QCOMPARE(r2->runs, 2);
    QCOMPARE(r2->changes, first.entered + 3);
    // Only the most recent run when asked for one.
    auto last = LatencyMonitor(*f.ws, *Clock::system()).report(m.id, 1);
    QVERIFY(last);
    QCOMPARE(last->changes, qint64(3));
    QVERIFY2(*last->maxMs < 400, qPrintable(QString::number(*last->maxMs)));
}

void TestTrustEngine::latencyQuantilesAndAlert()
{
    using S = LatencyMonitor::Sample;
    QVERIFY(!LatencyMonitor::quantile({}, 0.5));
    QCOMPARE(LatencyMonitor::quantile({S{10, 1}, S{20, 1}, S{30, 1}}, 0.5).value_or(-1),
             qint64(20));
    // Weighted by batch size: 99 changes at 1 s, one at 100 s.
    QCOMPARE(LatencyMonitor::quantile({S{100000, 1}, S{1000, 99}}, 0.95).value_or(-1),
             qint64(1000));
    QCOMPARE(LatencyMonitor::quantile({S{100000, 1}, S{1000, 99}}, 1.0).value_or(-1),
             qint64(100000));

    // Known batch timings (5 min each) against an expectation: the alert follows it.
    QTemporaryDir dir;
    auto ws = Workspace::open(dir.filePath(QStringLiteral("latency.sqlite")));
    QVERIFY(ws);
    Workspace& w = **ws;
    for (int seq = 0; seq < 3; ++seq) {
        QSqlQuery q = w.query(
            QStringLiteral("INSERT INTO journal_batches (run_id, seq, mapping_id, op, size, keys, "
                           "state, planned_at_ms, "
                           "acked_at_ms) VALUES (1, ?, 7, 'add', 10, '', 'applied', 1000, ?)"));
        q.addBindValue(seq);
        q.addBindValue(1000 + 5 * 60000);
        QVERIFY(Workspace::exec(q, "insert").ok());
    }
    ManualClock clock;
    LatencyMonitor monitor(w, clock);
    auto none = monitor.evaluate(7);
    QVERIFY(none && !none->exceeded());
    QCOMPARE(*none->p95Ms, qint64(5 * 60000));
    QVERIFY(TrustStore(w).setLatencyExpectationMinutes(7, 2).ok());
    auto over = monitor.evaluate(7);
    QVERIFY(over && over->exceeded());
    auto alerts = AlertStore(w, clock).open(7);
    QVERIFY(alerts);
    QCOMPARE(alerts->size(), 1);
    QCOMPARE(alerts->first().rule, QStringLiteral("latency"));
    QVERIFY(TrustStore(w).setLatencyExpectationMinutes(7, 10).ok());
    auto within = monitor.evaluate(7);
    QVERIFY(within && !within->exceeded());
    alerts = AlertStore(w, clock).open(7);
    QVERIFY(alerts && alerts->isEmpty());
}

void TestTrustEngine::checklistTurnsGreenOnlyOnEvidence()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    Mapping m = f.addMapping(1, SyncMode::List, QStringLiteral("winback people"));
    auto check = [&](const char* key) {
        auto list = ChecklistEvaluator(*f.ws, ChecklistRules{}).evaluate(m);
        return list && list->item(QLatin1String(key)) && list->item(QLatin1String(key))->done;
    };
    auto doneCount = [&] {
        auto list = ChecklistEvaluator(*f.ws, ChecklistRules{}).evaluate(m);
        return int(std::count_if(list->items.begin(), list->items.end(),
                                 [](const ChecklistItem& i) { return i.done; }));
    };
    QCOMPARE(ChecklistEvaluator(*f.ws, ChecklistRules{}).evaluate(m)->items.size(), 10);
    QCOMPARE(doneCount(), 0);
    SyncError error;

    // The cohort list is checked, but no cohort has this name yet: stays red.
    CohortDefinitionCheck cd(*f.ws, &f.http, f.services, Clock::system(), m);
    auto def = runCheck<CohortDefinitionResult>(
        &cd, &CohortDefinitionCheck::finished, [&] { cd.start(); }, &error);
    QVERIFY2(def, qPrintable(error.message));
    QVERIFY(!def->found);
    QVERIFY(!check(checklistitem::kCohortDefinitionCreated));

    // Name, owners, decision and report are the mapping's own evidence.
    m.cohortName = test::kCohort;
    m.owner = QStringLiteral("Retention team");
    m.healthMonitor = QStringLiteral("Growth on call");
    m.decision = QStringLiteral("Winback journey audience; measured on repeat purchase");
    m.setReportUrl(QStringLiteral("https://mixpanel.com/project/1/view/2/app/boards#id=3"));
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(check(checklistitem::kNameConvention));
    QVERIFY(check(checklistitem::kSegmentOwnerSet));
    QVERIFY(check(checklistitem::kHealthMonitorSet));
    QVERIFY(check(checklistitem::kDecisionSet));
    QVERIFY(check(checklistitem::kReportingPlanSet));
    QCOMPARE(doneCount(), 5);

    QVERIFY(TrustStore(*f.ws).setLatencyExpectationMinutes(m.id, 90).ok());
    QVERIFY(check(checklistitem::kLatencyExpectationSet));

    CohortDefinitionCheck cd2(*f.ws, &f.http, f.services, Clock::system(), m);
    def = runCheck<CohortDefinitionResult>(
        &cd2, &CohortDefinitionCheck::finished, [&] { cd2.start(); }, &error);
    QVERIFY2(def && def->found, qPrintable(error.message));
    QCOMPARE(def->cohortId, qint64(1));
    QVERIFY(check(checklistitem::kCohortDefinitionCreated));
    QCOMPARE(doneCount(), 7);

    // A failing spot check (bob not synced yet) is evidence against, not for.
    SpotCheckOptions o;
    o.count = 0;
    o.named = {QStringLiteral("alice"), QStringLiteral("bob")};
    SpotCheck failing(*f.ws, &f.http, f.services, Clock::system(), m, o);
    QVERIFY(runCheck<SpotCheckResult>(
        &failing, &SpotCheck::finished, [&] { failing.start(); }, &error));
    QVERIFY(!check(checklistitem::kIdentityVerified));
    QCOMPARE(f.sync(m).status, RunStatus::Succeeded);
    SpotCheck passing(*f.ws, &f.http, f.services, Clock::system(), m, o);
    auto spot = runCheck<SpotCheckResult>(
        &passing, &SpotCheck::finished, [&] { passing.start(); }, &error);
    QVERIFY2(spot && spot->passed(), qPrintable(error.message));
    QVERIFY(check(checklistitem::kIdentityVerified));

    QVERIFY(!check(checklistitem::kRehearsalPassed));
    Rehearsal failingRehearsal(*f.ws, &f.http, f.services, Clock::system(), m,
                               3); // t3 has no e-mail
    QVERIFY(runCheck<RehearsalResult>(
        &failingRehearsal, &Rehearsal::finished, [&] { failingRehearsal.start(); }, &error));
    QVERIFY(!check(checklistitem::kRehearsalPassed));
    Rehearsal rehearsal(*f.ws, &f.http, f.services, Clock::system(), m, 2);
    QVERIFY(runCheck<RehearsalResult>(
        &rehearsal, &Rehearsal::finished, [&] { rehearsal.start(); }, &error));
    QVERIFY(check(checklistitem::kRehearsalPassed));
    QVERIFY(!ChecklistEvaluator(*f.ws, ChecklistRules{}).evaluate(m)->ready());
    // A stable fortnight, reviewed: the tenth item, and the checklist is complete.
    appendDailyPoints(*f.ws, m.id, 15, 1000, 10);
    QVERIFY(ChecklistEvaluator(*f.ws, ChecklistRules{})
                .reviewStability(m, QStringLiteral("Maya"), Clock::system()->nowMs()));
    QVERIFY(check(checklistitem::kSegmentStabilityReviewed));
    QVERIFY(ChecklistEvaluator(*f.ws, ChecklistRules{}).evaluate(m)->ready());

    // Changing the identity key makes the people-based evidence stale.
    m.identity = IdentityKey::Id;
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(!check(checklistitem::kIdentityVerified));
    QVERIFY(!check(checklistitem::kRehearsalPassed));
    QVERIFY(!ChecklistEvaluator(*f.ws, ChecklistRules{}).evaluate(m)->ready());
}

namespace {
const ChecklistItem* itemOf(Workspace& ws, const Mapping& m, const char* key,
                            const ChecklistRules& rules, RolloutChecklist* keep)
{
    auto list = ChecklistEvaluator(ws, rules).evaluate(m);
    if (!list)
        return nullptr;
    *keep = *list;
    return keep->item(QLatin1String(key));
}
} // namespace

void TestTrustEngine::stabilityReviewNeedsCurrentEvidence()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    Mapping m = f.addMapping(1, SyncMode::List, QStringLiteral("CIO | Winback | 30d"));
    ChecklistRules rules; // 10 % a day at most
    RolloutChecklist keep;
    auto item = [&] {
        return itemOf(*f.ws, m, checklistitem::kSegmentStabilityReviewed, rules, &keep);
    };
    auto review = [&](const QString& by) {
        return ChecklistEvaluator(*f.ws, rules).reviewStability(m, by, Clock::system()->nowMs());
    };
    QVERIFY(!item()->done);

    // Five days of history: recorded who looked, but too little to call it stable.
    appendDailyPoints(*f.ws, m.id, 5, 1000, 20);
    auto early = review(QStringLiteral("Maya"));
    QVERIFY(early && !early->passed);
    QVERIFY(!item()->done);
    QVERIFY2(item()->evidence.contains(QStringLiteral("too little history")),
             qPrintable(item()->evidence));

    // A fortnight of 20 in and 20 out of 1000 a day (4 %): stable.
    appendDailyPoints(*f.ws, m.id, 15, 1000, 20);
    QVERIFY(!item()->done); // the newest review predates the history: review again
    auto r = review(QStringLiteral("Maya (retention)"));
    QVERIFY(r && r->passed);
    QCOMPARE(r->result.value(QStringLiteral("median_churn_percent")).toDouble(), 4.0);
    QVERIFY(r->result.value(QStringLiteral("days")).toInt() >= 14);
    QVERIFY(item()->done);
    QVERIFY2(item()->evidence.contains(QStringLiteral("reviewed by Maya (retention)")) &&
                 item()->evidence.contains(QStringLiteral("median daily churn 4.0 %")),
             qPrintable(item()->evidence));

    // Judged by the threshold as it is now.
    rules.stabilityChurnPercent = 3;
    QVERIFY(!item()->done);
    QVERIFY2(item()->evidence.contains(QStringLiteral("above the 3.0 %")),
             qPrintable(item()->evidence));
    rules.stabilityChurnPercent = 10;
    QVERIFY(item()->done);

    // Evidence made with another mapping does not count: another segment, another key.
    m.segmentId = 2;
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(!item()->done);
    QVERIFY2(item()->evidence.contains(QStringLiteral("only reviewed before the mapping changed")),
             qPrintable(item()->evidence));
    m.segmentId = 1;
    m.identity = IdentityKey::Id;
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(!item()->done);
    QVERIFY(review(QStringLiteral("Jon")));
    QVERIFY(item()->done);
    QVERIFY(item()->evidence.contains(QStringLiteral("reviewed by Jon")));

    // A churning segment is reviewed, and stays open.
    Mapping churning = f.addMapping(2, SyncMode::List, QStringLiteral("CIO | Cart | 0-24h"));
    appendDailyPoints(*f.ws, churning.id, 15, 1000, 300);
    QVERIFY(ChecklistEvaluator(*f.ws, rules)
                .reviewStability(churning, QStringLiteral("Maya"), Clock::system()->nowMs()));
    const ChecklistItem* c =
        itemOf(*f.ws, churning, checklistitem::kSegmentStabilityReviewed, rules, &keep);
    QVERIFY(!c->done);
    QVERIFY2(c->evidence.contains(QStringLiteral("median daily churn 60 %")),
             qPrintable(c->evidence));
    // Nobody reviews without a name.
    QVERIFY(!review(QStringLiteral("  ")));
}

void TestTrustEngine::reportingPlanFollowsTheCohort()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    Mapping m = f.addMapping(1, SyncMode::List, QStringLiteral("CIO | Winback | 30d"));
    m.identity = IdentityKey::Email;
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    RolloutChecklist keep;
    auto item = [&](const Mapping& x) {
        return itemOf(*f.ws, x, checklistitem::kReportingPlanSet, ChecklistRules{}, &keep);
    };
    QVERIFY(!item(m)->done);
    QVERIFY(item(m)->url.isEmpty());
    const QString url = QStringLiteral("https://mixpanel.com/project/1/view/2/app/boards#id=3");
    m.setReportUrl(url);
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(item(m)->done);
    QCOMPARE(item(m)->url, url);
    QCOMPARE(item(m)->evidence, url);

    // Renamed: the report was set for the old name, so it no longer counts.
    m.cohortName = QStringLiteral("CIO | Winback | 45-60d");
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(!item(m)->done);
    QVERIFY2(item(m)->evidence.contains(QStringLiteral("was set for “CIO | Winback | 30d”")),
             qPrintable(item(m)->evidence));
    m.setReportUrl(url); // pointed at the new name and set again
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(item(m)->done);

    // A new version (the advisor's switch) writes another cohort: its report is to be set.
    auto next = adoptIdentityKey(*f.ws, m.id, IdentityKey::Id);
    QVERIFY2(next, qPrintable(next ? QString() : next.error().message));
    const Mapping v2 = *MappingRepository(*f.ws).get(*next);
    QCOMPARE(v2.reportUrl, url);
    QVERIFY(!item(v2)->done);
    QVERIFY(MappingRepository(*f.ws).get(m.id)->paused);
    // The same key again is refused.
    QVERIFY(!adoptIdentityKey(*f.ws, *next, IdentityKey::Id));
}

void TestTrustEngine::ownershipIsSplit()
{
    TrustFixture f(trustScenario());
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    Mapping m = f.addMapping(1, SyncMode::List, QStringLiteral("CIO | Winback | 30d"));
    RolloutChecklist keep;
    auto done = [&](const char* key) {
        return itemOf(*f.ws, m, key, ChecklistRules{}, &keep)->done;
    };
    QVERIFY(!done(checklistitem::kSegmentOwnerSet) && !done(checklistitem::kHealthMonitorSet));
    m.owner = QStringLiteral("Maya");
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(done(checklistitem::kSegmentOwnerSet));
    QVERIFY(!done(checklistitem::kHealthMonitorSet)); // who edits is not who answers alerts
    m.healthMonitor = QStringLiteral("   ");
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(!done(checklistitem::kHealthMonitorSet));
    QVERIFY(itemOf(*f.ws, m, checklistitem::kHealthMonitorSet, ChecklistRules{}, &keep)
                ->evidence.contains(QStringLiteral("--health-monitor")));
    m.healthMonitor = QStringLiteral("Jon (on call)");
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(done(checklistitem::kHealthMonitorSet));
    QCOMPARE(itemOf(*f.ws, m, checklistitem::kHealthMonitorSet, ChecklistRules{}, &keep)->evidence,
             QStringLiteral("Jon (on call)"));
    m.owner.clear();
    QVERIFY(MappingRepository(*f.ws).update(m).ok());
    QVERIFY(!done(checklistitem::kSegmentOwnerSet));
}

QTEST_GUILESS_MAIN(TestTrustEngine)
#include "tst_trust_engine.moc"
