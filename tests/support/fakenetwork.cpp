#include "fakenetwork.h"

#include "fakereply.h"

namespace lockstep::test {

namespace {
QByteArray verbOf(QNetworkAccessManager::Operation op, const QNetworkRequest& request)
{
    switch (op) {
    case QNetworkAccessManager::HeadOperation:
        return "HEAD";
    case QNetworkAccessManager::GetOperation:
        return "GET";
    case QNetworkAccessManager::PutOperation:
        return "PUT";
    case QNetworkAccessManager::PostOperation:
        return "POST";
    case QNetworkAccessManager::DeleteOperation:
        return "DELETE";
    case QNetworkAccessManager::CustomOperation:
        return request.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray();
    case QNetworkAccessManager::UnknownOperation:
        break;
    }
    return "UNKNOWN";
}
} // namespace

FakeNetwork::FakeNetwork(std::shared_ptr<FakeScript> script, QObject* parent)
    : QNetworkAccessManager(parent), m_script(std::move(script))
{}

std::function<QNetworkAccessManager*(QObject*)>
FakeNetwork::factory(std::shared_ptr<FakeScript> script)
{
    return [script](QObject* parent) -> QNetworkAccessManager* {
        return new FakeNetwork(script, parent);
    };
}

QNetworkReply* FakeNetwork::createRequest(Operation op, const QNetworkRequest& request,
                                          QIODevice* outgoingData)
{
    FakeRequest r;
    r.method = verbOf(op, request);
    r.url = request.url();
    for (const QByteArray& name : request.rawHeaderList())
        r.headers.append({name, request.rawHeader(name)});
    if (outgoingData)
        r.body = outgoingData->readAll();
    r.transferTimeoutMs =
        request.transferTimeout() > 0 ? request.transferTimeout() : transferTimeout();
    QNetworkRequest effective = request;
    effective.setTransferTimeout(r.transferTimeoutMs);
    FakeResponse response = m_script->answer(r);
    auto* reply = new FakeReply(op, effective, std::move(response), this);
    // Connected before the caller's own handlers: the record is up to date when they run.
    connect(reply, &QNetworkReply::finished, this,
            [script = m_script, reply, serial = r.serial] { script->ended(serial, reply->end()); });
    return reply;
}

} // namespace lockstep::test
