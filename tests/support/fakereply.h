#pragma once
// A QNetworkReply that plays one FakeResponse the way Qt's HTTP reply would: nothing
// happens inside the call that made it; the answer arrives from the event loop (after
// its delay); the request's transfer timeout ends it with OperationCanceledError, and
// abort() ends it at once, emitting finished() inside the call, as Qt 6 does.

#include "fakescript.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace lockstep::test {

class FakeReply : public QNetworkReply
{
    Q_OBJECT
public:
    FakeReply(QNetworkAccessManager::Operation operation, const QNetworkRequest& request,
              FakeResponse response, QObject* parent);

    FakeRequest::End end() const { return m_end; }

    void abort() override;
    qint64 bytesAvailable() const override;
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char* data, qint64 maxSize) override;

private:
    void deliver();
    void fail(QNetworkReply::NetworkError error, const QString& message, FakeRequest::End how);
    void finish(FakeRequest::End how);

    FakeResponse m_response;
    QByteArray m_data;
    qint64 m_read = 0;
    FakeRequest::End m_end = FakeRequest::End::Open;
    QTimer m_arrival;
    QTimer m_timeout;
};

} // namespace lockstep::test
