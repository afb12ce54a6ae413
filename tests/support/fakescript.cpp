#include "fakescript.h"

#include <QDebug>

namespace lockstep::test {

namespace {
// `*` stays within a path segment, `**` crosses them; everything else is literal.
bool globMatches(const QString& glob, const QString& path)
{
    if (glob.isEmpty() || glob == QLatin1String("**"))
        return true;
    QString pattern;
    for (qsizetype i = 0; i < glob.size(); ++i) {
        if (glob.at(i) != QLatin1Char('*')) {
            pattern += QRegularExpression::escape(glob.at(i));
        } else if (i + 1 < glob.size() && glob.at(i + 1) == QLatin1Char('*')) {
            pattern += QStringLiteral(".*");
            ++i;
        } else {
            pattern += QStringLiteral("[^/]*");
        }
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(path).hasMatch();
}
} // namespace

QByteArray FakeRequest::header(const QByteArray& name) const
{
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

QUrlQuery FakeRequest::form() const
{
    // Form bodies encode spaces as '+'; QUrlQuery reads only %20.
    QByteArray b = body;
    b.replace('+', "%20");
    return QUrlQuery(QString::fromLatin1(b));
}

FakeResponse FakeResponse::json(int status, const QJsonDocument& body)
{
    return json(status, body.toJson(QJsonDocument::Compact));
}

FakeResponse FakeResponse::json(int status, const QByteArray& body)
{
    FakeResponse r;
    r.status = status;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}};
    return r;
}

FakeResponse FakeResponse::text(int status, const QByteArray& body)
{
    FakeResponse r;
    r.status = status;
    r.body = body;
    r.headers = {{"Content-Type", "text/plain"}};
    return r;
}

FakeResponse FakeResponse::networkError(QNetworkReply::NetworkError error, const QString& message)
{
    FakeResponse r;
    r.status = 0;
    r.error = error;
    r.errorString =
        message.isEmpty() ? QStringLiteral("fake network error %1").arg(int(error)) : message;
    return r;
}

FakeResponse FakeResponse::hanging()
{
    FakeResponse r;
    r.hang = true;
    return r;
}

FakeResponse FakeResponse::withHeader(const QByteArray& name, const QByteArray& value) const
{
    FakeResponse r = *this;
    r.headers.removeIf(
        [&name](const auto& h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    r.headers.append({name, value});
    return r;
}

FakeResponse FakeResponse::delayed(int ms) const
{
    FakeResponse r = *this;
    r.delayMs = ms;
    return r;
}

FakeResponse FakeResponse::truncated() const
{
    FakeResponse r = *this;
    r.cutShort = true;
    return r;
}

FakeResponse FakeResponse::garbled() const
{
    FakeResponse r = *this;
    r.body = body.left(body.size() / 2) + "<!-- upstream error -->{\"";
    return r;
}

FakeRule FakeRule::on(const QByteArray& method, const QString& pathGlob)
{
    FakeRule r;
    r.method = method;
    r.pathGlob = pathGlob;
    return r;
}

FakeRule FakeRule::host(const QString& name) const
{
    FakeRule r = *this;
    r.hostName = name;
    return r;
}

FakeRule FakeRule::times(int n) const
{
    FakeRule r = *this;
    r.limit = n;
    return r;
}

FakeRule FakeRule::skip(int n) const
{
    FakeRule r = *this;
    r.skipped = n;
    return r;
}

FakeRule FakeRule::reply(const FakeResponse& response) const
{
    FakeRule r = *this;
    r.fixed = response;
    r.handler = {};
    r.alter = {};
    return r;
}

FakeRule FakeRule::handle(Handler handler) const
{
    FakeRule r = *this;
    r.fixed.reset();
    r.handler = std::move(handler);
    r.alter = {};
    return r;
}

FakeRule FakeRule::altering(Alter alter) const
{
    FakeRule r = *this;
    r.fixed.reset();
    r.handler = {};
    r.alter = std::move(alter);
    return r;
}

FakeRule FakeRule::cutShort() const
{
    return altering([](FakeResponse r) { return r.truncated(); });
}

FakeRule FakeRule::garbled() const
{
    return altering([](FakeResponse r) { return r.garbled(); });
}

FakeRule FakeRule::delayed(int ms) const
{
    return altering([ms](FakeResponse r) { return r.delayed(ms); });
}

bool FakeRule::matches(const QByteArray& m, const QUrl& url) const
{
    if (!method.isEmpty() && method != m)
        return false;
    if (!hostName.isEmpty() && url.host().compare(hostName, Qt::CaseInsensitive) != 0)
        return false;
    return globMatches(pathGlob, url.path());
}

FakeScript::FakeScript()
{
    m_clock.start();
}

int FakeScript::add(const FakeRule& rule)
{
    QMutexLocker lock(&m_mutex);
    m_rules.append(Entry{rule, 0, 0});
    return m_ruleBase + int(m_rules.size()) - 1;
}

int FakeScript::hits(int ruleId) const
{
    QMutexLocker lock(&m_mutex);
    const qsizetype i = ruleId - m_ruleBase;
    return i >= 0 && i < m_rules.size() ? m_rules.at(i).hits : 0;
}

void FakeScript::clearRules()
{
    QMutexLocker lock(&m_mutex);
    m_ruleBase += int(m_rules.size());
    m_rules.clear();
}

void FakeScript::addFallback(Fallback fallback)
{
    QMutexLocker lock(&m_mutex);
    m_fallbacks.append(std::move(fallback));
}

QList<FakeRequest> FakeScript::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

QList<FakeRequest> FakeScript::requests(const QByteArray& method, const QString& pathGlob) const
{
    const FakeRule match = FakeRule::on(method, pathGlob);
    QList<FakeRequest> out;
    QMutexLocker lock(&m_mutex);
    for (const FakeRequest& r : m_requests)
        if (match.matches(r.method, r.url))
            out.append(r);
    return out;
}

int FakeScript::count(const QByteArray& method, const QString& pathGlob) const
{
    return int(requests(method, pathGlob).size());
}

int FakeScript::unanswered() const
{
    QMutexLocker lock(&m_mutex);
    return m_unanswered;
}

void FakeScript::clearRequests()
{
    QMutexLocker lock(&m_mutex);
    m_requests.clear();
    m_unanswered = 0;
}

void FakeScript::ended(int serial, FakeRequest::End end)
{
    QMutexLocker lock(&m_mutex);
    for (qsizetype i = m_requests.size() - 1; i >= 0; --i) {
        if (m_requests.at(i).serial == serial) {
            m_requests[i].end = end;
            return;
        }
    }
}

FakeResponse FakeScript::answer(FakeRequest& request)
{
    std::optional<FakeRule> rule;
    QList<Fallback> fallbacks;
    {
        QMutexLocker lock(&m_mutex);
        request.serial = m_serial++;
        request.atMs = m_clock.elapsed();
        for (qsizetype i = 0; i < m_rules.size(); ++i) {
            Entry& e = m_rules[i];
            if (!e.rule.matches(request.method, request.url))
                continue;
            if (++e.seen <= e.rule.skipped)
                continue;
            if (e.rule.limit >= 0 && e.hits >= e.rule.limit)
                continue;
            ++e.hits;
            rule = e.rule;
            request.rule = m_ruleBase + int(i);
            break;
        }
        fallbacks = m_fallbacks;
        m_requests.append(request);
    }
    // Outside the lock: handlers and fallbacks keep state of their own (and may be slow).
    if (rule && rule->fixed)
        return *rule->fixed;
    if (rule && rule->handler)
        return rule->handler(request);
    std::optional<FakeResponse> out;
    for (const Fallback& f : std::as_const(fallbacks))
        if ((out = f(request)))
            break;
    if (!out) {
        qWarning().noquote() << "FakeScript: nothing answers" << request.method
                             << request.url.toString();
        QMutexLocker lock(&m_mutex);
        ++m_unanswered;
        out =
            FakeResponse::json(404, QByteArray(R"({"error":"no rule or fallback answers this"})"));
    }
    if (rule && rule->alter)
        return rule->alter(*out);
    return *out;
}

} // namespace lockstep::test
