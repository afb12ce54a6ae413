// Mappings as code through the command line, on both stores (tst_mappingsascode on SQLite,
// tst_mappingsascode_pg on PostgreSQL): export -> apply on a fresh workspace -> export gives
// the same bytes (the demo workspace, 200 generated mappings); plan and apply for each kind
// of change and their exit codes; deletions refused without --yes; an invalid file changes
// nothing; an apply killed halfway changes nothing; an apply racing a running sync and a
// console edit loses neither; the console's edits as commands.
#include "clirunner.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"
#include "testdatabase.h"

#include "api/credentials.h"
#include "config/settings.h"
#include "config/workspacesettings.h"
#include "engine/enginecontext.h"
#include "engine/mappingservice.h"
#include "engine/synccontroller.h"
#include "health/alertstore.h"
#include "health/notificationchannel.h"
#include "health/watchedpairrepository.h"
#include "spec/mappingsfile.h"
#include "spec/workspacestate.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/truststore.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <optional>

using namespace lockstep;
using lockstep::test::CliRun;
using lockstep::test::TestDatabase;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QString show(const CliRun& r)
{
    return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3")
        .arg(r.exitCode)
        .arg(QString::fromUtf8(r.out), QString::fromUtf8(r.err));
}

// The demo workspace as `make demo` seeds it (app/demosession.cpp): its mappings file,
// each entry added as the demo adds it, on a workspace connected to a sandbox.
void seedDemo(Workspace& ws)
{
    QFile f(QStringLiteral(LOCKSTEP_SOURCE_DIR "/resources/demo/mappings.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    ConnectionSettings s;
    s.customerIoUrl = QStringLiteral("http://127.0.0.1:18081");
    s.mixpanelUrl = QStringLiteral("http://127.0.0.1:18082");
    s.mixpanelQueryUrl = QStringLiteral("http://127.0.0.1:18082/api/query");
    s.projectId = 1;
    QVERIFY(SettingsRepository(ws).setConnection(s).ok());
    MappingRepository repo(ws);
    const QJsonArray list = doc.value(QLatin1String("mappings")).toArray();
    QCOMPARE(list.size(), 5);
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        Mapping m;
        m.segmentId = o.value(QLatin1String("segment")).toInteger();
        m.cohortName = o.value(QLatin1String("cohort")).toString();
        m.identity = parseIdentityKey(o.value(QLatin1String("identity")).toString())
                         .value_or(IdentityKey::Email);
        m.owner = o.value(QLatin1String("owner")).toString();
        m.decision = o.value(QLatin1String("decision")).toString();
        m.mode = parseSyncMode(o.value(QLatin1String("mode")).toString()).value_or(SyncMode::List);
        QVERIFY(repo.add(m).ok());
    }
    // Where the demo's alerts would go: one channel for one mapping, one for every mapping's
    // health monitor.
    ChannelRepository channels(ws);
    NotificationChannel slack;
    slack.kind = ChannelKind::Slack;
    slack.key = QStringLiteral("demo-oncall");
    slack.name = QStringLiteral("On-call");
    slack.mappingIds = {1};
    slack.target = QStringLiteral("https://hooks.slack.com/…");
    QVERIFY(channels.add(slack).ok());
    NotificationChannel mail;
    mail.kind = ChannelKind::Email;
    mail.severities = {AlertSeverity::Critical};
    mail.smtpUrl = QStringLiteral("smtps://alerts@smtp.example.com:465");
    mail.mailFrom = QStringLiteral("lockstep@example.com");
    mail.mailMonitor = true;
    QVERIFY(channels.add(mail).ok()); // its key: email-2
}

// 200 mappings with every field varied, pairs, latency expectations, custom settings and
// connection regions: whatever the format holds, once.
void seedGenerated(Workspace& ws)
{
    QVERIFY(SettingsRepository(ws)
                .setConnection(*ConnectionSettings::forRegions(QStringLiteral("eu"),
                                                               QStringLiteral("in"), 987654))
                .ok());
    Settings settings(ws);
    QVERIFY(
        settings.set(keys::NamingConvention, QStringLiteral("ACME | {intent} | {window}")).ok());
    QVERIFY(settings.set(keys::MatchRateFloor, 0.875).ok());
    QVERIFY(settings.set(keys::DefaultScheduleMinutes, 45).ok());
    MappingRepository repo(ws);
    TrustStore trust(ws);
    QList<qint64> ids;
    const QStringList owners = {QStringLiteral("Maya (retention)"),
                                QStringLiteral("Jon \"growth\""), QStringLiteral("Zoë · CRM"),
                                QString()};
    for (int i = 0; i < 200; ++i) {
        Mapping m;
        m.segmentId = 1000 + i;
        m.cohortName = QStringLiteral("ACME | Intent %1 | %2d").arg(i).arg(i % 90 + 1);
        if (i % 7 == 0)
            m.key = QStringLiteral("team.key_%1").arg(i);
        m.identity = IdentityKey(i % 3);
        m.mode = i % 5 == 0 ? SyncMode::Flag : SyncMode::List;
        if (i % 11 == 0)
            m.listProperty = QStringLiteral("acme_cohorts");
        m.sendEvents = i % 4 == 0;
        m.owner = owners[i % owners.size()];
        m.decision = i % 13 == 0 ? QStringLiteral("line one\nline two: \\ \"quoted\"")
                                 : QStringLiteral("Decision %1").arg(i);
        m.scheduleMinutes = 15 * (i % 8 + 1);
        m.paused = i % 9 == 0;
        m.version = i % 6 + 1;
        m.healthMonitor = owners[(i + 1) % owners.size()];
        if (i % 4 == 1)
            m.setReportUrl(
                QStringLiteral("https://mixpanel.com/project/1/view/2/app/boards#id=%1").arg(i));
        if (i % 8 == 1) // set for an earlier name: the file says so
            m.reportCohort = QStringLiteral("ACME | Intent %1 | old").arg(i);
        // The mass-exit share: the workspace's, off, whole and fractional own shares.
        if (i % 10 == 1)
            m.massExitPercent = (i % 20 == 1) ? 0 : 12.5 + i % 50;
        auto id = repo.add(m);
        QVERIFY2(id.ok(), qPrintable(id.error().message));
        ids.append(*id);
        if (i % 3 == 0)
            QVERIFY(trust.setLatencyExpectationMinutes(*id, 30 + i).ok());
        if (i % 10 == 2) {
            m.id = *id;
            QVERIFY(ChecklistEvaluator(ws, readWorkspaceSettings(ws)->checklistRules())
                        .reviewStability(m, owners[i % 3], 1000)
                        .ok());
        }
    }
    WatchedPairRepository pairs(ws);
    for (int i = 0; i + 10 < 200; i += 17)
        QVERIFY(pairs.add({ids[i], ids[i + 10], QStringLiteral("pair %1").arg(i), 1}).ok());
    // Channels of every kind, every subscription: all mappings, some, one whose only
    // mapping is gone (it receives nothing), headers, several recipients, a removed one.
    ChannelRepository channels(ws);
    for (int i = 0; i < 12; ++i) {
        NotificationChannel c;
        c.kind = ChannelKind(i % 4);
        if (i % 3 != 0)
            c.key = QStringLiteral("team.channel_%1").arg(i);
        c.name = i % 2 ? QStringLiteral("Channel \"%1\" · ops").arg(i) : QString();
        c.severities = i % 5 == 0
                           ? QList<AlertSeverity>{AlertSeverity::Info}
                           : QList<AlertSeverity>{AlertSeverity::Warning, AlertSeverity::Critical};
        if (i % 4 == 1)
            c.mappingIds = {ids[i], ids[i + 20], ids[i + 40]};
        if (i == 6)
            c.mappingIds = {999999};
        if (c.kind == ChannelKind::Webhook)
            c.headerNames =
                i % 8 == 2 ? QStringList{QStringLiteral("X-Team"), QStringLiteral("Authorization")}
                           : QStringList{};
        if (c.kind == ChannelKind::Email) {
            c.smtpUrl = i % 8 == 3 ? QStringLiteral("smtp://smtp.example.com:587")
                                   : QStringLiteral("smtps://alerts@smtp.example.com");
            c.mailFrom = QStringLiteral("lockstep@example.com");
            c.mailTo = {QStringLiteral("oncall@example.com"),
                        QStringLiteral("b%1@example.com").arg(i)};
            c.mailMonitor = i % 8 == 7;
        }
        auto id = channels.add(c);
        QVERIFY2(id.ok(), qPrintable(id.error().message));
        if (i == 11)
            QVERIFY(channels.remove(*id).ok());
    }
}

} // namespace

class TestMappingsAsCode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void planAndApplyEachChange();
    void identityChangeIsANewVersion();
    void deletionNeedsYes();
    void deletionAtATerminalAsks_data();
    void deletionAtATerminalAsks();
    void invalidFileChangesNothing_data();
    void invalidFileChangesNothing();
    void killedApplyChangesNothing();
    void staleEditIsRefused();
    void applyRacesSyncAndConsoleEdit();
    void consoleActionsAsCommands();
    void existingMappingsGetKeys();
    void notificationChannelsAsCode();
    void existingChannelsGetKeys();
    void checklistFieldsInTheFile();
    void ownHealthThresholdsRoundTrip();

private:
    QString freshWorkspace() { return TestDatabase::freshWorkspace(m_dir.path()); }
    CliRun cli(const QString& ws, const QStringList& args,
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        return test::runCli(ws, args, env);
    }
    QByteArray exportOf(const QString& ws)
    {
        const CliRun r = cli(ws, {QStringLiteral("export")});
        if (r.exitCode != 0)
            qWarning().noquote() << show(r);
        return r.out;
    }
    QString file(const QString& name) { return m_dir.filePath(name); }
    // A workspace with three mappings (keys a, b, c), a pair a/b, a Slack channel `oncall`
    // for a, exported to `path`.
    QString threeMappings(const QString& path);

    QTemporaryDir m_dir;
};

void TestMappingsAsCode::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (TestDatabase::usingPostgres())
        QVERIFY2(TestDatabase::postgresAvailable(), "the pg fixture's server is not running");
}

void TestMappingsAsCode::roundTrip_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("demo workspace") << 0;
    QTest::newRow("200 generated mappings") << 1;
}

void TestMappingsAsCode::roundTrip()
{
    QFETCH(int, kind);
    const QString first = freshWorkspace();
    {
        auto ws = Workspace::open(first);
        QVERIFY2(ws.ok(), qPrintable(ws.error().message));
        if (kind == 0)
            seedDemo(**ws);
        else
            seedGenerated(**ws);
        if (QTest::currentTestFailed())
            return;
    }
    const QString path = file(QStringLiteral("roundtrip-%1.yaml").arg(kind));
    CliRun r = cli(first, {QStringLiteral("export"), QStringLiteral("--output"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    const QByteArray exported = readAll(path);
    QVERIFY(exported.contains("lockstep: 1\n"));
    // Mappings and channels (the removed one is not exported).
    QCOMPARE(exported.count("  - key: "), kind == 0 ? 5 + 2 : 200 + 11);
    QCOMPARE(exported.count("    kind: "), kind == 0 ? 2 : 11);
    if (kind == 0) {
        QVERIFY2(exported.contains("\nnotifications:\n  - key: \"demo-oncall\"\n    kind: slack\n"
                                   "    name: \"On-call\"\n    severities: [critical, warning]\n"
                                   "    mappings: [\""),
                 exported.constData());
        QVERIFY(exported.contains("  - key: \"email-2\"\n    kind: email\n"));
    } else {
        QVERIFY(exported.contains("    mappings: []\n")); // its only mapping is gone
        QVERIFY(exported.contains("    headers: [\"X-Team\", \"Authorization\"]\n"));
        QVERIFY(exported.contains("  - key: \"slack-1\"\n"));
    }
    // Stable: the same state, the same bytes (stdout and --output alike).
    QCOMPARE(exportOf(first), exported);
    // The workspace it came from has nothing to do.
    r = cli(first, {QStringLiteral("plan"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));

    const QString second = freshWorkspace();
    r = cli(second, {QStringLiteral("plan"), path});
    QCOMPARE(r.exitCode, 1);
    r = cli(second, {QStringLiteral("apply"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QVERIFY(r.out.contains("Applied."));
    QCOMPARE(exportOf(second), exported);
    r = cli(second, {QStringLiteral("plan"), path, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("pending")).toBool(true),
             false);
    // Applying again is a no-op.
    r = cli(second, {QStringLiteral("apply"), path});
    QVERIFY2(r.exitCode == 0 && r.out.contains("No changes"), qPrintable(show(r)));
    // The same file as JSON plans the same (nothing to do).
    if (kind == 1) {
        auto ws = Workspace::open(second);
        QVERIFY(ws.ok());
        auto state = readWorkspaceState(**ws);
        QVERIFY(state.ok());
        QCOMPARE(state->mappings.size(), 200);
        QCOMPARE(state->pairs.size(), 12);
        QCOMPARE(state->channels.size(), 11);
        // Subscriptions by key: the same mappings, under this workspace's ids.
        int subscribed = 0;
        for (const NotificationChannel& c : state->channels)
            for (qint64 id : c.mappingIds)
                subscribed += state->byId(id) ? 1 : 0;
        QCOMPARE(subscribed, 9);
        QCOMPARE(state->latencyExpectation.size(), 67);
        QCOMPARE(state->stabilityReviewer.size(), 20);
        int stale = 0, reports = 0;
        for (const Mapping& m : state->mappings) {
            reports += m.reportUrl.isEmpty() ? 0 : 1;
            stale += m.reportPlanCurrent() || m.reportUrl.isEmpty() ? 0 : 1;
        }
        QCOMPARE(reports, 50);
        QCOMPARE(stale, 25);
        int ownShares = 0;
        for (const Mapping& m : state->mappings)
            ownShares += m.usesWorkspaceMassExit() ? 0 : 1;
        QCOMPARE(ownShares, 20);
        QVERIFY(exported.contains("    mass_exit_percent: 0\n"));
        QVERIFY(exported.contains("    mass_exit_percent: 23.5\n"));
        QVERIFY(exported.contains("    mass_exit_percent: default\n"));
    }
}

QString TestMappingsAsCode::threeMappings(const QString& path)
{
    const QString location = freshWorkspace();
    auto ws = Workspace::open(location);
    if (!ws)
        return {};
    MappingRepository repo(**ws);
    QList<qint64> ids;
    for (const char* key : {"a", "b", "c"}) {
        Mapping m;
        m.key = QString::fromLatin1(key);
        m.segmentId = 10 + int(ids.size());
        m.cohortName = QStringLiteral("CIO | %1 | 30d").arg(QString::fromLatin1(key).toUpper());
        ids.append(*repo.add(m));
    }
    (void)WatchedPairRepository(**ws).add({ids[0], ids[1], QStringLiteral("ab"), 1});
    NotificationChannel oncall;
    oncall.key = QStringLiteral("oncall");
    oncall.mappingIds = {ids[0]};
    (void)ChannelRepository(**ws).add(oncall);
    const CliRun r = cli(location, {QStringLiteral("export"), QStringLiteral("--output"), path});
    return r.exitCode == 0 ? location : QString();
}

void TestMappingsAsCode::planAndApplyEachChange()
{
    const QString path = file(QStringLiteral("each.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    QVERIFY(f.mappings && f.mappings->size() == 3);
    // b: owner and latency (update); c: paused (pause); d: new (create); pair b/c instead
    // of a/b; a setting; the connection (by region).
    (*f.mappings)[1].owner = QStringLiteral("Ana");
    (*f.mappings)[1].latencyExpectationMinutes = 120;
    (*f.mappings)[1].massExitPercent = 50;
    (*f.mappings)[2].paused = true;
    MappingSpec d = (*f.mappings)[0];
    d.key = QStringLiteral("d");
    d.segmentId = 44;
    d.cohortName = QStringLiteral("CIO | D | 7d");
    f.mappings->append(d);
    f.watchedPairs = QList<WatchedPairSpec>{
        {QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("bc"), {}}};
    for (auto& [key, value] : *f.settings)
        if (key == keys::FullResyncDays.row)
            value = QStringLiteral("3");
    f.connection = ConnectionSpec{QStringLiteral("eu"), {}, QStringLiteral("eu"), {}, {}, 77};
    const QString changed = file(QStringLiteral("each-changed.yaml"));
    QVERIFY(writeAll(changed, writeMappingsFile(f)));

    CliRun r = cli(location, {QStringLiteral("plan"), changed});
    QCOMPARE(r.exitCode, 1);
    const QString text = QString::fromUtf8(r.out);
    for (const char* line :
         {"  ~ connection customerio_region: (none) -> eu\n",
          "  ~ setting full_resync_days: 7 -> 3\n", "  ~ update b (mapping 2)\n",
          "      owner: \"\" -> \"Ana\"\n", "      latency_expectation_minutes: 0 -> 120\n",
          "      mass_exit_percent: default -> 50\n", "  | pause c (mapping 3)\n", "  + create d\n",
          "      segment: 44\n", "  + watch b / c: \"bc\"\n", "  - unwatch a / b\n",
          "Plan: mappings: 1 to create, 1 to update, 1 to pause; watched pairs: 2 change(s); "
          "settings: 1 change(s); connection: 6 change(s).\n"})
        QVERIFY2(text.contains(QString::fromUtf8(line)),
                 qPrintable(line + QStringLiteral("\n---\n") + text));
    // Nothing was touched by the plan.
    QCOMPARE(exportOf(location), readAll(path));
    r = cli(location, {QStringLiteral("plan"), changed, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 1);
    const QJsonObject plan = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(plan.value(QStringLiteral("valid")).toBool(), true);
    QCOMPARE(
        plan.value(QStringLiteral("summary")).toObject().value(QStringLiteral("pause")).toInt(), 1);

    r = cli(location, {QStringLiteral("apply"), changed});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(exportOf(location), readAll(changed));
    QCOMPARE(cli(location, {QStringLiteral("plan"), changed}).exitCode, 0);
    auto ws = Workspace::open(location);
    QVERIFY(ws.ok());
    auto state = readWorkspaceState(**ws);
    QVERIFY(state.ok());
    QCOMPARE(state->byKey(QStringLiteral("b"))->owner, QStringLiteral("Ana"));
    QCOMPARE(state->latencyOf(state->byKey(QStringLiteral("b"))->id), 120);
    QCOMPARE(state->byKey(QStringLiteral("b"))->massExitPercent, 50.0);
    QVERIFY(state->byKey(QStringLiteral("a"))->usesWorkspaceMassExit());
    QVERIFY(state->byKey(QStringLiteral("c"))->paused);
    QCOMPARE(state->byKey(QStringLiteral("d"))->segmentId, 44);
    QCOMPARE(state->pairs.size(), 1);
    QCOMPARE(state->connection->customerIoUrl, QStringLiteral("https://api-eu.customer.io"));
    QCOMPARE(Settings(**ws).get(keys::FullResyncDays).value(), 3.0);

    // Resume: the file back to unpaused.
    (*f.mappings)[2].paused = false;
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    r = cli(location, {QStringLiteral("plan"), changed});
    QVERIFY2(r.exitCode == 1 && r.out.contains("  > resume c (mapping 3)\n"), qPrintable(show(r)));
    QCOMPARE(cli(location, {QStringLiteral("apply"), changed}).exitCode, 0);
    QVERIFY(!MappingRepository(**ws).get(3)->paused);
}

void TestMappingsAsCode::identityChangeIsANewVersion()
{
    const QString path = file(QStringLiteral("version.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    {
        auto ws = Workspace::open(location);
        QVERIFY(TrustStore(**ws).setLatencyExpectationMinutes(1, 60).ok());
    }
    QVERIFY(cli(location, {QStringLiteral("export"), QStringLiteral("--output"), path}).exitCode ==
            0);
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    (*f.mappings)[0].identity = IdentityKey::CioId; // mapping a
    (*f.mappings)[0].cohortName = QStringLiteral("CIO | A | 30d | v2");
    const QString changed = file(QStringLiteral("version-changed.yaml"));
    QVERIFY(writeAll(changed, writeMappingsFile(f)));

    CliRun r = cli(location, {QStringLiteral("plan"), changed});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("  ! new version a (mapping 1): v1 -> v2 (identity changed; v1 is "
                            "retired, its history kept)\n"),
             qPrintable(show(r)));
    QVERIFY(r.out.contains("      identity: email -> cio_id\n"));
    r = cli(location, {QStringLiteral("plan"), changed, QStringLiteral("--json")});
    const QJsonObject c =
        QJsonDocument::fromJson(r.out).object()[QStringLiteral("mappings")].toArray()[0].toObject();
    QCOMPARE(c.value(QStringLiteral("action")).toString(), QStringLiteral("new_version"));
    QCOMPARE(c.value(QStringLiteral("to_version")).toInt(), 2);

    r = cli(location, {QStringLiteral("apply"), changed});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    auto ws = Workspace::open(location);
    QVERIFY(ws.ok());
    MappingRepository repo(**ws);
    // The old version is retired (its runs and history stay with its id), the key moved on.
    QCOMPARE(repo.get(1).error().category, SyncError::Category::NotFound);
    auto state = readWorkspaceState(**ws);
    const Mapping* a = state->byKey(QStringLiteral("a"));
    QVERIFY(a);
    QVERIFY(a->id > 3);
    QCOMPARE(a->version, 2);
    QCOMPARE(a->identity, IdentityKey::CioId);
    QCOMPARE(state->latencyOf(a->id), 60);
    // The pair a/b watches the new version, and the channel for a follows it.
    QCOMPARE(state->pairs.size(), 1);
    QCOMPARE(state->pairs.first().normalized().mappingB, a->id);
    QCOMPARE(state->channels.size(), 1);
    QCOMPARE(state->channels.first().mappingIds, QList<qint64>{a->id});
    // The file now says v1 but the workspace is at v2: versions never go down, no change.
    QCOMPARE(cli(location, {QStringLiteral("plan"), changed}).exitCode, 0);
    r = cli(location, {QStringLiteral("export")});
    QVERIFY(r.out.contains("    version: 2\n"));
}

void TestMappingsAsCode::deletionNeedsYes()
{
    const QString path = file(QStringLiteral("delete.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    f.mappings->removeAt(2); // c
    (*f.mappings)[0].owner = QStringLiteral("also an edit");
    const QString changed = file(QStringLiteral("delete-changed.yaml"));
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    const QByteArray before = exportOf(location);

    // The test's stdin is not a terminal: refused, nothing changed (not even the edit).
    CliRun r = cli(location, {QStringLiteral("apply"), changed});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("the file deletes 1 mapping; nothing was changed: pass --yes"),
             qPrintable(show(r)));
    QVERIFY(r.out.contains("  - delete c (mapping 3)\n"));
    QCOMPARE(exportOf(location), before);

    r = cli(location, {QStringLiteral("apply"), changed, QStringLiteral("--yes")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(exportOf(location), readAll(changed));
    auto ws = Workspace::open(location);
    QCOMPARE(MappingRepository(**ws).get(3).error().category, SyncError::Category::NotFound);

    // `mappings: []` deletes them all, with --yes.
    QVERIFY(writeAll(changed, "lockstep: 1\nmappings: []\n"));
    r = cli(location, {QStringLiteral("apply"), changed});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("deletes 2 mappings"));
    QCOMPARE(cli(location, {QStringLiteral("apply"), changed, QStringLiteral("--yes")}).exitCode,
             0);
    QCOMPARE(MappingRepository(**ws).list()->size(), 0);
}

void TestMappingsAsCode::deletionAtATerminalAsks_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<bool>("editMeanwhile");
    QTest::addColumn<bool>("applied");
    QTest::newRow("yes") << QByteArray("yes\n") << false << true;
    QTest::newRow("no") << QByteArray("no\n") << false << false;
    QTest::newRow("nothing") << QByteArray() << false << false;
    // The plan a person said yes to is the one applied, or nothing is.
    QTest::newRow("yes, but the workspace changed") << QByteArray("yes\n") << true << false;
}

void TestMappingsAsCode::deletionAtATerminalAsks()
{
    QFETCH(QByteArray, answer);
    QFETCH(bool, editMeanwhile);
    QFETCH(bool, applied);
    const QString path = file(QStringLiteral("ask.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    f.mappings->removeAt(2);
    QVERIFY(writeAll(path, writeMappingsFile(f)));
    const QByteArray before = exportOf(location);
    // script(1) (util-linux, in every Debian) runs it on a terminal of its own.
    QProcess p;
    p.start(QStringLiteral("script"), {QStringLiteral("-qec"),
                                       QStringLiteral("'%1' --workspace '%2' apply '%3'")
                                           .arg(QStringLiteral(LOCKSTEP_BIN), location, path),
                                       QStringLiteral("/dev/null")});
    QVERIFY(p.waitForStarted());
    QTest::qWait(1000); // the question comes before the answer is read
    QByteArray before2 = before;
    if (editMeanwhile) {
        QCOMPARE(
            cli(location, {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("a"),
                           QStringLiteral("--owner"), QStringLiteral("meanwhile")})
                .exitCode,
            0);
        before2 = exportOf(location);
    }
    p.write(answer);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    const QByteArray shown = p.readAllStandardOutput();
    QVERIFY2(shown.contains("This deletes 1 mapping. Type yes to apply:"), shown.constData());
    QCOMPARE(p.exitCode(), applied ? 0 : 2);
    if (editMeanwhile)
        QVERIFY2(shown.contains("the workspace changed after the plan was shown"),
                 shown.constData());
    if (applied)
        QCOMPARE(exportOf(location), readAll(path));
    else
        QCOMPARE(exportOf(location), before2);
}

void TestMappingsAsCode::invalidFileChangesNothing_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("malformed YAML")
        << QByteArray("lockstep: 1\nmappings: [\n") << ":3:1: not valid YAML";
    QTest::newRow("unknown key")
        << QByteArray("lockstep: 1\nmapings: []\n")
        << ":2:1: the file: unknown key `mapings`; did you mean `mappings`?";
    QTest::newRow("duplicate key") << QByteArray("lockstep: 1\nmappings: []\nmappings: []\n")
                                   << ":3:1: the key `mappings` appears twice";
    QTest::newRow("missing segment")
        << QByteArray(
               "lockstep: 1\nmappings:\n  - key: a\n    cohort: \"A\"\n    identity: email\n")
        << ":3:5: mapping a: `segment` is missing";
    QTest::newRow("invalid cohort name")
        << QByteArray("lockstep: 1\nmappings:\n  - key: a\n    segment: 1\n    cohort: \"\"\n"
                      "    identity: email\n")
        << ":3:5: mapping a: the cohort name is empty";
    QTest::newRow("a secret") << QByteArray("lockstep: 1\nmappings:\n  - key: a\n    segment: 1\n"
                                            "    cohort: \"A\"\n    identity: email\n"
                                            "    owner: \"sandbox-secret-value\"\n")
                              << ":7:12: mapping a: owner looks like a secret (it holds one of the "
                                 "credentials this process was given)";
    QByteArray bomb = "lockstep: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 9; ++i) {
        bomb += QStringLiteral("a%1: &a%1 [").arg(i).toLatin1();
        for (int k = 0; k < 10; ++k)
            bomb += (k ? ", *a" : "*a") + QByteArray::number(i - 1);
        bomb += "]\n";
    }
    QTest::newRow("YAML bomb") << bomb << ":7:10: the file expands to more than 200000 values";
    QTest::newRow("100 MB") << QByteArray() << ":1:1: the file is 104857600 bytes";
    const QByteArray withHealth = "lockstep: 1\nmappings:\n  - key: a\n    segment: 1\n"
                                  "    cohort: \"A\"\n    identity: email\n    health:\n";
    QTest::newRow("unknown threshold")
        << withHealth + "      churn_rate: 3\n"
        << ":8:7: mapping a: health: unknown threshold `churn_rate`; did you mean `churn_ratio`?";
    QTest::newRow("threshold out of range") << withHealth + "      churn_ratio: -1\n"
                                            << ":8:20: mapping a: health.churn_ratio: ";
    // Channels: the workspace's `oncall` stays as it is whatever the file says.
    const QByteArray channel = "lockstep: 1\nnotifications:\n  - key: oncall\n    kind: slack\n";
    QTest::newRow("a channel's URL")
        << channel + "    url: \"https://hooks.slack.com/services/T0/B0/xoxb-1\"\n"
        << ":5:5: notification oncall: `url` is a secret, and a mappings file never holds one: "
           "give it to each process that delivers alerts as LOCKSTEP_NOTIFY_ONCALL_URL";
    QTest::newRow("an SMTP password")
        << QByteArray("lockstep: 1\nnotifications:\n  - key: mail\n    kind: email\n"
                      "    smtp: \"smtps://alerts:pa55word@smtp.example.com\"\n")
        << ":5:11: notification mail: smtp holds a password";
    QTest::newRow("a channel's unknown key")
        << channel + "    severity: [critical]\n"
        << ":5:5: notification oncall: unknown key `severity`; did you mean `severities`?";
    QTest::newRow("a channel for a missing mapping")
        << channel + "    mappings: [a, nope]\n"
        << ":3:5: notification oncall: no mapping has the key nope";
}

void TestMappingsAsCode::invalidFileChangesNothing()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const QString path = file(QStringLiteral("base.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    const QString bad = file(QStringLiteral("bad.yaml"));
    if (text.isEmpty()) {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QVERIFY(f.resize(100 * 1024 * 1024));
    } else {
        QVERIFY(writeAll(bad, text));
    }
    const QByteArray before = exportOf(location);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"),
               QStringLiteral("sa:sandbox-secret-value"));
    for (const QStringList& args :
         {QStringList{QStringLiteral("plan"), bad},
          QStringList{QStringLiteral("plan"), bad, QStringLiteral("--json")},
          QStringList{QStringLiteral("apply"), bad, QStringLiteral("--yes")}}) {
        const CliRun r = cli(location, args, env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(bad + error), qPrintable(show(r)));
        QVERIFY(r.err.contains("nothing was changed"));
        for (const char* secret : {"sandbox-secret-value", "xoxb-1", "pa55word"})
            QVERIFY(!r.out.contains(secret) && !r.err.contains(secret));
        if (args.contains(QStringLiteral("--json"))) {
            const QJsonObject o = QJsonDocument::fromJson(r.out).object();
            QCOMPARE(o.value(QStringLiteral("valid")).toBool(true), false);
            QVERIFY(o.value(QStringLiteral("errors")).toArray().size() >= 1);
        }
    }
    QCOMPARE(exportOf(location), before);
}

void TestMappingsAsCode::killedApplyChangesNothing()
{
    const QString path = file(QStringLiteral("kill.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    for (MappingSpec& m : *f.mappings)
        m.owner = QStringLiteral("changed");
    MappingSpec n = f.mappings->first();
    n.key = QStringLiteral("n");
    n.segmentId = 99;
    f.mappings->append(n);
    f.watchedPairs->clear();
    const QString changed = file(QStringLiteral("kill-changed.yaml"));
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    const QByteArray before = exportOf(location);

    // Killed inside its transaction, after the mappings were written and before the pairs.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_TEST"), QStringLiteral("1"));
    env.insert(QStringLiteral("LOCKSTEP_TEST_APPLY_PAUSE_MS"), QStringLiteral("60000"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            {QStringLiteral("--workspace"), location, QStringLiteral("apply"), changed});
    QVERIFY(p.waitForStarted());
    QByteArray err;
    QElapsedTimer t;
    t.start();
    while (!err.contains("pausing inside the apply transaction") && t.elapsed() < 60000) {
        p.waitForReadyRead(200);
        err += p.readAllStandardError();
    }
    QVERIFY2(err.contains("pausing inside the apply transaction"), err.constData());
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished());
    QCOMPARE(exportOf(location), before);
    const CliRun r = cli(location, {QStringLiteral("plan"), changed});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(
        r.out.contains("Plan: mappings: 1 to create, 3 to update; watched pairs: 1 change(s)."));
    QCOMPARE(cli(location, {QStringLiteral("apply"), changed}).exitCode, 0);
    QCOMPARE(exportOf(location), readAll(changed));
}

void TestMappingsAsCode::staleEditIsRefused()
{
    const QString path = file(QStringLiteral("stale.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    auto ws = Workspace::open(location);
    QVERIFY(ws.ok());
    MappingRepository repo(**ws);
    Mapping stale = *repo.get(2); // a console's editor opened on b
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    (*f.mappings)[1].owner = QStringLiteral("from the file");
    QVERIFY(writeAll(path, writeMappingsFile(f)));
    QCOMPARE(cli(location, {QStringLiteral("apply"), path}).exitCode, 0);
    stale.decision = QStringLiteral("from the console");
    const Status st = repo.update(stale);
    QVERIFY(!st.ok());
    QVERIFY2(st.error().message.contains(QStringLiteral("was changed elsewhere")),
             qPrintable(st.error().message));
    QCOMPARE(repo.get(2)->owner, QStringLiteral("from the file"));
    // A fresh copy saves.
    Mapping fresh = *repo.get(2);
    fresh.decision = QStringLiteral("from the console");
    QVERIFY(repo.update(fresh).ok());
}

void TestMappingsAsCode::applyRacesSyncAndConsoleEdit()
{
    test::SandboxProcess sandbox(
        QJsonObject{{QStringLiteral("seed"), 3},
                    {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 3000}}},
                    {QStringLiteral("segments"),
                     QJsonArray{QJsonObject{{QStringLiteral("id"), 11},
                                            {QStringLiteral("name"), QStringLiteral("Lapsed")},
                                            {QStringLiteral("size"), 2000}}}}});
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    const QString location = freshWorkspace();
    QList<qint64> ids;
    {
        auto ws = Workspace::open(location);
        QVERIFY(ws.ok());
        QVERIFY(SettingsRepository(**ws).setConnection(test::connectionTo(sandbox)).ok());
        MappingRepository repo(**ws);
        for (const char* key : {"a", "b", "d"}) {
            Mapping m;
            m.key = QString::fromLatin1(key);
            m.segmentId = 11;
            m.cohortName = QStringLiteral("CIO | %1 | 30d").arg(QLatin1String(key));
            ids.append(*repo.add(m));
        }
    }
    const QString path = file(QStringLiteral("race.yaml"));
    QCOMPARE(cli(location, {QStringLiteral("export"), QStringLiteral("--output"), path}).exitCode,
             0);
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    (*f.mappings)[0].owner = QStringLiteral("file-a"); // a: being synced
    (*f.mappings)[1].owner = QStringLiteral("file-b"); // b: edited by a console meanwhile
    MappingSpec c = (*f.mappings)[2];
    c.key = QStringLiteral("c");
    c.cohortName = QStringLiteral("CIO | c | 30d");
    f.mappings->replace(2, c); // d deleted, c created
    f.watchedPairs = QList<WatchedPairSpec>{{QStringLiteral("a"), QStringLiteral("b"), {}, {}}};
    QVERIFY(writeAll(path, writeMappingsFile(f)));

    // The console: the same engine seam the window uses, its editors holding copies.
    EngineContext context;
    SyncController console(context, location, Credentials{});
    QSignalSpy opened(&console, &SyncController::opened);
    console.start();
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 20000);
    Mapping staleA;
    Mapping freshB;
    {
        auto ws = Workspace::open(location);
        staleA = *MappingRepository(**ws).get(ids[0]);
        freshB = *MappingRepository(**ws).get(ids[1]);
    }

    // A sync of a that holds its lock for a few seconds (its snapshot load is held up).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), sandbox.appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), sandbox.projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), sandbox.serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_TEST"), QStringLiteral("1"));
    env.insert(QStringLiteral("LOCKSTEP_TEST_LOAD_DELAY_MS"), QStringLiteral("4000"));
    env.insert(QStringLiteral("LOCKSTEP_VERIFY_SAMPLE"), QStringLiteral("0"));
    QProcess sync;
    sync.setProcessEnvironment(env);
    sync.start(QStringLiteral(LOCKSTEP_BIN),
               {QStringLiteral("--workspace"), location, QStringLiteral("sync"),
                QStringLiteral("--mapping"), QString::number(ids[0])});
    QVERIFY(sync.waitForStarted());
    // Wait until its run is recorded (it holds the lock from before that on).
    {
        auto ws = Workspace::open(location);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto last = RunRepository(**ws).last(ids[0]);
                return last.ok() && last->has_value() && (*last)->status == RunStatus::Running;
            }(),
            30000);
    }
    QProcess apply;
    apply.start(QStringLiteral(LOCKSTEP_BIN),
                {QStringLiteral("--workspace"), location, QStringLiteral("apply"), path,
                 QStringLiteral("--yes")});
    QVERIFY(apply.waitForStarted());
    // The console saves b while the apply waits for a's run.
    // Each save gets its own answer, by request id.
    bool saved = false;
    std::optional<SyncError> failed;
    freshB.decision = QStringLiteral("console edit");
    console.mappings()
        ->update(freshB)
        .then(this, [&](qint64) { saved = true; })
        .onFailed(this, [&](const SyncError& e) { failed = e; });
    QTRY_VERIFY_WITH_TIMEOUT(saved || failed, 20000);
    if (failed)
        QFAIL(qPrintable(failed->message));

    QVERIFY(sync.waitForFinished(120000));
    QElapsedTimer sinceSyncEnded;
    sinceSyncEnded.start();
    QCOMPARE(sync.exitCode(), 0);
    QVERIFY(apply.waitForFinished(120000));
    const QByteArray applyOut = apply.readAllStandardOutput();
    const QByteArray applyErr = apply.readAllStandardError();
    QVERIFY2(apply.exitCode() == 0, QByteArray(applyOut + applyErr).constData());
    QVERIFY2(applyErr.contains(QStringLiteral("mapping %1 (a) is being synced; waiting for its "
                                              "run to end")
                                   .arg(ids[0])
                                   .toUtf8()),
             applyErr.constData());

    auto ws = Workspace::open(location);
    QVERIFY(ws.ok());
    // a changed only after its run ended: the run read the old owner and succeeded.
    auto run = RunRepository(**ws).last(ids[0]);
    QVERIFY(run.ok() && run->has_value());
    QCOMPARE((*run)->status, RunStatus::Succeeded);
    auto a = MappingRepository(**ws).get(ids[0]);
    QCOMPARE(a->owner, QStringLiteral("file-a"));
    QVERIFY2(a->updatedAt * 1000 + 999 >= (*run)->finishedAtMs,
             qPrintable(QStringLiteral("a changed at %1 s, its run ended at %2 ms")
                            .arg(a->updatedAt)
                            .arg((*run)->finishedAtMs)));
    // The console's edit of b came first and the apply, which states all of b, showed
    // that it set it back: not lost silently.
    QVERIFY2(applyOut.contains("  ~ update b (mapping 2)\n      owner: \"\" -> \"file-b\"\n"
                               "      decision: \"console edit\" -> \"\"\n"),
             applyOut.constData());
    // A console copy read before the apply cannot undo it.
    saved = false;
    staleA.decision = QStringLiteral("stale console edit");
    console.mappings()
        ->update(staleA)
        .then(this, [&](qint64) { saved = true; })
        .onFailed(this, [&](const SyncError& e) { failed = e; });
    QTRY_VERIFY_WITH_TIMEOUT(saved || failed, 20000);
    QVERIFY2(failed, "a stale copy was saved over the apply");
    QVERIFY2(failed->message.contains(QStringLiteral("was changed elsewhere")),
             qPrintable(failed->message));
    // The whole file, nothing half.
    const CliRun plan = cli(location, {QStringLiteral("plan"), path});
    QVERIFY2(plan.exitCode == 0, qPrintable(show(plan)));
    QCOMPARE(exportOf(location), readAll(path));
}

void TestMappingsAsCode::consoleActionsAsCommands()
{
    const QString path = file(QStringLiteral("actions.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    auto ws = Workspace::open(location);
    QVERIFY(ws.ok());
    MappingRepository repo(**ws);

    CliRun r = cli(location,
                   {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("b"),
                    QStringLiteral("--owner"), QStringLiteral("Ana"), QStringLiteral("--schedule"),
                    QStringLiteral("15"), QStringLiteral("--events"), QStringLiteral("true"),
                    QStringLiteral("--latency-expectation"), QStringLiteral("90"),
                    QStringLiteral("--key"), QStringLiteral("bee"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    const QJsonObject b = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(b.value(QStringLiteral("key")).toString(), QStringLiteral("bee"));
    QCOMPARE(b.value(QStringLiteral("owner")).toString(), QStringLiteral("Ana"));
    QCOMPARE(repo.get(2)->scheduleMinutes, 15);
    QVERIFY(repo.get(2)->sendEvents);
    QCOMPARE(TrustStore(**ws).latencyExpectationMinutes(2).value(), 90);
    // Invalid edits exit 2 and write nothing.
    for (const QStringList& args :
         {QStringList{QStringLiteral("--segment"), QStringLiteral("5")},
          QStringList{QStringLiteral("--cohort"), QString(300, QLatin1Char('x'))},
          QStringList{QStringLiteral("--key"), QStringLiteral("a")},
          QStringList{QStringLiteral("--events"), QStringLiteral("maybe")}}) {
        r = cli(location,
                QStringList{QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("2")} +
                    args);
        QVERIFY2(r.exitCode == 2, qPrintable(show(r)));
    }
    QCOMPARE(repo.get(2)->key, QStringLiteral("bee"));
    QVERIFY(cli(location, {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("99"),
                           QStringLiteral("--owner"), QStringLiteral("x")})
                .exitCode == 2);

    QCOMPARE(cli(location, {QStringLiteral("mapping"), QStringLiteral("pause"), QStringLiteral("1"),
                            QStringLiteral("c")})
                 .exitCode,
             0);
    QVERIFY(repo.get(1)->paused && repo.get(3)->paused);
    QCOMPARE(
        cli(location, {QStringLiteral("mapping"), QStringLiteral("resume"), QStringLiteral("c")})
            .exitCode,
        0);
    QVERIFY(repo.get(1)->paused && !repo.get(3)->paused);

    // A new version, as the console's "Duplicate as new version": the original is kept.
    r = cli(location, {QStringLiteral("mapping"), QStringLiteral("version"), QStringLiteral("a"),
                       QStringLiteral("--identity"), QStringLiteral("id")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    const qint64 v2 = r.out.trimmed().toLongLong();
    QVERIFY(v2 > 3);
    QCOMPARE(repo.get(v2)->version, 2);
    QCOMPARE(repo.get(v2)->identity, IdentityKey::Id);
    QCOMPARE(repo.get(v2)->cohortName, QStringLiteral("CIO | A | 30d | v2"));
    QCOMPARE(repo.get(v2)->key, QStringLiteral("cio-a-30d-v2"));
    QVERIFY(repo.get(1).ok());

    QCOMPARE(cli(location, {QStringLiteral("pair"), QStringLiteral("watch"), QStringLiteral("bee"),
                            QStringLiteral("c"), QStringLiteral("--label"), QStringLiteral("x")})
                 .exitCode,
             0);
    QCOMPARE(WatchedPairRepository(**ws).list()->size(), 2);
    QCOMPARE(cli(location, {QStringLiteral("pair"), QStringLiteral("unwatch"), QStringLiteral("1"),
                            QStringLiteral("2")})
                 .exitCode,
             0);
    QCOMPARE(WatchedPairRepository(**ws).list()->size(), 1);
    QCOMPARE(cli(location, {QStringLiteral("pair"), QStringLiteral("unwatch"), QStringLiteral("1"),
                            QStringLiteral("2")})
                 .exitCode,
             2);

    QCOMPARE(
        cli(location, {QStringLiteral("mapping"), QStringLiteral("delete"), QStringLiteral("c")})
            .exitCode,
        0);
    QCOMPARE(repo.get(3).error().category, SyncError::Category::NotFound);

    // alert ack: an open alert, acknowledged by name; `status` stops exiting 1.
    HealthFinding finding;
    finding.mappingId = 1;
    finding.rule = QStringLiteral("stale_sync");
    finding.severity = AlertSeverity::Warning;
    finding.message = QStringLiteral("no sync");
    auto alertId = AlertStore(**ws, *Clock::system()).raise(finding);
    QVERIFY(alertId.ok());
    r = cli(location, {QStringLiteral("alert"), QStringLiteral("ack"), QString::number(*alertId),
                       QStringLiteral("--by"), QStringLiteral("maya")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    auto alert = AlertStore(**ws, *Clock::system()).get(*alertId);
    QVERIFY(alert->isAcknowledged());
    QCOMPARE(alert->acknowledgedBy, QStringLiteral("maya"));
    QCOMPARE(cli(location, {QStringLiteral("alert"), QStringLiteral("ack"), QStringLiteral("999")})
                 .exitCode,
             2);
}

// A workspace from before keys (schema 8) keeps its mappings; each gets `mapping-<id>`, and
// the file can rename them.
void TestMappingsAsCode::existingMappingsGetKeys()
{
    const QString location = freshWorkspace();
    {
        auto ws = Workspace::open(location);
        QVERIFY(ws.ok());
        MappingRepository repo(**ws);
        for (int i = 0; i < 3; ++i) {
            Mapping m;
            m.segmentId = 20 + i;
            m.cohortName = QStringLiteral("CIO | Same | 30d"); // one name, three keys
            QVERIFY(repo.add(m).ok());
        }
        QCOMPARE(repo.get(2)->key, QStringLiteral("cio-same-30d-2"));
        QVERIFY(repo.remove(3).ok());
        for (const char* sql :
             {"DROP INDEX mappings_by_key", "ALTER TABLE mappings DROP COLUMN mapping_key",
              "ALTER TABLE mappings DROP COLUMN revision",
              "ALTER TABLE mappings DROP COLUMN health_monitor",
              "ALTER TABLE mappings DROP COLUMN report_url",
              "ALTER TABLE mappings DROP COLUMN report_cohort", "DROP TABLE held_exits",
              "DROP TABLE snapshot_people", "ALTER TABLE mappings DROP COLUMN mass_exit_percent",
              "ALTER TABLE runs DROP COLUMN held_exits", "DROP TABLE notify_outbox",
              "DROP TABLE notify_channels", "DELETE FROM schema_version WHERE version >= 9"}) {
            QSqlQuery q((*ws)->db()); // unprepared: PostgreSQL cannot prepare DDL
            QVERIFY2(q.exec(QString::fromLatin1(sql)), sql);
        }
    }
    auto ws = Workspace::open(location);
    QVERIFY2(ws.ok(), qPrintable(ws.error().message));
    MappingRepository repo(**ws);
    QCOMPARE(repo.get(1)->key, QStringLiteral("mapping-1"));
    QCOMPARE(repo.get(2)->key, QStringLiteral("mapping-2"));
    QCOMPARE(repo.get(2)->revision, 0);
    // Unique among live mappings only: the deleted one's key is free again.
    Mapping again;
    again.key = QStringLiteral("mapping-3");
    again.segmentId = 1;
    again.cohortName = QStringLiteral("x");
    QVERIFY(repo.add(again).ok());
    again.key = QStringLiteral("mapping-1");
    const auto taken = repo.add(again);
    QVERIFY(!taken.ok());
    QVERIFY(taken.error().message.contains(QStringLiteral("already mapping 1's")));
    const QString path = file(QStringLiteral("keys.yaml"));
    QVERIFY(writeAll(path, exportOf(location)));
    QVERIFY(readAll(path).contains("  - key: \"mapping-1\"\n"));
    MappingsFile f = parseMappingsFile(readAll(path)).file;
    (*f.mappings)[0].key = QStringLiteral("winback");
    QVERIFY(writeAll(path, writeMappingsFile(f)));
    // A renamed key is another mapping to the file: create one, delete the other.
    const CliRun r = cli(location, {QStringLiteral("plan"), path});
    QVERIFY2(r.exitCode == 1 && r.out.contains("  + create winback\n") &&
                 r.out.contains("  - delete mapping-1 (mapping 1)\n"),
             qPrintable(show(r)));
}

// Channels in the file through the command line: created, updated (severities), deleted only
// with --yes; a file without `notifications:` leaves them alone.
void TestMappingsAsCode::notificationChannelsAsCode()
{
    const QString path = file(QStringLiteral("channels.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    const QByteArray exported = readAll(path);
    QVERIFY2(exported.contains("\nnotifications:\n  - key: \"oncall\"\n    kind: slack\n"
                               "    name: \"\"\n    severities: [critical, warning]\n"
                               "    mappings: [\"a\"]\n"),
             exported.constData());

    // Create: a webhook for b and c, an e-mail channel for every mapping's health monitor.
    MappingsFile f = parseMappingsFile(exported).file;
    ChannelSpec hook;
    hook.key = QStringLiteral("ops-hook");
    hook.kind = ChannelKind::Webhook;
    hook.name = QStringLiteral("Ops");
    hook.mappings = QStringList{QStringLiteral("b"), QStringLiteral("c")};
    hook.headerNames = {QStringLiteral("X-Team")};
    ChannelSpec mail;
    mail.key = QStringLiteral("monitors");
    mail.kind = ChannelKind::Email;
    mail.severities = {AlertSeverity::Critical};
    mail.smtpUrl = QStringLiteral("smtps://alerts@smtp.example.com:465");
    mail.mailFrom = QStringLiteral("lockstep@example.com");
    mail.mailTo = {QStringLiteral("oncall@example.com")};
    mail.mailMonitor = true;
    f.notifications->append(hook);
    f.notifications->append(mail);
    const QString changed = file(QStringLiteral("channels-changed.yaml"));
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    CliRun r = cli(location, {QStringLiteral("plan"), changed});
    QCOMPARE(r.exitCode, 1);
    for (const char* line :
         {"  + create notification monitors\n      kind: email\n      name: \"\"\n"
          "      severities: critical\n      mappings: (every mapping)\n"
          "      smtp: \"smtps://alerts@smtp.example.com:465\"\n",
          "  + create notification ops-hook\n      kind: webhook\n      name: \"Ops\"\n"
          "      severities: critical, warning\n      mappings: b, c\n      headers: X-Team\n",
          "Plan: notification channels: 2 to create.\n"})
        QVERIFY2(r.out.contains(line), qPrintable(line + QStringLiteral("\n---\n") + show(r)));
    QCOMPARE(exportOf(location), exported); // a plan changes nothing
    r = cli(location, {QStringLiteral("plan"), changed, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 1);
    QJsonObject plan = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(plan.value(QStringLiteral("valid")).toBool(), true);
    QCOMPARE(plan.value(QStringLiteral("mappings")).toArray().size(), 0);
    QJsonArray channels = plan.value(QStringLiteral("notification_channels")).toArray();
    QCOMPARE(channels.size(), 2);
    QCOMPARE(channels[0].toObject().value(QStringLiteral("action")).toString(),
             QStringLiteral("create"));
    QCOMPARE(channels[0].toObject().value(QStringLiteral("key")).toString(),
             QStringLiteral("monitors"));
    r = cli(location, {QStringLiteral("apply"), changed});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(exportOf(location), readAll(changed));
    QCOMPARE(cli(location, {QStringLiteral("plan"), changed}).exitCode, 0);
    {
        auto ws = Workspace::open(location);
        QVERIFY(ws.ok());
        auto state = readWorkspaceState(**ws);
        QVERIFY(state.ok());
        const NotificationChannel* h = state->channelByKey(QStringLiteral("ops-hook"));
        QVERIFY(h);
        QCOMPARE(h->mappingIds, (QList<qint64>{state->byKey(QStringLiteral("b"))->id,
                                               state->byKey(QStringLiteral("c"))->id}));
        QCOMPARE(h->headerNames, QStringList{QStringLiteral("X-Team")});
        QVERIFY(h->target.isEmpty()); // its URL is a secret the file does not hold
        const NotificationChannel* m = state->channelByKey(QStringLiteral("monitors"));
        QVERIFY(m && m->mailMonitor && m->mappingIds.isEmpty());
        QCOMPARE(m->target, QStringLiteral("smtps://smtp.example.com:465"));
    }
    r = cli(location, {QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QStringList keys;
    for (const QJsonValue& v : QJsonDocument::fromJson(r.out).array())
        keys << v.toObject().value(QStringLiteral("key")).toString();
    // By id: applied in key order.
    QCOMPARE(keys, (QStringList{QStringLiteral("oncall"), QStringLiteral("monitors"),
                                QStringLiteral("ops-hook")}));

    // Update: the webhook's severities.
    (*f.notifications)[1].severities = {AlertSeverity::Critical};
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    r = cli(location, {QStringLiteral("plan"), changed});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.out).contains(QRegularExpression(
                 QStringLiteral("  ~ update notification ops-hook \\(channel \\d+\\)\n      "
                                "severities: critical, warning -> critical\nPlan: notification "
                                "channels: 1 to update.\n"))),
             qPrintable(show(r)));
    r = cli(location, {QStringLiteral("apply"), changed});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(exportOf(location), readAll(changed));

    // A file without `notifications:` leaves the channels as they are.
    MappingsFile without = f;
    without.notifications.reset();
    const QString old = file(QStringLiteral("channels-old.yaml"));
    QVERIFY(writeAll(old, writeMappingsFile(without)));
    QVERIFY(!readAll(old).contains("notifications"));
    r = cli(location, {QStringLiteral("plan"), old});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));

    // Delete: refused without --yes (not a terminal), nothing changed, not even the edit.
    f.notifications->removeAt(0); // oncall
    (*f.notifications)[0].name = QStringLiteral("Ops team");
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    const QByteArray before = exportOf(location);
    r = cli(location, {QStringLiteral("apply"), changed});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("the file deletes 1 notification channel; nothing was changed: pass "
                            "--yes to apply it with the deletions"),
             qPrintable(show(r)));
    QVERIFY(r.out.contains("  - delete notification oncall (channel 1)\n      kind: slack\n"));
    QCOMPARE(exportOf(location), before);
    r = cli(location, {QStringLiteral("apply"), changed, QStringLiteral("--yes")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(exportOf(location), readAll(changed));
    {
        auto ws = Workspace::open(location);
        QCOMPARE(ChannelRepository(**ws).get(1).error().category, SyncError::Category::NotFound);
        QCOMPARE(ChannelRepository(**ws).list()->size(), 2);
    }

    // A mapping and a channel deleted at once: both named.
    f.mappings->removeAt(2); // c
    (*f.notifications)[0].mappings = QStringList{QStringLiteral("b")};
    f.notifications->removeAt(1); // monitors
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    r = cli(location, {QStringLiteral("apply"), changed});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("the file deletes 1 mapping and 1 notification channel; nothing was "
                            "changed"),
             qPrintable(show(r)));
    QCOMPARE(cli(location, {QStringLiteral("apply"), changed, QStringLiteral("--yes")}).exitCode,
             0);
    QCOMPARE(exportOf(location), readAll(changed));

    // `notifications: []`: no channels, with --yes.
    f.notifications->clear();
    QVERIFY(writeAll(changed, writeMappingsFile(f)));
    QVERIFY(readAll(changed).contains("\nnotifications: []\n"));
    QCOMPARE(cli(location, {QStringLiteral("apply"), changed}).exitCode, 2);
    QCOMPARE(cli(location, {QStringLiteral("apply"), changed, QStringLiteral("--yes")}).exitCode,
             0);
    auto ws = Workspace::open(location);
    QCOMPARE(ChannelRepository(**ws).list()->size(), 0);
}

// Channels from before keys (schema 13) get `<kind>-<id>`; keys are unique among live
// channels, also as the variables they become; `notify add --key` and its default.
void TestMappingsAsCode::existingChannelsGetKeys()
{
    const QString location = freshWorkspace();
    {
        auto ws = Workspace::open(location);
        QVERIFY(ws.ok());
        ChannelRepository channels(**ws);
        for (ChannelKind k : {ChannelKind::Slack, ChannelKind::Webhook, ChannelKind::Teams}) {
            NotificationChannel c;
            c.kind = k;
            c.key = QStringLiteral("before-%1").arg(int(k));
            QVERIFY(channels.add(c).ok());
        }
        QVERIFY(channels.remove(3).ok());
        for (const char* sql : {"DROP INDEX notify_channels_by_key",
                                "ALTER TABLE notify_channels DROP COLUMN channel_key",
                                "DELETE FROM schema_version WHERE version >= 14"}) {
            QSqlQuery q((*ws)->db()); // unprepared: PostgreSQL cannot prepare DDL
            QVERIFY2(q.exec(QString::fromLatin1(sql)), sql);
        }
    }
    auto ws = Workspace::open(location);
    QVERIFY2(ws.ok(), qPrintable(ws.error().message));
    ChannelRepository channels(**ws);
    QCOMPARE(channels.get(1)->key, QStringLiteral("slack-1"));
    QCOMPARE(channels.get(2)->key, QStringLiteral("webhook-2"));
    // Unique among live channels: the removed one's key is free again.
    NotificationChannel c;
    c.key = QStringLiteral("teams-3");
    QVERIFY(channels.add(c).ok());
    for (const char* taken : {"slack-1", "SLACK_1", "slack.1"}) {
        c.key = QString::fromLatin1(taken);
        const auto r = channels.add(c);
        QVERIFY2(!r.ok(), taken);
        QVERIFY2(r.error().message.contains(QStringLiteral("channel 1")),
                 qPrintable(r.error().message));
    }
    // An update may not take another's key either; the console's editor renames one.
    NotificationChannel two = *channels.get(2);
    two.key = QStringLiteral("slack-1");
    QVERIFY(!channels.update(two).ok());
    two.key = QStringLiteral("ops-hook");
    QVERIFY(channels.update(two).ok());
    QCOMPARE(channels.get(2)->key, QStringLiteral("ops-hook"));

    // The command line: --key, its default, `notify list` (text and JSON).
    const QStringList add{
        QStringLiteral("notify"), QStringLiteral("add"),
        QStringLiteral("--kind"), QStringLiteral("slack"),
        QStringLiteral("--url"),  QStringLiteral("http://127.0.0.1:9/hooks/slack/T/B/x")};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_NO_KEYCHAIN"), QStringLiteral("1"));
    CliRun r =
        cli(location, add + QStringList{QStringLiteral("--key"), QStringLiteral("oncall")}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    const qint64 oncall = r.out.trimmed().toLongLong();
    QVERIFY2(r.err.contains("LOCKSTEP_NOTIFY_ONCALL_"), qPrintable(show(r)));
    r = cli(location, add, env);
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    const qint64 unnamed = r.out.trimmed().toLongLong();
    for (const char* bad : {"oncall", "ONCALL", "12", "-x", "a b"}) {
        r = cli(location, add + QStringList{QStringLiteral("--key"), QString::fromLatin1(bad)},
                env);
        QVERIFY2(r.exitCode == 2, qPrintable(bad + show(r)));
    }
    r = cli(location, {QStringLiteral("notify"), QStringLiteral("list"), QStringLiteral("--json")});
    QMap<qint64, QString> keys;
    for (const QJsonValue& v : QJsonDocument::fromJson(r.out).array())
        keys.insert(v.toObject().value(QStringLiteral("id")).toInteger(),
                    v.toObject().value(QStringLiteral("key")).toString());
    QCOMPARE(keys.value(oncall), QStringLiteral("oncall"));
    QCOMPARE(keys.value(unnamed), QStringLiteral("slack-%1").arg(unnamed));
    QCOMPARE(keys.size(), 5);
    r = cli(location, {QStringLiteral("notify"), QStringLiteral("list")});
    QVERIFY2(r.out.contains(QStringLiteral("%1  oncall  slack  ").arg(oncall).toUtf8()),
             qPrintable(show(r)));
}

// The checklist's fields (segment owner, health monitor, reporting plan, stability review)
// set by `mapping set`, exported, planned and applied; a rename keeps the report pointed at
// the old name until the file (or someone) points it at the new one.
void TestMappingsAsCode::checklistFieldsInTheFile()
{
    const QString path = file(QStringLiteral("checklist.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    CliRun r =
        cli(location, {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("b"),
                       QStringLiteral("--segment-owner"), QStringLiteral("Ana"),
                       QStringLiteral("--health-monitor"), QStringLiteral("Jon"),
                       QStringLiteral("--report-url"),
                       QStringLiteral("https://mixpanel.com/project/1/view/2/app/boards#id=3"),
                       QStringLiteral("--stability-reviewed-by"), QStringLiteral("Maya")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    const QByteArray exported = exportOf(location);
    for (const char* line :
         {"    owner: \"Ana\"\n", "    health_monitor: \"Jon\"\n",
          "    report_url: \"https://mixpanel.com/project/1/view/2/app/boards#id=3\"\n",
          "    stability_reviewed_by: \"Maya\"\n"})
        QVERIFY2(exported.contains(line), line);
    QVERIFY(!exported.contains("report_cohort"));
    QVERIFY(writeAll(path, exported));
    QCOMPARE(cli(location, {QStringLiteral("plan"), path}).exitCode, 0);

    // A rename in the file: the report was set for the old name, and the review was made
    // with the old name, so it is made again (judged now) by the same reviewer.
    QByteArray renamed = exported;
    renamed.replace("cohort: \"CIO | B | 30d\"", "cohort: \"CIO | B2 | 30d\"");
    QVERIFY(writeAll(path, renamed));
    r = cli(location, {QStringLiteral("apply"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QByteArray after = exportOf(location);
    QVERIFY2(after.contains("    report_cohort: \"CIO | B | 30d\"\n"), after.constData());
    QVERIFY(after.contains("    stability_reviewed_by: \"Maya\"\n"));
    QVERIFY(writeAll(path, after));
    QCOMPARE(cli(location, {QStringLiteral("plan"), path}).exitCode, 0);
    {
        auto ws = Workspace::open(location);
        QVERIFY(ws.ok());
        auto holder = MappingRepository(**ws).keyHolder(QStringLiteral("b"), 0);
        QVERIFY(holder.ok() && *holder);
        auto b = MappingRepository(**ws).get(**holder);
        QVERIFY(b.ok());
        QVERIFY(!b->reportPlanCurrent());
        QCOMPARE(*ChecklistEvaluator::currentStabilityReviewer(**ws, *b), QStringLiteral("Maya"));
    }

    // Pointing the report at the new name, and another health monitor.
    QByteArray pointed = after;
    pointed.replace("    report_cohort: \"CIO | B | 30d\"\n", "");
    pointed.replace("boards#id=3", "boards#id=4");
    pointed.replace("health_monitor: \"Jon\"", "health_monitor: \"Kim\"");
    QVERIFY(writeAll(path, pointed));
    r = cli(location, {QStringLiteral("plan"), path});
    QCOMPARE(r.exitCode, 1);
    for (const char* line : {"      health_monitor: \"Jon\" -> \"Kim\"\n",
                             "      report_cohort: \"CIO | B | 30d\" -> \"CIO | B2 | 30d\"\n"})
        QVERIFY2(r.out.contains(line), qPrintable(line + QStringLiteral("\n---\n") + show(r)));
    r = cli(location, {QStringLiteral("apply"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(exportOf(location), pointed);
    {
        auto ws = Workspace::open(location);
        QVERIFY(ws.ok());
        auto holder = MappingRepository(**ws).keyHolder(QStringLiteral("b"), 0);
        QVERIFY(holder.ok() && *holder);
        auto b = MappingRepository(**ws).get(**holder);
        QVERIFY(b.ok());
        QVERIFY(b->reportPlanCurrent());
        QCOMPARE(b->healthMonitor, QStringLiteral("Kim"));
    }

    // A URL that is no http(s) address is refused with its place in the file.
    QByteArray bad = pointed;
    bad.replace("https://mixpanel.com/project/1/view/2/app/boards#id=4", "javascript:alert(1)");
    QVERIFY(writeAll(path, bad));
    r = cli(location, {QStringLiteral("plan"), path});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("report URL"), qPrintable(show(r)));
    QCOMPARE(exportOf(location), pointed);
}

// A mapping's own health thresholds: set from the command line, exported, planned, applied
// to another workspace, changed in the file, and back to the workspace's.
void TestMappingsAsCode::ownHealthThresholdsRoundTrip()
{
    const QString path = file(QStringLiteral("health.yaml"));
    const QString location = threeMappings(path);
    QVERIFY(!location.isEmpty());
    CliRun r = cli(location, {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("a"),
                              QStringLiteral("--churn-ratio"), QStringLiteral("3.0"),
                              QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(QJsonDocument::fromJson(r.out)
                 .object()
                 .value(QStringLiteral("health"))
                 .toObject()
                 .value(QStringLiteral("churn_ratio"))
                 .toDouble(),
             3.0);
    r = cli(location, {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("a"),
                       QStringLiteral("--churn-ratio"), QStringLiteral("-2")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--churn-ratio"), qPrintable(show(r)));

    const QByteArray exported = exportOf(location);
    QVERIFY2(exported.contains("    health:\n      churn_ratio: 3\n"), exported.constData());
    QCOMPARE(exported.count("    health:\n"), 1);
    QVERIFY(writeAll(path, exported));
    QCOMPARE(cli(location, {QStringLiteral("plan"), path}).exitCode, 0);

    // Another workspace from the file: the same thresholds.
    const QString second = freshWorkspace();
    r = cli(second, {QStringLiteral("apply"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QCOMPARE(exportOf(second), exported);

    // Changed in the file: planned as a change, applied.
    MappingsFile f = parseMappingsFile(exported).file;
    QVERIFY(f.mappings);
    (*f.mappings)[0].health.insert(QStringLiteral("churn_ratio"), QStringLiteral("4"));
    (*f.mappings)[0].health.insert(QStringLiteral("stale_factor"), QStringLiteral("6"));
    QVERIFY(writeAll(path, writeMappingsFile(f)));
    r = cli(second, {QStringLiteral("plan"), path});
    QVERIFY2(
        r.exitCode == 1 &&
            r.out.contains("      health: churn_ratio: 3 -> churn_ratio: 4, stale_factor: 6\n"),
        qPrintable(show(r)));
    QCOMPARE(cli(second, {QStringLiteral("apply"), path}).exitCode, 0);
    r = cli(second, {QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonObject health = QJsonDocument::fromJson(r.out)
                                   .array()
                                   .first()
                                   .toObject()
                                   .value(QStringLiteral("health"))
                                   .toObject();
    QCOMPARE(health.value(QStringLiteral("churn_ratio")).toDouble(), 4.0);
    QCOMPARE(health.value(QStringLiteral("stale_factor")).toDouble(), 6.0);

    // `default`: the workspace's again, and the file says nothing of it.
    r = cli(second, {QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("a"),
                     QStringLiteral("--churn-ratio"), QStringLiteral("default"),
                     QStringLiteral("--stale-factor"), QStringLiteral("default")});
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QVERIFY(!exportOf(second).contains("health:"));
}

QTEST_GUILESS_MAIN(TestMappingsAsCode)
#include "tst_mappingsascode.moc"
