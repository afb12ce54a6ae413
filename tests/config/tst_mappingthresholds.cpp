// A mapping's own health thresholds over the workspace's: checked like the workspace
// setting of the same name, kept per mapping, and applied by the evaluator to that
// mapping only (a 0-24h cart cohort churns by design; a winback cohort must not).
#include "config/mappingthresholds.h"
#include "health/alertstore.h"
#include "health/healthevaluator.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;

class TestMappingThresholds : public QObject
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
        m.cohortName = cohort;
        auto id = MappingRepository(*m_ws).add(m);
        if (!id)
            qFatal("%s", qPrintable(id.error().toString()));
        return *id;
    }

    // A run of `size` members of which `moved` entered and as many left.
    void run(qint64 mapping, qint64 size, qint64 moved)
    {
        RunRepository runs(*m_ws);
        auto id = runs.begin(mapping, RunKind::Incremental, m_clock.nowMs() - 1000);
        QVERIFY(id.ok());
        RunRecord r;
        r.id = *id;
        r.mappingId = mapping;
        r.status = RunStatus::Succeeded;
        r.startedAtMs = m_clock.nowMs() - 1000;
        r.finishedAtMs = m_clock.nowMs();
        r.segmentCount = r.syncedCount = size;
        r.entered = r.exited = moved;
        QVERIFY(runs.finish(r).ok());
    }

    QStringList openRules(qint64 mapping)
    {
        QStringList rules;
        const auto open = AlertStore(*m_ws, m_clock).open(mapping);
        for (const Alert& a : *open)
            rules << a.rule;
        return rules;
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

    void checkedLikeTheWorkspaceSetting()
    {
        QCOMPARE(*normalizeThresholdOverride(QStringLiteral("churn_ratio"), QStringLiteral("3.0")),
                 QStringLiteral("3"));
        // Not a threshold a mapping sets (a window stays the workspace's), or unknown.
        for (const char* name : {"churn_window_days", "naming_convention", "churn_rate"}) {
            auto r = normalizeThresholdOverride(QLatin1String(name), QStringLiteral("3"));
            QVERIFY2(!r, name);
            QVERIFY(r.error().message.contains(QStringLiteral("churn_ratio")));
        }
        // Out of the setting's range, or not a number.
        QVERIFY(!normalizeThresholdOverride(QStringLiteral("churn_ratio"), QStringLiteral("-1")));
        QVERIFY(!normalizeThresholdOverride(QStringLiteral("stale_factor"), QStringLiteral("x")));
    }

    void keptPerMapping()
    {
        const qint64 a = addMapping(QStringLiteral("CIO | Cart abandoners | 0-24h"), 1);
        const qint64 b = addMapping(QStringLiteral("CIO | Winback | 30d"), 2);
        MappingThresholdsRepository repo(*m_ws);
        QVERIFY(repo.set(a, {{QStringLiteral("churn_ratio"), QStringLiteral("5.0")},
                             {QStringLiteral("stale_factor"), QStringLiteral("4")}})
                    .ok());
        QCOMPARE(*repo.get(a),
                 (ThresholdOverrides{{QStringLiteral("churn_ratio"), QStringLiteral("5")},
                                     {QStringLiteral("stale_factor"), QStringLiteral("4")}}));
        QVERIFY(repo.get(b)->isEmpty());
        // A refused value writes nothing: the earlier ones stay.
        QVERIFY(!repo.set(a, {{QStringLiteral("churn_ratio"), QStringLiteral("2")},
                              {QStringLiteral("wow_swing_percent"), QStringLiteral("-5")}})
                     .ok());
        QCOMPARE(repo.get(a)->value(QStringLiteral("churn_ratio")), QStringLiteral("5"));
        QCOMPARE(repo.all()->size(), 1);
        QVERIFY(repo.set(a, {}).ok()); // the workspace's again
        QVERIFY(repo.all()->isEmpty());

        const HealthThresholds base;
        const HealthThresholds own =
            applyThresholdOverrides(base, {{QStringLiteral("churn_ratio"), QStringLiteral("5")}});
        QCOMPARE(own.churnRatio, 5.0);
        QCOMPARE(own.staleFactor, base.staleFactor);
    }

    void evaluatorJudgesEachMappingByItsOwn()
    {
        const qint64 cart = addMapping(QStringLiteral("CIO | Cart abandoners | 0-24h"), 1);
        const qint64 winback = addMapping(QStringLiteral("CIO | Winback | 30d"), 2);
        // Both replace most of their members every day.
        for (int i = 0; i < 4; ++i) {
            run(cart, 1000, 800);
            run(winback, 1000, 800);
            m_clock.advanceMs(HealthThresholds::kDayMs / 4);
        }
        HealthEvaluator eval(*m_ws, m_clock, HealthThresholds{});
        QVERIFY(eval.evaluateAll().ok());
        QVERIFY(openRules(cart).contains(QStringLiteral("churn")));
        QVERIFY(openRules(winback).contains(QStringLiteral("churn")));

        // The cart cohort says a turnover of up to 5 is normal for it.
        QVERIFY(MappingThresholdsRepository(*m_ws)
                    .set(cart, {{QStringLiteral("churn_ratio"), QStringLiteral("5")}})
                    .ok());
        auto perMapping = thresholdsPerMapping(*m_ws, HealthThresholds{});
        QVERIFY(perMapping.ok());
        eval.setThresholdsFor(*perMapping);
        QVERIFY(eval.evaluateAll().ok());
        QVERIFY2(!openRules(cart).contains(QStringLiteral("churn")),
                 qPrintable(openRules(cart).join(QLatin1Char(','))));
        QVERIFY(openRules(winback).contains(QStringLiteral("churn")));
    }
};

QTEST_GUILESS_MAIN(TestMappingThresholds)
#include "tst_mappingthresholds.moc"
