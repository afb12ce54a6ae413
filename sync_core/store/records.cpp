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
template <typename E, size_t N> QString nameOf(E v, const std::pair<E, const char*> (&table)[N])
{
    for (const auto& [value, name] : table)
        if (value == v)
            return QString::fromLatin1(name);
    return {};
}

const std::pair<SyncMode, const char*> kMode[] = {{SyncMode::List, "list"},
                                                  {SyncMode::Flag, "flag"}};
const std::pair<RunKind, const char*> kKind[] = {
    {RunKind::Incremental, "incremental"}, {RunKind::Full, "full"}, {RunKind::DryRun, "dry_run"}};
const std::pair<RunStatus, const char*> kStatus[] = {
    {RunStatus::Running, "running"},        {RunStatus::Succeeded, "succeeded"},
    {RunStatus::Partial, "partial"},        {RunStatus::Failed, "failed"},
    {RunStatus::Skipped, "skipped"},        {RunStatus::Cancelled, "cancelled"},
    {RunStatus::Interrupted, "interrupted"}};
} // namespace

QString syncModeName(SyncMode m)
{
    return nameOf(m, kMode);
}
std::optional<SyncMode> parseSyncMode(const QString& s)
{
    return parseName(s, kMode);
}
QString runKindName(RunKind k)
{
    return nameOf(k, kKind);
}
std::optional<RunKind> parseRunKind(const QString& s)
{
    return parseName(s, kKind);
}
QString runStatusName(RunStatus s)
{
    return nameOf(s, kStatus);
}
std::optional<RunStatus> parseRunStatus(const QString& s)
{
    return parseName(s, kStatus);
}

QString checkMappingKey(const QString& key)
{
    if (key.isEmpty())
        return QStringLiteral("a mapping key may not be empty");
    if (key.size() > 64)
        return QStringLiteral("a mapping key has at most 64 characters (this one has %1)")
            .arg(key.size());
    const auto plain = [](QChar c, bool first) {
        const char16_t u = c.unicode();
        const bool alnum =
            (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
        return alnum || (!first && (u == u'.' || u == u'_' || u == u'-'));
    };
    for (qsizetype i = 0; i < key.size(); ++i)
        if (!plain(key[i], i == 0))
            return i == 0 ? QStringLiteral("a mapping key starts with a letter or a digit")
                          : QStringLiteral("a mapping key holds only letters, digits, '.', '_' "
                                           "and '-' (found '%1')")
                                .arg(key[i]);
    return {};
}

QString mappingKeyFromName(const QString& cohortName)
{
    QString key;
    bool dash = false;
    for (const QChar c : cohortName.normalized(QString::NormalizationForm_KD).toLower()) {
        const char16_t u = c.unicode();
        if ((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')) {
            if (dash && !key.isEmpty())
                key += QLatin1Char('-');
            key += c;
            dash = false;
        } else if (c.category() != QChar::Mark_NonSpacing) {
            dash = true; // accents fall away, anything else separates words
        }
        if (key.size() >= 64)
            break;
    }
    key.truncate(64);
    while (key.endsWith(QLatin1Char('-')))
        key.chop(1);
    return key.isEmpty() ? QStringLiteral("mapping") : key;
}

QString Mapping::cohortDefinition() const
{
    if (mode == SyncMode::Flag)
        return QStringLiteral("User property \"%1\" is true").arg(cohortName);
    return QStringLiteral("User property \"%1\" (list) contains \"%2\"")
        .arg(listProperty, cohortName);
}

} // namespace lockstep

namespace lockstep {

QString ConnectionSettings::region() const
{
    return customerIoRegion == mixpanelRegion ? customerIoRegion : QString();
}

QStringList ConnectionSettings::customerIoRegions()
{
    return {QStringLiteral("us"), QStringLiteral("eu")};
}

QStringList ConnectionSettings::mixpanelRegions()
{
    return {QStringLiteral("us"), QStringLiteral("eu"), QStringLiteral("in")};
}

std::optional<QString> ConnectionSettings::customerIoUrlFor(const QString& region)
{
    if (region == QLatin1String("us"))
        return QStringLiteral("https://api.customer.io");
    if (region == QLatin1String("eu"))
        return QStringLiteral("https://api-eu.customer.io");
    return std::nullopt;
}

std::optional<ConnectionSettings::MixpanelUrls>
ConnectionSettings::mixpanelUrlsFor(const QString& region)
{
    if (region == QLatin1String("us"))
        return MixpanelUrls{QStringLiteral("https://api.mixpanel.com"),
                            QStringLiteral("https://mixpanel.com/api/query")};
    if (region == QLatin1String("eu"))
        return MixpanelUrls{QStringLiteral("https://api-eu.mixpanel.com"),
                            QStringLiteral("https://eu.mixpanel.com/api/query")};
    if (region == QLatin1String("in"))
        return MixpanelUrls{QStringLiteral("https://api-in.mixpanel.com"),
                            QStringLiteral("https://in.mixpanel.com/api/query")};
    return std::nullopt;
}

std::optional<ConnectionSettings> ConnectionSettings::forRegions(const QString& customerIoRegion,
                                                                 const QString& mixpanelRegion,
                                                                 qint64 projectId)
{
    const auto cio = customerIoUrlFor(customerIoRegion);
    const auto mp = mixpanelUrlsFor(mixpanelRegion);
    if (!cio || !mp)
        return std::nullopt;
    ConnectionSettings s;
    s.projectId = projectId;
    s.customerIoRegion = customerIoRegion;
    s.mixpanelRegion = mixpanelRegion;
    s.customerIoUrl = *cio;
    s.mixpanelUrl = mp->ingestion;
    s.mixpanelQueryUrl = mp->query;
    return s;
}

std::optional<ConnectionSettings> ConnectionSettings::forRegion(const QString& region,
                                                                qint64 projectId)
{
    return forRegions(region, region, projectId);
}

} // namespace lockstep
