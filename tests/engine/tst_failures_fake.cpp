// The failure matrix at the engine's level: the real engine (SyncController and its worker
// thread) over a temporary SQLite workspace, its whole network a FakeNetwork scripted per
// row, with a small Customer.io and Mixpanel behind it. Every row asserts what the first
// run did (status, error category, whether the faulted request was sent again and how long
// after) and that the next run, without faults, converges. Milliseconds a row: short
// timeouts and a small backoff scale come from EngineContext::Setup. tst_failures keeps
// the same faults end to end (the CLI against the sandbox over TCP, exit codes included).
#include "fakecustomerio.h"
#include "fakemixpanel.h"
#include "fakenetwork.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using namespace lockstep::test;

Q_DECLARE_METATYPE(lockstep::test::FakeRule)

namespace {
const QString kCohort = QStringLiteral("CIO | Faults | 30d");
constexpr qint64 kSegment = 1;
constexpr int kTimeoutMs = 250; // every request's transfer timeout
constexpr int kSyncWaitMs = 30000;

FakeResponse cioError(int status)
{
    const QJsonObject e{{QStringLiteral("detail"), QStringLiteral("injected %1").arg(status)},
                        {QStringLiteral("status"), QString::number(status)}};
    return FakeResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("errors"), QJsonArray{e}}}));
}

FakeResponse mpError(int status)
{
    return FakeResponse::json(
        status, QJsonDocument(QJsonObject{
                    {QStringLiteral("error"), QStringLiteral("injected %1").arg(status)},
                    {QStringLiteral("status"), QStringLiteral("error")}}));
}

// A membership page whose `next` is the cursor that asked for it: paging that never ends.
FakeResponse pageBackToItself(const FakeRequest& r)
{
    const QJsonObject member{{QStringLiteral("id"), QStringLiteral("x")},
                             {QStringLiteral("email"), QStringLiteral("x@example.com")},
                             {QStringLiteral("cio_id"), QStringLiteral("cx")}};
    const QString start = r.query().queryItemValue(QStringLiteral("start"), QUrl::FullyDecoded);
    return FakeResponse::json(
        200, QJsonDocument(QJsonObject{{QStringLiteral("segment_id"), 1},
                                       {QStringLiteral("ids"), QJsonArray{QStringLiteral("x")}},
                                       {QStringLiteral("identifiers"), QJsonArray{member}},
                                       {QStringLiteral("next"), start}}));
}

// GET /v1/segments/1 while Customer.io still builds it (progress is not null).
FakeResponse buildingSegment()
{
    const QJsonObject segment{{QStringLiteral("id"), 1},
                              {QStringLiteral("name"), QStringLiteral("Faulty")},
                              {QStringLiteral("state"), QStringLiteral("build")},
                              {QStringLiteral("progress"), 40},
                              {QStringLiteral("type"), QStringLiteral("dynamic")}};
    return FakeResponse::json(200,
                              QJsonDocument(QJsonObject{{QStringLiteral("segment"), segment}}));
}

// The earliest repeat of a faulted request (same method, URL and body), in ms after it;
// -1 when none was sent again.
qint64 firstResendGap(const QList<FakeRequest>& requests)
{
    qint64 gap = -1;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const FakeRequest& faulted = requests.at(i);
        if (faulted.rule < 0)
            continue;
        for (qsizetype j = i + 1; j < requests.size(); ++j) {
            const FakeRequest& again = requests.at(j);
            if (again.method == faulted.method && again.url == faulted.url &&
                again.body == faulted.body) {
                const qint64 g = again.atMs - faulted.atMs;
                gap = gap < 0 ? g : std::min(gap, g);
                break;
            }
        }
    }
    return gap;
}

// Qt's coarse timers may fire up to 5% early.
qint64 atLeast(int ms)
{
    return qint64(ms * 0.94);
}
} // namespace

class TestFailuresFake : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void faultMatrix_data();
    void faultMatrix();
    void eventFailures_data();
    void eventFailures();
    void cancelMidRun_data();
    void cancelMidRun();
    void refusedCredentialsStopTheRest();

private:
    // (Re)starts the engine on the workspace with this transfer timeout for every request
    // and this many mappings read at once.
    void startEngine(int requestTimeoutMs, int parallelMappings = 4);
    // Syncs every mapping; the first run's record (status Running if the sync never ended).
    RunRecord sync();
    // Without faults, the next run succeeds and Mixpanel holds exactly the segment.
    void converges();
    // One row of faultMatrix or eventFailures.
    void checkRow();
    void addColumns();

    QTemporaryDir m_dir;
    QString m_workspace;
    std::shared_ptr<FakeScript> m_script = std::make_shared<FakeScript>();
    FakeCustomerIo m_cio;
    FakeMixpanel m_mixpanel;
    std::unique_ptr<EngineContext> m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
};

void TestFailuresFake::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cio.addSegment(kSegment, QStringLiteral("Faulty"), 500);
    m_mixpanel.addCohort(1, kCohort, QStringLiteral("cio_cohorts"), kCohort);
    // Everyone is a profile the product already knows, so the entry check finds them.
    for (const QString& email : m_cio.people(QStringLiteral("email")))
        m_mixpanel.setProfile(email,
                              QJsonObject{{QStringLiteral("$email"), email},
                                          {QStringLiteral("plan"), QStringLiteral("trial")}});
    m_script->addFallback(m_cio.handler());
    m_script->addFallback(m_mixpanel.handler());

    m_workspace = m_dir.filePath(QStringLiteral("workspace.sqlite"));
    {
        auto ws = Workspace::open(m_workspace);
        QVERIFY2(ws, qPrintable(ws.error().toString()));
        ConnectionSettings connection;
        connection.customerIoUrl = m_cio.baseUrl().toString();
        connection.mixpanelUrl = m_mixpanel.ingestionUrl().toString();
        connection.mixpanelQueryUrl = m_mixpanel.queryUrl().toString();
        connection.projectId = m_mixpanel.projectId();
        QVERIFY(SettingsRepository(**ws).setConnection(connection));
        Mapping m;
        m.segmentId = kSegment;
        m.segmentName = QStringLiteral("Faulty");
        m.cohortName = kCohort;
        m.identity = IdentityKey::Email;
        QVERIFY(MappingRepository(**ws).add(m));
    }
    startEngine(kTimeoutMs);
    QVERIFY(m_controller);

    // The first sync proves the project token (a probe profile written, read back through
    // the query API, deleted) before any row injects a fault.
    const RunRecord first = sync();
    QCOMPARE(runStatusName(first.status), QStringLiteral("succeeded"));
    QVERIFY(!m_script->requests("POST", QStringLiteral("/api/query/engage")).isEmpty());
    QCOMPARE(m_mixpanel.profilesWith(QStringLiteral("cio_cohorts"), kCohort),
             m_cio.memberKeys(kSegment, QStringLiteral("email")));
    QCOMPARE(m_script->unanswered(), 0);
}

void TestFailuresFake::startEngine(int requestTimeoutMs, int parallelMappings)
{
    m_controller.reset(); // before its context
    EngineContext::Setup setup;
    setup.network = FakeNetwork::factory(m_script);
    setup.options.pageSize = 100; // several pages
    setup.options.requestTimeoutMs = requestTimeoutMs;
    setup.options.backoffScale = 0.001; // backoff in milliseconds (never a Retry-After)
    setup.options.customerIoPerSecond = 1000;
    setup.options.parallelMappings = parallelMappings;
    setup.options.runsInFlight = parallelMappings; // a run past its pages holds its slot
    // The token probe reads its value back at once (Mixpanel's ingestion delay is nil here).
    setup.tokenProbe.firstDelayMs = 0;
    m_context = std::make_unique<EngineContext>(setup);
    auto controller = std::make_unique<SyncController>(
        *m_context, m_workspace,
        Credentials{m_cio.appApiKey(), m_mixpanel.projectToken(), m_mixpanel.serviceAccount()});
    QSignalSpy opened(controller.get(), &SyncController::opened);
    controller->start();
    if (opened.wait(kSyncWaitMs))
        m_controller = std::move(controller);
}

void TestFailuresFake::init()
{
    // One workspace for all rows, as an operator's would be: each row starts where the
    // previous one converged, with a moved segment.
    m_script->clearRules();
    m_cio.churn(kSegment, 40, 30);
    m_script->clearRequests();
}

void TestFailuresFake::cleanupTestCase()
{
    m_controller.reset(); // the worker thread ends before the fakes go
}

RunRecord TestFailuresFake::sync()
{
    QSignalSpy finished(m_controller.get(), &SyncController::syncFinished);
    m_controller->syncAll();
    if (!finished.wait(kSyncWaitMs))
        return {};
    const auto runs = finished.first().first().value<QList<RunRecord>>();
    return runs.isEmpty() ? RunRecord() : runs.first();
}

void TestFailuresFake::converges()
{
    m_script->clearRules();
    m_script->clearRequests();
    const RunRecord next = sync();
    QCOMPARE(runStatusName(next.status), QStringLiteral("succeeded"));
    QCOMPARE(m_mixpanel.profilesWith(QStringLiteral("cio_cohorts"), kCohort),
             m_cio.memberKeys(kSegment, QStringLiteral("email")));
    QCOMPARE(m_script->unanswered(), 0);
}

void TestFailuresFake::addColumns()
{
    QTest::addColumn<QList<FakeRule>>("faults");
    QTest::addColumn<QString>("status");   // of the first run
    QTest::addColumn<QString>("category"); // its error category, "" when none
    QTest::addColumn<bool>("retried");     // a faulted request was sent again
    QTest::addColumn<int>("minGapMs");     // ... no sooner than this (0: not checked)
    QTest::addColumn<QString>("messageHas");
}

void TestFailuresFake::faultMatrix_data()
{
    addColumns();
    const FakeRule page = FakeRule::on("GET", QStringLiteral("/v1/segments/*/membership"));
    const FakeRule segment = FakeRule::on("GET", QStringLiteral("/v1/segments/*"));
    const FakeRule lookup = FakeRule::on("POST", QStringLiteral("/v1/customers/attributes"));
    const FakeRule engage =
        FakeRule::on("POST", QStringLiteral("/engage")).host(m_mixpanel.ingestionUrl().host());
    const QByteArray retryAfter = "0.2"; // seconds; the scheduler never scales the server's word
    using L = QList<FakeRule>;
    const QString ok = QStringLiteral("succeeded");

    // Reading the segment.
    QTest::newRow("paging 503 x2")
        << L{page.times(2).reply(cioError(503))} << ok << "" << true << 0 << "";
    QTest::newRow("paging 429 Retry-After")
        << L{page.times(2).reply(cioError(429).withHeader("Retry-After", retryAfter))} << ok << ""
        << true << 200 << "";
    QTest::newRow("paging reset") << L{page.times(2).reply(FakeResponse::networkError(
                                         QNetworkReply::RemoteHostClosedError))}
                                  << ok << "" << true << 0 << "";
    QTest::newRow("paging hang") << L{page.times(1).reply(FakeResponse::hanging())} << ok << ""
                                 << true << kTimeoutMs << "";
    QTest::newRow("paging slower than the timeout")
        << L{page.times(1).delayed(3 * kTimeoutMs)} << ok << "" << true << kTimeoutMs << "";
    QTest::newRow("paging truncated") << L{page.times(1).cutShort()} << ok << "" << true << 0 << "";
    QTest::newRow("paging latency")
        << L{page.times(3).delayed(kTimeoutMs / 5)} << ok << "" << false << 0 << "";
    QTest::newRow("paging malformed") << L{page.times(1).garbled()} << "failed"
                                      << "protocol" << false << 0 << "";
    QTest::newRow("paging 400") << L{page.times(1).reply(cioError(400))} << "failed"
                                << "bad_request" << false << 0 << "";
    QTest::newRow("paging 401") << L{page.times(1).reply(cioError(401))} << "failed"
                                << "auth" << false << 0 << "";
    QTest::newRow("paging 403") << L{page.times(1).reply(cioError(403))} << "failed"
                                << "auth" << false << 0 << "";
    // The second page points back at itself: a cursor that never ends.
    QTest::newRow("paging cursor repeats")
        << L{page.skip(1).times(1).handle(&pageBackToItself)} << "failed"
        << "protocol" << false << 0 << "repeats";
    QTest::newRow("segment 404") << L{segment.times(1).reply(cioError(404))} << "failed"
                                 << "not_found" << false << 0 << "";
    QTest::newRow("segment 503 x2")
        << L{segment.times(2).reply(cioError(503))} << ok << "" << true << 0 << "";
    QTest::newRow("segment still building")
        << L{segment.times(1).reply(buildingSegment())} << "skipped"
        << "" << false << 0 << "still building";
    // The exit lookups fail for good: the exits are sent all the same, with a note.
    QTest::newRow("customer lookup 500")
        << L{lookup.reply(cioError(500))} << ok << "" << true << 0 << "exit check stopped";

    // Sending to Mixpanel.
    QTest::newRow("engage 503 x3")
        << L{engage.times(3).reply(mpError(503))} << ok << "" << true << 0 << "";
    QTest::newRow("engage 429 Retry-After")
        << L{engage.times(3).reply(mpError(429).withHeader("Retry-After", retryAfter))} << ok << ""
        << true << 200 << "";
    QTest::newRow("engage reset") << L{engage.times(2).reply(FakeResponse::networkError(
                                         QNetworkReply::RemoteHostClosedError))}
                                  << ok << "" << true << 0 << "";
    QTest::newRow("engage hang") << L{engage.times(1).reply(FakeResponse::hanging())} << ok << ""
                                 << true << kTimeoutMs << "";
    // Applied, then the reply was lost: sent again, which is harmless (convergence says so).
    QTest::newRow("engage truncated (applied, reply lost)")
        << L{engage.times(2).cutShort()} << ok << "" << true << 0 << "";
    QTest::newRow("engage malformed (applied, reply garbled)")
        << L{engage.times(1).garbled()} << "partial"
        << "protocol" << false << 0 << "not acknowledged";
    QTest::newRow("engage 400 never retried") << L{engage.times(1).reply(mpError(400))} << "partial"
                                              << "bad_request" << false << 0 << "not acknowledged";
    QTest::newRow("engage 413 never retried") << L{engage.times(1).reply(mpError(413))} << "partial"
                                              << "bad_request" << false << 0 << "";
    QTest::newRow("engage rejected in a 200 (status 0)")
        << L{engage.times(1).reply(
               FakeResponse::json(200, QByteArray(R"({"status":0,"error":"injected rejection"})")))}
        << "partial"
        << "bad_request" << false << 0 << "injected rejection";
    QTest::newRow("engage 401 stops sending") << L{engage.reply(mpError(401))} << "failed"
                                              << "auth" << false << 0 << "";
    QTest::newRow("engage 403 stops sending") << L{engage.reply(mpError(403))} << "failed"
                                              << "auth" << false << 0 << "";
    QTest::newRow("429 storm everywhere")
        << L{FakeRule::on({}, QStringLiteral("**"))
                 .times(8)
                 .reply(mpError(429).withHeader("Retry-After", "0.05"))}
        << ok << "" << true << 50 << "";
}

void TestFailuresFake::faultMatrix()
{
    checkRow();
}

void TestFailuresFake::checkRow()
{
    QFETCH(QList<FakeRule>, faults);
    QFETCH(QString, status);
    QFETCH(QString, category);
    QFETCH(bool, retried);
    QFETCH(int, minGapMs);
    QFETCH(QString, messageHas);

    QList<int> ids;
    for (const FakeRule& f : std::as_const(faults))
        ids.append(m_script->add(f));
    const RunRecord first = sync();
    QVERIFY2(first.status != RunStatus::Running, "the sync did not finish");
    QCOMPARE(runStatusName(first.status), status);
    QCOMPARE(first.errorCategory, category);
    if (!category.isEmpty())
        QVERIFY2(!first.message.isEmpty(), "no message for the operator");
    if (!messageHas.isEmpty())
        QVERIFY2(first.message.contains(messageHas), qPrintable(first.message));
    for (int id : std::as_const(ids))
        QVERIFY2(m_script->hits(id) > 0, "a fault was never hit");
    for (qsizetype i = 0; i < faults.size(); ++i) {
        if (!faults.at(i).fixed || !faults.at(i).fixed->hang)
            continue;
        for (const FakeRequest& r : m_script->requests())
            if (r.rule == ids.at(i))
                QVERIFY2(r.end == FakeRequest::End::TimedOut, "a hanging request did not time out");
    }

    // The run counts every attempt it put on the wire (the cohort read-back after a sync is
    // the engine's, not the run's). A run that stops sending on an auth failure does not
    // wait for its exit lookups: those may still leave after it is recorded.
    const QList<FakeRequest> requests = m_script->requests();
    int runRequests = 0;
    int lookups = 0;
    for (const FakeRequest& r : requests) {
        runRequests += r.path() == QLatin1String("/api/query/cohorts/list") ? 0 : 1;
        lookups += r.path() == QLatin1String("/v1/customers/attributes") ? 1 : 0;
    }
    if (category == QLatin1String("auth"))
        QVERIFY2(
            first.apiCalls <= runRequests && first.apiCalls >= runRequests - lookups,
            qPrintable(
                QStringLiteral("api calls %1, requests %2").arg(first.apiCalls).arg(runRequests)));
    else
        QCOMPARE(first.apiCalls, runRequests);
    const qint64 gap = firstResendGap(requests);
    QCOMPARE(gap >= 0, retried);
    if (minGapMs > 0)
        QVERIFY2(gap >= atLeast(minGapMs),
                 qPrintable(QStringLiteral("sent again after %1 ms").arg(gap)));

    converges();
}

void TestFailuresFake::eventFailures_data()
{
    addColumns();
    const FakeRule import = FakeRule::on("POST", QStringLiteral("/import"));
    const QString ok = QStringLiteral("succeeded");
    using L = QList<FakeRule>;
    QTest::newRow("import 503 x2")
        << L{import.times(2).reply(mpError(503))} << ok << "" << true << 0 << "";
    QTest::newRow("import 429 Retry-After")
        << L{import.times(2).reply(mpError(429).withHeader("Retry-After", "0.2"))} << ok << ""
        << true << 200 << "";
    QTest::newRow("import hang") << L{import.times(1).reply(FakeResponse::hanging())} << ok << ""
                                 << true << kTimeoutMs << "";
    const QByteArray strict =
        R"({"code":400,"error":"Some data points in the request failed validation.",)"
        R"("num_records_imported":0,"status":"Bad Request","failed_records":[{"index":0,)"
        R"("insert_id":"x","field":"properties.time","message":"injected invalid time"}]})";
    QTest::newRow("import 400 (strict validation) never retried")
        << L{import.times(1).reply(FakeResponse::json(400, strict))} << "partial"
        << "bad_request" << false << 0 << "injected invalid time";
    QTest::newRow("import 413 never retried") << L{import.times(1).reply(mpError(413))} << "partial"
                                              << "bad_request" << false << 0 << "";
    QTest::newRow("import 401 stops sending") << L{import.reply(mpError(401))} << "failed"
                                              << "auth" << false << 0 << "";
}

void TestFailuresFake::eventFailures()
{
    // The mapping sends Cohort Entered / Exited events (POST /import) after each batch.
    {
        auto ws = Workspace::open(m_workspace);
        QVERIFY2(ws, qPrintable(ws.error().toString()));
        auto mappings = MappingRepository(**ws).list();
        QVERIFY(mappings && mappings->size() == 1);
        Mapping m = mappings->first();
        if (!m.sendEvents) {
            m.sendEvents = true;
            QVERIFY(MappingRepository(**ws).update(m));
        }
    }
    const qsizetype before = m_mixpanel.events().size();
    checkRow();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_mixpanel.events().size() > before);
}

void TestFailuresFake::cancelMidRun_data()
{
    QTest::addColumn<FakeRule>("hang");
    QTest::addColumn<int>("onWire"); // hanging requests to wait for before the cancel
    QTest::addColumn<QString>("messageHas");

    // Every attempt hangs, so the cancel lands while one is on the wire or backing off.
    QTest::newRow("while reading the segment")
        << FakeRule::on("GET", QStringLiteral("/v1/segments/*/membership"))
               .skip(1)
               .reply(FakeResponse::hanging())
        << 1 << "reading";
    QTest::newRow("while sending") << FakeRule::on("POST", QStringLiteral("/engage"))
                                          .host(m_mixpanel.ingestionUrl().host())
                                          .reply(FakeResponse::hanging())
                                   << 2 << "stopped"; // the adds and the removals
}

void TestFailuresFake::cancelMidRun()
{
    QFETCH(FakeRule, hang);
    QFETCH(int, onWire);
    QFETCH(QString, messageHas);

    // Requests time out only after a minute here: the run can end soon after the cancel
    // only if the cancel aborts what is on the wire.
    constexpr int kPatientMs = 60000;
    if (m_context->options().requestTimeoutMs != kPatientMs) {
        startEngine(kPatientMs);
        QVERIFY(m_controller);
    }
    const int id = m_script->add(hang);
    QSignalSpy finished(m_controller.get(), &SyncController::syncFinished);
    m_controller->syncAll();
    QTRY_VERIFY_WITH_TIMEOUT(m_script->hits(id) >= onWire, kSyncWaitMs);
    QElapsedTimer sinceCancel;
    sinceCancel.start();
    m_controller->cancel();
    QVERIFY(finished.wait(kSyncWaitMs));
    QVERIFY2(sinceCancel.elapsed() < kPatientMs / 4,
             "the cancel waited for the requests on the wire");
    const auto runs = finished.first().first().value<QList<RunRecord>>();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runStatusName(runs.first().status), QStringLiteral("cancelled"));
    QVERIFY2(runs.first().message.contains(messageHas), qPrintable(runs.first().message));
    for (const FakeRequest& r : m_script->requests())
        if (r.rule == id)
            QVERIFY2(r.end == FakeRequest::End::Aborted, qPrintable(r.url.toString()));

    converges();
}

// A Mixpanel token refused at the first send: the same token serves every mapping, so the
// run still reading stops, and the mapping still queued is refused without a request.
// Last: it adds mappings.
void TestFailuresFake::refusedCredentialsStopTheRest()
{
    QList<qint64> ids; // mapping of segment 2 (refused), 3 (reading) and 1 (queued)
    {
        auto ws = Workspace::open(m_workspace);
        QVERIFY(ws);
        for (qint64 segment : {qint64(2), qint64(3)}) {
            m_cio.addSegment(segment, QStringLiteral("Segment %1").arg(segment), 300);
            Mapping m;
            m.segmentId = segment;
            m.segmentName = QStringLiteral("Segment %1").arg(segment);
            m.cohortName = QStringLiteral("CIO | Segment %1 | 30d").arg(segment);
            m.identity = IdentityKey::Email;
            auto id = MappingRepository(**ws).add(m);
            QVERIFY(id);
            ids.append(*id);
        }
        auto all = MappingRepository(**ws).list();
        QVERIFY(all);
        for (const Mapping& m : *all)
            if (m.segmentId == kSegment)
                ids.append(m.id);
    }
    QCOMPARE(ids.size(), 3);
    // Two read at once: the never-synced mappings first, the synced one waits.
    startEngine(kTimeoutMs, 2);
    QVERIFY(m_controller);
    m_script->clearRequests();
    m_script->add(FakeRule::on("POST", QStringLiteral("/engage"))
                      .host(m_mixpanel.ingestionUrl().host())
                      .reply(mpError(401)));
    // Segment 3's first page never comes (each attempt times out and is retried).
    m_script->add(FakeRule::on("GET", QStringLiteral("/v1/segments/3/membership"))
                      .reply(FakeResponse::hanging()));
    QSignalSpy finished(m_controller.get(), &SyncController::syncFinished);
    m_controller->syncAll();
    QVERIFY(finished.wait(kSyncWaitMs));
    const auto runs = finished.first().first().value<QList<RunRecord>>();
    QCOMPARE(runs.size(), 3);
    QMap<qint64, RunRecord> byMapping;
    for (const RunRecord& r : runs) {
        QCOMPARE(runStatusName(r.status), QStringLiteral("failed"));
        QCOMPARE(r.errorCategory, QStringLiteral("auth"));
        byMapping.insert(r.mappingId, r);
    }
    const QString refused =
        QStringLiteral("the credentials were refused in mapping %1's run").arg(ids[0]);
    QVERIFY2(byMapping[ids[0]].message.contains(QStringLiteral("Mixpanel refused")),
             qPrintable(byMapping[ids[0]].message));
    QVERIFY2(byMapping[ids[1]].message.startsWith(QStringLiteral("stopped: ") + refused),
             qPrintable(byMapping[ids[1]].message));
    QVERIFY2(byMapping[ids[2]].message.startsWith(QStringLiteral("not started: ") + refused),
             qPrintable(byMapping[ids[2]].message));
    QVERIFY(m_script->requests("GET", QStringLiteral("/v1/segments/1/membership")).isEmpty());
}

QTEST_GUILESS_MAIN(TestFailuresFake)
#include "tst_failures_fake.moc"
