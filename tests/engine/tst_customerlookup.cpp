// The customer lookup's reply (POST /v1/customers/attributes): parsed robustly (a malformed
// reply is an error with a message, never a crash) and matched back to the ids asked for.
#include "api/customerioclient.h"

#include <QTest>

using namespace lockstep;

namespace {
const QByteArray kSample = R"({"customers":[
  {"customer":{"id":"1","attributes":{"_last_emailed":"1528932553","email":"Ann@Shop.IO ","id":"1","cio_id":"03000001"},
   "timestamps":{"cio_id":1489014595,"email":1489014595,"id":1489014595},"devices":[]}},
  {"customer":{"id":null,"attributes":{"cio_id":"03000002"},"timestamps":{}}}]})";
} // namespace

class TestCustomerLookup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void sampleFields();
    void truncatedAtEveryByte();
    void match_data();
    void match();
};

void TestCustomerLookup::parse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("customers"); // -1: an error
    QTest::newRow("sample") << kSample << 2;
    QTest::newRow("none") << QByteArray(R"({"customers":[]})") << 0;
    QTest::newRow("none, as null") << QByteArray(R"({"customers":null})") << 0;
    QTest::newRow("numeric id")
        << QByteArray(R"({"customers":[{"customer":{"id":42,"attributes":{"cio_id":"c"}}}]})") << 1;
    QTest::newRow("no attributes") << QByteArray(R"({"customers":[{"customer":{"id":"7"}}]})") << 1;
    QTest::newRow("unknown fields")
        << QByteArray(R"({"meta":{"x":1},"customers":[{"customer":{"id":"7","z":[]},"w":1}]})")
        << 1;
    QTest::newRow("not JSON") << QByteArray("<html>bad gateway</html>") << -1;
    QTest::newRow("empty") << QByteArray() << -1;
    QTest::newRow("an array") << QByteArray("[]") << -1;
    QTest::newRow("no customers") << QByteArray(R"({"errors":[{"detail":"x","status":"500"}]})")
                                  << -1;
    QTest::newRow("customers an object") << QByteArray(R"({"customers":{}})") << -1;
    QTest::newRow("an item not an object") << QByteArray(R"({"customers":[1]})") << -1;
    QTest::newRow("customer not an object")
        << QByteArray(R"({"customers":[{"customer":"1"}]})") << -1;
    QTest::newRow("attributes not an object")
        << QByteArray(R"({"customers":[{"customer":{"id":"1","attributes":[]}}]})") << -1;
    QTest::newRow("garbled")
        << QByteArray(R"({"customers":[{"customer":{"id":"1"<!-- upstream error -->{")") << -1;
}

void TestCustomerLookup::parse()
{
    QFETCH(QByteArray, body);
    QFETCH(int, customers);
    const auto r = CustomerIoClient::parseCustomers(body);
    if (customers < 0) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().category, SyncError::Category::Protocol);
        QVERIFY(
            r.error().message.startsWith(QStringLiteral("Customer.io sent an unexpected reply")));
    } else {
        QVERIFY2(r.ok(), qPrintable(r.error().message));
        QCOMPARE(int(r->size()), customers);
    }
}

void TestCustomerLookup::sampleFields()
{
    const auto r = CustomerIoClient::parseCustomers(kSample);
    QVERIFY(r.ok());
    QCOMPARE(r->at(0).id, std::optional<QString>(QStringLiteral("1")));
    QCOMPARE(r->at(0).email, std::optional<QString>(QStringLiteral("Ann@Shop.IO ")));
    QCOMPARE(r->at(0).cioId, QStringLiteral("03000001"));
    QVERIFY(!r->at(1).id);
    QVERIFY(!r->at(1).email);
    QCOMPARE(r->at(1).cioId, QStringLiteral("03000002"));
    // Identifiers given on the customer itself count as well.
    const auto top = CustomerIoClient::parseCustomers(
        R"({"customers":[{"customer":{"id":"9","cio_id":"c9"}}]})");
    QVERIFY(top.ok());
    QCOMPARE(top->at(0).cioId, QStringLiteral("c9"));
}

void TestCustomerLookup::truncatedAtEveryByte()
{
    for (qsizetype n = 0; n < kSample.size(); ++n) {
        const auto r = CustomerIoClient::parseCustomers(kSample.left(n));
        QVERIFY2(!r.ok(),
                 qPrintable(QStringLiteral("a reply cut at %1 bytes was accepted").arg(n)));
        QVERIFY(!r.error().message.isEmpty());
    }
}

void TestCustomerLookup::match_data()
{
    QTest::addColumn<int>("idType");
    QTest::addColumn<QStringList>("asked");
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QStringList>("found"); // sorted; {"!"}: an error
    const int I = int(IdentityKey::Id), E = int(IdentityKey::Email), C = int(IdentityKey::CioId);
    const QByteArray one =
        R"({"customers":[{"customer":{"id":"1","attributes":{"cio_id":"c1"}}}]})";
    QTest::newRow("id, one missing") << I << QStringList{"1", "2"} << one << QStringList{"1"};
    QTest::newRow("id, trimmed like the keys")
        << I << QStringList{" 1"} << one << QStringList{" 1"};
    QTest::newRow("cio_id") << C << QStringList{"03000002", "03000001", "03000003"} << kSample
                            << QStringList{"03000001", "03000002"};
    QTest::newRow("email, normalised like the keys")
        << E << QStringList{"ann@shop.io"} << QByteArray(R"({"customers":[{"customer":{"id":"1",
                                                                    "attributes":{"email":" Ann@Shop.IO","cio_id":"x"}}}]})")
        << QStringList{"ann@shop.io"};
    QTest::newRow("nobody found") << E << QStringList{"ann@shop.io", "bob@shop.io"}
                                  << QByteArray(R"({"customers":[]})") << QStringList{};
    QTest::newRow("asked twice") << I << QStringList{"1", "1"}
                                 << QByteArray(kSample).replace("\"id\":null", "\"id\":\"1\"")
                                 << QStringList{"1"};
    QTest::newRow("a customer not asked for")
        << C << QStringList{"03000001"} << kSample << QStringList{"!"};
    QTest::newRow("a customer without the identifier")
        << E << QStringList{"ann@shop.io"} << kSample << QStringList{"!"};
    QTest::newRow("an id lookup answering a customer without an id")
        << I << QStringList{"1"} << kSample << QStringList{"!"};
}

void TestCustomerLookup::match()
{
    QFETCH(int, idType);
    QFETCH(QStringList, asked);
    QFETCH(QByteArray, reply);
    QFETCH(QStringList, found);
    const auto customers = CustomerIoClient::parseCustomers(reply);
    QVERIFY2(customers.ok(), qPrintable(customers.error().message));
    const auto r = CustomerIoClient::matchCustomers(IdentityKey(idType), asked, *customers);
    if (found == QStringList{QStringLiteral("!")}) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().category, SyncError::Category::Protocol);
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QStringList got(r->begin(), r->end());
    std::sort(got.begin(), got.end());
    QCOMPARE(got, found);
}

QTEST_GUILESS_MAIN(TestCustomerLookup)
#include "tst_customerlookup.moc"
