// The workspace: migrations, mappings, settings, runs and the snapshot journal.
// Runs on both stores: tst_workspace on SQLite, tst_workspace_pg on PostgreSQL (tests/pg);
// TestDatabase::freshWorkspace() gives each test a new file or database.
#include "store/backgroundwriter.h"
#include "store/mappingrepository.h"
#include "store/mismatchrepository.h"
#include "store/postgresurl.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "testdatabase.h"

#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <QTest>
#include <algorithm>
#include <atomic>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>

using namespace lockstep;
using lockstep::test::TestDatabase;

class TestWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsAndReopens();
    void rejectsBadMappings_data();
    void rejectsBadMappings();
    void sqlMetacharactersAreData();
    void mismatchesRoundTrip();
    void laterRunsMismatchesReplaceEarlierOnes();
    void writerRunsJobsInOrderOnItsOwnThread();
    void settingsRoundTrip();
    void cohortValueByteLimit_data();
    void cohortValueByteLimit();
    void regionsRouteToTheirHosts_data();
    void regionsRouteToTheirHosts();
    void singleRegionWorkspaceIsRead();
    void snapshotAdvancesOnlyOnAck();
    void snapshotSettlesInTheJournalUntilCompactionPays();
    void snapshotReplayMatchesAModel_data();
    void snapshotReplayMatchesAModel();
    void schemaFourWorkspaceMigrates();
    void schemaNineWorkspaceMigrates();
    void damagedMismatchDocumentIsAClearError();
    void notAWorkspace();
    void rejectsPasswordInUrl();
    void postgresUrl_data();
    void postgresUrl();

private:
    QTemporaryDir m_dir;
};

void TestWorkspace::createsAndReopens()
{
    // SQLite: the file's folders are created too.
    const QString path = TestDatabase::usingPostgres()
                             ? TestDatabase::freshWorkspace(m_dir.path())
                             : m_dir.filePath(QStringLiteral("sub/dir/w.sqlite"));
    {
        auto ws = Workspace::open(path);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        QVERIFY((*ws)->schemaVersion() >= 1);
        Mapping m;
        m.segmentId = 7;
        m.cohortName = QStringLiteral("CIO | Winback | 45-60d");
        auto id = MappingRepository(**ws).add(m);
        QVERIFY2(id.ok(), qPrintable(id.error().toString()));
        QCOMPARE(*id, 1);
    }
    auto ws = Workspace::open(path);
    QVERIFY(ws.ok());
    auto list = MappingRepository(**ws).list();
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().cohortName, QStringLiteral("CIO | Winback | 45-60d"));
    QCOMPARE(list->first().listProperty, QStringLiteral("cio_cohorts"));
    QVERIFY(MappingRepository(**ws).remove(1).ok());
    QCOMPARE(MappingRepository(**ws).list()->size(), 0);
    QCOMPARE(MappingRepository(**ws).get(1).error().category, SyncError::Category::NotFound);
}

void TestWorkspace::rejectsBadMappings_data()
{
    QTest::addColumn<qint64>("segment");
    QTest::addColumn<QString>("cohort");
    QTest::addColumn<QString>("property");
    QTest::addColumn<int>("mode");
    QTest::newRow("no segment") << qint64(0) << "A"
                                << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("negative segment") << qint64(-4) << "A"
                                      << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("empty cohort") << qint64(1) << "  "
                                  << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("long cohort") << qint64(1) << QString(300, QLatin1Char('a')) << "cio_cohorts"
                                 << int(SyncMode::List);
    QTest::newRow("control char") << qint64(1) << "A\tB"
                                  << "cio_cohorts" << int(SyncMode::List);
    QTest::newRow("reserved property") << qint64(1) << "A"
                                       << "$email" << int(SyncMode::List);
    QTest::newRow("empty property") << qint64(1) << "A"
                                    << "" << int(SyncMode::List);
    QTest::newRow("reserved flag") << qint64(1) << "$A"
                                   << "cio_cohorts" << int(SyncMode::Flag);
}

void TestWorkspace::rejectsBadMappings()
{
    QFETCH(qint64, segment);
    QFETCH(QString, cohort);
    QFETCH(QString, property);
    QFETCH(int, mode);
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    Mapping m;
    m.segmentId = segment;
    m.cohortName = cohort;
    m.listProperty = property;
    m.mode = SyncMode(mode);
    auto id = MappingRepository(**ws).add(m);
    QVERIFY(!id.ok());
    QCOMPARE(id.error().category, SyncError::Category::Config);
    QVERIFY(!id.error().message.isEmpty());
}

void TestWorkspace::sqlMetacharactersAreData()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    Mapping m;
    m.segmentId = 3;
    m.cohortName = QStringLiteral("x'); DROP TABLE mappings; -- \"ü\" 😀");
    m.owner = QStringLiteral("O'Brien");
    auto id = MappingRepository(**ws).add(m);
    QVERIFY(id.ok());
    auto back = MappingRepository(**ws).get(*id);
    QVERIFY(back.ok());
    QCOMPARE(back->cohortName, m.cohortName);
    QCOMPARE(back->owner, m.owner);
}

// Identity mismatches go in as bulk statements: every field comes back as written
// (quotes, backslashes, JSON and SQL metacharacters, non-ASCII, absent ids and e-mails),
// a NUL becomes U+FFFD (no PostgreSQL text column can hold one), chunks of rows are
// all stored, and a later run's set replaces the earlier one.
namespace {
// A mapping and two runs of it, for mismatch rows (0s on failure).
std::tuple<qint64, qint64, qint64> mappingWithTwoRuns(Workspace& ws)
{
    Mapping m;
    m.segmentId = 4;
    m.cohortName = QStringLiteral("Mismatches");
    auto mappingId = MappingRepository(ws).add(m);
    if (!mappingId)
        return {0, 0, 0};
    auto run1 = RunRepository(ws).begin(*mappingId, RunKind::Incremental, 1);
    auto run2 = RunRepository(ws).begin(*mappingId, RunKind::Incremental, 2);
    if (!run1 || !run2)
        return {0, 0, 0};
    return {*mappingId, *run1, *run2};
}
} // namespace

void TestWorkspace::mismatchesRoundTrip()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    const auto [mappingId, run1, run2] = mappingWithTwoRuns(**ws);
    QVERIFY(mappingId > 0);

    QList<IdentityMismatch> odd;
    odd.append({MismatchReason::MissingKey,
                QStringLiteral("cio-1"),
                QStringLiteral("p'1"),
                std::nullopt,
                {}});
    odd.append({MismatchReason::InvalidEmail,
                QStringLiteral("cio-2"),
                std::nullopt,
                QStringLiteral("\"x\\y\"@[a],{b}'); DROP TABLE mismatches; --"),
                {}});
    odd.append({MismatchReason::DuplicateKey, QStringLiteral("cio-3"), QStringLiteral("3"),
                QStringLiteral("Zoë.😀@example.com"), QStringLiteral("zoë.😀@example.com")});
    odd.append({MismatchReason::PlaceholderId,
                QStringLiteral("cio\t4\n"),
                QStringLiteral("null"),
                QString(),
                {}});
    odd.append({MismatchReason::InvalidEmail,
                QStringLiteral("cio-5"),
                std::nullopt,
                QStringLiteral("a") + QChar(0) + QStringLiteral("b@x.io"),
                {}});
    QVERIFY(MismatchRepository(**ws).replace(mappingId, run1, odd).ok());
    auto back = MismatchRepository(**ws).list(mappingId, 1000);
    QVERIFY2(back.ok(), qPrintable(back.error().toString()));
    QCOMPARE(back->size(), odd.size());
    QHash<QString, StoredMismatch> byCioId; // the order of rows is the store's
    for (const StoredMismatch& s : *back)
        byCioId.insert(s.mismatch.cioId, s);
    for (qsizetype i = 0; i < odd.size(); ++i) {
        const IdentityMismatch& want = odd[i];
        QVERIFY(byCioId.contains(want.cioId));
        const IdentityMismatch& got = byCioId[want.cioId].mismatch;
        QCOMPARE(byCioId[want.cioId].runId, run1);
        QCOMPARE(got.reason, want.reason);
        QCOMPARE(got.cioId, want.cioId);
        QCOMPARE(got.personId, want.personId);
        const std::optional<QString> email =
            want.email
                ? std::optional<QString>(QString(*want.email).replace(QChar(0), QChar(0xFFFD)))
                : std::nullopt;
        QCOMPARE(got.email, email);
        QCOMPARE(got.distinctId, want.distinctId);
    }

    // More rows than one statement carries; the earlier run's rows go.
    QList<IdentityMismatch> many;
    for (int i = 0; i < 45000; ++i)
        many.append({MismatchReason::MissingKey,
                     QStringLiteral("c%1").arg(i),
                     QString::number(i),
                     std::nullopt,
                     {}});
    QVERIFY(MismatchRepository(**ws).replace(mappingId, run2, many).ok());
    back = MismatchRepository(**ws).list(mappingId, 100000);
    QVERIFY(back.ok());
    QCOMPARE(back->size(), many.size());
    QSet<QString> seen;
    for (const StoredMismatch& s : *back) {
        QCOMPARE(s.runId, run2);
        seen.insert(s.mismatch.cioId);
    }
    QCOMPARE(seen.size(), many.size());
    QVERIFY(seen.contains(QStringLiteral("c44999")));
}

// A later run's set replaces the earlier one, row for row: rows found again stay (moved
// to the later run, each as many times as it is found now), rows not found go, new ones
// come; NUL, NULL and empty text are told apart.
void TestWorkspace::laterRunsMismatchesReplaceEarlierOnes()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    const auto [mappingId, run1, run2] = mappingWithTwoRuns(**ws);
    QVERIFY(mappingId > 0);
    const IdentityMismatch a{MismatchReason::DuplicateKey, QStringLiteral("cio-a"),
                             QStringLiteral("a"), QStringLiteral("same@example.com"),
                             QStringLiteral("same@example.com")};
    const IdentityMismatch nul{MismatchReason::InvalidEmail,
                               QStringLiteral("cio-n"),
                               std::nullopt,
                               QStringLiteral("n") + QChar(0) + QStringLiteral("@x.io"),
                               {}};
    const IdentityMismatch nullId{
        MismatchReason::MissingKey, QStringLiteral("cio-z"), std::nullopt, std::nullopt, {}};
    const IdentityMismatch emptyId{
        MismatchReason::MissingKey, QStringLiteral("cio-z"), QString(), std::nullopt, {}};
    const IdentityMismatch fresh{MismatchReason::PlaceholderId,
                                 QStringLiteral("cio-f"),
                                 QStringLiteral("0"),
                                 std::nullopt,
                                 {}};
    IdentityMismatch unknown = fresh;
    unknown.reason = MismatchReason::UnknownToMixpanel;
    unknown.distinctId = QStringLiteral("ghost");

    MismatchRepository repo(**ws);
    QVERIFY(repo.replace(mappingId, run1, {a, a, nul, nullId, emptyId}).ok());
    QVERIFY(repo.append(mappingId, run1, {unknown}).ok());
    QVERIFY(repo.replace(mappingId, run2, {a, nul, nullId, fresh}).ok());

    auto back = repo.list(mappingId, 100);
    QVERIFY2(back.ok(), qPrintable(back.error().toString()));
    QStringList rows;
    for (const StoredMismatch& s : *back)
        rows << QStringLiteral("%1 %2 %3 %4 run%5")
                    .arg(mismatchReasonName(s.mismatch.reason), s.mismatch.cioId,
                         s.mismatch.personId ? QStringLiteral("id=") + *s.mismatch.personId
                                             : QStringLiteral("id:null"),
                         s.mismatch.email.value_or(QStringLiteral("email:null")))
                    .arg(s.runId == run2   ? 2
                         : s.runId == run1 ? 1
                                           : 0);
    rows.sort();
    const QString n = QStringLiteral("n") + QChar(0xFFFD) + QStringLiteral("@x.io");
    QStringList want{QStringLiteral("duplicate_key cio-a id=a same@example.com run2"),
                     QStringLiteral("invalid_email cio-n id:null %1 run2").arg(n),
                     QStringLiteral("missing_key cio-z id:null email:null run2"),
                     QStringLiteral("placeholder_id cio-f id=0 email:null run2"),
                     // Sampled checks are not the resolver's to replace (EntryCheck).
                     QStringLiteral("unknown_to_mixpanel cio-f id=0 email:null run1")};
    want.sort();
    QCOMPARE(rows, want);
}

namespace {
IdentityMismatch missingKey(const QString& cioId)
{
    IdentityMismatch m;
    m.reason = MismatchReason::MissingKey;
    m.cioId = cioId;
    return m;
}
} // namespace

void TestWorkspace::writerRunsJobsInOrderOnItsOwnThread()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    auto ws = Workspace::open(location);
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    QThread* const here = QThread::currentThread();
    std::atomic<int> jobsHere{0};
    QList<int> order;
    QStringList errors;
    bool heardByGone = false;
    QObject context;
    {
        BackgroundWriter writer(location);
        for (int i = 0; i < 3; ++i)
            writer.submit(
                [i, here, &jobsHere](Workspace& w) {
                    jobsHere += QThread::currentThread() == here ? 1 : 0;
                    return MismatchRepository(w).append(1, 10 + i,
                                                        {missingKey(QStringLiteral("c%1").arg(i))});
                },
                &context,
                [i, here, &order, &errors](const Status& st) {
                    if (!st)
                        errors << st.error().toString();
                    if (QThread::currentThread() != here)
                        errors << QStringLiteral("done called in another thread");
                    order << i;
                });
        // A failing job's error comes back to its caller.
        writer.submit(
            [](Workspace&) -> Status {
                return SyncError::make(SyncError::Category::Storage, QStringLiteral("disk full"));
            },
            &context,
            [&order, &errors](const Status& st) {
                errors << (st ? QStringLiteral("no error") : st.error().message);
                order << 3;
            });
        // A caller gone before its job ends hears nothing (and nothing crashes).
        auto* gone = new QObject;
        writer.submit(
            [](Workspace&) {
                QThread::msleep(100);
                return Status{};
            },
            gone, [&heardByGone](const Status&) { heardByGone = true; });
        delete gone;
        QTRY_COMPARE(order.size(), 4);
        QCOMPARE(order, (QList<int>{0, 1, 2, 3}));
        QCOMPARE(errors, QStringList{QStringLiteral("disk full")});
        // Destroying the writer finishes what it was handed (a run's snapshot, say).
        writer.submit(
            [](Workspace& w) {
                QThread::msleep(200);
                return MismatchRepository(w).append(1, 20, {missingKey(QStringLiteral("last"))});
            },
            &context, {});
    }
    QCOMPARE(jobsHere.load(), 0);
    QVERIFY(!heardByGone);
    // Written on the writer's connection, read on this one.
    auto rows = MismatchRepository(**ws).list(1);
    QVERIFY2(rows.ok(), qPrintable(rows.error().toString()));
    QStringList ids;
    for (const StoredMismatch& r : *rows)
        ids << r.mismatch.cioId;
    ids.sort();
    QCOMPARE(ids, (QStringList{QStringLiteral("c0"), QStringLiteral("c1"), QStringLiteral("c2"),
                               QStringLiteral("last")}));

    // A workspace the writer cannot open: each job says so, nothing hangs.
    QFile plain(m_dir.filePath(QStringLiteral("a-file")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    BackgroundWriter broken(plain.fileName() + QStringLiteral("/workspace.db")); // under a file
    bool failed = false;
    broken.submit([](Workspace&) { return Status{}; }, &context,
                  [&failed](const Status& st) { failed = !st.ok(); });
    QTRY_VERIFY(failed);
}

void TestWorkspace::settingsRoundTrip()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    SettingsRepository settings(**ws);
    QVERIFY(!settings.connection()->isComplete());
    auto eu = ConnectionSettings::forRegion(QStringLiteral("eu"), 99);
    QVERIFY(eu);
    QVERIFY(settings.setConnection(*eu).ok());
    auto back = settings.connection();
    QVERIFY(back.ok());
    QCOMPARE(back->customerIoUrl, QStringLiteral("https://api-eu.customer.io"));
    QCOMPARE(back->mixpanelQueryUrl, QStringLiteral("https://eu.mixpanel.com/api/query"));
    QCOMPARE(back->projectId, 99);
    QVERIFY(!ConnectionSettings::forRegion(QStringLiteral("mars"), 1));
}

void TestWorkspace::cohortValueByteLimit_data()
{
    QTest::addColumn<QString>("cohort");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("bytes"); // 0: accepted
    const QString a255(255, QLatin1Char('a'));
    const QString euro(85, QChar(0x20AC)); // 3 bytes each
    QString rockets;                       // 4 bytes each (a surrogate pair in UTF-16)
    for (int i = 0; i < 63; ++i)
        rockets += QStringLiteral("🚀");
    const int list = int(SyncMode::List), flag = int(SyncMode::Flag);
    QTest::newRow("ascii 255") << a255 << list << 0;
    QTest::newRow("ascii 256") << a255 + QLatin1Char('a') << list << 256;
    QTest::newRow("flag: ascii 255") << a255 << flag << 0;
    QTest::newRow("flag: ascii 256") << a255 + QLatin1Char('a') << flag << 256;
    QTest::newRow("3-byte x 85 = 255") << euro << list << 0;
    QTest::newRow("3-byte x 85 + 1") << euro + QLatin1Char('a') << list << 256;
    QTest::newRow("2-byte x 128 = 256 (128 characters)")
        << QString(128, QChar(0x00E9)) << list << 256;
    QTest::newRow("2-byte x 127 + 1 = 255")
        << QString(127, QChar(0x00E9)) + QLatin1Char('a') << list << 0;
    QTest::newRow("4-byte x 63 + 3 = 255") << rockets + QStringLiteral("abc") << flag << 0;
    QTest::newRow("4-byte x 64 = 256") << rockets + QStringLiteral("🚀") << flag << 256;
    QTest::newRow("4-byte past the end: 258") << rockets + QStringLiteral("ab🚀") << list << 258;
}

void TestWorkspace::cohortValueByteLimit()
{
    QFETCH(QString, cohort);
    QFETCH(int, mode);
    QFETCH(int, bytes);
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    MappingRepository repo(**ws);
    Mapping m;
    m.segmentId = 3;
    m.cohortName = cohort;
    m.mode = SyncMode(mode);
    auto id = repo.add(m);
    QCOMPARE(id.ok(), bytes == 0);
    if (bytes) {
        QCOMPARE(id.error().category, SyncError::Category::Config);
        QVERIFY2(id.error().message.contains(QStringLiteral("is %1 bytes").arg(bytes)),
                 qPrintable(id.error().message));
        QVERIFY2(id.error().message.contains(QStringLiteral("at most 255 bytes")),
                 qPrintable(id.error().message));
        QCOMPARE(repo.list()->size(), 0);
        // An edit is refused the same way.
        m.cohortName = QStringLiteral("CIO | Short | 30d");
        auto ok = repo.add(m);
        QVERIFY(ok.ok());
        m.id = *ok;
        m.cohortName = cohort;
        QVERIFY(!repo.update(m).ok());
        QCOMPARE(repo.get(m.id)->cohortName, QStringLiteral("CIO | Short | 30d"));
    } else {
        QCOMPARE(repo.get(*id)->cohortName, cohort); // stored as given, not cut
    }
}

void TestWorkspace::regionsRouteToTheirHosts_data()
{
    QTest::addColumn<QString>("cio");
    QTest::addColumn<QString>("mp");
    QTest::addColumn<QString>("cioUrl"); // empty: the pair is refused
    QTest::addColumn<QString>("mpUrl");
    QTest::addColumn<QString>("mpQueryUrl");
    QTest::addColumn<QString>("shared");
    const QString cioUs = QStringLiteral("https://api.customer.io"),
                  cioEu = QStringLiteral("https://api-eu.customer.io");
    const QString mpUs = QStringLiteral("https://api.mixpanel.com"),
                  mpEu = QStringLiteral("https://api-eu.mixpanel.com"),
                  mpIn = QStringLiteral("https://api-in.mixpanel.com");
    const QString qUs = QStringLiteral("https://mixpanel.com/api/query"),
                  qEu = QStringLiteral("https://eu.mixpanel.com/api/query"),
                  qIn = QStringLiteral("https://in.mixpanel.com/api/query");
    QTest::newRow("us + us") << "us"
                             << "us" << cioUs << mpUs << qUs << "us";
    QTest::newRow("us + eu") << "us"
                             << "eu" << cioUs << mpEu << qEu << "";
    QTest::newRow("us + in") << "us"
                             << "in" << cioUs << mpIn << qIn << "";
    QTest::newRow("eu + us") << "eu"
                             << "us" << cioEu << mpUs << qUs << "";
    QTest::newRow("eu + eu") << "eu"
                             << "eu" << cioEu << mpEu << qEu << "eu";
    QTest::newRow("eu + in") << "eu"
                             << "in" << cioEu << mpIn << qIn << "";
    QTest::newRow("customer.io has no india") << "in"
                                              << "in"
                                              << ""
                                              << ""
                                              << ""
                                              << "";
    QTest::newRow("unknown mixpanel region") << "us"
                                             << "au"
                                             << ""
                                             << ""
                                             << ""
                                             << "";
    QTest::newRow("upper case is not a region") << "US"
                                                << "us"
                                                << ""
                                                << ""
                                                << ""
                                                << "";
}

void TestWorkspace::regionsRouteToTheirHosts()
{
    QFETCH(QString, cio);
    QFETCH(QString, mp);
    QFETCH(QString, cioUrl);
    QFETCH(QString, mpUrl);
    QFETCH(QString, mpQueryUrl);
    QFETCH(QString, shared);
    const auto s = ConnectionSettings::forRegions(cio, mp, 42);
    QCOMPARE(s.has_value(), !cioUrl.isEmpty());
    if (!s)
        return;
    QCOMPARE(s->customerIoUrl, cioUrl);
    QCOMPARE(s->mixpanelUrl, mpUrl);
    QCOMPARE(s->mixpanelQueryUrl, mpQueryUrl);
    QCOMPARE(s->region(), shared);
    // Stored and read back as two regions, not one.
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    SettingsRepository settings(**ws);
    QVERIFY(settings.setConnection(*s).ok());
    const auto back = settings.connection();
    QVERIFY(back.ok());
    QCOMPARE(back->customerIoRegion, cio);
    QCOMPARE(back->mixpanelRegion, mp);
    QCOMPARE(back->customerIoUrl, cioUrl);
    QCOMPARE(back->mixpanelUrl, mpUrl);
    QCOMPARE(back->mixpanelQueryUrl, mpQueryUrl);
    QCOMPARE(back->projectId, 42);
    // What an older Lockstep reads: the shared region, or none (its "custom addresses").
    QCOMPARE(*settings.value(QStringLiteral("region")), shared);
}

void TestWorkspace::singleRegionWorkspaceIsRead()
{
    // A workspace written before the regions were separate: URLs and one "region".
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    SettingsRepository settings(**ws);
    for (const auto& [key, value] :
         {std::pair{"customerio_url", "https://api-eu.customer.io"},
          std::pair{"mixpanel_url", "https://api-eu.mixpanel.com"},
          std::pair{"mixpanel_query_url", "https://eu.mixpanel.com/api/query"},
          std::pair{"region", "eu"}, std::pair{"project_id", "12"}})
        QVERIFY(settings.setValue(QString::fromLatin1(key), QString::fromLatin1(value)).ok());
    auto s = settings.connection();
    QVERIFY(s.ok());
    QCOMPARE(s->customerIoRegion, QStringLiteral("eu"));
    QCOMPARE(s->mixpanelRegion, QStringLiteral("eu"));
    QCOMPARE(s->region(), QStringLiteral("eu"));
    QCOMPARE(s->mixpanelQueryUrl, QStringLiteral("https://eu.mixpanel.com/api/query"));
    QCOMPARE(s->projectId, 12);
    // Custom addresses then (an empty region) stay custom for both.
    QVERIFY(settings.setValue(QStringLiteral("region"), QString()).ok());
    QCOMPARE(settings.connection()->customerIoRegion, QString());
    QCOMPARE(settings.connection()->mixpanelRegion, QString());
}

void TestWorkspace::snapshotAdvancesOnlyOnAck()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    SnapshotStore store(**ws);
    auto runId = RunRepository(**ws).begin(1, RunKind::Incremental, 1000);
    QVERIFY(runId.ok());
    JournalBatch add{0, JournalBatch::Op::Add, QByteArray("a\nb\nc"), 3};
    JournalBatch add2{1, JournalBatch::Op::Add, QByteArray("d\ne"), 2};
    QVERIFY(store.plan(*runId, 1, {add, add2}).ok());
    QCOMPARE(*store.count(1), 0);
    QCOMPARE(store.open(*runId)->size(), 2);

    QVERIFY(store.acknowledge(*runId, 1, add).ok());
    QVERIFY(store.fail(*runId, 1, QStringLiteral("server error")).ok());
    QCOMPARE(*store.count(1), 3);
    QCOMPARE(store.open(*runId)->size(), 0);
    auto errors = RunRepository(**ws).batchErrors(*runId);
    QCOMPARE(errors->size(), 1);
    QCOMPARE(errors->first().size, 2);

    // Acknowledging twice is harmless; removal applies.
    QVERIFY(store.acknowledge(*runId, 1, add).ok());
    JournalBatch rm{2, JournalBatch::Op::Remove, QByteArray("b"), 1};
    QVERIFY(store.plan(*runId, 1, {rm}).ok());
    QVERIFY(store.acknowledge(*runId, 1, rm).ok());
    const MemberSet snap = *store.load(1);
    QCOMPARE(snap.size(), size_t(2));
    QVERIFY(snap.contains("a"));
    QVERIFY(!snap.contains("b"));
    QCOMPARE(*store.count(2), 0); // per mapping
}

namespace {
using Keys = std::set<std::string>;

QByteArray joined(const std::vector<std::string>& keys)
{
    QByteArray out;
    for (const std::string& k : keys) {
        if (!out.isEmpty())
            out += '\n';
        out += QByteArray::fromStdString(k);
    }
    return out;
}

// Journals and acknowledges one run's changes as MappingRun does (batches of at most 3
// keys, removals first); `acknowledge` false leaves them planned (a run killed mid-send).
qint64 journalRun(Workspace& ws, qint64 mappingId, const std::vector<std::string>& adds,
                  const std::vector<std::string>& removes, bool acknowledge = true)
{
    auto runId = RunRepository(ws).begin(mappingId, RunKind::Incremental, 1);
    if (!runId)
        return 0;
    QList<JournalBatch> batches;
    const auto cut = [&](JournalBatch::Op op, const std::vector<std::string>& keys) {
        for (size_t at = 0; at < keys.size(); at += 3) {
            const std::vector<std::string> part(keys.begin() + qsizetype(at),
                                                keys.begin() +
                                                    qsizetype(std::min(at + 3, keys.size())));
            batches.append(JournalBatch{int(batches.size()), op, joined(part), int(part.size())});
        }
    };
    cut(JournalBatch::Op::Remove, removes);
    cut(JournalBatch::Op::Add, adds);
    SnapshotStore store(ws);
    if (!store.plan(*runId, mappingId, batches).ok())
        return 0;
    for (const JournalBatch& b : batches)
        if (acknowledge && !store.acknowledge(*runId, mappingId, b).ok())
            return 0;
    return *runId;
}

MemberSet setOf(const Keys& keys)
{
    MemberSet set;
    for (const std::string& k : keys)
        set.add(k);
    set.finalize();
    return set;
}

QStringList listOf(const MemberSet& set)
{
    QStringList out;
    for (size_t i = 0; i < set.size(); ++i)
        out << QString::fromUtf8(set.key(i).data(), qsizetype(set.key(i).size()));
    return out;
}

QStringList listOf(const Keys& keys)
{
    QStringList out;
    for (const std::string& k : keys)
        out << QString::fromStdString(k);
    return out;
}

qint64 scalar(Workspace& ws, const QString& sql)
{
    QSqlQuery q = ws.query(sql);
    if (!Workspace::exec(q, "test query").ok() || !q.next())
        return -99;
    return q.value(0).toLongLong();
}
} // namespace

// A run whose batches were all acknowledged leaves them in the journal (the next load
// replays them) unless they change more than 1/4 of the members; a run that replays more
// than 1/8 rebases: the keys it loaded are written back and the earlier runs' batches
// folded in, its own left alone. The count is known without a replay, and loads are
// exact, at the blob's ends too.
void TestWorkspace::snapshotSettlesInTheJournalUntilCompactionPays()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    const qint64 mapping = 1;
    SnapshotStore store(**ws);
    const QString acked =
        QStringLiteral("SELECT COUNT(*) FROM journal_batches WHERE state='acked'");
    const QString synced =
        QStringLiteral("SELECT synced_count FROM snapshot_meta WHERE mapping_id=1");

    Keys model;
    std::vector<std::string> first;
    for (int i = 100; i < 900; ++i)
        first.push_back("k" + std::to_string(i));
    model.insert(first.begin(), first.end());
    const qint64 r1 = journalRun(**ws, mapping, first, {});
    QVERIFY(r1);
    auto compacted = store.settle(mapping, r1, setOf(model));
    QVERIFY2(compacted.ok(), qPrintable(compacted.error().toString()));
    QVERIFY(*compacted); // 800 changes for 800 members
    QCOMPARE(scalar(**ws, acked), 0);
    QCOMPARE(scalar(**ws, synced), 800);

    // The first and the last key leave; keys join before, between and after the others.
    const std::vector<std::string> in{"a-before", "k500x", "z-after"}, out{"k100", "k899"};
    const qint64 r2 = journalRun(**ws, mapping, in, out);
    QVERIFY(r2);
    model.insert(in.begin(), in.end());
    for (const std::string& k : out)
        model.erase(k);
    compacted = store.settle(mapping, r2, setOf(model));
    QVERIFY(compacted.ok());
    QVERIFY(!*compacted); // 5 changes: the journal keeps them
    QVERIFY(scalar(**ws, acked) > 0);
    QCOMPARE(scalar(**ws, synced), 801);
    QCOMPARE(*store.count(mapping), 801);
    QCOMPARE(listOf(*store.load(mapping)), listOf(model));

    // While a run is under way the count is the live one (acknowledged so far).
    auto runId = RunRepository(**ws).begin(mapping, RunKind::Incremental, 1);
    QVERIFY(runId.ok());
    const JournalBatch gone{0, JournalBatch::Op::Remove, QByteArray("a-before"), 1};
    QVERIFY(store.plan(*runId, mapping, {gone}).ok());
    QCOMPARE(scalar(**ws, synced), -1);
    QCOMPARE(*store.count(mapping), 801);
    QVERIFY(store.acknowledge(*runId, mapping, gone).ok());
    model.erase("a-before");
    QCOMPARE(*store.count(mapping), 800);
    QVERIFY(!*store.settle(mapping, *runId, setOf(model)));

    // 120 more: 126 changes in the journal, under 920 / 4 but over 920 / 8.
    std::vector<std::string> more;
    for (int i = 0; i < 120; ++i)
        more.push_back("m" + std::to_string(i));
    const qint64 r4 = journalRun(**ws, mapping, more, {});
    QVERIFY(r4);
    model.insert(more.begin(), more.end());
    QVERIFY(!*store.settle(mapping, r4, setOf(model)));
    QCOMPARE(scalar(**ws, synced), 920);
    // The next run loads them replayed, and rebases while its own batch is acknowledged.
    auto loaded = store.loadReplaying(mapping);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->replayed, 126);
    QVERIFY(loaded->replayed * SnapshotStore::kRebaseShare > qint64(loaded->members.size()));
    auto run = RunRepository(**ws).begin(mapping, RunKind::Incremental, 1);
    QVERIFY(run.ok());
    const JournalBatch own{0, JournalBatch::Op::Add, QByteArray("n-own"), 1};
    QVERIFY(store.plan(*run, mapping, {own}).ok());
    QVERIFY(store.acknowledge(*run, mapping, own).ok());
    QVERIFY(store.rebase(mapping, *run, loaded->members).ok());
    model.insert("n-own");
    QCOMPARE(scalar(**ws, acked), 1); // the run's own batch: not in what was loaded
    auto after = store.loadReplaying(mapping);
    QCOMPARE(after->replayed, 1);
    QCOMPARE(listOf(after->members), listOf(model));
    QCOMPARE(*store.count(mapping), 921); // live: the run has not settled

    // A run that changes more than a quarter by itself: the keys are rewritten at its end.
    std::vector<std::string> many;
    for (int i = 0; i < 350; ++i)
        many.push_back("p" + std::to_string(i));
    const qint64 r6 = journalRun(**ws, mapping, many, {});
    QVERIFY(r6);
    model.insert(many.begin(), many.end());
    compacted = store.settle(mapping, r6, setOf(model));
    QVERIFY(compacted.ok());
    QVERIFY(*compacted); // 350 changes of its own > 1271 / 4
    QCOMPARE(scalar(**ws, acked), 0);
    QCOMPARE(*store.count(mapping), 1271);
    QCOMPARE(listOf(*store.load(mapping)), listOf(model));
}

void TestWorkspace::snapshotReplayMatchesAModel_data()
{
    QTest::addColumn<int>("seed");
    for (int seed = 1; seed <= 12; ++seed)
        QTest::addRow("seed %d", seed) << seed;
}

// Random runs over keys that share prefixes ("b", "bb", "bba"...), with redundant
// operations (an add of a member, a remove of a non-member: repairs resend), runs that
// settle, compact or die after their acknowledgements, and runs killed before any: the
// snapshot always equals a plain set that saw the same acknowledged operations.
void TestWorkspace::snapshotReplayMatchesAModel()
{
    QFETCH(int, seed);
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    std::mt19937 rng{uint32_t(seed)};
    std::vector<std::string> universe;
    for (int i = 0; i < 120; ++i) {
        std::string k;
        const int len = 1 + int(rng() % 4);
        for (int c = 0; c < len; ++c)
            k += "abz~"[rng() % 4];
        universe.push_back(k);
    }
    const qint64 mapping = 3;
    SnapshotStore store(**ws);
    Keys model;
    for (int run = 0; run < 25; ++run) {
        Keys adds, removes;
        const int changes = int(rng() % 30);
        for (int i = 0; i < changes; ++i) {
            const std::string& k = universe[rng() % universe.size()];
            (rng() % 2 ? adds : removes).insert(k);
        }
        for (const std::string& k : adds)
            removes.erase(k); // one operation a key and run, as a plan has
        // 0 killed before acks, 1 killed after, 2 compact, 3 rebase what was loaded before
        // the run's acknowledgements, else settle.
        const int fate = int(rng() % 6);
        std::optional<SnapshotStore::Loaded> before;
        if (fate == 3) {
            auto l = store.loadReplaying(mapping);
            QVERIFY(l.ok());
            before = std::move(*l);
        }
        const qint64 runId = journalRun(**ws, mapping, {adds.begin(), adds.end()},
                                        {removes.begin(), removes.end()}, fate != 0);
        QVERIFY(runId);
        if (fate != 0) {
            for (const std::string& k : removes)
                model.erase(k);
            model.insert(adds.begin(), adds.end());
        }
        if (fate == 2) {
            const Status st = store.compact(mapping);
            QVERIFY2(st.ok(), qPrintable(st.error().toString()));
        } else if (fate == 3) {
            const Status st = store.rebase(mapping, runId, before->members);
            QVERIFY2(st.ok(), qPrintable(st.error().toString()));
        } else if (fate >= 4) {
            auto settled = store.settle(mapping, runId, setOf(model));
            QVERIFY2(settled.ok(), qPrintable(settled.error().toString()));
        }
        auto loaded = store.load(mapping);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        QCOMPARE(listOf(*loaded), listOf(model));
        QCOMPARE(*store.count(mapping), qint64(model.size()));
    }
}

// A workspace written before schema 5 (keys inside snapshot_meta, the resolver's rows in
// table mismatches) keeps everything: the migration moves both.
void TestWorkspace::schemaFourWorkspaceMigrates()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    qint64 mappingId = 0, run1 = 0;
    {
        auto ws = Workspace::open(location);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        auto ids = mappingWithTwoRuns(**ws);
        mappingId = std::get<0>(ids);
        run1 = std::get<1>(ids);
        // Back to schema 4, as an older Lockstep left it (without the later tables).
        for (const char* sql : {"DROP INDEX mappings_by_key",
                                "ALTER TABLE mappings DROP COLUMN mapping_key",
                                "ALTER TABLE mappings DROP COLUMN revision",
                                "DROP TABLE rate_buckets",
                                "DROP TABLE snapshot_keys",
                                "DROP TABLE mismatch_sets",
                                "ALTER TABLE snapshot_meta DROP COLUMN synced_count",
                                "ALTER TABLE runs DROP COLUMN verify_status",
                                "ALTER TABLE runs DROP COLUMN verify_entered",
                                "ALTER TABLE runs DROP COLUMN verify_checked",
                                "ALTER TABLE runs DROP COLUMN verify_unknown",
                                "ALTER TABLE runs DROP COLUMN verify_value_missing",
                                "ALTER TABLE runs DROP COLUMN verify_note",
                                "ALTER TABLE mappings DROP COLUMN health_monitor",
                                "ALTER TABLE mappings DROP COLUMN report_url",
                                "ALTER TABLE mappings DROP COLUMN report_cohort",
                                "DROP TABLE held_exits",
                                "DROP TABLE snapshot_people",
                                "ALTER TABLE mappings DROP COLUMN mass_exit_percent",
                                "ALTER TABLE runs DROP COLUMN held_exits",
                                "DROP TABLE notify_outbox",
                                "DROP TABLE notify_channels",
                                "DELETE FROM schema_version WHERE version >= 5"}) {
            QSqlQuery q((*ws)->db()); // unprepared: PostgreSQL cannot prepare DDL
            QVERIFY2(q.exec(QString::fromLatin1(sql)), sql);
        }
        QSqlQuery meta = (*ws)->query(QStringLiteral(
            "INSERT INTO snapshot_meta (mapping_id, member_count, keys) VALUES (?, 3, ?)"));
        meta.addBindValue(mappingId);
        meta.addBindValue(QByteArray("a\nb\nc"));
        QVERIFY(Workspace::exec(meta, "old snapshot").ok());
        QSqlQuery rows = (*ws)->query(QStringLiteral(
            "INSERT INTO mismatches (run_id, mapping_id, reason, severity, cio_id, person_id, "
            "email, "
            "distinct_id) VALUES (?, ?, 'duplicate_key', 'warning', 'cio-1', '1', 'o''brien@x.io', "
            "'o''brien@x.io'), (?, ?, 'missing_key', 'error', 'cio-2', NULL, NULL, ''), (?, ?, "
            "'unknown_to_mixpanel', 'error', 'cio-3', '3', NULL, 'ghost')"));
        for (int i = 0; i < 3; ++i) {
            rows.addBindValue(run1);
            rows.addBindValue(mappingId);
        }
        QVERIFY(Workspace::exec(rows, "old rows").ok());
    }
    auto ws = Workspace::open(location);
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    QVERIFY((*ws)->schemaVersion() >= 5);
    QCOMPARE(listOf(*SnapshotStore(**ws).load(mappingId)), (QStringList{"a", "b", "c"}));
    QCOMPARE(*SnapshotStore(**ws).count(mappingId), 3);
    auto back = MismatchRepository(**ws).list(mappingId);
    QVERIFY2(back.ok(), qPrintable(back.error().toString()));
    QStringList got;
    for (const StoredMismatch& r : *back)
        got << QStringLiteral("%1 %2 %3 %4 %5 %6")
                   .arg(mismatchReasonName(r.mismatch.reason), r.mismatch.cioId,
                        r.mismatch.personId.value_or(QStringLiteral("null")),
                        r.mismatch.email.value_or(QStringLiteral("null")), r.mismatch.distinctId)
                   .arg(r.runId == run1);
    got.sort();
    QCOMPARE(got, (QStringList{"duplicate_key cio-1 1 o'brien@x.io o'brien@x.io 1",
                               "missing_key cio-2 null null  1",
                               "unknown_to_mixpanel cio-3 3 null ghost 1"}));
    // The next run replaces the moved rows and keeps the sampled check's.
    QVERIFY(MismatchRepository(**ws).replace(mappingId, run1, {}).ok());
    QCOMPARE(MismatchRepository(**ws).list(mappingId)->size(), 1);
}

// A workspace from before the checklist's split owners and reporting plan (schema 9): the
// one owner answered for both, so the health monitor starts as that person; nothing else
// changes, and the new fields round-trip.
void TestWorkspace::schemaNineWorkspaceMigrates()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    Mapping m;
    m.segmentId = 7;
    m.cohortName = QStringLiteral("CIO | Winback | 30d");
    m.owner = QStringLiteral("Maya (retention)");
    m.decision = QStringLiteral("Winback offer");
    Mapping unowned = m;
    unowned.segmentId = 8;
    unowned.cohortName = QStringLiteral("CIO | VIP | 30d");
    unowned.owner.clear();
    qint64 id = 0, unownedId = 0;
    {
        auto ws = Workspace::open(location);
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        id = *MappingRepository(**ws).add(m);
        unownedId = *MappingRepository(**ws).add(unowned);
        for (const char* sql :
             {"ALTER TABLE mappings DROP COLUMN health_monitor",
              "ALTER TABLE mappings DROP COLUMN report_url",
              "ALTER TABLE mappings DROP COLUMN report_cohort", "DROP TABLE held_exits",
              "DROP TABLE snapshot_people", "ALTER TABLE mappings DROP COLUMN mass_exit_percent",
              "ALTER TABLE runs DROP COLUMN held_exits", "DROP TABLE notify_outbox",
              "DROP TABLE notify_channels", "DELETE FROM schema_version WHERE version >= 10"}) {
            QSqlQuery q((*ws)->db());
            QVERIFY2(q.exec(QString::fromLatin1(sql)), sql);
        }
    }
    auto ws = Workspace::open(location);
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    QVERIFY((*ws)->schemaVersion() >= 10);
    auto back = MappingRepository(**ws).get(id);
    QVERIFY(back.ok());
    QCOMPARE(back->owner, m.owner);
    QCOMPARE(back->healthMonitor, m.owner);
    QCOMPARE(back->decision, m.decision);
    QCOMPARE(back->cohortName, m.cohortName);
    QVERIFY(back->reportUrl.isEmpty() && back->reportCohort.isEmpty());
    QVERIFY(MappingRepository(**ws).get(unownedId)->healthMonitor.isEmpty());
    back->healthMonitor = QStringLiteral("Jon (on call)");
    back->setReportUrl(QStringLiteral(" https://mixpanel.com/project/1/view/2/app/boards#id=3 "));
    QVERIFY(MappingRepository(**ws).update(*back).ok());
    auto again = MappingRepository(**ws).get(id);
    QCOMPARE(again->healthMonitor, QStringLiteral("Jon (on call)"));
    QCOMPARE(again->reportUrl,
             QStringLiteral("https://mixpanel.com/project/1/view/2/app/boards#id=3"));
    QCOMPARE(again->reportCohort, m.cohortName);
    QVERIFY(again->reportPlanCurrent());
    back->reportUrl = QStringLiteral("ftp://example.com/board");
    QVERIFY(!MappingRepository(**ws).update(*back).ok());
    QCOMPARE(MappingRepository(**ws).get(id)->reportUrl, again->reportUrl);
}

void TestWorkspace::damagedMismatchDocumentIsAClearError()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
    const auto [mappingId, run1, run2] = mappingWithTwoRuns(**ws);
    QVERIFY(
        MismatchRepository(**ws).replace(mappingId, run1, {missingKey(QStringLiteral("c1"))}).ok());
    QSqlQuery q = (*ws)->query(QStringLiteral("UPDATE mismatch_sets SET rows=?"));
    q.addBindValue(QByteArray("[[\"missing_key\",\"error\",\"c1\""));
    QVERIFY(Workspace::exec(q, "damage").ok());
    auto back = MismatchRepository(**ws).list(mappingId);
    QVERIFY(!back.ok());
    QCOMPARE(back.error().category, SyncError::Category::Storage);
    QVERIFY2(back.error().message.contains(QStringLiteral("damaged")),
             qPrintable(back.error().message));
    // The next run's rows replace the damaged ones.
    QVERIFY(
        MismatchRepository(**ws).replace(mappingId, run2, {missingKey(QStringLiteral("c2"))}).ok());
    QCOMPARE(MismatchRepository(**ws).list(mappingId)->first().mismatch.cioId,
             QStringLiteral("c2"));
}

void TestWorkspace::notAWorkspace()
{
    // A damaged SQLite file; store-independent, so it runs in both variants.
    const QString path = m_dir.filePath(QStringLiteral("garbage.sqlite"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
    f.close();
    auto ws = Workspace::open(path);
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().category, SyncError::Category::Storage);
    QVERIFY2(ws.error().message.contains(path), qPrintable(ws.error().message));
}

void TestWorkspace::rejectsPasswordInUrl()
{
    auto ws = Workspace::open(QStringLiteral("postgresql://bob:hunter2@localhost/db"));
    QVERIFY(!ws.ok());
    QCOMPARE(ws.error().category, SyncError::Category::Config);
    QVERIFY(!ws.error().message.contains(QStringLiteral("hunter2")));
}

// What a workspace URL becomes: the libpq options passed on, TLS by default off this
// machine (judged by the name as written), refusals that never echo a password.
void TestWorkspace::postgresUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("options"); // "" with `refused` set: refused
    QTest::addColumn<QString>("refused"); // part of the error, "" when accepted
    QTest::newRow("remote: verify-full by default") << "postgresql://lockstep@db.internal/ls"
                                                    << "sslmode='verify-full'"
                                                    << "";
    QTest::newRow("remote by IP") << "postgresql://u@10.1.2.3:5433/ls"
                                  << "sslmode='verify-full'"
                                  << "";
    QTest::newRow("a name that may resolve to loopback is remote")
        << "postgresql://u@localhost.evil.example/ls"
        << "sslmode='verify-full'"
        << "";
    QTest::newRow("localhost: libpq's default") << "postgresql://u@localhost/ls"
                                                << ""
                                                << "";
    QTest::newRow("127.1.2.3: libpq's default") << "postgresql://u@127.1.2.3:5/ls"
                                                << ""
                                                << "";
    QTest::newRow("[::1]: libpq's default") << "postgres://u@[::1]/ls"
                                            << ""
                                            << "";
    QTest::newRow("128.0.0.1 is not loopback") << "postgresql://u@128.0.0.1/ls"
                                               << "sslmode='verify-full'"
                                               << "";
    QTest::newRow("explicit sslmode wins") << "postgresql://u@db/ls?sslmode=require"
                                           << "sslmode='require'"
                                           << "";
    QTest::newRow("every parameter, quoted")
        << "postgresql://u@localhost/ls?sslrootcert=/etc/ssl/team%20ca.pem&sslcert=/c&sslkey=/k&"
           "connect_timeout=7&application_name=it's"
        << "sslrootcert='/etc/ssl/team ca.pem';sslcert='/c';sslkey='/k';connect_timeout='7';"
           "application_name='it\\'s'"
        << "";
    QTest::newRow("password=") << "postgresql://u@db/ls?password=hunter2"
                               << ""
                               << "PGPASSWORD";
    QTest::newRow("Password=, after others")
        << "postgresql://u@db/ls?sslmode=require&Password=hunter2"
        << ""
        << "PGPASSWORD";
    QTest::newRow("sslpassword=") << "postgresql://u@db/ls?sslpassword=hunter2"
                                  << ""
                                  << "PGPASSWORD";
    QTest::newRow("user:password@") << "postgresql://u:hunter2@db/ls"
                                    << ""
                                    << "PGPASSWORD";
    QTest::newRow("unknown parameter") << "postgresql://u@db/ls?host=evil&x=hunter2"
                                       << ""
                                       << "\"host\" is not supported";
    QTest::newRow("twice") << "postgresql://u@db/ls?sslmode=require&sslmode=disable"
                           << ""
                           << "more than once";
    QTest::newRow("bad sslmode") << "postgresql://u@db/ls?sslmode=hunter2"
                                 << ""
                                 << "sslmode must be";
    QTest::newRow("bad timeout") << "postgresql://u@db/ls?connect_timeout=soon"
                                 << ""
                                 << "connect_timeout takes";
    QTest::newRow("';' in a value") << "postgresql://u@db/ls?application_name=a%3Bb"
                                    << ""
                                    << "';'";
}

void TestWorkspace::postgresUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, options);
    QFETCH(QString, refused);
    qunsetenv("PGSSLMODE");
    const auto t = parsePostgresUrl(url);
    if (!refused.isEmpty()) {
        QVERIFY(!t);
        QCOMPARE(t.error().category, SyncError::Category::Config);
        QVERIFY2(t.error().message.contains(refused), qPrintable(t.error().message));
        // Refusals never repeat what could be a secret.
        QVERIFY2(!t.error().message.contains(QStringLiteral("hunter2")),
                 qPrintable(t.error().message));
        return;
    }
    QVERIFY2(t, t ? "" : qPrintable(t.error().message));
    QCOMPARE(t->connectOptions, options);
    QVERIFY(!displayLocation(url).contains(QLatin1Char('?')));
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
