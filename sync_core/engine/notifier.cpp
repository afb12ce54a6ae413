#include "notifier.h"

#include "enginecontext.h"

namespace lockstep {

Notifier::Notifier(const EngineContext& context, const QString& location,
                   std::shared_ptr<SecretBook> secrets, QObject* parent)
    : QObject(parent), m_context(context),
      m_secrets(secrets ? std::move(secrets) : std::make_shared<SecretBook>())
{
    qRegisterMetaType<lockstep::OutboxDelivery>();
    qRegisterMetaType<lockstep::NotificationChannel>();
    qRegisterMetaType<QList<lockstep::NotificationChannel>>();
    qRegisterMetaType<QList<lockstep::OutboxDelivery>>();
    qRegisterMetaType<lockstep::SyncError>();
    m_thread.setObjectName(QStringLiteral("lockstep-notify"));
    m_deliverer = new NotificationDeliverer(location, context.network(), context.clock(),
                                            context.options().notify, m_secrets);
    m_deliverer->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_deliverer, &QObject::deleteLater);
    connect(m_deliverer, &NotificationDeliverer::drained, this, &Notifier::drained);
    connect(m_deliverer, &NotificationDeliverer::recorded, this, &Notifier::recorded);
}

Notifier::~Notifier()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(m_deliverer, &NotificationDeliverer::shutdown,
                                  Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_deliverer;
    }
}

void Notifier::start()
{
    if (m_thread.isRunning())
        return;
    m_thread.start();
    QMetaObject::invokeMethod(m_deliverer, &NotificationDeliverer::open, Qt::QueuedConnection);
}

void Notifier::deliverNow()
{
    QMetaObject::invokeMethod(m_deliverer, &NotificationDeliverer::poll, Qt::QueuedConnection);
}

void Notifier::waitForDelivery(qint64 sinceMs, int timeoutMs)
{
    const qint64 deadline = m_context.clock()->nowMs() + timeoutMs;
    QMetaObject::invokeMethod(
        m_deliverer, [d = m_deliverer, sinceMs, deadline] { d->drain(sinceMs, deadline); },
        Qt::QueuedConnection);
}

void Notifier::testChannel(qint64 channelId, QObject* context,
                           std::function<void(bool, int, const QString&)> done)
{
    const qint64 id = m_nextRequest++;
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(m_deliverer, &NotificationDeliverer::testAnswered, context,
                    [id, conn, done](qint64 requestId, bool ok, int status, const QString& answer) {
                        if (requestId != id)
                            return;
                        QObject::disconnect(*conn);
                        done(ok, status, answer);
                    });
    QMetaObject::invokeMethod(
        m_deliverer, [d = m_deliverer, id, channelId] { d->testChannel(id, channelId); },
        Qt::QueuedConnection);
}

} // namespace lockstep

namespace lockstep {

void Notifier::listChannels(
    QObject* context, int deliveriesPerChannel,
    std::function<void(const QList<NotificationChannel>&, const QList<OutboxDelivery>&)> done)
{
    const qint64 id = m_nextRequest++;
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(m_deliverer, &NotificationDeliverer::channelsListed, context,
                    [id, conn, done](qint64 requestId, const QList<NotificationChannel>& channels,
                                     const QList<OutboxDelivery>& deliveries) {
                        if (requestId != id)
                            return;
                        QObject::disconnect(*conn);
                        done(channels, deliveries);
                    });
    QMetaObject::invokeMethod(
        m_deliverer,
        [d = m_deliverer, id, deliveriesPerChannel] { d->listChannels(id, deliveriesPerChannel); },
        Qt::QueuedConnection);
}

qint64 Notifier::awaitSaved(QObject* context, std::function<void(qint64, const QString&)> done)
{
    const qint64 id = m_nextRequest++;
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(m_deliverer, &NotificationDeliverer::channelSaved, context,
                    [id, conn, done](qint64 requestId, qint64 channelId, const QString& error) {
                        if (requestId != id)
                            return;
                        QObject::disconnect(*conn);
                        done(channelId, error);
                    });
    return id;
}

void Notifier::saveChannel(const NotificationChannel& channel, QObject* context,
                           std::function<void(qint64, const QString&)> done)
{
    const qint64 id = awaitSaved(context, std::move(done));
    QMetaObject::invokeMethod(
        m_deliverer, [d = m_deliverer, id, channel] { d->saveChannel(id, channel); },
        Qt::QueuedConnection);
}

void Notifier::removeChannel(qint64 channelId, QObject* context,
                             std::function<void(qint64, const QString&)> done)
{
    const qint64 id = awaitSaved(context, std::move(done));
    QMetaObject::invokeMethod(
        m_deliverer, [d = m_deliverer, id, channelId] { d->removeChannel(id, channelId); },
        Qt::QueuedConnection);
}

} // namespace lockstep
