// "Mapping N is being synced": one holder at a time across every process on a workspace.
// A lock file beside a SQLite workspace, a session advisory lock on PostgreSQL; both go
// away when the holding process dies. A run holds its mapping's lock; applying a mappings
// file takes the locks of the mappings it changes, so a mapping changes between runs only.
#pragma once

#include <QString>

#include <map>
#include <memory>

class QLockFile;

namespace lockstep {

class Workspace;

class MappingLocks
{
public:
    // Locks are taken through `ws` (PostgreSQL: its session holds them).
    explicit MappingLocks(Workspace& ws);
    ~MappingLocks(); // releases what it holds
    MappingLocks(const MappingLocks&) = delete;
    MappingLocks& operator=(const MappingLocks&) = delete;

    // Never waits: false when another holder has it (or it cannot be asked).
    bool tryLock(qint64 mappingId);
    void unlock(qint64 mappingId);
    void unlockAll();
    bool holds(qint64 mappingId) const { return m_held.count(mappingId) > 0; }

private:
    Workspace& m_ws;
    // SQLite: the lock file; PostgreSQL: null (the session holds the lock).
    std::map<qint64, std::unique_ptr<QLockFile>> m_held;
};

} // namespace lockstep
