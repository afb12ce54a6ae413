#pragma once
// Owns the shared state, the two listening ports and the tick timer, and routes every
// request: control endpoints, then faults, limits and the emulated APIs.

#include "controlapi.h"
#include "customerioapi.h"
#include "httpexchange.h"
#include "mixpanelingestapi.h"
#include "mixpanelqueryapi.h"
#include "sandboxstate.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

class QTcpSocket;

namespace lockstep::sandbox {

class SandboxHttpServer;

class Sandbox : public QObject
{
    Q_OBJECT
public:
    enum class Service
    {
        CustomerIo,
        Mixpanel
    };

    explicit Sandbox(Scenario scenario, QObject* parent = nullptr);
    ~Sandbox() override;

    // Seeds the world, then indexes its people for lookups.
    std::optional<ScenarioError> build()
    {
        auto error = m_state.build();
        if (!error)
            m_customerIo.indexPeople();
        return error;
    }
    // Listens on 127.0.0.1; 0 picks a free port. Returns an error message or empty.
    QString listen(quint16 customerIoPort, quint16 mixpanelPort);
    quint16 customerIoPort() const { return m_customerIoPort; }
    quint16 mixpanelPort() const { return m_mixpanelPort; }
    SandboxState& state() { return m_state; }

    // /engage and /import bodies at least this big are parsed and validated on the pool;
    // smaller ones (the Node library's one-update requests, tests) are served inline.
    static constexpr qsizetype kOffloadBytes = 16 * 1024;

private:
    // A connection with an ingestion request on the pool: later requests on it wait, so
    // they are applied and answered in the order they were sent.
    struct Connection
    {
        struct Pending
        {
            Service service;
            HttpRequest request;
            qint64 receivedMs;
        };
        quint64 serial = 0;
        bool busy = false;
        std::deque<Pending> queued;
    };

    void handle(Service service, HttpRequest&& request, QTcpSocket* socket);
    void process(Service service, HttpRequest&& request, QTcpSocket* socket, qint64 now);
    // A request on the pool; everything but the job stays on the main thread.
    struct InFlight
    {
        std::unique_ptr<IngestJob> job;
        QTcpSocket* key = nullptr; // its connection (may be gone by the time it is done)
        QPointer<QTcpSocket> socket;
        bool keepAlive = true;
        LogEntry entry;
        std::optional<FaultRule> fault;
    };

    void offload(InFlight request);
    void complete(quint64 serial);
    void release(QTcpSocket* socket, quint64 serial);
    void deliver(QPointer<QTcpSocket> socket, const HttpReply& reply, bool keepAlive,
                 LogEntry entry, const FaultRule* fault, bool releaseQuerySlot,
                 std::function<void()> done = {});
    HttpReply injected(Service service, const QString& route, const FaultRule& rule) const;
    // The reply with a Date header (RFC 9110), skewed by the scenario's date_skew_seconds.
    HttpReply dated(HttpReply reply) const;

    SandboxState m_state;
    CustomerIoApi m_customerIo;
    MixpanelIngestApi m_ingest;
    MixpanelQueryApi m_query;
    ControlApi m_control;
    SandboxHttpServer* m_customerIoServer = nullptr;
    SandboxHttpServer* m_mixpanelServer = nullptr;
    quint16 m_customerIoPort = 0;
    quint16 m_mixpanelPort = 0;
    QTimer m_tickTimer;
    QList<QPointer<QTcpSocket>> m_hung; // held open by "hang" faults
    QHash<QTcpSocket*, Connection> m_connections;
    std::unordered_map<quint64, InFlight> m_inFlight; // by serial
    quint64 m_nextSerial = 0;
    QThreadPool m_pool; // parses and validates ingestion bodies; touches no shared state
};

} // namespace lockstep::sandbox
