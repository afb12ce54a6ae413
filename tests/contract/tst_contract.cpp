// The services' own published examples (tests/contract/fixtures, see README.md there):
//  (a) the clients' pure parsers read every fixture as the reference means it;
//  (b) the sandbox answers the same requests with the same shape (keys and JSON types,
//      recursively; values may differ), so the sandbox cannot drift from the services.
#include "api/apierror.h"
#include "api/backoff.h"
#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "sandboxprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QUrlQuery>

using namespace lockstep;
using lockstep::test::SandboxProcess;

namespace {

QString fixtureDir()
{
    return QStringLiteral(LOCKSTEP_SOURCE_DIR "/tests/contract/fixtures");
}

QJsonObject loadFixture(const QString& name)
{
    QFile f(fixtureDir() + QLatin1Char('/') + name + QStringLiteral(".json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList fixtureNames()
{
    QStringList out;
    for (const QString& f :
         QDir(fixtureDir()).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        out.append(f.chopped(5));
    return out;
}

// The response body as the wire carries it.
QByteArray bodyBytes(const QJsonObject& response)
{
    if (response.contains(QStringLiteral("text")))
        return response.value(QStringLiteral("text")).toString().toUtf8();
    const QJsonValue b = response.value(QStringLiteral("body"));
    if (b.isArray())
        return QJsonDocument(b.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(b.toObject()).toJson(QJsonDocument::Compact);
}

HttpResponse httpResponse(const QJsonObject& response)
{
    HttpResponse r;
    r.status = response.value(QStringLiteral("status")).toInt();
    r.body = bodyBytes(response);
    const QJsonObject headers = response.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        r.headers.append({it.key().toUtf8(), it.value().toString().toUtf8()});
    return r;
}

QString typeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("bool");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    default:
        return QStringLiteral("undefined");
    }
}

// Differences between the shape of `expected` (a fixture) and `actual` (the sandbox), or
// "". Objects: the same keys; arrays: every element of `actual` against the first of
// `expected`; scalars: the same JSON type. Null on either side matches any type (fields the
// references show as nullable). `freeForm` paths (the project's own properties) only need
// to be objects; `numberOrString` paths may be either.
QStringList shapeDiff(const QJsonValue& expected, const QJsonValue& actual, const QString& path,
                      const QSet<QString>& freeForm, const QSet<QString>& numberOrString)
{
    if (expected.isNull() || actual.isNull())
        return {};
    if (numberOrString.contains(path) && (actual.isString() || actual.isDouble()) &&
        (expected.isString() || expected.isDouble()))
        return {};
    if (expected.type() != actual.type())
        return {QStringLiteral("%1: %2 in the reference, %3 in the sandbox")
                    .arg(path.isEmpty() ? QStringLiteral("(root)") : path, typeName(expected),
                         typeName(actual))};
    if (freeForm.contains(path))
        return {};
    QStringList out;
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        const QString prefix = path.isEmpty() ? QString() : path + QLatin1Char('.');
        for (const QString& k : e.keys()) {
            if (!a.contains(k))
                out << QStringLiteral("%1%2: missing in the sandbox").arg(prefix, k);
            else
                out << shapeDiff(e.value(k), a.value(k), prefix + k, freeForm, numberOrString);
        }
        for (const QString& k : a.keys())
            if (!e.contains(k))
                out << QStringLiteral("%1%2: only in the sandbox").arg(prefix, k);
    } else if (expected.isArray()) {
        const QJsonArray e = expected.toArray(), a = actual.toArray();
        // The reply's own collections must hold items to compare; a list inside an item
        // (a segment's tags) may be empty.
        if (!e.isEmpty() && a.isEmpty() && !path.contains(QLatin1String("[]")))
            out << QStringLiteral("%1: empty in the sandbox, so its items cannot be compared")
                       .arg(path);
        if (!e.isEmpty())
            for (const QJsonValue& item : a)
                out << shapeDiff(e.first(), item, path + QStringLiteral("[]"), freeForm,
                                 numberOrString);
    }
    return out;
}

QSet<QString> stringSet(const QJsonValue& v)
{
    QSet<QString> out;
    for (const QJsonValue& s : v.toArray())
        out.insert(s.toString());
    return out;
}

} // namespace

class TestContract : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyEndpointHasAFixture();
    void parsersReadTheReferences_data();
    void parsersReadTheReferences();
    void sandboxAnswersInTheSameShape_data();
    void sandboxAnswersInTheSameShape();

private:
    SandboxProcess::Reply ask(const QString& fixture);

    std::unique_ptr<SandboxProcess> m_email;  // e-mail identifiers
    std::unique_ptr<SandboxProcess> m_idOnly; // id-only workspace, 1 request/s, 1 query/hour
};

void TestContract::initTestCase()
{
    QVERIFY2(fixtureNames().size() >= 20, qPrintable(fixtureDir()));
    auto scenario = [](const QString& identifiers, int perSecond, int queriesPerHour) {
        return QJsonObject{
            {QStringLiteral("seed"), 3},
            {QStringLiteral("customerio"),
             QJsonObject{{QStringLiteral("app_api_key"), QStringLiteral("contract-key")},
                         {QStringLiteral("identifiers"), identifiers},
                         // The fixture's last page has no "next"; the other readings are
                         // tested in tst_sandbox_customerio and tst_cli_variants.
                         {QStringLiteral("last_page_next"), QStringLiteral("absent")},
                         {QStringLiteral("rate_limit_per_second"), perSecond}}},
            {QStringLiteral("mixpanel"),
             QJsonObject{{QStringLiteral("project_token"), QStringLiteral("contract-token")},
                         {QStringLiteral("project_id"), 1},
                         {QStringLiteral("service_account"), QStringLiteral("sa:secret")},
                         {QStringLiteral("existing_profile_share"), 1.0},
                         {QStringLiteral("query_limit_per_hour"), queriesPerHour},
                         {QStringLiteral("cohorts"),
                          QJsonArray{QJsonObject{
                              {QStringLiteral("id"), 1000},
                              {QStringLiteral("name"), QStringLiteral("Cohort One")},
                              {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                              {QStringLiteral("value"), QStringLiteral("Cohort One")}}}}}},
            {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 20}}},
            {QStringLiteral("people"),
             QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("42")},
                                    {QStringLiteral("email"), QStringLiteral("ada@example.com")},
                                    {QStringLiteral("cio_id"), QStringLiteral("a3000001")}},
                        QJsonObject{{QStringLiteral("id"), QJsonValue::Null},
                                    {QStringLiteral("email"), QStringLiteral("noid@example.com")},
                                    {QStringLiteral("cio_id"), QStringLiteral("a3000002")}},
                        QJsonObject{{QStringLiteral("id"), QStringLiteral("43")},
                                    {QStringLiteral("email"), QJsonValue::Null},
                                    {QStringLiteral("cio_id"), QStringLiteral("a3000003")}}}},
            {QStringLiteral("segments"),
             QJsonArray{
                 QJsonObject{{QStringLiteral("id"), 7},
                             {QStringLiteral("name"), QStringLiteral("Trial users")},
                             {QStringLiteral("type"), QStringLiteral("manual")},
                             {QStringLiteral("tags"), QJsonArray{QStringLiteral("trial")}},
                             {QStringLiteral("members"),
                              QJsonArray{QStringLiteral("a3000001"), QStringLiteral("a3000002"),
                                         QStringLiteral("a3000003")}}},
                 QJsonObject{{QStringLiteral("id"), 12},
                             {QStringLiteral("name"), QStringLiteral("Purchased twice")},
                             {QStringLiteral("state"), QStringLiteral("build")},
                             {QStringLiteral("progress"), 35},
                             {QStringLiteral("size"), 5}},
                 QJsonObject{{QStringLiteral("id"), 13},
                             {QStringLiteral("name"), QStringLiteral("Opened in 30 days")},
                             {QStringLiteral("size"), 8}}}}};
    };
    m_email = std::make_unique<SandboxProcess>(scenario(QStringLiteral("email"), 1000, 1000));
    QVERIFY2(m_email->isRunning(), qPrintable(m_email->errorString()));
    m_idOnly = std::make_unique<SandboxProcess>(scenario(QStringLiteral("id_only"), 1, 1));
    QVERIFY2(m_idOnly->isRunning(), qPrintable(m_idOnly->errorString()));
}

// Every endpoint the clients call (grep customerioclient.cpp / mixpanelclient.cpp for
// get(, post(, withPath( and queryRequest() has a fixture.
void TestContract::everyEndpointHasAFixture()
{
    const QStringList called = {QStringLiteral("GET /v1/segments"),
                                QStringLiteral("GET /v1/segments/{segment_id}"),
                                QStringLiteral("GET /v1/segments/{segment_id}/customer_count"),
                                QStringLiteral("GET /v1/segments/{segment_id}/membership"),
                                QStringLiteral("POST /v1/customers/attributes"),
                                QStringLiteral("POST /engage?verbose=1"),
                                QStringLiteral("POST /import?strict=1&project_id="),
                                QStringLiteral("POST /api/query/cohorts/list"),
                                QStringLiteral("POST /api/query/engage")};
    QSet<QString> covered;
    for (const QString& name : fixtureNames()) {
        const QJsonObject f = loadFixture(name);
        QVERIFY2(
            f.value(QStringLiteral("source")).toString().startsWith(QStringLiteral("https://")),
            qPrintable(name));
        covered.insert(f.value(QStringLiteral("endpoint")).toString());
    }
    for (const QString& e : called)
        QVERIFY2(covered.contains(e), qPrintable(e));
}

void TestContract::parsersReadTheReferences_data()
{
    QTest::addColumn<QString>("name");
    for (const QString& n : fixtureNames())
        QTest::newRow(qPrintable(n)) << n;
}

void TestContract::parsersReadTheReferences()
{
    QFETCH(QString, name);
    const QJsonObject f = loadFixture(name);
    const QJsonObject response = f.value(QStringLiteral("response")).toObject();
    const QJsonObject expect = f.value(QStringLiteral("expect")).toObject();
    const QString endpoint = f.value(QStringLiteral("endpoint")).toString();
    const HttpResponse reply = httpResponse(response);
    const bool success = reply.status >= 200 && reply.status <= 299;

    if (endpoint.startsWith(QLatin1String("POST /engage"))) {
        QCOMPARE(MixpanelClient::parseEngageReply(reply).ok(),
                 expect.value(QStringLiteral("ok")).toBool());
        return;
    }
    if (endpoint.startsWith(QLatin1String("POST /import"))) {
        const Status st = MixpanelClient::parseImportReply(reply);
        QCOMPARE(st.ok(), expect.value(QStringLiteral("ok")).toBool());
        if (reply.status == 400) // never retried: the same records fail the same way
            QCOMPARE(st.error().category, SyncError::Category::BadRequest);
        if (reply.status == 429)
            QVERIFY(st.error().retryable);
        return;
    }
    if (!success) {
        const bool query = endpoint.startsWith(QLatin1String("POST /api/query"));
        const SyncError e = query ? MixpanelClient::queryError(reply)
                                  : errorFromReply(QStringLiteral("Customer.io"), reply);
        const QJsonObject body = response.value(QStringLiteral("body")).toObject();
        const QString detail = body.contains(QStringLiteral("errors"))
                                   ? body.value(QStringLiteral("errors"))
                                         .toArray()
                                         .at(0)
                                         .toObject()
                                         .value(QStringLiteral("detail"))
                                         .toString()
                                   : body.value(QStringLiteral("error")).toString();
        switch (reply.status) {
        case 401:
            QCOMPARE(e.category, SyncError::Category::Auth);
            break;
        case 404:
            QCOMPARE(e.category, SyncError::Category::NotFound);
            break;
        case 429:
            QCOMPARE(e.category, SyncError::Category::RateLimited);
            break;
        default:
            QFAIL("a status this test does not know");
        }
        if (query && reply.status == 429) {
            // Documented without Retry-After: the hour's budget is spent, not retried.
            QVERIFY(MixpanelClient::isQueryBudgetSpent(e));
        } else {
            QVERIFY2(e.message.contains(detail), qPrintable(e.message)); // the service's own words
        }
        if (reply.status == 429 && !query) // Customer.io's per-second limit says when to come back
            QCOMPARE(parseRetryAfterMs(reply.header("Retry-After"), 0),
                     std::optional<qint64>(1000));
        return;
    }

    if (endpoint == QLatin1String("GET /v1/segments")) {
        const auto segments = CustomerIoClient::parseSegments(reply.body);
        QVERIFY(segments.ok());
        QCOMPARE(segments->size(), response.value(QStringLiteral("body"))
                                       .toObject()
                                       .value(QStringLiteral("segments"))
                                       .toArray()
                                       .size());
        const SegmentInfo& manual = segments->at(0);
        QCOMPARE(manual.type, QStringLiteral("manual"));
        QCOMPARE(manual.state, QStringLiteral("events"));
        QVERIFY(!manual.progress); // ready: building only while progress is set
        QCOMPARE(segments->at(1).progress, std::optional<int>(35));
    } else if (endpoint == QLatin1String("GET /v1/segments/{segment_id}")) {
        const auto segment = CustomerIoClient::parseSegmentReply(reply.body);
        QVERIFY(segment.ok());
        QCOMPARE(segment->id, 7);
        QCOMPARE(segment->updatedAt, 1603214233);
    } else if (endpoint.endsWith(QLatin1String("/customer_count"))) {
        const auto count = CustomerIoClient::parseCustomerCount(reply.body);
        QVERIFY(count.ok());
        QCOMPARE(*count, 1);
    } else if (endpoint.endsWith(QLatin1String("/membership"))) {
        for (const auto& page : {CustomerIoClient::parseMembershipPage(reply.body),
                                 CustomerIoClient::parseMembershipPageReference(reply.body)}) {
            QVERIFY(page.ok());
            QCOMPARE(int(page->members.size()), expect.value(QStringLiteral("members")).toInt());
            QCOMPARE(page->next, expect.value(QStringLiteral("next")).toString());
            QVERIFY(page->members.size() < 2 ||
                    !page->members.at(1).id.has_value()); // "" / null id
            for (const MemberIdentifiers& m : page->members)
                QVERIFY(!m.cioId.isEmpty());
        }
        const auto peeked = CustomerIoClient::peekNext(reply.body);
        if (peeked)
            QCOMPARE(*peeked, expect.value(QStringLiteral("next")).toString());
    } else if (endpoint == QLatin1String("POST /v1/customers/attributes")) {
        const auto customers = CustomerIoClient::parseCustomers(reply.body);
        QVERIFY(customers.ok());
        QCOMPARE(int(customers->size()), expect.value(QStringLiteral("customers")).toInt());
        const QStringList asked = {QStringLiteral("42"), QStringLiteral("43"),
                                   QStringLiteral("no-such-person")};
        const auto found = CustomerIoClient::matchCustomers(IdentityKey::Id, asked, *customers);
        QVERIFY(found.ok());
        QCOMPARE(*found, (QSet<QString>{QStringLiteral("42"), QStringLiteral("43")}));
    } else if (endpoint == QLatin1String("POST /api/query/cohorts/list")) {
        const auto cohorts = MixpanelClient::parseCohorts(reply.body);
        QVERIFY(cohorts.ok());
        QCOMPARE(cohorts->size(), expect.value(QStringLiteral("cohorts")).toInt());
        QCOMPARE(cohorts->at(0).count, 150);
    } else if (endpoint == QLatin1String("POST /api/query/engage")) {
        const auto page = MixpanelClient::parseProfiles(reply.body);
        QVERIFY(page.ok());
        QCOMPARE(page->distinctIds.size(), expect.value(QStringLiteral("profiles")).toInt());
        QCOMPARE(page->distinctIds.at(0),
                 expect.value(QStringLiteral("first_distinct_id")).toString());
        QCOMPARE(page->total, expect.value(QStringLiteral("total")).toInteger());
        QCOMPARE(page->pageSize, 1000);
    } else {
        QFAIL(qPrintable(QStringLiteral("no parser row for %1").arg(endpoint)));
    }
}

SandboxProcess::Reply TestContract::ask(const QString& fixture)
{
    SandboxProcess& s = fixture.contains(QLatin1String("id_only")) ||
                                fixture == QLatin1String("cio_429") ||
                                fixture == QLatin1String("mp_query_429")
                            ? *m_idOnly
                            : *m_email;
    const QByteArray bearer = "Bearer " + s.appApiKey().toUtf8();
    const QByteArray basic = "Basic " + s.serviceAccount().toUtf8().toBase64();
    const QByteArray wrongBasic = "Basic " + QByteArray("wrong:").toBase64();
    const QByteArray token = s.projectToken().toUtf8();
    auto cio = [&](const QString& path, const QString& query = {}, const QByteArray& method = "GET",
                   const QByteArray& body = {}, const QByteArray& auth = {}) {
        QUrl url = s.customerIo();
        url.setPath(path);
        url.setQuery(query);
        return SandboxProcess::request(method, url, body,
                                       {{"Authorization", auth.isEmpty() ? bearer : auth},
                                        {"Content-Type", "application/json"}});
    };
    auto mp = [&](const QString& path, const QString& query, const QByteArray& body,
                  const QByteArray& auth = {}, const QByteArray& type = "application/json") {
        QUrl url = s.mixpanel();
        url.setPath(path);
        url.setQuery(query);
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", type}};
        if (!auth.isEmpty())
            headers.append({"Authorization", auth});
        return SandboxProcess::request("POST", url, body, headers);
    };
    auto query = [&](const QString& path, const QByteArray& form, const QByteArray& auth) {
        QUrl url = s.mixpanelQuery();
        url.setPath(url.path() + path);
        url.setQuery(QStringLiteral("project_id=%1").arg(s.projectId()));
        return SandboxProcess::request(
            "POST", url, form,
            {{"Authorization", auth}, {"Content-Type", "application/x-www-form-urlencoded"}});
    };
    const QByteArray update = "[{\"$token\":\"" + token +
                              "\",\"$distinct_id\":\"13793\",\"$set\":{\"$email\":\"u@x.io\"}}]";
    const QByteArray noOperation = "[{\"$token\":\"" + token + "\",\"$distinct_id\":\"13793\"}]";
    const QByteArray event =
        "[{\"event\":\"Signed up\",\"properties\":{\"time\":1618716477,\"distinct_id\":\"9130\","
        "\"$insert_id\":\"935d87b1-00cd-41b7-be34-b9d98dd08b42\"}}]";
    const QByteArray badEvent =
        "[{\"event\":\"Signed up\",\"properties\":{\"time\":\"yesterday\",\"distinct_id\":"
        "\"9130\",\"$insert_id\":\"13c0b661-f48b-51cd-ba54-97c5999169c0\"}}]";
    const QString importQuery = QStringLiteral("strict=1&project_id=%1").arg(s.projectId());

    if (fixture == QLatin1String("cio_segments_list"))
        return cio(QStringLiteral("/v1/segments"));
    if (fixture == QLatin1String("cio_segment_get"))
        return cio(QStringLiteral("/v1/segments/7"));
    if (fixture == QLatin1String("cio_segment_get_404"))
        return cio(QStringLiteral("/v1/segments/999999"));
    if (fixture == QLatin1String("cio_segment_count"))
        return cio(QStringLiteral("/v1/segments/7/customer_count"));
    if (fixture == QLatin1String("cio_membership_page"))
        return cio(QStringLiteral("/v1/segments/7/membership"),
                   QStringLiteral("limit=2")); // 2 of 3: a next
    if (fixture == QLatin1String("cio_membership_last_page"))
        return cio(QStringLiteral("/v1/segments/7/membership"));
    if (fixture == QLatin1String("cio_membership_id_only")) {
        QTest::qWait(1100); // this sandbox takes one request a second
        return cio(QStringLiteral("/v1/segments/7/membership"));
    }
    if (fixture == QLatin1String("cio_customers_attributes"))
        return cio(QStringLiteral("/v1/customers/attributes"), QStringLiteral("id_type=id"), "POST",
                   R"({"ids":["42","43","no-such-person"]})");
    if (fixture == QLatin1String("cio_429")) {
        QTest::qWait(1100);
        cio(QStringLiteral("/v1/segments/13/customer_count"));
        return cio(QStringLiteral("/v1/segments/13/customer_count")); // the second in a second
    }
    if (fixture == QLatin1String("cio_401"))
        return cio(QStringLiteral("/v1/segments"), {}, "GET", {}, "Bearer wrong");
    if (fixture == QLatin1String("mp_engage_ok"))
        return mp(QStringLiteral("/engage"), {}, update);
    if (fixture == QLatin1String("mp_engage_invalid"))
        return mp(QStringLiteral("/engage"), {}, noOperation);
    if (fixture == QLatin1String("mp_engage_verbose"))
        return mp(QStringLiteral("/engage"), QStringLiteral("verbose=1&ip=0"), update);
    if (fixture == QLatin1String("mp_engage_verbose_failed"))
        return mp(QStringLiteral("/engage"), QStringLiteral("verbose=1"), noOperation);
    if (fixture == QLatin1String("mp_engage_401"))
        return mp(QStringLiteral("/engage"), {}, R"([{"$distinct_id":"13793","$set":{"a":1}}])");
    if (fixture == QLatin1String("mp_import_ok"))
        return mp(QStringLiteral("/import"), importQuery, event, basic);
    if (fixture == QLatin1String("mp_import_400"))
        return mp(QStringLiteral("/import"), importQuery, badEvent, basic);
    if (fixture == QLatin1String("mp_import_401"))
        return mp(QStringLiteral("/import"), importQuery, event, wrongBasic);
    if (fixture == QLatin1String("mp_import_429")) {
        // The sandbox has no ingestion limit of its own: its modelled 429 comes from a fault.
        s.setFaults({QJsonObject{{QStringLiteral("route"), QStringLiteral("mp.import")},
                                 {QStringLiteral("status"), 429},
                                 {QStringLiteral("count"), 1}}});
        return mp(QStringLiteral("/import"), importQuery, event, basic);
    }
    if (fixture == QLatin1String("mp_query_cohorts_list"))
        return query(QStringLiteral("/cohorts/list"), {}, basic);
    if (fixture == QLatin1String("mp_query_engage"))
        return query(QStringLiteral("/engage"), "output_properties=%5B%22%24email%22%5D", basic);
    if (fixture == QLatin1String("mp_query_401"))
        return query(QStringLiteral("/engage"), {}, wrongBasic);
    if (fixture == QLatin1String("mp_query_429")) {
        query(QStringLiteral("/cohorts/list"), {}, basic); // the hour's one query
        return query(QStringLiteral("/engage"), {}, basic);
    }
    return {};
}

void TestContract::sandboxAnswersInTheSameShape_data()
{
    parsersReadTheReferences_data();
}

void TestContract::sandboxAnswersInTheSameShape()
{
    QFETCH(QString, name);
    const QJsonObject f = loadFixture(name);
    const QJsonObject response = f.value(QStringLiteral("response")).toObject();
    const SandboxProcess::Reply r = ask(name);
    QVERIFY2(r.status != 0, qPrintable(QStringLiteral("no sandbox request for %1").arg(name)));
    QCOMPARE(r.status, response.value(QStringLiteral("status")).toInt());
    // Retry-After where the reference has it, and not where it documents none.
    if (r.status == 429)
        QCOMPARE(!r.header("Retry-After").isEmpty(), response.value(QStringLiteral("headers"))
                                                         .toObject()
                                                         .contains(QStringLiteral("Retry-After")));
    if (response.contains(QStringLiteral("text"))) {
        QCOMPARE(r.body.trimmed(), response.value(QStringLiteral("text")).toString().toUtf8());
        return;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &pe);
    QVERIFY2(pe.error == QJsonParseError::NoError, r.body.left(300).constData());
    const QJsonValue actual = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    const QStringList diff = shapeDiff(response.value(QStringLiteral("body")), actual, QString(),
                                       stringSet(f.value(QStringLiteral("free_form"))),
                                       stringSet(f.value(QStringLiteral("number_or_string"))));
    QVERIFY2(diff.isEmpty(),
             qPrintable(diff.join(QStringLiteral("\n  ")) + QStringLiteral("\n  sandbox: ") +
                        QString::fromUtf8(r.body.left(400))));
}

QTEST_GUILESS_MAIN(TestContract)
#include "tst_contract.moc"
