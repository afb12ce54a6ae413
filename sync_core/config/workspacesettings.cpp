#include "workspacesettings.h"

#include "mappingthresholds.h"
#include "settings.h"
#include "store/mappingrepository.h"

#include <functional>
#include <vector>

namespace lockstep {

namespace {

// Where each workspace key lives in WorkspaceSettings.
struct Field
{
    const SettingKey* key;
    std::function<QString(const WorkspaceSettings&)> text;
    std::function<void(WorkspaceSettings&, const QString&)> assign; // text already valid
};

template <typename T, typename Get, typename Put> Field field(const Key<T>& key, Get get, Put put)
{
    return Field{key.row, [get](const WorkspaceSettings& s) { return settingText<T>(get(s)); },
                 [put](WorkspaceSettings& s, const QString& v) { put(s, settingValue<T>(v)); }};
}

template <typename T> Field top(const Key<T>& key, T WorkspaceSettings::*member)
{
    return field(
        key, [member](const WorkspaceSettings& s) { return s.*member; },
        [member](WorkspaceSettings& s, T v) { s.*member = v; });
}

template <typename T, typename M> Field health(const Key<T>& key, M HealthThresholds::*member)
{
    return field(
        key, [member](const WorkspaceSettings& s) { return T(s.thresholds.*member); },
        [member](WorkspaceSettings& s, T v) { s.thresholds.*member = M(v); });
}

// A duration kept in milliseconds, set in `unitMs` (a day, an hour).
Field healthDuration(const Key<int>& key, qint64 HealthThresholds::*member, qint64 unitMs)
{
    // A duration that is not a whole number of units reads as a fraction, which the
    // key's validation refuses by name rather than rounding it silently.
    return Field{key.row,
                 [member, unitMs](const WorkspaceSettings& s) {
                     const qint64 ms = s.thresholds.*member;
                     return ms % unitMs == 0
                                ? QString::number(ms / unitMs)
                                : QString::number(double(ms) / double(unitMs), 'g', 15);
                 },
                 [member, unitMs](WorkspaceSettings& s, const QString& v) {
                     s.thresholds.*member = v.toLongLong() * unitMs;
                 }};
}

const std::vector<Field>& fields()
{
    constexpr qint64 day = HealthThresholds::kDayMs;
    constexpr qint64 hour = day / 24;
    using H = HealthThresholds;
    static const std::vector<Field> all = {
        field(
            keys::NamingConvention, [](const WorkspaceSettings& s) { return s.naming.pattern; },
            [](WorkspaceSettings& s, const QString& v) { s.naming.pattern = v; }),
        top(keys::DefaultScheduleMinutes, &WorkspaceSettings::defaultScheduleMinutes),
        top(keys::FullResyncDays, &WorkspaceSettings::fullResyncDays),
        top(keys::CohortCheckMinutes, &WorkspaceSettings::cohortCheckMinutes),
        top(keys::ExitCheckLimit, &WorkspaceSettings::exitCheckLimit),
        top(keys::ExitCheckSample, &WorkspaceSettings::exitCheckSample),
        top(keys::VerifySample, &WorkspaceSettings::verifySample),
        top(keys::VerifyQueriesPerHour, &WorkspaceSettings::verifyQueriesPerHour),
        top(keys::MassExitPercent, &WorkspaceSettings::massExitPercent),
        health(keys::CollapseDropPercent, &H::collapseDropPercent),
        health(keys::NearZeroCount, &H::nearZeroCount),
        healthDuration(keys::CollapseWindowDays, &H::collapseMedianWindowMs, day),
        health(keys::CollapseMinPoints, &H::collapseMinPoints),
        health(keys::CollapseMinBaseline, &H::collapseMinBaseline),
        health(keys::WowSwingPercent, &H::wowSwingPercent),
        health(keys::WowMinAbsolute, &H::wowMinAbsolute),
        healthDuration(keys::WowToleranceHours, &H::wowToleranceMs, hour),
        healthDuration(keys::ChurnWindowDays, &H::churnWindowMs, day),
        health(keys::ChurnRatio, &H::churnRatio),
        health(keys::ChurnMinSize, &H::churnMinSize),
        health(keys::StaleFactor, &H::staleFactor),
        health(keys::NotReadyFactor, &H::notReadyFactor),
        health(keys::DriftPercent, &H::driftPercent),
        health(keys::DriftMinAbsolute, &H::driftMinAbsolute),
        healthDuration(keys::DriftMaxAgeDays, &H::driftMaxAgeMs, day),
        health(keys::MatchRateFloor, &H::matchRateFloor),
        health(keys::MatchRateMinSize, &H::matchRateMinSize),
        health(keys::UnknownProfilesWarningPercent, &H::unknownProfilesWarningPercent),
        health(keys::UnknownProfilesCriticalPercent, &H::unknownProfilesCriticalPercent),
        top(keys::StabilityChurnPercent, &WorkspaceSettings::stabilityChurnPercent),
    };
    return all;
}

} // namespace

ThresholdOverrides thresholdTexts(const HealthThresholds& t)
{
    WorkspaceSettings s;
    s.thresholds = t;
    ThresholdOverrides out;
    const QStringList names = overridableThresholds();
    for (const Field& f : fields())
        if (names.contains(QString::fromUtf8(f.key->name)))
            out.insert(QString::fromUtf8(f.key->name), f.text(s));
    return out;
}

HealthThresholds applyThresholdOverrides(HealthThresholds base, const ThresholdOverrides& o)
{
    // Through the same fields as the workspace's values, so a name means the same here.
    WorkspaceSettings s;
    s.thresholds = base;
    for (auto it = o.cbegin(); it != o.cend(); ++it) {
        for (const Field& f : fields()) {
            if (QString::fromUtf8(f.key->name) != it.key())
                continue;
            if (auto v = normalizeSetting(*f.key, it.value()); v)
                f.assign(s, *v);
        }
    }
    return s.thresholds;
}

Result<WorkspaceSettings> readWorkspaceSettings(Workspace& ws)
{
    WorkspaceSettings s;
    auto connection = SettingsRepository(ws).connection();
    if (!connection)
        return connection.error();
    s.connection = *connection;
    Settings settings(ws);
    for (const Field& f : fields()) {
        auto r = settings.read(*f.key);
        if (!r)
            return r.error();
        f.assign(s, r->value);
    }
    return s;
}

namespace {
Result<QList<std::pair<const SettingKey*, QString>>> texts(const WorkspaceSettings& s)
{
    QList<std::pair<const SettingKey*, QString>> out;
    for (const Field& f : fields()) {
        const QString text = f.text(s);
        if (auto ok = normalizeSetting(*f.key, text); !ok)
            return ok.error();
        out.append({f.key, text});
    }
    return out;
}
} // namespace

Status validateWorkspaceSettings(const WorkspaceSettings& s)
{
    auto t = texts(s);
    if (!t)
        return t.error();
    return {};
}

Status writeWorkspaceSettings(Workspace& ws, const WorkspaceSettings& s)
{
    auto t = texts(s);
    if (!t)
        return t.error();
    // setConnection() runs its own transaction (SQLite does not nest them).
    if (auto st = SettingsRepository(ws).setConnection(s.connection); !st)
        return st;
    return Settings(ws).setTexts(*t);
}

Status writeWorkspaceSettingsChanges(Workspace& ws, const WorkspaceSettings& base,
                                     const WorkspaceSettings& edited)
{
    auto t = texts(edited);
    if (!t)
        return t.error();
    QList<std::pair<const SettingKey*, QString>> changed;
    for (qsizetype i = 0; i < t->size(); ++i)
        if (fields()[size_t(i)].text(base) != (*t)[i].second)
            changed.append((*t)[i]);
    if (edited.connection != base.connection)
        if (auto st = SettingsRepository(ws).setConnection(edited.connection); !st)
            return st;
    return changed.isEmpty() ? Status() : Settings(ws).setTexts(changed);
}

} // namespace lockstep
