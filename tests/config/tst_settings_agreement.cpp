// One workspace, one answer: with a custom naming convention and custom health thresholds
// set through `lockstep config set`, the command line (`audit --format json`,
// `status --json`, `checklist --offline --json`), the headless runner (`run --once`
// against the sandbox) and the console (SyncController's services: loadSettings,
// loadAudit, loadChecklists, evaluate) report the same audit findings, the same rollout
// checklists and the same open alerts.
#include "clirunner.h"
#include "sandboxprocess.h"

#include "audit/auditexporter.h"
#include "config/settings.h"
#include "config/workspacesettings.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "store/workspace.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using lockstep::test::CliRun;
using lockstep::test::SandboxProcess;

namespace {

const QString kConvention = QStringLiteral("ACME | {intent} | {window}");
// Fits the custom convention, not the default one ("CIO | ...").
const QString kAcmeCohort = QStringLiteral("ACME | Winback | 45-60d");
// Fits the default convention, not the custom one.
const QString kCioCohort = QStringLiteral("CIO | Lapsed | 30d");
// Above the share the email mapping matches (about 0.96), below the default floor (0.95)
// it clears: the match_rate alert fires only when the workspace's floor is used.
const QString kMatchFloor = QStringLiteral("0.99");

QJsonObject cohort(int id, const QString& name)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("name"), name},
                       {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                       {QStringLiteral("value"), name}};
}

QJsonObject scenario()
{
    const QJsonObject noAnomalies{
        {QStringLiteral("missing_email"), 0.04},  {QStringLiteral("mixed_case_email"), 0.0},
        {QStringLiteral("duplicate_email"), 0.0}, {QStringLiteral("placeholder_id"), 0.0},
        {QStringLiteral("missing_id"), 0.0},      {QStringLiteral("merged"), 0.0}};
    return QJsonObject{
        {QStringLiteral("seed"), 5},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("existing_profile_share"), 1.0},
                     {QStringLiteral("existing_profile_key"), QStringLiteral("cio_id")},
                     {QStringLiteral("cohorts"),
                      QJsonArray{cohort(1, kAcmeCohort), cohort(2, kCioCohort)}}}},
        {QStringLiteral("population"),
         QJsonObject{{QStringLiteral("size"), 1000}, {QStringLiteral("anomalies"), noAnomalies}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                {QStringLiteral("name"), QStringLiteral("Winback")},
                                {QStringLiteral("size"), 400}},
                    QJsonObject{{QStringLiteral("id"), 2},
                                {QStringLiteral("name"), QStringLiteral("Lapsed")},
                                {QStringLiteral("size"), 300}}}},
    };
}

// An alert as every side can name it.
QString alertKey(qint64 mappingId, const QString& rule, const QString& subject,
                 const QString& severity)
{
    return QStringLiteral("%1|%2|%3|%4").arg(mappingId).arg(rule, subject, severity);
}

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

// The report without the moment it was made.
QJsonObject timeless(QJsonObject audit)
{
    audit.remove(QStringLiteral("generated_at"));
    audit.remove(QStringLiteral("generated_at_ms"));
    return audit;
}

} // namespace

class TestSettingsAgreement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void consoleLoadsWhatConfigSet();
    void auditAgrees();
    void checklistsAgree();
    void alertsAgree();
    void cleanupTestCase();

private:
    CliRun cli(const QStringList& args,
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
    QJsonDocument cliJson(const QStringList& args, int expectedExit = -1);
    QProcessEnvironment secrets() const;
    QStringList runnerAlerts();

    QTemporaryDir m_dir;
    QString m_workspace;
    std::unique_ptr<SandboxProcess> m_sandbox;
    qint64 m_acme = 0; // mapping ids
    qint64 m_cio = 0;
    QStringList m_runnerAlerts; // open right after `run --once`

    // The console's answers.
    std::unique_ptr<EngineContext> m_context; // outlives the controller
    std::unique_ptr<SyncController> m_console;
    WorkspaceSettings m_consoleSettings;
    AuditReport m_consoleAudit;
    QList<RolloutChecklist> m_consoleChecklists;
    QList<Alert> m_consoleAlerts;
};

CliRun TestSettingsAgreement::cli(const QStringList& args, const QProcessEnvironment& env)
{
    return lockstep::test::runCli(m_workspace, args, env);
}

QJsonDocument TestSettingsAgreement::cliJson(const QStringList& args, int expectedExit)
{
    const CliRun r = cli(args);
    if (expectedExit >= 0 && r.exitCode != expectedExit)
        qWarning().noquote() << args.join(QLatin1Char(' ')) << "exited" << r.exitCode << r.err;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning().noquote() << args.join(QLatin1Char(' ')) << "printed no JSON:" << r.out << r.err;
    return doc;
}

QProcessEnvironment TestSettingsAgreement::secrets() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.01"));
    env.insert(QStringLiteral("LOCKSTEP_TOKEN_PROBE_DELAY_MS"), QStringLiteral("20"));
    return env;
}

QStringList TestSettingsAgreement::runnerAlerts()
{
    // Straight from the table: what the runner left, before anything re-evaluates.
    QStringList out;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("alerts"));
        db.setDatabaseName(m_workspace);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT mapping_id, rule, subject, severity FROM alerts "
                                      "WHERE resolved_at = 0")))
                while (q.next())
                    out << alertKey(q.value(0).toLongLong(), q.value(1).toString(),
                                    q.value(2).toString(), q.value(3).toString());
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("alerts"));
    return sorted(out);
}

void TestSettingsAgreement::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_workspace = m_dir.filePath(QStringLiteral("ws.sqlite"));
    m_sandbox = std::make_unique<SandboxProcess>(scenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));

    QCOMPARE(cli({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                  m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                  m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                  m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                  QString::number(m_sandbox->projectId())})
                 .exitCode,
             0);
    auto add = [this](const QString& segment, const QString& cohortName, const QString& identity) {
        const CliRun r =
            cli({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                 segment, QStringLiteral("--cohort"), cohortName, QStringLiteral("--identity"),
                 identity, QStringLiteral("--owner"), QStringLiteral("Retention"),
                 QStringLiteral("--decision"), QStringLiteral("Winback budget")});
        return r.exitCode == 0 ? QString::fromUtf8(r.out).trimmed().toLongLong() : 0;
    };
    m_acme = add(QStringLiteral("1"), kAcmeCohort, QStringLiteral("email"));
    m_cio = add(QStringLiteral("2"), kCioCohort, QStringLiteral("cio_id"));
    QVERIFY(m_acme > 0 && m_cio > 0);

    // The operator's settings, through the command line.
    const QList<QStringList> settings = {
        {QStringLiteral("naming_convention"), kConvention},
        {QStringLiteral("match_rate_floor"), kMatchFloor},
        {QStringLiteral("stale_factor"), QStringLiteral("5")},
        {QStringLiteral("not_ready_factor"), QStringLiteral("3")},
        {QStringLiteral("drift_percent"), QStringLiteral("4.5")},
        {QStringLiteral("verify_sample"), QStringLiteral("0")},
    };
    for (const QStringList& kv : settings) {
        const CliRun r = cli(QStringList{QStringLiteral("config"), QStringLiteral("set")} + kv);
        QVERIFY2(r.exitCode == 0, qPrintable(kv.join(QLatin1Char(' ')) + QStringLiteral(": ") +
                                             QString::fromUtf8(r.err)));
        const CliRun get = cli({QStringLiteral("config"), QStringLiteral("get"), kv[0]});
        QCOMPARE(get.exitCode, 0);
        QCOMPARE(QString::fromUtf8(get.out).trimmed(), kv[1]);
    }

    // The runner syncs both mappings and judges health where it wrote the data.
    const CliRun run = cli({QStringLiteral("run"), QStringLiteral("--once")}, secrets());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    m_runnerAlerts = runnerAlerts();

    // The console, in process, on the same file (no secrets: nothing is verified online).
    m_context = std::make_unique<EngineContext>();
    m_console = std::make_unique<SyncController>(*m_context, m_workspace, Credentials{});
    QSignalSpy opened(m_console.get(), &SyncController::opened);
    m_console->start();
    QVERIFY(opened.wait(30000));
    int answers = 0;
    m_console->setup()->loadSettings().then(this, [&](const WorkspaceSettings& s) {
        m_consoleSettings = s;
        ++answers;
    });
    m_console->health()->loadAudit().then(this, [&](const AuditReport& r) {
        m_consoleAudit = r;
        ++answers;
    });
    m_console->trust()->loadChecklists().then(this, [&](const QList<RolloutChecklist>& c) {
        m_consoleChecklists = c;
        ++answers;
    });
    m_console->health()->evaluate().then(this, [&](const HealthEvaluation& e) {
        m_consoleAlerts = e.open;
        ++answers;
    });
    QTRY_COMPARE_WITH_TIMEOUT(answers, 4, 30000);
}

void TestSettingsAgreement::cleanupTestCase()
{
    m_console.reset();
    m_context.reset();
    m_sandbox.reset();
}

void TestSettingsAgreement::consoleLoadsWhatConfigSet()
{
    QCOMPARE(m_consoleSettings.naming.pattern, kConvention);
    QCOMPARE(m_consoleSettings.thresholds.matchRateFloor, 0.99);
    QCOMPARE(m_consoleSettings.thresholds.staleFactor, 5.0);
    QCOMPARE(m_consoleSettings.thresholds.notReadyFactor, 3.0);
    QCOMPARE(m_consoleSettings.thresholds.driftPercent, 4.5);
    QCOMPARE(m_consoleSettings.verifySample, 0);

    // Every key `config list --json` prints is what the console holds: written to a
    // scratch workspace, the console's settings read back key by key the same.
    const QJsonArray list =
        cliJson({QStringLiteral("config"), QStringLiteral("list"), QStringLiteral("--json")}, 0)
            .array();
    QVERIFY(!list.isEmpty());
    auto scratch = Workspace::open(m_dir.filePath(QStringLiteral("scratch.sqlite")));
    QVERIFY(scratch);
    QVERIFY(writeWorkspaceSettings(**scratch, m_consoleSettings).ok());
    Settings console(**scratch);
    int keys = 0;
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        const SettingKey* key = findSettingKey(o.value(QStringLiteral("key")).toString());
        QVERIFY2(key, qPrintable(o.value(QStringLiteral("key")).toString()));
        auto mine = console.read(*key);
        QVERIFY(mine);
        const QJsonValue printed = o.value(QStringLiteral("value"));
        QCOMPARE(printed.isDouble() ? settingText(printed.toDouble()) : printed.toString(),
                 mine->value);
        ++keys;
    }
    int workspaceKeys = 0;
    for (const SettingKey& k : settingKeys())
        workspaceKeys += k.scope == SettingScope::Workspace ? 1 : 0;
    QCOMPARE(keys, workspaceKeys);
}

void TestSettingsAgreement::auditAgrees()
{
    const QJsonObject cliAudit =
        cliJson({QStringLiteral("audit"), QStringLiteral("--format"), QStringLiteral("json")}, 0)
            .object();
    QCOMPARE(cliAudit.value(QStringLiteral("pattern")).toString(), kConvention);
    QCOMPARE(m_consoleAudit.pattern, kConvention);

    // The custom convention, not the default: the ACME name passes, the CIO one does not.
    QSet<qint64> named;
    for (const QJsonValue& v : cliAudit.value(QStringLiteral("findings")).toArray()) {
        const QJsonObject f = v.toObject();
        if (f.value(QStringLiteral("severity")).toString() == QLatin1String("error"))
            named.insert(f.value(QStringLiteral("mapping_id")).toInteger());
    }
    QVERIFY2(!named.contains(m_acme), "the ACME name fits the workspace's convention");
    QVERIFY2(named.contains(m_cio), "the CIO name does not fit the workspace's convention");

    const QJsonObject consoleAudit = QJsonDocument::fromJson(toJson(m_consoleAudit)).object();
    QCOMPARE(timeless(cliAudit), timeless(consoleAudit));
}

void TestSettingsAgreement::checklistsAgree()
{
    const QJsonObject status =
        cliJson({QStringLiteral("status"), QStringLiteral("--json")}).object();
    const QJsonObject audit =
        cliJson({QStringLiteral("audit"), QStringLiteral("--format"), QStringLiteral("json")}, 0)
            .object();
    QHash<qint64, QJsonObject> statusById, auditById;
    for (const QJsonValue& v : status.value(QStringLiteral("mappings")).toArray())
        statusById.insert(v.toObject().value(QStringLiteral("id")).toInteger(), v.toObject());
    for (const QJsonValue& v : audit.value(QStringLiteral("checklists")).toArray())
        auditById.insert(v.toObject().value(QStringLiteral("mapping_id")).toInteger(),
                         v.toObject());

    QCOMPARE(m_consoleChecklists.size(), 2);
    for (const RolloutChecklist& console : std::as_const(m_consoleChecklists)) {
        const QByteArray id = QByteArray::number(console.mappingId);
        const QJsonObject mine = console.toJson();
        const QJsonObject checklist =
            cliJson({QStringLiteral("checklist"), QStringLiteral("--mapping"),
                     QString::number(console.mappingId), QStringLiteral("--offline"),
                     QStringLiteral("--json")})
                .object();
        QVERIFY2(!checklist.isEmpty(), id.constData());
        QCOMPARE(checklist.value(QStringLiteral("items")), mine.value(QStringLiteral("items")));
        QCOMPARE(checklist.value(QStringLiteral("ready")), mine.value(QStringLiteral("ready")));
        QCOMPARE(statusById.value(console.mappingId).value(QStringLiteral("checklist")),
                 mine.value(QStringLiteral("items")));
        QCOMPARE(statusById.value(console.mappingId).value(QStringLiteral("ready")),
                 mine.value(QStringLiteral("ready")));
        QCOMPARE(auditById.value(console.mappingId).value(QStringLiteral("items")),
                 mine.value(QStringLiteral("items")));

        // Judged by the workspace's convention.
        const ChecklistItem* name = console.item(QStringLiteral("name_convention"));
        QVERIFY(name);
        QCOMPARE(name->done, console.mappingId == m_acme);
    }
}

void TestSettingsAgreement::alertsAgree()
{
    // The email mapping matches fewer than the workspace's floor, more than the default's.
    const QJsonObject status =
        cliJson({QStringLiteral("status"), QStringLiteral("--json")}).object();
    QJsonObject acme;
    for (const QJsonValue& v : status.value(QStringLiteral("mappings")).toArray())
        if (v.toObject().value(QStringLiteral("id")).toInteger() == m_acme)
            acme = v.toObject();
    const QJsonObject lastRun = acme.value(QStringLiteral("last_run")).toObject();
    QCOMPARE(lastRun.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const double segment = lastRun.value(QStringLiteral("segment_count")).toDouble();
    const double rate =
        (segment - lastRun.value(QStringLiteral("mismatched")).toDouble()) / segment;
    QVERIFY2(rate > HealthThresholds{}.matchRateFloor && rate < kMatchFloor.toDouble(),
             qPrintable(QString::number(rate)));

    QStringList statusAlerts, consoleAlerts;
    for (const QJsonValue& v : status.value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject a = v.toObject();
        statusAlerts << alertKey(a.value(QStringLiteral("mapping_id")).toInteger(),
                                 a.value(QStringLiteral("rule")).toString(),
                                 a.value(QStringLiteral("subject")).toString(),
                                 a.value(QStringLiteral("severity")).toString());
    }
    for (const Alert& a : std::as_const(m_consoleAlerts))
        consoleAlerts << alertKey(a.mappingId, a.rule, a.subject, alertSeverityName(a.severity));
    const QString matchRate =
        alertKey(m_acme, QStringLiteral("match_rate"), QString(), QStringLiteral("warning"));
    QVERIFY2(m_runnerAlerts.contains(matchRate), qPrintable(m_runnerAlerts.join(QLatin1Char(' '))));
    QVERIFY2(sorted(statusAlerts).contains(matchRate),
             qPrintable(statusAlerts.join(QLatin1Char(' '))));
    QVERIFY2(consoleAlerts.contains(matchRate), qPrintable(consoleAlerts.join(QLatin1Char(' '))));
    QCOMPARE(sorted(statusAlerts), m_runnerAlerts);
    QCOMPARE(sorted(consoleAlerts), m_runnerAlerts);
}

QTEST_GUILESS_MAIN(TestSettingsAgreement)
#include "tst_settings_agreement.moc"
