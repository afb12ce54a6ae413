// The seam's request ids: each request to an engine service gets its own answer or its
// own failure, whatever else is in flight. The real SyncController and its engine thread
// over a temporary SQLite workspace, its network a FakeNetwork with a small Customer.io
// and Mixpanel behind it; one request of each pair is made to fail, and each caller must
// see exactly its own outcome, once.
#include "fakecustomerio.h"
#include "fakemixpanel.h"
#include "fakenetwork.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr qint64 kSegmentA = 1;
constexpr qint64 kSegmentB = 2;
constexpr int kWaitMs = 30000;

FakeResponse cioError(int status)
{
    const QJsonObject e{{QStringLiteral("detail"), QStringLiteral("injected %1").arg(status)},
                        {QStringLiteral("status"), QString::number(status)}};
    return FakeResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("errors"), QJsonArray{e}}}));
}

// What one caller received, in the order it arrived across all callers.
template <typename T> struct Outcome
{
    QList<T> answers;
    QList<SyncError> failures;
    QStringList progress;
    int arrival = -1;
    int count() const { return int(answers.size() + failures.size()); }
};
} // namespace

class TestSeam : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void concurrentTrustChecksGetTheirOwnOutcome();
    void concurrentEditsGetTheirOwnOutcome();
    void unclaimedFailureGoesToFailed();
    void goneCallerGetsNothing();

private:
    template <typename T> void track(Pending<T> pending, Outcome<T>* outcome);

    QTemporaryDir m_dir;
    std::shared_ptr<FakeScript> m_script = std::make_shared<FakeScript>();
    FakeCustomerIo m_cio;
    FakeMixpanel m_mixpanel;
    std::unique_ptr<EngineContext> m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    qint64 m_mappingA = 0;
    qint64 m_mappingB = 0;
    int m_arrivals = 0;
};

template <typename T> void TestSeam::track(Pending<T> pending, Outcome<T>* outcome)
{
    pending
        .then(this,
              [this, outcome](const T& value) {
                  outcome->answers.append(value);
                  outcome->arrival = m_arrivals++;
              })
        .onFailed(this,
                  [this, outcome](const SyncError& e) {
                      outcome->failures.append(e);
                      outcome->arrival = m_arrivals++;
                  })
        .onProgress(this, [outcome](const QString& step) { outcome->progress.append(step); });
}

void TestSeam::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cio.addSegment(kSegmentA, QStringLiteral("Trial users"), 300);
    m_cio.addSegment(kSegmentB, QStringLiteral("Churn risk"), 300);
    m_script->addFallback(m_cio.handler());
    m_script->addFallback(m_mixpanel.handler());

    const QString workspace = m_dir.filePath(QStringLiteral("workspace.sqlite"));
    {
        auto ws = Workspace::open(workspace);
        QVERIFY2(ws, qPrintable(ws.error().toString()));
        ConnectionSettings connection;
        connection.customerIoUrl = m_cio.baseUrl().toString();
        connection.mixpanelUrl = m_mixpanel.ingestionUrl().toString();
        connection.mixpanelQueryUrl = m_mixpanel.queryUrl().toString();
        connection.projectId = m_mixpanel.projectId();
        QVERIFY(SettingsRepository(**ws).setConnection(connection));
        Mapping a;
        a.segmentId = kSegmentA;
        a.segmentName = QStringLiteral("Trial users");
        a.cohortName = QStringLiteral("CIO | Trial users | 30d");
        a.identity = IdentityKey::Email;
        Mapping b = a;
        b.segmentId = kSegmentB;
        b.segmentName = QStringLiteral("Churn risk");
        b.cohortName = QStringLiteral("CIO | Churn risk | 30d");
        auto idA = MappingRepository(**ws).add(a);
        auto idB = MappingRepository(**ws).add(b);
        QVERIFY(idA && idB);
        m_mappingA = *idA;
        m_mappingB = *idB;
    }
    EngineContext::Setup setup;
    setup.network = FakeNetwork::factory(m_script);
    setup.options.requestTimeoutMs = 2000;
    setup.options.backoffScale = 0.001;
    setup.options.customerIoPerSecond = 1000;
    m_context = std::make_unique<EngineContext>(setup);
    m_controller = std::make_unique<SyncController>(
        *m_context, workspace,
        Credentials{m_cio.appApiKey(), m_mixpanel.projectToken(), m_mixpanel.serviceAccount()});
    QSignalSpy opened(m_controller.get(), &SyncController::opened);
    m_controller->start();
    QVERIFY(opened.wait(kWaitMs));
}

void TestSeam::init()
{
    m_script->clearRules();
    m_script->clearRequests();
    m_arrivals = 0;
}

void TestSeam::cleanupTestCase()
{
    m_controller.reset(); // the engine thread ends before the fakes go
}

void TestSeam::concurrentTrustChecksGetTheirOwnOutcome()
{
    // B's segment is refused; A's is answered, but later, so B's failure arrives first and
    // a caller that took "the next failure" as its own would be wrong.
    m_script->add(
        FakeRule::on("GET", QStringLiteral("/v1/segments/2/membership")).reply(cioError(401)));
    m_script->add(FakeRule::on("GET", QStringLiteral("/v1/segments/1/membership")).delayed(300));
    QSignalSpy unclaimed(m_controller.get(), &SyncController::failed);

    Outcome<SpotCheckResult> a, b;
    track(m_controller->trust()->spotCheck(m_mappingA, 5), &a);
    track(m_controller->trust()->spotCheck(m_mappingB, 5), &b);
    QTRY_VERIFY_WITH_TIMEOUT(a.count() > 0 && b.count() > 0, kWaitMs);
    QTest::qWait(300); // a second answer would come in this time

    QCOMPARE(b.answers.size(), 0);
    QCOMPARE(b.failures.size(), 1);
    QCOMPARE(b.failures.first().categoryName(), QStringLiteral("auth"));
    QVERIFY2(b.failures.first().message.contains(QStringLiteral("injected 401")),
             qPrintable(b.failures.first().message));
    QCOMPARE(a.failures.size(), 0);
    QCOMPARE(a.answers.size(), 1);
    QCOMPARE(a.answers.first().mappingId, m_mappingA);
    QCOMPARE(a.answers.first().people.size(), 5);
    QVERIFY(b.arrival < a.arrival); // the failure came first and still reached only B
    // Progress went to its own check too.
    QCOMPARE(a.progress.first(), QStringLiteral("reading segment 1"));
    QCOMPARE(b.progress, QStringList{QStringLiteral("reading segment 2")});
    QCOMPARE(unclaimed.size(), 0); // B took its failure: nothing for the banner
    QVERIFY(!m_script->requests("GET", QStringLiteral("/v1/segments/2/membership")).isEmpty());
}

void TestSeam::concurrentEditsGetTheirOwnOutcome()
{
    QSignalSpy unclaimed(m_controller.get(), &SyncController::failed);
    QSignalSpy saved(m_controller->mappings(), &MappingRequests::saved);
    Outcome<qint64> missing, copy;
    // The failing one first: a caller taking answers in order would swap them.
    track(m_controller->mappings()->duplicateAsNewVersion(999'999), &missing);
    track(m_controller->mappings()->duplicateAsNewVersion(m_mappingA), &copy);
    QTRY_VERIFY_WITH_TIMEOUT(missing.count() > 0 && copy.count() > 0, kWaitMs);
    QTest::qWait(100);

    QCOMPARE(missing.answers.size(), 0);
    QCOMPARE(missing.failures.size(), 1);
    QCOMPARE(missing.failures.first().message, QStringLiteral("no mapping 999999"));
    QCOMPARE(copy.failures.size(), 0);
    QCOMPARE(copy.answers.size(), 1);
    const qint64 newId = copy.answers.first();
    QVERIFY(newId != m_mappingA && newId != m_mappingB);
    QCOMPARE(saved.size(), 1); // the edit that happened is announced to every view
    QCOMPARE(saved.first().first().toLongLong(), newId);
    QCOMPARE(unclaimed.size(), 0);

    auto ws = Workspace::open(m_dir.filePath(QStringLiteral("workspace.sqlite")));
    QVERIFY(ws);
    auto stored = MappingRepository(**ws).get(newId);
    QVERIFY(stored);
    QCOMPARE(stored->version, 2);
}

void TestSeam::unclaimedFailureGoesToFailed()
{
    // A request whose caller registers no failure handler leaves it to failed(), once.
    QSignalSpy unclaimed(m_controller.get(), &SyncController::failed);
    qint64 answered = 0;
    m_controller->mappings()->duplicateAsNewVersion(999'998).then(
        this, [&answered](qint64 id) { answered = id; });
    QVERIFY(unclaimed.wait(kWaitMs));
    QTest::qWait(100);
    QCOMPARE(unclaimed.size(), 1);
    QCOMPARE(unclaimed.first().first().value<SyncError>().message,
             QStringLiteral("no mapping 999998"));
    QCOMPARE(answered, 0);
}

void TestSeam::goneCallerGetsNothing()
{
    // A caller that is gone (a closed dialog) is not called; the next caller still is.
    auto gone = std::make_unique<QObject>();
    int goneCalls = 0;
    bool laterAnswered = false;
    m_controller->health()
        ->loadAudit()
        .then(gone.get(), [&goneCalls](const AuditReport&) { ++goneCalls; })
        .onFailed(gone.get(), [&goneCalls](const SyncError&) { ++goneCalls; });
    gone.reset();
    // Answered after the first: one service answers in the order it was asked.
    m_controller->health()->loadAudit().then(
        this, [&laterAnswered](const AuditReport& r) { laterAnswered = r.mappingCount >= 2; });
    QTRY_VERIFY_WITH_TIMEOUT(laterAnswered, kWaitMs);
    QCOMPARE(goneCalls, 0);
}

QTEST_MAIN(TestSeam)
#include "tst_seam.moc"
