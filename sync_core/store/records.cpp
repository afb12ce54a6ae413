#include "records.h"

namespace lockstep {

namespace {
template <typename E, size_t N>
std::optional<E> parseName(const QString& s, const std::pair<E, const char*> (&table)[N])
{
    for (const auto& [value, name] : table)
        if (s == QLatin1String(name))
            return value;
    return std::nullopt;
}
template <typename E, size_t N>
QString nameOf(E v, const std::pair<E, const char*> (&table)[N])
{
    for (const auto& [value, name] : table)
        if (value == v)
            return QString::fromLatin1(name);
    return {};
}

const std::pair<IdentityKey, const char*> kIdentity[] = {
    {IdentityKey::Id, "id"}, {IdentityKey::Email, "email"}, {IdentityKey::CioId, "cio_id"}};
const std::pair<SyncMode, const char*> kMode[] = {{SyncMode::List, "list"},
                                                  {SyncMode::Flag, "flag"}};
const std::pair<RunKind, const char*> kKind[] = {
    {RunKind::Incremental, "incremental"}, {RunKind::Full, "full"}, {RunKind::DryRun, "dry_run"}};
const std::pair<RunStatus, const char*> kStatus[] = {
    {RunStatus::Running, "running"},     {RunStatus::Succeeded, "succeeded"},
    {RunStatus::Partial, "partial"},     {RunStatus::Failed, "failed"},
    {RunStatus::Skipped, "skipped"},     {RunStatus::Cancelled, "cancelled"},
    {RunStatus::Interrupted, "interrupted"}};
} // namespace

QString identityKeyName(IdentityKey k) { return nameOf(k, kIdentity); }
std::optional<IdentityKey> parseIdentityKey(const QString& s) { return parseName(s, kIdentity); }
QString syncModeName(SyncMode m) { return nameOf(m, kMode); }
std::optional<SyncMode> parseSyncMode(const QString& s) { return parseName(s, kMode); }
QString runKindName(RunKind k) { return nameOf(k, kKind); }
std::optional<RunKind> parseRunKind(const QString& s) { return parseName(s, kKind); }
QString runStatusName(RunStatus s) { return nameOf(s, kStatus); }
std::optional<RunStatus> parseRunStatus(const QString& s) { return parseName(s, kStatus); }

QString Mapping::cohortDefinition() const
{
    if (mode == SyncMode::Flag)
        return QStringLiteral("User property \"%1\" is true").arg(cohortName);
    return QStringLiteral("User property \"%1\" (list) contains \"%2\"").arg(listProperty, cohortName);
}

} // namespace lockstep

namespace lockstep {

std::optional<ConnectionSettings> ConnectionSettings::forRegion(const QString& region,
                                                               qint64 projectId)
{
    ConnectionSettings s;
    s.projectId = projectId;
    s.region = region;
    if (region == QLatin1String("us")) {
        s.customerIoUrl = QStringLiteral("https://api.customer.io");
        s.mixpanelUrl = QStringLiteral("https://api.mixpanel.com");
        s.mixpanelQueryUrl = QStringLiteral("https://mixpanel.com/api/query");
    } else if (region == QLatin1String("eu")) {
        s.customerIoUrl = QStringLiteral("https://api-eu.customer.io");
        s.mixpanelUrl = QStringLiteral("https://api-eu.mixpanel.com");
        s.mixpanelQueryUrl = QStringLiteral("https://eu.mixpanel.com/api/query");
    } else {
        return std::nullopt;
    }
    return s;
}

} // namespace lockstep
