// Mapping edits across the seam: MappingService answers them in the engine thread,
// MappingRequests asks for them from the caller's thread (pending.h).
#pragma once

#include "pending.h"
#include "queryworker.h"

#include <QMap>
#include <QString>

namespace lockstep {

class MappingService : public QueryService
{
    Q_OBJECT
public:
    using QueryService::QueryService;

    // Each answers saved(), pausedSet() or removed() with the request's id, or failed().
    void add(RequestId id, const Mapping& m);
    void update(RequestId id, const Mapping& m);
    // A copy with version + 1 and the name's " | v<N>" moved on; the original is kept.
    void duplicateAsNewVersion(RequestId id, qint64 mappingId);
    void setPaused(RequestId id, const QList<qint64>& mappingIds, bool paused);
    void remove(RequestId id, const QList<qint64>& mappingIds);
    // The identity advisor's recommendation: a new version keyed by `key`, the mapping
    // paused (trust/identityadvisor.h). Answers saved() with the new version's id; the
    // paused one is announced under id 0.
    void adoptIdentityKey(RequestId id, qint64 mappingId, IdentityKey key);
    // A mapping's own health thresholds (config/mappingthresholds.h); each answers
    // thresholdsLoaded() with them as stored. Setting them announces saved() (id 0).
    void loadThresholds(RequestId id, qint64 mappingId);
    void setThresholds(RequestId id, qint64 mappingId, const QMap<QString, QString>& overrides);

Q_SIGNALS:
    void saved(lockstep::RequestId id, qint64 mappingId);
    // The mappings paused or resumed. When one fails midway, those changed before it are
    // announced under id 0 and the request fails.
    void pausedSet(lockstep::RequestId id, const QList<qint64>& mappingIds);
    void removed(lockstep::RequestId id, const QList<qint64>& mappingIds);
    void thresholdsLoaded(lockstep::RequestId id, const QMap<QString, QString>& overrides);
};

class MappingRequests : public QObject
{
    Q_OBJECT
public:
    MappingRequests(MappingService* service, RequestRouter* router, QObject* parent = nullptr);

    // The mapping's id.
    Pending<qint64> add(const Mapping& m);
    Pending<qint64> update(const Mapping& m);
    // The new version's id.
    Pending<qint64> duplicateAsNewVersion(qint64 mappingId);
    // The mappings changed.
    Pending<QList<qint64>> setPaused(const QList<qint64>& mappingIds, bool paused);
    Pending<QList<qint64>> remove(const QList<qint64>& mappingIds);
    // The new version's id.
    Pending<qint64> adoptIdentityKey(qint64 mappingId, IdentityKey key);
    // A mapping's own health thresholds, setting name -> canonical text (empty: the
    // workspace's); setting them answers with them as stored.
    Pending<QMap<QString, QString>> thresholds(qint64 mappingId);
    Pending<QMap<QString, QString>> setThresholds(qint64 mappingId,
                                                  const QMap<QString, QString>& overrides);

Q_SIGNALS:
    // Announced after every edit, whoever asked: a mapping was added or changed.
    void saved(qint64 mappingId);
    void removed(const QList<qint64>& mappingIds);

private:
    MappingService* m_service;
    RequestRouter* m_router;
};

} // namespace lockstep
