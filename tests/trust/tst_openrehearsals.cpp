// Rehearsals closed without clean-up: which ones the workspace says are still open (from the
// stored checks alone), and `lockstep rehearsal list|cleanup` against the sandbox, where the
// temporary values are checked on the Mixpanel side. On both stores (tst_openrehearsals_pg).
#include "testdatabase.h"
#include "trustfixture.h"

#include "trust/trustrecords.h"
#include "trust/truststore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

using namespace lockstep;
using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {

struct Cli
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject object() const { return QJsonDocument::fromJson(out).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(out).array(); }
};

// A rehearsal as Rehearsal::judge stores it: people as flags and reasons, no identifiers.
TrustCheckRecord rehearsalRecord(qint64 mappingId, const QString& value, qint64 atMs,
                                 const QList<PersonCheck>& people, int unexpected = 0)
{
    RehearsalResult r;
    r.mappingId = mappingId;
    r.testSegmentId = 2;
    r.value = value;
    r.property = QStringLiteral("cio_cohorts");
    r.atMs = atMs;
    r.people = people;
    r.by = QStringLiteral("maya");
    for (int i = 0; i < unexpected; ++i)
        r.unexpected.append(QStringLiteral("someone-%1").arg(i));
    TrustCheckRecord rec;
    rec.mappingId = mappingId;
    rec.kind = QString::fromLatin1(trustkind::kRehearsal);
    rec.atMs = atMs;
    rec.passed = r.passed();
    rec.result = r.toJson();
    return rec;
}

TrustCheckRecord cleanupRecord(qint64 mappingId, const QString& value, int remaining)
{
    RehearsalCleanup c;
    c.mappingId = mappingId;
    c.value = value;
    c.removed = 2;
    c.remaining = remaining;
    TrustCheckRecord rec;
    rec.mappingId = mappingId;
    rec.kind = QString::fromLatin1(trustkind::kRehearsalCleanup);
    rec.atMs = 2'000'000;
    rec.passed = c.verified();
    rec.result = c.toJson();
    return rec;
}

PersonCheck person(bool carries, const char* reason = "")
{
    PersonCheck p;
    p.cioId = QStringLiteral("cio-x");
    p.distinctId = carries || qstrlen(reason) == 0 ? QStringLiteral("x@example.com") : QString();
    p.inSegment = true;
    p.hasValue = p.passed = carries;
    p.reason = QString::fromLatin1(reason);
    return p;
}

} // namespace

class TestOpenRehearsals : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openRehearsalsFollowTheStoredChecks();
    void listAndCleanUpFromTheCommandLine();

private:
    Cli lockstep(const QStringList& args);

    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
    QString m_workspace;
};

Cli TestOpenRehearsals::lockstep(const QStringList& args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    env.insert(QStringLiteral("USER"), QStringLiteral("maya"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            QStringList{QStringLiteral("--workspace"), m_workspace} + args);
    Cli c;
    if (!p.waitForFinished(120000))
        return c;
    c.exitCode = p.exitCode();
    c.out = p.readAllStandardOutput();
    c.err = p.readAllStandardError();
    return c;
}

// Which rehearsals are open follows from the stored rehearsals and clean-ups only: a
// verified clean-up of a value closes the mapping's rehearsals that wrote it, an unverified
// one closes nothing, a rehearsal that wrote nothing is never open, and a deleted mapping's
// are not listed.
void TestOpenRehearsals::openRehearsalsFollowTheStoredChecks()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    auto opened = Workspace::open(location);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    Workspace& ws = **opened;
    auto add = [&](const QString& cohort, qint64 segment) {
        Mapping m;
        m.segmentId = segment;
        m.cohortName = cohort;
        m.identity = IdentityKey::Email;
        auto id = MappingRepository(ws).add(m);
        return id ? *id : 0;
    };
    const qint64 a = add(QStringLiteral("CIO | Winback | 45-60d"), 1);
    const qint64 b = add(QStringLiteral("CIO | Trial | 0-7d"), 3);
    const qint64 gone = add(QStringLiteral("CIO | Churned | 30d"), 5);
    QVERIFY(a > 0 && b > 0 && gone > 0);
    const QString a1 = QStringLiteral("CIO | Winback | 45-60d [rehearsal 20260101-0900]");
    const QString a2 = QStringLiteral("CIO | Winback | 45-60d [rehearsal 20260101-0905]");
    const QString b1 = QStringLiteral("CIO | Trial | 0-7d [rehearsal 20260101-0910]");

    TrustStore store(ws);
    QVERIFY(store.openRehearsals()->isEmpty());
    // Two rehearsals of a, one of them with a profile nobody wrote carrying it too.
    auto id1 = store.record(rehearsalRecord(a, a1, 1'000, {person(true), person(true)}, 1));
    auto id2 = store.record(rehearsalRecord(a, a2, 2'000, {person(true), person(false)}));
    // Nobody in b's test segment had a key: nothing was written.
    QVERIFY(store.record(
        rehearsalRecord(b, b1, 3'000, {person(false, trustreason::kIdentityKeyMissing)})));
    QVERIFY(store.record(
        rehearsalRecord(gone, QStringLiteral("CIO | Churned | 30d [rehearsal 20260101-0915]"),
                        4'000, {person(true)})));
    QVERIFY(id1 && id2);
    QVERIFY(MappingRepository(ws).remove(gone));

    auto open = store.openRehearsals();
    QVERIFY(open);
    // The deleted mapping's rehearsal stays listed: deleting the mapping removed nothing
    // from Mixpanel.
    QCOMPARE(open->size(), 3);
    QCOMPARE(open->at(2).rehearsal.mappingId, gone);
    QVERIFY(open->at(2).mappingDeleted);
    QCOMPARE(open->at(2).cohortName, QStringLiteral("CIO | Churned | 30d"));
    QVERIFY(!open->at(0).mappingDeleted);
    QVERIFY(store.record(cleanupRecord(gone,
                                       QStringLiteral("CIO | Churned | 30d [rehearsal "
                                                      "20260101-0915]"),
                                       0)));
    open = store.openRehearsals();
    QCOMPARE(open->size(), 2);
    QCOMPARE(open->at(0).checkId, *id1);
    QCOMPARE(open->at(0).rehearsal.value, a1);
    QCOMPARE(open->at(0).rehearsal.mappingId, a);
    QCOMPARE(open->at(0).cohortName, QStringLiteral("CIO | Winback | 45-60d"));
    QCOMPARE(open->at(0).carriers, 3); // two read back, one more carried it
    QCOMPARE(open->at(0).rehearsal.by, QStringLiteral("maya"));
    QCOMPARE(open->at(1).checkId, *id2);
    QCOMPARE(open->at(1).carriers, 1);
    // The mapping's newest open one is what Rehearse… offers.
    QCOMPARE((*store.openRehearsal(a))->value, a2);
    QVERIFY(!*store.openRehearsal(b));

    // A clean-up that left profiles carrying a1 closes nothing; a verified one closes a1.
    QVERIFY(store.record(cleanupRecord(a, a1, 1)));
    QCOMPARE(store.openRehearsals()->size(), 2);
    QVERIFY(store.record(cleanupRecord(a, a1, 0)));
    open = store.openRehearsals();
    QCOMPARE(open->size(), 1);
    QCOMPARE(open->first().rehearsal.value, a2);
    QVERIFY(!*store.openRehearsalById(*id1));
    QCOMPARE((*store.openRehearsalById(*id2))->rehearsal.value, a2);
    QVERIFY(!*store.openRehearsalById(987654)); // no such check
    // The newest rehearsal cleaned up leaves the older, still open one to offer.
    QVERIFY(store.record(cleanupRecord(a, a2, 0)));
    auto id3 = store.record(rehearsalRecord(a, a1, 5'000, {person(true)}));
    QVERIFY(id3);
    QVERIFY(store.record(rehearsalRecord(a,
                                         QStringLiteral("CIO | Winback | 45-60d [rehearsal "
                                                        "20260101-0930]"),
                                         6'000, {person(true)})));
    QVERIFY(store.record(
        cleanupRecord(a, QStringLiteral("CIO | Winback | 45-60d [rehearsal 20260101-0930]"), 0)));
    QCOMPARE((*store.openRehearsal(a))->value, a1);
    QCOMPARE(store.openRehearsals()->size(), 1);
    QCOMPARE(store.openRehearsals()->first().checkId, *id3);
}

// Rehearsals left open by the command line are listed with what the console shows, cleaned
// up by id (also after the cohort was renamed), and gone from Mixpanel afterwards.
void TestOpenRehearsals::listAndCleanUpFromTheCommandLine()
{
    m_sandbox = std::make_unique<SandboxProcess>(lockstep::test::trustScenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_workspace = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!m_workspace.isEmpty());
    Cli c = lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                      m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                      m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                      m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                      QString::number(m_sandbox->projectId())});
    QCOMPARE(c.exitCode, 0);
    c = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                  QStringLiteral("1"), QStringLiteral("--cohort"), lockstep::test::kCohort,
                  QStringLiteral("--identity"), QStringLiteral("email")});
    QCOMPARE(c.exitCode, 0);
    const QString trial = QStringLiteral("CIO | Trial | 0-7d");
    c = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                  QStringLiteral("4"), QStringLiteral("--cohort"), trial,
                  QStringLiteral("--identity"), QStringLiteral("email"), QStringLiteral("--mode"),
                  QStringLiteral("flag")});
    QCOMPARE(c.exitCode, 0);

    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list")});
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.out.contains("no open rehearsals"), c.out.constData());

    // Two rehearsals kept: a list one on both testers, a flag one on the tester with an
    // e-mail (the other has none: not written).
    c = lockstep({QStringLiteral("rehearse"), QStringLiteral("--mapping"), QStringLiteral("1"),
                  QStringLiteral("--test-segment"), QStringLiteral("2"), QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 0);
    const QString listValue = c.object()
                                  .value(QStringLiteral("rehearsal"))
                                  .toObject()
                                  .value(QStringLiteral("value"))
                                  .toString();
    c = lockstep({QStringLiteral("rehearse"), QStringLiteral("--mapping"), QStringLiteral("2"),
                  QStringLiteral("--test-segment"), QStringLiteral("3"), QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 1); // one tester has no key: the rehearsal fails, one was written
    const QString flagValue = c.object()
                                  .value(QStringLiteral("rehearsal"))
                                  .toObject()
                                  .value(QStringLiteral("value"))
                                  .toString();
    QVERIFY(listValue.startsWith(lockstep::test::kCohort + QStringLiteral(" [rehearsal ")));
    QVERIFY(flagValue.startsWith(trial + QStringLiteral(" [rehearsal ")));
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), listValue),
             (QStringList{QStringLiteral("t1@corp.example"), QStringLiteral("t2@corp.example")}));
    QCOMPARE(m_sandbox->profilesWith(flagValue, QStringLiteral("true")),
             QStringList{QStringLiteral("t1@corp.example")});

    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 0);
    const QJsonArray open = c.array();
    QCOMPARE(open.size(), 2);
    const QJsonObject first = open.at(0).toObject();
    const QJsonObject second = open.at(1).toObject();
    QCOMPARE(first.value(QStringLiteral("mapping_id")).toInteger(), 1);
    QCOMPARE(first.value(QStringLiteral("cohort")).toString(), lockstep::test::kCohort);
    QCOMPARE(first.value(QStringLiteral("value")).toString(), listValue);
    QCOMPARE(first.value(QStringLiteral("property")).toString(), QStringLiteral("cio_cohorts"));
    QCOMPARE(first.value(QStringLiteral("mode")).toString(), QStringLiteral("list"));
    QCOMPARE(first.value(QStringLiteral("profiles")).toInt(), 2);
    QCOMPARE(first.value(QStringLiteral("by")).toString(), QStringLiteral("maya"));
    QCOMPARE(first.value(QStringLiteral("test_segment_id")).toInteger(), 2);
    QVERIFY(first.value(QStringLiteral("at")).toString().endsWith(QLatin1Char('Z')));
    QCOMPARE(second.value(QStringLiteral("mapping_id")).toInteger(), 2);
    QCOMPARE(second.value(QStringLiteral("value")).toString(), flagValue);
    QCOMPARE(second.value(QStringLiteral("mode")).toString(), QStringLiteral("flag"));
    QCOMPARE(second.value(QStringLiteral("profiles")).toInt(), 1);
    const qint64 listId = first.value(QStringLiteral("id")).toInteger();
    const qint64 flagId = second.value(QStringLiteral("id")).toInteger();
    QVERIFY(listId > 0 && flagId > listId);

    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list")});
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.out.contains(QStringLiteral("rehearsal %1: mapping 1 (%2), \"%3\" in cio_cohorts "
                                           "on 2 profiles, made ")
                                .arg(QString::number(listId), lockstep::test::kCohort, listValue)
                                .toUtf8()),
             c.out.constData());
    QVERIFY2(c.out.contains(" by maya\n"), c.out.constData());

    // Usage: no id, not a number, an unknown subcommand, an id that is not open.
    QCOMPARE(lockstep({QStringLiteral("rehearsal")}).exitCode, 2);
    QCOMPARE(lockstep({QStringLiteral("rehearsal"), QStringLiteral("cleanup")}).exitCode, 2);
    QCOMPARE(lockstep({QStringLiteral("rehearsal"), QStringLiteral("cleanup"), QStringLiteral("x")})
                 .exitCode,
             2);
    QCOMPARE(lockstep({QStringLiteral("rehearsal"), QStringLiteral("tidy")}).exitCode, 2);
    c = lockstep(
        {QStringLiteral("rehearsal"), QStringLiteral("cleanup"), QString::number(flagId + 100)});
    QCOMPARE(c.exitCode, 2);
    QVERIFY2(c.err.contains("no open rehearsal"), c.err.constData());
    // Nothing was touched by the refusals.
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), listValue).size(), 2);

    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("cleanup"), QString::number(listId)});
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.out.contains(QStringLiteral("removed \"%1\" from 2 profiles; verified gone")
                                .arg(listValue)
                                .toUtf8()),
             c.out.constData());
    QVERIFY(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), listValue).isEmpty());
    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(c.array().size(), 1);
    QCOMPARE(c.array().at(0).toObject().value(QStringLiteral("id")).toInteger(), flagId);
    // Cleaned up already: not open any more.
    QCOMPARE(
        lockstep({QStringLiteral("rehearsal"), QStringLiteral("cleanup"), QString::number(listId)})
            .exitCode,
        2);

    // The flag mapping's cohort is renamed: its rehearsal's value keeps the old name, and is
    // still its own to clean up.
    QCOMPARE(lockstep({QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("2"),
                       QStringLiteral("--cohort"), QStringLiteral("CIO | Trial | 0-14d")})
                 .exitCode,
             0);
    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(c.array().at(0).toObject().value(QStringLiteral("cohort")).toString(),
             QStringLiteral("CIO | Trial | 0-14d"));
    QCOMPARE(c.array().at(0).toObject().value(QStringLiteral("mapping_deleted")).toBool(), false);
    // Then deleted: deleting removes nothing from Mixpanel, so its rehearsal stays listed,
    // marked, and is cleaned up in the deleted mapping's terms (its flag property).
    QCOMPARE(lockstep({QStringLiteral("mapping"), QStringLiteral("delete"), QStringLiteral("2")})
                 .exitCode,
             0);
    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(c.array().size(), 1);
    QCOMPARE(c.array().at(0).toObject().value(QStringLiteral("id")).toInteger(), flagId);
    QCOMPARE(c.array().at(0).toObject().value(QStringLiteral("mapping_deleted")).toBool(), true);
    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list")});
    QVERIFY2(c.out.contains("mapping 2 (CIO | Trial | 0-14d, deleted)"), c.out.constData());
    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("cleanup"), QString::number(flagId),
                  QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 0);
    QCOMPARE(c.object().value(QStringLiteral("verified")).toBool(), true);
    QCOMPARE(c.object().value(QStringLiteral("id")).toInteger(), flagId);
    QVERIFY(m_sandbox->profilesWith(flagValue, QStringLiteral("true")).isEmpty());
    c = lockstep({QStringLiteral("rehearsal"), QStringLiteral("list")});
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.out.contains("no open rehearsals"), c.out.constData());
}

QTEST_GUILESS_MAIN(TestOpenRehearsals)
#include "tst_openrehearsals.moc"
