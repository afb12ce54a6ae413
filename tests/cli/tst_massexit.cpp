// The mass-exit safeguard against the sandbox, driven as an operator would: a segment the
// sandbox empties (or that loses a large share) is held — nobody is removed in Mixpanel,
// entries still go out, the mass_exit alert opens, `sync` and the runner exit 1 and apply
// nothing; `sync --mapping ID --accept-exits` applies the held exits and the cohort then
// equals the segment; Discard (the console's path, SyncController) keeps the members in
// Mixpanel and in the snapshot. A mapping's own share and 0 (off) change what is held.
// Runs on both stores: tst_massexit on SQLite, tst_massexit_pg on PostgreSQL (tests/pg).
#include "clirunner.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"
#include "testdatabase.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "store/heldexits.h"
#include "store/mappingrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <utility>

using namespace lockstep;
using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {
constexpr int kWaitMs = 60'000;

QJsonObject segment(int id, int size)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("name"), QStringLiteral("Segment %1").arg(id)},
                       {QStringLiteral("size"), size}};
}

QJsonObject scenario()
{
    return QJsonObject{
        {QStringLiteral("seed"), 31},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 4000}}},
        {QStringLiteral("segments"),
         QJsonArray{segment(21, 400), segment(22, 500), segment(23, 300), segment(24, 50),
                    segment(25, 200), segment(26, 100)}},
    };
}

QString cohortOf(int segment)
{
    return QStringLiteral("CIO | Mass exit %1 | 30d").arg(segment);
}

QSet<QString> setOf(const QStringList& l)
{
    return QSet<QString>(l.begin(), l.end());
}
} // namespace

class TestMassExit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void emptiedSegmentIsHeldUntilAccepted();
    void largeShareIsHeldWhileEntriesGo();
    void discardKeepsTheMembers();
    void offAndTheEmptySegmentRule();
    void acceptExitsUsage_data();
    void acceptExitsUsage();
    void shareUsage_data();
    void shareUsage();

private:
    test::CliRun cli(const QStringList& args);
    qint64 addMapping(int segment, const QString& identity, const QStringList& extra = {});
    test::CliRun sync(qint64 mappingId, const QStringList& extra = {});
    QJsonObject onlyRun(const test::CliRun& r);
    // Who holds the mapping's value in Mixpanel (ground truth).
    QSet<QString> inMixpanel(int segment);
    QSet<QString> segmentKeys(int segment, const QString& key);
    void removeFromSegment(int segment, const QStringList& cioIds);
    void addToSegment(int segment, const QStringList& cioIds);
    QSet<QString> snapshotOf(qint64 mappingId);
    std::optional<HeldExits> pendingHold(qint64 mappingId, HeldExitStore::Keys keys = {});
    QList<HeldExits> holds(qint64 mappingId);
    // The open alerts of `rule` for the mapping in `status --json`, and its exit code.
    QJsonArray openAlerts(qint64 mappingId, const QString& rule, int* exitCode = nullptr);

    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
    QString m_workspace;
    QProcessEnvironment m_env;
    EngineContext m_context;
};

test::CliRun TestMassExit::cli(const QStringList& args)
{
    return test::runCli(m_workspace, args, m_env);
}

qint64 TestMassExit::addMapping(int segment, const QString& identity, const QStringList& extra)
{
    const test::CliRun r = cli(QStringList{QStringLiteral("mapping"), QStringLiteral("add"),
                                           QStringLiteral("--segment"), QString::number(segment),
                                           QStringLiteral("--cohort"), cohortOf(segment),
                                           QStringLiteral("--identity"), identity} +
                               extra);
    if (r.exitCode != 0)
        qWarning("%s", r.err.constData());
    return QString::fromUtf8(r.out).trimmed().toLongLong();
}

test::CliRun TestMassExit::sync(qint64 mappingId, const QStringList& extra)
{
    return cli(QStringList{QStringLiteral("sync"), QStringLiteral("--mapping"),
                           QString::number(mappingId), QStringLiteral("--json")} +
               extra);
}

QJsonObject TestMassExit::onlyRun(const test::CliRun& r)
{
    const QJsonArray runs = QJsonDocument::fromJson(r.out).array();
    return runs.size() == 1 ? runs[0].toObject() : QJsonObject();
}

QSet<QString> TestMassExit::inMixpanel(int segment)
{
    return setOf(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), cohortOf(segment)));
}

QSet<QString> TestMassExit::segmentKeys(int segment, const QString& key)
{
    return setOf(m_sandbox->segmentMemberKeys(segment, key));
}

void TestMassExit::removeFromSegment(int segment, const QStringList& cioIds)
{
    const QJsonValue r = m_sandbox->control(
        "POST", QStringLiteral("/_sandbox/segments/%1/members").arg(segment),
        QJsonObject{{QStringLiteral("remove"), QJsonArray::fromStringList(cioIds)}});
    QVERIFY2(!r.isUndefined(), qPrintable(m_sandbox->errorString()));
}

void TestMassExit::addToSegment(int segment, const QStringList& cioIds)
{
    const QJsonValue r = m_sandbox->control(
        "POST", QStringLiteral("/_sandbox/segments/%1/members").arg(segment),
        QJsonObject{{QStringLiteral("add"), QJsonArray::fromStringList(cioIds)}});
    QVERIFY2(!r.isUndefined(), qPrintable(m_sandbox->errorString()));
}

QSet<QString> TestMassExit::snapshotOf(qint64 mappingId)
{
    auto ws = Workspace::open(m_workspace);
    if (!ws)
        return {};
    auto snap = SnapshotStore(**ws).load(mappingId);
    QSet<QString> out;
    if (snap)
        for (size_t i = 0; i < snap->size(); ++i)
            out.insert(QString::fromUtf8(snap->key(i).data(), qsizetype(snap->key(i).size())));
    return out;
}

std::optional<HeldExits> TestMassExit::pendingHold(qint64 mappingId, HeldExitStore::Keys keys)
{
    auto ws = Workspace::open(m_workspace);
    if (!ws)
        return std::nullopt;
    auto held = HeldExitStore(**ws).pending(mappingId, keys);
    return held ? *held : std::nullopt;
}

QList<HeldExits> TestMassExit::holds(qint64 mappingId)
{
    auto ws = Workspace::open(m_workspace);
    if (!ws)
        return {};
    auto list = HeldExitStore(**ws).history(mappingId);
    return list ? *list : QList<HeldExits>();
}

QJsonArray TestMassExit::openAlerts(qint64 mappingId, const QString& rule, int* exitCode)
{
    const test::CliRun r = cli({QStringLiteral("status"), QStringLiteral("--json")});
    if (exitCode)
        *exitCode = r.exitCode;
    QJsonArray out;
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    for (const QJsonValue& v : doc.value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject a = v.toObject();
        if (a.value(QStringLiteral("rule")).toString() == rule &&
            a.value(QStringLiteral("mapping_id")).toInteger() == mappingId)
            out.append(a);
    }
    return out;
}

void TestMassExit::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_workspace = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!m_workspace.isEmpty());
    m_sandbox = std::make_unique<SandboxProcess>(scenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    {
        auto ws = Workspace::open(m_workspace);
        QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().toString()));
        QVERIFY(SettingsRepository(**ws).setConnection(test::connectionTo(*m_sandbox)));
    }
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    m_env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    m_env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    m_env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.01"));
    m_env.insert(QStringLiteral("LOCKSTEP_TOKEN_PROBE_DELAY_MS"), QStringLiteral("20"));
}

void TestMassExit::cleanupTestCase()
{
    m_sandbox.reset();
}

void TestMassExit::emptiedSegmentIsHeldUntilAccepted()
{
    const qint64 id = addMapping(21, QStringLiteral("cio_id"));
    QVERIFY(id > 0);
    test::CliRun r = sync(id);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QSet<QString> before = segmentKeys(21, QStringLiteral("cio_id"));
    QCOMPARE(before.size(), 400);
    QCOMPARE(inMixpanel(21), before);

    // The sandbox empties the segment (a broken definition, an event that stopped).
    removeFromSegment(21, before.values());
    QVERIFY(segmentKeys(21, QStringLiteral("cio_id")).isEmpty());

    r = sync(id);
    QCOMPARE(r.exitCode, 1); // held exits are not a success
    QJsonObject run = onlyRun(r);
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(run.value(QStringLiteral("held_exits")).toInteger(), 400);
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), 0);
    QCOMPARE(run.value(QStringLiteral("segment_count")).toInteger(), 0);
    QVERIFY2(
        run.value(QStringLiteral("message")).toString().contains(QStringLiteral("held 400 exits")),
        qPrintable(run.value(QStringLiteral("message")).toString()));
    QVERIFY(run.value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("lockstep sync --mapping %1 --accept-exits").arg(id)));
    // Nobody was removed in Mixpanel, and the snapshot says what Mixpanel holds.
    QCOMPARE(inMixpanel(21), before);
    QCOMPARE(snapshotOf(id), before);
    const auto held = pendingHold(id, HeldExitStore::Keys::All);
    QVERIFY(held);
    QCOMPARE(held->reason, QStringLiteral("empty_segment"));
    QCOMPARE(held->exitCount, 400);
    QCOMPARE(held->lastSize, 400);
    QCOMPARE(held->segmentCount, 0);
    const QStringList heldKeys = QString::fromUtf8(held->keys).split(QLatin1Char('\n'));
    QCOMPARE(setOf(heldKeys), before);

    // A critical mass_exit alert with the counts; status exits 1 while it is open.
    int code = -1;
    QJsonArray alerts = openAlerts(id, QStringLiteral("mass_exit"), &code);
    QCOMPARE(code, 1);
    QCOMPARE(alerts.size(), 1);
    const QJsonObject alert = alerts[0].toObject();
    QCOMPARE(alert.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
    const QString message = alert.value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(QStringLiteral("held 400 exits")) &&
                 message.contains(QStringLiteral("the segment read empty")) &&
                 message.contains(QStringLiteral("100.0% of the 400 last synced")),
             qPrintable(message));

    // The runner never applies them: its run holds them again, nothing leaves Mixpanel.
    {
        // Due again: its last run started two hours ago (the schedule is an hour).
        auto ws = Workspace::open(m_workspace);
        QVERIFY(ws);
        QSqlQuery q = (*ws)->query(
            QStringLiteral("UPDATE runs SET started_at = started_at - 7200000 WHERE mapping_id=?"));
        q.addBindValue(id);
        QVERIFY(Workspace::exec(q, "back-date the runs").ok());
    }
    r = cli({QStringLiteral("run"), QStringLiteral("--once")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(inMixpanel(21), before);
    const auto again = pendingHold(id);
    QVERIFY(again);
    QVERIFY(again->id != held->id); // the runner's run holds them anew
    QCOMPARE(again->exitCount, 400);
    QCOMPARE(holds(id).last().state, HeldExits::State::Superseded);
    QCOMPARE(openAlerts(id, QStringLiteral("mass_exit")).size(), 1);

    // An operator applies them: the cohort equals the segment (empty).
    r = sync(id, {QStringLiteral("--accept-exits")});
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    run = onlyRun(r);
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), 400);
    QCOMPARE(run.value(QStringLiteral("held_exits")).toInteger(), 0);
    QVERIFY(inMixpanel(21).isEmpty());
    QCOMPARE(inMixpanel(21), segmentKeys(21, QStringLiteral("cio_id")));
    QVERIFY(snapshotOf(id).isEmpty());
    QVERIFY(!pendingHold(id));
    const HeldExits applied = holds(id).first();
    QCOMPARE(applied.state, HeldExits::State::Applied);
    QCOMPARE(applied.decidedRunId, run.value(QStringLiteral("run_id")).toInteger());
    QCOMPARE(openAlerts(id, QStringLiteral("mass_exit")).size(), 0);
}

void TestMassExit::largeShareIsHeldWhileEntriesGo()
{
    const qint64 id = addMapping(22, QStringLiteral("email"));
    QVERIFY(id > 0);
    test::CliRun r = sync(id);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QSet<QString> before = inMixpanel(22);
    QCOMPARE(before, segmentKeys(22, QStringLiteral("email")));

    // 40 % leave (past the default 30 %), 20 join from another segment.
    const QJsonArray members = m_sandbox->segmentMembers(22);
    QStringList leave;
    QSet<QString> leftEmails;
    for (int i = 0; i < members.size() && leave.size() < 200; ++i) {
        const QJsonObject m = members[i].toObject();
        if (m.value(QStringLiteral("email")).isString()) {
            leave << m.value(QStringLiteral("cio_id")).toString();
            leftEmails << m.value(QStringLiteral("email")).toString().trimmed().toLower();
        }
    }
    QCOMPARE(leave.size(), 200);
    const QSet<QString> inside = segmentKeys(22, QStringLiteral("cio_id"));
    QStringList join;
    for (const QJsonValue& v : m_sandbox->segmentMembers(26)) {
        const QJsonObject m = v.toObject();
        if (join.size() < 20 && m.value(QStringLiteral("email")).isString() &&
            !inside.contains(m.value(QStringLiteral("cio_id")).toString()))
            join << m.value(QStringLiteral("cio_id")).toString();
    }
    QCOMPARE(join.size(), 20);
    removeFromSegment(22, leave);
    addToSegment(22, join);
    const QSet<QString> now = segmentKeys(22, QStringLiteral("email"));

    // A dry run says what it would hold, and holds nothing.
    r = cli({QStringLiteral("dry-run"), QStringLiteral("--mapping"), QString::number(id),
             QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(onlyRun(r).value(QStringLiteral("held_exits")).toInteger(), 200);
    QVERIFY(onlyRun(r)
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("would hold 200 exits")));
    QVERIFY(!pendingHold(id));

    r = sync(id);
    QCOMPARE(r.exitCode, 1);
    QJsonObject run = onlyRun(r);
    QCOMPARE(run.value(QStringLiteral("held_exits")).toInteger(), 200);
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), 0);
    QVERIFY(run.value(QStringLiteral("entered")).toInteger() > 0);
    // Entries went out; the leavers are still in the cohort.
    QCOMPARE(inMixpanel(22), before + now);
    QVERIFY(inMixpanel(22).contains(leftEmails));
    const auto held = pendingHold(id);
    QVERIFY(held);
    QCOMPARE(held->reason, QStringLiteral("share"));
    QCOMPARE(held->exitCount, 200);
    QCOMPARE(held->sharePercent, 30.0);
    QCOMPARE(openAlerts(id, QStringLiteral("mass_exit")).size(), 1);

    // The mapping's own share (50 %) lets these exits go: the hold is moot.
    r = cli({QStringLiteral("mapping"), QStringLiteral("set"), QString::number(id),
             QStringLiteral("--mass-exit-percent"), QStringLiteral("50")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = cli({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    bool found = false;
    for (const QJsonValue& v : QJsonDocument::fromJson(r.out).array())
        if (v.toObject().value(QStringLiteral("id")).toInteger() == id) {
            QCOMPARE(v.toObject().value(QStringLiteral("mass_exit_percent")).toDouble(), 50.0);
            found = true;
        }
    QVERIFY(found);
    r = sync(id);
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    QCOMPARE(onlyRun(r).value(QStringLiteral("exited")).toInteger(), 200);
    QCOMPARE(inMixpanel(22), now);
    QVERIFY(!pendingHold(id));
    QCOMPARE(holds(id).first().state, HeldExits::State::Superseded);
    QCOMPARE(openAlerts(id, QStringLiteral("mass_exit")).size(), 0);

    // Back to the workspace's share.
    r = cli({QStringLiteral("mapping"), QStringLiteral("set"), QString::number(id),
             QStringLiteral("--mass-exit-percent"), QStringLiteral("default")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    auto ws = Workspace::open(m_workspace);
    QVERIFY((*ws) && MappingRepository(**ws).get(id)->usesWorkspaceMassExit());
}

void TestMassExit::discardKeepsTheMembers()
{
    const qint64 id = addMapping(23, QStringLiteral("id"));
    QVERIFY(id > 0);
    test::CliRun r = sync(id);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QSet<QString> before = inMixpanel(23);
    QCOMPARE(before, segmentKeys(23, QStringLiteral("id")));
    QVERIFY(before.size() > 250);
    removeFromSegment(23, segmentKeys(23, QStringLiteral("cio_id")).values());
    r = sync(id);
    QCOMPARE(r.exitCode, 1);
    const auto held = pendingHold(id);
    QVERIFY(held);

    // The console's path: the controller lists the hold and discards it.
    SyncController controller(m_context, m_workspace,
                              Credentials{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                                          m_sandbox->serviceAccount()});
    QSignalSpy unclaimed(&controller, &SyncController::failed);
    controller.start();
    std::optional<QList<HeldExits>> answer;
    std::optional<SyncError> refused;
    QObject receiver;
    controller.health()->loadHeldExits().then(&receiver,
                                              [&](const QList<HeldExits>& h) { answer = h; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kWaitMs);
    QList<HeldExits> listed = *std::exchange(answer, std::nullopt);
    const auto row = std::find_if(listed.begin(), listed.end(),
                                  [id](const HeldExits& h) { return h.mappingId == id; });
    QVERIFY(row != listed.end());
    QCOMPARE(row->id, held->id);
    QCOMPARE(row->sample.size(), HeldExitStore::kSampleKeys);
    QVERIFY(before.contains(row->sample.first()));

    controller.health()
        ->discardHeldExits(id, held->id, QStringLiteral("maya"))
        .then(&receiver, [&](const QList<HeldExits>& h) { answer = h; })
        .onFailed(&receiver, [&](const SyncError& e) { refused = e; });
    QTRY_VERIFY_WITH_TIMEOUT(answer || refused, kWaitMs);
    QVERIFY2(!refused, qPrintable(refused ? refused->message : QString()));
    listed = *std::exchange(answer, std::nullopt);
    QVERIFY(std::none_of(listed.begin(), listed.end(),
                         [id](const HeldExits& h) { return h.mappingId == id; }));
    QVERIFY(unclaimed.isEmpty());
    // The members stay in the cohort and in the snapshot; the alert is closed.
    QCOMPARE(inMixpanel(23), before);
    QCOMPARE(snapshotOf(id), before);
    const HeldExits discarded = holds(id).first();
    QCOMPARE(discarded.state, HeldExits::State::Discarded);
    QCOMPARE(discarded.decidedBy, QStringLiteral("maya"));
    QCOMPARE(openAlerts(id, QStringLiteral("mass_exit")).size(), 0);

    // Discarding again (a stale console) is refused and changes nothing.
    controller.health()
        ->discardHeldExits(id, held->id, QStringLiteral("jon"))
        .then(&receiver, [&](const QList<HeldExits>& h) { answer = h; })
        .onFailed(&receiver, [&](const SyncError& e) { refused = e; });
    QTRY_VERIFY_WITH_TIMEOUT(answer || refused, kWaitMs);
    QVERIFY(!answer);
    QCOMPARE(refused->category, SyncError::Category::NotFound);
    QCOMPARE(holds(id).first().decidedBy, QStringLiteral("maya"));

    // A later run that still misses them holds them again.
    r = sync(id);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(inMixpanel(23), before);
    QVERIFY(pendingHold(id));
    QCOMPARE(openAlerts(id, QStringLiteral("mass_exit")).size(), 1);
}

void TestMassExit::offAndTheEmptySegmentRule()
{
    // Share off, a small segment emptied (under 100 synced): the exits go.
    const qint64 small = addMapping(24, QStringLiteral("cio_id"),
                                    {QStringLiteral("--mass-exit-percent"), QStringLiteral("0")});
    QVERIFY(small > 0);
    test::CliRun r = sync(small);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(inMixpanel(24).size(), 50);
    removeFromSegment(24, segmentKeys(24, QStringLiteral("cio_id")).values());
    r = sync(small);
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    QCOMPARE(onlyRun(r).value(QStringLiteral("exited")).toInteger(), 50);
    QVERIFY(inMixpanel(24).isEmpty());
    QVERIFY(!pendingHold(small));

    // Share off, 200 synced: an empty read is still held.
    const qint64 big = addMapping(25, QStringLiteral("cio_id"),
                                  {QStringLiteral("--mass-exit-percent"), QStringLiteral("0")});
    r = sync(big);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QSet<QString> before = inMixpanel(25);
    QCOMPARE(before.size(), 200);
    // Half of them leaving is let through (the share is off)...
    QStringList half = segmentKeys(25, QStringLiteral("cio_id")).values();
    half = half.mid(0, 100);
    removeFromSegment(25, half);
    r = sync(big);
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    QCOMPARE(onlyRun(r).value(QStringLiteral("exited")).toInteger(), 100);
    // ...and the empty-segment rule counts from the last synced size (now 100).
    removeFromSegment(25, segmentKeys(25, QStringLiteral("cio_id")).values());
    r = sync(big);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(onlyRun(r).value(QStringLiteral("held_exits")).toInteger(), 100);
    QCOMPARE(pendingHold(big)->reason, QStringLiteral("empty_segment"));
    QCOMPARE(inMixpanel(25).size(), 100);
}

void TestMassExit::acceptExitsUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("no hold to apply")
        << QStringList{QStringLiteral("--mapping"), QStringLiteral("1")}
        << QStringLiteral("has no held exits to apply");
    QTest::newRow("with --all") << QStringList{QStringLiteral("--all")}
                                << QStringLiteral("give --mapping ID");
    QTest::newRow("with --dry-run") << QStringList{QStringLiteral("--mapping"), QStringLiteral("1"),
                                                   QStringLiteral("--dry-run")}
                                    << QStringLiteral("give --mapping ID");
}

void TestMassExit::acceptExitsUsage()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    m_sandbox->resetStats();
    const test::CliRun r =
        cli(QStringList{QStringLiteral("sync"), QStringLiteral("--accept-exits")} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(says), r.err.constData());
    // Nothing was sent.
    const QJsonObject routes = m_sandbox->stats().value(QStringLiteral("routes")).toObject();
    for (auto it = routes.begin(); it != routes.end(); ++it)
        QVERIFY2(!it.key().startsWith(QLatin1String("mp.")) &&
                     !it.key().startsWith(QLatin1String("cio.")),
                 qPrintable(it.key()));
}

void TestMassExit::shareUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    const QStringList add = {QStringLiteral("mapping"),
                             QStringLiteral("add"),
                             QStringLiteral("--segment"),
                             QStringLiteral("21"),
                             QStringLiteral("--cohort"),
                             QStringLiteral("CIO | Share | 1d"),
                             QStringLiteral("--identity"),
                             QStringLiteral("id"),
                             QStringLiteral("--mass-exit-percent")};
    const QStringList set = {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("1"),
                             QStringLiteral("--mass-exit-percent")};
    for (const char* bad : {"101", "-1", "nan", "lots"}) {
        QTest::addRow("add %s", bad) << add + QStringList{QString::fromLatin1(bad)}
                                     << QStringLiteral("--mass-exit-percent takes 0 (off) to 100");
        QTest::addRow("set %s", bad) << set + QStringList{QString::fromLatin1(bad)}
                                     << QStringLiteral("--mass-exit-percent takes 0 (off) to 100, "
                                                       "or default");
    }
    // A new mapping has no workspace share to fall back to: it takes a number.
    QTest::addRow("add default") << add + QStringList{QStringLiteral("default")}
                                 << QStringLiteral("--mass-exit-percent takes 0 (off) to 100");
}

// A bad share is refused with exit 2 and changes nothing.
void TestMassExit::shareUsage()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    auto ws = Workspace::open(m_workspace);
    QVERIFY(ws);
    const auto before = MappingRepository(**ws).list();
    QVERIFY(before);
    const test::CliRun r = cli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(says), r.err.constData());
    const auto after = MappingRepository(**ws).list();
    QVERIFY(after);
    QCOMPARE(after->size(), before->size());
    for (qsizetype i = 0; i < after->size(); ++i) {
        QCOMPARE(after->at(i).massExitPercent, before->at(i).massExitPercent);
        QCOMPARE(after->at(i).revision, before->at(i).revision);
    }
}

QTEST_GUILESS_MAIN(TestMassExit)
#include "tst_massexit.moc"
