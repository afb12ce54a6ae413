#include "specapplier.h"

#include "config/settings.h"
#include "config/workspacesettings.h"
#include "health/alertstore.h"
#include "health/notificationchannel.h"
#include "health/watchedpairrepository.h"
#include "store/mappinglocks.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/truststore.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QHash>
#include <QThread>

namespace lockstep {

namespace {

SyncError error(SyncError::Category c, const QString& message)
{
    return SyncError::make(c, message);
}

// For tests only (LOCKSTEP_TEST=1): holds the transaction open halfway, so a test can kill
// the process there and find nothing applied.
void testPauseInsideTransaction()
{
    if (qEnvironmentVariableIntValue("LOCKSTEP_TEST") != 1)
        return;
    const int ms = qEnvironmentVariableIntValue("LOCKSTEP_TEST_APPLY_PAUSE_MS");
    if (ms <= 0)
        return;
    qInfo("lockstep: test: pausing inside the apply transaction for %d ms", ms);
    QThread::msleep(ulong(ms));
}

// A retired or deleted mapping's open alerts would keep `status` failing for a mapping
// nobody can see any more.
Status resolveAlerts(AlertStore& alerts, qint64 mappingId)
{
    auto open = alerts.open(mappingId);
    if (!open)
        return open.error();
    for (const Alert& a : *open)
        if (auto st = alerts.resolve(a.id); !st)
            return st;
    return {};
}

class Execution
{
public:
    Execution(Workspace& ws, const WorkspaceState& state, const Clock& clock)
        : m_ws(ws), m_state(state), m_clock(clock), m_mappings(ws), m_alerts(ws, clock),
          m_trust(ws), m_pairs(ws), m_channels(ws), m_channelRows(state.channels)
    {
        for (const Mapping& m : state.mappings)
            m_idOf.insert(m.key, m.id);
    }

    Status run(const MappingsFile& file, const SpecPlan& plan, ApplyOutcome& outcome)
    {
        if (!plan.settings.isEmpty()) {
            QList<std::pair<const SettingKey*, QString>> values;
            for (const SettingChange& s : plan.settings)
                values.append({s.key, s.to});
            if (auto st = Settings(m_ws).setTexts(values); !st)
                return st;
        }
        if (!plan.connection.isEmpty())
            if (auto st = SettingsRepository(m_ws).setConnection(file.connection->toSettings());
                !st)
                return st;
        // Deletions and retirements first: they free the keys the new versions take.
        for (const MappingChange& c : plan.mappings)
            if (c.action == MappingAction::Delete || c.action == MappingAction::NewVersion)
                if (auto st = retire(c.mappingId); !st)
                    return st;
        for (const MappingChange& c : plan.mappings) {
            Status st;
            switch (c.action) {
            case MappingAction::Delete:
                m_idOf.remove(c.key);
                break;
            case MappingAction::Create:
            case MappingAction::NewVersion:
                st = create(c, outcome);
                break;
            case MappingAction::Update:
            case MappingAction::Pause:
            case MappingAction::Resume:
                st = update(c);
                break;
            }
            if (!st)
                return st;
        }
        testPauseInsideTransaction();
        for (const PairChange& p : plan.pairs) {
            if (p.kind == PairChange::Kind::Unwatch) {
                // By the ids the pair had: a deleted mapping's key no longer resolves.
                const Mapping* a = m_state.byKey(p.a);
                const Mapping* b = m_state.byKey(p.b);
                const qint64 idA = m_idOf.value(p.a, a ? a->id : 0);
                const qint64 idB = m_idOf.value(p.b, b ? b->id : 0);
                if (auto st = m_pairs.remove(idA, idB); !st)
                    return st;
                continue;
            }
            if (auto st =
                    m_pairs.add({m_idOf.value(p.a), m_idOf.value(p.b), p.label, m_clock.nowMs()});
                !st)
                return st;
        }
        // Deletions first: they free the keys (and variable names) the new ones take.
        for (const ChannelChange& c : plan.channels)
            if (c.kind == ChannelChange::Kind::Delete)
                if (auto st = m_channels.remove(c.channelId); !st)
                    return st;
        for (const ChannelChange& c : plan.channels)
            if (auto st = channel(c); !st)
                return st;
        return {};
    }

private:
    Status retire(qint64 id)
    {
        if (auto st = m_mappings.remove(id); !st)
            return st;
        return resolveAlerts(m_alerts, id);
    }

    Status create(const MappingChange& c, ApplyOutcome& outcome)
    {
        Mapping m = c.to->toMapping();
        m.version = c.toVersion;
        auto id = m_mappings.add(m);
        if (!id)
            return id.error();
        if (c.to->latencyExpectationMinutes > 0)
            if (auto st =
                    m_trust.setLatencyExpectationMinutes(*id, c.to->latencyExpectationMinutes);
                !st)
                return st;
        if (!c.to->health.isEmpty())
            if (auto st = MappingThresholdsRepository(m_ws).set(*id, c.to->health); !st)
                return st;
        if (c.action == MappingAction::NewVersion) {
            if (auto st = movePairs(c.mappingId, *id); !st)
                return st;
            if (auto st = moveSubscriptions(c.mappingId, *id); !st)
                return st;
        }
        m.id = *id;
        if (auto st = review(m, *c.to, QString()); !st)
            return st;
        m_idOf.insert(c.key, *id);
        outcome.created.append({c.key, *id});
        return {};
    }

    Status channel(const ChannelChange& c)
    {
        if (c.kind == ChannelChange::Kind::Delete)
            return {};
        const ChannelSpec& s = *c.to;
        QList<qint64> ids;
        if (s.mappings) {
            for (const QString& key : *s.mappings)
                ids << m_idOf.value(key);
            // No mapping has id 0: the channel receives nothing (empty would mean every one).
            if (ids.isEmpty())
                ids << 0;
        }
        NotificationChannel row = s.toChannel(ids);
        if (c.kind == ChannelChange::Kind::Create) {
            row.createdAtMs = m_clock.nowMs();
            auto id = m_channels.add(row);
            return id ? Status() : Status(id.error());
        }
        const NotificationChannel* current = nullptr;
        for (const NotificationChannel& have : m_state.channels)
            if (have.id == c.channelId)
                current = &have;
        if (!current)
            return error(SyncError::Category::NotFound,
                         QStringLiteral("no notification channel %1").arg(c.channelId));
        row.id = current->id;
        row.createdAtMs = current->createdAtMs;
        // A webhook's shown address comes from its URL, which the file does not hold.
        if (row.kind != ChannelKind::Email && current->kind != ChannelKind::Email)
            row.target = current->target;
        return m_channels.update(row);
    }

    // Channels that subscribed to the old version follow the new one, as its pairs do.
    Status moveSubscriptions(qint64 from, qint64 to)
    {
        for (NotificationChannel& c : m_channelRows) {
            if (!c.mappingIds.contains(from))
                continue;
            for (qint64& id : c.mappingIds)
                if (id == from)
                    id = to;
            if (auto st = m_channels.update(c); !st)
                return st;
        }
        return {};
    }

    // The old version's watched pairs watch the new one.
    Status movePairs(qint64 from, qint64 to)
    {
        auto pairs = m_pairs.list();
        if (!pairs)
            return pairs.error();
        for (WatchedPair p : *pairs) {
            if (p.mappingA != from && p.mappingB != from)
                continue;
            if (auto st = m_pairs.remove(p.mappingA, p.mappingB); !st)
                return st;
            (p.mappingA == from ? p.mappingA : p.mappingB) = to;
            if (auto st = m_pairs.add(p); !st)
                return st;
        }
        return {};
    }

    Status update(const MappingChange& c)
    {
        const Mapping* current = m_state.byId(c.mappingId);
        if (!current)
            return error(SyncError::Category::NotFound,
                         QStringLiteral("no mapping %1").arg(c.mappingId));
        // Read under the transaction: its revision is the stored one, so the update cannot
        // undo an edit this plan did not see.
        Mapping m = *current;
        const MappingSpec& s = *c.to;
        m.cohortName = s.cohortName;
        m.mode = s.mode;
        if (s.mode == SyncMode::List)
            m.listProperty = s.listProperty; // in flag mode the stored one is kept as it is
        m.sendEvents = s.sendEvents;
        m.owner = s.owner;
        m.healthMonitor = s.healthMonitor;
        m.decision = s.decision;
        m.reportUrl = s.reportUrl;
        m.reportCohort = s.reportCohort.value_or(QString()); // resolved by the planner
        m.scheduleMinutes = s.scheduleMinutes;
        m.massExitPercent = s.massExitPercent;
        m.paused = s.paused;
        if (auto st = m_mappings.update(m); !st)
            return st;
        if (s.health != m_state.thresholdsOf(c.mappingId))
            if (auto st = MappingThresholdsRepository(m_ws).set(c.mappingId, s.health); !st)
                return st;
        if (s.latencyExpectationMinutes != m_state.latencyOf(c.mappingId))
            if (auto st =
                    m_trust.setLatencyExpectationMinutes(c.mappingId, s.latencyExpectationMinutes);
                !st)
                return st;
        return review(m, s, m_state.reviewerOf(c.mappingId));
    }

    // The file names a reviewer the workspace has no review by for the mapping as it now
    // is: one is recorded, judged on the size history as it is now.
    Status review(const Mapping& m, const MappingSpec& s, const QString& have)
    {
        if (s.stabilityReviewedBy.isEmpty() ||
            (s.stabilityReviewedBy == have &&
             ChecklistEvaluator::stabilityFingerprint(m) ==
                 ChecklistEvaluator::stabilityFingerprint(*m_state.byId(m.id))))
            return {};
        auto settings = readWorkspaceSettings(m_ws); // after the file's settings
        if (!settings)
            return settings.error();
        auto r = ChecklistEvaluator(m_ws, settings->checklistRules())
                     .reviewStability(m, s.stabilityReviewedBy, m_clock.nowMs());
        if (!r)
            return r.error();
        return {};
    }

    Workspace& m_ws;
    const WorkspaceState& m_state;
    const Clock& m_clock;
    MappingRepository m_mappings;
    AlertStore m_alerts;
    TrustStore m_trust;
    WatchedPairRepository m_pairs;
    ChannelRepository m_channels;
    QList<NotificationChannel> m_channelRows; // as this apply leaves them so far
    QHash<QString, qint64> m_idOf;
};

SyncError planErrors(const SpecPlan& plan)
{
    QStringList lines;
    for (const SpecError& e : plan.errors)
        lines << e.toString(QStringLiteral("line"));
    return error(SyncError::Category::Config,
                 QStringLiteral("the file does not apply to this workspace: %1")
                     .arg(lines.join(QStringLiteral("; "))));
}

SyncError deletionsRefused(const SpecPlan& plan)
{
    QStringList keys;
    for (const MappingChange& c : plan.mappings)
        if (c.action == MappingAction::Delete)
            keys << c.key;
    QStringList channels;
    for (const ChannelChange& c : plan.channels)
        if (c.kind == ChannelChange::Kind::Delete)
            channels << c.key;
    QStringList what;
    if (!keys.isEmpty())
        what << QStringLiteral("%1 mapping(s) (%2)")
                    .arg(keys.size())
                    .arg(keys.join(QStringLiteral(", ")));
    if (!channels.isEmpty())
        what << QStringLiteral("%1 notification channel(s) (%2)")
                    .arg(channels.size())
                    .arg(channels.join(QStringLiteral(", ")));
    return error(SyncError::Category::Config,
                 QStringLiteral("the file deletes %1: nothing was changed; pass --yes to apply it "
                                "with the deletions")
                     .arg(what.join(QStringLiteral(" and "))));
}

bool deletes(const SpecPlan& plan)
{
    return plan.count(MappingAction::Delete) > 0 || plan.count(ChannelChange::Kind::Delete) > 0;
}

} // namespace

Result<ApplyOutcome> applyMappingsFile(Workspace& ws, const MappingsFile& file,
                                       const ApplyOptions& options)
{
    const Clock& clock = options.clock ? *options.clock : *Clock::system();
    MappingLocks locks(ws);
    QElapsedTimer waited;
    waited.start();
    // A plan made before the locks may touch fewer mappings than the one made under them
    // (a mapping added meanwhile): then lock those too and plan again.
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto state = readWorkspaceState(ws);
        if (!state)
            return state.error();
        const SpecPlan before = planMappingsFile(file, *state);
        if (!before.errors.isEmpty())
            return planErrors(before);
        if (before.isEmpty())
            return ApplyOutcome{};
        if (deletes(before) && !options.allowDeletions)
            return deletionsRefused(before);

        for (qint64 id : before.touchedMappings()) {
            bool told = false;
            while (!locks.tryLock(id)) {
                if (!told && options.onWaiting) {
                    const Mapping* m = state->byId(id);
                    options.onWaiting(id, m ? m->key : QString());
                    told = true;
                }
                if (waited.elapsed() > options.lockWaitMs)
                    return error(SyncError::Category::Usage,
                                 QStringLiteral("mapping %1 is still being synced after %2 s; "
                                                "nothing was changed: apply again later")
                                     .arg(id)
                                     .arg(options.lockWaitMs / 1000));
                QThread::msleep(100);
            }
        }

        ApplyOutcome outcome;
        bool relock = false;
        const Status st = ws.writeTransaction([&]() -> Status {
            auto fresh = readWorkspaceState(ws, true);
            if (!fresh)
                return fresh.error();
            const SpecPlan plan = planMappingsFile(file, *fresh);
            if (!plan.errors.isEmpty())
                return planErrors(plan);
            if (options.expectedPlan && planJson(plan) != *options.expectedPlan)
                return error(SyncError::Category::Usage,
                             QStringLiteral("the workspace changed after the plan was shown; "
                                            "nothing was changed: run apply again to see the "
                                            "new plan"));
            if (deletes(plan) && !options.allowDeletions)
                return deletionsRefused(plan);
            for (qint64 id : plan.touchedMappings())
                if (!locks.holds(id)) {
                    relock = true;
                    return error(SyncError::Category::Usage, QStringLiteral("plan again"));
                }
            outcome.plan = plan;
            return Execution(ws, *fresh, clock).run(file, plan, outcome);
        });
        if (relock)
            continue;
        if (!st)
            return st.error();
        return outcome;
    }
    return error(SyncError::Category::Usage,
                 QStringLiteral("the workspace kept changing while the file was applied; nothing "
                                "was changed: apply again"));
}

} // namespace lockstep
