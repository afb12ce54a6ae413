// A stored health alert: one episode of a rule firing for a mapping (or a pair of
// mappings), from first seen to resolved, possibly acknowledged on the way.
#pragma once

#include "healthfinding.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace lockstep {

struct Alert
{
    qint64 id = 0;
    qint64 mappingId = 0;
    QString rule;
    QString subject;
    AlertSeverity severity = AlertSeverity::Warning;
    QString message;
    double value = 0;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    int occurrences = 1;         // evaluations that found it since it was raised
    qint64 acknowledgedAtMs = 0; // 0 = not acknowledged
    QString acknowledgedBy;
    qint64 resolvedAtMs = 0; // 0 = still open

    bool isOpen() const { return resolvedAtMs == 0; }
    bool isAcknowledged() const { return acknowledgedAtMs != 0; }
};

// The shape `lockstep status --json` prints (snake_case keys, times in Unix ms).
QJsonObject alertToJson(const Alert& a);
QJsonArray alertsToJson(const QList<Alert>& alerts);

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::Alert)
