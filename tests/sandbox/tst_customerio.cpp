// The Customer.io App API emulator: segments, counts, membership paging (both identifier
// shapes, both end-of-results styles, limits, cursors), auth, 404s and the rate limit.

#include "sandboxprocess.h"
#include "testscenarios.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QThread>
#include <QUrlQuery>
#include <QtTest>

using lockstep::test::SandboxProcess;

class TestCustomerIo : public QObject
{
    Q_OBJECT

private:
    static SandboxProcess::Reply get(const SandboxProcess& s, const QString& path, const QByteArray& key = "key-1")
    {
        QUrl url = s.customerIo();
        const qsizetype q = path.indexOf(QLatin1Char('?'));
        url.setPath(q < 0 ? path : path.left(q));
        if (q >= 0)
            url.setQuery(path.mid(q + 1));
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!key.isNull())
            headers.append({"Authorization", key.contains(' ') ? key : "Bearer " + key});
        return SandboxProcess::request("GET", url, {}, headers);
    }
    static QJsonObject json(const SandboxProcess::Reply& r) { return QJsonDocument::fromJson(r.body).object(); }

private Q_SLOTS:
    void segmentsList()
    {
        SandboxProcess s(lockstep::test::basicScenario(100, 50));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = get(s, QStringLiteral("/v1/segments"));
        QCOMPARE(r.status, 200);
        const QJsonArray segments = json(r).value(QStringLiteral("segments")).toArray();
        QCOMPARE(segments.size(), 3);
        const QJsonObject first = segments.at(0).toObject();
        for (const char* key : {"id", "deduplicate_id", "name", "description", "state", "progress", "type", "tags",
                                "created_at", "updated_at"})
            QVERIFY2(first.contains(QLatin1StringView(key)), key);
        QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("finished"));
        QVERIFY(first.value(QStringLiteral("progress")).isNull());
        QCOMPARE(first.value(QStringLiteral("deduplicate_id")).toString(),
                 QStringLiteral("1:%1").arg(first.value(QStringLiteral("updated_at")).toInteger()));
        const QJsonObject building = segments.at(2).toObject();
        QCOMPARE(building.value(QStringLiteral("state")).toString(), QStringLiteral("build"));
        QCOMPARE(building.value(QStringLiteral("progress")).toInt(), 35);
    }

    void segmentAndCount()
    {
        SandboxProcess s(lockstep::test::basicScenario(100, 50));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        auto r = get(s, QStringLiteral("/v1/segments/2"));
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r).value(QStringLiteral("segment")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("Generated"));
        r = get(s, QStringLiteral("/v1/segments/2/customer_count"));
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r), (QJsonObject{{QStringLiteral("segment_id"), 2}, {QStringLiteral("count"), 50}}));
    }

    void notFound_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("unknown id") << QStringLiteral("/v1/segments/999");
        QTest::newRow("unknown id count") << QStringLiteral("/v1/segments/999/customer_count");
        QTest::newRow("unknown id membership") << QStringLiteral("/v1/segments/999/membership");
        QTest::newRow("not a number") << QStringLiteral("/v1/segments/abc");
        QTest::newRow("unknown endpoint") << QStringLiteral("/v1/nothing");
    }
    void notFound()
    {
        QFETCH(QString, path);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = get(s, path);
        QCOMPARE(r.status, 404);
        const QJsonArray errors = json(r).value(QStringLiteral("errors")).toArray();
        QCOMPARE(errors.size(), 1);
        QVERIFY(!errors.at(0).toObject().value(QStringLiteral("detail")).toString().isEmpty());
        QCOMPARE(errors.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("404"));
    }

    void auth_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("missing") << QByteArray();
        QTest::newRow("wrong key") << QByteArray("Bearer nope");
        QTest::newRow("basic scheme") << QByteArray("Basic a2V5LTE6");
        QTest::newRow("key without scheme") << QByteArray("key-1 ");
    }
    void auth()
    {
        QFETCH(QByteArray, authorization);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        for (const QString& path : {QStringLiteral("/v1/segments"), QStringLiteral("/v1/segments/2/membership")}) {
            const auto r = get(s, path, authorization);
            QCOMPARE(r.status, 401);
            QCOMPARE(json(r).value(QStringLiteral("errors")).toArray().at(0).toObject().value(QStringLiteral("status")).toString(),
                     QStringLiteral("401"));
        }
        QCOMPARE(get(s, QStringLiteral("/v1/segments")).status, 200); // the right key works
    }

    void paging_data()
    {
        QTest::addColumn<QString>("identifiers");
        QTest::addColumn<QString>("lastPageNext");
        QTest::addColumn<int>("limit"); // 0: default
        QTest::addColumn<int>("expectedPageSize");
        QTest::newRow("email, absent, default") << "email" << "absent" << 0 << 1000;
        QTest::newRow("email, empty, 700") << "email" << "empty" << 700 << 700;
        QTest::newRow("id_only, absent, 1") << "id_only" << "absent" << 1 << 1;
        QTest::newRow("id_only, empty, 30000") << "id_only" << "empty" << 30000 << 30000;
        QTest::newRow("email, absent, 50000 clamps") << "email" << "absent" << 50000 << 30000;
    }
    void paging()
    {
        QFETCH(QString, identifiers);
        QFETCH(QString, lastPageNext);
        QFETCH(int, limit);
        QFETCH(int, expectedPageSize);
        const int size = limit == 1 ? 40 : 31234;
        SandboxProcess s(lockstep::test::basicScenario(size + 100, size, identifiers, lastPageNext));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));

        QStringList seen;
        QString cursor;
        int pages = 0;
        while (true) {
            QUrlQuery q;
            if (limit)
                q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
            if (!cursor.isEmpty())
                q.addQueryItem(QStringLiteral("start"), cursor);
            const auto r = get(s, QStringLiteral("/v1/segments/2/membership?") + q.query(QUrl::FullyEncoded));
            QCOMPARE(r.status, 200);
            const QJsonObject page = json(r);
            QCOMPARE(page.value(QStringLiteral("segment_id")).toInt(), 2);
            const QJsonArray ids = page.value(QStringLiteral("ids")).toArray();
            const QJsonArray items = page.value(QStringLiteral("identifiers")).toArray();
            QCOMPARE(ids.size(), items.size());
            QVERIFY(items.size() <= expectedPageSize);
            for (int i = 0; i < items.size(); ++i) {
                const QJsonObject item = items.at(i).toObject();
                QCOMPARE(item.keys(), identifiers == QStringLiteral("email")
                                          ? QStringList({QStringLiteral("cio_id"), QStringLiteral("email"), QStringLiteral("id")})
                                          : QStringList({QStringLiteral("cio_id"), QStringLiteral("id")}));
                QCOMPARE(ids.at(i).toString(), item.value(QStringLiteral("id")).toString());
                seen.append(item.value(QStringLiteral("cio_id")).toString());
            }
            ++pages;
            const QJsonValue next = page.value(QStringLiteral("next"));
            const bool last = next.isUndefined() || next.toString().isEmpty();
            if (last) {
                if (lastPageNext == QStringLiteral("absent"))
                    QVERIFY(next.isUndefined());
                else
                    QCOMPARE(next.toString(), QString());
                break;
            }
            QCOMPARE(items.size(), expectedPageSize); // only the last page is short
            cursor = next.toString();
            QVERIFY(pages < 100000);
        }
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, s.segmentMemberKeys(2, QStringLiteral("cio_id")));
        QCOMPARE(pages, (size + expectedPageSize - 1) / expectedPageSize);
    }

    void anomaliesInIdentifiers()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = get(s, QStringLiteral("/v1/segments/1/membership"));
        QCOMPARE(r.status, 200);
        const QJsonObject page = json(r);
        QCOMPARE(page.value(QStringLiteral("ids")).toArray(),
                 (QJsonArray{QStringLiteral("alice"), QString(), QStringLiteral("carol")}));
        const QJsonArray items = page.value(QStringLiteral("identifiers")).toArray();
        QVERIFY(items.at(1).toObject().value(QStringLiteral("id")).isNull());
        QCOMPARE(items.at(1).toObject().value(QStringLiteral("email")).toString(), QStringLiteral(" NoId@Example.COM"));
        QVERIFY(items.at(2).toObject().value(QStringLiteral("email")).isNull());
    }

    void badParameters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("limit 0") << QStringLiteral("limit=0");
        QTest::newRow("limit text") << QStringLiteral("limit=lots");
        QTest::newRow("garbage cursor") << QStringLiteral("start=%%%");
        QTest::newRow("forged cursor") << QStringLiteral("start=aGVsbG8");
    }
    void badParameters()
    {
        QFETCH(QString, query);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = get(s, QStringLiteral("/v1/segments/2/membership?") + query);
        QCOMPARE(r.status, 400);
        QCOMPARE(json(r).value(QStringLiteral("errors")).toArray().size(), 1);
    }

    // A client that sends 20 requests/s gets 429s with Retry-After; one at 10/s gets none.
    void rateLimit_data()
    {
        QTest::addColumn<int>("perSecond");
        QTest::addColumn<bool>("expect429");
        QTest::newRow("10/s") << 10 << false;
        QTest::newRow("20/s") << 20 << true;
    }
    void rateLimit()
    {
        QFETCH(int, perSecond);
        QFETCH(bool, expect429);
        QJsonObject scenario = lockstep::test::basicScenario(10, 5);
        QJsonObject cio = scenario.value(QStringLiteral("customerio")).toObject();
        cio.insert(QStringLiteral("rate_limit_per_second"), 10);
        scenario.insert(QStringLiteral("customerio"), cio);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));

        const int total = perSecond * 5 / 2; // 2.5 seconds
        const qint64 intervalUs = 1000000 / perSecond;
        QElapsedTimer clock;
        clock.start();
        int limited = 0;
        for (int i = 0; i < total; ++i) {
            const qint64 due = i * intervalUs;
            const qint64 now = clock.nsecsElapsed() / 1000;
            if (due > now)
                QThread::usleep(quint64(due - now));
            const auto r = get(s, QStringLiteral("/v1/segments/2/customer_count"));
            if (r.status == 429) {
                ++limited;
                QVERIFY(r.header("Retry-After").toInt() >= 1);
                const QJsonObject e = json(r).value(QStringLiteral("errors")).toArray().at(0).toObject();
                QVERIFY(e.value(QStringLiteral("detail")).toString().startsWith(QStringLiteral("rate limited to 10 requests per 1s")));
                QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("429"));
            } else {
                QCOMPARE(r.status, 200);
            }
        }
        if (expect429)
            QVERIFY2(limited >= 5, qPrintable(QStringLiteral("only %1 of %2 refused").arg(limited).arg(total)));
        else
            QCOMPARE(limited, 0);
        QCOMPARE(s.stats().value(QStringLiteral("routes")).toObject().value(QStringLiteral("cio.customer_count"))
                     .toObject().value(QStringLiteral("statuses")).toObject().value(QStringLiteral("429")).toInt(),
                 limited);
    }
};

QTEST_GUILESS_MAIN(TestCustomerIo)
#include "tst_customerio.moc"
