// What a mappings file is compared with: the workspace's connection, settings, live
// mappings (with their latency expectations), watched pairs and notification channels,
// read in one go.
#pragma once

#include "config/settingkeys.h"
#include "health/notificationchannel.h"
#include "health/watchedpair.h"
#include "mappingsfile.h"
#include "store/records.h"
#include "util/result.h"

#include <QHash>
#include <QList>

namespace lockstep {

class Workspace;

struct WorkspaceState
{
    std::optional<ConnectionSettings> connection;          // absent until `connect`
    QList<std::pair<const SettingKey*, QString>> settings; // every workspace key, in effect
    QList<Mapping> mappings;                               // live ones, by id
    QHash<qint64, int> latencyExpectation;                 // minutes; absent: none
    // Who made the newest stability review with the mapping as it is; absent: nobody.
    QHash<qint64, QString> stabilityReviewer;
    QHash<qint64, ThresholdOverrides> thresholds; // a mapping's own; absent: none
    QList<WatchedPair> pairs;                     // between live mappings
    QList<NotificationChannel> channels;          // live ones, by id

    // Each live mapping's key by its id.
    QHash<qint64, QString> mappingKeys() const;
    const NotificationChannel* channelByKey(const QString& key) const;

    const Mapping* byKey(const QString& key) const;
    const Mapping* byId(qint64 id) const;
    int latencyOf(qint64 id) const { return latencyExpectation.value(id, 0); }
    QString reviewerOf(qint64 id) const { return stabilityReviewer.value(id); }
    ThresholdOverrides thresholdsOf(qint64 id) const { return thresholds.value(id); }
};

// `lockForUpdate`: inside a transaction on PostgreSQL, lock the live mapping and channel rows until
// it ends (an edit elsewhere then waits, and its stale copy is refused afterwards).
Result<WorkspaceState> readWorkspaceState(Workspace& ws, bool lockForUpdate = false);

// The state as a file (`lockstep export`).
MappingsFile mappingsFileFromState(const WorkspaceState& state);

} // namespace lockstep
