// Plain value types the engine stores and hands to the GUI (by queued signals).
#pragma once

#include "members/identitykey.h"
#include "util/sampling.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace lockstep {

// How membership is written to the Mixpanel profile.
enum class SyncMode
{
    List,
    Flag
};
QString syncModeName(SyncMode m); // "list", "flag"
std::optional<SyncMode> parseSyncMode(const QString& s);

// A mapping key: 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter
// or digit (safe in YAML, file names and shells). Empty when valid, else what is wrong.
QString checkMappingKey(const QString& key);
// A valid key made from a cohort name: "CIO | Winback | 45-60d" -> "cio-winback-45-60d".
QString mappingKeyFromName(const QString& cohortName);

struct Mapping
{
    qint64 id = 0;
    // The team's stable name for it (mappings files); empty: derived from the cohort
    // name when it is added (mappingKeyFromName). Unique among live mappings.
    QString key;
    qint64 segmentId = 0;
    QString segmentName; // as last seen in Customer.io
    QString cohortName;  // the value written to Mixpanel
    IdentityKey identity = IdentityKey::Email;
    SyncMode mode = SyncMode::List;
    QString listProperty = QStringLiteral("cio_cohorts");
    bool sendEvents = false; // Cohort Entered / Exited through /import
    QString owner;           // the segment owner: who edits the segment in Customer.io
    QString healthMonitor;   // who answers this cohort's alerts
    QString decision;
    // The reporting plan: the Mixpanel board or report that uses the cohort, and the cohort
    // name it was set for (it must follow a new version's name).
    QString reportUrl;
    QString reportCohort;
    int scheduleMinutes = 60;
    bool paused = false;
    int version = 1;
    qint64 createdAt = 0; // Unix seconds
    qint64 updatedAt = 0;
    // Bumped by every edit; an update carrying an older one is refused (no lost update).
    qint64 revision = 0;
    // A run whose exits exceed this share of the last synced size holds them (percent;
    // 0: never by share). Below zero: the workspace's mass_exit_percent.
    double massExitPercent = kWorkspaceMassExit;
    static constexpr double kWorkspaceMassExit = -1;
    bool usesWorkspaceMassExit() const { return massExitPercent < 0; }

    // The Mixpanel cohort definition the operator creates for this mapping.
    QString cohortDefinition() const;
    // A report is set, for the cohort as it is named now.
    bool reportPlanCurrent() const
    {
        return !reportUrl.trimmed().isEmpty() && reportCohort == cohortName;
    }
    // Sets the reporting plan's URL for the cohort as it is named now ("" clears it).
    void setReportUrl(const QString& url)
    {
        reportUrl = url.trimmed();
        reportCohort = reportUrl.isEmpty() ? QString() : cohortName;
    }
};

enum class RunKind
{
    Incremental,
    Full,
    DryRun
};
QString runKindName(RunKind k); // "incremental", "full", "dry_run"
std::optional<RunKind> parseRunKind(const QString& s);

enum class RunStatus
{
    Running,
    Succeeded,
    Partial,
    Failed,
    Skipped,
    Cancelled,
    Interrupted
};
QString runStatusName(RunStatus s); // "running", "succeeded", ...
std::optional<RunStatus> parseRunStatus(const QString& s);

// The runs of one sync verified together (FleetVerifier), as each of them reports it (not
// stored).
struct VerificationBatch
{
    int runs = 0;         // runs whose keys were asked (0: the run was verified alone)
    int keys = 0;         // distinct keys asked
    int queries = 0;      // queries spent
    int usedThisHour = 0; // the workspace's verification queries in the last hour, these included
    int perHour = 0;      // their bound (verify_queries_per_hour)
    QString note;         // why fewer keys (or none) were asked than the runs sampled
};

// After a run's sends: did the value land on the entered keys, and were they profiles
// Mixpanel already knew (a sample, verified with the sync's other runs, see EntryCheck and
// FleetVerifier)? Stored with the run (the runs table's verify_* columns); the keys found
// unknown are identity mismatches.
struct EntryVerification
{
    QString status;       // "" (not reached), "verified", "skipped", "failed", "disabled"
    qint64 entered = 0;   // keys the sample was drawn from
    int verified = 0;     // sampled keys looked up in Mixpanel
    int unknown = 0;      // of those, unknown to Mixpanel
    int valueMissing = 0; // of those, a profile without the value the run sent (value_missing)
    QString note;         // why it was skipped or failed
    VerificationBatch batch;

    double unknownShare() const { return verified > 0 ? double(unknown) / verified : 0.0; }
    // The share applied to every entered key (exact when the sample covered them all).
    qint64 estimatedUnknown() const
    {
        return verified >= entered ? unknown : qint64(unknownShare() * double(entered) + 0.5);
    }
};

struct RunRecord
{
    qint64 id = 0;
    qint64 mappingId = 0;
    RunKind kind = RunKind::Incremental;
    RunStatus status = RunStatus::Running;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    qint64 segmentCount = 0; // members read from Customer.io
    qint64 syncedCount = 0;  // keys Mixpanel holds after the run
    qint64 entered = 0;
    qint64 exited = 0;
    // Who joined since the snapshot, where that differs from `entered` (a full resync counts
    // everyone it sent as entered); -1: `entered`. The size point's figure (not stored).
    qint64 joined = -1;
    qint64 unchanged = 0;
    qint64 mismatched = 0;
    qint64 failed = 0;        // changes not acknowledged
    qint64 exitsChecked = 0;  // exits looked up in Customer.io (not stored)
    qint64 exitsVanished = 0; // of them, merged away or deleted (not stored)
    // How much of the exits was looked up: "" (none), "all", "sample" (the Customer.io key
    // was busy), "cap", "stopped"; and the vanished share estimated from it (not stored).
    QString exitCheck;
    ShareEstimate exitEstimate;
    int apiCalls = 0;
    int http429 = 0;
    qint64 heldExits = 0;  // exits held by the mass-exit safeguard (not sent)
    QString message;       // why it failed or was skipped
    QString errorCategory; // SyncError category name when it failed
    EntryVerification verification;

    qint64 durationMs() const
    {
        return finishedAtMs > startedAtMs ? finishedAtMs - startedAtMs : 0;
    }
};

// What the Mappings page shows for one mapping.
struct MappingOverview
{
    Mapping mapping;
    std::optional<RunRecord> lastRun;
    qint64 syncedCount = 0; // size of the acknowledged snapshot
};

struct SyncProgress
{
    qint64 runId = 0;
    qint64 mappingId = 0;
    QString phase; // "reading", "diffing", "sending", "done";
                   // "token" (mappingId 0): the token probe
    qint64 done = 0;
    qint64 total = 0; // 0 when unknown
    // The run's own counts so far, whatever the phase: Customer.io pages read, and change
    // batches acknowledged by Mixpanel and recorded, of those planned until now.
    int pagesRead = 0;
    int batchesSent = 0;
    int batchesPlanned = 0;
};

// One change batch that could not be delivered.
struct BatchError
{
    qint64 runId = 0;
    int batch = 0;
    QString operation; // "add", "remove"
    int size = 0;
    QString error;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::Mapping)
Q_DECLARE_METATYPE(lockstep::RunRecord)
Q_DECLARE_METATYPE(lockstep::MappingOverview)
Q_DECLARE_METATYPE(lockstep::SyncProgress)
Q_DECLARE_METATYPE(lockstep::BatchError)

namespace lockstep {

// Where the two services are. Secrets are not here (see Credentials). Each service has
// its own region: a Customer.io account in the EU may report to a Mixpanel project in the
// US or India.
struct ConnectionSettings
{
    QString customerIoUrl;    // e.g. https://api.customer.io
    QString mixpanelUrl;      // ingestion, e.g. https://api.mixpanel.com
    QString mixpanelQueryUrl; // e.g. https://mixpanel.com/api/query
    qint64 projectId = 0;
    QString customerIoRegion; // "us", "eu", or empty when the address was given
    QString mixpanelRegion;   // "us", "eu", "in", or empty when the addresses were given

    bool isComplete() const
    {
        return !customerIoUrl.isEmpty() && !mixpanelUrl.isEmpty() && !mixpanelQueryUrl.isEmpty();
    }
    // The region both services share ("us" or "eu": what `connect --region` sets and
    // workspaces stored before the two were separate), else empty.
    QString region() const;

    // The documented hosts (API.md) of each service's region; nullopt for an unknown one.
    static std::optional<QString> customerIoUrlFor(const QString& region);
    struct MixpanelUrls
    {
        QString ingestion;
        QString query;
    };
    static std::optional<MixpanelUrls> mixpanelUrlsFor(const QString& region);
    // Both services from their regions; nullopt when either is unknown.
    static std::optional<ConnectionSettings>
    forRegions(const QString& customerIoRegion, const QString& mixpanelRegion, qint64 projectId);
    // One region for both ("us" or "eu": Customer.io has no other).
    static std::optional<ConnectionSettings> forRegion(const QString& region, qint64 projectId);
    static QStringList customerIoRegions(); // "us", "eu"
    static QStringList mixpanelRegions();   // "us", "eu", "in"

    bool operator==(const ConnectionSettings&) const = default;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::ConnectionSettings)
