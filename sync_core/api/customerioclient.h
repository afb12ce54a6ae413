// Reads segments and their membership from the Customer.io App API.
#pragma once

#include "identity/identityresolver.h"
#include "requestscheduler.h"

#include <QSet>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <vector>

namespace lockstep {

struct SegmentInfo
{
    qint64 id = 0;
    QString name;
    QString description;
    QString state;               // events, build, events_queued, build_queued, finished
    std::optional<int> progress; // percent while building; null when ready
    QString type;                // dynamic | manual
    qint64 createdAt = 0;
    qint64 updatedAt = 0;

    // Customer.io signals building by a non-null progress; the state names vary (a ready
    // manual segment reads "events"), so the state alone never decides.
    bool isReady() const { return !progress.has_value(); }
};

struct MembershipPage
{
    std::vector<MemberIdentifiers> members;
    QString next; // empty at the end
};

class CustomerIoClient
{
public:
    static constexpr int kMaxPageSize = 30000;
    // The limit family of the App API; each key draws from "customerio:<hash of the key>".
    static constexpr const char* kLimitKey = "customerio";
    static QString limitKeyFor(const QString& appApiKey);
    static constexpr int kMaxLookupIds = 100; // ids a customer lookup takes

    CustomerIoClient(RequestScheduler* http, QUrl baseUrl, QString appApiKey,
                     std::shared_ptr<RequestCounters> counters = {});

    template <typename T> using Callback = std::function<void(Result<T>)>;

    void segments(Callback<QList<SegmentInfo>> done);
    void segment(qint64 id, Callback<SegmentInfo> done);
    void customerCount(qint64 id, Callback<qint64> done);
    void membershipPage(qint64 segmentId, const QString& start, int limit,
                        Callback<MembershipPage> done);

    // The raw body of a membership page, for callers that parse it off the network thread.
    void membershipPageRaw(qint64 segmentId, const QString& start, int limit,
                           Callback<QByteArray> done);
    // The page's `next` cursor found without parsing the whole page (so the next request
    // can leave while this one is parsed): "" at the end, nullopt when it cannot tell.
    static std::optional<QString> peekNext(const QByteArray& body);

    // Which of `ids` (1..kMaxLookupIds identifiers of kind `idType`) Customer.io still
    // knows: POST /v1/customers/attributes?id_type=, whose reply leaves unknown ids out (a
    // merged-away or deleted person). Returns the ids found, as given. Ids are compared
    // after the identity rules' normalisation (trimmed; e-mails lower-cased).
    void existingCustomers(IdentityKey idType, const QStringList& ids,
                           Callback<QSet<QString>> done);

    // Pure parsers, exposed for tests and fuzzing.
    // The customers of a lookup reply (id, e-mail and cio_id of each).
    static Result<std::vector<MemberIdentifiers>> parseCustomers(const QByteArray& body);
    // Which of `ids` the customers carry. A customer that matches none of them is an error:
    // the reply cannot then be trusted to say who is missing.
    static Result<QSet<QString>> matchCustomers(IdentityKey idType, const QStringList& ids,
                                                const std::vector<MemberIdentifiers>& customers);
    // One pass, no QJsonDocument (membershipparser.h): the engine's parser.
    static Result<MembershipPage> parseMembershipPage(const QByteArray& body);
    // The same through QJsonDocument: slower, kept as the reference the tests and the
    // fuzzer compare parseMembershipPage with.
    static Result<MembershipPage> parseMembershipPageReference(const QByteArray& body);
    static Result<SegmentInfo> parseSegment(const QJsonObject& o);
    // GET /v1/segments/{id}: {"segment":{...}}.
    static Result<SegmentInfo> parseSegmentReply(const QByteArray& body);
    // GET /v1/segments/{id}/customer_count: {"segment_id", "count"}.
    static Result<qint64> parseCustomerCount(const QByteArray& body);
    static Result<QList<SegmentInfo>> parseSegments(const QByteArray& body);

private:
    HttpRequest get(const QString& path,
                    const QList<std::pair<QString, QString>>& query = {}) const;
    HttpRequest post(const QString& path, const QList<std::pair<QString, QString>>& query,
                     QByteArray jsonBody) const;
    template <typename T>
    void fetch(HttpRequest req, std::function<Result<T>(const QByteArray&)> parse,
               Callback<T> done);

    RequestScheduler* m_http;
    QUrl m_base;
    QByteArray m_auth;
    std::shared_ptr<RequestCounters> m_counters;
    QString m_limitKey;
};

} // namespace lockstep
