// A mappings file: the intended state of a workspace, as a team reviews it in Git. Its
// model, the reader (YAML or JSON, every error with its line and column) and the writer
// (`lockstep export`: the same state always gives the same bytes). docs: README,
// "Mappings as code".
#pragma once

#include "config/mappingthresholds.h"
#include "config/settingkeys.h"
#include "health/notificationchannel.h"
#include "specdocument.h"
#include "store/records.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace lockstep {

// The format version a file declares (`lockstep: 1`).
inline constexpr int kMappingsFileFormat = 1;

// One mapping as the file states it, under the team's key.
struct MappingSpec
{
    QString key;
    qint64 segmentId = 0;
    QString cohortName;
    IdentityKey identity = IdentityKey::Email;
    SyncMode mode = SyncMode::List;
    QString listProperty = QStringLiteral("cio_cohorts");
    bool sendEvents = false;
    QString owner;         // the segment owner: who edits the segment
    QString healthMonitor; // who answers its alerts
    QString decision;
    QString reportUrl; // the Mixpanel board or report that uses the cohort
    // The cohort name the report was set for. Absent in a file: kept as the workspace has
    // it while report_url is unchanged, else the file's cohort name.
    std::optional<QString> reportCohort;
    int scheduleMinutes = 60;
    int latencyExpectationMinutes = 0; // 0: none
    // Who reviewed the segment's stability, with the mapping as it is ("" none). Applying a
    // name the workspace has no such review by records one, judged then.
    QString stabilityReviewedBy;
    // The mapping's own mass-exit share (0 to 100); below zero: the workspace's
    // (`mass_exit_percent: default`, and what a file that leaves it out means).
    double massExitPercent = Mapping::kWorkspaceMassExit;
    // Health thresholds over the workspace's (`health:`): setting name -> canonical text.
    ThresholdOverrides health;
    bool paused = false;
    int version = 1;
    SpecPosition at; // where the item starts in the file (for messages)

    // As a new mapping row (id 0).
    Mapping toMapping() const;
    static MappingSpec fromMapping(const Mapping& m, int latencyExpectationMinutes,
                                   const QString& stabilityReviewedBy = {},
                                   const ThresholdOverrides& health = {});
};

// A mapping's mass-exit share as a file writes it: "default", or the number ("30", "12.5").
QString massExitPercentText(double percent);

struct WatchedPairSpec
{
    QString a; // mapping keys; a < b when written
    QString b;
    QString label;
    SpecPosition at;
};

// A notification channel as the file states it, under the team's key: where alerts go and
// what it subscribes to, never a secret (its URL, signing secret, header values and SMTP
// password come from each delivering process's environment, LOCKSTEP_NOTIFY_<KEY>_*).
struct ChannelSpec
{
    QString key;
    ChannelKind kind = ChannelKind::Slack;
    QString name;
    QList<AlertSeverity> severities{AlertSeverity::Critical, AlertSeverity::Warning};
    // Mapping keys, sorted. Absent: every mapping. Empty: none (the mappings it named are
    // all gone; it receives nothing).
    std::optional<QStringList> mappings;
    QStringList headerNames; // a webhook's custom headers, names only
    QString smtpUrl;         // e-mail: smtp[s]://[user@]host[:port], never a password
    QString mailFrom;
    QStringList mailTo;
    bool mailMonitor = false;
    SpecPosition at;

    // As a channel row with the mapping ids given (id 0, and no target for a webhook: its
    // URL is a secret).
    NotificationChannel toChannel(const QList<qint64>& mappingIds) const;
    // `mappingKeys`: each live mapping's key by id; ids missing from it are mappings gone.
    static ChannelSpec fromChannel(const NotificationChannel& c,
                                   const QHash<qint64, QString>& mappingKeys);
};

// Where the services are, without secrets: each by its region or by its addresses.
struct ConnectionSpec
{
    QString customerIoRegion;
    QString customerIoUrl;
    QString mixpanelRegion;
    QString mixpanelUrl;
    QString mixpanelQueryUrl;
    qint64 projectId = 0;

    // Regions resolved to their hosts.
    ConnectionSettings toSettings() const;
    static ConnectionSpec fromSettings(const ConnectionSettings& s);
};

// A section the file leaves out is not managed by it (left as the workspace has it); a
// section it has is the whole truth: mappings it does not list are deleted, settings it
// does not list take their defaults.
struct MappingsFile
{
    std::optional<ConnectionSpec> connection;
    // Every workspace setting in table order, canonical text; present when `settings` is.
    std::optional<QList<std::pair<const SettingKey*, QString>>> settings;
    std::optional<QList<MappingSpec>> mappings;
    std::optional<QList<WatchedPairSpec>> watchedPairs;
    // `notifications:`; absent: the workspace's channels are left as they are.
    std::optional<QList<ChannelSpec>> notifications;
};

struct MappingsFileRead
{
    MappingsFile file;
    QList<SpecError> errors; // in file order; the file is not used when there is one
    bool json = false;

    bool ok() const { return errors.isEmpty(); }
};

struct MappingsFileOptions
{
    SpecLimits limits;
    // Secrets this process holds (from the environment): refused wherever they appear.
    QStringList knownSecrets;
    // A mapping's schedule when it gives none and the file's settings do not say: the
    // workspace's default_schedule_minutes.
    int defaultScheduleMinutes = 60;
};

MappingsFileRead parseMappingsFile(const QByteArray& bytes,
                                   const MappingsFileOptions& options = {});
MappingsFileRead readMappingsFile(const QString& path, const MappingsFileOptions& options = {});
MappingsFileRead parseMappingsDocument(const SpecDocument& doc, const MappingsFileOptions& options);

// YAML, sections and keys in a fixed order, mappings and channels sorted by key, pairs by
// their keys: the same state gives the same bytes.
QByteArray writeMappingsFile(const MappingsFile& file);

} // namespace lockstep
