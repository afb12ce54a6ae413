// Real-world first contact, through the lockstep CLI against the sandbox:
//  - every reading of what Customer.io leaves undocumented (cursor encoding, page order,
//    where "next" sits, the last page's "next") syncs the segment exactly, and the next
//    incremental runs converge;
//  - a query API 429 without Retry-After (Mixpanel's documented answer) spends the hour's
//    budget: the sync still succeeds, the verification is skipped with a note, nothing is
//    retried, and the next sync sends no query at all.
#include "clirunner.h"
#include "sandboxprocess.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {

using CliResult = lockstep::test::CliRun;

QJsonObject scenario(const QJsonObject& customerIo, const QJsonObject& mixpanelExtra = {},
                     const QString& segmentType = QStringLiteral("dynamic"))
{
    QJsonObject cio = customerIo;
    cio.insert(QStringLiteral("app_api_key"), QStringLiteral("cio-key-variants"));
    QJsonObject mp{
        {QStringLiteral("project_token"), QStringLiteral("mp-token-variants")},
        {QStringLiteral("project_id"), 5151},
        {QStringLiteral("service_account"), QStringLiteral("sa-v:secret-v")},
        {QStringLiteral("cohorts"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                {QStringLiteral("name"), QStringLiteral("CIO | Lapsed | 30d")},
                                {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                {QStringLiteral("value"), QStringLiteral("CIO | Lapsed | 30d")}}}}};
    for (auto it = mixpanelExtra.begin(); it != mixpanelExtra.end(); ++it)
        mp.insert(it.key(), it.value());
    return QJsonObject{
        {QStringLiteral("seed"), 99},
        {QStringLiteral("customerio"), cio},
        {QStringLiteral("mixpanel"), mp},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 3000}}},
        {QStringLiteral("segments"),
         QJsonArray{
             QJsonObject{{QStringLiteral("id"), 11},
                         {QStringLiteral("name"), QStringLiteral("Lapsed 30 days")},
                         {QStringLiteral("type"), segmentType},
                         {QStringLiteral("size"), 1100},
                         {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), 60},
                                                               {QStringLiteral("exited"), 45}}}}}},
    };
}

class Cli
{
public:
    explicit Cli(SandboxProcess& sandbox) : m_sandbox(sandbox) {}

    bool init()
    {
        if (!m_dir.isValid())
            return false;
        m_workspace = TestDatabase::freshWorkspace(m_dir.path());
        return !m_workspace.isEmpty();
    }

    CliResult run(const QStringList& args, bool withSecrets = true)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (withSecrets) {
            env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox.appApiKey());
            env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox.projectToken());
            env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"),
                       m_sandbox.serviceAccount());
        }
        // Small pages, so that every run follows several cursors.
        env.insert(QStringLiteral("LOCKSTEP_PAGE_SIZE"), QStringLiteral("200"));
        return lockstep::test::runCli(m_workspace, args, env);
    }

    // connect + mapping add; the mapping id, or "" on failure (with the reason in `why`).
    QString setUp(QString* why)
    {
        CliResult c = run({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                           m_sandbox.customerIo().toString(), QStringLiteral("--mixpanel-url"),
                           m_sandbox.mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                           m_sandbox.mixpanelQuery().toString(), QStringLiteral("--project-id"),
                           QString::number(m_sandbox.projectId())},
                          false);
        if (c.exitCode != 0) {
            *why = QString::fromUtf8(c.err);
            return {};
        }
        c = run({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                 QStringLiteral("11"), QStringLiteral("--cohort"),
                 QStringLiteral("CIO | Lapsed | 30d"), QStringLiteral("--identity"),
                 QStringLiteral("cio_id")},
                false);
        if (c.exitCode != 0) {
            *why = QString::fromUtf8(c.err);
            return {};
        }
        return QString::fromUtf8(c.out).trimmed();
    }

    // One sync of the mapping; its run object (empty on failure, with `why`).
    QJsonObject sync(const QString& mappingId, QString* why, const QStringList& extra = {})
    {
        const CliResult r = run(QStringList{QStringLiteral("sync"), QStringLiteral("--mapping"),
                                            mappingId, QStringLiteral("--json")} +
                                extra);
        if (r.exitCode != 0) {
            *why = QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err));
            return {};
        }
        return QJsonDocument::fromJson(r.out).array().at(0).toObject();
    }

private:
    SandboxProcess& m_sandbox;
    QTemporaryDir m_dir;
    QString m_workspace;
};

int routeCount(const QJsonObject& stats, const QString& route, const QString& status = {})
{
    const QJsonObject r = stats.value(QStringLiteral("routes")).toObject().value(route).toObject();
    if (status.isEmpty())
        return r.value(QStringLiteral("requests")).toInt();
    return r.value(QStringLiteral("statuses")).toObject().value(status).toInt();
}

} // namespace

class TestCliVariants : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyReadingSyncsAndConverges_data();
    void everyReadingSyncsAndConverges();
    void queryBudgetSpentIsNotRetried_data();
    void queryBudgetSpentIsNotRetried();
};

void TestCliVariants::everyReadingSyncsAndConverges_data()
{
    QTest::addColumn<QJsonObject>("customerIo");
    QTest::addColumn<QString>("segmentType");
    auto variant = [](const char* encoding, const char* order, const char* position,
                      const char* last) {
        return QJsonObject{{QStringLiteral("cursor_encoding"), QLatin1StringView(encoding)},
                           {QStringLiteral("page_order"), QLatin1StringView(order)},
                           {QStringLiteral("next_position"), QLatin1StringView(position)},
                           {QStringLiteral("last_page_next"), QLatin1StringView(last)}};
    };
    // Every value of every detail appears at least once, and each with both encodings.
    QTest::newRow("base64url, ascending, last, absent")
        << variant("base64url", "ascending", "last", "absent") << QStringLiteral("dynamic");
    QTest::newRow("base64, shuffled, first, null")
        << variant("base64", "shuffled", "first", "null") << QStringLiteral("dynamic");
    QTest::newRow("base64, ascending, first, empty")
        << variant("base64", "ascending", "first", "empty") << QStringLiteral("dynamic");
    QTest::newRow("base64url, shuffled, last, empty")
        << variant("base64url", "shuffled", "last", "empty") << QStringLiteral("dynamic");
    QTest::newRow("base64, shuffled, last, absent")
        << variant("base64", "shuffled", "last", "absent") << QStringLiteral("dynamic");
    QTest::newRow("base64url, ascending, first, null")
        << variant("base64url", "ascending", "first", "null") << QStringLiteral("dynamic");
    // A manual segment as the reference shows it (state "events", progress null): ready.
    QTest::newRow("manual segment, base64, shuffled")
        << variant("base64", "shuffled", "first", "empty") << QStringLiteral("manual");
}

void TestCliVariants::everyReadingSyncsAndConverges()
{
    QFETCH(QJsonObject, customerIo);
    QFETCH(QString, segmentType);
    SandboxProcess sandbox(scenario(customerIo, {}, segmentType));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    const QJsonObject info = sandbox.control("GET", QStringLiteral("/_sandbox/info")).toObject();
    for (auto it = customerIo.begin(); it != customerIo.end(); ++it)
        QCOMPARE(info.value(it.key()).toString(), it.value().toString()); // the variant is served
    Cli cli(sandbox);
    QVERIFY(cli.init());
    QString why;
    const QString mappingId = cli.setUp(&why);
    QVERIFY2(!mappingId.isEmpty(), qPrintable(why));

    // First sync: the cohort is the segment.
    const QStringList before = sandbox.segmentMemberKeys(11, QStringLiteral("cio_id"));
    QCOMPARE(before.size(), 1100);
    sandbox.resetStats();
    QJsonObject run = cli.sync(mappingId, &why);
    QVERIFY2(!run.isEmpty(), qPrintable(why));
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), 1100);
    QCOMPARE(run.value(QStringLiteral("segment_count")).toInteger(), 1100);
    QCOMPARE(sandbox.cohortMembers(1), before);
    // 1100 members in pages of 200: six pages, each cursor followed once, no refusals.
    QJsonObject stats = sandbox.stats();
    QCOMPARE(routeCount(stats, QStringLiteral("cio.membership")), 6);
    QCOMPARE(routeCount(stats, QStringLiteral("cio.membership"), QStringLiteral("200")), 6);

    // Churn: the incremental run sends exactly the changes and the cohort follows.
    sandbox.tick();
    const QStringList after = sandbox.segmentMemberKeys(11, QStringLiteral("cio_id"));
    const QSet<QString> b(before.begin(), before.end()), a(after.begin(), after.end());
    sandbox.resetStats();
    run = cli.sync(mappingId, &why);
    QVERIFY2(!run.isEmpty(), qPrintable(why));
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), (a - b).size());
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), (b - a).size());
    QCOMPARE(sandbox.cohortMembers(1), after);

    // Converged: nothing changed, nothing sent.
    sandbox.resetStats();
    run = cli.sync(mappingId, &why, {QStringLiteral("--verify-sample"), QStringLiteral("0")});
    QVERIFY2(!run.isEmpty(), qPrintable(why));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), 0);
    QCOMPARE(run.value(QStringLiteral("exited")).toInteger(), 0);
    QCOMPARE(run.value(QStringLiteral("unchanged")).toInteger(), qint64(after.size()));
    QCOMPARE(sandbox.stats()
                 .value(QStringLiteral("engage"))
                 .toObject()
                 .value(QStringLiteral("updates"))
                 .toInteger(),
             0);
}

void TestCliVariants::queryBudgetSpentIsNotRetried_data()
{
    // Before the first run the token probe reads its value back (one query); the run is a
    // full resync: it lists the profiles holding the cohort (one query), then verifies a
    // sample of the entered keys (one query).
    QTest::addColumn<int>("perHour");
    QTest::addColumn<int>("engageQueries");
    QTest::addColumn<QString>("note"); // what the verification says
    // The listing's 429 leaves the entry check nothing to spend; the entry check's own 429
    // is named as such.
    QTest::newRow("the listing meets the 429")
        << 2 << 2 << QStringLiteral("0 of 60 queries left this hour");
    QTest::newRow("the entry check meets the 429")
        << 3 << 3 << QStringLiteral("query budget for this hour is spent");
}

void TestCliVariants::queryBudgetSpentIsNotRetried()
{
    QFETCH(int, perHour);
    QFETCH(int, engageQueries);
    QFETCH(QString, note);
    // Another tool of the project has used one query of the hour's perHour.
    SandboxProcess sandbox(
        scenario({}, QJsonObject{{QStringLiteral("query_limit_per_hour"), perHour}}));
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    QUrl list = sandbox.mixpanelQuery();
    list.setPath(list.path() + QStringLiteral("/cohorts/list"));
    list.setQuery(QStringLiteral("project_id=%1").arg(sandbox.projectId()));
    const QList<QPair<QByteArray, QByteArray>> auth{
        {"Authorization", "Basic " + sandbox.serviceAccount().toUtf8().toBase64()}};
    QCOMPARE(SandboxProcess::request("POST", list, {}, auth).status, 200);
    Cli cli(sandbox);
    QVERIFY(cli.init());
    QString why;
    const QString mappingId = cli.setUp(&why);
    QVERIFY2(!mappingId.isEmpty(), qPrintable(why));
    sandbox.resetStats();
    QElapsedTimer took;
    took.start();
    QJsonObject run = cli.sync(mappingId, &why);
    QVERIFY2(!run.isEmpty(), qPrintable(why));
    QVERIFY2(took.elapsed() < 60000, "the sync waited on the query budget");
    QJsonObject stats = sandbox.stats(); // before cohortMembers(), whose queries are logged too
    // The sync stands; the verification is skipped and says why.
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(run.value(QStringLiteral("entered")).toInteger(), 1100);
    QCOMPARE(sandbox.cohortMembers(1), sandbox.segmentMemberKeys(11, QStringLiteral("cio_id")));
    const QJsonObject verification = run.value(QStringLiteral("verification")).toObject();
    QCOMPARE(verification.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
    QVERIFY2(verification.value(QStringLiteral("note")).toString().contains(note),
             qPrintable(verification.value(QStringLiteral("note")).toString()));
    // The cohort counts were not read back either, and the run says so.
    QVERIFY2(
        run.value(QStringLiteral("message")).toString().contains(QStringLiteral("not read back")),
        qPrintable(run.value(QStringLiteral("message")).toString()));
    // The query that met the 429 was asked once: no retry loop; what came after it (the
    // entry check, the read-back) was not even sent.
    QCOMPARE(routeCount(stats, QStringLiteral("mp.query.engage")), engageQueries);
    QCOMPARE(routeCount(stats, QStringLiteral("mp.query.engage"), QStringLiteral("429")), 1);
    QCOMPARE(routeCount(stats, QStringLiteral("mp.query.cohorts_list")), 0);

    // Another process on the workspace knows: the next sync asks no query at all.
    sandbox.tick();
    sandbox.resetStats();
    run = cli.sync(mappingId, &why);
    QVERIFY2(!run.isEmpty(), qPrintable(why));
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(run.value(QStringLiteral("verification"))
                 .toObject()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("skipped"));
    stats = sandbox.stats();
    QCOMPARE(routeCount(stats, QStringLiteral("mp.query.engage")) +
                 routeCount(stats, QStringLiteral("mp.query.cohorts_list")),
             0);
}

QTEST_GUILESS_MAIN(TestCliVariants)
#include "tst_cli_variants.moc"
