#include "sandbox.h"

#include "hostguard.h"
#include "replywriter.h"
#include "sandboxhttpserver.h"

#include <QDateTime>
#include <QLocale>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace lockstep::sandbox {

Sandbox::Sandbox(Scenario scenario, QObject* parent)
    : QObject(parent), m_state(std::move(scenario)), m_customerIo(m_state), m_ingest(m_state),
      m_query(m_state), m_control(m_state)
{
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    if (m_state.scenario.tickIntervalMs > 0) {
        m_tickTimer.setInterval(m_state.scenario.tickIntervalMs);
        connect(&m_tickTimer, &QTimer::timeout, this, [this] { m_state.tick(); });
        m_tickTimer.start();
    }
}

Sandbox::~Sandbox()
{
    m_pool.waitForDone(); // their replies, queued to this object, die with it
    for (const auto& socket : std::as_const(m_hung)) {
        if (socket)
            socket->abort();
    }
}

QString Sandbox::listen(quint16 customerIoPort, quint16 mixpanelPort)
{
    auto start = [this](Service service, quint16 port, SandboxHttpServer*& server,
                        quint16& bound) -> QString {
        server = new SandboxHttpServer(
            [this, service](HttpRequest&& request, QTcpSocket* socket) {
                handle(service, std::move(request), socket);
            },
            this);
        bound = server->listen(QHostAddress::LocalHost, port);
        if (bound == 0)
            return QStringLiteral("cannot listen on 127.0.0.1:%1").arg(port);
        return {};
    };
    QString err = start(Service::CustomerIo, customerIoPort, m_customerIoServer, m_customerIoPort);
    if (err.isEmpty())
        err = start(Service::Mixpanel, mixpanelPort, m_mixpanelServer, m_mixpanelPort);
    return err;
}

HttpReply Sandbox::injected(Service service, const QString& route, const FaultRule& rule) const
{
    HttpReply reply;
    const QString detail = QStringLiteral("injected fault: HTTP %1").arg(rule.status);
    if (rule.body) {
        reply = HttpReply::json(rule.status, *rule.body);
    } else if (service == Service::CustomerIo) {
        reply = CustomerIoApi::error(
            rule.status,
            rule.status == 429
                ? QStringLiteral("rate limited to 10 requests per 1s (reference sbx-fault)")
                : detail);
    } else if (route == QStringLiteral("mp.import") ||
               (rule.status == 429 && !route.startsWith(QStringLiteral("mp.query")))) {
        QByteArray body = "{\"code\":" + QByteArray::number(rule.status) + ",\"error\":";
        body.append(
            rule.status == 429
                ? QByteArray("\"Project exceeded rate limits. Please retry the request with "
                             "exponential backoff.\"")
                : "\"" + detail.toUtf8() + "\"");
        body.append(",\"status\":\"" + reasonPhrase(rule.status) + "\"}");
        reply = HttpReply::json(rule.status, body);
    } else {
        reply = MixpanelQueryApi::error(rule.status, detail);
    }
    if (rule.retryAfter >= 0)
        reply.withHeader("Retry-After", QByteArray::number(rule.retryAfter));
    return reply;
}

HttpReply Sandbox::dated(HttpReply reply) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(m_state.scenario.dateSkewSeconds);
    reply.withHeader(
        "Date",
        QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1());
    return reply;
}

void Sandbox::handle(Service service, HttpRequest&& request, QTcpSocket* socket)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (const auto c = m_connections.find(socket); c != m_connections.end() && c->busy) {
        c->queued.push_back({service, std::move(request), now});
        return;
    }
    process(service, std::move(request), socket, now);
}

void Sandbox::process(Service service, HttpRequest&& request, QTcpSocket* socket, qint64 now)
{
    const bool keepAlive = request.header("Connection").toLower() != "close";
    QPointer<QTcpSocket> guarded(socket);

    const bool control = ControlApi::owns(request);
    if (const QString why = refusal(request, socket->localPort(), control); !why.isEmpty()) {
        // 403 with the vendor's error shape, so a client shows the reason.
        const HttpReply refused = control || service == Service::Mixpanel
                                      ? MixpanelQueryApi::error(403, why)
                                      : CustomerIoApi::error(403, why);
        replywriter::write(socket, dated(refused), false);
        return;
    }
    if (control) {
        replywriter::write(socket, dated(m_control.handle(request)), keepAlive);
        return;
    }

    QString route = service == Service::CustomerIo ? CustomerIoApi::routeOf(request)
                                                   : MixpanelIngestApi::routeOf(request);
    if (route.isEmpty() && service == Service::Mixpanel)
        route = MixpanelQueryApi::routeOf(request);
    if (route.isEmpty())
        route = WebhookInbox::routeOf(request);
    LogEntry entry{now,
                   0,
                   request.method,
                   request.header("Host"),
                   request.path,
                   route.isEmpty() ? QStringLiteral("unknown") : route,
                   0,
                   0,
                   {}};
    if (route.isEmpty()) {
        const HttpReply reply =
            service == Service::CustomerIo
                ? CustomerIoApi::error(404,
                                       QStringLiteral("no such endpoint: %1").arg(request.path))
                : MixpanelQueryApi::error(404,
                                          QStringLiteral("no such endpoint: %1").arg(request.path));
        deliver(guarded, reply, keepAlive, entry, nullptr, false);
        return;
    }

    const FaultDecision fault = m_state.faults.decide(route, now);
    if (fault.any && (fault.rule.reset || fault.rule.hang)) {
        entry.fault = fault.rule.reset ? QStringLiteral("reset") : QStringLiteral("hang");
        auto act = [this, guarded, entry, hang = fault.rule.hang]() mutable {
            entry.durationMs = QDateTime::currentMSecsSinceEpoch() - entry.timeMs;
            m_state.log.record(entry);
            if (hang)
                m_hung.append(guarded); // never answered; closed when the client gives up
            else
                replywriter::reset(guarded);
        };
        if (fault.rule.latencyMs > 0)
            QTimer::singleShot(fault.rule.latencyMs, this, act);
        else
            act();
        return;
    }
    if (fault.any && fault.rule.status) {
        entry.fault = QStringLiteral("status");
        deliver(guarded, injected(service, route, fault.rule), keepAlive, entry, &fault.rule,
                false);
        return;
    }

    HttpReply reply;
    bool releaseSlot = false;
    if (route.startsWith(QStringLiteral("hook."))) {
        reply = m_state.webhooks.receive(route, request, now);
    } else if (route.startsWith(QStringLiteral("cio."))) {
        reply = m_customerIo.handle(route, request, now);
    } else if (route.startsWith(QStringLiteral("mp.query."))) {
        if (auto refused = m_query.admit(request, now, releaseSlot))
            reply = *refused;
        else
            reply = m_query.handle(route, request);
    } else {
        std::unique_ptr<IngestJob> job = m_ingest.prepare(route, std::move(request));
        if (job->request.body.size() >= kOffloadBytes) {
            offload({std::move(job), socket, guarded, keepAlive, entry,
                     fault.any ? std::optional(fault.rule) : std::nullopt});
            return;
        }
        MixpanelIngestApi::run(*job);
        reply = m_ingest.commit(*job);
    }
    entry.updates = reply.updates;
    deliver(guarded, reply, keepAlive, entry, fault.any ? &fault.rule : nullptr, releaseSlot);
}

void Sandbox::offload(InFlight request)
{
    QTcpSocket* socket = request.key;
    auto c = m_connections.find(socket);
    if (c == m_connections.end()) {
        c = m_connections.insert(socket, Connection{});
        connect(socket, &QObject::destroyed, this,
                [this, socket] { m_connections.remove(socket); });
    }
    const quint64 serial = ++m_nextSerial;
    c->serial = serial;
    c->busy = true;
    IngestJob* job = request.job.get();
    m_inFlight.emplace(serial, std::move(request));
    // The worker gets the job alone (owned here until complete()) and hands back the serial.
    m_pool.start([this, job, serial] {
        MixpanelIngestApi::run(*job); // decode, parse, validate: no shared state
        QMetaObject::invokeMethod(
            this, [this, serial] { complete(serial); }, Qt::QueuedConnection);
    });
}

void Sandbox::complete(quint64 serial)
{
    auto it = m_inFlight.find(serial);
    if (it == m_inFlight.end())
        return;
    InFlight done = std::move(it->second);
    m_inFlight.erase(it);
    // Back on the main thread, the stores' only writer. A client that went away still had
    // its request applied and logged, as with an inline one.
    const HttpReply reply = m_ingest.commit(*done.job);
    done.entry.updates = reply.updates;
    deliver(done.socket, reply, done.keepAlive, done.entry, done.fault ? &*done.fault : nullptr,
            false, [this, socket = done.key, serial] { release(socket, serial); });
}

void Sandbox::release(QTcpSocket* socket, quint64 serial)
{
    auto c = m_connections.find(socket);
    if (c == m_connections.end() || c->serial != serial)
        return; // the socket is gone (and the address may be reused)
    c->busy = false;
    // Serve what arrived on this connection meanwhile, until one goes to the pool again.
    while (c != m_connections.end() && !c->busy && !c->queued.empty()) {
        Connection::Pending next = std::move(c->queued.front());
        c->queued.pop_front();
        process(next.service, std::move(next.request), socket, next.receivedMs);
        c = m_connections.find(socket);
    }
}

void Sandbox::deliver(QPointer<QTcpSocket> socket, const HttpReply& reply, bool keepAlive,
                      LogEntry entry, const FaultRule* fault, bool releaseQuerySlot,
                      std::function<void()> done)
{
    const bool truncate = fault && fault->truncate;
    const bool malformed = fault && fault->malformed;
    if (fault && entry.fault.isEmpty())
        entry.fault = truncate    ? QStringLiteral("truncate")
                      : malformed ? QStringLiteral("malformed")
                                  : QStringLiteral("latency");
    auto send = [this, socket, reply = HttpReply(reply), keepAlive, entry, truncate, malformed,
                 releaseQuerySlot, done = std::move(done)]() mutable {
        reply = dated(std::move(reply)); // stamped when sent, after any latency
        if (releaseQuerySlot)
            m_state.queryBudget.finished();
        entry.status = reply.status;
        entry.durationMs = QDateTime::currentMSecsSinceEpoch() - entry.timeMs;
        m_state.log.record(entry);
        if (truncate) {
            replywriter::writeTruncated(socket, reply);
        } else if (malformed) {
            // Same status, but the JSON is cut short and followed by junk.
            HttpReply broken = reply;
            broken.body = reply.body.left(reply.body.size() / 2) + "<!-- upstream error -->{\"";
            replywriter::write(socket, broken, keepAlive);
        } else {
            replywriter::write(socket, reply, keepAlive);
        }
        if (done)
            done();
    };
    if (fault && fault->latencyMs > 0)
        QTimer::singleShot(fault->latencyMs, this, send);
    else
        send();
}

} // namespace lockstep::sandbox
