// The FakeNetwork's own contract, which the engine tests rely on: answers arrive from the
// event loop like Qt's, a reply ends as Qt 6.4's HTTP reply would (status, error, body,
// transfer timeout, synchronous abort), rules are taken in order with skip and times, and
// every request is recorded with how it ended.
#include "fakenetwork.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace lockstep::test;

Q_DECLARE_METATYPE(lockstep::test::FakeResponse)
Q_DECLARE_METATYPE(lockstep::test::FakeRequest::End)

class TestFakeNetwork : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replies_data();
    void replies();
    void neverFinishesInsideTheCall();
    void abortFinishesInsideTheCall();
    void rulesInOrderWithSkipAndTimes();
    void fallbacksAndTheRecord();
};

void TestFakeNetwork::replies_data()
{
    QTest::addColumn<FakeResponse>("response");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<int>("error");  // QNetworkReply::NetworkError
    QTest::addColumn<int>("status"); // 0: no status attribute
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<FakeRequest::End>("end");
    QTest::addColumn<int>("minMs"); // the reply did not end sooner

    using E = FakeRequest::End;
    const FakeResponse ok = FakeResponse::json(200, QByteArray(R"({"a":1234})"));
    QTest::newRow("reply") << ok << 0 << int(QNetworkReply::NoError) << 200 << ok.body
                           << E::Answered << 0;
    QTest::newRow("error status, body readable") << FakeResponse::json(503, QByteArray("busy")) << 0
                                                 << int(QNetworkReply::ServiceUnavailableError)
                                                 << 503 << QByteArray("busy") << E::Answered << 0;
    QTest::newRow("429 keeps its headers")
        << FakeResponse::json(429, QByteArray("{}")).withHeader("Retry-After", "2") << 0
        << int(QNetworkReply::UnknownContentError) << 429 << QByteArray("{}") << E::Answered << 0;
    QTest::newRow("connection reset")
        << FakeResponse::networkError(QNetworkReply::RemoteHostClosedError) << 0
        << int(QNetworkReply::RemoteHostClosedError) << 0 << QByteArray() << E::Failed << 0;
    QTest::newRow("cut short: status, then half the body and an error")
        << ok.truncated() << 0 << int(QNetworkReply::RemoteHostClosedError) << 200
        << ok.body.left(ok.body.size() / 2) << E::Answered << 0;
    QTest::newRow("hang ends at the transfer timeout")
        << FakeResponse::hanging() << 80 << int(QNetworkReply::OperationCanceledError) << 0
        << QByteArray() << E::TimedOut << 75;
    QTest::newRow("delay past the timeout")
        << ok.delayed(2000) << 80 << int(QNetworkReply::OperationCanceledError) << 0 << QByteArray()
        << E::TimedOut << 75;
    QTest::newRow("delay within the timeout")
        << ok.delayed(60) << 2000 << int(QNetworkReply::NoError) << 200 << ok.body << E::Answered
        << 56;
}

void TestFakeNetwork::replies()
{
    QFETCH(FakeResponse, response);
    QFETCH(int, timeoutMs);
    QFETCH(int, error);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(FakeRequest::End, end);
    QFETCH(int, minMs);

    auto script = std::make_shared<FakeScript>();
    script->add(FakeRule::on("GET", QStringLiteral("/x")).reply(response));
    FakeNetwork nam(script);
    QNetworkRequest request(QUrl(QStringLiteral("https://api.example.com/x")));
    request.setTransferTimeout(timeoutMs);
    QElapsedTimer timer;
    timer.start();
    QNetworkReply* reply = nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QVERIFY(timer.elapsed() >= minMs);
    QCOMPARE(int(reply->error()), error);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid(), status != 0);
    if (status)
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    for (const auto& [name, value] : response.headers)
        QCOMPARE(reply->rawHeader(name), status ? value : QByteArray());
    QCOMPARE(reply->readAll(), body);
    QCOMPARE(script->requests().first().end, end);
    delete reply;
}

void TestFakeNetwork::neverFinishesInsideTheCall()
{
    auto script = std::make_shared<FakeScript>();
    script->add(FakeRule::on({}, QStringLiteral("**"))
                    .reply(FakeResponse::networkError(QNetworkReply::ConnectionRefusedError)));
    FakeNetwork nam(script);
    QNetworkReply* reply =
        nam.get(QNetworkRequest(QUrl(QStringLiteral("https://api.example.com/"))));
    QVERIFY(!reply->isFinished());
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->error(), QNetworkReply::ConnectionRefusedError);
    delete reply;
}

void TestFakeNetwork::abortFinishesInsideTheCall()
{
    auto script = std::make_shared<FakeScript>();
    script->add(FakeRule::on("POST", QStringLiteral("/engage")).reply(FakeResponse::hanging()));
    FakeNetwork nam(script);
    QNetworkReply* reply =
        nam.post(QNetworkRequest(QUrl(QStringLiteral("https://api.mixpanel.com/engage"))), "[]");
    QSignalSpy finished(reply, &QNetworkReply::finished);
    reply->abort(); // as Qt 6's HTTP reply: finished() is emitted before abort() returns
    QCOMPARE(finished.size(), 1);
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
    QCOMPARE(script->requests().first().end, FakeRequest::End::Aborted);
    delete reply;
}

void TestFakeNetwork::rulesInOrderWithSkipAndTimes()
{
    auto script = std::make_shared<FakeScript>();
    const int second = script->add(FakeRule::on("GET", QStringLiteral("/v1/segments/*/membership"))
                                       .skip(1)
                                       .times(2)
                                       .reply(FakeResponse::text(503, "second and third")));
    const int any = script->add(
        FakeRule::on("GET", QStringLiteral("/v1/**")).reply(FakeResponse::text(200, "any")));
    const int other = script->add(FakeRule::on("GET", QStringLiteral("/v1/segments/1"))
                                      .host(QStringLiteral("elsewhere.test"))
                                      .reply(FakeResponse::text(200, "never")));
    FakeNetwork nam(script);
    QList<QByteArray> bodies;
    for (int i = 0; i < 5; ++i) {
        QNetworkReply* reply = nam.get(QNetworkRequest(
            QUrl(QStringLiteral("https://api.customer.io/v1/segments/7/membership"))));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(5000));
        bodies << reply->readAll();
        delete reply;
    }
    QCOMPARE(bodies,
             (QList<QByteArray>{"any", "second and third", "second and third", "any", "any"}));
    QCOMPARE(script->hits(second), 2);
    QCOMPARE(script->hits(any), 3);
    QCOMPARE(script->hits(other), 0);
    QCOMPARE(script->count("GET", QStringLiteral("/v1/segments/*/membership")), 5);
    QCOMPARE(script->count("GET", QStringLiteral("/v1/segments/*")), 0); // `*` stays in one segment
}

void TestFakeNetwork::fallbacksAndTheRecord()
{
    auto script = std::make_shared<FakeScript>();
    script->addFallback([](const FakeRequest& r) -> std::optional<FakeResponse> {
        if (r.url.host() != QLatin1String("api.mixpanel.com"))
            return std::nullopt;
        return FakeResponse::text(200, "echo " + r.body);
    });
    const int cut =
        script->add(FakeRule::on("POST", QStringLiteral("/engage")).times(1).cutShort());
    FakeNetwork nam(script);
    QNetworkRequest request(QUrl(QStringLiteral("https://api.mixpanel.com/engage?verbose=1")));
    request.setRawHeader("X-Mixpanel-Integration-ID", "lockstep");
    QList<QByteArray> bodies;
    for (int i = 0; i < 2; ++i) {
        QNetworkReply* reply = nam.post(request, "[1,2]");
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(5000));
        bodies << reply->readAll();
        delete reply;
    }
    // The rule altered what the fallback answered (half of "echo [1,2]"), once.
    QCOMPARE(bodies, (QList<QByteArray>{"echo ", "echo [1,2]"}));
    QCOMPARE(script->hits(cut), 1);
    QNetworkReply* lost = nam.get(QNetworkRequest(QUrl(QStringLiteral("https://nowhere.test/x"))));
    QSignalSpy finished(lost, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(lost->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    QCOMPARE(script->unanswered(), 1);
    delete lost;

    const QList<FakeRequest> record = script->requests();
    QCOMPARE(record.size(), 3);
    QCOMPARE(record.at(0).method, QByteArray("POST"));
    QCOMPARE(record.at(0).body, QByteArray("[1,2]"));
    QCOMPARE(record.at(0).header("x-mixpanel-integration-id"), QByteArray("lockstep"));
    QCOMPARE(record.at(0).query().queryItemValue(QStringLiteral("verbose")), QStringLiteral("1"));
    QCOMPARE(record.at(0).rule, cut);
    QCOMPARE(record.at(1).rule, -1);
    QVERIFY(record.at(1).atMs >= record.at(0).atMs);
    script->clearRequests();
    QCOMPARE(script->requests().size(), 0);
}

QTEST_GUILESS_MAIN(TestFakeNetwork)
#include "tst_fakenetwork.moc"
