#include "workspacestate.h"

#include "config/settings.h"
#include "health/watchedpairrepository.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/truststore.h"

#include <QSet>

namespace lockstep {

const Mapping* WorkspaceState::byKey(const QString& key) const
{
    for (const Mapping& m : mappings)
        if (m.key == key)
            return &m;
    return nullptr;
}

const Mapping* WorkspaceState::byId(qint64 id) const
{
    for (const Mapping& m : mappings)
        if (m.id == id)
            return &m;
    return nullptr;
}

QHash<qint64, QString> WorkspaceState::mappingKeys() const
{
    QHash<qint64, QString> out;
    for (const Mapping& m : mappings)
        out.insert(m.id, m.key);
    return out;
}

const NotificationChannel* WorkspaceState::channelByKey(const QString& key) const
{
    for (const NotificationChannel& c : channels)
        if (c.key == key)
            return &c;
    return nullptr;
}

Result<WorkspaceState> readWorkspaceState(Workspace& ws, bool lockForUpdate)
{
    WorkspaceState state;
    if (lockForUpdate && ws.dialect() == Workspace::Dialect::Postgres) {
        QSqlQuery lock =
            ws.query(QStringLiteral("SELECT id FROM mappings WHERE deleted=0 FOR UPDATE"));
        if (auto st = Workspace::exec(lock, "cannot lock the mappings"); !st)
            return st.error();
        QSqlQuery channels =
            ws.query(QStringLiteral("SELECT id FROM notify_channels WHERE deleted=0 FOR UPDATE"));
        if (auto st = Workspace::exec(channels, "cannot lock the notification channels"); !st)
            return st.error();
    }
    auto connection = SettingsRepository(ws).connection();
    if (!connection)
        return connection.error();
    if (connection->isComplete())
        state.connection = *connection;

    Settings settings(ws);
    for (const SettingKey& k : settingKeys()) {
        if (k.scope != SettingScope::Workspace)
            continue;
        auto r = settings.read(k);
        if (!r)
            return r.error();
        auto canonical = normalizeSetting(k, r->value);
        state.settings.append({&k, canonical ? *canonical : r->value});
    }

    auto mappings = MappingRepository(ws).list();
    if (!mappings)
        return mappings.error();
    state.mappings = *mappings;
    TrustStore trust(ws);
    QSet<qint64> live;
    for (const Mapping& m : state.mappings) {
        live.insert(m.id);
        auto minutes = trust.latencyExpectationMinutes(m.id);
        if (!minutes)
            return minutes.error();
        if (*minutes > 0)
            state.latencyExpectation.insert(m.id, *minutes);
        auto reviewer = ChecklistEvaluator::currentStabilityReviewer(ws, m);
        if (!reviewer)
            return reviewer.error();
        if (!reviewer->isEmpty())
            state.stabilityReviewer.insert(m.id, *reviewer);
    }
    auto thresholds = MappingThresholdsRepository(ws).all();
    if (!thresholds)
        return thresholds.error();
    for (auto it = thresholds->cbegin(); it != thresholds->cend(); ++it)
        if (live.contains(it.key()))
            state.thresholds.insert(it.key(), it.value());
    auto pairs = WatchedPairRepository(ws).list();
    if (!pairs)
        return pairs.error();
    // A deleted mapping's pairs stay in the table (history) but watch nothing.
    for (const WatchedPair& p : *pairs)
        if (live.contains(p.mappingA) && live.contains(p.mappingB))
            state.pairs.append(p);
    auto channels = ChannelRepository(ws).list();
    if (!channels)
        return channels.error();
    state.channels = *channels;
    return state;
}

MappingsFile mappingsFileFromState(const WorkspaceState& state)
{
    MappingsFile file;
    if (state.connection)
        file.connection = ConnectionSpec::fromSettings(*state.connection);
    file.settings = state.settings;
    file.mappings.emplace();
    for (const Mapping& m : state.mappings)
        file.mappings->append(MappingSpec::fromMapping(
            m, state.latencyOf(m.id), state.reviewerOf(m.id), state.thresholdsOf(m.id)));
    file.watchedPairs.emplace();
    for (const WatchedPair& p : state.pairs) {
        const Mapping* a = state.byId(p.mappingA);
        const Mapping* b = state.byId(p.mappingB);
        WatchedPairSpec s{a->key, b->key, p.label, {}};
        if (s.b < s.a)
            std::swap(s.a, s.b);
        file.watchedPairs->append(s);
    }
    file.notifications.emplace();
    const QHash<qint64, QString> keys = state.mappingKeys();
    for (const NotificationChannel& c : state.channels)
        file.notifications->append(ChannelSpec::fromChannel(c, keys));
    return file;
}

} // namespace lockstep
