// The Mixpanel emulators: /engage operators and replies, /import, the query API (auth,
// project_id, paging, filter_by_cohort, where, distinct_ids, output_properties, budgets).

#include "sandboxprocess.h"
#include "testscenarios.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QtTest>

using lockstep::test::SandboxProcess;

namespace {

QJsonObject update(const QString& id, const QString& op, const QJsonValue& arg,
                   const QString& token = QStringLiteral("tok-1"))
{
    return QJsonObject{{QStringLiteral("$token"), token},
                       {QStringLiteral("$distinct_id"), id},
                       {op, arg},
                       {QStringLiteral("$ignore_time"), true}};
}

QByteArray toJson(const QJsonArray& a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

} // namespace

class TestMixpanel : public QObject
{
    Q_OBJECT

private:
    static SandboxProcess::Reply engage(const SandboxProcess& s, const QByteArray& body,
                                        const QString& query = {},
                                        const QByteArray& contentType = "application/json")
    {
        QUrl url = s.mixpanel();
        url.setPath(QStringLiteral("/engage"));
        if (!query.isEmpty())
            url.setQuery(query);
        return SandboxProcess::request("POST", url, body, {{"Content-Type", contentType}});
    }
    static SandboxProcess::Reply query(const SandboxProcess& s, const QString& endpoint,
                                       const QUrlQuery& form,
                                       const QString& projectId = QStringLiteral("77"),
                                       const QByteArray& credentials = "sa:secret",
                                       const QString& prefix = QStringLiteral("/api/query"))
    {
        QUrl url = s.mixpanel();
        url.setPath(prefix + endpoint);
        if (!projectId.isEmpty())
            url.setQuery(QStringLiteral("project_id=") + projectId);
        QList<QPair<QByteArray, QByteArray>> headers{
            {"Content-Type", "application/x-www-form-urlencoded"}};
        if (!credentials.isEmpty())
            headers.append({"Authorization", "Basic " + credentials.toBase64()});
        return SandboxProcess::request("POST", url, form.query(QUrl::FullyEncoded).toUtf8(),
                                       headers);
    }
    static QJsonObject profile(SandboxProcess& s, const QString& id)
    {
        return s.control("GET", QStringLiteral("/_sandbox/profiles?distinct_id=") + id)
            .toObject()
            .value(QStringLiteral("$properties"))
            .toObject();
    }

private Q_SLOTS:
    void operators_data()
    {
        QTest::addColumn<QJsonArray>("updates");
        QTest::addColumn<QJsonObject>("expected"); // u1's properties afterwards
        const QString p = QStringLiteral("cio_cohorts");
        QTest::newRow("$set") << QJsonArray{update("u1", "$set", QJsonObject{{"a", 1}, {"b", "x"}})}
                              << QJsonObject{{"a", 1}, {"b", "x"}};
        QTest::newRow("$set_once keeps")
            << QJsonArray{update("u1", "$set", QJsonObject{{"a", 1}}),
                          update("u1", "$set_once", QJsonObject{{"a", 2}, {"c", 3}})}
            << QJsonObject{{"a", 1}, {"c", 3}};
        QTest::newRow("$add") << QJsonArray{update("u1", "$add", QJsonObject{{"n", 2}}),
                                            update("u1", "$add", QJsonObject{{"n", 3.5}})}
                              << QJsonObject{{"n", 5.5}};
        QTest::newRow("$union dedups")
            << QJsonArray{update("u1", "$union", QJsonObject{{p, QJsonArray{"A", "B"}}}),
                          update("u1", "$union", QJsonObject{{p, QJsonArray{"B", "C"}}})}
            << QJsonObject{{p, QJsonArray{"A", "B", "C"}}};
        QTest::newRow("$remove") << QJsonArray{update("u1", "$union",
                                                      QJsonObject{{p, QJsonArray{"A", "B"}}}),
                                               update("u1", "$remove", QJsonObject{{p, "A"}})}
                                 << QJsonObject{{p, QJsonArray{"B"}}};
        QTest::newRow("$unset") << QJsonArray{update("u1", "$set", QJsonObject{{"a", 1}, {"b", 2}}),
                                              update("u1", "$unset", QJsonArray{"a"})}
                                << QJsonObject{{"b", 2}};
    }
    void operators()
    {
        QFETCH(QJsonArray, updates);
        QFETCH(QJsonObject, expected);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = engage(s, toJson(updates));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("1"));
        QCOMPARE(profile(s, QStringLiteral("u1")), expected);
        const QJsonObject engageStats = s.stats().value(QStringLiteral("engage")).toObject();
        QCOMPARE(engageStats.value(QStringLiteral("updates")).toInt(), updates.size());
        QCOMPARE(engageStats.value(QStringLiteral("accepted")).toInt(), updates.size());
    }

    void deleteAndLastSeen()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QJsonObject noIgnore{
            {"$token", "tok-1"}, {"$distinct_id", "u2"}, {"$set", QJsonObject{{"a", 1}}}};
        QCOMPARE(engage(s, toJson({noIgnore})).body, QByteArray("1"));
        QVERIFY(profile(s, QStringLiteral("u2"))
                    .contains(QStringLiteral("$last_seen"))); // no $ignore_time
        QCOMPARE(engage(s, toJson({update("u2", "$delete", QString())})).body, QByteArray("1"));
        QCOMPARE(
            s.control("GET", QStringLiteral("/_sandbox/profiles?distinct_id=u2")).isUndefined(),
            true);
    }

    // Profiles the app already made carry what it tracks; a profile an /engage update
    // creates holds only what was sent; the query honours distinct_ids and output_properties.
    void existingAndCreatedProfiles()
    {
        QJsonObject scenario = lockstep::test::basicScenario(10, 5);
        QJsonObject mp = scenario.value(QStringLiteral("mixpanel")).toObject();
        mp.insert(QStringLiteral("existing_profile_share"), 1.0);
        mp.insert(QStringLiteral("existing_profile_key"), QStringLiteral("id"));
        scenario.insert(QStringLiteral("mixpanel"), mp);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));

        const QJsonObject alice = profile(s, QStringLiteral("alice"));
        QCOMPARE(alice.value(QStringLiteral("$email")).toString(),
                 QStringLiteral("alice@example.com"));
        QVERIFY(!alice.value(QStringLiteral("$name")).toString().isEmpty());
        QVERIFY(alice.value(QStringLiteral("$last_seen"))
                    .toString()
                    .startsWith(QStringLiteral("2024-")));
        const QJsonObject carol = profile(s, QStringLiteral("carol")); // no e-mail, still tracked
        QVERIFY(!carol.contains(QStringLiteral("$email")));
        QVERIFY(carol.contains(QStringLiteral("$name")) &&
                carol.contains(QStringLiteral("$last_seen")));

        QCOMPARE(engage(s, toJson({update("stranger", "$union",
                                          QJsonObject{{"cio_cohorts", QJsonArray{"X"}}})}))
                     .body,
                 QByteArray("1"));
        QCOMPARE(profile(s, QStringLiteral("stranger")),
                 (QJsonObject{{"cio_cohorts", QJsonArray{"X"}}}));

        auto ask = [&](const QString& output) {
            QUrlQuery form;
            form.addQueryItem(QStringLiteral("distinct_ids"),
                              QStringLiteral(R"(["stranger","alice","nobody"])"));
            if (!output.isEmpty())
                form.addQueryItem(QStringLiteral("output_properties"), output);
            const auto r = query(s, QStringLiteral("/engage"), form);
            QMap<QString, QJsonObject> got;
            for (const QJsonValue& v : QJsonDocument::fromJson(r.body)
                                           .object()
                                           .value(QStringLiteral("results"))
                                           .toArray())
                got.insert(v.toObject().value(QStringLiteral("$distinct_id")).toString(),
                           v.toObject().value(QStringLiteral("$properties")).toObject());
            return got;
        };
        const auto all = ask(QString());
        QCOMPARE(all.keys(), (QStringList{QStringLiteral("alice"), QStringLiteral("stranger")}));
        QCOMPARE(all.value(QStringLiteral("alice")), alice);
        QCOMPARE(all.value(QStringLiteral("stranger")),
                 (QJsonObject{{"cio_cohorts", QJsonArray{"X"}}}));
        const auto some = ask(QStringLiteral(R"(["$email"])"));
        QCOMPARE(some.value(QStringLiteral("alice")),
                 (QJsonObject{{"$email", "alice@example.com"}}));
        QCOMPARE(some.value(QStringLiteral("stranger")), QJsonObject());
    }

    void replies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("strictToken");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QStringList>("applied"); // profiles that exist afterwards
        const QByteArray good = toJson({update("u1", "$set", QJsonObject{{"a", 1}})});
        const QByteArray badToken = toJson({update("u1", "$set", QJsonObject{{"a", 1}}, "wrong")});
        const QByteArray mixed = toJson({update("u1", "$set", QJsonObject{{"a", 1}}, "wrong"),
                                         update("u2", "$set", QJsonObject{{"a", 1}})});
        const QByteArray noToken = toJson({update("u1", "$set", QJsonObject{{"a", 1}}, QString())});
        const QByteArray noOp = toJson({QJsonObject{{"$token", "tok-1"}, {"$distinct_id", "u1"}}});
        const QStringList none;
        const QStringList u1{QStringLiteral("u1")};
        const QByteArray verboseOk("{\"status\":1,\"error\":null}");
        QTest::newRow("plain ok") << good << QString() << false << 200 << QByteArray("1") << u1;
        QTest::newRow("verbose ok") << good << "verbose=1" << false << 200 << verboseOk << u1;
        // As Mixpanel: a token of another project is answered as a success and dropped.
        QTest::newRow("token of another project")
            << badToken << QString() << false << 200 << QByteArray("1") << none;
        QTest::newRow("token of another project, verbose")
            << badToken << "verbose=1" << false << 200 << verboseOk << none;
        QTest::newRow("token of another project, strict")
            << badToken << "strict=1" << false << 200 << QByteArray("1") << none;
        QTest::newRow("some of another project")
            << mixed << QString() << false << 200 << QByteArray("1")
            << QStringList{QStringLiteral("u2")};
        // Only a missing or empty token is refused in the request (Mixpanel's reference).
        QTest::newRow("empty token")
            << noToken << "verbose=1" << false << 401 << QByteArray() << none;
        // The scenario's strict_token: the sandbox's former 401.
        QTest::newRow("strict_token: bad token")
            << badToken << QString() << true << 401 << QByteArray() << none;
        QTest::newRow("strict_token: some bad token")
            << mixed << QString() << true << 200 << QByteArray("1")
            << QStringList{QStringLiteral("u2")};
        QTest::newRow("no operation")
            << noOp << QString() << false << 200 << QByteArray("0") << none;
        QTest::newRow("not json") << QByteArray("[{oops") << QString() << false << 400
                                  << QByteArray("0") << none;
    }
    void replies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, query);
        QFETCH(bool, strictToken);
        QFETCH(int, status);
        QFETCH(QByteArray, reply);
        QFETCH(QStringList, applied);
        QJsonObject scenario = lockstep::test::basicScenario(10, 5);
        QJsonObject mixpanel = scenario.value(QStringLiteral("mixpanel")).toObject();
        mixpanel.insert(QStringLiteral("strict_token"), strictToken);
        scenario.insert(QStringLiteral("mixpanel"), mixpanel);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const auto r = engage(s, body, query);
        QCOMPARE(r.status, status);
        QCOMPARE(s.control("GET", QStringLiteral("/_sandbox/info"))
                     .toObject()
                     .value(QStringLiteral("profiles"))
                     .toInt(),
                 applied.size());
        for (const QString& id : applied)
            QVERIFY2(
                s.control("GET", QStringLiteral("/_sandbox/profiles?distinct_id=") + id).isObject(),
                qPrintable(id));
        if (status == 401) {
            const QJsonObject e = QJsonDocument::fromJson(r.body).object();
            QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("error"));
            QVERIFY(!e.value(QStringLiteral("error")).toString().isEmpty());
        } else {
            QCOMPARE(r.body, reply);
        }
    }

    void batchLimit()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QJsonArray big;
        for (int i = 0; i < 2001; ++i)
            big.append(update(QStringLiteral("u%1").arg(i), "$set", QJsonObject{{"a", i}}));
        auto r = engage(s, toJson(big), QStringLiteral("verbose=1"));
        QCOMPARE(r.status, 400);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value(QStringLiteral("status")).toInt(),
                 0);
        QCOMPARE(s.control("GET", QStringLiteral("/_sandbox/info"))
                     .toObject()
                     .value(QStringLiteral("profiles"))
                     .toInt(),
                 0);
        big.removeLast();
        r = engage(s, toJson(big));
        QCOMPARE(r.status, 200);
        QCOMPARE(s.control("GET", QStringLiteral("/_sandbox/info"))
                     .toObject()
                     .value(QStringLiteral("profiles"))
                     .toInt(),
                 2000);
    }

    void formEncodings_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("encoding"); // 0 plain JSON in data=, 1 base64 in data=
        QTest::newRow("POST data=json") << QByteArray("POST") << 0;
        QTest::newRow("POST data=base64") << QByteArray("POST") << 1;
        QTest::newRow("GET ?data=base64") << QByteArray("GET") << 1;
        QTest::newRow("GET ?data=json") << QByteArray("GET") << 0;
    }
    void formEncodings()
    {
        QFETCH(QByteArray, method);
        QFETCH(int, encoding);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const QByteArray json =
            QJsonDocument(update("u9", "$union", QJsonObject{{"cio_cohorts", QJsonArray{"X+Y/Z"}}}))
                .toJson(QJsonDocument::Compact);
        const QByteArray data = encoding ? json.toBase64() : json;
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("data"), QString::fromUtf8(data));
        form.addQueryItem(QStringLiteral("verbose"), QStringLiteral("1"));
        QUrl url = s.mixpanel();
        url.setPath(QStringLiteral("/engage"));
        SandboxProcess::Reply r;
        const QByteArray encoded = form.query(QUrl::FullyEncoded).toUtf8().replace("+", "%2B");
        if (method == "GET") {
            url.setQuery(QString::fromUtf8(encoded), QUrl::StrictMode);
            r = SandboxProcess::request("GET", url);
        } else {
            r = SandboxProcess::request("POST", url, encoded,
                                        {{"Content-Type", "application/x-www-form-urlencoded"}});
        }
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("{\"status\":1,\"error\":null}"));
        QCOMPARE(profile(s, QStringLiteral("u9")).value(QStringLiteral("cio_cohorts")).toArray(),
                 QJsonArray{QStringLiteral("X+Y/Z")});
    }

    void import_data()
    {
        QTest::addColumn<QByteArray>("credentials");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("imported");
        QTest::addColumn<QString>("failedField"); // first failed record's field, if any
        auto ev = [](const QString& distinct, const QString& insert, qint64 time = 1700000000) {
            return QJsonObject{
                {"event", "Cohort Entered"},
                {"properties",
                 QJsonObject{{"time", time}, {"distinct_id", distinct}, {"$insert_id", insert}}}};
        };
        const QByteArray two = toJson({ev("a", "i-1"), ev("b", "i-2")});
        QTest::newRow("service account")
            << QByteArray("sa:secret") << "strict=1&project_id=77" << two << 200 << 2 << QString();
        QTest::newRow("token as user")
            << QByteArray("tok-1:") << "strict=1" << two << 200 << 2 << QString();
        QTest::newRow("ndjson")
            << QByteArray("sa:secret") << "strict=1&project_id=77"
            << QByteArray(QJsonDocument(ev("a", "i-1")).toJson(QJsonDocument::Compact) + "\n" +
                          QJsonDocument(ev("b", "i-2")).toJson(QJsonDocument::Compact) + "\n")
            << 200 << 2 << QString();
        QTest::newRow("wrong secret")
            << QByteArray("sa:nope") << "strict=1&project_id=77" << two << 401 << -1 << QString();
        QTest::newRow("no project_id")
            << QByteArray("sa:secret") << "strict=1" << two << 400 << -1 << QString();
        QTest::newRow("placeholder id") << QByteArray("sa:secret") << "strict=1&project_id=77"
                                        << toJson({ev("a", "i-1"), ev("undefined", "i-2")}) << 400
                                        << 1 << "properties.distinct_id";
        QTest::newRow("bad insert_id")
            << QByteArray("sa:secret") << "strict=1&project_id=77"
            << toJson({ev("a", "this_has_underscores")}) << 400 << 0 << "properties.$insert_id";
        QTest::newRow("bad time") << QByteArray("sa:secret") << "strict=1&project_id=77"
                                  << toJson({ev("a", "i-1", -5)}) << 400 << 0 << "properties.time";
        QTest::newRow("not strict drops")
            << QByteArray("sa:secret") << "strict=0&project_id=77"
            << toJson({ev("a", "i-1"), ev("0", "i-2")}) << 200 << 1 << QString();
        QTest::newRow("over 2 MB")
            << QByteArray("sa:secret") << "strict=1&project_id=77"
            << QByteArray(2 * 1024 * 1024 + 1, ' ') << 413 << -1 << QString();
    }
    void import()
    {
        QFETCH(QByteArray, credentials);
        QFETCH(QString, query);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(int, imported);
        QFETCH(QString, failedField);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QUrl url = s.mixpanel();
        url.setPath(QStringLiteral("/import"));
        url.setQuery(query);
        const auto r =
            SandboxProcess::request("POST", url, body,
                                    {{"Authorization", "Basic " + credentials.toBase64()},
                                     {"Content-Type", "application/json"}});
        QCOMPARE(r.status, status);
        const QJsonObject o = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(o.value(QStringLiteral("code")).toInt(), status);
        if (imported >= 0)
            QCOMPARE(o.value(QStringLiteral("num_records_imported")).toInt(), imported);
        if (!failedField.isEmpty())
            QCOMPARE(o.value(QStringLiteral("failed_records"))
                         .toArray()
                         .at(0)
                         .toObject()
                         .value(QStringLiteral("field"))
                         .toString(),
                     failedField);
        if (status == 413)
            QCOMPARE(o.value(QStringLiteral("status")).toString(),
                     QStringLiteral("Request Entity Too Large"));
    }

    void importDeduplicates()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QUrl url = s.mixpanel();
        url.setPath(QStringLiteral("/import"));
        url.setQuery(QStringLiteral("strict=1&project_id=77"));
        const QJsonObject e{
            {"event", "Cohort Exited"},
            {"properties",
             QJsonObject{{"time", 1700000000}, {"distinct_id", "a"}, {"$insert_id", "abc-1"}}}};
        QJsonObject other = e;
        other.insert(QStringLiteral("event"), QStringLiteral("Cohort Entered"));
        for (int i = 0; i < 3; ++i) // a retried batch
            QCOMPARE(SandboxProcess::request(
                         "POST", url, toJson({e, other}),
                         {{"Authorization", "Basic " + QByteArray("sa:secret").toBase64()}})
                         .status,
                     200);
        const QJsonObject stats = s.stats().value(QStringLiteral("import")).toObject();
        QCOMPARE(stats.value(QStringLiteral("events")).toInt(), 6);
        QCOMPARE(stats.value(QStringLiteral("imported")).toInt(), 6);
        QCOMPARE(stats.value(QStringLiteral("deduplicated")).toInt(), 4);
    }

    void queryAuth_data()
    {
        QTest::addColumn<QString>("projectId");
        QTest::addColumn<QByteArray>("credentials");
        QTest::addColumn<int>("status");
        QTest::newRow("ok") << "77" << QByteArray("sa:secret") << 200;
        QTest::newRow("no credentials") << "77" << QByteArray() << 401;
        QTest::newRow("wrong secret") << "77" << QByteArray("sa:nope") << 401;
        QTest::newRow("missing project_id") << "" << QByteArray("sa:secret") << 400;
        QTest::newRow("other project") << "78" << QByteArray("sa:secret") << 403;
    }
    void queryAuth()
    {
        QFETCH(QString, projectId);
        QFETCH(QByteArray, credentials);
        QFETCH(int, status);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        for (const QString& prefix : {QStringLiteral("/api/query"), QStringLiteral("/api/2.0")}) {
            QCOMPARE(query(s, QStringLiteral("/cohorts/list"), {}, projectId, credentials, prefix)
                         .status,
                     status);
            QCOMPARE(query(s, QStringLiteral("/engage"), {}, projectId, credentials, prefix).status,
                     status);
        }
    }

    void cohortPaging()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        // 2500 in cohort 5 (list), 300 flagged for cohort 6, 100 others.
        QJsonArray batch;
        QStringList expected;
        for (int i = 0; i < 2900; ++i) {
            const QString id = QStringLiteral("p%1").arg(i, 5, 10, QLatin1Char('0'));
            if (i < 2500) {
                batch.append(update(id, "$union",
                                    QJsonObject{{"cio_cohorts", QJsonArray{"CIO | A | 30d"}}}));
                expected.append(id);
            } else if (i < 2800) {
                batch.append(update(id, "$set", QJsonObject{{"CIO | Flag", true}}));
            } else {
                batch.append(update(id, "$set", QJsonObject{{"CIO | Flag", false}}));
            }
            if (batch.size() == 2000 || i == 2899) {
                QCOMPARE(engage(s, toJson(batch)).body, QByteArray("1"));
                batch = {};
            }
        }
        const QJsonArray cohorts =
            QJsonDocument::fromJson(query(s, QStringLiteral("/cohorts/list"), {}).body).array();
        QCOMPARE(cohorts.size(), 2);
        QCOMPARE(cohorts.at(0).toObject().value(QStringLiteral("count")).toInt(), 2500);
        QCOMPARE(cohorts.at(1).toObject().value(QStringLiteral("count")).toInt(), 300);

        // Page through cohort 5 by hand: page size 1000, session_id, short last page.
        QStringList got;
        QString session;
        for (int page = 0; page < 10; ++page) {
            QUrlQuery form;
            form.addQueryItem(QStringLiteral("filter_by_cohort"), QStringLiteral("{\"id\":5}"));
            form.addQueryItem(QStringLiteral("output_properties"),
                              QStringLiteral("[\"cio_cohorts\"]"));
            form.addQueryItem(QStringLiteral("page"), QString::number(page));
            if (page)
                form.addQueryItem(QStringLiteral("session_id"), session);
            const auto r = query(s, QStringLiteral("/engage"), form);
            QCOMPARE(r.status, 200);
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(o.value(QStringLiteral("page")).toInt(), page);
            QCOMPARE(o.value(QStringLiteral("page_size")).toInt(), 1000);
            QCOMPARE(o.value(QStringLiteral("total")).toInt(), 2500);
            session = o.value(QStringLiteral("session_id")).toString();
            const QJsonArray results = o.value(QStringLiteral("results")).toArray();
            for (const QJsonValue& v : results)
                got.append(v.toObject().value(QStringLiteral("$distinct_id")).toString());
            if (results.size() < 1000)
                break;
        }
        std::sort(got.begin(), got.end());
        QCOMPARE(got, expected);
        QCOMPARE(s.cohortMembers(5), expected);
        QCOMPARE(s.cohortMembers(6).size(), 300);

        // Page > 0 without a session is refused; an unknown cohort is a 400.
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("page"), QStringLiteral("1"));
        QCOMPARE(query(s, QStringLiteral("/engage"), form).status, 400);
        QUrlQuery unknown;
        unknown.addQueryItem(QStringLiteral("filter_by_cohort"), QStringLiteral("{\"id\":404}"));
        QCOMPARE(query(s, QStringLiteral("/engage"), unknown).status, 400);
    }

    void whereAndDistinctIds_data()
    {
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("in list") << "where"
                                 << R"("A" in properties["cio_cohorts"])" << QStringList{"a", "ab"};
        QTest::newRow("equals") << "where"
                                << R"(properties["plan"] == "pro")" << QStringList{"ab"};
        QTest::newRow("not and defined")
            << "where"
            << R"(not defined(properties["plan"]) and "B" in properties["cio_cohorts"])"
            << QStringList{"b"};
        QTest::newRow("or, numbers")
            << "where"
            << R"(properties["n"] > 5 or properties["plan"] == "free")" << QStringList{"a", "b"};
        QTest::newRow("distinct_ids") << "distinct_ids"
                                      << R"(["b","zz","a"])" << QStringList{"a", "b"};
    }
    void whereAndDistinctIds()
    {
        QFETCH(QString, param);
        QFETCH(QString, value);
        QFETCH(QStringList, expected);
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        const QJsonArray setup{
            update("a", "$union", QJsonObject{{"cio_cohorts", QJsonArray{"A"}}}),
            update("a", "$set", QJsonObject{{"plan", "free"}}),
            update("ab", "$union", QJsonObject{{"cio_cohorts", QJsonArray{"A", "B"}}}),
            update("ab", "$set", QJsonObject{{"plan", "pro"}}),
            update("b", "$union", QJsonObject{{"cio_cohorts", QJsonArray{"B"}}}),
            update("b", "$set", QJsonObject{{"n", 9}})};
        QCOMPARE(engage(s, toJson(setup)).body, QByteArray("1"));
        QUrlQuery form;
        form.addQueryItem(param, value);
        const auto r = query(s, QStringLiteral("/engage"), form);
        QCOMPARE(r.status, 200);
        QStringList got;
        for (const QJsonValue& v :
             QJsonDocument::fromJson(r.body).object().value(QStringLiteral("results")).toArray())
            got.append(v.toObject().value(QStringLiteral("$distinct_id")).toString());
        std::sort(got.begin(), got.end());
        QCOMPARE(got, expected);
    }

    void badWhere()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("where"), QStringLiteral("properties[\"a\" =="));
        QCOMPARE(query(s, QStringLiteral("/engage"), form).status, 400);
    }

    // Mixpanel documents the query API's 429 (60 an hour, 5 at once) with no Retry-After:
    // that is the default; a scenario can still ask for one.
    void queryBudget_data()
    {
        QTest::addColumn<bool>("retryAfterOption");
        QTest::newRow("documented: no Retry-After") << false;
        QTest::newRow("option: Retry-After") << true;
    }
    void queryBudget()
    {
        QFETCH(bool, retryAfterOption);
        QJsonObject scenario = lockstep::test::basicScenario(10, 5);
        QJsonObject mp = scenario.value(QStringLiteral("mixpanel")).toObject();
        mp.insert(QStringLiteral("query_limit_per_hour"), 3);
        mp.insert(QStringLiteral("query_hour_seconds"), 2);
        if (retryAfterOption)
            mp.insert(QStringLiteral("query_retry_after"), true);
        scenario.insert(QStringLiteral("mixpanel"), mp);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(query(s, QStringLiteral("/cohorts/list"), {}).status, 200);
        const auto refused = query(s, QStringLiteral("/engage"), {});
        QCOMPARE(refused.status, 429);
        QCOMPARE(QJsonDocument::fromJson(refused.body)
                     .object()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("error"));
        if (!retryAfterOption) {
            QVERIFY(refused.header("Retry-After").isNull());
        } else {
            QVERIFY(refused.header("Retry-After").toInt() >= 1);
            QVERIFY(refused.header("Retry-After").toInt() <= 2);
        }
        // Test inspection does not use the budget.
        QVERIFY(s.cohortMembers(5).isEmpty());
        QVERIFY2(s.errorString().isEmpty(), qPrintable(s.errorString()));
        // The scaled hour passes and the budget is back.
        QTRY_COMPARE_WITH_TIMEOUT(query(s, QStringLiteral("/cohorts/list"), {}).status, 200, 5000);
    }

    void queryConcurrency()
    {
        QJsonObject scenario = lockstep::test::basicScenario(10, 5);
        QJsonObject mp = scenario.value(QStringLiteral("mixpanel")).toObject();
        mp.insert(QStringLiteral("query_concurrency"), 2);
        scenario.insert(QStringLiteral("mixpanel"), mp);
        SandboxProcess s(scenario);
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        s.setFaults({QJsonObject{{"route", "mp.query.*"}, {"latency_ms", 1500}, {"count", 2}}});
        // Two slow queries in flight on raw sockets, then a third is refused.
        QList<QTcpSocket*> slow;
        for (int i = 0; i < 2; ++i) {
            auto* socket = new QTcpSocket(this);
            socket->connectToHost(QStringLiteral("127.0.0.1"), quint16(s.mixpanel().port()));
            QVERIFY(socket->waitForConnected(2000));
            socket->write("POST /api/query/cohorts/list?project_id=77 HTTP/1.1\r\nHost: "
                          "127.0.0.1\r\nAuthorization: Basic " +
                          QByteArray("sa:secret").toBase64() + "\r\nContent-Length: 0\r\n\r\n");
            QVERIFY(socket->waitForBytesWritten(2000));
            slow.append(socket);
        }
        QTest::qWait(300);
        const auto third = query(s, QStringLiteral("/cohorts/list"), {});
        QCOMPARE(third.status, 429);
        for (QTcpSocket* socket : slow) {
            QVERIFY(socket->waitForReadyRead(5000));
            QVERIFY(socket->readAll().startsWith("HTTP/1.1 200"));
            delete socket;
        }
        QCOMPARE(query(s, QStringLiteral("/cohorts/list"), {}).status, 200);
    }

    // Big /engage bodies are parsed on the sandbox's worker threads: concurrent batches are
    // all applied, and each is logged with its service time and update count.
    void bigBatchesConcurrently()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        constexpr int kBatches = 8;
        QList<QTcpSocket*> sockets;
        for (int b = 0; b < kBatches; ++b) {
            QJsonArray batch;
            for (int i = 0; i < 2000; ++i)
                batch.append(
                    update(QStringLiteral("c%1").arg(i % 2500 + b * 250), "$union",
                           QJsonObject{{"cio_cohorts", QJsonArray{QStringLiteral("B%1").arg(b)}}}));
            const QByteArray body = toJson(batch);
            auto* socket = new QTcpSocket(this);
            socket->connectToHost(QStringLiteral("127.0.0.1"), quint16(s.mixpanel().port()));
            QVERIFY(socket->waitForConnected(2000));
            socket->write("POST /engage HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                          "application/json\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            sockets.append(socket);
        }
        for (QTcpSocket* socket : sockets) {
            QByteArray reply;
            while (!reply.endsWith("\r\n\r\n1") && socket->waitForReadyRead(10000))
                reply += socket->readAll();
            QVERIFY2(reply.startsWith("HTTP/1.1 200") && reply.endsWith("\r\n\r\n1"),
                     reply.constData());
            delete socket;
        }
        const QJsonObject stats = s.stats();
        QCOMPARE(stats.value(QStringLiteral("engage"))
                     .toObject()
                     .value(QStringLiteral("accepted"))
                     .toInt(),
                 kBatches * 2000);
        QCOMPARE(stats.value(QStringLiteral("engage"))
                     .toObject()
                     .value(QStringLiteral("operators"))
                     .toObject()
                     .value(QStringLiteral("$union"))
                     .toInt(),
                 kBatches * 2000);
        const QJsonArray log = stats.value(QStringLiteral("log")).toArray();
        QCOMPARE(log.size(), kBatches);
        for (const QJsonValue& e : log) {
            QCOMPARE(e.toObject().value(QStringLiteral("route")).toString(),
                     QStringLiteral("mp.engage"));
            QCOMPARE(e.toObject().value(QStringLiteral("updates")).toInt(), 2000);
            QVERIFY(e.toObject().value(QStringLiteral("duration_ms")).toInt() >= 0);
        }
        for (int b = 0; b < kBatches; ++b)
            QCOMPARE(
                s.profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("B%1").arg(b)).size(),
                2000);
    }

    // Requests pipelined behind a big batch on one connection wait for it: they see its
    // updates and are answered in order.
    void pipelinedAfterBigBatch()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QJsonArray batch;
        for (int i = 0; i < 2000; ++i)
            batch.append(update(QStringLiteral("p%1").arg(i), "$set", QJsonObject{{"n", i}}));
        const QByteArray body = toJson(batch);
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(s.mixpanel().port()));
        QVERIFY(socket.waitForConnected(2000));
        const QByteArray small = toJson({update("p1999", "$set", QJsonObject{{"n", -1}})});
        socket.write(
            "POST /engage?verbose=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
            QByteArray::number(body.size()) + "\r\n\r\n" + body +
            "POST /engage HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
            QByteArray::number(small.size()) + "\r\n\r\n" + small +
            "GET /_sandbox/profiles?distinct_id=p1999 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray replies;
        while (!replies.contains("\"$distinct_id\"") && socket.waitForReadyRead(10000))
            replies += socket.readAll();
        const qsizetype first = replies.indexOf("{\"status\":1,\"error\":null}");
        const qsizetype second = replies.indexOf("\r\n\r\n1HTTP/1.1");
        const qsizetype third = replies.indexOf("\"n\":-1");
        QVERIFY2(first > 0 && second > first && third > second, replies.constData());
    }

    void bigBatchFaults()
    {
        SandboxProcess s(lockstep::test::basicScenario(10, 5));
        QVERIFY2(s.isRunning(), qPrintable(s.errorString()));
        QJsonArray batch;
        for (int i = 0; i < 2000; ++i)
            batch.append(update(QStringLiteral("f%1").arg(i), "$union",
                                QJsonObject{{"cio_cohorts", QJsonArray{"F"}}}));
        const QByteArray body = toJson(batch);
        // latency: processed, answered later, logged with the real service time.
        s.setFaults({QJsonObject{{"route", "mp.engage"}, {"latency_ms", 400}, {"count", 1}}});
        QElapsedTimer t;
        t.start();
        QCOMPARE(engage(s, body).body, QByteArray("1"));
        QVERIFY(t.elapsed() >= 380);
        QJsonArray log = s.stats().value(QStringLiteral("log")).toArray();
        QCOMPARE(log.last().toObject().value(QStringLiteral("fault")).toString(),
                 QStringLiteral("latency"));
        QVERIFY(log.last().toObject().value(QStringLiteral("duration_ms")).toInt() >= 390);
        QCOMPARE(s.profilesWith(QStringLiteral("cio_cohorts"), QStringLiteral("F")).size(), 2000);
        // status: not processed.
        s.setFaults({QJsonObject{{"route", "mp.engage"}, {"status", 503}, {"count", 1}}});
        QCOMPARE(engage(s, toJson({update("g1", "$set", QJsonObject{{"a", 1}})}) +
                               QByteArray(20000, ' '))
                     .status,
                 503);
        QVERIFY(
            s.control("GET", QStringLiteral("/_sandbox/profiles?distinct_id=g1")).isUndefined());
        // truncate: processed, then the reply is cut.
        s.setFaults({QJsonObject{{"route", "mp.engage"}, {"truncate", true}, {"count", 1}}});
        const auto cut = engage(
            s, toJson({update("g2", "$set", QJsonObject{{"a", 1}})}) + QByteArray(20000, ' '),
            QStringLiteral("verbose=1"));
        QVERIFY(cut.body != QByteArray("{\"status\":1,\"error\":null}"));
        QCOMPARE(profile(s, QStringLiteral("g2")).value(QStringLiteral("a")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMixpanel)
#include "tst_mixpanel.moc"
