// Ghost profiles and one verdict per mapping, against the sandbox's demo scenario: the
// demo's Mixpanel knows its people by id, so after a sync the e-mail mappings raise
// unknown_profiles (and read Broken) while the id mapping does not (and reads Trusted);
// `lockstep status` exits 1 until the alerts are acknowledged through the console's path;
// a failed run after a good one reads Broken without moving Last sync; a mapping never
// synced reads "Not synced yet". Each verdict is read three ways and must agree: the
// Mappings model (fed by the console's SyncController), `lockstep status --json`, and the
// tray's notice.
#include "clirunner.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "verdicttext.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace lockstep;

namespace {
constexpr int kWaitMs = 30'000;

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject byId(const QJsonArray& mappings, qint64 id)
{
    for (const QJsonValue& v : mappings)
        if (v.toObject().value(QStringLiteral("id")).toInteger() == id)
            return v.toObject();
    return {};
}

QStringList reasonTexts(const QJsonObject& mapping)
{
    QStringList out;
    for (const QJsonValue& r : mapping.value(QStringLiteral("verdict_reasons")).toArray())
        out.append(r.toObject().value(QStringLiteral("text")).toString());
    return out;
}
} // namespace

class TestVerdictSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void emailMappingsRaiseUnknownProfiles();
    void verdictsAgreeInModelStatusAndTray();
    void acknowledgingClearsTheExitCode();
    void failedRunAfterAGoodOneIsBroken();
    void neverSyncedReadsNotSyncedYet();

private:
    test::CliRun cli(const QStringList& args);
    QJsonObject status(int* exitCode = nullptr);
    // The console's view: the controller's mapping health, loaded into a Mappings model.
    void loadHealth(QList<MappingHealth>* out = nullptr);
    qint64 idOfSegment(qint64 segment) const { return m_bySegment.value(segment); }

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QProcessEnvironment m_env;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    MappingsModel m_model;
    QHash<qint64, qint64> m_bySegment; // segment id -> mapping id
    QHash<qint64, QString> m_names;
    QList<qint64> m_email; // the demo's mappings keyed by e-mail
};

test::CliRun TestVerdictSandbox::cli(const QStringList& args)
{
    return test::runCli(m_path, args, m_env);
}

QJsonObject TestVerdictSandbox::status(int* exitCode)
{
    const test::CliRun r = cli({QStringLiteral("status"), QStringLiteral("--json")});
    if (exitCode)
        *exitCode = r.exitCode;
    return QJsonDocument::fromJson(r.out).object();
}

void TestVerdictSandbox::loadHealth(QList<MappingHealth>* out)
{
    // Answers to earlier requests still queued are not this one's.
    QCoreApplication::processEvents();
    QSignalSpy mappings(m_controller.get(), &SyncController::mappingsLoaded);
    std::optional<QList<MappingHealth>> health;
    m_controller->refresh();
    m_controller->health()->loadMappingHealth().then(
        this, [&health](const QList<MappingHealth>& h) { health = h; });
    QTRY_VERIFY_WITH_TIMEOUT(!mappings.isEmpty() && health, kWaitMs);
    m_model.setMappings(mappings.takeLast().at(0).value<QList<MappingOverview>>());
    m_model.setHealth(*health);
    if (out)
        *out = *health;
}

void TestVerdictSandbox::initTestCase()
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
    QVERIFY(list.size() >= 4);
    {
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
            m.owner = o.value(QStringLiteral("owner")).toString();
            m.decision = o.value(QStringLiteral("decision")).toString();
            m.mode =
                parseSyncMode(o.value(QStringLiteral("mode")).toString()).value_or(SyncMode::List);
            auto id = MappingRepository(**ws).add(m);
            QVERIFY(id);
            m_bySegment.insert(m.segmentId, *id);
            m_names.insert(*id, m.cohortName);
            if (m.identity == IdentityKey::Email)
                m_email.append(*id);
        }
    }
    QCOMPARE(m_email.size(), 3);        // Winback, Cart abandoners, Suppressed
    QVERIFY(m_bySegment.contains(102)); // VIP, keyed by id

    const test::CliRun sync = cli({QStringLiteral("sync"), QStringLiteral("--all")});
    QVERIFY2(sync.exitCode == 0, QByteArray(sync.out + sync.err).constData());

    m_controller = std::make_unique<SyncController>(m_context, m_path,
                                                    Credentials{m_sandbox->appApiKey(),
                                                                m_sandbox->projectToken(),
                                                                m_sandbox->serviceAccount()});
    m_controller->start();
    loadHealth();
    QCOMPARE(m_model.rowCount(), int(list.size()));
}

void TestVerdictSandbox::cleanupTestCase()
{
    m_controller.reset();
    m_sandbox.reset();
}

void TestVerdictSandbox::emailMappingsRaiseUnknownProfiles()
{
    int code = -1;
    const QJsonObject doc = status(&code);
    QCOMPARE(code, 1);
    QHash<qint64, QJsonObject> unknown;
    for (const QJsonValue& v : doc.value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject a = v.toObject();
        if (a.value(QStringLiteral("rule")).toString() == QLatin1String("unknown_profiles"))
            unknown.insert(a.value(QStringLiteral("mapping_id")).toInteger(), a);
    }
    const QList<qint64> raised = unknown.keys();
    QCOMPARE(QSet<qint64>(raised.begin(), raised.end()),
             QSet<qint64>(m_email.begin(), m_email.end()));
    QVERIFY(!unknown.contains(idOfSegment(102)));

    const QJsonArray mappings = doc.value(QStringLiteral("mappings")).toArray();
    for (qint64 id : std::as_const(m_email)) {
        const QJsonObject a = unknown.value(id);
        // The demo's Mixpanel has no profile under any e-mail: every sampled key is a ghost.
        const QJsonObject check = byId(mappings, id)
                                      .value(QStringLiteral("last_run"))
                                      .toObject()
                                      .value(QStringLiteral("verification"))
                                      .toObject();
        QVERIFY2(check.value(QStringLiteral("verified")).toInt() > 0, qPrintable(m_names[id]));
        QCOMPARE(check.value(QStringLiteral("unknown_to_mixpanel")).toInt(),
                 check.value(QStringLiteral("verified")).toInt());
        QCOMPARE(a.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(a.value(QStringLiteral("value")).toDouble(), 100.0);
        // The likely cause, from what the workspace knows: the id mapping's keys are known.
        const QString message = a.value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("sends e-mail addresses")) &&
                     message.contains(QStringLiteral("by their id")) &&
                     message.contains(QStringLiteral("“CIO | VIP | 30d”, keyed by id")),
                 qPrintable(message));
    }
    // The id mapping: the sandbox has a profile under every id it sent.
    const QJsonObject vip = byId(mappings, idOfSegment(102));
    const QJsonObject check = vip.value(QStringLiteral("last_run"))
                                  .toObject()
                                  .value(QStringLiteral("verification"))
                                  .toObject();
    QVERIFY(check.value(QStringLiteral("verified")).toInt() > 0);
    QCOMPARE(check.value(QStringLiteral("unknown_to_mixpanel")).toInt(), 0);
}

void TestVerdictSandbox::verdictsAgreeInModelStatusAndTray()
{
    QList<MappingHealth> health;
    loadHealth(&health);
    QCOMPARE(health.size(), m_model.rowCount());
    const QJsonArray mappings = status().value(QStringLiteral("mappings")).toArray();
    QCOMPARE(mappings.size(), m_model.rowCount());

    // Before: every mapping trusted, so the tray tells each that is not.
    QHash<qint64, MappingVerdict> trusted;
    QList<MappingVerdict> now;
    for (const MappingHealth& h : health) {
        MappingVerdict was;
        was.mappingId = h.mappingId;
        was.state = VerdictState::Trusted;
        trusted.insert(h.mappingId, was);
        now.append(h.verdict);
    }
    const TrayNotice notice = verdictNotice(trusted, now, m_names);

    for (int row = 0; row < m_model.rowCount(); ++row) {
        const qint64 id = m_model.index(row, 0).data(MappingIdRole).toLongLong();
        const QJsonObject json = byId(mappings, id);
        const QString state = json.value(QStringLiteral("verdict")).toString();
        const VerdictState s = *parseVerdictState(state);
        const QModelIndex cell = m_model.index(row, MappingsModel::Health);
        QCOMPARE(cell.data(CodeRole).toString(), state);
        QCOMPARE(cell.data().toString(), format::verdict(s));
        const QStringList reasons = reasonTexts(json);
        for (const QString& r : reasons)
            QVERIFY2(cell.data(Qt::ToolTipRole).toString().contains(r), qPrintable(r));
        QCOMPARE(m_model.index(row, MappingsModel::LastSync, {}).data(SortRole).toLongLong(),
                 json.value(QStringLiteral("last_sync_ms")).toInteger());
        const QString line = QStringLiteral("%1 — %2").arg(m_names[id], format::verdict(s));
        if (s == VerdictState::Broken || s == VerdictState::Degraded) {
            QVERIFY2(notice.message.contains(line + QStringLiteral(": ") + reasons.first()),
                     qPrintable(notice.message));
        } else {
            QVERIFY2(!notice.message.contains(m_names[id] + QStringLiteral(" — ")),
                     qPrintable(notice.message));
        }
    }
    QVERIFY(notice.critical);

    // The states the demo must show.
    for (qint64 id : std::as_const(m_email))
        QCOMPARE(byId(mappings, id).value(QStringLiteral("verdict")).toString(),
                 QStringLiteral("broken"));
    QCOMPARE(byId(mappings, idOfSegment(102)).value(QStringLiteral("verdict")).toString(),
             QStringLiteral("trusted"));
    // Still building: its run was skipped.
    const QJsonObject building = byId(mappings, idOfSegment(105));
    QCOMPARE(building.value(QStringLiteral("verdict")).toString(),
             QStringLiteral("not_synced_yet"));
    QCOMPARE(building.value(QStringLiteral("later_run"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("skipped"));

    // One mapping that got worse: the tray names it and says every reason.
    const qint64 winback = idOfSegment(101);
    const TrayNotice one = verdictNotice({{winback, trusted.value(winback)}}, now, m_names);
    QCOMPARE(one.title, QStringLiteral("Lockstep: %1 is Broken").arg(m_names[winback]));
    QCOMPARE(one.message, reasonTexts(byId(mappings, winback)).join(QLatin1Char('\n')));
    // Nothing got worse: no notice.
    QHash<qint64, MappingVerdict> same;
    for (const MappingVerdict& v : now)
        same.insert(v.mappingId, v);
    QVERIFY(verdictNotice(same, now, m_names).isEmpty());
}

void TestVerdictSandbox::acknowledgingClearsTheExitCode()
{
    int code = -1;
    QJsonObject doc = status(&code);
    QCOMPARE(code, 1);
    QList<qint64> open;
    for (const QJsonValue& v : doc.value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject a = v.toObject();
        QCOMPARE(a.value(QStringLiteral("rule")).toString(), QStringLiteral("unknown_profiles"));
        QVERIFY(!a.value(QStringLiteral("acknowledged")).toBool());
        open.append(a.value(QStringLiteral("id")).toInteger());
    }
    QCOMPARE(open.size(), m_email.size());

    // As the Health page's Acknowledge button does.
    QSignalSpy health(m_controller->health(), &HealthRequests::mappingHealthLoaded);
    int answered = 0;
    for (qsizetype i = 0; i < open.size(); ++i) {
        // Answered with the open alerts, then the mappings' health is announced.
        m_controller->health()
            ->acknowledgeAlert(open[i], QStringLiteral("maya"))
            .then(this, [&answered](const QList<Alert>&) { ++answered; });
        QTRY_COMPARE_WITH_TIMEOUT(health.size(), int(i + 1), kWaitMs);
        QCOMPARE(answered, int(i + 1));
        if (i + 1 < open.size())
            QCOMPARE(status(&code).value(QStringLiteral("open_alerts")).toInt(),
                     int(open.size() - i - 1));
    }
    doc = status(&code);
    QCOMPARE(code, 0);
    QCOMPARE(doc.value(QStringLiteral("open_alerts")).toInt(), 0);
    // Seen is not fixed: the alerts stay open and the mappings stay broken.
    QCOMPARE(doc.value(QStringLiteral("alerts")).toArray().size(), open.size());
    for (qint64 id : std::as_const(m_email))
        QCOMPARE(byId(doc.value(QStringLiteral("mappings")).toArray(), id)
                     .value(QStringLiteral("verdict"))
                     .toString(),
                 QStringLiteral("broken"));
}

void TestVerdictSandbox::failedRunAfterAGoodOneIsBroken()
{
    const qint64 vip = idOfSegment(102);
    QJsonObject before = byId(status().value(QStringLiteral("mappings")).toArray(), vip);
    QCOMPARE(before.value(QStringLiteral("verdict")).toString(), QStringLiteral("trusted"));
    const qint64 lastSync = before.value(QStringLiteral("last_sync_ms")).toInteger();
    QVERIFY(lastSync > 0);

    // Customer.io no longer knows the segment (as when it was deleted).
    m_sandbox->setFaults(QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("cio.*")},
                                                {QStringLiteral("status"), 404}}});
    const test::CliRun sync =
        cli({QStringLiteral("sync"), QStringLiteral("--mapping"), QString::number(vip)});
    m_sandbox->clearFaults();
    QVERIFY2(sync.exitCode != 0, QByteArray(sync.out + sync.err).constData());

    int code = -1;
    const QJsonObject after = byId(status(&code).value(QStringLiteral("mappings")).toArray(), vip);
    QCOMPARE(after.value(QStringLiteral("verdict")).toString(), QStringLiteral("broken"));
    QCOMPARE(after.value(QStringLiteral("last_sync_ms")).toInteger(), lastSync);
    QCOMPARE(after.value(QStringLiteral("later_run"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("failed"));
    const QJsonArray reasons = after.value(QStringLiteral("verdict_reasons")).toArray();
    QVERIFY(!reasons.isEmpty());
    QCOMPARE(reasons.first().toObject().value(QStringLiteral("code")).toString(),
             QStringLiteral("last_run_failed"));

    // The console: Broken, Last sync unchanged with the failed run beside it.
    loadHealth();
    const int row = m_model.rowOf(vip);
    QCOMPARE(m_model.index(row, MappingsModel::Health).data(CodeRole).toString(),
             QStringLiteral("broken"));
    QCOMPARE(m_model.index(row, MappingsModel::LastSync).data(SortRole).toLongLong(), lastSync);
    QVERIFY2(m_model.index(row, MappingsModel::LastSync)
                 .data()
                 .toString()
                 .endsWith(QStringLiteral("· last run failed")),
             qPrintable(m_model.index(row, MappingsModel::LastSync).data().toString()));
    QCOMPARE(m_model.index(row, MappingsModel::Status).data(StatusNameRole).toString(),
             QStringLiteral("failed"));

    // The next good run makes it trusted again.
    const test::CliRun again =
        cli({QStringLiteral("sync"), QStringLiteral("--mapping"), QString::number(vip)});
    QVERIFY2(again.exitCode == 0, QByteArray(again.out + again.err).constData());
    const QJsonObject fixed = byId(status().value(QStringLiteral("mappings")).toArray(), vip);
    QCOMPARE(fixed.value(QStringLiteral("verdict")).toString(), QStringLiteral("trusted"));
    QVERIFY(fixed.value(QStringLiteral("last_sync_ms")).toInteger() > lastSync);
}

void TestVerdictSandbox::neverSyncedReadsNotSyncedYet()
{
    const test::CliRun add = cli(
        {QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
         QStringLiteral("102"), QStringLiteral("--cohort"), QStringLiteral("CIO | VIP | 30d | v2"),
         QStringLiteral("--identity"), QStringLiteral("id")});
    QCOMPARE(add.exitCode, 0);
    const qint64 id = add.out.trimmed().toLongLong();
    QVERIFY(id > 0);
    const QJsonObject json = byId(status().value(QStringLiteral("mappings")).toArray(), id);
    QCOMPARE(json.value(QStringLiteral("verdict")).toString(), QStringLiteral("not_synced_yet"));
    QVERIFY(json.value(QStringLiteral("last_sync_ms")).isNull());

    loadHealth();
    const int row = m_model.rowOf(id);
    QVERIFY(row >= 0);
    QCOMPARE(m_model.index(row, MappingsModel::Health).data().toString(),
             QStringLiteral("Not synced yet"));
    QCOMPARE(m_model.index(row, MappingsModel::LastSync).data().toString(),
             QStringLiteral("never"));
}

QTEST_GUILESS_MAIN(TestVerdictSandbox)
#include "tst_verdict_sandbox.moc"
