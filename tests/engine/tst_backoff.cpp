// Retry timing is a pure function: checked without sleeping.
#include "api/backoff.h"

#include <QTest>

using namespace lockstep;

class TestBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void retryable_data();
    void retryable();
    void retryAfter_data();
    void retryAfter();
    void delays();
};

void TestBackoff::retryable_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retry");
    QTest::newRow("200") << 200 << false;
    QTest::newRow("400 never") << 400 << false;
    QTest::newRow("401") << 401 << false;
    QTest::newRow("403") << 403 << false;
    QTest::newRow("404") << 404 << false;
    QTest::newRow("413") << 413 << false;
    QTest::newRow("408") << 408 << true;
    QTest::newRow("429") << 429 << true;
    QTest::newRow("500") << 500 << true;
    QTest::newRow("502") << 502 << true;
    QTest::newRow("503") << 503 << true;
}

void TestBackoff::retryable()
{
    QFETCH(int, status);
    QFETCH(bool, retry);
    QCOMPARE(isRetryableStatus(status), retry);
}

void TestBackoff::retryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("expectedMs"); // -1: none
    QTest::newRow("absent") << QByteArray() << qint64(-1);
    QTest::newRow("seconds") << QByteArray("2") << qint64(2000);
    QTest::newRow("spaces") << QByteArray(" 7 ") << qint64(7000);
    QTest::newRow("fraction") << QByteArray("0.5") << qint64(500);
    QTest::newRow("negative") << QByteArray("-3") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    // 2026-01-01T00:00:10Z against a clock at 2026-01-01T00:00:00Z.
    QTest::newRow("http date") << QByteArray("Thu, 01 Jan 2026 00:00:10 GMT") << qint64(10000);
}

void TestBackoff::retryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, expectedMs);
    const qint64 now = 1767225600000; // 2026-01-01T00:00:00Z
    const auto got = parseRetryAfterMs(header, now);
    QCOMPARE(got.value_or(-1), expectedMs);
}

void TestBackoff::delays()
{
    RetryPolicy p;
    p.baseDelayMs = 2000;
    p.maxDelayMs = 60000;
    p.jitterMinMs = 1000;
    p.jitterMaxMs = 5000;
    // Exponential from 2 s, capped at 60 s, jitter within 1-5 s.
    QCOMPARE(backoffDelayMs(p, 2, std::nullopt, 0.0), 3000);
    QCOMPARE(backoffDelayMs(p, 3, std::nullopt, 0.0), 5000);
    QCOMPARE(backoffDelayMs(p, 4, std::nullopt, 0.0), 9000);
    QCOMPARE(backoffDelayMs(p, 20, std::nullopt, 0.0), 61000);
    QCOMPARE(backoffDelayMs(p, 2, std::nullopt, 0.999), 2000 + 1000 + 3996);
    // Retry-After is a floor, never shortened.
    QCOMPARE(backoffDelayMs(p, 2, 30000, 0.0), 30000);
    QCOMPARE(backoffDelayMs(p, 2, 10, 0.0), 3000);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
