// The engine's features through the CLI as scripts use it: full resync, membership
// events with deduplicating $insert_ids, pausing after repeated auth failures with an
// alert that `status --json` reports (and exits 1 for), the naming audit export, and the
// headless runner stopping cleanly on SIGTERM; a project token of another project, which
// Mixpanel answers 1 and drops, refused before the first sync (TokenProbe) and caught by
// the entry check on its own.
#include "sandboxprocess.h"

#include "trust/tokenprobe.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using lockstep::test::SandboxProcess;

namespace {
struct Cli
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

const QString kOtherToken = QStringLiteral("token-of-another-project");

// `existingProfiles`: the share of people whose profile (keyed by cio_id) the app made.
QJsonObject scenario(int segmentSize, double existingProfiles = 0.0)
{
    return QJsonObject{
        {QStringLiteral("seed"), 11},
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("existing_profile_share"), existingProfiles},
                     {QStringLiteral("existing_profile_key"), QStringLiteral("cio_id")},
                     {QStringLiteral("cohorts"),
                      QJsonArray{QJsonObject{
                          {QStringLiteral("id"), 1},
                          {QStringLiteral("name"), QStringLiteral("CIO | Winback | 45-60d")},
                          {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                          {QStringLiteral("value"), QStringLiteral("CIO | Winback | 45-60d")}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), segmentSize * 2}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                {QStringLiteral("name"), QStringLiteral("Lapsed")},
                                {QStringLiteral("size"), segmentSize},
                                {QStringLiteral("churn"),
                                 QJsonObject{{QStringLiteral("entered"), segmentSize / 20},
                                             {QStringLiteral("exited"), segmentSize / 25}}}}}},
    };
}
} // namespace

class TestCliFeatures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void fullResyncResendsEveryone();
    void eventsAreSentOnceWithStableInsertIds();
    void repeatedAuthFailuresPauseWithAnAlert();
    void tokenOfAnotherProjectExitsWithThree();
    void provenTokenIsRememberedNotStored();
    void entryCheckCatchesAWrongTokenOnItsOwn();
    void auditExports_data();
    void auditExports();
    void runnerStopsCleanlyOnSigterm();

private:
    Cli lockstep(const QStringList& args, const QProcessEnvironment& env = {});
    QProcessEnvironment secrets(const SandboxProcess& s) const;
    void connectTo(const SandboxProcess& s);
    // A workspace setting, read straight from the SQLite file.
    QString setting(const QString& key);
    void setSetting(const QString& key, const QString& value);
    QString addMapping(const QStringList& extra = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_workspace;
};

void TestCliFeatures::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_workspace = m_dir->filePath(QStringLiteral("ws.sqlite"));
}

Cli TestCliFeatures::lockstep(const QStringList& args, const QProcessEnvironment& env)
{
    QProcess p;
    p.setProcessEnvironment(env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            QStringList{QStringLiteral("--workspace"), m_workspace} + args);
    Cli r;
    if (!p.waitForFinished(120000))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QProcessEnvironment TestCliFeatures::secrets(const SandboxProcess& s) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), s.appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), s.projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), s.serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.01"));
    // The sandbox ingests at once: the probe's reads need no long waits.
    env.insert(QStringLiteral("LOCKSTEP_TOKEN_PROBE_DELAY_MS"), QStringLiteral("20"));
    return env;
}

QString TestCliFeatures::setting(const QString& key)
{
    QString value;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("settings"));
        db.setDatabaseName(m_workspace);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT value FROM settings WHERE key=?"));
            q.addBindValue(key);
            if (q.exec() && q.next())
                value = q.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("settings"));
    return value;
}

void TestCliFeatures::setSetting(const QString& key, const QString& value)
{
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("settings"));
        db.setDatabaseName(m_workspace);
        QVERIFY(db.open());
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
            "value = excluded.value"));
        q.addBindValue(key);
        q.addBindValue(value);
        QVERIFY(q.exec());
    }
    QSqlDatabase::removeDatabase(QStringLiteral("settings"));
}

void TestCliFeatures::connectTo(const SandboxProcess& s)
{
    const Cli c = lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                            s.customerIo().toString(), QStringLiteral("--mixpanel-url"),
                            s.mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                            s.mixpanelQuery().toString(), QStringLiteral("--project-id"),
                            QString::number(s.projectId())});
    QCOMPARE(c.exitCode, 0);
}

QString TestCliFeatures::addMapping(const QStringList& extra)
{
    const Cli c =
        lockstep(QStringList{QStringLiteral("mapping"), QStringLiteral("add"),
                             QStringLiteral("--segment"), QStringLiteral("1"),
                             QStringLiteral("--cohort"), QStringLiteral("CIO | Winback | 45-60d"),
                             QStringLiteral("--identity"), QStringLiteral("cio_id")} +
                 extra);
    return c.exitCode == 0 ? QString::fromUtf8(c.out).trimmed() : QString();
}

void TestCliFeatures::fullResyncResendsEveryone()
{
    SandboxProcess sandbox(scenario(3000));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping().isEmpty());
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode,
             0);
    sandbox.resetStats();
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode,
             0);
    QCOMPARE(sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInt(),
             0);

    // Someone removes the property in Mixpanel by hand; an incremental run cannot know,
    // a full resync repairs it.
    const QStringList members = sandbox.segmentMemberKeys(1, QStringLiteral("cio_id"));
    QJsonArray updates;
    for (int i = 0; i < 10; ++i)
        updates.append(QJsonObject{
            {QStringLiteral("$token"), sandbox.projectToken()},
            {QStringLiteral("$distinct_id"), members[i]},
            {QStringLiteral("$remove"), QJsonObject{{QStringLiteral("cio_cohorts"),
                                                     QStringLiteral("CIO | Winback | 45-60d")}}}});
    QUrl engage = sandbox.mixpanel();
    engage.setPath(QStringLiteral("/engage"));
    QCOMPARE(SandboxProcess::request("POST", engage, QJsonDocument(updates).toJson(),
                                     {{"Content-Type", "application/json"}})
                 .status,
             200);
    QCOMPARE(sandbox.cohortMembers(1).size(), members.size() - 10);

    // And a profile that is no member holds the value (a stray): the full resync finds it
    // through the query API and removes it.
    const QJsonArray stray{
        QJsonObject{{QStringLiteral("$token"), sandbox.projectToken()},
                    {QStringLiteral("$distinct_id"), QStringLiteral("stray-profile")},
                    {QStringLiteral("$union"),
                     QJsonObject{{QStringLiteral("cio_cohorts"),
                                  QJsonArray{QStringLiteral("CIO | Winback | 45-60d")}}}}}};
    QCOMPARE(SandboxProcess::request("POST", engage, QJsonDocument(stray).toJson(),
                                     {{"Content-Type", "application/json"}})
                 .status,
             200);
    QVERIFY(sandbox.cohortMembers(1).contains(QStringLiteral("stray-profile")));

    QCOMPARE(lockstep({QStringLiteral("config"), QStringLiteral("set"),
                       QStringLiteral("cohort_check_minutes"), QStringLiteral("0")})
                 .exitCode,
             0);
    sandbox.resetStats();
    const Cli full = lockstep({QStringLiteral("sync"), QStringLiteral("--all"),
                               QStringLiteral("--full"), QStringLiteral("--json")},
                              secrets(sandbox));
    QCOMPARE(full.exitCode, 0);
    const QJsonObject run = QJsonDocument::fromJson(full.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("kind")).toString(), QStringLiteral("full"));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), qint64(members.size()));
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), 1); // the stray
    QCOMPARE(sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInt(),
             members.size() + 1);
    QCOMPARE(sandbox.cohortMembers(1), members);

    // The sync read the Mixpanel cohort's count back for the drift rule.
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(m_workspace);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(
            QStringLiteral("SELECT mixpanel_count FROM size_points ORDER BY run_id DESC LIMIT 1")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), qint64(members.size()));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

void TestCliFeatures::eventsAreSentOnceWithStableInsertIds()
{
    SandboxProcess sandbox(scenario(2500));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping({QStringLiteral("--events")}).isEmpty());
    sandbox.resetStats();
    Cli first =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                 secrets(sandbox));
    QCOMPARE(first.exitCode, 0);
    QJsonObject imp = sandbox.stats().value(QStringLiteral("import")).toObject();
    QCOMPARE(imp.value(QStringLiteral("imported")).toInt(), 2500);

    // The segment churns; a fault garbles the first /import reply after it was applied,
    // so that batch is sent again by the next run: Mixpanel must deduplicate it.
    sandbox.tick();
    sandbox.resetStats();
    sandbox.setFaults(QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.import")},
                                             {QStringLiteral("malformed"), true},
                                             {QStringLiteral("count"), 1}}});
    Cli second =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                 secrets(sandbox));
    QCOMPARE(second.exitCode, 1); // the garbled batch counts as not acknowledged
    sandbox.clearFaults();
    Cli third =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                 secrets(sandbox));
    QCOMPARE(third.exitCode, 0);
    imp = sandbox.stats().value(QStringLiteral("import")).toObject();
    const QJsonObject r2 = QJsonDocument::fromJson(second.out).array()[0].toObject();
    const int changes = int(r2.value(QStringLiteral("entered")).toInteger() +
                            r2.value(QStringLiteral("exited")).toInteger());
    QVERIFY(changes > 0);
    QVERIFY2(imp.value(QStringLiteral("deduplicated")).toInt() > 0,
             "the resent events were not deduplicated");
    QCOMPARE(imp.value(QStringLiteral("imported")).toInt() -
                 imp.value(QStringLiteral("deduplicated")).toInt(),
             changes);
    QCOMPARE(sandbox.cohortMembers(1), sandbox.segmentMemberKeys(1, QStringLiteral("cio_id")));
}

void TestCliFeatures::repeatedAuthFailuresPauseWithAnAlert()
{
    SandboxProcess sandbox(scenario(500));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    const QString id = addMapping();
    QProcessEnvironment env = secrets(sandbox);
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), QStringLiteral("revoked-token"));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, env).exitCode, 3);

    const Cli list =
        lockstep({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY(QJsonDocument::fromJson(list.out)
                .array()[0]
                .toObject()
                .value(QStringLiteral("paused"))
                .toBool());
    const Cli status = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    QCOMPARE(status.exitCode, 1);
    const QJsonArray alerts =
        QJsonDocument::fromJson(status.out).object().value(QStringLiteral("alerts")).toArray();
    bool paused = false;
    for (const QJsonValue& a : alerts)
        paused |=
            a.toObject().value(QStringLiteral("rule")).toString() == QLatin1String("sync_paused");
    QVERIFY2(paused, status.out.constData());
    // A paused mapping is left out of --all.
    sandbox.resetStats();
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode,
             0);
    QCOMPARE(sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInt(),
             0);
}

void TestCliFeatures::tokenOfAnotherProjectExitsWithThree()
{
    // Existing profiles too: a check of profiles alone would pass them.
    SandboxProcess sandbox(scenario(400, 1.0));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    const QString id = addMapping();
    QVERIFY(!id.isEmpty());
    QProcessEnvironment env = secrets(sandbox);
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), kOtherToken);
    sandbox.resetStats();
    const Cli sync =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, env);
    QCOMPARE(sync.exitCode, 3);
    const QJsonArray runs = QJsonDocument::fromJson(sync.out).array();
    QCOMPARE(runs.size(), 1);
    const QJsonObject run = runs[0].toObject();
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(run.value(QStringLiteral("error")).toString(), QStringLiteral("auth"));
    const QString message = run.value(QStringLiteral("message")).toString();
    QVERIFY2(
        message.startsWith(QStringLiteral("the project token does not write to project %1 (waited ")
                               .arg(sandbox.projectId())),
        qPrintable(message));
    QVERIFY(run.value(QStringLiteral("run_id")).toInteger() > 0); // recorded, as failed
    // Nothing but the probe reached Mixpanel (its write and its $delete, both dropped), and
    // it read back at most four times.
    const QJsonObject stats = sandbox.stats();
    const QJsonObject engage = stats.value(QStringLiteral("engage")).toObject();
    QCOMPARE(engage.value(QStringLiteral("updates")).toInt(), 2);
    QCOMPARE(engage.value(QStringLiteral("dropped")).toInt(), 2);
    QCOMPARE(stats.value(QStringLiteral("routes"))
                 .toObject()
                 .value(QStringLiteral("mp.query.engage"))
                 .toObject()
                 .value(QStringLiteral("requests"))
                 .toInt(),
             4);
    QVERIFY(
        sandbox
            .profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("CIO | Winback | 45-60d"))
            .isEmpty());
    QVERIFY(!sync.out.contains(kOtherToken.toUtf8()) && !sync.err.contains(kOtherToken.toUtf8()));

    // Run again at once: refused from what the workspace remembers, without probing.
    sandbox.resetStats();
    const Cli again = lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, env);
    QCOMPARE(again.exitCode, 3);
    QVERIFY2(again.out.contains("does not write to project"), again.out.constData());
    QCOMPARE(sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInt(),
             0);

    // No run of that token is recorded as succeeded.
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("runs"));
        db.setDatabaseName(m_workspace);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT status, error_category, message FROM runs")));
        int n = 0;
        while (q.next()) {
            ++n;
            QCOMPARE(q.value(0).toString(), QStringLiteral("failed"));
            QCOMPARE(q.value(1).toString(), QStringLiteral("auth"));
            QVERIFY(q.value(2).toString().contains(QStringLiteral("does not write to project")));
        }
        QCOMPARE(n, 2);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("runs"));

    // The right token is proven and syncs.
    const Cli right =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                 secrets(sandbox));
    QVERIFY2(right.exitCode == 0, right.out.constData());
    QCOMPARE(sandbox.cohortMembers(1), sandbox.segmentMemberKeys(1, QStringLiteral("cio_id")));
}

void TestCliFeatures::provenTokenIsRememberedNotStored()
{
    SandboxProcess sandbox(scenario(300));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping().isEmpty());
    sandbox.resetStats();
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode,
             0);
    auto probeReads = [&sandbox] {
        return sandbox.stats()
            .value(QStringLiteral("routes"))
            .toObject()
            .value(QStringLiteral("mp.query.engage"))
            .toObject()
            .value(QStringLiteral("requests"))
            .toInt();
    };
    // The probe's one read; then, as a first sync is a full resync, the holders' listing
    // and the entry check.
    QCOMPARE(probeReads(), 3);
    const QString stored = setting(QStringLiteral("mixpanel_token_proven"));
    QCOMPARE(stored,
             lockstep::TokenProbe::fingerprint(sandbox.projectToken(), sandbox.projectId()));
    QVERIFY(!stored.contains(sandbox.projectToken()));
    QFile file(m_workspace);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(sandbox.projectToken().toUtf8()));

    // Proven once: the next sync does not probe.
    sandbox.tick();
    sandbox.resetStats();
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all"),
                       QStringLiteral("--verify-sample"), QStringLiteral("0")},
                      secrets(sandbox))
                 .exitCode,
             0);
    QCOMPARE(probeReads(), 0);
    // Another project id: probed again. The sandbox's service account may not read that
    // project (403), so the token is not proven there: the sync goes ahead and says so.
    QCOMPARE(lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                       sandbox.customerIo().toString(), QStringLiteral("--mixpanel-url"),
                       sandbox.mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                       sandbox.mixpanelQuery().toString(), QStringLiteral("--project-id"),
                       QString::number(sandbox.projectId() + 1)})
                 .exitCode,
             0);
    sandbox.resetStats();
    const Cli other =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")},
                 secrets(sandbox));
    QCOMPARE(other.exitCode, 0);
    QVERIFY(probeReads() >= 1);
    const QString message = QJsonDocument::fromJson(other.out)
                                .array()[0]
                                .toObject()
                                .value(QStringLiteral("message"))
                                .toString();
    QVERIFY2(message.contains(QStringLiteral("the project token is not proven")),
             qPrintable(message));
    QCOMPARE(setting(QStringLiteral("mixpanel_token_proven")), stored);
}

void TestCliFeatures::entryCheckCatchesAWrongTokenOnItsOwn()
{
    // Everyone already has a profile the app made; the workspace believes the wrong token
    // proven (as if the probe had been passed), so only the entry check can tell.
    SandboxProcess sandbox(scenario(300, 1.0));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping().isEmpty());
    setSetting(QStringLiteral("mixpanel_token_proven"),
               lockstep::TokenProbe::fingerprint(kOtherToken, sandbox.projectId()));
    QProcessEnvironment env = secrets(sandbox);
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), kOtherToken);
    sandbox.resetStats();
    const Cli sync =
        lockstep({QStringLiteral("sync"), QStringLiteral("--all"), QStringLiteral("--json")}, env);
    // Mixpanel answered 1 to every batch: the run itself cannot know.
    QCOMPARE(sync.exitCode, 0);
    const QJsonObject run = QJsonDocument::fromJson(sync.out).array()[0].toObject();
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), 300);
    QCOMPARE(sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("dropped"))
                 .toInt(),
             300);
    const QJsonObject v = run.value(QStringLiteral("verification")).toObject();
    QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("verified"));
    QCOMPARE(v.value(QStringLiteral("verified")).toInteger(), 300);
    // Every profile exists, none carries the value: all value_missing, none unknown.
    QCOMPARE(v.value(QStringLiteral("value_missing")).toInteger(), 300);
    QCOMPARE(v.value(QStringLiteral("unknown_to_mixpanel")).toInteger(), 0);
    QVERIFY2(run.value(QStringLiteral("message"))
                 .toString()
                 .contains(QStringLiteral("may write to another project")),
             qPrintable(run.value(QStringLiteral("message")).toString()));
    // Recorded per key, with its reason.
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("mismatches"));
        db.setDatabaseName(m_workspace);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(
            q.exec(QStringLiteral("SELECT COUNT(*) FROM mismatches WHERE reason='value_missing'")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 300);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("mismatches"));

    // With the right token (proven by its own probe), the value lands and nothing is missing.
    const Cli right = lockstep({QStringLiteral("sync"), QStringLiteral("--all"),
                                QStringLiteral("--full"), QStringLiteral("--json")},
                               secrets(sandbox));
    QCOMPARE(right.exitCode, 0);
    const QJsonObject v2 = QJsonDocument::fromJson(right.out)
                               .array()[0]
                               .toObject()
                               .value(QStringLiteral("verification"))
                               .toObject();
    QCOMPARE(v2.value(QStringLiteral("value_missing")).toInteger(), 0);
    QCOMPARE(v2.value(QStringLiteral("unknown_to_mixpanel")).toInteger(), 0);
}

void TestCliFeatures::auditExports_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("mustContain");
    QTest::newRow("csv") << "csv" << QByteArray("'=HYPERLINK");
    QTest::newRow("json") << "json" << QByteArray("\"findings\"");
    QTest::newRow("md") << "md" << QByteArray("|");
}

void TestCliFeatures::auditExports()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, mustContain);
    QVERIFY(lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                      QStringLiteral("1"), QStringLiteral("--cohort"),
                      QStringLiteral("=HYPERLINK(\"http://x\")"), QStringLiteral("--identity"),
                      QStringLiteral("email")})
                .exitCode == 0);
    QVERIFY(lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                      QStringLiteral("2"), QStringLiteral("--cohort"),
                      QStringLiteral("CIO | Winback | 45-60d"), QStringLiteral("--identity"),
                      QStringLiteral("email")})
                .exitCode == 0);
    const QString file = m_dir->filePath(QStringLiteral("audit.") + format);
    const Cli c = lockstep({QStringLiteral("audit"), QStringLiteral("--format"), format,
                            QStringLiteral("--output"), file});
    QCOMPARE(c.exitCode, 0);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY2(bytes.contains(mustContain), bytes.left(400).constData());
    if (format == QLatin1String("csv"))
        QVERIFY2(!bytes.contains("\n=HYPERLINK") && !bytes.contains(",=HYPERLINK"),
                 "formula not neutralised");
    // --fail-on error turns findings into exit code 1 for CI use.
    QCOMPARE(lockstep({QStringLiteral("audit"), QStringLiteral("--format"), format,
                       QStringLiteral("--fail-on"), QStringLiteral("error")})
                 .exitCode,
             1);
    QCOMPARE(lockstep({QStringLiteral("audit"), QStringLiteral("--format"), QStringLiteral("xml")})
                 .exitCode,
             2);
}

void TestCliFeatures::runnerStopsCleanlyOnSigterm()
{
    SandboxProcess sandbox(scenario(60000));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    connectTo(sandbox);
    QVERIFY(!addMapping({QStringLiteral("--schedule"), QStringLiteral("1")}).isEmpty());

    QProcess runner;
    QProcessEnvironment env = secrets(sandbox);
    env.insert(QStringLiteral("LOCKSTEP_SEND_CONCURRENCY"), QStringLiteral("1"));
    runner.setProcessEnvironment(env);
    runner.start(QStringLiteral(LOCKSTEP_BIN),
                 {QStringLiteral("--workspace"), m_workspace, QStringLiteral("run"),
                  QStringLiteral("--check-every"), QStringLiteral("1")});
    QVERIFY(runner.waitForStarted());
    // Wait until it is sending the mapping's batches (not the token probe's $set and
    // $delete before them), then ask it to stop.
    QTRY_VERIFY_WITH_TIMEOUT(sandbox.stats()
                                     .value(QStringLiteral("engage"))
                                     .toObject()
                                     .value(QStringLiteral("operators"))
                                     .toObject()
                                     .value(QStringLiteral("$union"))
                                     .toInt() > 0,
                             30000);
    ::kill(pid_t(runner.processId()), SIGTERM);
    QVERIFY(runner.waitForFinished(30000));
    QCOMPARE(runner.exitStatus(), QProcess::NormalExit);
    QCOMPARE(runner.exitCode(), 0);
    const QByteArray log = runner.readAllStandardError();
    QVERIFY2(log.contains("<6>lockstep.runner: stopping on signal"), log.constData());

    // The run was recorded (not left "running"), and what it sent is acknowledged.
    const Cli status = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject m = QJsonDocument::fromJson(status.out)
                              .object()
                              .value(QStringLiteral("mappings"))
                              .toArray()[0]
                              .toObject();
    const QString last =
        m.value(QStringLiteral("last_run")).toObject().value(QStringLiteral("status")).toString();
    QVERIFY2(last == QLatin1String("cancelled") || last == QLatin1String("succeeded"),
             qPrintable(last));
    QCOMPARE(m.value(QStringLiteral("synced_count")).toInteger(),
             qint64(sandbox
                        .profilesWith(QStringLiteral("cio_cohorts"),
                                      QStringLiteral("CIO | Winback | 45-60d"))
                        .size()));
    // Not due again within its one-minute schedule: a one-shot pass does nothing...
    QCOMPARE(lockstep({QStringLiteral("run"), QStringLiteral("--once")}, secrets(sandbox)).exitCode,
             0);
    // ...and the next sync finishes the job.
    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--all")}, secrets(sandbox)).exitCode,
             0);
    QCOMPARE(sandbox.cohortMembers(1), sandbox.segmentMemberKeys(1, QStringLiteral("cio_id")));
}

QTEST_GUILESS_MAIN(TestCliFeatures)
#include "tst_cli_features.moc"
