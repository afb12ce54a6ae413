#pragma once
// What a FakeNetwork answers, and what it was asked: rules matched by method, path and
// host, fallbacks that build a reply from the request (FakeCustomerIo, FakeMixpanel), and
// a record of every request. One script is shared by the test thread, which sets it up
// and reads the record, and the engine's thread, whose access managers answer from it:
// every member locks.
//
//     auto script = std::make_shared<FakeScript>();
//     script->add(FakeRule::on("GET", "/v1/segments/*/membership").times(2)
//                     .reply(FakeResponse::json(429, body).withHeader("Retry-After", "1")));
//     script->add(FakeRule::on("POST", "/engage").times(1).reply(FakeResponse::hanging()));
//     script->addFallback(customerIo.handler());
//     ... QCOMPARE(script->count("POST", "/engage"), 3);

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QList>
#include <QMutex>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <optional>
#include <utility>

namespace lockstep::test {

using RawHeaders = QList<std::pair<QByteArray, QByteArray>>;

// One request as it reached the fake, and how its reply ended.
struct FakeRequest
{
    enum class End
    {
        Open,     // not finished (yet)
        Answered, // a reply arrived (whatever its status, cut short included)
        Failed,   // a transport error instead of a reply
        TimedOut, // the request's transfer timeout ran out first
        Aborted,  // the client called abort()
    };

    int serial = 0;    // 0, 1, 2... in the order they came
    QByteArray method; // GET, POST, or the custom verb
    QUrl url;
    RawHeaders headers;
    QByteArray body;
    qint64 atMs = 0; // since the script was made (a monotonic clock)
    int transferTimeoutMs = 0;
    int rule = -1; // the rule that answered or altered it; -1: a fallback or none
    End end = End::Open;

    QByteArray header(const QByteArray& name) const; // case-insensitive; empty when absent
    QString path() const { return url.path(); }
    QUrlQuery query() const { return QUrlQuery(url); }
    // The form-encoded body's fields (the query API's requests).
    QUrlQuery form() const;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

// What arrives for a request: an HTTP reply, a transport error, or nothing at all.
struct FakeResponse
{
    int status = 200;
    RawHeaders headers;
    QByteArray body;
    // A transport failure instead of a reply (no status): connection refused or reset, ...
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    bool hang = false;     // never answers: ends only by abort() or the transfer timeout
    bool cutShort = false; // the status, headers and half the body, then the connection drops
    int delayMs = 0;       // before anything arrives (the transfer timeout still applies)

    static FakeResponse json(int status, const QJsonDocument& body);
    static FakeResponse json(int status, const QByteArray& body);
    static FakeResponse text(int status, const QByteArray& body);
    static FakeResponse networkError(QNetworkReply::NetworkError error,
                                     const QString& message = {});
    static FakeResponse hanging();

    FakeResponse withHeader(const QByteArray& name, const QByteArray& value) const;
    FakeResponse delayed(int ms) const;
    FakeResponse truncated() const;
    // The same status with the body cut in half and followed by junk: JSON that does not parse.
    FakeResponse garbled() const;
};

// Which requests a rule takes, how many, and what it does with them. Built by chaining:
//     FakeRule::on("POST", "/engage").host("api.mixpanel.com").skip(1).times(2).reply(...)
// Paths are globs: `*` is any run of characters within a path segment, `**` crosses
// segments; an empty method, path or host matches any.
struct FakeRule
{
    using Handler = std::function<FakeResponse(const FakeRequest&)>;
    using Alter = std::function<FakeResponse(FakeResponse)>;

    QByteArray method;
    QString pathGlob;
    QString hostName;
    int limit = -1;  // requests it takes; < 0: every matching one
    int skipped = 0; // matching requests let through first
    std::optional<FakeResponse> fixed;
    Handler handler; // builds the answer from the request
    Alter alter;     // changes what the rest of the script answers (applied, then e.g. lost)

    static FakeRule on(const QByteArray& method, const QString& pathGlob);
    FakeRule host(const QString& name) const;
    FakeRule times(int n) const;
    FakeRule skip(int n) const;
    FakeRule reply(const FakeResponse& response) const;
    FakeRule handle(Handler handler) const;
    FakeRule altering(Alter alter) const;
    // Common alterations of the real answer.
    FakeRule cutShort() const;
    FakeRule garbled() const;
    FakeRule delayed(int ms) const;

    bool matches(const QByteArray& method, const QUrl& url) const;
};

class FakeScript
{
public:
    // A fallback answers what no rule took; nullopt passes it to the next fallback.
    using Fallback = std::function<std::optional<FakeResponse>(const FakeRequest&)>;

    FakeScript();
    FakeScript(const FakeScript&) = delete;
    FakeScript& operator=(const FakeScript&) = delete;

    // Rules are tried in the order they were added; returns the rule's id.
    int add(const FakeRule& rule);
    int hits(int ruleId) const; // requests the rule took so far
    void clearRules();          // the fallbacks stay
    void addFallback(Fallback fallback);

    // The record.
    QList<FakeRequest> requests() const;
    QList<FakeRequest> requests(const QByteArray& method, const QString& pathGlob) const;
    int count(const QByteArray& method, const QString& pathGlob) const;
    // Requests nothing answered (no rule, no fallback): they got a 404.
    int unanswered() const;
    void clearRequests();

    qint64 elapsedMs() const { return m_clock.elapsed(); }

    // For FakeNetwork: records the request (setting its serial) and decides its answer
    // (rules, then fallbacks); then how its reply ended.
    FakeResponse answer(FakeRequest& request);
    void ended(int serial, FakeRequest::End end);

private:
    struct Entry
    {
        FakeRule rule;
        int seen = 0; // matching requests, the skipped ones included
        int hits = 0;
    };

    mutable QMutex m_mutex;
    QElapsedTimer m_clock;
    QList<Entry> m_rules;
    int m_ruleBase = 0; // ids stay unique across clearRules()
    QList<Fallback> m_fallbacks;
    QList<FakeRequest> m_requests;
    int m_serial = 0;
    int m_unanswered = 0;
};

} // namespace lockstep::test
