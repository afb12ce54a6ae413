// A mapping's verdict as a pure function: one row per state and per kind of evidence
// (the last run, open alerts, the newest verification, the checklist). The same verdict
// read from a workspace, the console and `lockstep status` is in tst_verdict_sandbox.
#include "trust/verdict.h"

#include <QJsonArray>
#include <QTest>

using namespace lockstep;

namespace {

constexpr qint64 kT0 = 1'767'225'600'000; // 2026-01-01
constexpr qint64 kMinute = 60'000;

RunRecord run(qint64 id, RunStatus status, QString message = {})
{
    RunRecord r;
    r.id = id;
    r.mappingId = 7;
    r.status = status;
    r.startedAtMs = kT0 + id * 10 * kMinute;
    r.finishedAtMs = r.startedAtMs + kMinute;
    r.message = std::move(message);
    return r;
}

Alert alert(const char* rule, AlertSeverity severity, qint64 mappingId = 7)
{
    Alert a;
    a.id = 1;
    a.mappingId = mappingId;
    a.rule = QString::fromLatin1(rule);
    a.severity = severity;
    a.message = QStringLiteral("%1 alert").arg(a.rule);
    return a;
}

VerdictInput base()
{
    VerdictInput in;
    in.mapping.id = 7;
    in.mapping.cohortName = QStringLiteral("CIO | Winback | 45-60d");
    return in;
}

// A good run, then `later` (if any).
VerdictInput afterGoodRun(std::optional<RunRecord> later = std::nullopt)
{
    VerdictInput in = base();
    in.lastSucceeded = run(1, RunStatus::Succeeded);
    in.lastEnded = later ? later : in.lastSucceeded;
    return in;
}

QStringList codes(const MappingVerdict& v)
{
    QStringList out;
    for (const VerdictReason& r : v.reasons)
        out.append(r.code);
    return out;
}

} // namespace

Q_DECLARE_METATYPE(lockstep::VerdictInput)

class TestVerdict : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void states_data()
    {
        QTest::addColumn<VerdictInput>("input");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QStringList>("reasons");

        QTest::newRow("no run yet") << base() << "not_synced_yet" << QStringList{"never_synced"};
        {
            VerdictInput in = base();
            in.lastEnded = run(1, RunStatus::Skipped, QStringLiteral("segment 105 is building"));
            QTest::newRow("first run skipped: not synced yet")
                << in << "not_synced_yet" << QStringList{"last_run_skipped"};
        }
        {
            VerdictInput in = base();
            in.lastEnded = run(1, RunStatus::Cancelled);
            QTest::newRow("first run cancelled: not synced yet")
                << in << "not_synced_yet" << QStringList{"last_run_cancelled"};
        }
        {
            VerdictInput in = base();
            in.lastEnded = run(1, RunStatus::Failed, QStringLiteral("segment 999 not found"));
            in.openAlerts = {alert("stale_sync", AlertSeverity::Critical)};
            QTest::newRow("first run failed: broken")
                << in << "broken" << QStringList{"last_run_failed", "stale_sync"};
        }
        {
            VerdictInput in = base();
            in.mapping.paused = true;
            QTest::newRow("never synced and paused")
                << in << "not_synced_yet" << QStringList{"never_synced", "paused"};
        }
        QTest::newRow("good run: trusted") << afterGoodRun() << "trusted" << QStringList{};
        QTest::newRow("failed after good: broken")
            << afterGoodRun(run(2, RunStatus::Failed, QStringLiteral("segment 999 not found")))
            << "broken" << QStringList{"last_run_failed"};
        QTest::newRow("skipped after good: still trusted")
            << afterGoodRun(run(2, RunStatus::Skipped)) << "trusted" << QStringList{};
        QTest::newRow("partial after good: degraded")
            << afterGoodRun(run(2, RunStatus::Partial)) << "degraded"
            << QStringList{"last_run_partial"};
        QTest::newRow("interrupted after good: degraded")
            << afterGoodRun(run(2, RunStatus::Interrupted)) << "degraded"
            << QStringList{"last_run_interrupted"};
        QTest::newRow("cancelled after good: degraded")
            << afterGoodRun(run(2, RunStatus::Cancelled)) << "degraded"
            << QStringList{"last_run_cancelled"};
        {
            VerdictInput in = afterGoodRun();
            in.openAlerts = {alert("drift", AlertSeverity::Warning)};
            QTest::newRow("warning alert: degraded") << in << "degraded" << QStringList{"drift"};
        }
        {
            VerdictInput in = afterGoodRun();
            in.openAlerts = {alert("drift", AlertSeverity::Warning),
                             alert("unknown_profiles", AlertSeverity::Critical)};
            in.openAlerts[1].acknowledgedAtMs = kT0; // seen, not fixed
            QTest::newRow("critical alert, acknowledged: broken")
                << in << "broken" << QStringList{"unknown_profiles", "drift"};
        }
        {
            VerdictInput in = afterGoodRun();
            in.openAlerts = {alert("definition_changed", AlertSeverity::Info)};
            QTest::newRow("info alert: trusted") << in << "trusted" << QStringList{};
        }
        {
            VerdictInput in = afterGoodRun();
            Alert resolved = alert("drift", AlertSeverity::Warning);
            resolved.resolvedAtMs = kT0;
            in.openAlerts = {resolved};
            QTest::newRow("resolved alert: trusted") << in << "trusted" << QStringList{};
        }
        {
            VerdictInput in = afterGoodRun();
            in.openAlerts = {alert("size_collapse", AlertSeverity::Critical, 8)};
            QTest::newRow("another mapping's alert: trusted") << in << "trusted" << QStringList{};
        }
        {
            VerdictInput in = afterGoodRun();
            Alert pair = alert("watched_overlap", AlertSeverity::Critical, 3);
            pair.subject = QStringLiteral("pair:3:7");
            in.openAlerts = {pair};
            QTest::newRow("watched pair naming it: broken")
                << in << "broken" << QStringList{"watched_overlap"};
        }
        {
            VerdictInput in = afterGoodRun();
            in.lastVerified = run(1, RunStatus::Succeeded);
            in.lastVerified->verification.status = QStringLiteral("verified");
            in.lastVerified->verification.verified = 100;
            in.lastVerified->verification.valueMissing = 100;
            QTest::newRow("no value landed: broken")
                << in << "broken" << QStringList{"value_missing"};
            in.lastVerified->verification.valueMissing = 3;
            QTest::newRow("some values missing: degraded")
                << in << "degraded" << QStringList{"value_missing"};
            in.lastVerified->verification.valueMissing = 0;
            in.lastVerified->verification.unknown = 100; // the unknown_profiles alert's job
            QTest::newRow("verified, values landed: trusted") << in << "trusted" << QStringList{};
        }
        {
            VerdictInput in = afterGoodRun();
            RolloutChecklist list;
            list.items = {ChecklistItem{QStringLiteral("identity_verified"),
                                        QStringLiteral("Identity key verified on real people"),
                                        false, QStringLiteral("failed on ..."), true},
                          ChecklistItem{QStringLiteral("segment_owner_set"),
                                        QStringLiteral("Segment owner set"), false,
                                        QStringLiteral("no owner"), false}};
            in.checklist = list;
            QTest::newRow("a failed spot check: degraded")
                << in << "degraded" << QStringList{"identity_verified"};
            in.checklist->items[0].failed = false; // not run yet: missing, not failed
            QTest::newRow("missing evidence: trusted") << in << "trusted" << QStringList{};
        }
        {
            VerdictInput in = afterGoodRun();
            in.mapping.paused = true;
            QTest::newRow("paused: degraded") << in << "degraded" << QStringList{"paused"};
        }
    }

    void states()
    {
        QFETCH(VerdictInput, input);
        QFETCH(QString, state);
        QFETCH(QStringList, reasons);
        const MappingVerdict v = judgeMapping(input);
        QCOMPARE(v.mappingId, 7);
        QCOMPARE(verdictStateName(v.state), state);
        QCOMPARE(codes(v), reasons);
        QCOMPARE(parseVerdictState(state), v.state);
        const QJsonObject json = v.toJson();
        QCOMPARE(json.value(QStringLiteral("verdict")).toString(), state);
        QCOMPARE(json.value(QStringLiteral("verdict_reasons")).toArray().size(), reasons.size());
        QVERIFY(v.summary().startsWith(v.label()));
        for (const VerdictReason& r : v.reasons)
            QVERIFY2(!r.text.isEmpty() && v.summary().contains(r.text), qPrintable(r.code));
    }

    // Last sync is the last successful sync; a run after it that did not succeed is told
    // beside it, and never moves it.
    void lastSyncIsTheLastSuccess()
    {
        MappingVerdict v =
            judgeMapping(afterGoodRun(run(2, RunStatus::Failed, QStringLiteral("boom"))));
        const qint64 good = run(1, RunStatus::Succeeded).finishedAtMs;
        QCOMPARE(v.lastSyncMs, good);
        QCOMPARE(v.laterRunStatus, RunStatus::Failed);
        QCOMPARE(v.laterRunAtMs, run(2, RunStatus::Failed).finishedAtMs);
        QCOMPARE(v.laterRunMessage, QStringLiteral("boom"));
        QVERIFY2(v.reasons.first().text.contains(QStringLiteral("boom")),
                 qPrintable(v.reasons.first().text));
        QJsonObject json = v.toJson();
        QCOMPARE(json.value(QStringLiteral("last_sync_ms")).toInteger(), good);
        QCOMPARE(json.value(QStringLiteral("later_run"))
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("failed"));

        v = judgeMapping(afterGoodRun());
        QCOMPARE(v.lastSyncMs, good);
        QVERIFY(!v.laterRunStatus);
        QVERIFY(!v.toJson().contains(QStringLiteral("later_run")));

        v = judgeMapping(base());
        QCOMPARE(v.lastSyncMs, 0);
        QVERIFY(v.toJson().value(QStringLiteral("last_sync_ms")).isNull());
    }
};

QTEST_GUILESS_MAIN(TestVerdict)
#include "tst_verdict.moc"
