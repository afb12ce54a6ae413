#include "mappingsmodel.h"

#include "displayformat.h"
#include "modelroles.h"
#include "rowdiff.h"
#include "verdicttext.h"

#include <QLocale>
#include <QSet>

#include <cmath>

namespace lockstep {

namespace {
QString scheduleText(int minutes)
{
    if (minutes % (24 * 60) == 0)
        return minutes == 24 * 60
                   ? MappingsModel::tr("daily")
                   : MappingsModel::tr("every %n day(s)", nullptr, minutes / (24 * 60));
    if (minutes % 60 == 0)
        return minutes == 60 ? MappingsModel::tr("hourly")
                             : MappingsModel::tr("every %1 h").arg(minutes / 60);
    return MappingsModel::tr("every %1 min").arg(minutes);
}

// Mixpanel's verified count against what Lockstep synced, in percent; nullopt when the
// cohort was never verified.
std::optional<double> driftPercent(const MappingHealth& h)
{
    if (h.mixpanelCount < 0)
        return std::nullopt;
    if (h.syncedCount == 0)
        return h.mixpanelCount == 0 ? 0.0 : 100.0;
    return 100.0 * double(h.mixpanelCount - h.syncedCount) / double(h.syncedCount);
}

int doneItems(const RolloutChecklist& c)
{
    int n = 0;
    for (const ChecklistItem& i : c.items)
        n += i.done ? 1 : 0;
    return n;
}

// "15 min", "2 h", "1 h 30 min": an expectation is set in whole minutes.
QString expectationText(int minutes)
{
    if (minutes < 60)
        return MappingsModel::tr("%1 min").arg(minutes);
    if (minutes % 60 == 0)
        return MappingsModel::tr("%1 h").arg(minutes / 60);
    return MappingsModel::tr("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

QString rolloutText(const RolloutChecklist& c)
{
    if (c.ready())
        return MappingsModel::tr("Ready");
    return MappingsModel::tr("Not ready (%1 of %2)").arg(doneItems(c)).arg(c.items.size());
}

QString rolloutTip(const RolloutChecklist& c)
{
    if (c.ready())
        return MappingsModel::tr("Every rollout checklist item has its evidence");
    QString tip = MappingsModel::tr("Missing from the rollout checklist:");
    for (const ChecklistItem& i : c.items)
        if (!i.done)
            tip += QStringLiteral("\n• %1: %2").arg(i.title, i.evidence);
    return tip;
}

// Worst last, so a descending sort puts broken mappings first.
int verdictRank(VerdictState s)
{
    switch (s) {
    case VerdictState::Trusted:
        return 0;
    case VerdictState::NotSyncedYet:
        return 1;
    case VerdictState::Degraded:
        return 2;
    case VerdictState::Broken:
        return 3;
    }
    return 0;
}
} // namespace

MappingsModel::MappingsModel(QObject* parent) : QAbstractTableModel(parent) {}

void MappingsModel::setMappings(const QList<MappingOverview>& mappings)
{
    const auto id = [](const MappingOverview& m) { return m.mapping.id; };
    if (!m_rows.isEmpty() && sameIds(m_rows, mappings, id)) {
        m_rows = mappings;
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    if (!m_rows.isEmpty() && !mappings.isEmpty() && applyInsertsAndRemovals(mappings)) {
        m_rows = mappings; // same ids now; take the new values
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = mappings;
    endResetModel();
}

bool MappingsModel::applyInsertsAndRemovals(const QList<MappingOverview>& next)
{
    QSet<qint64> nextIds;
    for (const MappingOverview& m : next)
        nextIds.insert(m.mapping.id);
    QSet<qint64> kept;
    QList<qint64> keptOrder;
    for (const MappingOverview& m : m_rows)
        if (nextIds.contains(m.mapping.id)) {
            kept.insert(m.mapping.id);
            keptOrder.append(m.mapping.id);
        }
    qsizetype k = 0;
    for (const MappingOverview& m : next)
        if (kept.contains(m.mapping.id) && keptOrder[k++] != m.mapping.id)
            return false; // reordered: a reset is simpler and as good
    // Removals, last row first so the row numbers still hold.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (kept.contains(m_rows[row].mapping.id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    // Insertions where `next` has a row the model does not.
    for (int row = 0; row < int(next.size()); ++row) {
        if (row < int(m_rows.size()) && m_rows[row].mapping.id == next[row].mapping.id)
            continue;
        beginInsertRows({}, row, row);
        m_rows.insert(row, next[row]);
        endInsertRows();
    }
    return true;
}

void MappingsModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void MappingsModel::setHealth(const QList<MappingHealth>& health)
{
    m_health.clear();
    for (const MappingHealth& h : health)
        m_health.insert(h.mappingId, h);
    if (!m_rows.isEmpty()) {
        Q_EMIT dataChanged(index(0, LastSync), index(rowCount() - 1, Health));
    }
}

void MappingsModel::setChecklists(const QList<RolloutChecklist>& checklists)
{
    m_checklists.clear();
    for (const RolloutChecklist& c : checklists)
        m_checklists.insert(c.mappingId, c);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Rollout), index(rowCount() - 1, Latency));
}

void MappingsModel::setProgress(const SyncProgress& progress)
{
    m_live.insert(progress.mappingId, progress);
    if (const int row = rowOf(progress.mappingId); row >= 0)
        Q_EMIT dataChanged(index(row, LastSync), index(row, Status));
}

void MappingsModel::clearProgress(qint64 mappingId)
{
    if (m_live.remove(mappingId) == 0)
        return;
    if (const int row = rowOf(mappingId); row >= 0)
        Q_EMIT dataChanged(index(row, LastSync), index(row, Status));
}

void MappingsModel::clearAllProgress()
{
    const QList<qint64> ids = m_live.keys();
    for (qint64 id : ids)
        clearProgress(id);
}

const SyncProgress* MappingsModel::progress(qint64 mappingId) const
{
    const auto it = m_live.constFind(mappingId);
    return it == m_live.cend() ? nullptr : &*it;
}

const MappingVerdict* MappingsModel::verdict(qint64 mappingId) const
{
    const auto it = m_health.constFind(mappingId);
    return it == m_health.cend() ? nullptr : &it->verdict;
}

const RolloutChecklist* MappingsModel::checklist(qint64 mappingId) const
{
    const auto it = m_checklists.constFind(mappingId);
    return it == m_checklists.cend() ? nullptr : &*it;
}

const MappingOverview* MappingsModel::find(qint64 mappingId) const
{
    const int row = rowOf(mappingId);
    return row < 0 ? nullptr : &m_rows[row];
}

int MappingsModel::rowOf(qint64 mappingId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].mapping.id == mappingId)
            return int(i);
    return -1;
}

int MappingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MappingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MappingsModel::statusName(const MappingOverview& m)
{
    if (m.mapping.paused)
        return QStringLiteral("paused");
    if (!m.lastRun)
        return QStringLiteral("never_synced");
    return runStatusName(m.lastRun->status);
}

QVariant MappingsModel::display(const MappingOverview& m, int column) const
{
    switch (column) {
    case Segment:
        return m.mapping.segmentName.isEmpty() ? tr("Segment %1").arg(m.mapping.segmentId)
                                               : m.mapping.segmentName;
    case Cohort:
        return m.mapping.cohortName;
    case Identity:
        return identityKeyName(m.mapping.identity);
    case Mode:
        return m.mapping.mode == SyncMode::List ? tr("list · %1").arg(m.mapping.listProperty)
                                                : tr("flag");
    case Owner:
        return m.mapping.owner;
    case Decision:
        return m.mapping.decision;
    case Schedule:
        return scheduleText(m.mapping.scheduleMinutes);
    case Drift: {
        const auto d = driftPercent(m_health.value(m.mapping.id));
        if (!d)
            return QStringLiteral("—");
        return QStringLiteral("%1%2 %").arg(*d > 0 ? QStringLiteral("+") : QString(),
                                            QLocale().toString(*d, 'f', 1));
    }
    case Health: {
        const MappingVerdict* v = verdict(m.mapping.id);
        return v ? format::verdict(v->state) : QString();
    }
    case Rollout: {
        const RolloutChecklist* c = checklist(m.mapping.id);
        return c ? rolloutText(*c) : QString();
    }
    case Latency: {
        const RolloutChecklist* c = checklist(m.mapping.id);
        if (!c || !c->latency)
            return QString();
        const LatencyReport& l = *c->latency;
        QString text = l.medianMs && l.p95Ms
                           ? QStringLiteral("%1 · p95 %2")
                                 .arg(format::duration(*l.medianMs), format::duration(*l.p95Ms))
                           : tr("no data");
        if (l.expectationMinutes > 0)
            text += QStringLiteral(" (≤ %1)").arg(expectationText(l.expectationMinutes));
        return text;
    }
    case LastSync: {
        // A run in flight says what it is doing; the last sync is in the tooltip meanwhile.
        if (const SyncProgress* p = progress(m.mapping.id))
            return tr("Syncing: %1").arg(format::progressDetail(*p));
        // The last successful sync, as the verdict read it (not the last run's time).
        const MappingVerdict* v = verdict(m.mapping.id);
        if (v)
            return format::lastSync(*v);
        return m.lastRun ? QString() : tr("never");
    }
    case Size:
        return m.lastRun ? format::count(m.syncedCount) : QString();
    case Status:
        if (progress(m.mapping.id))
            return format::runStatus(RunStatus::Running);
        if (m.mapping.paused)
            return tr("Paused");
        if (!m.lastRun)
            return tr("Never synced");
        return format::runStatus(m.lastRun->status);
    }
    return {};
}

QVariant MappingsModel::sortValue(const MappingOverview& m, int column) const
{
    switch (column) {
    case LastSync: {
        const MappingVerdict* v = verdict(m.mapping.id);
        return v ? v->lastSyncMs : qint64(0);
    }
    case Size:
        return m.lastRun ? m.syncedCount : qint64(-1);
    case Status:
        return statusName(m);
    case Schedule:
        return m.mapping.scheduleMinutes;
    case Drift: {
        const auto d = driftPercent(m_health.value(m.mapping.id));
        return d ? std::abs(*d) : -1.0;
    }
    case Health: {
        const MappingVerdict* v = verdict(m.mapping.id);
        return v ? verdictRank(v->state) : -1;
    }
    case Rollout: {
        const RolloutChecklist* c = checklist(m.mapping.id);
        return c ? doneItems(*c) : -1;
    }
    case Latency: {
        const RolloutChecklist* c = checklist(m.mapping.id);
        return c && c->latency && c->latency->p95Ms ? *c->latency->p95Ms : qint64(-1);
    }
    default:
        return display(m, column);
    }
}

QVariant MappingsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MappingOverview& m = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(m, index.column());
    case SortRole:
        return sortValue(m, index.column());
    case MappingIdRole:
        return m.mapping.id;
    case StatusNameRole:
        return progress(m.mapping.id) ? runStatusName(RunStatus::Running) : statusName(m);
    case SeverityRole:
        return m_health.contains(m.mapping.id) ? m_health.value(m.mapping.id).worstSeverity : -1;
    case CodeRole:
        if (index.column() == Health) {
            const MappingVerdict* v = verdict(m.mapping.id);
            return v ? verdictStateName(v->state) : QVariant();
        }
        if (index.column() == Rollout) {
            const RolloutChecklist* c = checklist(m.mapping.id);
            if (!c)
                return {};
            return c->ready() ? QStringLiteral("ready") : QStringLiteral("not_ready");
        }
        return {};
    case StatusToneRole:
        if (index.column() == Rollout) {
            const RolloutChecklist* c = checklist(m.mapping.id);
            if (!c)
                return {};
            return int(c->ready() ? StatusTone::Good : StatusTone::Warning);
        }
        if (index.column() == Latency) {
            const RolloutChecklist* c = checklist(m.mapping.id);
            if (!c || !c->latency || !c->latency->p95Ms)
                return {};
            if (c->latency->exceeded())
                return int(StatusTone::Bad);
            return int(c->latency->expectationMinutes > 0 ? StatusTone::Good : StatusTone::Neutral);
        }
        if (index.column() == Health) {
            const MappingVerdict* v = verdict(m.mapping.id);
            return v ? QVariant(int(format::tone(v->state))) : QVariant();
        }
        if (index.column() != Status)
            return {};
        if (progress(m.mapping.id))
            return int(StatusTone::Busy);
        if (m.mapping.paused || !m.lastRun)
            return int(StatusTone::Neutral);
        return int(format::tone(m.lastRun->status));
    case Qt::TextAlignmentRole:
        if (index.column() == Size || index.column() == Drift)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Segment:
            return tr("Customer.io segment %1").arg(m.mapping.segmentId);
        case Cohort:
            return m.mapping.cohortDefinition();
        case Size:
            if (m.lastRun)
                //: %1 is "N keys in Mixpanel", %2 is "N members read from Customer.io"
                return tr("%1; %2").arg(tr("%Ln key(s) in Mixpanel", nullptr, int(m.syncedCount)),
                                        tr("%Ln member(s) read from Customer.io", nullptr,
                                           int(m.lastRun->segmentCount)));
            return {};
        case Status:
            if (m.lastRun && !m.lastRun->message.isEmpty())
                return m.lastRun->message;
            return {};
        case Drift: {
            const MappingHealth h = m_health.value(m.mapping.id);
            if (h.mixpanelCount < 0)
                return tr("Not verified yet: create the Mixpanel cohort, then the "
                          "next sync compares its count");
            return tr("Mixpanel cohort %1, synced %2")
                .arg(format::count(h.mixpanelCount), format::count(h.syncedCount));
        }
        case Rollout: {
            const RolloutChecklist* c = checklist(m.mapping.id);
            return c ? rolloutTip(*c) : QVariant();
        }
        case Latency: {
            const RolloutChecklist* c = checklist(m.mapping.id);
            if (!c || !c->latency)
                return {};
            const LatencyReport& l = *c->latency;
            QString tip;
            if (l.medianMs && l.p95Ms)
                //: %4 is "N changes", %5 is "N runs"
                tip = tr("Time from a membership change being observed in Customer.io to "
                         "Mixpanel acknowledging its batch: median %1, 95th percentile %2, "
                         "slowest %3, over %4 in the last %5.")
                          .arg(format::duration(*l.medianMs), format::duration(*l.p95Ms),
                               format::duration(l.maxMs.value_or(*l.p95Ms)),
                               tr("%Ln change(s)", nullptr, int(l.changes)),
                               tr("%n run(s)", nullptr, l.runs));
            else
                tip = tr("Time from a membership change being observed in Customer.io to "
                         "Mixpanel acknowledging its batch: no acknowledged changes yet.");
            tip += QLatin1Char('\n');
            if (l.expectationMinutes <= 0)
                tip += tr("No expectation set: `lockstep latency --mapping %1 --expect MINUTES`")
                           .arg(m.mapping.id);
            else if (l.exceeded())
                tip += tr("Expectation: %1 (exceeded: an alert is open)")
                           .arg(expectationText(l.expectationMinutes));
            else
                tip += tr("Expectation: %1").arg(expectationText(l.expectationMinutes));
            return tip;
        }
        case Health: {
            const MappingHealth h = m_health.value(m.mapping.id);
            const MappingVerdict* v = verdict(m.mapping.id);
            if (!v)
                return {};
            //: %1 is the verdict with its reasons, %2 "N open alerts: see the Health page"
            return tr("%1\n\n%2")
                .arg(format::verdictDetail(*v),
                     h.openAlerts
                         ? tr("%n open alert(s): see the Health page", nullptr, h.openAlerts)
                         : tr("No open alerts"));
        }
        case LastSync: {
            const MappingVerdict* v = verdict(m.mapping.id);
            if (const SyncProgress* p = progress(m.mapping.id)) {
                const QString live = tr("Syncing: %1").arg(format::progressDetail(*p));
                if (!v || v->lastSyncMs <= 0)
                    return live;
                //: %1 is what the run in flight is doing, %2 the time of the last sync
                return tr("%1\nLast successful sync: %2")
                    .arg(live, format::timestamp(v->lastSyncMs));
            }
            if (!v || !v->laterRunStatus)
                return {};
            const QString later =
                tr("The run that ended %1 did not succeed (%2)")
                    .arg(format::timestamp(v->laterRunAtMs), format::runStatus(*v->laterRunStatus));
            return v->laterRunMessage.isEmpty() ? later
                                                : tr("%1: %2").arg(later, v->laterRunMessage);
        }
        }
        return {};
    }
    return {};
}

QVariant MappingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Segment:
        return tr("Segment");
    case Cohort:
        return tr("Cohort");
    case Identity:
        return tr("Identity key");
    case Mode:
        return tr("Mode");
    case Owner:
        return tr("Owner");
    case Decision:
        return tr("Decision");
    case Schedule:
        return tr("Schedule");
    case Drift:
        return tr("Drift");
    case Health:
        return tr("Health");
    case Rollout:
        return tr("Rollout");
    case Latency:
        return tr("Latency");
    case LastSync:
        return tr("Last sync");
    case Size:
        return tr("Size");
    case Status:
        return tr("Status");
    }
    return {};
}

} // namespace lockstep
