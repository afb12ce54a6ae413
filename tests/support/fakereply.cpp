#include "fakereply.h"

#include <algorithm>
#include <cstring>

namespace lockstep::test {

namespace {
// The error Qt's HTTP reply sets beside an error status (the status stays readable).
QNetworkReply::NetworkError errorForStatus(int status)
{
    switch (status) {
    case 400:
        return QNetworkReply::ProtocolInvalidOperationError;
    case 401:
        return QNetworkReply::AuthenticationRequiredError;
    case 403:
        return QNetworkReply::ContentAccessDenied;
    case 404:
        return QNetworkReply::ContentNotFoundError;
    case 405:
        return QNetworkReply::ContentOperationNotPermittedError;
    case 407:
        return QNetworkReply::ProxyAuthenticationRequiredError;
    case 409:
        return QNetworkReply::ContentConflictError;
    case 410:
        return QNetworkReply::ContentGoneError;
    case 418:
        return QNetworkReply::ProtocolInvalidOperationError;
    case 500:
        return QNetworkReply::InternalServerError;
    case 501:
        return QNetworkReply::OperationNotImplementedError;
    case 503:
        return QNetworkReply::ServiceUnavailableError;
    default:
        if (status >= 500)
            return QNetworkReply::UnknownServerError;
        if (status >= 400)
            return QNetworkReply::UnknownContentError;
        return QNetworkReply::NoError;
    }
}

QByteArray reasonFor(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 413:
        return "Request Entity Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return status < 400 ? "OK" : "Error";
    }
}
} // namespace

FakeReply::FakeReply(QNetworkAccessManager::Operation operation, const QNetworkRequest& request,
                     FakeResponse response, QObject* parent)
    : QNetworkReply(parent), m_response(std::move(response))
{
    setRequest(request);
    setUrl(request.url());
    setOperation(operation);
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    setFinished(false);

    // Qt starts the transfer timeout with the request and restarts it on progress; the
    // fake's answer arrives in one piece, so only the wait before it can run out.
    const int timeoutMs = request.transferTimeout();
    if (timeoutMs > 0) {
        m_timeout.setSingleShot(true);
        connect(&m_timeout, &QTimer::timeout, this, [this] {
            // What Qt 6's reply does on its transfer timeout: abort().
            fail(QNetworkReply::OperationCanceledError, QStringLiteral("Operation canceled"),
                 FakeRequest::End::TimedOut);
        });
        m_timeout.start(timeoutMs);
    }
    if (!m_response.hang) {
        // Always from the event loop, even without a delay: callers connect after get().
        m_arrival.setSingleShot(true);
        connect(&m_arrival, &QTimer::timeout, this, &FakeReply::deliver);
        m_arrival.start(std::max(0, m_response.delayMs));
    }
}

void FakeReply::deliver()
{
    if (isFinished())
        return;
    m_timeout.stop();
    if (m_response.error != QNetworkReply::NoError)
        return fail(m_response.error, m_response.errorString, FakeRequest::End::Failed);

    setAttribute(QNetworkRequest::HttpStatusCodeAttribute, m_response.status);
    setAttribute(QNetworkRequest::HttpReasonPhraseAttribute, reasonFor(m_response.status));
    for (const auto& [name, value] : m_response.headers)
        setRawHeader(name, value);
    setRawHeader("Content-Length", QByteArray::number(m_response.body.size()));
    m_data =
        m_response.cutShort ? m_response.body.left(m_response.body.size() / 2) : m_response.body;
    Q_EMIT metaDataChanged();
    if (!m_data.isEmpty()) {
        Q_EMIT downloadProgress(m_data.size(), m_response.body.size());
        Q_EMIT readyRead();
    }
    if (isFinished()) // a receiver aborted it
        return;
    if (m_response.cutShort)
        return fail(QNetworkReply::RemoteHostClosedError, QStringLiteral("Connection closed"),
                    FakeRequest::End::Answered);
    if (const auto e = errorForStatus(m_response.status); e != QNetworkReply::NoError) {
        setError(e, QStringLiteral("Error transferring %1 - server replied: %2")
                        .arg(url().toString(), QString::fromLatin1(reasonFor(m_response.status))));
        Q_EMIT errorOccurred(e);
    }
    finish(FakeRequest::End::Answered);
}

void FakeReply::fail(QNetworkReply::NetworkError error, const QString& message,
                     FakeRequest::End how)
{
    if (isFinished())
        return;
    setError(error, message);
    Q_EMIT errorOccurred(error);
    finish(how);
}

void FakeReply::finish(FakeRequest::End how)
{
    if (isFinished())
        return;
    m_end = how;
    m_arrival.stop();
    m_timeout.stop();
    setFinished(true);
    Q_EMIT readChannelFinished();
    Q_EMIT finished();
}

void FakeReply::abort()
{
    if (isFinished())
        return;
    fail(QNetworkReply::OperationCanceledError, QStringLiteral("Operation canceled"),
         FakeRequest::End::Aborted);
}

qint64 FakeReply::bytesAvailable() const
{
    return m_data.size() - m_read + QNetworkReply::bytesAvailable();
}

qint64 FakeReply::readData(char* data, qint64 maxSize)
{
    const qint64 n = std::min(maxSize, qint64(m_data.size()) - m_read);
    if (n <= 0)
        return isFinished() ? -1 : 0;
    std::memcpy(data, m_data.constData() + m_read, size_t(n));
    m_read += n;
    return n;
}

} // namespace lockstep::test
