#include "changewatcher.h"

#include "workspace.h"

#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace lockstep {

namespace {
const QString kChannel = QStringLiteral("lockstep_changes");
// Notifications that arrive together (one runner's run touches runs, mappings and
// alerts in a few commits) become one report.
constexpr int kCoalesceMs = 250;
constexpr int kPostgresSafetyPollMs = 15000;
} // namespace

const QStringList& ChangeWatcher::watchedTables()
{
    static const QStringList tables{QStringLiteral("mappings"), QStringLiteral("runs"),
                                    QStringLiteral("alerts"), QStringLiteral("watched_pairs")};
    return tables;
}

ChangeWatcher::ChangeWatcher(Workspace& workspace, QObject* parent)
    : QObject(parent), m_ws(workspace)
{
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &ChangeWatcher::check);
    connect(&m_pollTimer, &QTimer::timeout, this, &ChangeWatcher::poll);
}

ChangeWatcher::~ChangeWatcher()
{
    stop();
}

void ChangeWatcher::start(int pollMs)
{
    m_seen = readCounters();
    if (m_ws.dialect() == Workspace::Dialect::Postgres) {
        QSqlDriver* driver = m_ws.db().driver();
        m_listening = driver->subscribeToNotification(kChannel);
        if (m_listening) {
            connect(driver, &QSqlDriver::notification, this,
                    [this](const QString& name, QSqlDriver::NotificationSource source,
                           const QVariant&) {
                        // Our own connection's writes are the caller's to account for.
                        if (name == kChannel && source != QSqlDriver::SelfSource)
                            wake();
                    });
        } else {
            qCWarning(lcStore) << "cannot LISTEN for workspace changes, polling instead:"
                               << driver->lastError().text();
        }
        m_pollTimer.start(m_listening ? kPostgresSafetyPollMs : pollMs);
    } else {
        m_dataVersion = -1;
        poll(); // reads the current data_version as the baseline
        m_pollTimer.start(pollMs);
    }
}

void ChangeWatcher::stop()
{
    m_pollTimer.stop();
    m_coalesce.stop();
    if (m_listening) {
        QSqlDriver* driver = m_ws.db().driver();
        disconnect(driver, &QSqlDriver::notification, this, nullptr);
        driver->unsubscribeFromNotification(kChannel);
        m_listening = false;
    }
}

void ChangeWatcher::markSeen(const QStringList& tables)
{
    const QHash<QString, qint64> now = readCounters();
    for (auto it = now.begin(); it != now.end(); ++it)
        if (tables.isEmpty() || tables.contains(it.key()))
            m_seen.insert(it.key(), it.value());
}

void ChangeWatcher::wake()
{
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void ChangeWatcher::poll()
{
    if (m_ws.dialect() == Workspace::Dialect::Postgres) {
        check();
        return;
    }
    // Our connection's own commits do not move data_version: only other connections'.
    qint64 version = -1;
    {
        QSqlQuery q(m_ws.db());
        if (q.exec(QStringLiteral("PRAGMA data_version")) && q.next())
            version = q.value(0).toLongLong();
    } // the statement is done before anything else reads (no read transaction kept open)
    if (version < 0 || version == m_dataVersion)
        return;
    const bool first = m_dataVersion < 0;
    m_dataVersion = version;
    if (!first)
        check();
}

void ChangeWatcher::check()
{
    const QHash<QString, qint64> now = readCounters();
    QStringList tables;
    for (const QString& t : watchedTables()) {
        const auto it = now.constFind(t);
        if (it == now.constEnd())
            continue;
        if (it.value() != m_seen.value(t, -1))
            tables << t;
        m_seen.insert(t, it.value());
    }
    if (tables.isEmpty())
        return;
    qCDebug(lcStore) << "changed elsewhere:" << tables;
    Q_EMIT changed(tables);
}

QHash<QString, qint64> ChangeWatcher::readCounters()
{
    QHash<QString, qint64> counters;
    QSqlQuery q(m_ws.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT tbl, seq FROM change_counters"))) {
        qCDebug(lcStore) << "cannot read change counters:" << q.lastError().text();
        return counters;
    }
    while (q.next())
        counters.insert(q.value(0).toString(), q.value(1).toLongLong());
    return counters;
}

} // namespace lockstep
