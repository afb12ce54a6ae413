// The doctor's pure judgements, row by row: which service URLs pass (HTTPS, the vendor's
// host for the region, or flagged as custom), when the clock is too far off, and the
// HTTP dates the clock check reads.
#include "api/backoff.h"
#include "trust/doctor.h"

#include <QTest>

using namespace lockstep;
using Service = Doctor::Service;
using Verdict = DoctorCheck::Status;

Q_DECLARE_METATYPE(Service)
Q_DECLARE_METATYPE(DoctorCheck::Status)

class TestDoctorRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hosts_data();
    void hosts();
    void clock_data();
    void clock();
    void httpDate();
};

void TestDoctorRules::hosts_data()
{
    QTest::addColumn<Service>("service");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("region");
    QTest::addColumn<Verdict>("status");
    QTest::addColumn<QString>("says");

    QTest::newRow("Customer.io US") << Service::CustomerIo << "https://api.customer.io"
                                    << "us" << Verdict::Pass << "Customer.io's US host";
    QTest::newRow("Customer.io EU, no region")
        << Service::CustomerIo << "https://api-eu.customer.io"
        << "" << Verdict::Pass << "Customer.io's EU host";
    QTest::newRow("EU host, US region") << Service::CustomerIo << "https://api-eu.customer.io"
                                        << "us" << Verdict::Fail << "region is US";
    QTest::newRow("Mixpanel India ingestion")
        << Service::MixpanelIngestion << "https://api-in.mixpanel.com"
        << "" << Verdict::Pass << "IN host";
    QTest::newRow("Mixpanel EU query")
        << Service::MixpanelQuery << "https://eu.mixpanel.com/api/query"
        << "eu" << Verdict::Pass << "Mixpanel query's EU host";
    QTest::newRow("US query host, EU region")
        << Service::MixpanelQuery << "https://mixpanel.com/api/query"
        << "eu" << Verdict::Fail << "region is EU";
    QTest::newRow("custom https proxy")
        << Service::MixpanelIngestion << "https://mp-proxy.corp.example"
        << "" << Verdict::Pass << "custom host";
    QTest::newRow("custom host, region set")
        << Service::CustomerIo << "https://cio.corp.example"
        << "eu" << Verdict::Pass << "not Customer.io's EU host api-eu.customer.io";
    QTest::newRow("sandbox on loopback") << Service::CustomerIo << "http://127.0.0.1:4010"
                                         << "" << Verdict::Pass << "on this machine";
    QTest::newRow("plain http elsewhere") << Service::CustomerIo << "http://api.customer.io"
                                          << "" << Verdict::Fail << "must use https";
    // Hosts the environment does not name: the workspace alone cannot send keys there.
    QTest::newRow("custom host not allowed")
        << Service::CustomerIo << "https://cio-proxy.other.example"
        << "" << Verdict::Fail << "LOCKSTEP_ALLOWED_HOSTS";
    QTest::newRow("vendor look-alike")
        << Service::CustomerIo << "https://api.customer.io.evil.example"
        << "" << Verdict::Fail << "customerio_url";
    QTest::newRow("vendor host, another port")
        << Service::CustomerIo << "https://api.customer.io:8443"
        << "" << Verdict::Fail << "LOCKSTEP_ALLOWED_HOSTS";
    QTest::newRow("another vendor's host") << Service::CustomerIo << "https://api.mixpanel.com"
                                           << "" << Verdict::Fail << "not a host of the service";
    QTest::newRow("sandbox on another loopback port")
        << Service::MixpanelQuery << "http://localhost:4011"
        << "" << Verdict::Fail << "mixpanel_query_url";
    QTest::newRow("not a URL") << Service::MixpanelQuery << "mixpanel"
                               << "" << Verdict::Fail << "not a valid service URL";
}

void TestDoctorRules::hosts()
{
    QFETCH(Service, service);
    QFETCH(QString, url);
    QFETCH(QString, region);
    QFETCH(Verdict, status);
    QFETCH(QString, says);
    // What an operator would name: a proxy of each service and the sandbox's address.
    const HostAllowList allowed = HostAllowList::parse(
        QStringLiteral("mp-proxy.corp.example, cio.corp.example,127.0.0.1:4010,localhost:4010"));
    const DoctorCheck c = Doctor::judgeHost(service, url, region, allowed);
    QCOMPARE(c.status, status);
    QVERIFY2(c.detail.contains(says), qPrintable(c.detail));
    if (c.failed()) {
        QCOMPARE(c.kind, DoctorCheck::Kind::Config);
        QVERIFY(!c.fix.isEmpty());
    }
}

void TestDoctorRules::clock_data()
{
    QTest::addColumn<qint64>("skewMs");
    QTest::addColumn<qint64>("uncertaintyMs");
    QTest::addColumn<Verdict>("status");
    QTest::addColumn<QString>("says");

    const qint64 minute = 60'000;
    QTest::newRow("in step") << qint64(300) << qint64(600) << Verdict::Pass
                             << "agrees with this machine to within 1 s";
    QTest::newRow("a minute ahead") << minute << qint64(600) << Verdict::Pass << "1 min ahead";
    QTest::newRow("just under the limit")
        << 5 * minute << qint64(600) << Verdict::Pass << "5 min ahead";
    QTest::newRow("past the limit")
        << 5 * minute + 5000 << qint64(600) << Verdict::Fail << "5 min 5 s ahead";
    QTest::newRow("an hour behind") << -60 * minute << qint64(600) << Verdict::Fail << "1 h behind";
    // A slow answer widens the margin: the Date header could have been written any time.
    QTest::newRow("slow reply within margin")
        << 5 * minute + 5000 << qint64(8000) << Verdict::Pass << "ahead";
}

void TestDoctorRules::clock()
{
    QFETCH(qint64, skewMs);
    QFETCH(qint64, uncertaintyMs);
    QFETCH(Verdict, status);
    QFETCH(QString, says);
    const QList<Doctor::ClockSample> samples = {
        {QStringLiteral("Customer.io"), skewMs, uncertaintyMs},
        {QStringLiteral("Mixpanel"), 200, 600}};
    const DoctorCheck c = Doctor::judgeClock(samples, 5 * 60'000);
    QCOMPARE(c.status, status);
    QVERIFY2(c.detail.contains(says), qPrintable(c.detail));
    QVERIFY2(c.detail.contains(QStringLiteral("Mixpanel agrees")), qPrintable(c.detail));
    QCOMPARE(c.fix.isEmpty(), status == Verdict::Pass);
    QCOMPARE(Doctor::judgeClock({}, 5 * 60'000).status, Verdict::Skip);
}

void TestDoctorRules::httpDate()
{
    QCOMPARE(parseHttpDateMs("Sun, 06 Nov 1994 08:49:37 GMT"), std::optional<qint64>(784111777000));
    QCOMPARE(parseHttpDateMs("  Thu, 01 Jan 2026 00:00:00 GMT "),
             std::optional<qint64>(1767225600000));
    QVERIFY(!parseHttpDateMs("yesterday"));
    QVERIFY(!parseHttpDateMs(""));
    // Retry-After still reads dates through it.
    QCOMPARE(parseRetryAfterMs("Sun, 06 Nov 1994 08:49:47 GMT", 784111777000),
             std::optional<qint64>(10000));
}

QTEST_GUILESS_MAIN(TestDoctorRules)
#include "tst_doctor_rules.moc"
