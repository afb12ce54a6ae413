// The trust checks' results as plain values (rehearsal, spot check, latency, rollout
// checklist): stored as JSON in trust_checks, printed by the CLI, carried to the GUI by
// queued signals.
#pragma once

#include "audit/checklistitem.h"
#include "store/records.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace lockstep {

// Kinds of stored trust checks.
namespace trustkind {
inline constexpr char kRehearsal[] = "rehearsal";
inline constexpr char kRehearsalCleanup[] = "rehearsal_cleanup";
inline constexpr char kSpotCheck[] = "spot_check";
inline constexpr char kCohortDefinition[] = "cohort_definition";
inline constexpr char kIdentityAdvice[] = "identity_advice";
inline constexpr char kStabilityReview[] = "stability_review";
} // namespace trustkind

// Why one person failed a check (stable codes, shown in JSON).
namespace trustreason {
inline constexpr char kIdentityKeyMissing[] = "identity_key_missing"; // no usable key
inline constexpr char kNormalisation[] =
    "normalisation_changed_key"; // Mixpanel has the raw spelling
inline constexpr char kNoProfile[] = "profile_not_in_mixpanel";
// The key's profile holds only what Lockstep writes (trust/mixpanelprofile.h).
inline constexpr char kGhostProfile[] = "ghost_profile";
inline constexpr char kNotYetSynced[] = "not_yet_synced"; // differs from the snapshot
inline constexpr char kValueMissing[] = "value_missing";  // synced, value gone
inline constexpr char kNotInSegment[] = "not_in_segment"; // named, not a member
inline constexpr char kNotReadBack[] = "not_read_back";   // rehearsal write not seen
inline constexpr char kNotFound[] = "not_found";          // named, in neither system
} // namespace trustreason

struct PersonCheck
{
    QString cioId;
    std::optional<QString> personId;
    std::optional<QString> email;
    QString named;      // what the operator typed, when they named this person
    QString distinctId; // the normalised key; empty when there is none
    bool inSegment = false;
    bool inSnapshot = false; // Lockstep believes Mixpanel has the value
    bool inMixpanel = false; // a profile exists under distinctId
    bool ghost = false;      // ...holding only what Lockstep writes (knownToMixpanel)
    bool hasValue = false;   // that profile carries the cohort value
    bool passed = false;
    QString reason; // trustreason code; empty when passed without remark
    QString detail; // one sentence for the operator

    QJsonObject toJson() const;
    static PersonCheck fromJson(const QJsonObject& o);
    QString label() const; // email, else id, else cio_id, else what was named
    // Unknown to Mixpanel as the entry check counts it: a key, and no profile or a ghost.
    bool unknownToMixpanel() const { return !distinctId.isEmpty() && (!inMixpanel || ghost); }
};

struct RehearsalResult
{
    qint64 mappingId = 0;
    qint64 testSegmentId = 0;
    QString testSegmentName;
    SyncMode mode = SyncMode::List;
    QString property; // list mode: the list property; flag mode: the flag (= value)
    QString value;    // the temporary cohort value
    qint64 atMs = 0;
    QList<PersonCheck> people;
    QStringList unexpected; // profiles carrying the value that were not written
    int queriesUsed = 0;
    QString by; // who ran it (their login name), when known

    int passedCount() const;
    bool passed() const;
    QStringList writtenKeys() const;
    QJsonObject toJson() const;
    static RehearsalResult fromJson(const QJsonObject& o);
};

// A rehearsal whose temporary value no verified clean-up has removed since: the value is
// still on profiles in Mixpanel. As the workspace keeps it: counts, no one's identifiers.
struct OpenRehearsal
{
    qint64 checkId = 0; // the stored rehearsal (`lockstep rehearsal cleanup ID`)
    QString cohortName; // the mapping's cohort as it is named now
    // The mapping is deleted: its rehearsal's value is still on profiles, and only this
    // list still leads to it.
    bool mappingDeleted = false;
    RehearsalResult rehearsal;
    int carriers = 0; // profiles read back carrying the value when it was made

    QJsonObject toJson() const;
};

struct RehearsalCleanup
{
    qint64 mappingId = 0;
    QString value;
    int removed = 0;    // updates sent
    int remaining = -1; // profiles still carrying the value when verified
    int queriesUsed = 0;
    bool verified() const { return remaining == 0; }
    QJsonObject toJson() const;
};

struct SpotCheckResult
{
    qint64 mappingId = 0;
    qint64 atMs = 0;
    QString property; // the property read back (list property or flag)
    QString value;    // the cohort value
    QList<PersonCheck> people;
    int queriesUsed = 0;
    int queriesLeft = -1; // this hour, after the check

    int passedCount() const;
    // Every person agrees in both systems, and at least one segment member was checked.
    bool passed() const;
    QJsonObject toJson() const;
    static SpotCheckResult fromJson(const QJsonObject& o);
};

struct LatencyReport
{
    qint64 mappingId = 0;
    int runs = 0;       // runs with acknowledged batches considered
    qint64 changes = 0; // changes those batches carried
    std::optional<qint64> medianMs;
    std::optional<qint64> p95Ms;
    std::optional<qint64> maxMs;
    int expectationMinutes = 0; // 0: not set

    bool exceeded() const
    {
        return expectationMinutes > 0 && p95Ms && *p95Ms > qint64(expectationMinutes) * 60000;
    }
    QJsonObject toJson() const;
};

struct RolloutChecklist
{
    qint64 mappingId = 0;
    QList<ChecklistItem> items;
    // The mapping's sync latency over recent runs, for the console (not a checklist item;
    // latency_expectation_set is). Absent when it could not be read.
    std::optional<LatencyReport> latency;

    bool ready() const;
    const ChecklistItem* item(const QString& key) const;
    QJsonObject toJson() const; // {"ready":bool,"items":{key:{done,title,evidence}}}
};

// A check's result as the workspace keeps it: counts and reasons, no one's identifiers.
// Each person keeps the flags and the reason code (no ids, e-mail, key, what was typed or
// the sentence naming them); `unexpected` becomes `unexpected_count`. The full result is
// shown once (the console's dialog, the command's output) from memory.
QJsonObject withoutIdentifiers(const QJsonObject& result);

// What a check's evidence depends on (identity key, mode, property, cohort name):
// stored with each check, so evidence from before the mapping changed no longer counts.
QJsonObject trustFingerprint(const Mapping& m);

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::RehearsalResult)
Q_DECLARE_METATYPE(lockstep::RehearsalCleanup)
Q_DECLARE_METATYPE(lockstep::OpenRehearsal)
Q_DECLARE_METATYPE(lockstep::SpotCheckResult)
Q_DECLARE_METATYPE(lockstep::RolloutChecklist)
