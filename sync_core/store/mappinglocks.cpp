#include "mappinglocks.h"

#include "workspace.h"

#include "util/privatefiles.h"

#include <QDebug>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>

namespace lockstep {

namespace {
// Advisory lock class for "mapping N is being synced" (two-key form, own key space).
constexpr int kMappingLockClass = 0x4c6b0001;
} // namespace

MappingLocks::MappingLocks(Workspace& ws) : m_ws(ws) {}

MappingLocks::~MappingLocks()
{
    unlockAll();
}

bool MappingLocks::tryLock(qint64 mappingId)
{
    if (holds(mappingId))
        return true;
    if (m_ws.dialect() == Workspace::Dialect::Postgres) {
        QSqlQuery q = m_ws.query(QStringLiteral("SELECT pg_try_advisory_lock(?, ?)"));
        q.addBindValue(kMappingLockClass);
        q.addBindValue(int(mappingId));
        if (!Workspace::exec(q, "cannot take the mapping lock").ok() || !q.next() ||
            !q.value(0).toBool())
            return false;
        m_held[mappingId] = nullptr;
        return true;
    }
    // Beside the workspace file, however the process named it. The lock files name the
    // process and host; the folder is the owner's only, like the workspace beside it (an
    // older Lockstep made it 0755: it is Lockstep's own).
    const QString base = QFileInfo(m_ws.location()).absoluteFilePath();
    const QString folder = base + QStringLiteral(".locks");
    if (Status st = makePrivateFolder(folder); !st)
        qWarning().noquote() << "lockstep:" << st.error().message;
    else
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    auto lock = std::make_unique<QLockFile>(
        QStringLiteral("%1.locks/mapping-%2.lock").arg(base, QString::number(mappingId)));
    lock->setStaleLockTime(0); // only a dead process's lock is stale
    if (!lock->tryLock(0))
        return false;
    m_held[mappingId] = std::move(lock);
    return true;
}

void MappingLocks::unlock(qint64 mappingId)
{
    const auto it = m_held.find(mappingId);
    if (it == m_held.end())
        return;
    if (m_ws.dialect() == Workspace::Dialect::Postgres) {
        QSqlQuery q = m_ws.query(QStringLiteral("SELECT pg_advisory_unlock(?, ?)"));
        q.addBindValue(kMappingLockClass);
        q.addBindValue(int(mappingId));
        (void)Workspace::exec(q, "cannot release the mapping lock");
    }
    m_held.erase(it);
}

void MappingLocks::unlockAll()
{
    while (!m_held.empty())
        unlock(m_held.begin()->first);
}

} // namespace lockstep
