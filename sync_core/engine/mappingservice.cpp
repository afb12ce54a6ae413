#include "mappingservice.h"

#include "config/mappingthresholds.h"
#include "health/healthrules.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/identityadvisor.h"

namespace lockstep {

void MappingService::add(RequestId id, const Mapping& m)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto added = MappingRepository(*ws).add(m);
    if (!added) {
        Q_EMIT failed(id, added.error());
        return;
    }
    Q_EMIT saved(id, *added);
}

void MappingService::update(RequestId id, const Mapping& m)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    Mapping edited = m;
    if (auto st = MappingRepository(*ws).update(edited); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    Q_EMIT saved(id, m.id);
}

void MappingService::duplicateAsNewVersion(RequestId id, qint64 mappingId)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    MappingRepository repo(*ws);
    auto m = repo.get(mappingId);
    if (!m) {
        Q_EMIT failed(id, m.error());
        return;
    }
    Mapping copy = *m;
    copy.key.clear(); // a key of its own, made from its new name (keys are unique)
    copy.cohortName = nextCohortVersionName(m->cohortName, m->version);
    copy.version = m->version + 1;
    // The new version starts paused only if the old one was; the old one stays as is so
    // the operator decides when to retire it.
    // The same cohort, so the same thresholds of its own.
    Result<qint64> added = SyncError{};
    const Status st = ws->transaction([&]() -> Status {
        added = repo.add(copy);
        if (!added)
            return added.error();
        MappingThresholdsRepository thresholds(*ws);
        auto own = thresholds.get(mappingId);
        if (!own)
            return own.error();
        return own->isEmpty() ? Status{} : thresholds.set(*added, *own);
    });
    if (!st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    Q_EMIT saved(id, *added);
}

void MappingService::setPaused(RequestId id, const QList<qint64>& mappingIds, bool paused)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    MappingRepository repo(*ws);
    QList<qint64> done;
    for (qint64 mappingId : mappingIds) {
        auto m = repo.get(mappingId);
        Status st = m ? Status() : Status(m.error());
        if (m) {
            m->paused = paused;
            st = repo.update(*m);
        }
        if (!st) {
            if (!done.isEmpty())
                Q_EMIT pausedSet(0, done);
            Q_EMIT failed(id, st.error());
            return;
        }
        done.append(mappingId);
    }
    Q_EMIT pausedSet(id, done);
}

void MappingService::remove(RequestId id, const QList<qint64>& mappingIds)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    MappingRepository repo(*ws);
    for (qint64 mappingId : mappingIds)
        if (auto st = repo.remove(mappingId); !st) {
            Q_EMIT failed(id, st.error());
            return;
        }
    Q_EMIT removed(id, mappingIds);
}

void MappingService::adoptIdentityKey(RequestId id, qint64 mappingId, IdentityKey key)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto added = lockstep::adoptIdentityKey(*ws, mappingId, key);
    if (!added) {
        Q_EMIT failed(id, added.error());
        return;
    }
    Q_EMIT saved(0, mappingId);
    Q_EMIT saved(id, *added);
}

void MappingService::loadThresholds(RequestId id, qint64 mappingId)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto own = MappingThresholdsRepository(*ws).get(mappingId);
    if (!own) {
        Q_EMIT failed(id, own.error());
        return;
    }
    Q_EMIT thresholdsLoaded(id, *own);
}

void MappingService::setThresholds(RequestId id, qint64 mappingId,
                                   const QMap<QString, QString>& overrides)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    if (auto st = MappingThresholdsRepository(*ws).set(mappingId, overrides); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    loadThresholds(id, mappingId);
    Q_EMIT saved(0, mappingId);
}

MappingRequests::MappingRequests(MappingService* service, RequestRouter* router, QObject* parent)
    : QObject(parent), m_service(service), m_router(router)
{
    connect(service, &QueryService::failed, router, &RequestRouter::fail);
    answerFrom(router, service, &MappingService::saved, this,
               [this](qint64 mappingId) { Q_EMIT saved(mappingId); });
    answerFrom(router, service, &MappingService::pausedSet, this, [this](const QList<qint64>& ids) {
        for (qint64 mappingId : ids)
            Q_EMIT saved(mappingId);
    });
    answerFrom(router, service, &MappingService::removed, this,
               [this](const QList<qint64>& ids) { Q_EMIT removed(ids); });
    answerFrom(router, service, &MappingService::thresholdsLoaded);
}

Pending<QMap<QString, QString>> MappingRequests::thresholds(qint64 mappingId)
{
    return ask<QMap<QString, QString>>(
        m_router, m_service,
        [mappingId](MappingService* s, RequestId id) { s->loadThresholds(id, mappingId); });
}

Pending<QMap<QString, QString>>
MappingRequests::setThresholds(qint64 mappingId, const QMap<QString, QString>& overrides)
{
    return ask<QMap<QString, QString>>(m_router, m_service,
                                       [mappingId, overrides](MappingService* s, RequestId id) {
                                           s->setThresholds(id, mappingId, overrides);
                                       });
}

Pending<qint64> MappingRequests::add(const Mapping& m)
{
    return ask<qint64>(m_router, m_service,
                       [m](MappingService* s, RequestId id) { s->add(id, m); });
}

Pending<qint64> MappingRequests::update(const Mapping& m)
{
    return ask<qint64>(m_router, m_service,
                       [m](MappingService* s, RequestId id) { s->update(id, m); });
}

Pending<qint64> MappingRequests::duplicateAsNewVersion(qint64 mappingId)
{
    return ask<qint64>(m_router, m_service, [mappingId](MappingService* s, RequestId id) {
        s->duplicateAsNewVersion(id, mappingId);
    });
}

Pending<QList<qint64>> MappingRequests::setPaused(const QList<qint64>& mappingIds, bool paused)
{
    return ask<QList<qint64>>(m_router, m_service,
                              [mappingIds, paused](MappingService* s, RequestId id) {
                                  s->setPaused(id, mappingIds, paused);
                              });
}

Pending<QList<qint64>> MappingRequests::remove(const QList<qint64>& mappingIds)
{
    return ask<QList<qint64>>(m_router, m_service, [mappingIds](MappingService* s, RequestId id) {
        s->remove(id, mappingIds);
    });
}

Pending<qint64> MappingRequests::adoptIdentityKey(qint64 mappingId, IdentityKey key)
{
    return ask<qint64>(m_router, m_service, [mappingId, key](MappingService* s, RequestId id) {
        s->adoptIdentityKey(id, mappingId, key);
    });
}

} // namespace lockstep
