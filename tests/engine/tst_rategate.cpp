// WorkspaceRateGate: the token bucket rows in the workspace that every process on it
// draws from. Two gates on one location stand for two processes (each has its own
// connections); times are given, not waited for. A workspace that cannot answer leaves
// the local bucket in charge, with one warning. Runs on both stores (tst_rategate_pg).
#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "engine/enginecontext.h"
#include "engine/workspacerategate.h"
#include "store/workspace.h"
#include "testdatabase.h"
#include "util/clock.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace lockstep;
using lockstep::test::TestDatabase;

namespace {

const QString kKey = QStringLiteral("customerio:0123456789ab");
const HostLimit kTenPerSecond{10, 1, 0, 0};
constexpr qint64 kStart = 1'767'225'600'000;

// Counts the gate's warnings (that it falls back) while alive.
class WarningCounter
{
public:
    WarningCounter()
    {
        s_count = 0;
        s_previous = qInstallMessageHandler(&handler);
    }
    ~WarningCounter() { qInstallMessageHandler(s_previous); }
    int count() const { return s_count; }

private:
    static void handler(QtMsgType type, const QMessageLogContext& context, const QString& message)
    {
        if (type == QtWarningMsg && qstrcmp(context.category, "lockstep.store") == 0 &&
            message.contains(QLatin1String("cannot share the request limits")))
            ++s_count;
        s_previous(type, context, message);
    }
    static inline int s_count = 0;
    static inline QtMessageHandler s_previous = nullptr;
};

} // namespace

class TestRateGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void twoProcessesDrawFromOneBucket();
    void sustainedRateIsTheLimit_data();
    void sustainedRateIsTheLimit();
    void keysHaveBucketsOfTheirOwn();
    void clockBehindTheRowRefillsNothing();
    void eachThreadHasItsOwnConnection();
    void unreachableWorkspaceFallsBackToLocal();
    void lostTableFallsBackThenRecovers();
    void contextsShareThroughTheWorkspace();

private:
    QTemporaryDir m_dir;
    QString m_location;
};

void TestRateGate::initTestCase()
{
    // One workspace for every test (a PostgreSQL database each would only add to what the
    // fixture server has to delete), its buckets emptied before each.
    m_location = TestDatabase::freshWorkspace(m_dir.path());
    QVERIFY(!m_location.isEmpty());
    auto ws = Workspace::open(m_location); // migrated once, as the engine's open does
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
}

void TestRateGate::init()
{
    auto ws = Workspace::open(m_location);
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    QSqlQuery q((*ws)->db());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM rate_buckets")));
}

void TestRateGate::twoProcessesDrawFromOneBucket()
{
    WorkspaceRateGate a(m_location), b(m_location);
    QCOMPARE(a.reserve(kKey, kTenPerSecond, kStart), 0);   // a full bucket: one token
    QCOMPARE(b.reserve(kKey, kTenPerSecond, kStart), 100); // the other process waits
    QCOMPARE(b.reserve(kKey, kTenPerSecond, kStart + 40), 60);
    QCOMPARE(b.reserve(kKey, kTenPerSecond, kStart + 100), 0);
    QCOMPARE(a.reserve(kKey, kTenPerSecond, kStart + 100), 100);
    QCOMPARE(a.fallbacks() + b.fallbacks(), 0);
}

void TestRateGate::sustainedRateIsTheLimit_data()
{
    QTest::addColumn<double>("burst");
    QTest::newRow("burst 1") << 1.0;
    QTest::newRow("burst 5") << 5.0;
}

void TestRateGate::sustainedRateIsTheLimit()
{
    // Three processes asking in turn every 10 ms for 10 s get the burst plus 10 a second
    // between them.
    QFETCH(double, burst);
    const HostLimit limit{10, burst, 0, 0};
    WorkspaceRateGate gates[3] = {WorkspaceRateGate(m_location), WorkspaceRateGate(m_location),
                                  WorkspaceRateGate(m_location)};
    int granted = 0;
    int step = 0;
    for (qint64 t = kStart; t <= kStart + 10'000; t += 10)
        granted += gates[step++ % 3].reserve(kKey, limit, t) == 0 ? 1 : 0;
    QVERIFY2(granted >= int(burst) + 99 && granted <= int(burst) + 100,
             qPrintable(QString::number(granted)));
}

void TestRateGate::keysHaveBucketsOfTheirOwn()
{
    // Two App API keys, two buckets: each key's limit is its own.
    WorkspaceRateGate a(m_location), b(m_location);
    QCOMPARE(a.reserve(kKey, kTenPerSecond, kStart), 0);
    QCOMPARE(b.reserve(QStringLiteral("customerio:ba9876543210"), kTenPerSecond, kStart), 0);
    QVERIFY(b.reserve(kKey, kTenPerSecond, kStart) > 0);
}

void TestRateGate::clockBehindTheRowRefillsNothing()
{
    // A host 5 s behind neither refills from the future row time nor moves it back, so
    // the host that keeps time is not given the same seconds twice.
    WorkspaceRateGate ahead(m_location), behind(m_location);
    QCOMPARE(ahead.reserve(kKey, kTenPerSecond, kStart), 0);
    QCOMPARE(behind.reserve(kKey, kTenPerSecond, kStart - 5000), 100);
    QCOMPARE(ahead.reserve(kKey, kTenPerSecond, kStart + 50), 50);
    QCOMPARE(ahead.reserve(kKey, kTenPerSecond, kStart + 100), 0);
}

void TestRateGate::eachThreadHasItsOwnConnection()
{
    // The engine's thread and the main thread (a CLI command) ask one gate: each on its
    // own connection, opened and closed in that thread (Qt warns otherwise).
    QTest::failOnWarning(QRegularExpression(QStringLiteral("thread|QSqlDatabase")));
    WorkspaceRateGate gate(m_location);
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, kStart), 0);
    qint64 fromThread = -1;
    std::unique_ptr<QThread> thread(
        QThread::create([&] { fromThread = gate.reserve(kKey, kTenPerSecond, kStart + 30); }));
    thread->start();
    QVERIFY(thread->wait(30000));
    QCOMPARE(fromThread, 70);
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, kStart + 100), 0);
    QCOMPARE(gate.fallbacks(), 0);
}

void TestRateGate::unreachableWorkspaceFallsBackToLocal()
{
    // A workspace that cannot be opened: every reserve lets the local bucket decide, one
    // warning in all, and the workspace is tried again only after kRetryMs.
    const QString unreachable = TestDatabase::usingPostgres()
                                    ? QStringLiteral("postgresql://nobody@127.0.0.1:1/none")
                                    : m_dir.filePath(QStringLiteral("file/in/a/file.sqlite"));
    if (!TestDatabase::usingPostgres()) {
        QFile blocker(m_dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
    }
    WarningCounter warnings;
    WorkspaceRateGate gate(unreachable);
    for (int i = 0; i < 30; ++i)
        QCOMPARE(gate.reserve(kKey, kTenPerSecond, kStart + i), 0);
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, kStart + WorkspaceRateGate::kRetryMs + 50), 0);
    QCOMPARE(gate.fallbacks(), 31);
    QCOMPARE(warnings.count(), 1);
}

void TestRateGate::lostTableFallsBackThenRecovers()
{
    WarningCounter warnings;
    WorkspaceRateGate gate(m_location);
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, kStart), 0);
    auto ws = Workspace::open(m_location);
    QVERIFY(ws.ok());
    QSqlQuery q((*ws)->db());
    QVERIFY(q.exec(QStringLiteral("DROP TABLE rate_buckets")));
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, kStart + 1), 0); // fell back
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, kStart + 2), 0);
    QCOMPARE(gate.fallbacks(), 2);
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE rate_buckets (key TEXT PRIMARY KEY, tokens DOUBLE "
                                  "PRECISION NOT NULL, refilled_at_ms BIGINT NOT NULL)")));
    const qint64 later = kStart + 1 + WorkspaceRateGate::kRetryMs;
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, later), 0); // shared again: a new row
    QCOMPARE(gate.reserve(kKey, kTenPerSecond, later), 100);
    QCOMPARE(gate.fallbacks(), 2);
    QCOMPARE(warnings.count(), 1);
}

void TestRateGate::contextsShareThroughTheWorkspace()
{
    // Two engine contexts (two processes) on one workspace: one Customer.io key's slots
    // come from one bucket; installing the gate again changes nothing.
    ManualClock clock(kStart);
    EngineContext::Setup setup;
    setup.clock = &clock;
    EngineContext a(setup), b(setup);
    a.shareLimitsThrough(m_location);
    a.shareLimitsThrough(m_location);
    b.shareLimitsThrough(m_location);
    const QString key = CustomerIoClient::limitKeyFor(QStringLiteral("app-api-key"));
    QVERIFY(a.limits()->acquire(key, clock.nowMs()).granted);
    const RateLimits::Grant g = b.limits()->acquire(key, clock.nowMs());
    QVERIFY(!g.granted);
    QCOMPARE(g.waitMs, 100);
    clock.advanceMs(100);
    QVERIFY(b.limits()->acquire(key, clock.nowMs()).granted);
    // Mixpanel's limits stay per process.
    QVERIFY(a.limits()
                ->acquire(QString::fromLatin1(MixpanelClient::kIngestionKey), clock.nowMs())
                .granted);
    QVERIFY(b.limits()
                ->acquire(QString::fromLatin1(MixpanelClient::kIngestionKey), clock.nowMs())
                .granted);
}

QTEST_GUILESS_MAIN(TestRateGate)
#include "tst_rategate.moc"
