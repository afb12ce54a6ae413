#pragma once
// An in-process network for engine tests: a QNetworkAccessManager whose every request is
// answered from a FakeScript (fakescript.h) by a FakeReply (fakereply.h), asynchronously,
// like a real one. Nothing leaves the process.
//
// The engine makes its access managers in its own thread (EngineContext::Setup::network);
// give it the factory, and keep the script to set up and inspect from the test's thread:
//
//     auto script = std::make_shared<FakeScript>();
//     EngineContext::Setup setup;
//     setup.network = FakeNetwork::factory(script);

#include "fakescript.h"

#include <QNetworkAccessManager>

#include <functional>
#include <memory>

namespace lockstep::test {

class FakeNetwork : public QNetworkAccessManager
{
    Q_OBJECT
public:
    explicit FakeNetwork(std::shared_ptr<FakeScript> script, QObject* parent = nullptr);

    // A NetworkFactory (requestscheduler.h): each call makes a FakeNetwork on `script`, in
    // the calling thread.
    static std::function<QNetworkAccessManager*(QObject*)>
    factory(std::shared_ptr<FakeScript> script);

    const std::shared_ptr<FakeScript>& script() const { return m_script; }

protected:
    QNetworkReply* createRequest(Operation op, const QNetworkRequest& request,
                                 QIODevice* outgoingData) override;

private:
    std::shared_ptr<FakeScript> m_script;
};

} // namespace lockstep::test
