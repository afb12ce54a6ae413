// Item models of the console: structure checked by QAbstractItemModelTester while data is
// set, changed and cleared; values and roles checked by hand.
#include "alertsmodel.h"
#include "audit/auditreport.h"
#include "auditfindingsmodel.h"
#include "batcherrorsmodel.h"
#include "health/healthfinding.h"
#include "mappingsmodel.h"
#include "modelroles.h"
#include "runsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace lockstep;

namespace {

MappingOverview overview(qint64 id, const QString& cohort, std::optional<RunStatus> last = {},
                         qint64 synced = 0)
{
    MappingOverview o;
    o.mapping.id = id;
    o.mapping.segmentId = 100 + id;
    o.mapping.segmentName = QStringLiteral("Segment %1").arg(QChar(char16_t(u'A' + id)));
    o.mapping.cohortName = cohort;
    o.mapping.identity = IdentityKey::Email;
    o.syncedCount = synced;
    if (last) {
        RunRecord r;
        r.id = 1000 + id;
        r.mappingId = id;
        r.status = *last;
        r.startedAtMs = 1'700'000'000'000 + id;
        r.finishedAtMs = r.startedAtMs + 5000;
        r.segmentCount = synced + 1;
        o.lastRun = r;
    }
    return o;
}

RunRecord run(qint64 id, qint64 mappingId, RunStatus status, qint64 entered = 0)
{
    RunRecord r;
    r.id = id;
    r.mappingId = mappingId;
    r.status = status;
    r.kind = RunKind::Incremental;
    r.startedAtMs = 1'700'000'000'000 + id * 1000;
    r.finishedAtMs = status == RunStatus::Running ? 0 : r.startedAtMs + 2500;
    r.entered = entered;
    r.apiCalls = 3;
    return r;
}

QVariant cell(const QAbstractItemModel& m, int row, int column, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, column), role);
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Tables show words, never a rule's or a finding's machine name: every code the
    // engine writes has a text, and one it does not know yet reads as words too.
    void noInternalNamesInTables()
    {
        const char* rules[] = {rule::kSizeCollapse,
                               rule::kWeekOverWeek,
                               rule::kChurn,
                               rule::kStaleSync,
                               rule::kSegmentNotReady,
                               rule::kDrift,
                               rule::kMatchRate,
                               rule::kUnknownProfiles,
                               rule::kDefinitionChanged,
                               rule::kWatchedOverlap,
                               "latency"};
        for (const char* r : rules) {
            const QString text = AlertsModel::ruleText(QLatin1String(r));
            QVERIFY2(!text.contains(QLatin1Char('_')) && text != QLatin1String(r), r);
        }
        using namespace finding;
        const char* codes[] = {
            kMissingPrefix,   kPrefixCase,    kPartCount,          kEmptyPart,
            kWindowFormat,    kVersionFormat, kIntentCase,         kSpacing,
            kPatternMismatch, kNearDuplicate, kSegmentMappedTwice, kNameOnTwoSegments,
            kVersionGap,      kMissingOwner,  kMissingDecision};
        for (const char* c : codes) {
            const QString text = AuditFindingsModel::codeText(QLatin1String(c));
            QVERIFY2(!text.contains(QLatin1Char('_')) && text != QLatin1String(c), c);
        }
        QCOMPARE(AlertsModel::ruleText(QStringLiteral("held_exits")), QStringLiteral("Held exits"));
    }

    void mappingsModelStructure();
    void mappingsModelValues();
    void mappingsRefreshKeepsRows();
    void mappingsSortAndFilterThroughProxy();
    void mappingsRolloutColumn();
    void mappingsLatencyColumn();
    void runsModelStructure();
    void runsModelValues();
    void runsModelPrependAndUpsert();
    void batchErrorsModel();
};

void TestModels::mappingsModelStructure()
{
    MappingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(MappingsModel::ColumnCount));

    model.setMappings(
        {overview(1, QStringLiteral("CIO | Winback | 45-60d")),
         overview(2, QStringLiteral("CIO | Cart | 0-24h"), RunStatus::Succeeded, 42)});
    QCOMPARE(model.rowCount(), 2);
    // Same ids: in place. Different ids: reset. Then cleared.
    model.setMappings({overview(1, QStringLiteral("renamed")),
                       overview(2, QStringLiteral("CIO | Cart | 0-24h"), RunStatus::Failed, 40)});
    model.setMappings({overview(3, QStringLiteral("three"))});
    QCOMPARE(model.rowCount(), 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.data(model.index(0, 0)).isValid());
}

void TestModels::mappingsModelValues()
{
    MappingsModel model;
    MappingOverview paused = overview(3, QStringLiteral("CIO | Paused | 7d"), RunStatus::Succeeded);
    paused.mapping.paused = true;
    MappingOverview flag = overview(4, QStringLiteral("CIO | Flag | 7d"));
    flag.mapping.mode = SyncMode::Flag;
    flag.mapping.identity = IdentityKey::CioId;
    model.setMappings({overview(1, QStringLiteral("CIO | Winback | 45-60d")),
                       overview(2, QStringLiteral("CIO | Cart | 0-24h"), RunStatus::Partial, 12345),
                       paused, flag});

    QCOMPARE(cell(model, 0, MappingsModel::Segment).toString(), QStringLiteral("Segment B"));
    QCOMPARE(cell(model, 0, MappingsModel::Cohort).toString(),
             QStringLiteral("CIO | Winback | 45-60d"));
    QCOMPARE(cell(model, 0, MappingsModel::Identity).toString(), QStringLiteral("email"));
    QCOMPARE(cell(model, 0, MappingsModel::Mode).toString(), QStringLiteral("list · cio_cohorts"));
    QCOMPARE(cell(model, 0, MappingsModel::LastSync).toString(), QStringLiteral("never"));
    QCOMPARE(cell(model, 0, MappingsModel::Size).toString(), QString());
    QCOMPARE(cell(model, 0, MappingsModel::Status).toString(), QStringLiteral("Never synced"));
    QCOMPARE(cell(model, 0, 0, StatusNameRole).toString(), QStringLiteral("never_synced"));
    QCOMPARE(cell(model, 0, 0, MappingIdRole).toLongLong(), 1);

    QCOMPARE(cell(model, 1, MappingsModel::Size).toString(), QLocale().toString(12345));
    QCOMPARE(cell(model, 1, MappingsModel::Size, SortRole).toLongLong(), 12345);
    QCOMPARE(cell(model, 1, MappingsModel::Status).toString(), QStringLiteral("Partial"));
    QCOMPARE(cell(model, 1, MappingsModel::Status, StatusToneRole).toInt(),
             int(StatusTone::Warning));
    QVERIFY(!cell(model, 1, MappingsModel::Cohort, StatusToneRole).isValid());
    // Last sync is the verdict's last successful sync, with the partial run beside it.
    QCOMPARE(cell(model, 1, MappingsModel::LastSync).toString(), QString());
    MappingHealth partial;
    partial.mappingId = 2;
    partial.verdict.mappingId = 2;
    partial.verdict.state = VerdictState::Degraded;
    partial.verdict.lastSyncMs = 1'700'000'000'000;
    partial.verdict.laterRunStatus = RunStatus::Partial;
    partial.verdict.laterRunAtMs = 1'700'000'000'000 + 2 + 5000;
    model.setHealth({partial});
    QCOMPARE(cell(model, 1, MappingsModel::LastSync, SortRole).toLongLong(), 1'700'000'000'000);
    QVERIFY(cell(model, 1, MappingsModel::LastSync)
                .toString()
                .endsWith(QStringLiteral(" · last run partial")));
    QVERIFY(cell(model, 1, MappingsModel::LastSync, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("did not succeed (Partial)")));
    QVERIFY(cell(model, 1, MappingsModel::Cohort, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("contains \"CIO | Cart | 0-24h\"")));
    QCOMPARE(cell(model, 1, MappingsModel::Size, Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));

    QCOMPARE(cell(model, 2, 0, StatusNameRole).toString(), QStringLiteral("paused"));
    QCOMPARE(cell(model, 2, MappingsModel::Status).toString(), QStringLiteral("Paused"));
    QCOMPARE(cell(model, 3, MappingsModel::Mode).toString(), QStringLiteral("flag"));
    QCOMPARE(cell(model, 3, MappingsModel::Identity).toString(), QStringLiteral("cio_id"));
    QCOMPARE(model.rowOf(4), 3);
    QCOMPARE(model.rowOf(99), -1);

    QCOMPARE(model.headerData(MappingsModel::Identity, Qt::Horizontal).toString(),
             QStringLiteral("Identity key"));
}

void TestModels::mappingsRefreshKeepsRows()
{
    // A refresh with the same mappings, or with some added or deleted, must not reset
    // the model (selection survives).
    MappingsModel model;
    model.setMappings({overview(1, QStringLiteral("a")), overview(2, QStringLiteral("b"))});
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setMappings({overview(1, QStringLiteral("a")),
                       overview(2, QStringLiteral("b"), RunStatus::Succeeded, 7)});
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(cell(model, 1, MappingsModel::Status).toString(), QStringLiteral("Succeeded"));
    // Deleted and added elsewhere: rows removed and inserted, the others kept.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const QPersistentModelIndex kept = model.index(1, 0);
    model.setMappings({overview(2, QStringLiteral("b")), overview(3, QStringLiteral("c"))});
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(kept.row(), 0);
    QCOMPARE(model.rowOf(3), 1);
    // Reordered: a reset.
    model.setMappings({overview(3, QStringLiteral("c")), overview(2, QStringLiteral("b"))});
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowOf(3), 0);
}

void TestModels::mappingsSortAndFilterThroughProxy()
{
    MappingsModel model;
    model.setMappings(
        {overview(1, QStringLiteral("CIO | Winback | 45-60d"), RunStatus::Succeeded, 900),
         overview(2, QStringLiteral("CIO | Cart | 0-24h"), RunStatus::Succeeded, 10000),
         overview(3, QStringLiteral("CIO | VIP | 90d"), RunStatus::Failed, 5)});
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Numeric, not textual: "10,000" sorts after "900".
    proxy.sort(MappingsModel::Size, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data(MappingIdRole).toLongLong(), 3);
    QCOMPARE(proxy.index(2, 0).data(MappingIdRole).toLongLong(), 2);
    proxy.setFilterKeyColumn(-1);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterFixedString(QStringLiteral("vip"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(MappingIdRole).toLongLong(), 3);
}

void TestModels::mappingsLatencyColumn()
{
    MappingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMappings({overview(1, QStringLiteral("CIO | Winback | 45-60d")),
                       overview(2, QStringLiteral("CIO | Cart | 0-24h")),
                       overview(3, QStringLiteral("CIO | VIP | 30d"))});
    QCOMPARE(cell(model, 0, MappingsModel::Latency).toString(), QString());
    auto withLatency = [](qint64 id, std::optional<qint64> median, std::optional<qint64> p95,
                          int expectMinutes) {
        RolloutChecklist c;
        c.mappingId = id;
        LatencyReport l;
        l.mappingId = id;
        l.runs = 3;
        l.changes = 1200;
        l.medianMs = median;
        l.p95Ms = p95;
        l.maxMs = p95;
        l.expectationMinutes = expectMinutes;
        c.latency = l;
        return c;
    };
    model.setChecklists({withLatency(1, 4000, 9000, 15), withLatency(2, 60000, 20 * 60000, 15),
                         withLatency(3, std::nullopt, std::nullopt, 0)});
    const QString within = cell(model, 0, MappingsModel::Latency).toString();
    QVERIFY2(within.contains(QStringLiteral("p95")) && within.contains(QStringLiteral("≤")),
             qPrintable(within));
    QCOMPARE(cell(model, 0, MappingsModel::Latency, StatusToneRole).toInt(), int(StatusTone::Good));
    // p95 20 min against 15: exceeded.
    QCOMPARE(cell(model, 1, MappingsModel::Latency, StatusToneRole).toInt(), int(StatusTone::Bad));
    QVERIFY(cell(model, 1, MappingsModel::Latency, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("exceeded")));
    QCOMPARE(cell(model, 2, MappingsModel::Latency).toString(), QStringLiteral("no data"));
    QVERIFY(cell(model, 2, MappingsModel::Latency, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("--expect")));
    // Sorted by the 95th percentile; no data sorts first.
    QVERIFY(cell(model, 1, MappingsModel::Latency, SortRole).toLongLong() >
            cell(model, 0, MappingsModel::Latency, SortRole).toLongLong());
    QCOMPARE(cell(model, 2, MappingsModel::Latency, SortRole).toLongLong(), qint64(-1));
}

void TestModels::mappingsRolloutColumn()
{
    MappingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMappings({overview(1, QStringLiteral("CIO | Winback | 45-60d")),
                       overview(2, QStringLiteral("CIO | Cart | 0-24h"))});
    // Unknown until the engine sends the checklists.
    QCOMPARE(cell(model, 0, MappingsModel::Rollout).toString(), QString());
    QVERIFY(!cell(model, 0, MappingsModel::Rollout, StatusToneRole).isValid());

    auto checklist = [](qint64 id, int done) {
        RolloutChecklist c;
        c.mappingId = id;
        for (int i = 0; i < 7; ++i)
            c.items.append(ChecklistItem{QStringLiteral("k%1").arg(i),
                                         QStringLiteral("Item %1").arg(i), i < done,
                                         QStringLiteral("evidence %1").arg(i)});
        return c;
    };
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setChecklists({checklist(1, 7), checklist(2, 5)});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().column(), int(MappingsModel::Rollout));
    QCOMPARE(cell(model, 0, MappingsModel::Rollout).toString(), QStringLiteral("Ready"));
    QCOMPARE(cell(model, 0, MappingsModel::Rollout, CodeRole).toString(), QStringLiteral("ready"));
    QCOMPARE(cell(model, 0, MappingsModel::Rollout, StatusToneRole).toInt(), int(StatusTone::Good));
    QCOMPARE(cell(model, 1, MappingsModel::Rollout).toString(),
             QStringLiteral("Not ready (5 of 7)"));
    QCOMPARE(cell(model, 1, MappingsModel::Rollout, CodeRole).toString(),
             QStringLiteral("not_ready"));
    QCOMPARE(cell(model, 1, MappingsModel::Rollout, StatusToneRole).toInt(),
             int(StatusTone::Warning));
    QCOMPARE(cell(model, 1, MappingsModel::Rollout, SortRole).toInt(), 5);
    const QString tip = cell(model, 1, MappingsModel::Rollout, Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QStringLiteral("Item 5: evidence 5")));
    QVERIFY(tip.contains(QStringLiteral("Item 6: evidence 6")));
    QVERIFY(!tip.contains(QStringLiteral("Item 4")));
    QCOMPARE(model.headerData(MappingsModel::Rollout, Qt::Horizontal).toString(),
             QStringLiteral("Rollout"));
}

void TestModels::runsModelStructure()
{
    RunsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), int(RunsModel::ColumnCount));
    model.setRuns({run(2, 1, RunStatus::Succeeded), run(1, 1, RunStatus::Failed)});
    model.setRuns({run(2, 1, RunStatus::Succeeded, 5), run(1, 1, RunStatus::Failed)});
    model.setRuns({run(4, 2, RunStatus::Running), run(3, 1, RunStatus::Succeeded),
                   run(2, 1, RunStatus::Succeeded, 5), run(1, 1, RunStatus::Failed)});
    model.upsertRun(run(4, 2, RunStatus::Succeeded));
    model.upsertRun(run(5, 2, RunStatus::Cancelled));
    model.setMappingNames({{1, QStringLiteral("one")}, {2, QStringLiteral("two")}});
    model.setRuns({run(9, 3, RunStatus::Skipped)});
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::runsModelValues()
{
    RunsModel model;
    RunRecord r = run(7, 3, RunStatus::Partial, 1500);
    r.kind = RunKind::DryRun;
    r.exited = 2;
    r.unchanged = 30;
    r.mismatched = 4;
    r.failed = 2000;
    r.http429 = 6;
    r.message = QStringLiteral("1 batch was not acknowledged");
    model.setRuns({r, run(6, 99, RunStatus::Running)});
    model.setMappingNames({{3, QStringLiteral("CIO | Cart | 0-24h")}});

    QCOMPARE(cell(model, 0, RunsModel::RunId).toLongLong(), 7);
    QCOMPARE(cell(model, 0, RunsModel::Mapping).toString(), QStringLiteral("CIO | Cart | 0-24h"));
    QCOMPARE(cell(model, 1, RunsModel::Mapping).toString(), QStringLiteral("Mapping 99"));
    QCOMPARE(cell(model, 0, RunsModel::Kind).toString(), QStringLiteral("Dry run"));
    QCOMPARE(cell(model, 0, RunsModel::Status).toString(), QStringLiteral("Partial"));
    QCOMPARE(cell(model, 0, RunsModel::Status, StatusNameRole).toString(),
             QStringLiteral("partial"));
    QCOMPARE(cell(model, 0, RunsModel::Status, StatusToneRole).toInt(), int(StatusTone::Warning));
    QCOMPARE(cell(model, 0, RunsModel::Duration).toString(),
             QLocale().toString(2.5, 'f', 1) + QStringLiteral(" s"));
    QCOMPARE(cell(model, 0, RunsModel::Duration, SortRole).toLongLong(), 2500);
    QCOMPARE(cell(model, 1, RunsModel::Duration).toString(), QString()); // still running
    QCOMPARE(cell(model, 0, RunsModel::Entered).toString(), QLocale().toString(1500));
    QCOMPARE(cell(model, 0, RunsModel::Exited, SortRole).toLongLong(), 2);
    QCOMPARE(cell(model, 0, RunsModel::Unchanged, SortRole).toLongLong(), 30);
    QCOMPARE(cell(model, 0, RunsModel::Mismatched, SortRole).toLongLong(), 4);
    QCOMPARE(cell(model, 0, RunsModel::Failed, SortRole).toLongLong(), 2000);
    QCOMPARE(cell(model, 0, RunsModel::ApiCalls, SortRole).toInt(), 3);
    QCOMPARE(cell(model, 0, RunsModel::Http429).toString(), QStringLiteral("6"));
    QCOMPARE(cell(model, 0, RunsModel::Message).toString(), r.message);
    QCOMPARE(cell(model, 0, RunsModel::Status, Qt::ToolTipRole).toString(), r.message);
    QVERIFY(!cell(model, 1, RunsModel::Status, Qt::ToolTipRole).isValid());
    QCOMPARE(cell(model, 0, 0, RunIdRole).toLongLong(), 7);
    QCOMPARE(cell(model, 0, 0, MappingIdRole).toLongLong(), 3);
    QCOMPARE(model.headerData(RunsModel::Http429, Qt::Horizontal).toString(),
             QStringLiteral("429s"));
}

void TestModels::runsModelPrependAndUpsert()
{
    RunsModel model;
    model.setRuns({run(2, 1, RunStatus::Succeeded), run(1, 1, RunStatus::Succeeded)});
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    // New runs in front of the same history are inserted, not reset.
    model.setRuns({run(4, 1, RunStatus::Running), run(3, 1, RunStatus::Succeeded),
                   run(2, 1, RunStatus::Succeeded), run(1, 1, RunStatus::Succeeded)});
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 1);
    // runFinished for a known run updates it in place.
    model.upsertRun(run(4, 1, RunStatus::Succeeded));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(cell(model, 0, 0, StatusNameRole).toString(), QStringLiteral("succeeded"));
    // ... and for an unknown one puts it on top.
    model.upsertRun(run(5, 1, RunStatus::Failed));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.rowOf(5), 0);
    QCOMPARE(reset.size(), 0);
}

void TestModels::batchErrorsModel()
{
    BatchErrorsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.runId(), 0);
    model.setErrors(12,
                    {BatchError{12, 3, QStringLiteral("add"), 2000, QStringLiteral("HTTP 503")},
                     BatchError{12, 4, QStringLiteral("remove"), 17, QStringLiteral("timeout")}});
    QCOMPARE(model.runId(), 12);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, BatchErrorsModel::Batch).toInt(), 3);
    QCOMPARE(cell(model, 0, BatchErrorsModel::Operation).toString(), QStringLiteral("add"));
    QCOMPARE(cell(model, 0, BatchErrorsModel::Size).toString(), QLocale().toString(2000));
    QCOMPARE(cell(model, 0, BatchErrorsModel::Size, SortRole).toInt(), 2000);
    QCOMPARE(cell(model, 1, BatchErrorsModel::Error).toString(), QStringLiteral("timeout"));
    QCOMPARE(cell(model, 1, 0, RunIdRole).toLongLong(), 12);
    model.setErrors(13, {});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.runId(), 13);
    model.clear();
    QCOMPARE(model.runId(), 0);
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
