// Stores health findings as alerts, deduplicated: while an alert is unresolved, the
// same mapping + rule + subject updates it (message, severity, last seen, count)
// instead of adding a row. Operators acknowledge alerts; evaluations resolve the ones
// whose condition cleared. Every change worth telling (opened, severity raised, resolved)
// queues its notifications in the transaction that makes it (AlertOutbox).
#pragma once

#include "alert.h"
#include "alertoutbox.h"
#include "util/result.h"

#include <QStringList>

#include <vector>

namespace lockstep {

class Clock;
class Workspace;

class AlertStore
{
public:
    AlertStore(Workspace& ws, const Clock& clock) : m_ws(ws), m_clock(clock) {}

    // Creates or updates the unresolved alert for the finding's key; returns its id.
    // An acknowledged alert stays acknowledged unless its severity rises.
    Result<qint64> raise(const HealthFinding& f);
    // Makes the stored alerts for `rules` match `findings`: raises each finding and
    // resolves the unresolved alerts of those rules that no finding repeats.
    // mappingId 0 covers every mapping (for pair rules).
    Status reconcile(qint64 mappingId, const QStringList& rules,
                     const std::vector<HealthFinding>& findings);
    Status resolve(qint64 alertId);
    Status acknowledge(qint64 alertId, const QString& by);

    // Unresolved alerts, most severe and newest first; mappingId 0 = all.
    Result<QList<Alert>> open(qint64 mappingId = 0, bool includeAcknowledged = true);
    // Every alert of a mapping (resolved too), newest first.
    Result<QList<Alert>> history(qint64 mappingId, int limit = 200);
    Result<Alert> get(qint64 alertId);

private:
    Result<qint64> raiseInTransaction(const HealthFinding& f, qint64 nowMs);
    Result<qint64> openId(const HealthFinding& f);
    Status resolveInTransaction(qint64 alertId, qint64 nowMs);
    // Queues the change's notifications (AlertOutbox) in the transaction that made it.
    Status announce(AlertChange change, qint64 alertId, const Alert* before, qint64 nowMs);

    Workspace& m_ws;
    const Clock& m_clock;
};

} // namespace lockstep
