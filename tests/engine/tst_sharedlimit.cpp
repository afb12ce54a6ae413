// Customer.io's limit is per App API key, not per process. Two `lockstep sync` processes
// on one workspace read two 60,000-member segments with one key from one sandbox, in
// pages of 500: together they keep to 10 requests/s (the sandbox refuses none, and no
// second holds more than the limit and the engine's burst) and finish within 1.15 times
// the time the limit imposes on their requests (requests / 10 s).
// The control row runs the same syncs with each process on its own limits
// (LOCKSTEP_TEST_LOCAL_LIMITS=1) and checks that the sandbox then sees more than the
// limit: what the first row's checks would catch without the shared bucket.
// Runs on both stores: tst_sharedlimit (SQLite) and tst_sharedlimit_pg (tests/pg, the
// shared row only).
// Each row prints one `shared-limit:` line with its figures
// (bench/engine/run-shared-limit-bench.sh).
#include "sandboxconnection.h"
#include "sandboxprocess.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;
using namespace lockstep;

namespace {

constexpr int kMappings = 2;
constexpr int kMembers = 60000;
constexpr int kPageSize = 500;
constexpr int kPerSecond = 10;  // the App API's limit, the sandbox's and the engine's
constexpr int kEngineBurst = 1; // tokens the engine's bucket holds (EngineContext)
constexpr double kMaxRatio = 1.15;

QString cohortName(int i)
{
    return QStringLiteral("CIO | Shared limit %1 | 30d").arg(i);
}

QJsonObject scenario()
{
    QJsonArray cohorts, segments;
    for (int i = 1; i <= kMappings; ++i) {
        cohorts.append(
            QJsonObject{{QStringLiteral("id"), i},
                        {QStringLiteral("name"), QStringLiteral("Shared limit %1").arg(i)},
                        {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                        {QStringLiteral("value"), cohortName(i)}});
        segments.append(QJsonObject{{QStringLiteral("id"), i},
                                    {QStringLiteral("name"), QStringLiteral("Segment %1").arg(i)},
                                    {QStringLiteral("size"), kMembers}});
    }
    return QJsonObject{
        {QStringLiteral("seed"), 17},
        {QStringLiteral("customerio"),
         QJsonObject{{QStringLiteral("rate_limit_per_second"), kPerSecond}}},
        {QStringLiteral("mixpanel"), QJsonObject{{QStringLiteral("cohorts"), cohorts}}},
        {QStringLiteral("population"),
         QJsonObject{{QStringLiteral("size"), kMappings * kMembers + 10000}}},
        {QStringLiteral("segments"), segments}};
}

// The most requests whose arrival falls in any one window of a second.
int maxPerSecond(QList<qint64> times)
{
    std::sort(times.begin(), times.end());
    int most = 0;
    qsizetype first = 0;
    for (qsizetype last = 0; last < times.size(); ++last) {
        while (times[last] - times[first] >= 1000)
            ++first;
        most = std::max(most, int(last - first + 1));
    }
    return most;
}

} // namespace

class TestSharedLimit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void twoProcessesKeepToOneLimit_data();
    void twoProcessesKeepToOneLimit();
};

void TestSharedLimit::twoProcessesKeepToOneLimit_data()
{
    QTest::addColumn<bool>("shared");
    QTest::newRow("shared through the workspace") << true;
    QTest::newRow("each process on its own (control)") << false;
}

void TestSharedLimit::twoProcessesKeepToOneLimit()
{
    QFETCH(bool, shared);
    if (!shared && TestDatabase::usingPostgres())
        QSKIP("without the shared bucket the store plays no part: the SQLite run has this row");
    SandboxProcess sandbox(scenario());
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    QTemporaryDir dir;
    const QString location = TestDatabase::freshWorkspace(dir.path());
    QVERIFY(!location.isEmpty());
    {
        auto ws = Workspace::open(location);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        const ConnectionSettings s = test::connectionTo(sandbox);
        QVERIFY(SettingsRepository(**ws).setConnection(s).ok());
        for (int i = 1; i <= kMappings; ++i) {
            Mapping m;
            m.segmentId = i;
            m.cohortName = cohortName(i);
            m.identity = IdentityKey::CioId;
            auto id = MappingRepository(**ws).add(m);
            QVERIFY(id.ok());
            QCOMPARE(*id, qint64(i));
        }
    }

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), sandbox.appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), sandbox.projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), sandbox.serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_PAGE_SIZE"), QString::number(kPageSize));
    env.insert(QStringLiteral("LOCKSTEP_TEST_LOCAL_LIMITS"),
               shared ? QStringLiteral("0") : QStringLiteral("1"));

    sandbox.resetStats();
    QElapsedTimer wall;
    wall.start();
    std::vector<std::unique_ptr<QProcess>> syncs;
    for (int i = 1; i <= kMappings; ++i) {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(env);
        p->start(QStringLiteral(LOCKSTEP_BIN),
                 {QStringLiteral("--workspace"), location, QStringLiteral("sync"),
                  QStringLiteral("--mapping"), QString::number(i), QStringLiteral("--json")});
        syncs.push_back(std::move(p));
    }
    QList<int> exitCodes;
    QList<QJsonObject> runs;
    QByteArray errors;
    for (auto& p : syncs) {
        QVERIFY(p->waitForFinished(240000));
        exitCodes.append(p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1);
        const QJsonArray out = QJsonDocument::fromJson(p->readAllStandardOutput()).array();
        runs.append(out.isEmpty() ? QJsonObject() : out.first().toObject());
        errors += p->readAllStandardError();
    }
    const double seconds = double(wall.elapsed()) / 1000.0;

    // What the sandbox saw of Customer.io: every request, refused or not.
    QList<qint64> times;
    int refused = 0;
    for (const QJsonValue& v : sandbox.stats().value(QStringLiteral("log")).toArray()) {
        const QJsonObject e = v.toObject();
        if (!e.value(QStringLiteral("route")).toString().startsWith(QLatin1String("cio.")))
            continue;
        times.append(e.value(QStringLiteral("t_ms")).toInteger());
        if (e.value(QStringLiteral("status")).toInt() == 429)
            ++refused;
    }
    const int requests = int(times.size());
    const double bound = double(requests) / kPerSecond;
    const int most = maxPerSecond(times);
    // First to last Customer.io request: the part of `seconds` the limit governs.
    const auto [first, last] = std::minmax_element(times.cbegin(), times.cend());
    const double readSeconds = times.isEmpty() ? 0 : double(*last - *first) / 1000.0;
    qInfo().noquote() << QStringLiteral("shared-limit: store=%1 shared=%2 processes=%3 pages=%4 "
                                        "requests=%5 http429=%6 max_per_second=%7 seconds=%8 "
                                        "bound=%9 ratio=%10 read_seconds=%11")
                             .arg(TestDatabase::usingPostgres() ? QStringLiteral("postgresql")
                                                                : QStringLiteral("sqlite"))
                             .arg(shared ? 1 : 0)
                             .arg(kMappings)
                             .arg(kMappings * (kMembers / kPageSize))
                             .arg(requests)
                             .arg(refused)
                             .arg(most)
                             .arg(seconds, 0, 'f', 2)
                             .arg(bound, 0, 'f', 1)
                             .arg(seconds / bound, 0, 'f', 3)
                             .arg(readSeconds, 0, 'f', 2);
    // Each run read its segment and every page.
    QVERIFY2(requests >= kMappings * (kMembers / kPageSize + 1),
             qPrintable(QString::number(requests)));

    if (!shared) {
        // Two processes at 10/s each: the sandbox refuses the excess.
        QVERIFY2(refused > 0 || most > kPerSecond + kEngineBurst,
                 qPrintable(
                     QStringLiteral("%1 refused, at most %2 in a second").arg(refused).arg(most)));
        return;
    }
    QVERIFY2(refused == 0,
             qPrintable(QStringLiteral("the sandbox refused %1 requests").arg(refused)));
    QVERIFY2(most <= kPerSecond + kEngineBurst,
             qPrintable(QStringLiteral("%1 requests in one second").arg(most)));
    for (int i = 0; i < kMappings; ++i) {
        QVERIFY2(exitCodes[i] == 0, errors.constData());
        QCOMPARE(runs[i].value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(runs[i].value(QStringLiteral("segment_count")).toInteger(), kMembers);
        QCOMPARE(runs[i].value(QStringLiteral("entered")).toInteger(), kMembers);
        QCOMPARE(runs[i].value(QStringLiteral("synced_count")).toInteger(), kMembers);
        QCOMPARE(sandbox.profilesWith(QStringLiteral("cio_cohorts"), cohortName(i + 1)),
                 sandbox.segmentMemberKeys(i + 1, QStringLiteral("cio_id")));
    }
    QVERIFY2(seconds <= kMaxRatio * bound,
             qPrintable(QStringLiteral("%1 s for %2 requests: %3 x the limit's %4 s")
                            .arg(seconds, 0, 'f', 2)
                            .arg(requests)
                            .arg(seconds / bound, 0, 'f', 3)
                            .arg(bound, 0, 'f', 1)));
}

QTEST_GUILESS_MAIN(TestSharedLimit)
#include "tst_sharedlimit.moc"
