// Tells an open console what another console, the CLI or a runner changed in the
// workspace (mappings, runs, alerts, watched pairs), so it can reload without a restart.
// Lives in the thread of the Workspace connection it watches.
//
// What wakes it: on PostgreSQL a LISTEN on `lockstep_changes` (the triggers of migration
// 4 NOTIFY on commit); on SQLite a cheap poll of PRAGMA data_version, which moves when
// another connection commits. What it reports: the tables whose change_counters row
// (bumped by the same triggers) moved since it last looked, so a burst of writes is
// reported once, and writes already accounted for (markSeen) are not reported at all.
#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace lockstep {

class Workspace;

class ChangeWatcher : public QObject
{
    Q_OBJECT
public:
    // The tables with a change counter (migration 4).
    static const QStringList& watchedTables();

    explicit ChangeWatcher(Workspace& workspace, QObject* parent = nullptr);
    ~ChangeWatcher() override;

    // Takes the current counters as seen and starts listening (PostgreSQL) or polling
    // every `pollMs` (SQLite; PostgreSQL polls every 15 s as well, in case a
    // notification was lost with a dropped connection).
    void start(int pollMs = 1000);
    void stop();
    bool isListening() const { return m_listening; }

    // The caller has just read or written these tables itself (empty: all): their
    // current counters are not news for it.
    void markSeen(const QStringList& tables = {});

Q_SIGNALS:
    // Tables changed by someone else since they were last seen; at most about one
    // emission per coalescing window, however many rows were written.
    void changed(const QStringList& tables);

private:
    void wake();
    void poll();
    void check();
    QHash<QString, qint64> readCounters();

    Workspace& m_ws;
    QHash<QString, qint64> m_seen;
    QTimer m_pollTimer;
    QTimer m_coalesce;
    qint64 m_dataVersion = -1;
    bool m_listening = false;
};

} // namespace lockstep
