#include "fakenetwork.h"

#include "fakereply.h"

namespace lockstep::test {

namespace {
QByteArray verbOf(QNetworkAccessManager::Operation op, const QNetworkRequest& request)
{
    switch (op) {
    case QNetworkAccessManager::HeadOperation: return "HEAD";
    case QNetworkAccessManager::GetOperation: return "GET";
    case QNetworkAccessManager::PutOperation: return "PUT";
    case QNetworkAccessManager::PostOperation: return "POST";
    case QNetworkAccessManager::DeleteOperation: return "DELETE";
    case QNetworkAccessManager::CustomOperation:
        return request.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray();
    case QNetworkAccessManager::UnknownOperation: break;
    }
    return "UNKNOWN";
}
} // namespace

FakeNetwork::FakeNetwork(std::shared_ptr<FakeScript> script, QObject* parent)
    : QNetworkAccessManager(parent), m_script(std::move(script))
{
}

std::function<QNetworkAccessManager*(QObject*)> FakeNetwork::factory(std::shared_ptr<FakeScript> script)
{
    return [script](QObject* parent) -> QNetworkAccessManager* { return new FakeNetwork(script, parent); };
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
    r.transferTimeoutMs = request.transferTimeout() > 0 ? request.transferTimeout() : transferTimeout();
    QNetworkRequest effective = request;
    effective.setTransferTimeout(r.transferTimeoutMs);
    return new FakeReply(op, effective, m_script->answer(std::move(r)), this);
}

} // namespace lockstep::test
