// The values that cross the seam between the engine thread and its callers: every
// argument of a request queued to the engine and of a signal queued back is one of these,
// or a value type of store/records.h, trust/trustrecords.h, health/ or audit/. They are
// copied, never shared, so neither thread sees the other's objects.
#pragma once

#include "api/credentials.h"
#include "api/customerioclient.h"
#include "api/serviceconfig.h"
#include "audit/auditreport.h"
#include "config/workspacesettings.h"
#include "health/alert.h"
#include "health/overlapmatrix.h"
#include "health/sizepoint.h"
#include "health/watchedpair.h"
#include "store/heldexits.h"
#include "store/mismatchrepository.h"
#include "store/records.h"
#include "trust/doctorreport.h"
#include "trust/identityadvisor.h"
#include "trust/trustrecords.h"
#include "trust/verdict.h"
#include "util/syncerror.h"

#include <QList>
#include <QMetaType>

namespace lockstep {

// Names one request to an engine service; its answer or failure carries the same id.
// 0 names no request: what a service reloads on its own (after a trust check, an alert
// acknowledged) is only announced.
using RequestId = quint64;

// The size history of one mapping over a window, downsampled for a chart.
struct SizeHistorySeries
{
    qint64 mappingId = 0;
    QList<SizePoint> points; // oldest first
};

struct SizeHistoryData
{
    int days = 30;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<SizeHistorySeries> series; // in the order the ids were asked for
};

// What the Mappings table shows about a mapping's health.
struct MappingHealth
{
    qint64 mappingId = 0;
    int worstSeverity = -1; // AlertSeverity of the worst open alert; -1 when none
    int openAlerts = 0;
    qint64 mixpanelCount = -1; // newest verified cohort count; -1 when never verified
    qint64 syncedCount = 0;    // synced count of that same point
    MappingVerdict verdict;    // trust/verdict.h: what the Health column shows
};

// One evaluation of every health rule and watched pair.
struct HealthEvaluation
{
    QList<Alert> open;   // every open alert after it
    QList<Alert> raised; // the open alerts this evaluation raised
};

struct OverlapData
{
    // By Mixpanel key ($distinct_id): what Mixpanel holds for each cohort.
    OverlapMatrix matrix;
    // By Customer.io person (cio_id), whatever key each mapping sends: the heat map's
    // default view and what watched pairs are judged by.
    OverlapMatrix people;
    // Mappings missing from `people` (no people recorded since their last settled run).
    QList<qint64> peopleMissing;
    QList<WatchedPair> watched;
};

// A Customer.io segment as the set-up wizard lists it.
struct SegmentChoice
{
    SegmentInfo info;
    qint64 count = -1; // -1 when the count could not be read
};

struct ConnectionTest
{
    bool ok = false;
    QString message;               // a summary: what worked, or what to fix
    QList<SegmentChoice> segments; // when Customer.io answered
    DoctorReport report;           // every check, as `lockstep doctor` shows it
};

// How many of a segment's members each identity key would match (a read-only pass over
// the membership, nothing is sent).
struct IdentityPreview
{
    qint64 segmentId = 0;
    qint64 total = 0;
    QList<qint64> unmatched; // indexed by int(IdentityKey)
    QList<double> matchRate; // indexed by int(IdentityKey)
    QString error;           // non-empty when the preview failed
};

// The Mixpanel query API budget as the trust dialogs show it.
struct QueryBudgetState
{
    int left = -1; // queries left this hour; -1 when unknown
    int perHour = 60;
    qint64 nextFreeAtMs = 0; // when the next query frees up; 0 while some are left
    bool exhausted() const { return left == 0; }
};

// Registers every type above and those of the records the seam carries, for queued
// connections. Idempotent; SyncController calls it before its thread starts.
void registerSeamTypes();

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::SizeHistoryData)
Q_DECLARE_METATYPE(lockstep::MappingHealth)
Q_DECLARE_METATYPE(lockstep::HealthEvaluation)
Q_DECLARE_METATYPE(lockstep::OverlapData)
Q_DECLARE_METATYPE(lockstep::StoredMismatch)
Q_DECLARE_METATYPE(lockstep::ConnectionTest)
Q_DECLARE_METATYPE(lockstep::IdentityPreview)
Q_DECLARE_METATYPE(lockstep::SegmentChoice)
Q_DECLARE_METATYPE(lockstep::QueryBudgetState)
