// The item models behind the Health, Overlap, Identity and Audit pages, and the
// Mappings model's health columns: structure checked by QAbstractItemModelTester while
// data is set, changed and cleared; values and roles checked by hand.
#include "alertsmodel.h"
#include "auditfindingsmodel.h"
#include "mappingsmodel.h"
#include "mismatchesmodel.h"
#include "mismatchreasonsmodel.h"
#include "modelroles.h"
#include "overlapmodel.h"
#include "rowfilterproxy.h"
#include "sizehistorymodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace lockstep;

namespace {
SizePoint point(qint64 run, qint64 at, qint64 size, qint64 mixpanel = -1)
{
    SizePoint p;
    p.runId = run;
    p.atMs = at;
    p.segmentCount = size;
    p.syncedCount = size - 2;
    p.entered = 5;
    p.exited = 3;
    p.mixpanelCount = mixpanel;
    return p;
}

StoredMismatch mismatch(qint64 mapping, MismatchReason r, const QString& email)
{
    StoredMismatch s;
    s.mappingId = mapping;
    s.runId = 1;
    s.mismatch.reason = r;
    s.mismatch.cioId = QStringLiteral("cio-") + email;
    s.mismatch.email = email;
    return s;
}
} // namespace

class TestPageModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sizeHistory();
    void alerts();
    void overlap();
    void mismatchesAndReasons();
    void auditFindings();
    void mappingHealthColumns();
};

void TestPageModels::sizeHistory()
{
    SizeHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    SizeHistoryData d;
    d.days = 7;
    d.fromMs = 0;
    d.toMs = 10'000;
    d.series = {{1, {point(10, 100, 50), point(11, 200, 60, 58)}}, {2, {point(12, 150, 7)}}};
    model.setHistory(d, {{1, QStringLiteral("A")}, {2, QStringLiteral("B")}});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.mappingIds(), QList<qint64>({1, 2}));
    QCOMPARE(model.rowRange(1), std::make_pair(0, 2));
    QCOMPARE(model.rowRange(2), std::make_pair(2, 1));
    QCOMPARE(model.index(1, SizeHistoryModel::Segment).data(ValueRole).toLongLong(), 60);
    QCOMPARE(model.index(1, SizeHistoryModel::Mixpanel).data(ValueRole).toLongLong(), 58);
    QVERIFY(!model.index(0, SizeHistoryModel::Mixpanel).data(ValueRole).isValid());
    QCOMPARE(model.index(0, SizeHistoryModel::Mixpanel).data().toString(), QStringLiteral("—"));
    QCOMPARE(model.index(2, SizeHistoryModel::Mapping).data().toString(), QStringLiteral("B"));
    QCOMPARE(model.index(2, SizeHistoryModel::Time).data(ValueRole).toLongLong(), 150);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestPageModels::alerts()
{
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Alert a;
    a.id = 7;
    a.mappingId = 1;
    a.rule = QStringLiteral("size_collapse");
    a.severity = AlertSeverity::Critical;
    a.message = QStringLiteral("collapsed");
    Alert b = a;
    b.id = 8;
    b.rule = QStringLiteral("drift");
    b.severity = AlertSeverity::Warning;
    model.setMappingNames({{1, QStringLiteral("CIO | A | 7d")}});
    model.setAlerts({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, AlertsModel::Severity).data().toString(), QStringLiteral("Critical"));
    QCOMPARE(model.index(0, AlertsModel::Rule).data().toString(), QStringLiteral("Size collapse"));
    QCOMPARE(model.index(0, AlertsModel::Mapping).data().toString(),
             QStringLiteral("CIO | A | 7d"));
    QCOMPARE(model.index(1, 0).data(AlertIdRole).toLongLong(), 8);
    QCOMPARE(model.index(0, AlertsModel::Severity).data(StatusToneRole).toInt(),
             int(StatusTone::Bad));
    // Same ids: updated in place.
    b.acknowledgedAtMs = 5;
    b.acknowledgedBy = QStringLiteral("maya");
    model.setAlerts({a, b});
    QCOMPARE(model.index(1, AlertsModel::Acknowledged).data().toString(),
             QStringLiteral("by maya"));
    QCOMPARE(model.index(1, 0).data(StatusNameRole).toString(), QStringLiteral("acknowledged"));
    model.setAlerts({});
    QCOMPARE(model.rowCount(), 0);
}

void TestPageModels::overlap()
{
    OverlapModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    OverlapData d;
    d.matrix.mappingIds = {1, 2, 3};
    d.matrix.names = {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")};
    // |A| = 100, |B| = 50, |C| = 10; A∩B = 25, A∩C = 0, B∩C = 1
    d.matrix.counts = {100, 25, 0, 25, 50, 1, 0, 1, 10};
    d.watched = {WatchedPair{3, 1, QStringLiteral("suppress"), 0}};
    model.setOverlap(d);
    // The person view is the default; these figures are the Mixpanel-key view's.
    QCOMPARE(model.view(), OverlapModel::View::People);
    QCOMPARE(model.rowCount(), 0);
    model.setView(OverlapModel::View::Keys);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("B"));
    QCOMPARE(model.index(0, 1).data(ValueRole).toDouble(), 0.25); // share of A in B
    QCOMPARE(model.index(1, 0).data(ValueRole).toDouble(), 0.5);  // share of B in A
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("50 %"));
    QCOMPARE(model.index(2, 1).data().toString(), QStringLiteral("10 %"));
    QVERIFY(model.index(0, 2).data(WatchedRole).toBool());
    QVERIFY(model.index(2, 0).data(WatchedRole).toBool());
    QVERIFY(!model.index(0, 1).data(WatchedRole).toBool());
    model.setMetric(OverlapModel::Metric::Jaccard);
    QCOMPARE(model.index(0, 1).data(ValueRole).toDouble(), 25.0 / 125.0);
    QCOMPARE(model.index(1, 0).data(ValueRole).toDouble(), 25.0 / 125.0);
    // B∩C = 1 of 59 in either.
    QCOMPARE(model.index(1, 2).data().toString(), QStringLiteral("2 %"));
    // Under one percent but not empty reads "<1 %": a watched pair must not look clean.
    d.matrix.counts = {1000, 1, 0, 1, 50, 1, 0, 1, 10};
    model.setOverlap(d);
    model.setMetric(OverlapModel::Metric::ShareOfRowInColumn);
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("<1 %"));
    QVERIFY(model.index(1, 2).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Jaccard")));
    model.setOverlap({});
    QCOMPARE(model.rowCount(), 0);

    // By person: A and B share 40 people but no key (keyed by id and by e-mail); C has no
    // people recorded yet, so the person view holds A and B only.
    d.matrix.counts = {100, 0, 0, 0, 50, 1, 0, 1, 10};
    d.people.mappingIds = {1, 2};
    d.people.names = {QStringLiteral("A"), QStringLiteral("B")};
    d.people.counts = {100, 40, 40, 50};
    d.peopleMissing = {3};
    model.setOverlap(d);
    model.setView(OverlapModel::View::People);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, 0).data(ValueRole).toDouble(), 0.8); // 40 of B's 50 people
    QVERIFY(model.index(0, 1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("people")));
    // People, not members (the plural forms come from the catalogue, not loaded here).
    QVERIFY(!model.headerData(0, Qt::Horizontal, Qt::ToolTipRole)
                 .toString()
                 .contains(QStringLiteral("member")));
    const QList<OverlapModel::Difference> diff = model.differences();
    QCOMPARE(diff.size(), 1);
    QCOMPARE(diff[0].mappingA, 1);
    QCOMPARE(diff[0].mappingB, 2);
    QCOMPARE(diff[0].byPerson, 40u);
    QCOMPARE(diff[0].byKey, 0u);
    model.setView(OverlapModel::View::Keys);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(1, 0).data(ValueRole).toDouble(), 0.0);
    QVERIFY(model.index(0, 1)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Mixpanel keys")));
}

void TestPageModels::mismatchesAndReasons()
{
    MismatchesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RowFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    MismatchReasonsModel reasons;
    QAbstractItemModelTester reasonsTester(&reasons,
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    reasons.setSourceRows(&proxy);
    QCOMPARE(reasons.rowCount(), kMismatchReasonCount);

    model.setMismatches({mismatch(1, MismatchReason::MissingKey, QStringLiteral("a@x.io")),
                         mismatch(1, MismatchReason::InvalidEmail, QStringLiteral("nope")),
                         mismatch(2, MismatchReason::MissingKey, QStringLiteral("c@x.io")),
                         mismatch(2, MismatchReason::DuplicateKey, QStringLiteral("d@x.io"))});
    QCOMPARE(reasons.count(MismatchReason::MissingKey), 2);
    QCOMPARE(reasons.index(int(MismatchReason::MissingKey), MismatchReasonsModel::Count)
                 .data(ValueRole)
                 .toLongLong(),
             2);
    QCOMPARE(reasons.index(int(MismatchReason::DuplicateKey), MismatchReasonsModel::Effect)
                 .data()
                 .toString(),
             QStringLiteral("sent (shared key)"));
    // The two reasons found after sending say what happened to those members.
    QCOMPARE(reasons.index(int(MismatchReason::MissingKey), MismatchReasonsModel::Effect)
                 .data()
                 .toString(),
             QStringLiteral("not sent"));
    QCOMPARE(reasons.index(int(MismatchReason::VanishedAfterMerge), MismatchReasonsModel::Effect)
                 .data()
                 .toString(),
             QStringLiteral("removed (merged away, not churn)"));
    QCOMPARE(reasons.index(int(MismatchReason::UnknownToMixpanel), MismatchReasonsModel::Effect)
                 .data()
                 .toString(),
             QStringLiteral("sent to a profile Mixpanel did not know"));
    proxy.setMappingIds({2});
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(reasons.count(MismatchReason::MissingKey), 1);
    QCOMPARE(reasons.count(MismatchReason::InvalidEmail), 0);
    proxy.setMappingIds({});
    proxy.setCode(QStringLiteral("missing_key"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setCode({});
    proxy.setSearch(QStringLiteral("NOPE"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, MismatchesModel::Reason).data().toString(),
             QStringLiteral("Invalid e-mail"));
    QCOMPARE(proxy.index(0, 0).data(CodeRole).toString(), QStringLiteral("invalid_email"));
    model.setMismatches({});
    QCOMPARE(reasons.count(MismatchReason::InvalidEmail), 0);
}

void TestPageModels::auditFindings()
{
    AuditFindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    AuditReport r;
    r.mappingCount = 2;
    AuditFinding f;
    f.severity = FindingSeverity::Error;
    f.code = QStringLiteral("missing_prefix");
    f.mappingId = 3;
    f.cohortName = QStringLiteral("winback 30d");
    f.suggestedName = QStringLiteral("CIO | Winback | 30d");
    r.findings = {f};
    model.setReport(r);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, AuditFindingsModel::Severity).data().toString(),
             QStringLiteral("Error"));
    QCOMPARE(model.index(0, AuditFindingsModel::Suggested).data().toString(),
             QStringLiteral("CIO | Winback | 30d"));
    QCOMPARE(model.index(0, 0).data(StatusToneRole).toInt(), int(StatusTone::Bad));
    QCOMPARE(model.index(0, 0).data(MappingIdRole).toLongLong(), 3);
    model.setReport({});
    QCOMPARE(model.rowCount(), 0);
}

void TestPageModels::mappingHealthColumns()
{
    MappingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MappingOverview o;
    o.mapping.id = 4;
    o.mapping.segmentId = 40;
    o.mapping.cohortName = QStringLiteral("CIO | VIP | 30d");
    o.mapping.owner = QStringLiteral("Jon");
    o.mapping.decision = QStringLiteral("Early access");
    o.mapping.scheduleMinutes = 24 * 60;
    model.setMappings({o});
    QCOMPARE(model.index(0, MappingsModel::Owner).data().toString(), QStringLiteral("Jon"));
    QCOMPARE(model.index(0, MappingsModel::Decision).data().toString(),
             QStringLiteral("Early access"));
    QCOMPARE(model.index(0, MappingsModel::Schedule).data().toString(), QStringLiteral("daily"));
    QCOMPARE(model.index(0, MappingsModel::Drift).data().toString(), QStringLiteral("—"));
    QCOMPARE(model.index(0, MappingsModel::Health).data().toString(), QString());
    MappingHealth h;
    h.mappingId = 4;
    h.worstSeverity = int(AlertSeverity::Critical);
    h.openAlerts = 2;
    h.mixpanelCount = 102;
    h.syncedCount = 100;
    h.verdict.mappingId = 4;
    h.verdict.state = VerdictState::Broken;
    h.verdict.reasons = {VerdictReason{QStringLiteral("unknown_profiles"), AlertSeverity::Critical,
                                       QStringLiteral("ghosts")}};
    model.setHealth({h});
    // The Health column shows the verdict, its reasons in the tooltip.
    QCOMPARE(model.index(0, MappingsModel::Health).data().toString(), QStringLiteral("Broken"));
    QCOMPARE(model.index(0, MappingsModel::Health).data(CodeRole).toString(),
             QStringLiteral("broken"));
    QCOMPARE(model.index(0, MappingsModel::Health).data(StatusToneRole).toInt(),
             int(StatusTone::Bad));
    QVERIFY(model.index(0, MappingsModel::Health)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("• ghosts")));
    QVERIFY(
        model.index(0, MappingsModel::Drift).data().toString().startsWith(QStringLiteral("+2")));
    QCOMPARE(model.index(0, MappingsModel::Drift).data(SortRole).toDouble(), 2.0);
    h.worstSeverity = -1;
    h.openAlerts = 0;
    h.verdict.state = VerdictState::Trusted;
    h.verdict.reasons.clear();
    model.setHealth({h});
    QCOMPARE(model.index(0, MappingsModel::Health).data().toString(), QStringLiteral("Trusted"));
    QCOMPARE(model.index(0, MappingsModel::Health).data(StatusToneRole).toInt(),
             int(StatusTone::Good));
    h.verdict.state = VerdictState::NotSyncedYet;
    model.setHealth({h});
    QCOMPARE(model.index(0, MappingsModel::Health).data().toString(),
             QStringLiteral("Not synced yet"));
}

QTEST_MAIN(TestPageModels)
#include "tst_pagemodels.moc"
