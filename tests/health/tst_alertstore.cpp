// Alerts through a real SQLite workspace: dedup, acknowledge, resolve, escalation, the
// evaluator end to end, and watched pairs over stored snapshots.
#include "health/alertstore.h"
#include "health/healthevaluator.h"
#include "health/sizehistory.h"
#include "health/watchedpairrepository.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;

namespace {
constexpr qint64 kDay = HealthThresholds::kDayMs;

HealthFinding finding(qint64 mapping, const char* rule, AlertSeverity s, const QString& msg,
                      const QString& subject = {})
{
    HealthFinding f;
    f.mappingId = mapping;
    f.rule = QString::fromLatin1(rule);
    f.severity = s;
    f.message = msg;
    f.subject = subject;
    return f;
}
} // namespace

class TestAlertStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    ManualClock m_clock;
    int m_n = 0;

    qint64 addMapping(const QString& cohort, qint64 segment)
    {
        Mapping m;
        m.segmentId = segment;
        m.segmentName = QStringLiteral("Segment %1").arg(segment);
        m.cohortName = cohort;
        auto id = MappingRepository(*m_ws).add(m);
        if (!id)
            qFatal("%s", qPrintable(id.error().toString()));
        return *id;
    }

    // A finished run with a size point at the clock's current time.
    void run(qint64 mapping, qint64 size, RunStatus status = RunStatus::Succeeded)
    {
        RunRepository runs(*m_ws);
        auto id = runs.begin(mapping, RunKind::Incremental, m_clock.nowMs() - 1000);
        QVERIFY(id.ok());
        RunRecord r;
        r.id = *id;
        r.mappingId = mapping;
        r.status = status;
        r.startedAtMs = m_clock.nowMs() - 1000;
        r.finishedAtMs = m_clock.nowMs();
        r.segmentCount = size;
        r.syncedCount = size;
        QVERIFY(runs.finish(r).ok());
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto ws = Workspace::open(m_dir.filePath(QStringLiteral("ws%1.sqlite").arg(++m_n)));
        QVERIFY2(ws.ok(), qPrintable(ws.error().toString()));
        m_ws = std::move(*ws);
        m_clock.setMs(1'767'225'600'000);
    }
    void cleanup() { m_ws.reset(); }

    void migrationAddsTables()
    {
        QVERIFY(m_ws->schemaVersion() >= 2);
        QSqlQuery q = m_ws->query(QStringLiteral("SELECT COUNT(*) FROM alerts"));
        QVERIFY(Workspace::exec(q, "count").ok());
    }

    void raiseDeduplicates()
    {
        AlertStore store(*m_ws, m_clock);
        auto a = store.raise(
            finding(1, rule::kStaleSync, AlertSeverity::Critical, QStringLiteral("first")));
        QVERIFY(a.ok());
        m_clock.advanceMs(60000);
        auto b = store.raise(
            finding(1, rule::kStaleSync, AlertSeverity::Critical, QStringLiteral("second")));
        QVERIFY(b.ok());
        QCOMPARE(*b, *a);
        auto open = store.open();
        QVERIFY(open.ok());
        QCOMPARE(open->size(), 1);
        const Alert& al = open->first();
        QCOMPARE(al.occurrences, 2);
        QCOMPARE(al.message, QStringLiteral("second"));
        QCOMPARE(al.lastSeenMs - al.firstSeenMs, 60000);
        // Another mapping, rule or subject is another alert.
        QVERIFY(
            store.raise(finding(2, rule::kStaleSync, AlertSeverity::Critical, QStringLiteral("x")))
                .ok());
        QVERIFY(store.raise(finding(1, rule::kDrift, AlertSeverity::Warning, QStringLiteral("x")))
                    .ok());
        QVERIFY(store
                    .raise(finding(1, rule::kWatchedOverlap, AlertSeverity::Critical,
                                   QStringLiteral("x"), QStringLiteral("pair:1:2")))
                    .ok());
        QVERIFY(store
                    .raise(finding(1, rule::kWatchedOverlap, AlertSeverity::Critical,
                                   QStringLiteral("x"), QStringLiteral("pair:1:3")))
                    .ok());
        QCOMPARE(store.open()->size(), 5);
        QCOMPARE(store.open(1)->size(), 4);
        // Critical first.
        QCOMPARE(store.open()->last().severity, AlertSeverity::Warning);
    }

    void acknowledgeHidesUntilEscalation()
    {
        AlertStore store(*m_ws, m_clock);
        const qint64 id = *store.raise(
            finding(1, rule::kSizeCollapse, AlertSeverity::Warning, QStringLiteral("drop")));
        QVERIFY(store.acknowledge(id, QStringLiteral("ana")).ok());
        QCOMPARE(store.open(0, false)->size(), 0);
        QCOMPARE(store.open(0, true)->size(), 1);
        QCOMPARE(store.get(id)->acknowledgedBy, QStringLiteral("ana"));
        // Seen again at the same severity: stays acknowledged, same row.
        QCOMPARE(*store.raise(finding(1, rule::kSizeCollapse, AlertSeverity::Warning,
                                      QStringLiteral("drop"))),
                 id);
        QVERIFY(store.get(id)->isAcknowledged());
        // Worse now: the operator must see it again.
        QCOMPARE(*store.raise(finding(1, rule::kSizeCollapse, AlertSeverity::Critical,
                                      QStringLiteral("zero"))),
                 id);
        QVERIFY(!store.get(id)->isAcknowledged());
        QCOMPARE(store.open(0, false)->size(), 1);
    }

    void acknowledgeUnknownFails()
    {
        AlertStore store(*m_ws, m_clock);
        const Status st = store.acknowledge(999, QStringLiteral("ana"));
        QVERIFY(!st.ok());
        QCOMPARE(st.error().category, SyncError::Category::NotFound);
    }

    void reconcileResolvesClearedAlerts()
    {
        AlertStore store(*m_ws, m_clock);
        const QStringList rules = {QString::fromLatin1(rule::kStaleSync),
                                   QString::fromLatin1(rule::kDrift)};
        QVERIFY(store
                    .reconcile(
                        1, rules,
                        {finding(1, rule::kStaleSync, AlertSeverity::Critical, QStringLiteral("s")),
                         finding(1, rule::kDrift, AlertSeverity::Warning, QStringLiteral("d"))})
                    .ok());
        QVERIFY(store
                    .raise(finding(2, rule::kStaleSync, AlertSeverity::Critical,
                                   QStringLiteral("other mapping")))
                    .ok());
        QVERIFY(store
                    .raise(finding(1, rule::kChurn, AlertSeverity::Warning,
                                   QStringLiteral("other rule")))
                    .ok());
        const qint64 staleId = store.open(1)->first().id;
        m_clock.advanceMs(1000);
        // Drift still fires, stale cleared.
        QVERIFY(
            store
                .reconcile(1, rules,
                           {finding(1, rule::kDrift, AlertSeverity::Warning, QStringLiteral("d2"))})
                .ok());
        auto open = *store.open();
        QStringList keys;
        for (const Alert& a : open)
            keys.append(QStringLiteral("%1/%2").arg(a.mappingId).arg(a.rule));
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("1/churn"), QStringLiteral("1/drift"),
                                    QStringLiteral("2/stale_sync")}));
        const Alert resolved = *store.get(staleId);
        QCOMPARE(resolved.resolvedAtMs, m_clock.nowMs());
        // Firing again starts a new episode, the old row stays as history.
        QVERIFY(store
                    .reconcile(1, rules,
                               {finding(1, rule::kStaleSync, AlertSeverity::Critical,
                                        QStringLiteral("again"))})
                    .ok());
        const qint64 newId = store.open(1)->first().id;
        QVERIFY(newId != staleId);
        QCOMPARE(store.history(1)->size(), 4);
        QVERIFY(store.acknowledge(staleId, QStringLiteral("x")).error().isError());
    }

    void uniqueIndexBlocksDuplicateOpenRows()
    {
        AlertStore store(*m_ws, m_clock);
        QVERIFY(store.raise(finding(1, rule::kDrift, AlertSeverity::Warning, QStringLiteral("d")))
                    .ok());
        QSqlQuery q = m_ws->query(QStringLiteral(
            "INSERT INTO alerts (mapping_id, rule, subject, severity, message, first_seen_at, "
            "last_seen_at) VALUES (1, 'drift', '', 'warning', 'dup', 0, 0)"));
        QVERIFY(!Workspace::exec(q, "dup").ok());
    }

    void alertsSurviveReopen()
    {
        const QString path = m_ws->location();
        {
            AlertStore store(*m_ws, m_clock);
            QVERIFY(store
                        .raise(finding(3, rule::kMatchRate, AlertSeverity::Warning,
                                       QStringLiteral("low")))
                        .ok());
        }
        m_ws.reset();
        auto ws = Workspace::open(path);
        QVERIFY(ws.ok());
        m_ws = std::move(*ws);
        AlertStore store(*m_ws, m_clock);
        QCOMPARE(store.open()->size(), 1);
        QCOMPARE(store.open()->first().rule, QStringLiteral("match_rate"));
    }

    void jsonShape()
    {
        AlertStore store(*m_ws, m_clock);
        const qint64 id =
            *store.raise(finding(4, rule::kDrift, AlertSeverity::Warning, QStringLiteral("d")));
        QVERIFY(store.acknowledge(id, QStringLiteral("bo")).ok());
        const QJsonArray arr = alertsToJson(*store.open());
        QCOMPARE(arr.size(), 1);
        const QJsonObject o = arr.first().toObject();
        QCOMPARE(o.value(QStringLiteral("rule")).toString(), QStringLiteral("drift"));
        QCOMPARE(o.value(QStringLiteral("mapping_id")).toInteger(), 4);
        QCOMPARE(o.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
        QCOMPARE(o.value(QStringLiteral("acknowledged")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("acknowledged_by")).toString(), QStringLiteral("bo"));
        QCOMPARE(o.value(QStringLiteral("open")).toBool(), true);
    }

    void evaluatorRaisesAndResolves()
    {
        const qint64 m = addMapping(QStringLiteral("CIO | Winback | 30d"), 11);
        // Four days of history: enough for the median, too short for week over week.
        for (int i = 0; i < 4; ++i) {
            run(m, 1000);
            m_clock.advanceMs(kDay);
        }
        run(m, 2); // an event stopped flowing
        HealthEvaluator eval(*m_ws, m_clock, HealthThresholds{});
        auto mapping = *MappingRepository(*m_ws).get(m);
        auto f = eval.evaluateAndStore(mapping);
        QVERIFY2(f.ok(), qPrintable(f.error().toString()));
        AlertStore store(*m_ws, m_clock);
        auto open = *store.open(m);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().rule, QStringLiteral("size_collapse"));
        QCOMPARE(open.first().severity, AlertSeverity::Critical);
        // Evaluating again does not duplicate.
        QVERIFY(eval.evaluateAll().ok());
        QCOMPARE(store.open(m)->size(), 1);
        QCOMPARE(store.open(m)->first().occurrences, 2);
        // The flow is back: resolved.
        m_clock.advanceMs(3600 * 1000);
        run(m, 1005);
        QVERIFY(eval.evaluateAll().ok());
        QCOMPARE(store.open(m)->size(), 0);
        // No success for hours: stale.
        m_clock.advanceMs(3 * 3600 * 1000);
        QVERIFY(eval.evaluateAll().ok());
        QCOMPARE(store.open(m)->size(), 1);
        QCOMPARE(store.open(m)->first().rule, QStringLiteral("stale_sync"));
    }

    void evaluatorAlertsOnSegmentNotReady()
    {
        const qint64 m = addMapping(QStringLiteral("CIO | Launch | 30d"), 13); // hourly
        HealthEvaluator eval(*m_ws, m_clock, HealthThresholds{});
        AlertStore store(*m_ws, m_clock);
        auto openRules = [&] {
            QStringList rules;
            const auto open = store.open(m);
            for (const Alert& a : *open)
                rules.append(a.rule);
            return rules;
        };
        run(m, 800);
        // The segment starts to rebuild: each hourly run is skipped.
        const qint64 firstSkipMs = m_clock.nowMs() + 3600 * 1000 - 1000; // run() starts 1 s early
        for (int hour = 1; hour <= 2; ++hour) {
            m_clock.advanceMs(3600 * 1000);
            run(m, 0, RunStatus::Skipped);
            QVERIFY(eval.evaluateAll().ok());
            QVERIFY2(!openRules().contains(QStringLiteral("segment_not_ready")),
                     qPrintable(openRules().join(QLatin1Char(','))));
        }
        // Twice the schedule since the first skipped run: not yet (the rule wants longer).
        m_clock.setMs(firstSkipMs + 2 * 3600 * 1000);
        QVERIFY(eval.evaluateAll().ok());
        QVERIFY(!openRules().contains(QStringLiteral("segment_not_ready")));
        m_clock.advanceMs(60 * 1000);
        run(m, 0, RunStatus::Skipped);
        QVERIFY(eval.evaluateAll().ok());
        QVERIFY2(openRules().contains(QStringLiteral("segment_not_ready")),
                 qPrintable(openRules().join(QLatin1Char(','))));
        const QList<Alert> alerts = *store.open(m);
        const auto it = std::find_if(alerts.begin(), alerts.end(), [](const Alert& a) {
            return a.rule == QLatin1String("segment_not_ready");
        });
        QCOMPARE(it->severity, AlertSeverity::Warning);
        QVERIFY2(it->message.contains(QStringLiteral("segment 13 is still building")),
                 qPrintable(it->message));
        // A failed run (Customer.io unreachable) says nothing about the segment: still open.
        m_clock.advanceMs(3600 * 1000);
        run(m, 0, RunStatus::Failed);
        QVERIFY(eval.evaluateAll().ok());
        QVERIFY(openRules().contains(QStringLiteral("segment_not_ready")));
        // The segment finished building and the run succeeded: resolved.
        m_clock.advanceMs(3600 * 1000);
        run(m, 820);
        QVERIFY(eval.evaluateAll().ok());
        QVERIFY2(!openRules().contains(QStringLiteral("segment_not_ready")),
                 qPrintable(openRules().join(QLatin1Char(','))));
        // A new skip starts a new count from zero.
        m_clock.advanceMs(3600 * 1000);
        run(m, 0, RunStatus::Skipped);
        QVERIFY(eval.evaluateAll().ok());
        QVERIFY(!openRules().contains(QStringLiteral("segment_not_ready")));
    }

    void evaluatorSeesDefinitionChange()
    {
        const qint64 m = addMapping(QStringLiteral("CIO | VIP | 90d"), 12);
        run(m, 500);
        auto setUpdatedAt = [&](qint64 secs) {
            QVERIFY(SnapshotStore(*m_ws).recordSegment(m, secs).ok());
        };
        setUpdatedAt(1'767'000'000);
        HealthEvaluator eval(*m_ws, m_clock, HealthThresholds{});
        AlertStore store(*m_ws, m_clock);
        QVERIFY(eval.evaluateAll().ok()); // records the baseline
        QCOMPARE(store.open(m)->size(), 0);
        setUpdatedAt(1'767'100'000);
        QVERIFY(eval.evaluateAll().ok());
        QCOMPARE(store.open(m)->size(), 1);
        QCOMPARE(store.open(m)->first().rule, QStringLiteral("definition_changed"));
        QVERIFY(store.open(m)->first().message.contains(QStringLiteral("CIO | VIP | 90d | v2")));
        // The operator versions the cohort: a new baseline, the alert resolves.
        Mapping mp = *MappingRepository(*m_ws).get(m);
        mp.version = 2;
        mp.cohortName = QStringLiteral("CIO | VIP | 90d | v2");
        QVERIFY(MappingRepository(*m_ws).update(mp).ok());
        QVERIFY(eval.evaluateAll().ok());
        QCOMPARE(store.open(m)->size(), 0);
    }

    void watchedPairsAlertOnOverlap()
    {
        const qint64 a = addMapping(QStringLiteral("CIO | Suppressed | 30d"), 21);
        const qint64 b = addMapping(QStringLiteral("CIO | Winback received | 7d"), 22);
        // Members reach the snapshot the engine's way: a journaled batch, acknowledged.
        int seq = 0;
        auto members = [&](qint64 mapping, const QByteArray& keys) {
            auto runId = RunRepository(*m_ws).begin(mapping, RunKind::Incremental, m_clock.nowMs());
            QVERIFY(runId.ok());
            JournalBatch b;
            b.seq = ++seq;
            b.op = JournalBatch::Op::Add;
            b.keys = keys;
            b.size = int(keys.count('\n') + 1);
            SnapshotStore snap(*m_ws);
            QVERIFY(snap.plan(*runId, mapping, {b}).ok());
            QVERIFY(snap.acknowledge(*runId, mapping, b).ok());
            QVERIFY(snap.compact(mapping).ok());
        };
        members(a, "u1\nu2");
        members(b, "u3");
        WatchedPairRepository pairs(*m_ws);
        QVERIFY(pairs.add({b, a, QStringLiteral("suppression"), 0}).ok());
        QVERIFY(!pairs.add({a, a, {}, 0}).ok());
        QCOMPARE(pairs.list()->size(), 1);
        QCOMPARE(pairs.list()->first().mappingA, a); // normalised

        auto f = pairs.evaluate(m_clock);
        QVERIFY2(f.ok(), qPrintable(f.error().toString()));
        QVERIFY(f->empty());
        members(b, "u2");
        f = pairs.evaluate(m_clock);
        QCOMPARE(f->size(), size_t(1));
        AlertStore store(*m_ws, m_clock);
        auto open = *store.open();
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().subject, QStringLiteral("pair:%1:%2").arg(a).arg(b));
        QVERIFY2(open.first().message.contains(QStringLiteral("u2")),
                 qPrintable(open.first().message));
        QVERIFY(open.first().message.contains(QStringLiteral("suppression")));
        QVERIFY(pairs.remove(a, b).ok());
        QVERIFY(pairs.evaluate(m_clock).ok());
        QCOMPARE(store.open()->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlertStore)
#include "tst_alertstore.moc"
