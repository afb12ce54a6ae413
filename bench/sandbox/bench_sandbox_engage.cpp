// /engage ingestion throughput of lockstep-sandbox under the engine benchmark's load:
// 2000-update batches in the exact shapes lockstep sends ($union, $remove, $set, $unset),
// from N concurrent keep-alive connections, against a sandbox loaded with a scenario
// (default bench/engine/scenario-1m.json). Reports updates/s, the sandbox's CPU seconds
// (user + sys from /proc/PID/stat) per 1M updates and the mean logged duration_ms.
//
//   bench_sandbox_engage [--scenario FILE] [--sandbox BIN] [--clients 10] [--updates 1000000]
//                        [--shapes union,remove,set,unset] [--shape-updates 200000]
//
// `--updates` applies to the first shape, `--shape-updates` to the others. The distinct ids
// are the segment's real cio_ids (from /_sandbox/segments/1/members), so every update hits
// the same profile lookups as in the engine benchmark. Prints one line per shape and a
// JSON summary line.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QUrl>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

// A minimal blocking HTTP/1.1 keep-alive client: enough for Content-Length replies.
class Connection
{
public:
    explicit Connection(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        int one = 1;
        if (m_fd >= 0)
            ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~Connection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Returns the status (0 on a connection error) and fills `body`.
    int request(const QByteArray& method, const QByteArray& target, const QByteArray& payload,
                QByteArray& body)
    {
        if (m_fd < 0)
            return 0;
        QByteArray req = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (!payload.isEmpty())
            req += "Content-Type: application/json\r\n";
        req += "Content-Length: " + QByteArray::number(payload.size()) + "\r\n\r\n";
        req += payload;
        for (qsizetype sent = 0; sent < req.size();) {
            const ssize_t n =
                ::send(m_fd, req.constData() + sent, std::size_t(req.size() - sent), MSG_NOSIGNAL);
            if (n <= 0)
                return 0;
            sent += n;
        }
        qsizetype headerEnd;
        while ((headerEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
            if (!fill())
                return 0;
        }
        const QByteArray head = m_buffer.left(headerEnd);
        const int status = head.mid(9, 3).toInt();
        qsizetype length = 0;
        const qsizetype cl = head.toLower().indexOf("content-length:");
        if (cl >= 0)
            length = head.mid(cl + 15, head.indexOf("\r\n", cl) - cl - 15).trimmed().toLongLong();
        while (m_buffer.size() < headerEnd + 4 + length) {
            if (!fill())
                return 0;
        }
        body = m_buffer.mid(headerEnd + 4, length);
        m_buffer.remove(0, headerEnd + 4 + length);
        return status;
    }

private:
    bool fill()
    {
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        m_buffer.append(chunk, n);
        return true;
    }

    int m_fd = -1;
    QByteArray m_buffer;
};

double processCpuSeconds(qint64 pid)
{
    FILE* f = std::fopen(QByteArray("/proc/" + QByteArray::number(pid) + "/stat").constData(), "r");
    if (!f)
        return 0;
    char buf[4096];
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const char* p = std::strrchr(buf, ')');
    if (!p)
        return 0;
    unsigned long utime = 0, stime = 0;
    if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) !=
        2)
        return 0;
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

QByteArray operationOf(const QByteArray& shape)
{
    // Exactly what MappingRun::engageBody builds for a list / flag mapping.
    if (shape == "union")
        return "\"$union\":{\"cio_cohorts\":[\"Bench 1M\"]}";
    if (shape == "remove")
        return "\"$remove\":{\"cio_cohorts\":\"Bench 1M\"}";
    if (shape == "set")
        return "\"$set\":{\"Bench 1M\":true}";
    if (shape == "unset")
        return "\"$unset\":[\"Bench 1M\"]";
    return {};
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QString binDir = QCoreApplication::applicationDirPath();
    QString scenario = QStringLiteral(LOCKSTEP_SOURCE_DIR "/bench/engine/scenario-1m.json");
    QString sandboxBin = binDir + QStringLiteral("/lockstep-sandbox");
    int clients = 10;
    qint64 firstUpdates = 1000000;
    qint64 shapeUpdates = 200000;
    QList<QByteArray> shapes = {"union", "remove", "set", "unset"};
    const int batchSize = 2000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString& k = args[i];
        const QString& v = args[i + 1];
        if (k == QStringLiteral("--scenario"))
            scenario = v;
        else if (k == QStringLiteral("--sandbox"))
            sandboxBin = v;
        else if (k == QStringLiteral("--clients"))
            clients = v.toInt();
        else if (k == QStringLiteral("--updates"))
            firstUpdates = v.toLongLong();
        else if (k == QStringLiteral("--shape-updates"))
            shapeUpdates = v.toLongLong();
        else if (k == QStringLiteral("--shapes"))
            shapes = v.toUtf8().split(',');
        else {
            std::fprintf(stderr, "bench_sandbox_engage: unknown option %s\n", qPrintable(k));
            return 2;
        }
    }

    QProcess sandbox;
    sandbox.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer startup;
    startup.start();
    sandbox.start(sandboxBin, {QStringLiteral("--scenario"), scenario});
    if (!sandbox.waitForStarted(10000)) {
        std::fprintf(stderr, "bench_sandbox_engage: cannot start %s\n", qPrintable(sandboxBin));
        return 1;
    }
    while (!sandbox.canReadLine() && sandbox.state() == QProcess::Running)
        sandbox.waitForReadyRead(1000);
    const QJsonObject urls = QJsonDocument::fromJson(sandbox.readLine()).object();
    const QUrl mixpanel(urls.value(QStringLiteral("mixpanel")).toString());
    if (!mixpanel.isValid() || mixpanel.port() <= 0) {
        std::fprintf(stderr, "bench_sandbox_engage: the sandbox did not start\n");
        return 1;
    }
    const auto port = quint16(mixpanel.port());
    const qint64 pid = sandbox.processId();
    std::printf("sandbox (pid %lld) with %s started in %lld ms\n", static_cast<long long>(pid),
                qPrintable(QFileInfo(scenario).fileName()),
                static_cast<long long>(startup.elapsed()));
    std::fflush(stdout);

    // The segment's cio_ids, scanned by hand from the ground truth.
    std::vector<QByteArray> ids;
    {
        Connection c(port);
        QByteArray body;
        if (c.request("GET", "/_sandbox/segments/1/members", {}, body) != 200) {
            std::fprintf(stderr, "bench_sandbox_engage: cannot read segment 1\n");
            return 1;
        }
        static const QByteArray key = "\"cio_id\":\"";
        for (qsizetype at = body.indexOf(key); at >= 0; at = body.indexOf(key, at)) {
            at += key.size();
            const qsizetype end = body.indexOf('"', at);
            ids.push_back(body.mid(at, end - at));
            at = end;
        }
    }
    if (ids.empty()) {
        std::fprintf(stderr, "bench_sandbox_engage: segment 1 is empty\n");
        return 1;
    }
    std::printf("%zu distinct ids, %d clients, %d updates a batch\n", ids.size(), clients,
                batchSize);
    std::fflush(stdout);

    QJsonArray summary;
    int failures = 0;
    for (int s = 0; s < shapes.size(); ++s) {
        const QByteArray shape = shapes[s];
        const QByteArray op = operationOf(shape);
        if (op.isEmpty()) {
            std::fprintf(stderr, "bench_sandbox_engage: unknown shape %s\n", shape.constData());
            return 2;
        }
        const qint64 updates = s == 0 ? firstUpdates : shapeUpdates;
        const int batches = int((updates + batchSize - 1) / batchSize);
        const QByteArray head =
            "{\"$token\":\"bench-token\",\"$ignore_time\":true," + op + ",\"$distinct_id\":\"";
        std::vector<QByteArray> bodies(static_cast<std::size_t>(batches));
        std::size_t next = 0;
        for (auto& body : bodies) {
            body.reserve(batchSize * (head.size() + 24) + 2);
            body += '[';
            for (int i = 0; i < batchSize; ++i) {
                if (i)
                    body += ',';
                body += head;
                body += ids[next++ % ids.size()];
                body += "\"}";
            }
            body += ']';
        }

        Connection reset(port);
        QByteArray ignored;
        reset.request("POST", "/_sandbox/stats/reset", {}, ignored);
        std::atomic<int> cursor{0};
        std::atomic<int> failed{0};
        const double cpu0 = processCpuSeconds(pid);
        QElapsedTimer t;
        t.start();
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&] {
                Connection conn(port);
                QByteArray reply;
                for (int b = cursor++; b < batches; b = cursor++) {
                    if (conn.request("POST", "/engage", bodies[std::size_t(b)], reply) != 200 ||
                        reply != "1")
                        ++failed;
                }
            });
        }
        for (auto& th : threads)
            th.join();
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        const double cpu = processCpuSeconds(pid) - cpu0;

        Connection statsConn(port);
        QByteArray statsBody;
        statsConn.request("GET", "/_sandbox/stats", {}, statsBody);
        const QJsonObject stats = QJsonDocument::fromJson(statsBody).object();
        double durationSum = 0;
        int entries = 0;
        for (const QJsonValue& e : stats.value(QStringLiteral("log")).toArray()) {
            if (e.toObject().value(QStringLiteral("route")).toString() ==
                QStringLiteral("mp.engage")) {
                durationSum += e.toObject().value(QStringLiteral("duration_ms")).toDouble();
                ++entries;
            }
        }
        const qint64 accepted = stats.value(QStringLiteral("engage"))
                                    .toObject()
                                    .value(QStringLiteral("accepted"))
                                    .toInteger();
        const qint64 sent = qint64(batches) * batchSize;
        const double perSecond = double(sent) / seconds;
        const double cpuPerMillion = cpu / double(sent) * 1e6;
        const double meanMs = entries ? durationSum / entries : 0;
        std::printf(
            "%-6s %8lld updates in %6.2f s = %8.0f updates/s; sandbox CPU %5.2f s = %5.2f s per 1M "
            "(%.2f us/update); mean duration_ms %.1f; accepted %lld; failed batches %d\n",
            shape.constData(), static_cast<long long>(sent), seconds, perSecond, cpu, cpuPerMillion,
            cpu / double(sent) * 1e6, meanMs, static_cast<long long>(accepted), failed.load());
        std::fflush(stdout);
        failures += failed.load() + (accepted == sent ? 0 : 1);
        summary.append(QJsonObject{{"shape", QString::fromLatin1(shape)},
                                   {"updates", sent},
                                   {"seconds", seconds},
                                   {"updates_per_s", qRound64(perSecond)},
                                   {"sandbox_cpu_s_per_1m", cpuPerMillion},
                                   {"mean_duration_ms", meanMs}});
    }
    std::printf("%s\n", QJsonDocument(QJsonObject{{"clients", clients}, {"results", summary}})
                            .toJson(QJsonDocument::Compact)
                            .constData());
    sandbox.terminate();
    sandbox.waitForFinished(10000);
    return failures == 0 ? 0 : 1;
}
