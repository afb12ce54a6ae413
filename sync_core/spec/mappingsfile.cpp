#include "mappingsfile.h"

#include "audit/editdistance.h"
#include "secretscan.h"
#include "store/mappingrepository.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <map>

namespace lockstep {

Mapping MappingSpec::toMapping() const
{
    Mapping m;
    m.key = key;
    m.segmentId = segmentId;
    m.cohortName = cohortName;
    m.identity = identity;
    m.mode = mode;
    m.listProperty = listProperty;
    m.sendEvents = sendEvents;
    m.owner = owner;
    m.healthMonitor = healthMonitor;
    m.decision = decision;
    m.reportUrl = reportUrl.trimmed();
    m.reportCohort = m.reportUrl.isEmpty() ? QString() : reportCohort.value_or(cohortName);
    m.scheduleMinutes = scheduleMinutes;
    m.massExitPercent = massExitPercent;
    m.paused = paused;
    m.version = version;
    return m;
}

MappingSpec MappingSpec::fromMapping(const Mapping& m, int latencyExpectationMinutes,
                                     const QString& stabilityReviewedBy,
                                     const ThresholdOverrides& health)
{
    MappingSpec s;
    s.key = m.key;
    s.segmentId = m.segmentId;
    s.cohortName = m.cohortName;
    s.identity = m.identity;
    s.mode = m.mode;
    s.listProperty = m.listProperty;
    s.sendEvents = m.sendEvents;
    s.owner = m.owner;
    s.healthMonitor = m.healthMonitor;
    s.decision = m.decision;
    s.reportUrl = m.reportUrl;
    s.reportCohort = m.reportCohort;
    s.stabilityReviewedBy = stabilityReviewedBy;
    s.scheduleMinutes = m.scheduleMinutes;
    s.latencyExpectationMinutes = latencyExpectationMinutes;
    s.massExitPercent = m.usesWorkspaceMassExit() ? Mapping::kWorkspaceMassExit : m.massExitPercent;
    s.health = health;
    s.paused = m.paused;
    s.version = m.version;
    return s;
}

QString massExitPercentText(double percent)
{
    return percent < 0 ? QStringLiteral("default") : QString::number(percent, 'g', 15);
}

ConnectionSettings ConnectionSpec::toSettings() const
{
    ConnectionSettings s;
    s.projectId = projectId;
    s.customerIoRegion = customerIoRegion;
    s.customerIoUrl =
        customerIoRegion.isEmpty()
            ? customerIoUrl
            : ConnectionSettings::customerIoUrlFor(customerIoRegion).value_or(QString());
    s.mixpanelRegion = mixpanelRegion;
    if (mixpanelRegion.isEmpty()) {
        s.mixpanelUrl = mixpanelUrl;
        s.mixpanelQueryUrl = mixpanelQueryUrl;
    } else if (const auto urls = ConnectionSettings::mixpanelUrlsFor(mixpanelRegion)) {
        s.mixpanelUrl = urls->ingestion;
        s.mixpanelQueryUrl = urls->query;
    }
    return s;
}

ConnectionSpec ConnectionSpec::fromSettings(const ConnectionSettings& s)
{
    ConnectionSpec c;
    c.projectId = s.projectId;
    // A region stands for its hosts; addresses given by hand are written out.
    c.customerIoRegion = s.customerIoRegion;
    if (s.customerIoRegion.isEmpty() ||
        ConnectionSettings::customerIoUrlFor(s.customerIoRegion) != s.customerIoUrl) {
        c.customerIoRegion.clear();
        c.customerIoUrl = s.customerIoUrl;
    }
    const auto urls = ConnectionSettings::mixpanelUrlsFor(s.mixpanelRegion);
    if (!s.mixpanelRegion.isEmpty() && urls && urls->ingestion == s.mixpanelUrl &&
        urls->query == s.mixpanelQueryUrl) {
        c.mixpanelRegion = s.mixpanelRegion;
    } else {
        c.mixpanelUrl = s.mixpanelUrl;
        c.mixpanelQueryUrl = s.mixpanelQueryUrl;
    }
    return c;
}

NotificationChannel ChannelSpec::toChannel(const QList<qint64>& mappingIds) const
{
    NotificationChannel c;
    c.key = key;
    c.kind = kind;
    c.name = name;
    c.severities = severities;
    c.mappingIds = mappingIds;
    if (kind == ChannelKind::Webhook)
        c.headerNames = headerNames;
    if (kind == ChannelKind::Email) {
        c.smtpUrl = smtpUrl;
        c.mailFrom = mailFrom;
        c.mailTo = mailTo;
        c.mailMonitor = mailMonitor;
        QUrl shown(smtpUrl);
        shown.setUserInfo(QString());
        c.target = shown.toString();
    }
    return c;
}

ChannelSpec ChannelSpec::fromChannel(const NotificationChannel& c,
                                     const QHash<qint64, QString>& mappingKeys)
{
    ChannelSpec s;
    s.key = c.key;
    s.kind = c.kind;
    s.name = c.name;
    s.severities.clear();
    for (AlertSeverity v : {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info})
        if (c.severities.contains(v))
            s.severities << v;
    if (!c.mappingIds.isEmpty()) {
        QStringList keys;
        for (qint64 id : c.mappingIds)
            if (const auto it = mappingKeys.find(id);
                it != mappingKeys.end() && !keys.contains(*it))
                keys << *it;
        keys.sort();
        s.mappings = keys;
    }
    if (c.kind == ChannelKind::Webhook)
        s.headerNames = c.headerNames;
    if (c.kind == ChannelKind::Email) {
        s.smtpUrl = c.smtpUrl;
        s.mailFrom = c.mailFrom;
        s.mailTo = c.mailTo;
        s.mailMonitor = c.mailMonitor;
    }
    return s;
}

namespace {

const QStringList kTopKeys = {QStringLiteral("lockstep"),      QStringLiteral("connection"),
                              QStringLiteral("settings"),      QStringLiteral("mappings"),
                              QStringLiteral("watched_pairs"), QStringLiteral("notifications")};
const QStringList kConnectionKeys = {
    QStringLiteral("customerio_region"),  QStringLiteral("customerio_url"),
    QStringLiteral("mixpanel_region"),    QStringLiteral("mixpanel_url"),
    QStringLiteral("mixpanel_query_url"), QStringLiteral("project_id")};
const QStringList kMappingKeys = {QStringLiteral("key"),
                                  QStringLiteral("segment"),
                                  QStringLiteral("cohort"),
                                  QStringLiteral("identity"),
                                  QStringLiteral("mode"),
                                  QStringLiteral("property"),
                                  QStringLiteral("events"),
                                  QStringLiteral("owner"),
                                  QStringLiteral("health_monitor"),
                                  QStringLiteral("decision"),
                                  QStringLiteral("report_url"),
                                  QStringLiteral("report_cohort"),
                                  QStringLiteral("schedule_minutes"),
                                  QStringLiteral("latency_expectation_minutes"),
                                  QStringLiteral("stability_reviewed_by"),
                                  QStringLiteral("mass_exit_percent"),
                                  QStringLiteral("health"),
                                  QStringLiteral("paused"),
                                  QStringLiteral("version")};
const QStringList kPairKeys = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("label")};
const QStringList kChannelKeys = {QStringLiteral("key"),      QStringLiteral("kind"),
                                  QStringLiteral("name"),     QStringLiteral("severities"),
                                  QStringLiteral("mappings"), QStringLiteral("headers"),
                                  QStringLiteral("smtp"),     QStringLiteral("from"),
                                  QStringLiteral("to"),       QStringLiteral("to_monitor")};
// What a person might write to give a channel its secret, and the variable it belongs in
// instead.
const std::pair<const char*, const char*> kChannelSecretKeys[] = {
    {"url", "URL"},
    {"webhook_url", "URL"},
    {"token", "URL"},
    {"secret", "HMAC_SECRET"},
    {"hmac_secret", "HMAC_SECRET"},
    {"signing_secret", "HMAC_SECRET"},
    {"password", "SMTP_PASSWORD"},
    {"smtp_password", "SMTP_PASSWORD"},
    {"header_values", "HEADERS"},
};

QString closest(const QString& word, const QStringList& known)
{
    QString best;
    int bestDistance = std::numeric_limits<int>::max();
    for (const QString& k : known) {
        const int d = editDistance(word.toLower(), k);
        if (d < bestDistance) {
            bestDistance = d;
            best = k;
        }
    }
    if (bestDistance <= std::max<qsizetype>(2, word.size() / 3))
        return best;
    // A singular for a plural ("severity" for "severities"): the same long stem.
    for (const QString& k : known) {
        qsizetype common = 0;
        while (common < std::min(word.size(), k.size()) && word[common].toLower() == k[common])
            ++common;
        if (common >= std::max<qsizetype>(5, word.size() - 1))
            return k;
    }
    return {};
}

class Reader
{
public:
    Reader(const MappingsFileOptions& options, QList<SpecError>& errors)
        : m_options(options), m_errors(errors)
    {}

    void error(const SpecPosition& at, const QString& message) { m_errors.append({at, message}); }

    // The map's entries by key; reports keys it does not know (naming the closest one).
    // `refused`: keys that are never allowed here, with why.
    std::map<QString, const SpecNode*> fields(const SpecNode& map, const QStringList& known,
                                              const QString& where,
                                              const std::map<QString, QString>& refused = {})
    {
        std::map<QString, const SpecNode*> out;
        for (const auto& [key, value] : map.entries) {
            if (!key.isScalar())
                continue; // reported by the document reader
            if (const auto why = refused.find(key.text.toLower()); why != refused.end()) {
                error(key.at, QStringLiteral("%1: %2").arg(where, why->second));
                continue;
            }
            if (!known.contains(key.text)) {
                if (!secretReason(key.text, m_options.knownSecrets).isEmpty()) {
                    error(key.at, QStringLiteral("%1: an unknown key that looks like a secret; a "
                                                 "mappings file never holds one")
                                      .arg(where));
                    continue;
                }
                const QString near = closest(key.text, known);
                error(key.at, near.isEmpty()
                                  ? QStringLiteral("%1: unknown key `%2` (known: %3)")
                                        .arg(where, key.text, known.join(QStringLiteral(", ")))
                                  : QStringLiteral("%1: unknown key `%2`; did you mean `%3`?")
                                        .arg(where, key.text, near));
                continue;
            }
            out.emplace(key.text, &value); // a duplicate is reported by the document reader
        }
        return out;
    }

    static const SpecNode* find(const std::map<QString, const SpecNode*>& f, const char* key)
    {
        const auto it = f.find(QString::fromLatin1(key));
        return it == f.end() ? nullptr : it->second;
    }

    // A text value (null reads as empty). Never echoes a value that looks like a secret.
    std::optional<QString> text(const SpecNode& n, const QString& what, bool multiline = false)
    {
        if (n.isNull())
            return QString();
        if (!n.isScalar()) {
            error(n.at, QStringLiteral("%1 must be a value, not %2").arg(what, n.kindName()));
            return std::nullopt;
        }
        if (const QString why = secretReason(n.text, m_options.knownSecrets); !why.isEmpty()) {
            error(n.at, QStringLiteral("%1 looks like a secret (%2); a mappings file never holds "
                                       "one: keep secrets in the environment or the keychain")
                            .arg(what, why));
            return std::nullopt;
        }
        for (const QChar c : n.text)
            if (c.category() == QChar::Other_Control &&
                !(multiline && (c == QLatin1Char('\n') || c == QLatin1Char('\t')))) {
                error(n.at, QStringLiteral("%1 holds a control character (U+%2)")
                                .arg(what)
                                .arg(c.unicode(), 4, 16, QLatin1Char('0')));
                return std::nullopt;
            }
        return n.text;
    }

    std::optional<qint64> integer(const SpecNode& n, const QString& what, qint64 min, qint64 max)
    {
        auto t = text(n, what);
        if (!t)
            return std::nullopt;
        bool ok = false;
        const qint64 v = t->trimmed().toLongLong(&ok);
        if (!ok || t->isEmpty()) {
            error(n.at, QStringLiteral("%1 must be a whole number, not \"%2\"").arg(what, *t));
            return std::nullopt;
        }
        if (v < min || v > max) {
            error(n.at, QStringLiteral("%1 must be from %2 to %3, not %4")
                            .arg(what)
                            .arg(min)
                            .arg(max)
                            .arg(v));
            return std::nullopt;
        }
        return v;
    }

    std::optional<bool> boolean(const SpecNode& n, const QString& what)
    {
        auto t = text(n, what);
        if (!t)
            return std::nullopt;
        // Only YAML 1.2's words: `yes`, `on` and `y` meant true to YAML 1.1 tools and
        // nothing to others, so a reviewer could misread them.
        const QString lower = t->toLower();
        if (n.plain && lower == QLatin1String("true"))
            return true;
        if (n.plain && lower == QLatin1String("false"))
            return false;
        error(
            n.at,
            QStringLiteral("%1 must be true or false (without quotes), not \"%2\"").arg(what, *t));
        return std::nullopt;
    }

    // A share in percent from 0 to 100, or `default` (below zero).
    std::optional<double> share(const SpecNode& n, const QString& what)
    {
        auto t = text(n, what);
        if (!t)
            return std::nullopt;
        if (*t == QLatin1String("default"))
            return Mapping::kWorkspaceMassExit;
        bool ok = false;
        const double v = t->trimmed().toDouble(&ok);
        if (!ok || !(v >= 0 && v <= 100)) {
            error(n.at, QStringLiteral("%1 must be a share from 0 (off) to 100, or default, not "
                                       "\"%2\"")
                            .arg(what, *t));
            return std::nullopt;
        }
        return v;
    }

    template <typename E>
    std::optional<E> choice(const SpecNode& n, const QString& what,
                            std::optional<E> (*parse)(const QString&), const QString& valid)
    {
        auto t = text(n, what);
        if (!t)
            return std::nullopt;
        const auto v = parse(*t);
        if (!v)
            error(n.at, QStringLiteral("%1 must be %2, not \"%3\"").arg(what, valid, *t));
        return v;
    }

    bool isMap(const SpecNode& n, const QString& what)
    {
        if (n.isMap())
            return true;
        error(
            n.at,
            QStringLiteral("%1 must be a map (key: value lines), not %2").arg(what, n.kindName()));
        return false;
    }
    bool isList(const SpecNode& n, const QString& what)
    {
        if (n.isSequence())
            return true;
        // An empty section (`mappings:` with nothing under it) means none: say so.
        error(n.at, n.isNull() ? QStringLiteral("%1 is empty: write `[]` for none, or leave the "
                                                "section out to leave it as it is")
                                     .arg(what)
                               : QStringLiteral("%1 must be a list (lines starting with `- `), "
                                                "not %2")
                                     .arg(what, n.kindName()));
        return false;
    }

    std::optional<ConnectionSpec> connection(const SpecNode& n);
    std::optional<QList<std::pair<const SettingKey*, QString>>> settings(const SpecNode& n);
    std::optional<MappingSpec> mapping(const SpecNode& n, int index, int defaultSchedule);
    std::optional<WatchedPairSpec> pair(const SpecNode& n, int index);
    // `mappingKeys`: the keys the file's mappings have (null: the file has none; the
    // planner checks against the workspace).
    std::optional<ChannelSpec> channel(const SpecNode& n, int index,
                                       const QSet<QString>* mappingKeys);

private:
    // The values of a list of values (`[a, b]`), each checked as text; nullopt after an error.
    std::optional<QList<std::pair<QString, SpecPosition>>> texts(const SpecNode& n,
                                                                 const QString& what);

    std::optional<QString> url(const SpecNode* n, const QString& what);

    const MappingsFileOptions& m_options;
    QList<SpecError>& m_errors;
};

std::optional<QString> Reader::url(const SpecNode* n, const QString& what)
{
    if (!n)
        return QString();
    auto t = text(*n, what);
    if (!t || t->isEmpty())
        return t;
    const QUrl u(*t, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty() ||
        (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https"))) {
        error(n->at, QStringLiteral("%1 must be an http(s) URL, not \"%2\"").arg(what, *t));
        return std::nullopt;
    }
    return t;
}

std::optional<ConnectionSpec> Reader::connection(const SpecNode& n)
{
    const QString where = QStringLiteral("connection");
    if (!isMap(n, where))
        return std::nullopt;
    const int before = m_errors.size();
    const auto f = fields(n, kConnectionKeys, where);
    ConnectionSpec c;
    const auto region = [&](const char* key, const QStringList& valid) -> QString {
        const SpecNode* v = find(f, key);
        if (!v)
            return {};
        const QString what = QStringLiteral("connection.%1").arg(QLatin1String(key));
        const auto t = text(*v, what);
        if (t && !t->isEmpty() && !valid.contains(*t))
            error(v->at, QStringLiteral("%1 must be %2, not \"%3\"")
                             .arg(what, valid.join(QStringLiteral(" or ")), *t));
        return t.value_or(QString());
    };
    c.customerIoRegion = region("customerio_region", ConnectionSettings::customerIoRegions());
    c.mixpanelRegion = region("mixpanel_region", ConnectionSettings::mixpanelRegions());
    c.customerIoUrl = url(find(f, "customerio_url"), QStringLiteral("connection.customerio_url"))
                          .value_or(QString());
    c.mixpanelUrl =
        url(find(f, "mixpanel_url"), QStringLiteral("connection.mixpanel_url")).value_or(QString());
    c.mixpanelQueryUrl =
        url(find(f, "mixpanel_query_url"), QStringLiteral("connection.mixpanel_query_url"))
            .value_or(QString());
    if (const SpecNode* pid = find(f, "project_id"))
        c.projectId = integer(*pid, QStringLiteral("connection.project_id"), 1,
                              std::numeric_limits<qint64>::max())
                          .value_or(0);
    else
        error(n.at, QStringLiteral("connection: `project_id` is missing"));
    if (m_errors.size() > before)
        return std::nullopt;
    if (c.customerIoRegion.isEmpty() == c.customerIoUrl.isEmpty())
        error(n.at, QStringLiteral("connection: give either `customerio_region` or "
                                   "`customerio_url`"));
    if (!c.mixpanelRegion.isEmpty() && (!c.mixpanelUrl.isEmpty() || !c.mixpanelQueryUrl.isEmpty()))
        error(n.at, QStringLiteral("connection: give either `mixpanel_region` or `mixpanel_url` "
                                   "and `mixpanel_query_url`"));
    else if (c.mixpanelRegion.isEmpty() &&
             (c.mixpanelUrl.isEmpty() || c.mixpanelQueryUrl.isEmpty()))
        error(n.at, QStringLiteral("connection: give `mixpanel_region`, or both `mixpanel_url` "
                                   "and `mixpanel_query_url`"));
    if (m_errors.size() > before)
        return std::nullopt;
    return c;
}

std::optional<QList<std::pair<const SettingKey*, QString>>> Reader::settings(const SpecNode& n)
{
    QStringList names;
    for (const SettingKey& k : settingKeys())
        if (k.scope == SettingScope::Workspace)
            names << QString::fromUtf8(k.name);
    const QString where = QStringLiteral("settings");
    if (n.isNull())
        return QList<std::pair<const SettingKey*, QString>>{}; // every default: filled below
    if (!isMap(n, where))
        return std::nullopt;
    const int before = m_errors.size();
    std::map<const SettingKey*, QString> given;
    for (const auto& [key, value] : n.entries) {
        if (!key.isScalar())
            continue;
        const SettingKey* k = findSettingKey(key.text);
        if (k && k->scope != SettingScope::Workspace) {
            error(key.at, QStringLiteral("settings: %1 is kept by Lockstep itself, not set in a "
                                         "file")
                              .arg(key.text));
            continue;
        }
        if (!k || QString::fromUtf8(k->name) != key.text) {
            const QString near = k ? QString::fromUtf8(k->name) : closest(key.text, names);
            error(key.at,
                  near.isEmpty()
                      ? QStringLiteral("settings: unknown setting `%1` (`lockstep config list` "
                                       "names them)")
                            .arg(key.text)
                      : QStringLiteral("settings: unknown setting `%1`; did you mean `%2`?")
                            .arg(key.text, near));
            continue;
        }
        const QString what = QStringLiteral("settings.%1").arg(key.text);
        const auto t = text(value, what);
        if (!t)
            continue;
        auto canonical = normalizeSetting(*k, *t);
        if (!canonical) {
            error(value.at, QStringLiteral("%1: %2").arg(what, canonical.error().message));
            continue;
        }
        given[k] = *canonical;
    }
    if (m_errors.size() > before)
        return std::nullopt;
    QList<std::pair<const SettingKey*, QString>> out;
    for (const SettingKey& k : settingKeys())
        if (k.scope == SettingScope::Workspace) {
            const auto it = given.find(&k);
            out.append({&k, it != given.end() ? it->second : settingDefault(k)});
        }
    return out;
}

std::optional<MappingSpec> Reader::mapping(const SpecNode& n, int index, int defaultSchedule)
{
    QString where = QStringLiteral("mappings[%1]").arg(index);
    if (!isMap(n, where))
        return std::nullopt;
    const int before = m_errors.size();
    const auto f = fields(n, kMappingKeys, where);
    MappingSpec m;
    m.at = n.at;
    const auto need = [&](const char* key) -> const SpecNode* {
        const SpecNode* v = find(f, key);
        if (!v)
            error(n.at, QStringLiteral("%1: `%2` is missing").arg(where, QLatin1String(key)));
        return v;
    };
    // "mappings[3].owner" until the key is known, then "mapping winback: owner".
    const auto field = [&](const char* key) {
        return where.startsWith(QLatin1String("mappings["))
                   ? QStringLiteral("%1.%2").arg(where, QLatin1String(key))
                   : QStringLiteral("%1: %2").arg(where, QLatin1String(key));
    };
    if (const SpecNode* v = need("key")) {
        if (auto t = text(*v, field("key"))) {
            if (const QString wrong = checkMappingKey(*t); !wrong.isEmpty())
                error(v->at, QStringLiteral("%1: %2").arg(field("key"), wrong));
            m.key = *t;
            if (checkMappingKey(*t).isEmpty())
                where = QStringLiteral("mapping %1").arg(*t);
        }
    }
    if (const SpecNode* v = need("segment"))
        m.segmentId =
            integer(*v, field("segment"), 1, std::numeric_limits<qint64>::max()).value_or(0);
    if (const SpecNode* v = need("cohort"))
        m.cohortName = text(*v, field("cohort")).value_or(QString());
    if (const SpecNode* v = need("identity"))
        m.identity = choice<IdentityKey>(*v, field("identity"), &parseIdentityKey,
                                         QStringLiteral("email, id or cio_id"))
                         .value_or(IdentityKey::Email);
    if (const SpecNode* v = find(f, "mode"))
        m.mode = choice<SyncMode>(*v, field("mode"), &parseSyncMode, QStringLiteral("list or flag"))
                     .value_or(SyncMode::List);
    if (const SpecNode* v = find(f, "property"))
        m.listProperty = text(*v, field("property")).value_or(QString());
    if (const SpecNode* v = find(f, "events"))
        m.sendEvents = boolean(*v, field("events")).value_or(false);
    if (const SpecNode* v = find(f, "owner"))
        m.owner = text(*v, field("owner")).value_or(QString());
    if (const SpecNode* v = find(f, "health_monitor"))
        m.healthMonitor = text(*v, field("health_monitor")).value_or(QString());
    if (const SpecNode* v = find(f, "decision"))
        m.decision = text(*v, field("decision"), true).value_or(QString());
    if (const SpecNode* v = find(f, "report_url"))
        m.reportUrl = text(*v, field("report_url")).value_or(QString()).trimmed();
    if (const SpecNode* v = find(f, "report_cohort")) {
        m.reportCohort = text(*v, field("report_cohort")).value_or(QString());
        if (m.reportUrl.isEmpty())
            error(v->at, QStringLiteral("%1: a report_cohort needs the report_url it names")
                             .arg(field("report_cohort")));
    }
    if (const SpecNode* v = find(f, "stability_reviewed_by"))
        m.stabilityReviewedBy =
            text(*v, field("stability_reviewed_by")).value_or(QString()).simplified();
    m.scheduleMinutes = defaultSchedule;
    if (const SpecNode* v = find(f, "schedule_minutes"))
        m.scheduleMinutes = int(integer(*v, field("schedule_minutes"), 1, 525600).value_or(60));
    if (const SpecNode* v = find(f, "latency_expectation_minutes"))
        m.latencyExpectationMinutes =
            int(integer(*v, field("latency_expectation_minutes"), 0, 525600).value_or(0));
    if (const SpecNode* v = find(f, "mass_exit_percent"))
        m.massExitPercent =
            share(*v, field("mass_exit_percent")).value_or(Mapping::kWorkspaceMassExit);
    if (const SpecNode* v = find(f, "health")) {
        // Each as the workspace setting of that name takes it (`lockstep config list`).
        const QString what = field("health");
        if (!v->isNull() && isMap(*v, what)) {
            for (const auto& [name, value] : v->entries) {
                if (!name.isScalar())
                    continue;
                const auto t = text(value, QStringLiteral("%1.%2").arg(what, name.text));
                if (!t)
                    continue;
                auto canonical = normalizeThresholdOverride(name.text, *t);
                if (!canonical) {
                    const QString near = closest(name.text, overridableThresholds());
                    const bool unknown = !overridableThresholds().contains(name.text);
                    error(unknown ? name.at : value.at,
                          unknown && !near.isEmpty()
                              ? QStringLiteral("%1: unknown threshold `%2`; did you mean `%3`?")
                                    .arg(what, name.text, near)
                              : QStringLiteral("%1.%2: %3")
                                    .arg(what, name.text, canonical.error().message));
                    continue;
                }
                m.health.insert(name.text, *canonical);
            }
        }
    }
    if (const SpecNode* v = find(f, "paused"))
        m.paused = boolean(*v, field("paused")).value_or(false);
    if (const SpecNode* v = find(f, "version"))
        m.version = int(integer(*v, field("version"), 1, 1000000).value_or(1));
    if (m_errors.size() > before)
        return std::nullopt;
    // The rules the console and `mapping add` apply (cohort name bytes, '$', ...).
    if (auto st = MappingRepository::validate(m.toMapping()); !st) {
        error(n.at, QStringLiteral("%1: %2").arg(where, st.error().message));
        return std::nullopt;
    }
    return m;
}

std::optional<WatchedPairSpec> Reader::pair(const SpecNode& n, int index)
{
    const QString where = QStringLiteral("watched_pairs[%1]").arg(index);
    if (!isMap(n, where))
        return std::nullopt;
    const int before = m_errors.size();
    const auto f = fields(n, kPairKeys, where);
    WatchedPairSpec p;
    p.at = n.at;
    for (const auto& [key, target] : {std::pair{"a", &p.a}, std::pair{"b", &p.b}}) {
        const SpecNode* v = find(f, key);
        if (!v) {
            error(n.at, QStringLiteral("%1: `%2` is missing (a mapping key)")
                            .arg(where, QLatin1String(key)));
            continue;
        }
        *target =
            text(*v, QStringLiteral("%1.%2").arg(where, QLatin1String(key))).value_or(QString());
    }
    if (const SpecNode* v = find(f, "label"))
        p.label = text(*v, QStringLiteral("%1.label").arg(where)).value_or(QString());
    if (m_errors.size() > before)
        return std::nullopt;
    if (p.a == p.b) {
        error(n.at, QStringLiteral("%1: a mapping cannot be watched against itself").arg(where));
        return std::nullopt;
    }
    if (p.b < p.a)
        std::swap(p.a, p.b);
    return p;
}

std::optional<QList<std::pair<QString, SpecPosition>>> Reader::texts(const SpecNode& n,
                                                                     const QString& what)
{
    if (!n.isSequence()) {
        error(n.at, QStringLiteral("%1 must be a list (`[a, b]`, or lines starting with `- `), "
                                   "not %2")
                        .arg(what, n.kindName()));
        return std::nullopt;
    }
    const int before = m_errors.size();
    QList<std::pair<QString, SpecPosition>> out;
    for (const SpecNode& item : n.items)
        if (auto t = text(item, what))
            out.append({*t, item.at});
    if (m_errors.size() > before)
        return std::nullopt;
    return out;
}

std::optional<ChannelSpec> Reader::channel(const SpecNode& n, int index,
                                           const QSet<QString>* mappingKeys)
{
    QString where = QStringLiteral("notifications[%1]").arg(index);
    if (!isMap(n, where))
        return std::nullopt;
    const int before = m_errors.size();
    // The key first: messages name the channel and the variables its secrets belong in.
    QString variables = QStringLiteral("LOCKSTEP_NOTIFY_<KEY>_");
    for (const auto& [k, v] : n.entries)
        if (k.isScalar() && k.text == QLatin1String("key") && v.isScalar() &&
            checkChannelKey(v.text).isEmpty() && secretReason(v.text).isEmpty()) {
            where = QStringLiteral("notification %1").arg(v.text);
            variables = QStringLiteral("LOCKSTEP_NOTIFY_%1_").arg(channelKeyVariable(v.text));
        }
    std::map<QString, QString> refused;
    for (const auto& [name, suffix] : kChannelSecretKeys)
        refused.emplace(QString::fromLatin1(name),
                        QStringLiteral("`%1` is a secret, and a mappings file never holds one: "
                                       "give it to each process that delivers alerts as %2%3")
                            .arg(QLatin1String(name), variables, QLatin1String(suffix)));
    const auto f = fields(n, kChannelKeys, where, refused);
    const auto field = [&](const char* key) {
        return QStringLiteral("%1: %2").arg(where, QLatin1String(key));
    };
    ChannelSpec c;
    c.at = n.at;
    if (const SpecNode* v = find(f, "key")) {
        if (auto t = text(*v, field("key"))) {
            if (const QString wrong = checkChannelKey(*t); !wrong.isEmpty())
                error(v->at, QStringLiteral("%1: %2").arg(field("key"), wrong));
            c.key = *t;
        }
    } else {
        error(n.at, QStringLiteral("%1: `key` is missing").arg(where));
    }
    if (const SpecNode* v = find(f, "kind"))
        c.kind = choice<ChannelKind>(*v, field("kind"), &parseChannelKind,
                                     QStringLiteral("slack, teams, webhook or email"))
                     .value_or(ChannelKind::Slack);
    else
        error(n.at,
              QStringLiteral("%1: `kind` is missing (slack, teams, webhook or email)").arg(where));
    if (m_errors.size() > before)
        return std::nullopt; // what else is wrong depends on the kind
    if (const SpecNode* v = find(f, "name"))
        c.name = text(*v, field("name")).value_or(QString()).trimmed();
    if (const SpecNode* v = find(f, "severities")) {
        if (auto words = texts(*v, field("severities"))) {
            c.severities.clear();
            for (const auto& [word, at] : *words) {
                const auto one = parseSeverities(word);
                if (!one || one->size() != 1) {
                    error(at, QStringLiteral("%1 must be critical, warning or info, not \"%2\"")
                                  .arg(field("severities"), word));
                    continue;
                }
                if (c.severities.contains(one->first()))
                    error(at,
                          QStringLiteral("%1: %2 appears twice").arg(field("severities"), word));
                c.severities << one->first();
            }
            if (words->isEmpty())
                error(v->at, QStringLiteral("%1: name at least one (critical, warning, info)")
                                 .arg(field("severities")));
        }
    }
    if (const SpecNode* v = find(f, "mappings")) {
        if (auto keys = texts(*v, field("mappings"))) {
            QStringList list;
            for (const auto& [key, at] : *keys) {
                if (list.contains(key))
                    error(at, QStringLiteral("%1: %2 appears twice").arg(field("mappings"), key));
                else if (mappingKeys && !mappingKeys->contains(key))
                    error(at, QStringLiteral("%1: no mapping has the key %2")
                                  .arg(field("mappings"), key));
                list << key;
            }
            list.sort();
            c.mappings = list;
        }
    }
    const auto onlyFor = [&](const char* key, ChannelKind kind) {
        const SpecNode* v = find(f, key);
        if (v && c.kind != kind)
            error(v->at, QStringLiteral("%1 is for kind %2, not %3")
                             .arg(field(key), channelKindName(kind), channelKindName(c.kind)));
        return c.kind == kind ? v : nullptr;
    };
    if (const SpecNode* v = onlyFor("headers", ChannelKind::Webhook)) {
        const QString why = QStringLiteral("%1 holds header names only: a header's value is a "
                                           "secret; give the values to each process that "
                                           "delivers alerts as %2HEADERS (a JSON object)")
                                .arg(field("headers"), variables);
        if (v->isMap()) {
            error(v->at, why);
        } else if (auto names = texts(*v, field("headers"))) {
            static const QRegularExpression token(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"));
            for (const auto& [name, at] : *names) {
                if (name.contains(QLatin1Char(':')))
                    error(at, why);
                else if (!token.match(name).hasMatch())
                    error(at, QStringLiteral("%1: \"%2\" is not a header name")
                                  .arg(field("headers"), name));
                else if (c.headerNames.contains(name, Qt::CaseInsensitive))
                    error(at, QStringLiteral("%1: %2 appears twice").arg(field("headers"), name));
                else
                    c.headerNames << name;
            }
        }
    }
    if (const SpecNode* v = onlyFor("smtp", ChannelKind::Email)) {
        const QUrl u(v->text);
        if (v->isScalar() && !u.password().isEmpty()) {
            // Said before anything echoes it, and without the value.
            error(v->at, QStringLiteral("%1 holds a password, and a mappings file never holds "
                                        "one: leave it out of the address and give it to each "
                                        "process that delivers alerts as %2SMTP_PASSWORD")
                             .arg(field("smtp"), variables));
        } else if (auto t = text(*v, field("smtp"))) {
            const QUrl smtp(*t, QUrl::StrictMode);
            if (!smtp.isValid() ||
                (smtp.scheme() != QLatin1String("smtp") && smtp.scheme() != QLatin1String("smtps")))
                error(v->at, QStringLiteral("%1 must start with smtp:// (STARTTLS) or smtps:// "
                                            "(implicit TLS), not \"%2\"")
                                 .arg(field("smtp"), *t));
            else if (smtp.host().isEmpty())
                error(v->at, QStringLiteral("%1 has no host").arg(field("smtp")));
            else if ((!smtp.path().isEmpty() && smtp.path() != QLatin1String("/")) ||
                     smtp.hasQuery() || smtp.hasFragment())
                error(v->at, QStringLiteral("%1 is a server address: smtp[s]://[user@]host[:port], "
                                            "nothing after it")
                                 .arg(field("smtp")));
            c.smtpUrl = *t;
        }
    }
    if (const SpecNode* v = onlyFor("from", ChannelKind::Email)) {
        if (auto t = text(*v, field("from"))) {
            if (!isMailAddress(*t))
                error(v->at,
                      QStringLiteral("%1: not an e-mail address: \"%2\"").arg(field("from"), *t));
            c.mailFrom = *t;
        }
    }
    if (const SpecNode* v = onlyFor("to", ChannelKind::Email)) {
        if (auto list = texts(*v, field("to")))
            for (const auto& [address, at] : *list) {
                if (!isMailAddress(address))
                    error(at, QStringLiteral("%1: not an e-mail address: \"%2\"")
                                  .arg(field("to"), address));
                c.mailTo << address;
            }
    }
    if (const SpecNode* v = onlyFor("to_monitor", ChannelKind::Email))
        c.mailMonitor = boolean(*v, field("to_monitor")).value_or(false);
    if (c.kind == ChannelKind::Email && m_errors.size() == before) {
        if (c.smtpUrl.isEmpty())
            error(n.at, QStringLiteral("%1: `smtp` is missing (kind email)").arg(where));
        if (c.mailFrom.isEmpty())
            error(n.at, QStringLiteral("%1: `from` is missing (kind email)").arg(where));
        if (c.mailTo.isEmpty() && !c.mailMonitor)
            error(n.at, QStringLiteral("%1: an e-mail channel needs `to` or `to_monitor: true`")
                            .arg(where));
    }
    if (m_errors.size() > before)
        return std::nullopt;
    return c;
}

void sortErrors(QList<SpecError>& errors)
{
    std::stable_sort(errors.begin(), errors.end(), [](const SpecError& x, const SpecError& y) {
        return std::pair(x.at.line, x.at.column) < std::pair(y.at.line, y.at.column);
    });
}

} // namespace

MappingsFileRead parseMappingsDocument(const SpecDocument& doc, const MappingsFileOptions& options)
{
    MappingsFileRead out;
    out.json = doc.json;
    out.errors = doc.errors;
    if (!doc.root || !out.errors.isEmpty())
        return out;
    const SpecNode& root = *doc.root;
    Reader r(options, out.errors);
    if (root.isNull()) {
        r.error({1, 1}, QStringLiteral("the file is empty; `lockstep export` writes one to start "
                                       "from"));
        return out;
    }
    if (!r.isMap(root, QStringLiteral("the file")))
        return out;
    const auto f = r.fields(root, kTopKeys, QStringLiteral("the file"));
    const SpecNode* format = Reader::find(f, "lockstep");
    if (!format) {
        r.error(root.at, QStringLiteral("not a Lockstep mappings file: `lockstep: %1` is missing "
                                        "at the top")
                             .arg(kMappingsFileFormat));
    } else if (auto v = r.integer(*format, QStringLiteral("lockstep"), 1, 1000000);
               v && *v != kMappingsFileFormat) {
        r.error(format->at, QStringLiteral("this Lockstep reads mappings files of format %1, not "
                                           "%2")
                                .arg(kMappingsFileFormat)
                                .arg(*v));
    }
    MappingsFile& file = out.file;
    if (const SpecNode* c = Reader::find(f, "connection"))
        file.connection = r.connection(*c);
    int defaultSchedule = options.defaultScheduleMinutes;
    if (const SpecNode* s = Reader::find(f, "settings")) {
        file.settings = r.settings(*s);
        if (file.settings)
            for (const auto& [k, v] : *file.settings)
                if (k == keys::DefaultScheduleMinutes.row)
                    defaultSchedule = v.toInt();
    }
    QSet<QString> failedKeys;
    if (const SpecNode* list = Reader::find(f, "mappings"); list && r.isList(*list, "mappings")) {
        file.mappings.emplace();
        std::map<QString, SpecPosition> seen;
        int i = 0;
        for (const SpecNode& item : list->items) {
            auto m = r.mapping(item, i++, defaultSchedule);
            if (!m) {
                // Its key still exists for the pairs: one error, not one per mention.
                for (const auto& [k, v] : item.entries)
                    if (k.isScalar() && k.text == QLatin1String("key") && v.isScalar())
                        failedKeys.insert(v.text);
                continue;
            }
            const auto [it, inserted] = seen.emplace(m->key, m->at);
            if (!inserted) {
                r.error(m->at, QStringLiteral("mapping %1 appears twice (first at line %2)")
                                   .arg(m->key)
                                   .arg(it->second.line));
                continue;
            }
            file.mappings->append(*m);
        }
    }
    if (const SpecNode* list = Reader::find(f, "watched_pairs");
        list && r.isList(*list, "watched_pairs")) {
        file.watchedPairs.emplace();
        QSet<QString> keys = failedKeys;
        if (file.mappings)
            for (const MappingSpec& m : *file.mappings)
                keys.insert(m.key);
        std::map<std::pair<QString, QString>, SpecPosition> seen;
        int i = 0;
        for (const SpecNode& item : list->items) {
            auto p = r.pair(item, i++);
            if (!p)
                continue;
            // Keys of a file without a mappings section are checked against the workspace.
            bool known = true;
            for (const QString& k : {p->a, p->b})
                if (file.mappings && !keys.contains(k)) {
                    r.error(p->at,
                            QStringLiteral("watched pair: no mapping has the key %1").arg(k));
                    known = false;
                }
            const auto [it, inserted] = seen.emplace(std::pair(p->a, p->b), p->at);
            if (!inserted)
                r.error(p->at, QStringLiteral("the pair %1, %2 is watched twice (first at line %3)")
                                   .arg(p->a, p->b)
                                   .arg(it->second.line));
            else if (known)
                file.watchedPairs->append(*p);
        }
    }
    if (const SpecNode* list = Reader::find(f, "notifications");
        list && r.isList(*list, "notifications")) {
        file.notifications.emplace();
        QSet<QString> keys = failedKeys;
        if (file.mappings)
            for (const MappingSpec& m : *file.mappings)
                keys.insert(m.key);
        std::map<QString, std::pair<QString, SpecPosition>> seen; // by variable name
        int i = 0;
        for (const SpecNode& item : list->items) {
            auto c = r.channel(item, i++, file.mappings ? &keys : nullptr);
            if (!c)
                continue;
            const auto [it, inserted] =
                seen.emplace(channelKeyVariable(c->key), std::pair(c->key, c->at));
            if (!inserted) {
                r.error(c->at, it->second.first == c->key
                                   ? QStringLiteral("notification %1 appears twice (first at "
                                                    "line %2)")
                                         .arg(c->key)
                                         .arg(it->second.second.line)
                                   : QStringLiteral("notification %1 names the same environment "
                                                    "variables (LOCKSTEP_NOTIFY_%2_*) as %3 "
                                                    "(line %4)")
                                         .arg(c->key, it->first, it->second.first)
                                         .arg(it->second.second.line));
                continue;
            }
            file.notifications->append(*c);
        }
    }
    sortErrors(out.errors);
    return out;
}

MappingsFileRead parseMappingsFile(const QByteArray& bytes, const MappingsFileOptions& options)
{
    return parseMappingsDocument(readSpecDocument(bytes, options.limits), options);
}

MappingsFileRead readMappingsFile(const QString& path, const MappingsFileOptions& options)
{
    return parseMappingsDocument(readSpecFile(path, options.limits), options);
}

// --- Writing ----------------------------------------------------------------------------

namespace {

// A YAML double-quoted scalar: every string is quoted, so none is read as a number, a
// boolean or null, and control characters are escaped.
QByteArray quotedText(const QString& s)
{
    QByteArray out = "\"";
    for (const char32_t u : s.toUcs4()) {
        if (u == U'"')
            out += "\\\"";
        else if (u == U'\\')
            out += "\\\\";
        else if (u == U'\n')
            out += "\\n";
        else if (u == U'\t')
            out += "\\t";
        else if (u < 0x20 || (u >= 0x7F && u < 0xA0) || u == 0x2028 || u == 0x2029 ||
                 (u >= 0xD800 && u <= 0xDFFF) || u == 0xFEFF)
            out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0')).toLatin1();
        else
            out += QString::fromUcs4(&u, 1).toUtf8();
    }
    return out + "\"";
}

QByteArray number(qint64 v)
{
    return QByteArray::number(v);
}

} // namespace

QByteArray writeMappingsFile(const MappingsFile& file)
{
    QByteArray out;
    out += "# A Lockstep mappings file: the intended state of a workspace.\n"
           "# `lockstep plan FILE` shows what applying it would change, `lockstep apply FILE`\n"
           "# applies it, `lockstep export` writes the workspace as it is. It never holds a\n"
           "# secret: those stay in the environment or the keychain.\n";
    out += "lockstep: " + number(kMappingsFileFormat) + "\n";
    if (file.connection) {
        const ConnectionSpec& c = *file.connection;
        out += "\nconnection:\n";
        if (!c.customerIoRegion.isEmpty())
            out += "  customerio_region: " + c.customerIoRegion.toUtf8() + "\n";
        else
            out += "  customerio_url: " + quotedText(c.customerIoUrl) + "\n";
        if (!c.mixpanelRegion.isEmpty()) {
            out += "  mixpanel_region: " + c.mixpanelRegion.toUtf8() + "\n";
        } else {
            out += "  mixpanel_url: " + quotedText(c.mixpanelUrl) + "\n";
            out += "  mixpanel_query_url: " + quotedText(c.mixpanelQueryUrl) + "\n";
        }
        out += "  project_id: " + number(c.projectId) + "\n";
    }
    if (file.settings) {
        out += "\nsettings:\n";
        for (const auto& [key, value] : *file.settings)
            out += "  " + QByteArray(key->name) + ": " +
                   (key->isNumeric() ? value.toUtf8() : quotedText(value)) + "\n";
    }
    if (file.mappings) {
        QList<MappingSpec> mappings = *file.mappings;
        std::sort(mappings.begin(), mappings.end(),
                  [](const MappingSpec& a, const MappingSpec& b) { return a.key < b.key; });
        out += mappings.isEmpty() ? "\nmappings: []\n" : "\nmappings:\n";
        for (const MappingSpec& m : mappings) {
            out += "  - key: " + quotedText(m.key) + "\n";
            out += "    segment: " + number(m.segmentId) + "\n";
            out += "    cohort: " + quotedText(m.cohortName) + "\n";
            out += "    identity: " + identityKeyName(m.identity).toUtf8() + "\n";
            out += "    mode: " + syncModeName(m.mode).toUtf8() + "\n";
            // The list property means nothing in flag mode (the cohort name is the property).
            if (m.mode == SyncMode::List)
                out += "    property: " + quotedText(m.listProperty) + "\n";
            out += "    events: " + QByteArray(m.sendEvents ? "true" : "false") + "\n";
            out += "    owner: " + quotedText(m.owner) + "\n";
            out += "    health_monitor: " + quotedText(m.healthMonitor) + "\n";
            out += "    decision: " + quotedText(m.decision) + "\n";
            out += "    report_url: " + quotedText(m.reportUrl) + "\n";
            // Only when the report was set for another name (a rename or a new version
            // since): the item stays open until someone points it at this one.
            if (!m.reportUrl.isEmpty() && m.reportCohort && *m.reportCohort != m.cohortName)
                out += "    report_cohort: " + quotedText(*m.reportCohort) + "\n";
            out += "    schedule_minutes: " + number(m.scheduleMinutes) + "\n";
            out += "    latency_expectation_minutes: " + number(m.latencyExpectationMinutes) + "\n";
            if (!m.stabilityReviewedBy.isEmpty())
                out += "    stability_reviewed_by: " + quotedText(m.stabilityReviewedBy) + "\n";
            out +=
                "    mass_exit_percent: " + massExitPercentText(m.massExitPercent).toUtf8() + "\n";
            // Only what the mapping sets for itself: the rest is the workspace's.
            if (!m.health.isEmpty()) {
                out += "    health:\n";
                for (auto it = m.health.cbegin(); it != m.health.cend(); ++it)
                    out += "      " + it.key().toUtf8() + ": " + it.value().toUtf8() + "\n";
            }
            out += "    paused: " + QByteArray(m.paused ? "true" : "false") + "\n";
            out += "    version: " + number(m.version) + "\n";
        }
    }
    if (file.watchedPairs) {
        QList<WatchedPairSpec> pairs = *file.watchedPairs;
        for (WatchedPairSpec& p : pairs)
            if (p.b < p.a)
                std::swap(p.a, p.b);
        std::sort(pairs.begin(), pairs.end(),
                  [](const WatchedPairSpec& x, const WatchedPairSpec& y) {
                      return std::pair(x.a, x.b) < std::pair(y.a, y.b);
                  });
        out += pairs.isEmpty() ? "\nwatched_pairs: []\n" : "\nwatched_pairs:\n";
        for (const WatchedPairSpec& p : pairs) {
            out += "  - a: " + quotedText(p.a) + "\n";
            out += "    b: " + quotedText(p.b) + "\n";
            out += "    label: " + quotedText(p.label) + "\n";
        }
    }
    if (file.notifications) {
        QList<ChannelSpec> channels = *file.notifications;
        std::sort(channels.begin(), channels.end(),
                  [](const ChannelSpec& a, const ChannelSpec& b) { return a.key < b.key; });
        // A QByteArray, not the builder `out + "]"` would be: that refers to `out`.
        const auto list = [](const QStringList& items) -> QByteArray {
            QByteArray out = "[";
            for (const QString& item : items)
                out += (out.size() > 1 ? ", " : "") + quotedText(item);
            return out + "]";
        };
        out += channels.isEmpty() ? "\nnotifications: []\n" : "\nnotifications:\n";
        for (const ChannelSpec& c : channels) {
            out += "  - key: " + quotedText(c.key) + "\n";
            out += "    kind: " + channelKindName(c.kind).toUtf8() + "\n";
            out += "    name: " + quotedText(c.name) + "\n";
            QString severities = severitiesText(c.severities);
            severities.replace(QLatin1String(","), QLatin1String(", "));
            out += "    severities: [" + severities.toUtf8() + "]\n";
            // Left out: every mapping.
            if (c.mappings) {
                QStringList keys = *c.mappings;
                keys.sort();
                out += "    mappings: " + list(keys) + "\n";
            }
            if (c.kind == ChannelKind::Webhook)
                out += "    headers: " + list(c.headerNames) + "\n";
            if (c.kind == ChannelKind::Email) {
                out += "    smtp: " + quotedText(c.smtpUrl) + "\n";
                out += "    from: " + quotedText(c.mailFrom) + "\n";
                out += "    to: " + list(c.mailTo) + "\n";
                out += "    to_monitor: " + QByteArray(c.mailMonitor ? "true" : "false") + "\n";
            }
        }
    }
    return out;
}

} // namespace lockstep
