// Benchmarks for the analytics behind the console:
//  - a 20 x 20 overlap matrix over cohorts of 1M members (floor: under 1 s),
//  - health rules over 100 mappings x 3 years of daily points (floor: under 100 ms),
// plus interning, the evaluator over a real SQLite workspace (with bytes per stored
// size point), downsampling and the naming audit.
#include "audit/namingauditor.h"
#include "health/downsampler.h"
#include "health/healthevaluator.h"
#include "health/overlapindex.h"
#include "health/sizehistory.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

using namespace lockstep;

namespace {

constexpr qint64 kDay = HealthThresholds::kDayMs;
constexpr int kCohorts = 20;
constexpr int kMembers = 1'000'000;
constexpr uint32_t kUniverse = 3'000'000; // distinct people across all cohorts

std::string keyOf(uint32_t n)
{
    return "user-" + std::to_string(n) + "@example.com";
}

// One cohort: kMembers distinct keys drawn from the universe.
std::vector<std::string> cohortKeys(quint32 seed)
{
    QRandomGenerator rng(seed);
    std::vector<uint8_t> taken(kUniverse, 0);
    std::vector<std::string> keys;
    keys.reserve(kMembers);
    while (keys.size() < size_t(kMembers)) {
        const uint32_t n = rng.bounded(kUniverse);
        if (taken[n])
            continue;
        taken[n] = 1;
        keys.push_back(keyOf(n));
    }
    return keys;
}

OverlapIndex& bigIndex()
{
    static std::unique_ptr<OverlapIndex> idx = [] {
        auto out = std::make_unique<OverlapIndex>();
        for (int c = 0; c < kCohorts; ++c) {
            const auto keys = cohortKeys(quint32(c + 1));
            const std::vector<std::string_view> views(keys.begin(), keys.end());
            out->setMembers(c + 1, QStringLiteral("cohort %1").arg(c), views);
        }
        return out;
    }();
    return *idx;
}

void BM_OverlapMatrix20x1M(benchmark::State& state)
{
    OverlapIndex& idx = bigIndex();
    for (auto _ : state) {
        OverlapMatrix m = idx.matrix();
        benchmark::DoNotOptimize(m.counts.data());
    }
    state.counters["cohorts"] = kCohorts;
    state.counters["members_each"] = kMembers;
    state.counters["index_MB"] = double(idx.memoryBytes()) / 1e6;
}
BENCHMARK(BM_OverlapMatrix20x1M)->Unit(benchmark::kMillisecond);

// Interning 1M keys into a fresh interner and building the bitmap: the cost of loading
// one cohort's snapshot into the Overlap page.
void BM_InternAndBuild1M(benchmark::State& state)
{
    const auto keys = cohortKeys(99);
    const std::vector<std::string_view> views(keys.begin(), keys.end());
    for (auto _ : state) {
        OverlapIndex idx;
        idx.setMembers(1, QStringLiteral("c"), views);
        benchmark::DoNotOptimize(idx.cohortSize(1));
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_InternAndBuild1M)->Unit(benchmark::kMillisecond);

struct HealthData
{
    std::vector<Mapping> mappings;
    std::vector<std::vector<SizePoint>> points;
};

constexpr qint64 kEnd = 1'767'225'600'000;

const HealthData& healthData()
{
    static HealthData d = [] {
        HealthData out;
        QRandomGenerator rng(5);
        for (int m = 0; m < 100; ++m) {
            Mapping mp;
            mp.id = m + 1;
            mp.cohortName = QStringLiteral("CIO | Cohort %1 | 30d").arg(m);
            mp.scheduleMinutes = 1440;
            out.mappings.push_back(mp);
            std::vector<SizePoint> pts;
            qint64 size = 5000 + rng.bounded(50000);
            for (int d = 0; d < 3 * 365; ++d) {
                SizePoint p;
                p.runId = qint64(m) * 10000 + d + 1;
                p.atMs = kEnd - qint64(3 * 365 - 1 - d) * kDay;
                size = std::max<qint64>(0, size + qint64(rng.bounded(200)) - 100);
                p.segmentCount = size;
                p.syncedCount = size - 10;
                p.entered = rng.bounded(100);
                p.exited = rng.bounded(100);
                p.mismatched = 10;
                if (d % 7 == 0)
                    p.mixpanelCount = size - 10;
                pts.push_back(p);
            }
            if (m % 10 == 0)
                pts.back().segmentCount = 2; // some mappings are sick
            out.points.push_back(std::move(pts));
        }
        return out;
    }();
    return d;
}

void BM_HealthRules100x3y(benchmark::State& state)
{
    const HealthData& d = healthData();
    const HealthThresholds t;
    size_t findings = 0;
    for (auto _ : state) {
        findings = 0;
        for (size_t m = 0; m < d.mappings.size(); ++m) {
            HealthInput in;
            in.mapping = d.mappings[m];
            in.points = d.points[m];
            in.nowMs = kEnd;
            in.lastSuccessMs = kEnd - 3600000;
            findings += evaluateHealth(in, t).size();
        }
        benchmark::DoNotOptimize(findings);
    }
    state.counters["findings"] = double(findings);
    state.counters["points"] = 100.0 * 3 * 365;
}
BENCHMARK(BM_HealthRules100x3y)->Unit(benchmark::kMillisecond);

// The same data stored in a SQLite workspace; HealthEvaluator::evaluateAll reads the
// recent window of each mapping (index range scan), evaluates and reconciles alerts.
void BM_HealthEvaluatorSqlite100x3y(benchmark::State& state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.sqlite"));
    auto ws = Workspace::open(path);
    if (!ws) {
        state.SkipWithError(qPrintable(ws.error().toString()));
        return;
    }
    const HealthData& d = healthData();
    const qint64 before = QFileInfo(path).size();
    qint64 rows = 0;
    Status st = (*ws)->transaction([&]() -> Status {
        MappingRepository repo(**ws);
        SizeHistory h(**ws);
        for (size_t m = 0; m < d.mappings.size(); ++m) {
            Mapping mp = d.mappings[m];
            mp.segmentId = qint64(m) + 1;
            auto id = repo.add(mp);
            if (!id)
                return id.error();
            for (const SizePoint& p : d.points[m]) {
                if (auto s = h.append(*id, p); !s)
                    return s;
                ++rows;
            }
        }
        return {};
    });
    if (!st) {
        state.SkipWithError(qPrintable(st.error().toString()));
        return;
    }
    QSqlQuery(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), (*ws)->db());
    const qint64 bytes = QFileInfo(path).size() - before;
    ManualClock clock(kEnd + 3600000);
    HealthEvaluator eval(**ws, clock, HealthThresholds{});
    for (auto _ : state) {
        auto f = eval.evaluateAll();
        benchmark::DoNotOptimize(f.ok());
    }
    state.counters["bytes_per_point"] = double(bytes) / double(rows);
    state.counters["points"] = double(rows);
}
BENCHMARK(BM_HealthEvaluatorSqlite100x3y)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_DownsampleLttb(benchmark::State& state)
{
    std::vector<SizePoint> pts;
    for (int i = 0; i < 3 * 365 * 24; ++i) // 3 years hourly
        pts.push_back({i + 1, qint64(i) * 3600000, 10000 + (i * 7919) % 997, 0, 0, 0, 0, -1});
    for (auto _ : state)
        benchmark::DoNotOptimize(downsampleLttb(pts, 500).size());
    state.SetItemsProcessed(state.iterations() * qint64(pts.size()));
}
BENCHMARK(BM_DownsampleLttb)->Unit(benchmark::kMicrosecond);

void BM_NamingAudit500(benchmark::State& state)
{
    QList<Mapping> ms;
    const QStringList intents = {QStringLiteral("Winback"), QStringLiteral("Win-back"),
                                 QStringLiteral("VIP"), QStringLiteral("Churn risk"),
                                 QStringLiteral("cart abandoners")};
    for (int i = 0; i < 500; ++i) {
        Mapping m;
        m.id = i + 1;
        m.segmentId = i + 1;
        m.cohortName =
            QStringLiteral("CIO | %1 %2 | %3d").arg(intents[i % 5]).arg(i / 5).arg(i % 90 + 1);
        ms.append(m);
    }
    for (auto _ : state) {
        auto r = auditMappings(ms, NamingConvention{});
        benchmark::DoNotOptimize(r.ok());
    }
}
BENCHMARK(BM_NamingAudit500)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
