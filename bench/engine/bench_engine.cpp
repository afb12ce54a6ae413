// CPU of the engine's per-member work, on 1M synthetic members shaped like the
// sandbox's (and Customer.io's) membership pages: parsing the pages, resolving
// identities (cio_id and e-mail), diffing two snapshots with 1% churn, and the snapshot
// store's load/compact. No network here: run-engine-bench.sh measures the end-to-end
// run against the sandbox; this isolates the part the issue's "< 2 CPU seconds per
// million members for the diff and identity work" floor is about.
//
// Every benchmark processes exactly kMembers members per iteration and reports
// items/s, so "CPU s per 1M" = 1e6 / items_per_second (single thread).
#include "api/customerioclient.h"
#include "identity/identityresolver.h"
#include "members/memberset.h"
#include "store/mappingrepository.h"
#include "store/mismatchrepository.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace lockstep;

namespace {

constexpr int kMembers = 1'000'000;
constexpr int kPageSize = 30'000;

struct Person
{
    std::string id, email, cioId;
    bool hasEmail = true;
};

std::string hex16(uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The same anomaly mix as bench/engine/scenario-1m.json: 2% without e-mail, 4% with
// upper case and spaces, 1% sharing someone's e-mail. `offset` shifts the population so
// a second call yields mostly different people (churn).
std::vector<Person> population(int n, int offset)
{
    static const char* first[] = {"kate", "john", "li", "maria", "omar", "sven", "ana", "raj"};
    static const char* domains[] = {"example.com", "corp.example", "mail.test", "shop.example"};
    std::mt19937_64 rng(42 + uint64_t(offset));
    std::vector<Person> out(static_cast<size_t>(n));
    for (int k = 0; k < n; ++k) {
        const int i = k + offset;
        Person& p = out[size_t(k)];
        p.cioId = hex16(mix(uint64_t(i)));
        p.id = std::to_string(1000000 + i);
        const int r = int(rng() % 1000);
        if (r < 20) {
            p.hasEmail = false;
        } else if (r < 30 && k > 0) {
            const Person& other = out[size_t(rng() % uint64_t(k))];
            p.email = other.hasEmail ? other.email : "dup" + std::to_string(i) + "@example.com";
        } else {
            p.email = std::string(first[rng() % 8]) + ".smith" + std::to_string(i) + '@' +
                      domains[rng() % 4];
            if (r < 70) { // mixed case with surrounding spaces
                p.email[0] = char(p.email[0] - 'a' + 'A');
                p.email = ' ' + p.email + ' ';
            }
        }
    }
    return out;
}

// Pages in the sandbox's exact shape: {"segment_id":1,"ids":[...],"identifiers":[...],"next":"..."}
std::vector<QByteArray> pagesOf(const std::vector<Person>& people)
{
    std::vector<QByteArray> pages;
    for (size_t from = 0; from < people.size(); from += kPageSize) {
        const size_t to = std::min(people.size(), from + kPageSize);
        QByteArray ids, ident;
        for (size_t i = from; i < to; ++i) {
            const Person& p = people[i];
            if (i != from) {
                ids += ',';
                ident += ',';
            }
            ids += '"' + QByteArray::fromStdString(p.id) + '"';
            ident += "{\"id\":\"" + QByteArray::fromStdString(p.id) + "\",\"email\":";
            ident +=
                p.hasEmail ? '"' + QByteArray::fromStdString(p.email) + '"' : QByteArray("null");
            ident += ",\"cio_id\":\"" + QByteArray::fromStdString(p.cioId) + "\"}";
        }
        QByteArray body = "{\"segment_id\":1,\"ids\":[" + ids + "],\"identifiers\":[" + ident + ']';
        if (to < people.size())
            body += ",\"next\":\"" + QByteArray::number(qulonglong(to)).toBase64() + '"';
        body += '}';
        pages.push_back(body);
    }
    return pages;
}

const std::vector<Person>& people()
{
    static const std::vector<Person> p = population(kMembers, 0);
    return p;
}

const std::vector<QByteArray>& pages()
{
    static const std::vector<QByteArray> p = pagesOf(people());
    return p;
}

std::vector<MemberIdentifiers> parsedMembers()
{
    std::vector<MemberIdentifiers> out;
    out.reserve(kMembers);
    for (const QByteArray& body : pages()) {
        auto page = CustomerIoClient::parseMembershipPage(body);
        for (auto& m : page->members)
            out.push_back(std::move(m));
    }
    return out;
}

const std::vector<MemberIdentifiers>& members()
{
    static const std::vector<MemberIdentifiers> m = parsedMembers();
    return m;
}

MemberSet resolved(IdentityKey key, const std::vector<MemberIdentifiers>& ms)
{
    IdentityResolver r(key);
    for (const MemberIdentifiers& m : ms)
        r.add(m);
    return r.takeMembers();
}

void BM_ParseMembershipPages(benchmark::State& state)
{
    const auto& ps = pages();
    for (auto _ : state) {
        size_t n = 0;
        for (const QByteArray& body : ps) {
            auto page = CustomerIoClient::parseMembershipPage(body);
            n += page->members.size();
        }
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_ParseMembershipPages)->Unit(benchmark::kMillisecond);

// The QJsonDocument parser parseMembershipPage replaced, for comparison.
void BM_ParseMembershipPagesReference(benchmark::State& state)
{
    const auto& ps = pages();
    for (auto _ : state) {
        size_t n = 0;
        for (const QByteArray& body : ps) {
            auto page = CustomerIoClient::parseMembershipPageReference(body);
            n += page->members.size();
        }
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_ParseMembershipPagesReference)->Unit(benchmark::kMillisecond);

void BM_PeekNext(benchmark::State& state)
{
    const auto& ps = pages();
    for (auto _ : state)
        for (const QByteArray& body : ps)
            benchmark::DoNotOptimize(CustomerIoClient::peekNext(body));
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_PeekNext)->Unit(benchmark::kMillisecond);

// add() for every member, then takeMembers() (sort, dedup, shared-key reports).
void BM_Resolve(benchmark::State& state)
{
    const auto key = IdentityKey(state.range(0));
    const auto& ms = members();
    for (auto _ : state) {
        MemberSet s = resolved(key, ms);
        benchmark::DoNotOptimize(s.size());
        state.counters["keys"] = double(s.size());
        state.counters["bytes_per_member"] = double(s.memoryBytes()) / kMembers;
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_Resolve)
    ->Arg(int(IdentityKey::CioId))
    ->Arg(int(IdentityKey::Email))
    ->ArgNames({"identity"})
    ->Unit(benchmark::kMillisecond);

// Previous snapshot vs a segment where 1% left and 1% joined.
void BM_Diff1PercentChurn(benchmark::State& state)
{
    const auto& ms = members();
    std::vector<MemberIdentifiers> churned(ms.begin() + kMembers / 100, ms.end());
    for (const Person& p : population(kMembers / 100, kMembers))
        churned.push_back({QString::fromStdString(p.id), QString::fromStdString(p.email),
                           QString::fromStdString(p.cioId)});
    const MemberSet previous = resolved(IdentityKey::CioId, ms);
    const MemberSet current = resolved(IdentityKey::CioId, churned);
    for (auto _ : state) {
        MemberDiff d = diffMembers(previous, current);
        benchmark::DoNotOptimize(d.entered.data());
        state.counters["entered"] = double(d.entered.size());
        state.counters["exited"] = double(d.exited.size());
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_Diff1PercentChurn)->Unit(benchmark::kMillisecond);

// The snapshot store on a real SQLite workspace: what the end of an initial 1M run
// does (compact: fold 500 acknowledged batches into the blob) and what the next run
// starts with (load the compacted blob).
struct SnapshotFixture
{
    QTemporaryDir dir;
    std::unique_ptr<Workspace> ws;
    qint64 mappingId = 0;
    QList<JournalBatch> batches;

    SnapshotFixture()
    {
        ws = std::move(*Workspace::open(dir.filePath(QStringLiteral("bench.db"))));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("Bench");
        m.identity = IdentityKey::CioId;
        mappingId = *MappingRepository(*ws).add(m);
        const MemberSet set = resolved(IdentityKey::CioId, members());
        JournalBatch b;
        for (size_t i = 0; i < set.size(); ++i) {
            if (b.size == 2000) {
                batches.append(b);
                b = JournalBatch();
                b.seq = int(batches.size());
            }
            if (b.size)
                b.keys += '\n';
            b.keys.append(set.key(i).data(), qsizetype(set.key(i).size()));
            ++b.size;
        }
        batches.append(b);
    }

    // Journals and acknowledges one run's batches, as MappingRun does.
    void journalRun()
    {
        SnapshotStore store(*ws);
        const qint64 runId = *RunRepository(*ws).begin(mappingId, RunKind::Full, 1);
        (void)store.plan(runId, mappingId, batches);
        for (const JournalBatch& b : batches)
            (void)store.acknowledge(runId, mappingId, b);
    }
};

void BM_SnapshotCompact(benchmark::State& state)
{
    SnapshotFixture f;
    for (auto _ : state) {
        state.PauseTiming();
        (void)SnapshotStore(*f.ws).clear(f.mappingId);
        f.journalRun();
        state.ResumeTiming();
        auto st = SnapshotStore(*f.ws).compact(f.mappingId);
        if (!st)
            state.SkipWithError("compact failed");
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_SnapshotCompact)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_SnapshotLoadCompacted(benchmark::State& state)
{
    SnapshotFixture f;
    f.journalRun();
    (void)SnapshotStore(*f.ws).compact(f.mappingId);
    for (auto _ : state) {
        auto set = SnapshotStore(*f.ws).load(f.mappingId);
        benchmark::DoNotOptimize(set->size());
        state.counters["bytes_per_member"] = double(set->memoryBytes()) / kMembers;
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_SnapshotLoadCompacted)->Unit(benchmark::kMillisecond);

// What an incremental run starts with when earlier runs settled in the journal (no
// compaction): the compacted blob plus three runs of 1 % churn (10,000 keys out and
// 10,000 new keys in each), replayed and merged.
void BM_SnapshotLoadWithJournal(benchmark::State& state)
{
    SnapshotFixture f;
    f.journalRun();
    (void)SnapshotStore(*f.ws).compact(f.mappingId);
    const MemberSet set = resolved(IdentityKey::CioId, members());
    SnapshotStore store(*f.ws);
    for (int run = 0; run < 3; ++run) {
        const qint64 runId = *RunRepository(*f.ws).begin(f.mappingId, RunKind::Incremental, 1);
        QList<JournalBatch> churn;
        for (int b = 0; b < 10; ++b) {
            JournalBatch batch;
            batch.seq = b;
            batch.op = b < 5 ? JournalBatch::Op::Remove : JournalBatch::Op::Add;
            for (int i = 0; i < 2000; ++i) {
                const size_t at = size_t(run * 10000 + (b % 5) * 2000 + i) * 7 % set.size();
                if (i)
                    batch.keys += '\n';
                if (batch.op == JournalBatch::Op::Remove)
                    batch.keys.append(set.key(at).data(), qsizetype(set.key(at).size()));
                else
                    batch.keys +=
                        "new-" + QByteArray::number(run) + "-" + QByteArray::number(b * 2000 + i);
                ++batch.size;
            }
            churn.append(batch);
        }
        (void)store.plan(runId, f.mappingId, churn);
        for (const JournalBatch& b : churn)
            (void)store.acknowledge(runId, f.mappingId, b);
    }
    for (auto _ : state) {
        auto loaded = SnapshotStore(*f.ws).load(f.mappingId);
        benchmark::DoNotOptimize(loaded->size());
        state.counters["bytes_per_member"] = double(loaded->memoryBytes()) / kMembers;
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_SnapshotLoadWithJournal)->Unit(benchmark::kMillisecond);

// The end of a run whose batches were all acknowledged: the members become the snapshot.
void BM_SnapshotWriteFromMembers(benchmark::State& state)
{
    SnapshotFixture f;
    for (auto _ : state) {
        state.PauseTiming();
        MemberSet set = resolved(IdentityKey::CioId, members());
        state.ResumeTiming();
        auto st = SnapshotStore(*f.ws).compactTo(f.mappingId, std::move(set));
        if (!st)
            state.SkipWithError("write failed");
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_SnapshotWriteFromMembers)->Unit(benchmark::kMillisecond)->Iterations(5);

// Journaling a 1M run: 500 planned batches of 2000 keys, then one acknowledgement each.
void BM_JournalAndAcknowledge(benchmark::State& state)
{
    SnapshotFixture f;
    for (auto _ : state) {
        state.PauseTiming();
        (void)SnapshotStore(*f.ws).clear(f.mappingId);
        state.ResumeTiming();
        f.journalRun();
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_JournalAndAcknowledge)->Unit(benchmark::kMillisecond)->Iterations(3);

// Recording an e-mail mapping's identity mismatches (missing, invalid, shared e-mails of
// the 1M population: about 3 % of the members), replacing the previous run's.
void BM_RecordMismatches(benchmark::State& state)
{
    SnapshotFixture f;
    IdentityResolver r(IdentityKey::Email);
    for (const MemberIdentifiers& m : members())
        r.add(m);
    (void)r.takeMembers();
    const QList<IdentityMismatch> mismatches = r.mismatches();
    (void)MismatchRepository(*f.ws).replace(f.mappingId, 1, mismatches);
    for (auto _ : state) {
        auto st = MismatchRepository(*f.ws).replace(f.mappingId, 2, mismatches);
        if (!st)
            state.SkipWithError("replace failed");
        state.counters["mismatches"] = double(mismatches.size());
    }
    state.SetItemsProcessed(state.iterations() * kMembers);
}
BENCHMARK(BM_RecordMismatches)->Unit(benchmark::kMillisecond)->Iterations(5);

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // Qt SQL wants an application object
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
