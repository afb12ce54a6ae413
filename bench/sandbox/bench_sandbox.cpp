// Throughput of the sandbox, so it is never the bottleneck of engine benchmarks:
// membership rows/s served (30000-row pages) and /engage updates/s accepted (2000-update
// batches from a few concurrent clients). Usage: bench_sandbox [population=1000000]
// Prints one human line per figure and a JSON summary line.

#include "sandboxprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using lockstep::test::SandboxProcess;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const int population = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    const QJsonObject scenario{
        {"seed", 1},
        {"customerio", QJsonObject{{"app_api_key", "bench"}, {"rate_limit_per_second", 100000}}},
        {"mixpanel", QJsonObject{{"project_token", "bench-token"},
                                 {"cohorts", QJsonArray{QJsonObject{{"id", 1},
                                                                    {"name", "B"},
                                                                    {"property", "cio_cohorts"},
                                                                    {"value", "CIO | Bench"}}}}}},
        {"population", QJsonObject{{"size", population},
                                   {"anomalies", QJsonObject{{"missing_email", 0.01},
                                                             {"mixed_case_email", 0.02}}}}},
        {"segments", QJsonArray{QJsonObject{{"id", 1}, {"name", "all"}, {"share", 1.0}}}}};
    QElapsedTimer startup;
    startup.start();
    SandboxProcess sandbox(scenario);
    if (!sandbox.isRunning()) {
        std::fprintf(stderr, "bench_sandbox: %s\n", qPrintable(sandbox.errorString()));
        return 1;
    }
    std::printf("sandbox with %d people and a %d-member segment started in %lld ms\n", population,
                population, static_cast<long long>(startup.elapsed()));

    // Membership: page the whole segment with limit=30000.
    QElapsedTimer t;
    t.start();
    qint64 rows = 0;
    qint64 bytes = 0;
    QString cursor;
    while (true) {
        QUrl url = sandbox.customerIo();
        url.setPath(QStringLiteral("/v1/segments/1/membership"));
        url.setQuery(QStringLiteral("limit=30000") +
                     (cursor.isEmpty() ? QString() : QStringLiteral("&start=") + cursor));
        const auto r = SandboxProcess::request("GET", url, {}, {{"Authorization", "Bearer bench"}});
        if (r.status != 200) {
            std::fprintf(stderr, "membership page failed: HTTP %d\n", r.status);
            return 1;
        }
        bytes += r.body.size();
        // Count rows and find "next" without a full JSON parse: the figure is what the
        // sandbox serves, not how fast this client parses (the tests check correctness).
        rows += r.body.count("\"cio_id\":");
        const qsizetype n = r.body.lastIndexOf("\"next\":\"");
        cursor = n < 0 ? QString()
                       : QString::fromUtf8(r.body.mid(n + 8, r.body.indexOf('"', n + 8) - n - 8));
        if (cursor.isEmpty())
            break;
    }
    const double membershipSeconds = t.nsecsElapsed() / 1e9;
    const double rowsPerSecond = rows / membershipSeconds;
    std::printf("membership: %lld rows (%.1f MB) in %.2f s = %.0f rows/s \n",
                static_cast<long long>(rows), bytes / 1e6, membershipSeconds, rowsPerSecond);

    // /engage: 2000-update $union batches, prepared before timing, from 3 clients.
    const int batches = std::max(10, population / 2000);
    std::vector<QByteArray> bodies;
    bodies.reserve(std::size_t(batches));
    for (int b = 0; b < batches; ++b) {
        QByteArray body = "[";
        for (int i = 0; i < 2000; ++i) {
            if (i)
                body += ',';
            body += "{\"$token\":\"bench-token\",\"$distinct_id\":\"" +
                    QByteArray::number(qint64(b) * 2000 + i) +
                    "\",\"$union\":{\"cio_cohorts\":[\"CIO | Bench\"]},\"$ignore_time\":true}";
        }
        body += ']';
        bodies.push_back(body);
    }
    QUrl engage = sandbox.mixpanel();
    engage.setPath(QStringLiteral("/engage"));
    std::atomic<int> next{0};
    std::atomic<int> failed{0};
    t.restart();
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c) {
        clients.emplace_back([&] {
            for (int b = next++; b < batches; b = next++) {
                const auto r = SandboxProcess::request("POST", engage, bodies[std::size_t(b)],
                                                       {{"Content-Type", "application/json"}});
                if (r.status != 200 || r.body != "1")
                    ++failed;
            }
        });
    }
    for (auto& c : clients)
        c.join();
    const double engageSeconds = t.nsecsElapsed() / 1e9;
    const double updatesPerSecond = double(batches) * 2000 / engageSeconds;
    std::printf("engage: %d updates in %.2f s = %.0f updates/s (%d failed batches)\n",
                batches * 2000, engageSeconds, updatesPerSecond, failed.load());
    const QJsonObject info = sandbox.control("GET", QStringLiteral("/_sandbox/info")).toObject();
    const QJsonObject summary{{"membership_rows_per_s", qRound64(rowsPerSecond)},
                              {"engage_updates_per_s", qRound64(updatesPerSecond)},
                              {"profiles", info.value(QStringLiteral("profiles"))}};
    std::printf("%s\n", QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
    return failed.load() == 0 && info.value(QStringLiteral("profiles")).toInt() == batches * 2000
               ? 0
               : 1;
}
