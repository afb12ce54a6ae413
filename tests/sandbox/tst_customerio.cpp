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
    static SandboxProcess::Reply get(const SandboxProcess& s, const QString& path,
                                     const QByteArray& key = "key-1")
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
    static QJsonObject json(const SandboxProcess::Reply& r)
    {
        return QJsonDocument::fromJson(r.body).object();
    }
    // POST /v1/customers/attributes[?query] with `body` (raw bytes).
    static SandboxProcess::Reply lookup(const SandboxProcess& s, const QByteArray& body,
                                        const QString& query = {}, const QByteArray& key = "key-1")
    {
        QUrl url = s.customerIo();
        url.setPath(QStringLiteral("/v1/customers/attributes"));
        if (!query.isEmpty())
            url.setQuery(query);
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (!key.isNull())
            headers.append({"Authorization", "Bearer " + key});
        return SandboxProcess::request("POST", url, body, headers);
    }
    static QByteArray idsBody(const QStringList& ids)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("ids"), QJsonArray::fromStringList(ids)}})
            .toJson(QJsonDocument::Compact);
    }
    // The cio_ids of a lookup reply, in reply order.
    static QStringList foundCioIds(const SandboxProcess::Reply& r)
    {
        QStringList out;
        for (const QJsonValue& c : json(r).value(QStringLiteral("customers")).toArray())
            out.append(c.toObject()
                           .value(QStringLiteral("customer"))
                           .toObject()
                           .value(QStringLiteral("attributes"))
                           .toObject()
                           .value(QStringLiteral("cio_id"))
                           .toString());
        return out;
    }
    static QString errorStatus(const SandboxProcess::Reply& r)
    {
        const QJsonObject e = json(r).value(QStringLiteral("errors")).toArray().at(0).toObject();
        return e.value(QStringLiteral("detail")).toString().isEmpty()
                   ? QString()
                   : e.value(QStringLiteral("status")).toString();
    }

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
        for (const char* key : {"id", "deduplicate_id", "name", "description", "state", "progress",
                                "type", "tags", "created_at", "updated_at"})
            QVERIFY2(first.contains(QLatin1StringView(key)), key);
        QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("finished"));
        QVERIFY(first.value(QStringLiteral("progress")).isNull());
        QCOMPARE(first.value(QStringLiteral("deduplicate_id")).toString(),
                 QStringLiteral("1:%1").arg(first.value(QStringLiteral("updated_at")).toInteger()));
        const QJsonObject building = segments.at(2).toObject();
        QCOMPARE(building.value(QStringLiteral("state")).toString(), QStringLiteral("build"));
        QCOMPARE(building.value(QStringLiteral("progress")).toInt(), 35);
    }

    // Both kinds as the App API reference shows them: a manual segment is in "events" with
    // progress null (the reference's own example, ready); a data-driven one reports a
    // percentage only while it builds. Scenario files can pin type, state and progress.
    void segmentKindsAndStates_data()
    {
        QTest::addColumn<QJsonObject>("spec"); // added to {id, name, size}
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("progress"); // -1: null
        QTest::newRow("manual default") << QJsonObject{{"type", "manual"}} << "manual"
                                        << "events" << -1;
        QTest::newRow("dynamic default") << QJsonObject{} << "dynamic"
                                         << "finished" << -1;
        QTest::newRow("dynamic events") << QJsonObject{{"state", "events"}} << "dynamic"
                                        << "events" << -1;
        QTest::newRow("dynamic events_queued")
            << QJsonObject{{"state", "events_queued"}} << "dynamic"
            << "events_queued" << -1;
        QTest::newRow("dynamic build") << QJsonObject{{"state", "build"}} << "dynamic"
                                       << "build" << 0;
        QTest::newRow("dynamic build_queued 60")
            << QJsonObject{{"state", "build_queued"}, {"progress", 60}} << "dynamic"
            << "build_queued" << 60;
        QTest::newRow("dynamic build pinned ready")
            << QJsonObject{{"state", "build"}, {"progress", QJsonValue::Null}} << "dynamic"
            << "build" << -1;
        QTest::newRow("manual building 10")
            << QJsonObject{{"type", "manual"}, {"state", "build"}, {"progress", 10}} << "manual"
            << "build" << 10;
    }
    void segmentKindsAndStates()
    {
        QFETCH(QJsonObject, spec);
        QFETCH(QString, type);
        QFETCH(QString, state);
        QFETCH(int, progress);
        QJsonObject scenario = lockstep::test::basicScenario(100, 50);
        spec.insert(QStringLiteral("id"), 9);
        spec.insert(QStringLiteral("name"), QStringLiteral("Under test"));
        spec.insert(QStringLiteral("size"), 5);
        QJsonArray segments = scenario.value(QStringLiteral("segments")).toArray();
        segments.append(spec);
        scenario.insert(QStringLiteral("segments"), segments);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = get(s, QStringLiteral("/v1/segments/9"));
        QCOMPARE(r.status, 200);
        const QJsonObject seg = json(r).value(QStringLiteral("segment")).toObject();
        QCOMPARE(seg.value(QStringLiteral("type")).toString(), type);
        QCOMPARE(seg.value(QStringLiteral("state")).toString(), state);
        QVERIFY(seg.contains(QStringLiteral("progress")));
        if (progress < 0)
            QVERIFY(seg.value(QStringLiteral("progress")).isNull());
        else
            QCOMPARE(seg.value(QStringLiteral("progress")).toInt(-1), progress);
    }

    void segmentAndCount()
    {
        SandboxProcess s(lockstep::test::basicScenario(100, 50));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        auto r = get(s, QStringLiteral("/v1/segments/2"));
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r)
                     .value(QStringLiteral("segment"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("Generated"));
        r = get(s, QStringLiteral("/v1/segments/2/customer_count"));
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r),
                 (QJsonObject{{QStringLiteral("segment_id"), 2}, {QStringLiteral("count"), 50}}));
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
        QCOMPARE(errors.at(0).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("404"));
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
        for (const QString& path :
             {QStringLiteral("/v1/segments"), QStringLiteral("/v1/segments/2/membership")}) {
            const auto r = get(s, path, authorization);
            QCOMPARE(r.status, 401);
            QCOMPARE(json(r)
                         .value(QStringLiteral("errors"))
                         .toArray()
                         .at(0)
                         .toObject()
                         .value(QStringLiteral("status"))
                         .toString(),
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
        QTest::addColumn<QJsonObject>("variant"); // undocumented details pinned
        const QJsonObject urlAscLast{{"cursor_encoding", "base64url"},
                                     {"page_order", "ascending"},
                                     {"next_position", "last"}};
        const QJsonObject stdShuffledFirst{
            {"cursor_encoding", "base64"}, {"page_order", "shuffled"}, {"next_position", "first"}};
        QTest::newRow("email, absent, default") << "email"
                                                << "absent" << 0 << 1000 << urlAscLast;
        QTest::newRow("email, empty, 700") << "email"
                                           << "empty" << 700 << 700 << stdShuffledFirst;
        QTest::newRow("email, null, 900") << "email"
                                          << "null" << 900 << 900 << urlAscLast;
        QTest::newRow("id_only, absent, 1") << "id_only"
                                            << "absent" << 1 << 1 << stdShuffledFirst;
        QTest::newRow("id_only, empty, 30000") << "id_only"
                                               << "empty" << 30000 << 30000 << urlAscLast;
        QTest::newRow("id_only, null, 1000") << "id_only"
                                             << "null" << 1000 << 1000 << stdShuffledFirst;
        QTest::newRow("email, absent, 50000 clamps")
            << "email"
            << "absent" << 50000 << 30000 << stdShuffledFirst;
    }
    void paging()
    {
        QFETCH(QString, identifiers);
        QFETCH(QString, lastPageNext);
        QFETCH(int, limit);
        QFETCH(int, expectedPageSize);
        QFETCH(QJsonObject, variant);
        const int size = limit == 1 ? 40 : 31234;
        SandboxProcess s(lockstep::test::withCustomerIo(
            lockstep::test::basicScenario(size + 100, size, identifiers, lastPageNext), variant));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const bool padded =
            variant.value(QStringLiteral("cursor_encoding")).toString() == QStringLiteral("base64");
        const bool nextFirst =
            variant.value(QStringLiteral("next_position")).toString() == QStringLiteral("first");
        QStringList order; // ids in the order pages gave them

        QStringList seen;
        QString cursor;
        int pages = 0;
        while (true) {
            QUrlQuery q;
            if (limit)
                q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
            if (!cursor.isEmpty()) // percent-encoded, as the client must ('+' is a space otherwise)
                q.addQueryItem(QStringLiteral("start"),
                               QString::fromLatin1(QUrl::toPercentEncoding(cursor)));
            const auto r =
                get(s, QStringLiteral("/v1/segments/2/membership?") + q.query(QUrl::FullyEncoded));
            QCOMPARE(r.status, 200);
            const QJsonObject page = json(r);
            if (page.contains(QStringLiteral("next")))
                QCOMPARE(r.body.startsWith("{\"next\""), nextFirst);
            QCOMPARE(page.value(QStringLiteral("segment_id")).toInt(), 2);
            const QJsonArray ids = page.value(QStringLiteral("ids")).toArray();
            const QJsonArray items = page.value(QStringLiteral("identifiers")).toArray();
            QCOMPARE(ids.size(), items.size());
            QVERIFY(items.size() <= expectedPageSize);
            for (int i = 0; i < items.size(); ++i) {
                const QJsonObject item = items.at(i).toObject();
                QCOMPARE(item.keys(),
                         identifiers == QStringLiteral("email")
                             ? QStringList({QStringLiteral("cio_id"), QStringLiteral("email"),
                                            QStringLiteral("id")})
                             : QStringList({QStringLiteral("cio_id"), QStringLiteral("id")}));
                QCOMPARE(ids.at(i).toString(), item.value(QStringLiteral("id")).toString());
                seen.append(item.value(QStringLiteral("cio_id")).toString());
                order.append(item.value(QStringLiteral("cio_id")).toString());
            }
            ++pages;
            const QJsonValue next = page.value(QStringLiteral("next"));
            const bool last = next.isUndefined() || next.toString().isEmpty();
            if (last) {
                if (lastPageNext == QStringLiteral("absent"))
                    QVERIFY(next.isUndefined());
                else if (lastPageNext == QStringLiteral("null"))
                    QVERIFY(next.isNull());
                else
                    QCOMPARE(next.toString(), QString());
                break;
            }
            QCOMPARE(items.size(), expectedPageSize); // only the last page is short
            cursor = next.toString();
            if (padded) // standard base64: '+', '/' and '=' padding in every cursor
                QVERIFY2(cursor.contains(QLatin1Char('+')) && cursor.contains(QLatin1Char('/')) &&
                             cursor.endsWith(QLatin1Char('=')),
                         qPrintable(cursor));
            else
                QVERIFY2(!cursor.contains(QLatin1Char('=')) && !cursor.contains(QLatin1Char('+')) &&
                             !cursor.contains(QLatin1Char('/')),
                         qPrintable(cursor));
            QVERIFY(pages < 100000);
        }
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, s.segmentMemberKeys(2, QStringLiteral("cio_id")));
        QCOMPARE(pages, (size + expectedPageSize - 1) / expectedPageSize);
        // Ascending: person order (the ground truth's); shuffled: another order, same members.
        QStringList truth;
        for (const QJsonValue& m : s.segmentMembers(2))
            truth.append(m.toObject().value(QStringLiteral("cio_id")).toString());
        if (variant.value(QStringLiteral("page_order")).toString() == QStringLiteral("ascending"))
            QCOMPARE(order, truth);
        else if (order.size() > 2)
            QVERIFY(order != truth);
    }

    // A padded base64 cursor sent without percent-encoding: its '+' reads as a space, as a
    // web server decodes a query string, so the cursor is refused.
    void unencodedCursorIsRefused()
    {
        SandboxProcess s(lockstep::test::withCustomerIo(
            lockstep::test::basicScenario(200, 100), QJsonObject{{"cursor_encoding", "base64"}}));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const QString next = json(get(s, QStringLiteral("/v1/segments/2/membership?limit=10")))
                                 .value(QStringLiteral("next"))
                                 .toString();
        QVERIFY(next.contains(QLatin1Char('+')));
        QCOMPARE(get(s, QStringLiteral("/v1/segments/2/membership?limit=10&start=") + next).status,
                 400);
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(next));
        QCOMPARE(
            get(s, QStringLiteral("/v1/segments/2/membership?limit=10&start=") + encoded).status,
            200);
    }

    // Unless pinned, each undocumented detail comes from the seed: a sweep meets every value.
    void seedPicksEveryVariant()
    {
        QSet<QString> seen;
        for (int seed = 1; seed <= 24; ++seed) {
            QJsonObject scenario = lockstep::test::basicScenario(10, 5);
            QJsonObject c = scenario.value(QStringLiteral("customerio")).toObject();
            c.remove(QStringLiteral("last_page_next"));
            scenario.insert(QStringLiteral("customerio"), c);
            scenario.insert(QStringLiteral("seed"), seed);
            SandboxProcess s(scenario);
            QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
            const QJsonObject info = s.control("GET", QStringLiteral("/_sandbox/info")).toObject();
            for (const char* k :
                 {"cursor_encoding", "page_order", "next_position", "last_page_next"})
                seen.insert(QLatin1StringView(k) + QLatin1Char('=') +
                            info.value(QLatin1StringView(k)).toString());
        }
        const QSet<QString> all{
            "cursor_encoding=base64url", "cursor_encoding=base64", "page_order=ascending",
            "page_order=shuffled",       "next_position=first",    "next_position=last",
            "last_page_next=absent",     "last_page_next=null",    "last_page_next=empty"};
        QCOMPARE(seen, all);
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
        QCOMPARE(items.at(1).toObject().value(QStringLiteral("email")).toString(),
                 QStringLiteral(" NoId@Example.COM"));
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
                const QJsonObject e =
                    json(r).value(QStringLiteral("errors")).toArray().at(0).toObject();
                QVERIFY(e.value(QStringLiteral("detail"))
                            .toString()
                            .startsWith(QStringLiteral("rate limited to 10 requests per 1s")));
                QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("429"));
            } else {
                QCOMPARE(r.status, 200);
            }
        }
        if (expect429)
            QVERIFY2(limited >= 5,
                     qPrintable(QStringLiteral("only %1 of %2 refused").arg(limited).arg(total)));
        else
            QCOMPARE(limited, 0);
        QCOMPARE(s.stats()
                     .value(QStringLiteral("routes"))
                     .toObject()
                     .value(QStringLiteral("cio.customer_count"))
                     .toObject()
                     .value(QStringLiteral("statuses"))
                     .toObject()
                     .value(QStringLiteral("429"))
                     .toInt(),
                 limited);
    }

    // The customer lookup: known people come back with their identifiers, unknown ids are
    // left out, for each id_type (default id).
    void lookupOmitsUnknown_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QStringList>("expected"); // cio_ids, in reply order
        QTest::newRow("id (default)") << QString() << QStringList{"carol", "nobody", "alice"}
                                      << QStringList{"cio-carol", "cio-alice"};
        QTest::newRow("id") << "id_type=id" << QStringList{"alice", "cio-alice"}
                            << QStringList{"cio-alice"};
        QTest::newRow("id is case-sensitive")
            << "id_type=id" << QStringList{"Alice"} << QStringList{};
        QTest::newRow("cio_id") << "id_type=cio_id" << QStringList{"cio-noid", "alice", "cio-gone"}
                                << QStringList{"cio-noid"};
        QTest::newRow("email, normalised")
            << "id_type=email" << QStringList{"noid@example.com", "ALICE@example.com "}
            << QStringList{"cio-noid", "cio-alice"};
        QTest::newRow("nobody") << "id_type=email" << QStringList{"carol@example.com"}
                                << QStringList{};
        QTest::newRow("asked twice, served once")
            << QString() << QStringList{"alice", "alice"} << QStringList{"cio-alice"};
    }
    void lookupOmitsUnknown()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, ids);
        QFETCH(QStringList, expected);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = lookup(s, idsBody(ids), query);
        QCOMPARE(r.status, 200);
        QCOMPARE(foundCioIds(r), expected);
        const QJsonArray log = s.stats().value(QStringLiteral("log")).toArray();
        QCOMPARE(log.last().toObject().value(QStringLiteral("route")).toString(),
                 QStringLiteral("cio.customer_attributes"));
        QCOMPARE(log.last().toObject().value(QStringLiteral("updates")).toInt(), expected.size());
    }

    void lookupReplyShape()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = lookup(s, idsBody({QStringLiteral("cio-noid"), QStringLiteral("cio-alice")}),
                              QStringLiteral("id_type=cio_id"));
        QCOMPARE(r.status, 200);
        const QJsonArray customers = json(r).value(QStringLiteral("customers")).toArray();
        QCOMPARE(customers.size(), 2);
        const QJsonObject noid =
            customers.at(0).toObject().value(QStringLiteral("customer")).toObject();
        QVERIFY(noid.value(QStringLiteral("id")).isNull());
        const QJsonObject attrs = noid.value(QStringLiteral("attributes")).toObject();
        QCOMPARE(attrs.value(QStringLiteral("email")).toString(),
                 QStringLiteral(" NoId@Example.COM"));
        QCOMPARE(attrs.value(QStringLiteral("cio_id")).toString(), QStringLiteral("cio-noid"));
        QVERIFY(!attrs.contains(QStringLiteral("id")));
        QVERIFY(noid.value(QStringLiteral("timestamps")).isObject());
        const QJsonObject alice =
            customers.at(1).toObject().value(QStringLiteral("customer")).toObject();
        QCOMPARE(alice.value(QStringLiteral("id")).toString(), QStringLiteral("alice"));
        QCOMPARE(alice.value(QStringLiteral("attributes"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString(),
                 QStringLiteral("alice"));
    }

    // A merge deletes the secondary: the lookup leaves it out like an unknown id, the
    // primary is still there, and the control API lists the merge.
    void lookupOmitsMergedAway()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const QJsonObject merged =
            s.control("POST", QStringLiteral("/_sandbox/merges"),
                      QJsonObject{{"secondary", "cio-alice"}, {"primary", "carol"}})
                .toObject();
        QCOMPARE(merged.value(QStringLiteral("count")).toInt(), 1);
        const QJsonObject m = merged.value(QStringLiteral("merges")).toArray().at(0).toObject();
        QCOMPARE(m.value(QStringLiteral("secondary"))
                     .toObject()
                     .value(QStringLiteral("cio_id"))
                     .toString(),
                 QStringLiteral("cio-alice"));
        QCOMPARE(m.value(QStringLiteral("primary"))
                     .toObject()
                     .value(QStringLiteral("cio_id"))
                     .toString(),
                 QStringLiteral("cio-carol"));
        QCOMPARE(s.segmentMemberKeys(1, QStringLiteral("cio_id")),
                 (QStringList{"cio-carol", "cio-noid"}));
        for (const QString& query :
             {QStringLiteral("id_type=cio_id"), QStringLiteral("id_type=id")}) {
            const auto r = lookup(s,
                                  idsBody({QStringLiteral("cio-alice"), QStringLiteral("alice"),
                                           QStringLiteral("cio-carol"), QStringLiteral("carol")}),
                                  query);
            QCOMPARE(r.status, 200);
            QCOMPARE(foundCioIds(r), QStringList{QStringLiteral("cio-carol")});
        }
        // Merged away already, or into itself: refused.
        QVERIFY(s.control("POST", QStringLiteral("/_sandbox/merges"),
                          QJsonObject{{"secondary", "cio-alice"}, {"primary", "cio-noid"}})
                    .isUndefined());
        QVERIFY(s.control("POST", QStringLiteral("/_sandbox/merges"),
                          QJsonObject{{"secondary", "cio-noid"}, {"primary", "cio-noid"}})
                    .isUndefined());
        QCOMPARE(s.control("GET", QStringLiteral("/_sandbox/merges"))
                     .toObject()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 1);
    }

    void lookupBadRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("identifiers");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QStringList hundredOne;
        for (int i = 0; i < 101; ++i)
            hundredOne << QString::number(i);
        QStringList hundred = hundredOne.mid(0, 100);
        const QByteArray ok = idsBody({QStringLiteral("alice")});
        QTest::newRow("GET") << QByteArray("GET") << "email"
                             << "" << QByteArray() << 405;
        QTest::newRow("not JSON") << QByteArray("POST") << "email"
                                  << "" << QByteArray("{ids:") << 400;
        QTest::newRow("an array") << QByteArray("POST") << "email"
                                  << "" << QByteArray("[\"alice\"]") << 400;
        QTest::newRow("no ids") << QByteArray("POST") << "email"
                                << "" << QByteArray("{}") << 400;
        QTest::newRow("ids not an array") << QByteArray("POST") << "email"
                                          << "" << QByteArray("{\"ids\":\"alice\"}") << 400;
        QTest::newRow("no id at all") << QByteArray("POST") << "email"
                                      << "" << QByteArray("{\"ids\":[]}") << 400;
        QTest::newRow("101 ids") << QByteArray("POST") << "email"
                                 << "" << idsBody(hundredOne) << 400;
        QTest::newRow("100 ids") << QByteArray("POST") << "email"
                                 << "" << idsBody(hundred) << 200;
        QTest::newRow("a number") << QByteArray("POST") << "email"
                                  << "" << QByteArray("{\"ids\":[\"alice\",7]}") << 400;
        QTest::newRow("a null") << QByteArray("POST") << "email"
                                << "" << QByteArray("{\"ids\":[null]}") << 400;
        QTest::newRow("unknown id_type") << QByteArray("POST") << "email"
                                         << "id_type=uuid" << ok << 400;
        QTest::newRow("phone not an identifier") << QByteArray("POST") << "email"
                                                 << "id_type=phone" << ok << 400;
        QTest::newRow("email in an id-only workspace") << QByteArray("POST") << "id_only"
                                                       << "id_type=email" << ok << 400;
        QTest::newRow("cio_id in an id-only workspace") << QByteArray("POST") << "id_only"
                                                        << "id_type=cio_id" << ok << 200;
    }
    void lookupBadRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, identifiers);
        QFETCH(QString, query);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        SandboxProcess s(lockstep::test::basicScenario(10, 5, identifiers));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QUrl url = s.customerIo();
        url.setPath(QStringLiteral("/v1/customers/attributes"));
        url.setQuery(query);
        const auto r =
            SandboxProcess::request(method, url, body, {{"Authorization", "Bearer key-1"}});
        QCOMPARE(r.status, status);
        if (status != 200)
            QCOMPARE(errorStatus(r), QString::number(status)); // {"errors":[{"detail","status"}]}
        else
            QVERIFY(json(r).value(QStringLiteral("customers")).isArray());
    }

    void lookupAuth_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("missing") << QByteArray();
        QTest::newRow("wrong key") << QByteArray("nope");
    }
    void lookupAuth()
    {
        QFETCH(QByteArray, key);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = lookup(s, idsBody({QStringLiteral("alice")}), {}, key);
        QCOMPARE(r.status, 401);
        QCOMPARE(errorStatus(r), QStringLiteral("401"));
        QVERIFY(!r.body.contains("alice"));
        QCOMPARE(lookup(s, idsBody({QStringLiteral("alice")})).status, 200);
    }

    // The lookup draws from the same per-key bucket as the segment endpoints. With one
    // request a second, a burst of back-to-back requests must meet a 429 (counted, not timed).
    void lookupRateLimited()
    {
        QJsonObject scenario = lockstep::test::basicScenario(10, 5);
        QJsonObject cio = scenario.value(QStringLiteral("customerio")).toObject();
        cio.insert(QStringLiteral("rate_limit_per_second"), 1);
        scenario.insert(QStringLiteral("customerio"), cio);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        int limited = 0, answered = 0, sent = 0;
        // At most one token a second: more requests than seconds passed must see a 429.
        while (limited == 0 && sent < 200) {
            const auto r = sent % 2 ? lookup(s, idsBody({QStringLiteral("alice")}))
                                    : get(s, QStringLiteral("/v1/segments/1/customer_count"));
            ++sent;
            if (r.status == 429) {
                ++limited;
                QVERIFY(r.header("Retry-After").toInt() >= 1);
                QCOMPARE(errorStatus(r), QStringLiteral("429"));
            } else {
                QCOMPARE(r.status, 200);
                ++answered;
            }
        }
        QVERIFY2(limited > 0, qPrintable(QStringLiteral("%1 requests, none refused").arg(sent)));
        const QJsonObject routes = s.stats().value(QStringLiteral("routes")).toObject();
        const int lookups429 = routes.value(QStringLiteral("cio.customer_attributes"))
                                   .toObject()
                                   .value(QStringLiteral("statuses"))
                                   .toObject()
                                   .value(QStringLiteral("429"))
                                   .toInt();
        const int counts429 = routes.value(QStringLiteral("cio.customer_count"))
                                  .toObject()
                                  .value(QStringLiteral("statuses"))
                                  .toObject()
                                  .value(QStringLiteral("429"))
                                  .toInt();
        QCOMPARE(lookups429 + counts429, limited);
        QVERIFY(answered >= 1);
    }

    // Faults reach the lookup by its route name, like every other endpoint.
    void lookupFaults()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        s.setFaults(QJsonArray{
            QJsonObject{{"route", "cio.customer_attributes"}, {"status", 503}, {"count", 1}}});
        auto r = lookup(s, idsBody({QStringLiteral("alice")}));
        QCOMPARE(r.status, 503);
        QCOMPARE(errorStatus(r), QStringLiteral("503"));
        QCOMPARE(get(s, QStringLiteral("/v1/segments")).status, 200); // other routes untouched
        r = lookup(s, idsBody({QStringLiteral("alice")}));
        QCOMPARE(r.status, 200);
        QCOMPARE(foundCioIds(r), QStringList{QStringLiteral("cio-alice")});
    }
};

QTEST_GUILESS_MAIN(TestCustomerIo)
#include "tst_customerio.moc"
