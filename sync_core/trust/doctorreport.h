// What `lockstep doctor` and Settings › Check connection found: one row per check of
// the chain from the workspace to both services, each with what to do about it. Plain
// values: printed by the CLI, carried to the console by queued signals.
#pragma once

#include "api/customerioclient.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace lockstep {

// Stable check names (scripts read them from `doctor --json`). Mapping checks are
// "segment.<mapping id>".
namespace doctorcheck {
inline constexpr char kSchema[] = "workspace.schema";
inline constexpr char kConnection[] = "connection";
inline constexpr char kCustomerIoHost[] = "host.customerio";
inline constexpr char kMixpanelHost[] = "host.mixpanel";
inline constexpr char kMixpanelQueryHost[] = "host.mixpanel_query";
inline constexpr char kCustomerIoKey[] = "customerio.app_api_key";
inline constexpr char kServiceAccount[] = "mixpanel.service_account";
inline constexpr char kProjectToken[] = "mixpanel.project_token";
inline constexpr char kQueryBudget[] = "mixpanel.query_budget";
inline constexpr char kClock[] = "clock";
inline constexpr char kMappings[] = "mappings";
inline constexpr char kSegmentPrefix[] = "segment.";
} // namespace doctorcheck

struct DoctorCheck
{
    enum class Status
    {
        Pass,
        Fail,
        Skip
    };
    // What a failure means: the configuration is wrong (exit 2), or a service said no
    // or could not be reached (exit 3).
    enum class Kind
    {
        Config,
        Service
    };

    QString name;  // doctorcheck::k*, stable
    QString title; // for people
    Status status = Status::Skip;
    Kind kind = Kind::Service;
    QString detail; // what was found (never a secret)
    QString fix;    // what to do; empty when nothing

    bool passed() const { return status == Status::Pass; }
    bool failed() const { return status == Status::Fail; }
    static const char* statusName(Status s); // "pass", "fail", "skip"
    QJsonObject toJson() const;
};

struct DoctorReport
{
    QList<DoctorCheck> checks;
    // Customer.io's segments when the key check listed them (the wizard offers them).
    QList<SegmentInfo> segments;
    qint64 durationMs = 0;
    int queriesUsed = 0; // Mixpanel queries taken from the hourly budget

    bool passed() const; // nothing failed (skips allowed)
    bool configFailed() const;
    bool serviceFailed() const;
    int failures() const;
    const DoctorCheck* find(const QString& name) const;
    // {"verdict": "pass"|"fail", "checks": [...], "duration_ms", "queries_used"}
    QJsonObject toJson() const;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::DoctorReport)
