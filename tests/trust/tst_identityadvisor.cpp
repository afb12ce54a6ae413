// The identity advisor against the sandbox's demo scenario, whose Mixpanel knows its people
// by id: after a sync the e-mail mappings get `id` recommended and the id mapping keeps its
// key; the counts are the sandbox's own truth (a profile under every id, none under any
// e-mail but the ghosts the sync wrote); at most 3 queries, counted by the sandbox, within
// the shared budget; applying the recommendation through the console's path (a new version
// keyed by id) resolves the unknown_profiles alert on the next run. The entry check, the
// spot check and the advisor judge the same people alike ("unknown to Mixpanel" has one
// definition).
#include "clirunner.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "engine/enginecontext.h"
#include "engine/mappingservice.h"
#include "engine/synccontroller.h"
#include "engine/trustservice.h"
#include "store/mappingrepository.h"
#include "store/mismatchrepository.h"
#include "store/workspace.h"
#include "trust/identityadvisor.h"
#include "trust/querybudget.h"
#include "trust/truststore.h"
#include "util/clock.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;

namespace {
constexpr int kWaitMs = 60'000;

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject keyOf(const QJsonObject& advice, const QString& key)
{
    for (const QJsonValue& v : advice.value(QStringLiteral("keys")).toArray())
        if (v.toObject().value(QStringLiteral("key")).toString() == key)
            return v.toObject();
    return {};
}
} // namespace

class TestIdentityAdvisor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void recommendsFromTheCounts_data();
    void recommendsFromTheCounts();
    void emailMappingsGetIdRecommended();
    void idMappingKeepsItsKey();
    void everyoneOfASmallSegmentAsTheSandboxKnowsThem();
    void entryCheckSpotCheckAndAdvisorAgree();
    void budgetRespected();
    void badUsage();
    void switchingToTheRecommendedKeyResolvesTheAlert();

private:
    test::CliRun cli(const QStringList& args);
    QJsonObject advise(qint64 mappingId, int* exitCode, int sample = 100);
    int queriesSeen();
    QJsonObject status();
    qint64 idOfSegment(qint64 segment) const { return m_bySegment.value(segment); }

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QProcessEnvironment m_env;
    QHash<qint64, qint64> m_bySegment; // segment id -> mapping id
    QList<qint64> m_email;             // the demo's mappings keyed by e-mail
};

test::CliRun TestIdentityAdvisor::cli(const QStringList& args)
{
    return test::runCli(m_path, args, m_env);
}

QJsonObject TestIdentityAdvisor::advise(qint64 mappingId, int* exitCode, int sample)
{
    const test::CliRun r = cli({QStringLiteral("identity-advice"), QStringLiteral("--mapping"),
                                QString::number(mappingId), QStringLiteral("--sample"),
                                QString::number(sample), QStringLiteral("--json")});
    *exitCode = r.exitCode;
    if (r.exitCode != 0)
        qWarning().noquote() << r.out << r.err;
    return QJsonDocument::fromJson(r.out).object();
}

int TestIdentityAdvisor::queriesSeen()
{
    return m_sandbox->stats()
        .value(QStringLiteral("routes"))
        .toObject()
        .value(QStringLiteral("mp.query.engage"))
        .toObject()
        .value(QStringLiteral("requests"))
        .toInt();
}

QJsonObject TestIdentityAdvisor::status()
{
    const test::CliRun r = cli({QStringLiteral("status"), QStringLiteral("--json")});
    return QJsonDocument::fromJson(r.out).object();
}

void TestIdentityAdvisor::initTestCase()
{
    m_sandbox = std::make_unique<test::SandboxProcess>(QStringLiteral("demo.json"));
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("demo.sqlite"));
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    m_env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    m_env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    m_env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.01"));
    m_env.insert(QStringLiteral("LOCKSTEP_TOKEN_PROBE_DELAY_MS"), QStringLiteral("20"));

    // The demo's own mappings, as `lockstep --demo` adds them, but for their keys.
    const QJsonObject demo =
        readJson(QStringLiteral(LOCKSTEP_SOURCE_DIR "/resources/demo/mappings.json"));
    const QJsonArray list = demo.value(QStringLiteral("mappings")).toArray();
    auto ws = Workspace::open(m_path);
    QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().toString()));
    QVERIFY(SettingsRepository(**ws).setConnection(test::connectionTo(*m_sandbox)));
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        Mapping m;
        m.segmentId = o.value(QStringLiteral("segment")).toInteger();
        m.cohortName = o.value(QStringLiteral("cohort")).toString();
        m.identity = *parseIdentityKey(o.value(QStringLiteral("identity")).toString());
        // The demo keys only Winback by e-mail; this test wants several e-mail mappings on
        // the demo's people (Mixpanel keys them by id): Cart abandoners and Suppressed too.
        if (m.segmentId == 103 || m.segmentId == 104)
            m.identity = IdentityKey::Email;
        m.mode = parseSyncMode(o.value(QStringLiteral("mode")).toString()).value_or(SyncMode::List);
        auto id = MappingRepository(**ws).add(m);
        QVERIFY(id);
        m_bySegment.insert(m.segmentId, *id);
        if (m.identity == IdentityKey::Email)
            m_email.append(*id);
    }
    QCOMPARE(m_email.size(), 3); // Winback, Cart abandoners, Suppressed
    // The internal team's segment (8 people): small enough to look everyone up.
    Mapping team;
    team.segmentId = 106;
    team.cohortName = QStringLiteral("CIO | Internal team | 30d");
    team.identity = IdentityKey::Email;
    auto id = MappingRepository(**ws).add(team);
    QVERIFY(id);
    m_bySegment.insert(106, *id);

    const test::CliRun sync = cli({QStringLiteral("sync"), QStringLiteral("--all")});
    QVERIFY2(sync.exitCode == 0, QByteArray(sync.out + sync.err).constData());
}

void TestIdentityAdvisor::cleanupTestCase()
{
    m_sandbox.reset();
}

void TestIdentityAdvisor::recommendsFromTheCounts_data()
{
    QTest::addColumn<QString>("current");
    QTest::addColumn<QList<int>>("matched"); // id, email, cio_id, $email
    QTest::addColumn<int>("elsewhere");
    QTest::addColumn<QString>("recommended"); // "" for none
    QTest::addColumn<bool>("change");
    QTest::addColumn<QString>("says");

    QTest::newRow("e-mail mapping, Mixpanel knows ids")
        << "email" << QList<int>{93, 0, 0, 90} << 0 << "id" << true
        << "93 % of these people have a profile under their id; this mapping sends e-mail (0 %).";
    QTest::newRow("already the best key") << "id" << QList<int>{93, 0, 0, 90} << 0 << "id" << false
                                          << "the key this mapping sends: keep it.";
    QTest::newRow("a few more are no reason for a new cohort")
        << "email" << QList<int>{82, 80, 0, 80} << 0 << "email" << false << "about as many as";
    QTest::newRow("tie keeps the current key")
        << "cio_id" << QList<int>{50, 0, 50, 0} << 0 << "cio_id" << false << "keep it";
    QTest::newRow("tie prefers id over e-mail")
        << "cio_id" << QList<int>{50, 50, 0, 0} << 0 << "id" << true << "under their id";
    QTest::newRow("known only by $email, under another id")
        << "email" << QList<int>{0, 0, 0, 70} << 70 << "" << false
        << "Mixpanel knows them by an identifier Customer.io does not hold";
    QTest::newRow("unknown everywhere") << "id" << QList<int>{0, 0, 0, 0} << 0 << "" << false
                                        << "check that the project token and project id";
}

void TestIdentityAdvisor::recommendsFromTheCounts()
{
    QFETCH(QString, current);
    QFETCH(QList<int>, matched);
    QFETCH(int, elsewhere);
    QFETCH(QString, recommended);
    QFETCH(bool, change);
    QFETCH(QString, says);
    IdentityAdvice a;
    a.mappingId = 1;
    a.current = *parseIdentityKey(current);
    a.sampled = 100;
    a.elsewhere = elsewhere;
    const QStringList keys = {QStringLiteral("id"), QStringLiteral("email"),
                              QStringLiteral("cio_id"), QStringLiteral("$email")};
    for (int i = 0; i < 4; ++i) {
        KeyMatch k;
        k.key = keys[i];
        k.carried = 100;
        k.matched = matched[i];
        k.lookedUp = true;
        if (i == 3 && elsewhere > 0)
            k.examples = {QStringLiteral("u-1")};
        a.keys.append(k);
    }
    IdentityAdvisor::recommend(a);
    QCOMPARE(a.recommended ? identityKeyName(*a.recommended) : QString(), recommended);
    QCOMPARE(a.change, change);
    QVERIFY2(a.summary.contains(says), qPrintable(a.summary));
}

void TestIdentityAdvisor::emailMappingsGetIdRecommended()
{
    for (qint64 id : std::as_const(m_email)) {
        m_sandbox->resetStats();
        int code = -1;
        const QJsonObject a = advise(id, &code);
        QCOMPARE(code, 0);
        QCOMPARE(a.value(QStringLiteral("recommended_key")).toString(), QStringLiteral("id"));
        QVERIFY(a.value(QStringLiteral("change")).toBool());
        const QString summary = a.value(QStringLiteral("summary")).toString();
        QVERIFY2(summary.contains(QStringLiteral("of these people have a profile under their "
                                                 "id; this mapping sends e-mail")),
                 qPrintable(summary));
        const int sampled = a.value(QStringLiteral("sampled")).toInt();
        QCOMPARE(sampled, 100);
        // The sandbox's truth: a profile under every id, none under an e-mail address but
        // the ghosts the sync wrote (which are no match).
        const QJsonObject byId = keyOf(a, QStringLiteral("id"));
        const QJsonObject byEmail = keyOf(a, QStringLiteral("email"));
        QCOMPARE(byId.value(QStringLiteral("matched")).toInt(),
                 byId.value(QStringLiteral("carried")).toInt());
        QVERIFY(byId.value(QStringLiteral("match_rate")).toDouble() >= 0.9);
        QCOMPARE(byEmail.value(QStringLiteral("matched")).toInt(), 0);
        QVERIFY(byEmail.value(QStringLiteral("ghosts")).toInt() > 0);
        QCOMPARE(keyOf(a, QStringLiteral("cio_id")).value(QStringLiteral("matched")).toInt(), 0);
        // Within the shared budget: at most 3 queries, as the sandbox counted them.
        const int used = a.value(QStringLiteral("queries_used")).toInt();
        QVERIFY(used >= 1 && used <= 3);
        QCOMPARE(queriesSeen(), used);
    }
}

void TestIdentityAdvisor::idMappingKeepsItsKey()
{
    int code = -1;
    const QJsonObject a = advise(idOfSegment(102), &code);
    QCOMPARE(code, 0);
    QCOMPARE(a.value(QStringLiteral("recommended_key")).toString(), QStringLiteral("id"));
    QVERIFY(!a.value(QStringLiteral("change")).toBool());
    QVERIFY2(a.value(QStringLiteral("summary")).toString().contains(QStringLiteral("keep it")),
             qPrintable(a.value(QStringLiteral("summary")).toString()));
}

void TestIdentityAdvisor::everyoneOfASmallSegmentAsTheSandboxKnowsThem()
{
    // Segment 106 has 8 members: a sample of 10 looks everyone up, so every count is the
    // segment's own, predicted from the sandbox's members and its profiles.
    const QJsonArray members = m_sandbox->segmentMembers(106);
    QCOMPARE(members.size(), 8);
    int ids = 0, emails = 0;
    for (const QJsonValue& v : members) {
        const QJsonObject o = v.toObject();
        ids += o.value(QStringLiteral("id")).isString() ? 1 : 0;
        emails += o.value(QStringLiteral("email")).isString() ? 1 : 0;
    }
    int code = -1;
    const QJsonObject a = advise(idOfSegment(106), &code, 10);
    QCOMPARE(code, 0);
    QCOMPARE(a.value(QStringLiteral("members")).toInt(), 8);
    QCOMPARE(a.value(QStringLiteral("sampled")).toInt(), 8);
    QCOMPARE(keyOf(a, QStringLiteral("id")).value(QStringLiteral("carried")).toInt(), ids);
    QCOMPARE(keyOf(a, QStringLiteral("id")).value(QStringLiteral("matched")).toInt(), ids);
    QCOMPARE(keyOf(a, QStringLiteral("email")).value(QStringLiteral("carried")).toInt(), emails);
    QCOMPARE(keyOf(a, QStringLiteral("email")).value(QStringLiteral("matched")).toInt(), 0);
    // Every e-mail address this mapping sent is a ghost the sync made.
    QCOMPARE(keyOf(a, QStringLiteral("email")).value(QStringLiteral("ghosts")).toInt(), emails);
    // Their real profiles carry their e-mail as $email, under their id (not elsewhere).
    QCOMPARE(keyOf(a, QStringLiteral("$email")).value(QStringLiteral("matched")).toInt(), emails);
    QCOMPARE(a.value(QStringLiteral("elsewhere")).toInt(), 0);
}

void TestIdentityAdvisor::entryCheckSpotCheckAndAdvisorAgree()
{
    // The entry check after the sync recorded the e-mail keys it found unknown...
    const qint64 winback = idOfSegment(101);
    QSet<QString> unknownByEntry;
    {
        auto ws = Workspace::open(m_path);
        QVERIFY(ws);
        auto keys = MismatchRepository(**ws).unknownKeys(winback);
        QVERIFY(keys);
        unknownByEntry = QSet<QString>(keys->begin(), keys->end());
    }
    QVERIFY(!unknownByEntry.isEmpty());
    // ...the spot check finds the same people unknown (each carries the value, on a ghost)...
    const test::CliRun r =
        cli({QStringLiteral("spot-check"), QStringLiteral("--mapping"), QString::number(winback),
             QStringLiteral("--count"), QStringLiteral("40"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 1); // FAILED: they are ghosts
    const QJsonArray people =
        QJsonDocument::fromJson(r.out).object().value(QStringLiteral("people")).toArray();
    QVERIFY(people.size() >= 30);
    int compared = 0;
    for (const QJsonValue& v : people) {
        const QJsonObject p = v.toObject();
        const QString key = p.value(QStringLiteral("distinct_id")).toString();
        if (key.isEmpty() || !p.value(QStringLiteral("in_snapshot")).toBool())
            continue;
        QVERIFY2(p.value(QStringLiteral("unknown_to_mixpanel")).toBool(), qPrintable(key));
        QCOMPARE(p.value(QStringLiteral("reason")).toString(), QStringLiteral("ghost_profile"));
        QVERIFY(!p.value(QStringLiteral("passed")).toBool());
        if (unknownByEntry.contains(key))
            ++compared;
    }
    QVERIFY2(compared > 0, "the spot check drew none of the entry check's sample");
    // ...and the advisor counts those profiles as ghosts, not matches (above). The id
    // mapping's people are known to all three.
    const test::CliRun vip = cli({QStringLiteral("spot-check"), QStringLiteral("--mapping"),
                                  QString::number(idOfSegment(102)), QStringLiteral("--count"),
                                  QStringLiteral("20"), QStringLiteral("--json")});
    for (const QJsonValue& v :
         QJsonDocument::fromJson(vip.out).object().value(QStringLiteral("people")).toArray())
        QVERIFY(!v.toObject().value(QStringLiteral("unknown_to_mixpanel")).toBool());
    auto ws = Workspace::open(m_path);
    QVERIFY(ws);
    auto vipUnknown = MismatchRepository(**ws).unknownKeys(idOfSegment(102));
    QVERIFY(vipUnknown && vipUnknown->isEmpty());
}

void TestIdentityAdvisor::budgetRespected()
{
    const qint64 winback = idOfSegment(101);
    // Other tools of the project spent all but one query of the hour.
    {
        auto ws = Workspace::open(m_path);
        QVERIFY(ws);
        m_sandbox->control("POST", QStringLiteral("/_sandbox/query_budget/reset"));
        const qint64 now = Clock::system()->nowMs();
        // What this workspace has used this hour, and what is left of 60.
        const int left = QueryBudget::kDefaultPerHour -
                         int(TrustStore(**ws).queriesSince(now - QueryBudget::kHourMs)->size());
        QVERIFY(TrustStore(**ws).recordQueries(now, left - 1, QStringLiteral("another tool")));
    }
    m_sandbox->resetStats();
    int code = -1;
    QJsonObject a = advise(winback, &code);
    QCOMPARE(code, 0); // a report: the first query answers the question
    QCOMPARE(a.value(QStringLiteral("queries_used")).toInt(), 1);
    QCOMPARE(queriesSeen(), 1);
    QCOMPARE(a.value(QStringLiteral("recommended_key")).toString(), QStringLiteral("id"));
    QVERIFY(!keyOf(a, QStringLiteral("$email")).value(QStringLiteral("looked_up")).toBool());
    QVERIFY2(a.value(QStringLiteral("note")).toString().contains(QStringLiteral("$email")),
             qPrintable(a.value(QStringLiteral("note")).toString()));
    QCOMPARE(a.value(QStringLiteral("queries_left_this_hour")).toInt(), 0);

    // None left: no report, nothing asked, exit 1 naming the budget.
    m_sandbox->resetStats();
    const test::CliRun r = cli(
        {QStringLiteral("identity-advice"), QStringLiteral("--mapping"), QString::number(winback)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("quer"), r.err.constData());
    QCOMPARE(queriesSeen(), 0);
    QCOMPARE(m_sandbox->stats()
                 .value(QStringLiteral("routes"))
                 .toObject()
                 .value(QStringLiteral("cio.membership"))
                 .toObject()
                 .value(QStringLiteral("requests"))
                 .toInt(),
             0); // refused before reading the segment

    // Give the budget back for the tests after this one.
    auto ws = Workspace::open(m_path);
    QVERIFY(ws);
    QSqlQuery q = (*ws)->query(QStringLiteral("DELETE FROM query_usage"));
    QVERIFY(Workspace::exec(q, "reset"));
}

void TestIdentityAdvisor::badUsage()
{
    struct Row
    {
        QStringList args;
        int code;
    };
    const QList<Row> rows = {
        {{QStringLiteral("identity-advice")}, 2},
        {{QStringLiteral("identity-advice"), QStringLiteral("--mapping"), QStringLiteral("x")}, 2},
        {{QStringLiteral("identity-advice"), QStringLiteral("--mapping"), QStringLiteral("999")},
         2},
        {{QStringLiteral("identity-advice"), QStringLiteral("--mapping"), QStringLiteral("1"),
          QStringLiteral("--sample"), QStringLiteral("0")},
         2},
        {{QStringLiteral("identity-advice"), QStringLiteral("--mapping"), QStringLiteral("1"),
          QStringLiteral("--sample"), QStringLiteral("301")},
         2},
        {{QStringLiteral("identity-advice"), QStringLiteral("--mapping"), QStringLiteral("1"),
          QStringLiteral("--bogus")},
         2},
    };
    for (const Row& row : rows) {
        const test::CliRun r = cli(row.args);
        QVERIFY2(r.exitCode == row.code,
                 qPrintable(row.args.join(QLatin1Char(' ')) + QStringLiteral(": ") +
                            QString::fromUtf8(r.err)));
        QVERIFY(!r.err.isEmpty());
    }
    // No service account: a configuration problem.
    QProcessEnvironment env = m_env;
    env.remove(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"));
    const test::CliRun r = test::runCli(
        m_path,
        {QStringLiteral("identity-advice"), QStringLiteral("--mapping"), QStringLiteral("1")}, env);
    QCOMPARE(r.exitCode, 2);
}

void TestIdentityAdvisor::switchingToTheRecommendedKeyResolvesTheAlert()
{
    const qint64 winback = idOfSegment(101);
    auto openUnknown = [this](qint64 mappingId) {
        for (const QJsonValue& v : status().value(QStringLiteral("alerts")).toArray()) {
            const QJsonObject a = v.toObject();
            if (a.value(QStringLiteral("rule")).toString() == QLatin1String("unknown_profiles") &&
                a.value(QStringLiteral("mapping_id")).toInteger() == mappingId)
                return true;
        }
        return false;
    };
    QVERIFY(openUnknown(winback));

    // The console's one click: a new version keyed by the recommended key.
    EngineContext context;
    SyncController controller(context, m_path,
                              Credentials{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                                          m_sandbox->serviceAccount()});
    controller.start();
    std::optional<IdentityAdvice> advice;
    std::optional<SyncError> failure;
    Mapping stored;
    stored.id = winback;
    controller.trust()
        ->adviseIdentity(stored, 50)
        .then(&controller, [&](const IdentityAdvice& a) { advice = a; })
        .onFailed(&controller, [&](const SyncError& e) { failure = e; });
    QTRY_VERIFY_WITH_TIMEOUT(advice || failure, kWaitMs);
    QVERIFY2(!failure, failure ? qPrintable(failure->message) : "");
    QVERIFY(advice->recommended && advice->change);
    // Both versions are announced: the paused one and the new one.
    QSignalSpy saved(controller.mappings(), &MappingRequests::saved);
    qint64 next = 0;
    controller.mappings()
        ->adoptIdentityKey(winback, *advice->recommended)
        .then(&controller, [&](qint64 id) { next = id; })
        .onFailed(&controller, [&](const SyncError& e) { failure = e; });
    QTRY_VERIFY_WITH_TIMEOUT(next != 0 || failure, kWaitMs);
    QVERIFY2(!failure, failure ? qPrintable(failure->message) : "");
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, kWaitMs);
    QCOMPARE(saved.at(0).at(0).toLongLong(), winback);
    QCOMPARE(saved.at(1).at(0).toLongLong(), next);
    QVERIFY(next != winback);
    {
        auto ws = Workspace::open(m_path);
        QVERIFY(ws);
        auto v2 = MappingRepository(**ws).get(next);
        auto v1 = MappingRepository(**ws).get(winback);
        QVERIFY(v2 && v1);
        QCOMPARE(v2->identity, IdentityKey::Id);
        QCOMPARE(v2->cohortName, QStringLiteral("CIO | Winback | 45-60d | v2"));
        QCOMPARE(v2->segmentId, qint64(101));
        QVERIFY(!v2->paused);
        QVERIFY(v1->paused); // superseded
    }

    // The next run: the new version's keys are people Mixpanel knows, the old alert resolves.
    const test::CliRun sync = cli({QStringLiteral("sync"), QStringLiteral("--all")});
    QVERIFY2(sync.exitCode == 0 || sync.exitCode == 1, sync.err.constData());
    const QJsonObject doc = status();
    QVERIFY(!openUnknown(winback));
    QVERIFY(!openUnknown(next));
    for (const QJsonValue& v : doc.value(QStringLiteral("mappings")).toArray()) {
        const QJsonObject m = v.toObject();
        if (m.value(QStringLiteral("id")).toInteger() != next)
            continue;
        const QJsonObject check = m.value(QStringLiteral("last_run"))
                                      .toObject()
                                      .value(QStringLiteral("verification"))
                                      .toObject();
        QVERIFY(check.value(QStringLiteral("verified")).toInt() > 0);
        QCOMPARE(check.value(QStringLiteral("unknown_to_mixpanel")).toInt(), 0);
    }
    // The other e-mail mappings were not switched: theirs stay open.
    QVERIFY(openUnknown(idOfSegment(103)));
}

QTEST_GUILESS_MAIN(TestIdentityAdvisor)
#include "tst_identityadvisor.moc"
