// The failure matrix: each fault the sandbox can inject, in each phase of a run
// (reading the segment, sending to Mixpanel). Every row asserts what the first run did
// (retried and succeeded, or recorded the error) and that a later run converges.
// Runs on both stores: tst_failures on SQLite, tst_failures_pg on PostgreSQL (tests/pg).
#include "sandboxprocess.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {
const QString kCohort = QStringLiteral("CIO | Faults | 30d");

struct Cli
{
    int exitCode = -1;
    QJsonObject run; // the first run object of `sync --json`
    QByteArray err;
};
} // namespace

class TestFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void faultMatrix_data();
    void faultMatrix();

private:
    Cli sync();
    int routeStatusCount(const QString& route, const QString& status);

    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
    QString m_workspace;
    int m_case = 0;
};

void TestFailures::initTestCase()
{
    m_sandbox = std::make_unique<SandboxProcess>(QJsonObject{
        {QStringLiteral("seed"), 3},
        {QStringLiteral("mixpanel"),
         QJsonObject{
             {QStringLiteral("cohorts"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                     {QStringLiteral("name"), QStringLiteral("Faults")},
                                     {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                     {QStringLiteral("value"), kCohort}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 9000}}},
        {QStringLiteral("segments"),
         QJsonArray{
             QJsonObject{{QStringLiteral("id"), 1},
                         {QStringLiteral("name"), QStringLiteral("Faulty")},
                         {QStringLiteral("size"), 5000},
                         {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), 400},
                                                               {QStringLiteral("exited"), 300}}}}}},
    });
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
}

void TestFailures::init()
{
    // One workspace for all rows, as an operator's would be: each row starts where the
    // previous one converged.
    m_sandbox->clearFaults();
    m_sandbox->tick(); // each row starts from a moved segment
    m_sandbox->resetStats();
    if (m_case++ > 0)
        return;
    m_workspace = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!m_workspace.isEmpty());
    QProcess p;
    p.start(QStringLiteral(LOCKSTEP_BIN),
            {QStringLiteral("--workspace"), m_workspace, QStringLiteral("connect"),
             QStringLiteral("--customerio-url"), m_sandbox->customerIo().toString(),
             QStringLiteral("--mixpanel-url"), m_sandbox->mixpanel().toString(),
             QStringLiteral("--mixpanel-query-url"), m_sandbox->mixpanelQuery().toString(),
             QStringLiteral("--project-id"), QString::number(m_sandbox->projectId())});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 0);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            {QStringLiteral("--workspace"), m_workspace, QStringLiteral("mapping"),
             QStringLiteral("add"), QStringLiteral("--segment"), QStringLiteral("1"),
             QStringLiteral("--cohort"), kCohort, QStringLiteral("--identity"),
             QStringLiteral("email")});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 0);
    // The first sync proves the project token (TokenProbe) before the rows inject faults:
    // the probe's own requests would otherwise absorb a row's fault and count with the run's.
    const Cli first = sync();
    QCOMPARE(first.exitCode, 0);
    m_sandbox->tick();
    m_sandbox->resetStats();
}

Cli TestFailures::sync()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_PAGE_SIZE"), QStringLiteral("1000")); // several pages
    env.insert(QStringLiteral("LOCKSTEP_HTTP_TIMEOUT_MS"),
               QStringLiteral("1500"));                                         // hangs end soon
    env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.02")); // short backoff
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            {QStringLiteral("--workspace"), m_workspace, QStringLiteral("sync"),
             QStringLiteral("--all"), QStringLiteral("--json")});
    Cli c;
    if (!p.waitForFinished(180000))
        return c;
    c.exitCode = p.exitCode();
    c.err = p.readAllStandardError();
    const QJsonArray runs = QJsonDocument::fromJson(p.readAllStandardOutput()).array();
    if (!runs.isEmpty())
        c.run = runs[0].toObject();
    return c;
}

int TestFailures::routeStatusCount(const QString& route, const QString& status)
{
    return m_sandbox->stats()
        .value(QStringLiteral("routes"))
        .toObject()
        .value(route)
        .toObject()
        .value(QStringLiteral("statuses"))
        .toObject()
        .value(status)
        .toInt();
}

void TestFailures::faultMatrix_data()
{
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<QString>("firstStatus"); // status of the first run
    QTest::addColumn<QString>("firstError");  // its error category, "" when none
    QTest::addColumn<int>("firstExit");
    QTest::addColumn<bool>("retried"); // the first run made more requests than needed

    auto rule = [](const char* route, QJsonObject more) {
        more.insert(QStringLiteral("route"), QLatin1String(route));
        return more;
    };
    const auto n = [](int c) { return QJsonObject{{QStringLiteral("count"), c}}; };
    auto with = [](QJsonObject o, const char* k, const QJsonValue& v) {
        o.insert(QLatin1String(k), v);
        return o;
    };

    // Reading the segment.
    QTest::newRow("paging 503 x2")
        << rule("cio.membership", with(n(2), "status", 503)) << "succeeded"
        << "" << 0 << true;
    QTest::newRow("paging 429 Retry-After")
        << rule("cio.membership", with(with(n(2), "status", 429), "retry_after", 1)) << "succeeded"
        << "" << 0 << true;
    QTest::newRow("paging reset") << rule("cio.membership", with(n(2), "reset", true))
                                  << "succeeded"
                                  << "" << 0 << true;
    QTest::newRow("paging hang") << rule("cio.membership", with(n(1), "hang", true)) << "succeeded"
                                 << "" << 0 << true;
    QTest::newRow("paging truncated")
        << rule("cio.membership", with(n(1), "truncate", true)) << "succeeded"
        << "" << 0 << false;
    QTest::newRow("paging latency")
        << rule("cio.membership", with(n(3), "latency_ms", 300)) << "succeeded"
        << "" << 0 << false;
    QTest::newRow("paging malformed")
        << rule("cio.membership", with(n(1), "malformed", true)) << "failed"
        << "protocol" << 1 << false;
    QTest::newRow("paging 400") << rule("cio.membership", with(n(1), "status", 400)) << "failed"
                                << "bad_request" << 1 << false;
    QTest::newRow("paging 401") << rule("cio.membership", with(n(1), "status", 401)) << "failed"
                                << "auth" << 3 << false;
    QTest::newRow("segment 404") << rule("cio.segment", with(n(1), "status", 404)) << "failed"
                                 << "not_found" << 2 << false;
    // Sending to Mixpanel.
    QTest::newRow("engage 503 x3") << rule("mp.engage", with(n(3), "status", 503)) << "succeeded"
                                   << "" << 0 << true;
    QTest::newRow("engage 429 Retry-After")
        << rule("mp.engage", with(with(n(3), "status", 429), "retry_after", 1)) << "succeeded"
        << "" << 0 << true;
    QTest::newRow("engage reset") << rule("mp.engage", with(n(2), "reset", true)) << "succeeded"
                                  << "" << 0 << true;
    QTest::newRow("engage hang") << rule("mp.engage", with(n(1), "hang", true)) << "succeeded"
                                 << "" << 0 << true;
    // A truncated reply was processed (the sandbox logs a 200) and retried: the attempts
    // equal the 200s, and convergence shows the retry was harmless.
    QTest::newRow("engage truncated (applied, reply lost)")
        << rule("mp.engage", with(n(2), "truncate", true)) << "succeeded"
        << "" << 0 << false;
    QTest::newRow("engage malformed (applied, reply garbled)")
        << rule("mp.engage", with(n(1), "malformed", true)) << "partial"
        << "protocol" << 1 << false;
    QTest::newRow("engage 400 never retried")
        << rule("mp.engage", with(n(1), "status", 400)) << "partial"
        << "bad_request" << 1 << false;
    QTest::newRow("engage 401 stops sending")
        << rule("mp.engage", with(n(1000), "status", 401)) << "failed"
        << "auth" << 3 << false;
    QTest::newRow("429 storm everywhere")
        << rule("*", with(with(n(8), "status", 429), "retry_after", 1)) << "succeeded"
        << "" << 0 << true;
}

void TestFailures::faultMatrix()
{
    QFETCH(QJsonObject, fault);
    QFETCH(QString, firstStatus);
    QFETCH(QString, firstError);
    QFETCH(int, firstExit);
    QFETCH(bool, retried);

    m_sandbox->setFaults(QJsonArray{fault});
    const Cli first = sync();
    QVERIFY2(first.exitCode >= 0, "the sync did not finish");
    QCOMPARE(first.run.value(QStringLiteral("status")).toString(), firstStatus);
    QCOMPARE(first.run.value(QStringLiteral("error")).toString(), firstError);
    QCOMPARE(first.exitCode, firstExit);
    if (!firstError.isEmpty())
        QVERIFY2(!first.run.value(QStringLiteral("message")).toString().isEmpty(),
                 "no message for the operator");
    // A reset on a reused keep-alive connection may be resent by Qt's HTTP layer itself,
    // below the scheduler, so only convergence says anything for those rows.
    const bool transparentResend = fault.value(QStringLiteral("reset")).toBool();
    if (firstStatus == QLatin1String("succeeded") && !transparentResend) {
        // The run counts every attempt; the sandbox counts the ones that succeeded.
        int answered = 0;
        const QJsonObject routes = m_sandbox->stats().value(QStringLiteral("routes")).toObject();
        for (const QString& route : routes.keys())
            answered += routes.value(route)
                            .toObject()
                            .value(QStringLiteral("statuses"))
                            .toObject()
                            .value(QStringLiteral("200"))
                            .toInt();
        const int apiCalls = first.run.value(QStringLiteral("api_calls")).toInt();
        if (retried)
            QVERIFY2(apiCalls > answered,
                     qPrintable(
                         QStringLiteral("api calls %1, answered %2").arg(apiCalls).arg(answered)));
        else
            QCOMPARE(apiCalls, answered);
    }
    if (fault.value(QStringLiteral("status")).toInt() == 400) // never retried
        QCOMPARE(routeStatusCount(fault.value(QStringLiteral("route")).toString(),
                                  QStringLiteral("400")),
                 1);
    if (fault.value(QStringLiteral("status")).toInt() == 429 &&
        firstStatus == QLatin1String("succeeded"))
        QVERIFY(first.run.value(QStringLiteral("api_calls")).toInt() > 0);

    // The faults go away; the next run converges.
    m_sandbox->clearFaults();
    const Cli second = sync();
    QCOMPARE(second.exitCode, 0);
    QCOMPARE(second.run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), kCohort),
             m_sandbox->segmentMemberKeys(1, QStringLiteral("email")));
}

QTEST_GUILESS_MAIN(TestFailures)
#include "tst_failures.moc"
