// The sandbox itself: command line, scenario errors, deterministic ticks, the control
// endpoints, stats and every kind of injected fault.

#include "sandboxprocess.h"
#include "testscenarios.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QtTest>

using lockstep::test::SandboxProcess;

class TestControl : public QObject
{
    Q_OBJECT

private:
    static SandboxProcess::Reply count(const SandboxProcess& s)
    {
        QUrl url = s.customerIo();
        url.setPath(QStringLiteral("/v1/segments/2/customer_count"));
        return SandboxProcess::request("GET", url, {}, {{"Authorization", "Bearer key-1"}}, 5000);
    }
    // Raw exchange, to see what a client sees on a broken connection.
    static QByteArray raw(const SandboxProcess& s, QAbstractSocket::SocketError* error = nullptr,
                          int timeoutMs = 3000)
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(s.customerIo().port()));
        if (!socket.waitForConnected(2000))
            return {};
        socket.write(
            "GET /v1/segments/2/customer_count HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
            "Bearer key-1\r\n\r\n");
        QByteArray data;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs && socket.state() == QAbstractSocket::ConnectedState) {
            if (socket.waitForReadyRead(100))
                data += socket.readAll();
        }
        data += socket.readAll();
        if (error)
            *error = socket.error();
        return data;
    }

    // One request with exactly the given header lines; the reply's status (0: none).
    static int rawStatus(quint16 port, const QByteArray& head, QByteArray* body = nullptr)
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!socket.waitForConnected(2000))
            return 0;
        socket.write(head + "Connection: close\r\nContent-Length: 0\r\n\r\n");
        QByteArray data;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 5000 && socket.state() == QAbstractSocket::ConnectedState) {
            if (socket.waitForReadyRead(100))
                data += socket.readAll();
        }
        data += socket.readAll();
        if (body)
            *body = data.mid(data.indexOf("\r\n\r\n") + 4);
        const QList<QByteArray> status = data.left(data.indexOf("\r\n")).split(' ');
        return status.size() > 1 ? status[1].toInt() : 0;
    }

private Q_SLOTS:
    // DNS rebinding: a web page whose name resolves to 127.0.0.1 sends its own name in
    // Host, and a browser adds Origin. The control API answers neither; the emulated APIs
    // answer loopback names (with this port) and the vendor hosts they stand in for.
    void hostAndOriginGuard_data()
    {
        QTest::addColumn<QByteArray>("requestLine");
        QTest::addColumn<QByteArray>("host"); // "{port}": the port the request goes to
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<int>("status");
        const QByteArray info = "GET /_sandbox/info HTTP/1.1";
        const QByteArray count = "GET /v1/segments/2/customer_count HTTP/1.1";
        QTest::newRow("control, 127.0.0.1:port")
            << info << QByteArray("127.0.0.1:{port}") << QByteArray() << 200;
        QTest::newRow("control, localhost:port")
            << info << QByteArray("localhost:{port}") << QByteArray() << 200;
        QTest::newRow("control, [::1]:port")
            << info << QByteArray("[::1]:{port}") << QByteArray() << 200;
        QTest::newRow("control, 127.0.0.1")
            << info << QByteArray("127.0.0.1") << QByteArray() << 200;
        QTest::newRow("control, LOCALHOST:port")
            << info << QByteArray("LOCALHOST:{port}") << QByteArray() << 200;
        QTest::newRow("control, foreign name")
            << info << QByteArray("evil.example:{port}") << QByteArray() << 403;
        QTest::newRow("control, foreign name, no port")
            << info << QByteArray("evil.example") << QByteArray() << 403;
        QTest::newRow("control, look-alike")
            << info << QByteArray("localhost.evil.example:{port}") << QByteArray() << 403;
        QTest::newRow("control, other port")
            << info << QByteArray("127.0.0.1:1") << QByteArray() << 403;
        QTest::newRow("control, vendor host")
            << info << QByteArray("api.customer.io") << QByteArray() << 403;
        QTest::newRow("control, no Host") << info << QByteArray() << QByteArray() << 403;
        QTest::newRow("control, Origin")
            << info << QByteArray("127.0.0.1:{port}") << QByteArray("http://evil.example") << 403;
        QTest::newRow("control, Origin null")
            << info << QByteArray("127.0.0.1:{port}") << QByteArray("null") << 403;
        QTest::newRow("API, loopback")
            << count << QByteArray("127.0.0.1:{port}") << QByteArray() << 200;
        QTest::newRow("API, vendor host")
            << count << QByteArray("api-eu.customer.io") << QByteArray() << 200;
        QTest::newRow("API, foreign name")
            << count << QByteArray("evil.example:{port}") << QByteArray() << 403;
        QTest::newRow("API, other port")
            << count << QByteArray("localhost:2") << QByteArray() << 403;
    }
    void hostAndOriginGuard()
    {
        QFETCH(QByteArray, requestLine);
        QFETCH(QByteArray, host);
        QFETCH(QByteArray, origin);
        QFETCH(int, status);
        static SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const quint16 port = quint16(s.customerIo().port());
        QByteArray head = requestLine + "\r\n";
        if (!host.isEmpty())
            head +=
                "Host: " + QByteArray(host).replace("{port}", QByteArray::number(port)) + "\r\n";
        if (!origin.isEmpty())
            head += "Origin: " + origin + "\r\n";
        head += "Authorization: Bearer key-1\r\n";
        QByteArray body;
        QCOMPARE(rawStatus(port, head, &body), status);
        if (status == 403)
            QVERIFY2(body.contains(origin.isEmpty() ? "Host" : "Origin"), body.constData());
    }

    // A cross-origin text/plain POST (no preflight in a browser) changes nothing.
    void crossOriginPostChangesNothing()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const quint16 port = quint16(s.customerIo().port());
        const int before = s.control("GET", QStringLiteral("/_sandbox/info"))
                               .toObject()
                               .value(QStringLiteral("tick"))
                               .toInt();
        const QByteArray head =
            "POST /_sandbox/tick HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
            "\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\n";
        QCOMPARE(rawStatus(port, head), 403);
        const int after = s.control("GET", QStringLiteral("/_sandbox/info"))
                              .toObject()
                              .value(QStringLiteral("tick"))
                              .toInt();
        QCOMPARE(after, before);
        // Control: the same POST from a local client (no Origin) ticks.
        QVERIFY(!s.tick().isEmpty());
        QCOMPARE(s.control("GET", QStringLiteral("/_sandbox/info"))
                     .toObject()
                     .value(QStringLiteral("tick"))
                     .toInt(),
                 before + 1);
    }

    void help()
    {
        QProcess p;
        p.start(QStringLiteral(LOCKSTEP_SANDBOX_BIN), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().contains("--scenario"));
    }

    void badScenario_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("field");
        QTest::newRow("not json") << QByteArray("{nope") << "not valid JSON";
        QTest::newRow("bad churn")
            << QByteArray(R"({"segments":[{"id":1,"name":"x","size":1,"churn":{"entered":-1}}]})")
            << "segments[0].churn.entered";
        QTest::newRow("share > 1")
            << QByteArray(R"({"population":{"size":10,"anomalies":{"missing_email":2}}})")
            << "population.anomalies.missing_email";
        QTest::newRow("identifiers")
            << QByteArray(R"({"customerio":{"identifiers":"phone"}})") << "customerio.identifiers";
        QTest::newRow("unknown member")
            << QByteArray(R"({"segments":[{"id":1,"name":"x","members":["ghost"]}]})")
            << "segments[0].members[0]";
        QTest::newRow("cohort value")
            << QByteArray(R"({"mixpanel":{"cohorts":[{"id":1,"name":"c","property":"p"}]}})")
            << "mixpanel.cohorts[0].value";
        QTest::newRow("unknown field") << QByteArray(R"({"segmnts":[]})") << "segmnts";
        QTest::newRow("weekly not 7")
            << QByteArray(R"({"segments":[{"id":1,"name":"x","size":1,"churn":{"weekly":[1,2]}}]})")
            << "segments[0].churn.weekly";
        QTest::newRow("period backwards")
            << QByteArray(R"({"segments":[{"id":1,"name":"x","size":1,)"
                          R"("churn":{"periods":[{"from_tick":5,"to_tick":3}]}}]})")
            << "segments[0].churn.periods[0].to_tick";
    }
    void badScenario()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, field);
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(content);
        file.flush();
        QProcess p;
        p.start(QStringLiteral(LOCKSTEP_SANDBOX_BIN),
                {QStringLiteral("--scenario"), file.fileName()});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(field), qPrintable(err));
        QVERIFY(p.readAllStandardOutput().isEmpty());
    }

    void fixedPorts()
    {
        // Ask for free ports first, then start on exactly those.
        quint16 ports[2];
        for (quint16& port : ports) {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        SandboxProcess s(QStringLiteral("small.json"),
                         {QStringLiteral("--customerio-port"), QString::number(ports[0]),
                          QStringLiteral("--mixpanel-port"), QString::number(ports[1])});
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QCOMPARE(s.customerIo().port(), int(ports[0]));
        QCOMPARE(s.mixpanel().port(), int(ports[1]));
        QCOMPARE(s.mixpanelQuery().path(), QStringLiteral("/api/query"));
        QCOMPARE(s.appApiKey(), QStringLiteral("test-key"));
        QCOMPARE(s.projectId(), 42);
    }

    void ticksAreDeterministic()
    {
        auto run = [](int seed) {
            QJsonObject scenario = lockstep::test::basicScenario(3000, 1000);
            scenario.insert(QStringLiteral("seed"), seed);
            SandboxProcess s(scenario);
            QStringList before = s.segmentMemberKeys(2, QStringLiteral("cio_id"));
            const QJsonObject report = s.tick(3);
            QStringList after = s.segmentMemberKeys(2, QStringLiteral("cio_id"));
            return std::make_tuple(before, after, report);
        };
        const auto [b1, a1, r1] = run(5);
        const auto [b2, a2, r2] = run(5);
        const auto [b3, a3, r3] = run(6);
        QCOMPARE(b1.size(), 1000);
        QCOMPARE(b1, b2);
        QCOMPARE(a1, a2);
        QVERIFY(a1 != a3);
        QCOMPARE(r1.value(QStringLiteral("tick")).toInt(), 3);
        QCOMPARE(r1.value(QStringLiteral("entered")).toInt(), 21);
        QCOMPARE(r1.value(QStringLiteral("exited")).toInt(), 15);
        QCOMPARE(a1.size(), 1000 + 21 - 15);
        // Exact churn: what left is no longer there, what entered is new.
        const QSet<QString> before(b1.begin(), b1.end()), after(a1.begin(), a1.end());
        QCOMPARE(int((before - after).size()), 15);
        QCOMPARE(int((after - before).size()), 21);
    }

    // A tick as a day: entries follow the week's factors, and a period (an event that
    // stopped flowing, then its recovery) replaces the churn for its ticks.
    void weeklyRhythmAndPeriods()
    {
        QJsonObject scenario = lockstep::test::basicScenario(3000, 1000);
        QJsonArray segments = scenario.value(QStringLiteral("segments")).toArray();
        QJsonObject generated = segments.at(1).toObject();
        generated.insert(
            QStringLiteral("churn"),
            QJsonObject{
                {"entered", 10},
                {"exited", 5},
                {"weekly", QJsonArray{1, 2, 3, 0.5, 1, 0, 0}},
                {"periods",
                 QJsonArray{QJsonObject{
                                {"from_tick", 9}, {"to_tick", 10}, {"entered", 0}, {"exited", 300}},
                            QJsonObject{{"from_tick", 11}, {"entered", 250}, {"exited", 0}}}}});
        segments.replace(1, generated);
        scenario.insert(QStringLiteral("segments"), segments);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        // Segment 2 alone churns in this scenario: the report's counts are its own.
        const int expectEntered[] = {10, 20, 30, 5, 10, 0, 0, 10, 0, 0, 250, 10};
        const int expectExited[] = {5, 5, 5, 5, 5, 5, 5, 5, 300, 300, 0, 5};
        int size = s.segmentMemberKeys(2, QStringLiteral("cio_id")).size();
        for (int t = 0; t < 12; ++t) {
            const QJsonObject report = s.tick();
            QCOMPARE(report.value(QStringLiteral("entered")).toInt(), expectEntered[t]);
            QCOMPARE(report.value(QStringLiteral("exited")).toInt(), expectExited[t]);
            size += expectEntered[t] - expectExited[t];
            QCOMPARE(s.segmentMemberKeys(2, QStringLiteral("cio_id")).size(), size);
        }
    }

    // A suppression list drawn apart from another segment stays apart through churn on
    // both sides; the same scenario without disjoint_with shares members.
    void disjointSegments_data()
    {
        QTest::addColumn<bool>("disjoint");
        QTest::newRow("disjoint_with") << true;
        QTest::newRow("control") << false;
    }
    void disjointSegments()
    {
        QFETCH(bool, disjoint);
        QJsonObject scenario = lockstep::test::basicScenario(3000, 1500);
        QJsonArray segments = scenario.value(QStringLiteral("segments")).toArray();
        QJsonObject generated = segments.at(1).toObject();
        generated.insert(QStringLiteral("churn"), QJsonObject{{"entered", 200}, {"exited", 200}});
        segments.replace(1, generated);
        QJsonObject apart{{"id", 4},
                          {"name", "Suppressed"},
                          {"size", 600},
                          {"churn", QJsonObject{{"entered", 100}, {"exited", 100}}}};
        if (disjoint)
            apart.insert(QStringLiteral("disjoint_with"), QJsonArray{2});
        segments.append(apart);
        scenario.insert(QStringLiteral("segments"), segments);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        int shared = 0;
        for (int t = 0; t <= 5; ++t) {
            if (t > 0)
                s.tick();
            const QStringList a = s.segmentMemberKeys(2, QStringLiteral("cio_id"));
            const QStringList b = s.segmentMemberKeys(4, QStringLiteral("cio_id"));
            QCOMPARE(b.size(), 600);
            shared +=
                int((QSet<QString>(a.begin(), a.end()) & QSet<QString>(b.begin(), b.end())).size());
        }
        if (disjoint)
            QCOMPARE(shared, 0);
        else
            QVERIFY(shared > 100);
    }

    void mergesEditsAndBuilds()
    {
        QJsonObject scenario = lockstep::test::basicScenario(1000, 900);
        scenario.insert(QStringLiteral("population"),
                        QJsonObject{{"size", 1000}, {"anomalies", QJsonObject{{"merged", 0.02}}}});
        QJsonArray segments = scenario.value(QStringLiteral("segments")).toArray();
        QJsonObject building = segments.at(2).toObject();
        building.insert(QStringLiteral("finish_after_ticks"), 2);
        segments.replace(2, building);
        QJsonObject generated = segments.at(1).toObject();
        generated.insert(QStringLiteral("definition_edits"), QJsonArray{1});
        generated.insert(QStringLiteral("churn"), QJsonObject{});
        segments.replace(1, generated);
        scenario.insert(QStringLiteral("segments"), segments);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const QStringList before = s.segmentMemberKeys(2, QStringLiteral("cio_id"));
        const QJsonObject report = s.tick();
        QCOMPARE(report.value(QStringLiteral("merged")).toInt(), 20);
        QCOMPARE(report.value(QStringLiteral("definition_edits")).toInt(), 1);
        const QStringList after = s.segmentMemberKeys(2, QStringLiteral("cio_id"));
        const QSet<QString> vanished =
            QSet<QString>(before.begin(), before.end()) - QSet<QString>(after.begin(), after.end());
        QVERIFY(!vanished.isEmpty());        // merged secondaries' cio_ids are gone
        for (const QString& gone : vanished) // ... from every segment
            QVERIFY(!s.segmentMemberKeys(3, QStringLiteral("cio_id")).contains(gone));

        QUrl url = s.customerIo();
        url.setPath(QStringLiteral("/v1/segments/3"));
        auto seg = [&] {
            return QJsonDocument::fromJson(
                       SandboxProcess::request("GET", url, {}, {{"Authorization", "Bearer key-1"}})
                           .body)
                .object()
                .value(QStringLiteral("segment"))
                .toObject();
        };
        QCOMPARE(seg().value(QStringLiteral("state")).toString(), QStringLiteral("build"));
        QCOMPARE(seg().value(QStringLiteral("progress")).toInt(), 50);
        s.tick();
        QCOMPARE(seg().value(QStringLiteral("state")).toString(), QStringLiteral("finished"));
        QVERIFY(seg().value(QStringLiteral("progress")).isNull());
        url.setPath(QStringLiteral("/v1/segments/2"));
        const QJsonObject edited = seg();
        QVERIFY(edited.value(QStringLiteral("updated_at")).toInteger() >
                edited.value(QStringLiteral("created_at")).toInteger());
        QCOMPARE(
            edited.value(QStringLiteral("deduplicate_id")).toString(),
            QStringLiteral("2:%1").arg(edited.value(QStringLiteral("updated_at")).toInteger()));
    }

    void editMembersAndStats()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const QJsonValue r =
            s.control("POST", QStringLiteral("/_sandbox/segments/1/members"),
                      QJsonObject{{"remove", QJsonArray{"alice"}}, {"add", QJsonArray{}}});
        QCOMPARE(r.toObject().value(QStringLiteral("count")).toInt(), 2);
        QCOMPARE(s.segmentMemberKeys(1, QStringLiteral("cio_id")),
                 (QStringList{"cio-carol", "cio-noid"}));
        QCOMPARE(count(s).status, 200);
        QCOMPARE(count(s).status, 200);
        QJsonObject stats = s.stats();
        QCOMPARE(stats.value("routes")
                     .toObject()
                     .value("cio.customer_count")
                     .toObject()
                     .value("requests")
                     .toInt(),
                 2);
        const QJsonArray log = stats.value(QStringLiteral("log")).toArray();
        QCOMPARE(log.size(), 2);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("status")).toInt(), 200);
        QVERIFY(log.at(0).toObject().value(QStringLiteral("t_ms")).toInteger() > 1600000000000);
        s.resetStats();
        QVERIFY(s.stats().value(QStringLiteral("routes")).toObject().isEmpty());
    }

    void statusFaults_data()
    {
        QTest::addColumn<QJsonObject>("rule");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::newRow("503 with Retry-After") << QJsonObject{{"route", "cio.customer_count"},
                                                             {"status", 503},
                                                             {"retry_after", 2},
                                                             {"count", 2}}
                                              << 503 << QByteArray("2");
        QTest::newRow("500 without")
            << QJsonObject{{"route", "cio.*"}, {"status", 500}, {"count", 2}} << 500
            << QByteArray();
        QTest::newRow("429 storm")
            << QJsonObject{{"route", "*"}, {"status", 429}, {"retry_after", 1}, {"count", 2}} << 429
            << QByteArray("1");
    }
    void statusFaults()
    {
        QFETCH(QJsonObject, rule);
        QFETCH(int, status);
        QFETCH(QByteArray, retryAfter);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        s.setFaults({rule});
        for (int i = 0; i < 2; ++i) {
            const auto r = count(s);
            QCOMPARE(r.status, status);
            QCOMPARE(r.header("Retry-After"), retryAfter);
            QVERIFY(QJsonDocument::fromJson(r.body).object().contains(QStringLiteral("errors")));
        }
        QCOMPARE(count(s).status, 200); // count exhausted
        QCOMPARE(s.control("GET", QStringLiteral("/_sandbox/faults"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value("hits")
                     .toInt(),
                 2);
    }

    void latencyFault()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        s.setFaults(
            {QJsonObject{{"route", "cio.customer_count"}, {"latency_ms", 400}, {"count", 1}}});
        QElapsedTimer t;
        t.start();
        QCOMPARE(count(s).status, 200);
        QVERIFY(t.elapsed() >= 380);
        t.restart();
        QCOMPARE(count(s).status, 200);
        QVERIFY(t.elapsed() < 300);
    }

    void brokenConnections()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));

        s.setFaults(
            {QJsonObject{{"route", "cio.customer_count"}, {"truncate", true}, {"count", 1}}});
        QByteArray data = raw(s);
        QVERIFY(data.startsWith("HTTP/1.1 200"));
        const qsizetype split = data.indexOf("\r\n\r\n");
        const int announced =
            data.mid(data.indexOf("Content-Length: ") + 16).split('\r').at(0).toInt();
        QVERIFY(data.size() - split - 4 < announced); // fewer bytes than announced, then closed

        s.setFaults(
            {QJsonObject{{"route", "cio.customer_count"}, {"malformed", true}, {"count", 1}}});
        const auto bad = count(s);
        QCOMPARE(bad.status, 200);
        QJsonParseError pe;
        QJsonDocument::fromJson(bad.body, &pe);
        QVERIFY(pe.error != QJsonParseError::NoError);

        s.setFaults({QJsonObject{{"route", "cio.customer_count"}, {"reset", true}, {"count", 1}}});
        QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
        QVERIFY(raw(s, &error).isEmpty());
        QCOMPARE(error, QAbstractSocket::RemoteHostClosedError);

        s.setFaults({QJsonObject{{"route", "cio.customer_count"}, {"hang", true}, {"count", 1}}});
        QElapsedTimer t;
        t.start();
        QVERIFY(raw(s, nullptr, 1000).isEmpty()); // nothing within the client's timeout
        QVERIFY(t.elapsed() >= 900);
        QCOMPARE(count(s).status, 200);

        const QJsonObject routes = s.stats().value(QStringLiteral("routes")).toObject();
        const QJsonObject statuses = routes.value(QStringLiteral("cio.customer_count"))
                                         .toObject()
                                         .value(QStringLiteral("statuses"))
                                         .toObject();
        QCOMPARE(statuses.value(QStringLiteral("reset")).toInt(), 1);
        QCOMPARE(statuses.value(QStringLiteral("hang")).toInt(), 1);
    }

    void probabilityAndSkip()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        s.setFaults({QJsonObject{
            {"route", "cio.customer_count"}, {"status", 502}, {"skip", 2}, {"probability", 0.5}}});
        QCOMPARE(count(s).status, 200);
        QCOMPARE(count(s).status, 200);
        int failed = 0;
        for (int i = 0; i < 200; ++i)
            failed += count(s).status == 502 ? 1 : 0;
        QVERIFY2(failed > 60 && failed < 140, qPrintable(QString::number(failed)));
        s.clearFaults();
        QCOMPARE(count(s).status, 200);
    }

    void badFaultRule()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QVERIFY(s.control("POST", QStringLiteral("/_sandbox/faults"),
                          QJsonObject{
                              {"faults", QJsonArray{QJsonObject{{"route", "*"}, {"sttus", 500}}}}})
                    .isUndefined());
        QVERIFY(s.errorString().contains(QStringLiteral("sttus")));
    }
};

QTEST_GUILESS_MAIN(TestControl)
#include "tst_control.moc"
