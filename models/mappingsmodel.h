// The Mappings page's table: one row per segment -> cohort mapping with its last run.
// A thin view over the value list the engine sends; it never asks the engine itself.
#pragma once

#include "engine/seamtypes.h"
#include "store/records.h"
#include "trust/trustrecords.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace lockstep {

class MappingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Segment,
        Cohort,
        Identity,
        Mode,
        Owner,
        Decision,
        Schedule,
        LastSync,
        Size,
        Drift,
        Health,  // the verdict: Trusted, Degraded, Broken, Not synced yet (trust/verdict.h)
        Rollout, // the rollout checklist: "Ready" or "Not ready (n of 7)"
        Latency, // median / 95th percentile of change → acknowledged, against the expectation
        Status,
        ColumnCount
    };

    explicit MappingsModel(QObject* parent = nullptr);

    // Replaces the list. When the same mappings come back in the same order (the usual
    // refresh), only the rows whose values changed are updated; when some were added or
    // deleted (here or by another console) and the others kept their order, those rows
    // are inserted and removed. Either way selection and scroll position survive.
    void setMappings(const QList<MappingOverview>& mappings);
    void clear();
    // Open alerts and verified counts (Drift and Health columns); rows keep their place.
    void setHealth(const QList<MappingHealth>& health);
    // The health of one mapping (a default value when unknown).
    MappingHealth health(qint64 mappingId) const { return m_health.value(mappingId); }
    // The mapping's verdict (Health column, Last sync); nullptr while not loaded.
    const MappingVerdict* verdict(qint64 mappingId) const;
    const MappingOverview* find(qint64 mappingId) const;
    // The rollout checklist of every mapping (Rollout column); rows keep their place.
    void setChecklists(const QList<RolloutChecklist>& checklists);
    // nullptr when not loaded yet.
    const RolloutChecklist* checklist(qint64 mappingId) const;

    // A run of the mapping in flight: its Last sync cell says what the run is doing
    // ("Syncing: sending, 3 of 8 batches sent, 12 pages read") and its Status reads
    // Running, until clearProgress() (the run ended) puts the row's own figures back.
    void setProgress(const SyncProgress& progress);
    void clearProgress(qint64 mappingId);
    void clearAllProgress();
    // nullptr when no run of the mapping is in flight.
    const SyncProgress* progress(qint64 mappingId) const;

    const QList<MappingOverview>& mappings() const { return m_rows; }
    // -1 when the id is not in the model.
    int rowOf(qint64 mappingId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "never_synced", "paused" or the last run's runStatusName().
    static QString statusName(const MappingOverview& m);

private:
    // Removes and inserts rows to turn m_rows into `next`; false (nothing changed) when
    // the rows both lists share are not in the same order.
    bool applyInsertsAndRemovals(const QList<MappingOverview>& next);
    QVariant display(const MappingOverview& m, int column) const;
    QVariant sortValue(const MappingOverview& m, int column) const;

    QList<MappingOverview> m_rows;
    QHash<qint64, MappingHealth> m_health;
    QHash<qint64, RolloutChecklist> m_checklists;
    QHash<qint64, SyncProgress> m_live; // by mapping id
};

} // namespace lockstep
