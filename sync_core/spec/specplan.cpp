#include "specplan.h"

#include <QJsonArray>

#include <map>
#include <set>

namespace lockstep {

QString mappingActionName(MappingAction a)
{
    switch (a) {
    case MappingAction::Create:
        return QStringLiteral("create");
    case MappingAction::Update:
        return QStringLiteral("update");
    case MappingAction::NewVersion:
        return QStringLiteral("new_version");
    case MappingAction::Pause:
        return QStringLiteral("pause");
    case MappingAction::Resume:
        return QStringLiteral("resume");
    case MappingAction::Delete:
        return QStringLiteral("delete");
    }
    return {};
}

QString channelChangeName(ChannelChange::Kind k)
{
    switch (k) {
    case ChannelChange::Kind::Create:
        return QStringLiteral("create");
    case ChannelChange::Kind::Update:
        return QStringLiteral("update");
    case ChannelChange::Kind::Delete:
        return QStringLiteral("delete");
    }
    return {};
}

int SpecPlan::count(ChannelChange::Kind k) const
{
    return int(std::count_if(channels.begin(), channels.end(),
                             [k](const ChannelChange& c) { return c.kind == k; }));
}

int SpecPlan::count(MappingAction a) const
{
    return int(std::count_if(mappings.begin(), mappings.end(),
                             [a](const MappingChange& c) { return c.action == a; }));
}

QList<qint64> SpecPlan::touchedMappings() const
{
    QList<qint64> ids;
    for (const MappingChange& c : mappings)
        if (c.mappingId > 0)
            ids.append(c.mappingId);
    std::sort(ids.begin(), ids.end());
    return ids;
}

namespace {

// A string as the file would show it: quoted, control characters escaped.
QString shown(const QString& s)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : s) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + c;
        else if (c == QLatin1Char('\n'))
            out += QLatin1String("\\n");
        else if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

QString yesNo(bool b)
{
    return b ? QStringLiteral("true") : QStringLiteral("false");
}

// The fields of a mapping a file states, in the file's order (version apart).
QList<std::pair<QString, QString>> fieldsOf(const MappingSpec& m)
{
    QList<std::pair<QString, QString>> f = {
        {QStringLiteral("segment"), QString::number(m.segmentId)},
        {QStringLiteral("cohort"), shown(m.cohortName)},
        {QStringLiteral("identity"), identityKeyName(m.identity)},
        {QStringLiteral("mode"), syncModeName(m.mode)},
    };
    if (m.mode == SyncMode::List)
        f.append({QStringLiteral("property"), shown(m.listProperty)});
    f += QList<std::pair<QString, QString>>{
        {QStringLiteral("events"), yesNo(m.sendEvents)},
        {QStringLiteral("owner"), shown(m.owner)},
        {QStringLiteral("health_monitor"), shown(m.healthMonitor)},
        {QStringLiteral("decision"), shown(m.decision)},
        {QStringLiteral("report_url"), shown(m.reportUrl)},
    };
    if (!m.reportUrl.isEmpty())
        f.append({QStringLiteral("report_cohort"), shown(m.reportCohort.value_or(QString()))});
    f += QList<std::pair<QString, QString>>{
        {QStringLiteral("schedule_minutes"), QString::number(m.scheduleMinutes)},
        {QStringLiteral("latency_expectation_minutes"),
         QString::number(m.latencyExpectationMinutes)},
        {QStringLiteral("mass_exit_percent"), massExitPercentText(m.massExitPercent)},
    };
    // A file without a reviewer asks for no review (a review cannot be taken back).
    if (!m.stabilityReviewedBy.isEmpty())
        f.append({QStringLiteral("stability_reviewed_by"), shown(m.stabilityReviewedBy)});
    f.append({QStringLiteral("paused"), yesNo(m.paused)});
    QStringList health;
    for (auto it = m.health.cbegin(); it != m.health.cend(); ++it)
        health << it.key() + QStringLiteral(": ") + it.value();
    f.append({QStringLiteral("health"), health.isEmpty() ? QStringLiteral("(workspace thresholds)")
                                                         : health.join(QStringLiteral(", "))});
    return f;
}

QList<FieldChange> differences(const MappingSpec& from, const MappingSpec& to)
{
    QList<FieldChange> out;
    const auto a = fieldsOf(from);
    const auto b = fieldsOf(to);
    for (const auto& [field, value] : b) {
        QString old;
        for (const auto& [f, v] : a)
            if (f == field)
                old = v;
        if (field == QLatin1String("property") && from.mode != SyncMode::List)
            continue; // it meant nothing before; the mode change says it all
        if (old != value)
            out.append({field, old, value});
    }
    return out;
}

void planConnection(const ConnectionSpec& spec, const WorkspaceState& state, SpecPlan& plan)
{
    const ConnectionSettings want = spec.toSettings();
    const ConnectionSettings have = state.connection.value_or(ConnectionSettings{});
    const std::pair<const char*, std::pair<QString, QString>> fields[] = {
        {"customerio_region", {have.customerIoRegion, want.customerIoRegion}},
        {"customerio_url", {have.customerIoUrl, want.customerIoUrl}},
        {"mixpanel_region", {have.mixpanelRegion, want.mixpanelRegion}},
        {"mixpanel_url", {have.mixpanelUrl, want.mixpanelUrl}},
        {"mixpanel_query_url", {have.mixpanelQueryUrl, want.mixpanelQueryUrl}},
        {"project_id",
         {have.projectId > 0 ? QString::number(have.projectId) : QString(),
          QString::number(want.projectId)}},
    };
    for (const auto& [name, values] : fields)
        if (values.first != values.second)
            plan.connection.append({QString::fromLatin1(name), values.first, values.second});
}

void planSettings(const QList<std::pair<const SettingKey*, QString>>& want,
                  const WorkspaceState& state, SpecPlan& plan)
{
    for (const auto& [key, value] : want) {
        QString have;
        for (const auto& [k, v] : state.settings)
            if (k == key)
                have = v;
        if (have != value)
            plan.settings.append({key, have, value});
    }
}

void planMappings(const QList<MappingSpec>& want, const WorkspaceState& state, SpecPlan& plan)
{
    std::set<QString> inFile;
    QList<MappingSpec> sorted = want;
    std::sort(sorted.begin(), sorted.end(),
              [](const MappingSpec& a, const MappingSpec& b) { return a.key < b.key; });
    for (MappingSpec spec : sorted) {
        inFile.insert(spec.key);
        const Mapping* cur = state.byKey(spec.key);
        // The cohort name the report is set for: as stated, else kept while the URL is the
        // same (a rename leaves the report pointing at the old value), else this name.
        if (spec.reportUrl.isEmpty())
            spec.reportCohort = QString();
        else if (!spec.reportCohort)
            spec.reportCohort =
                cur && cur->reportUrl == spec.reportUrl ? cur->reportCohort : spec.cohortName;
        MappingChange c;
        c.key = spec.key;
        c.to = spec;
        if (!cur) {
            c.action = MappingAction::Create;
            c.toVersion = spec.version;
            for (const auto& [field, value] : fieldsOf(spec))
                c.fields.append({field, QString(), value});
            plan.mappings.append(c);
            continue;
        }
        const MappingSpec have = MappingSpec::fromMapping(
            *cur, state.latencyOf(cur->id), state.reviewerOf(cur->id), state.thresholdsOf(cur->id));
        c.mappingId = cur->id;
        c.fromVersion = cur->version;
        c.fields = differences(have, spec);
        // Another segment or identity key is another cohort: its members, its snapshot and
        // its trend start afresh, as the console's "new version" does. A file may also ask
        // for one by raising `version`. Versions never go down: a file behind the
        // workspace's number (exported before the last new version) asks for nothing.
        QStringList why;
        if (spec.segmentId != have.segmentId)
            why << QStringLiteral("segment");
        if (spec.identity != have.identity)
            why << QStringLiteral("identity");
        if (spec.version > cur->version && why.isEmpty())
            why << QStringLiteral("version");
        if (!why.isEmpty()) {
            c.action = MappingAction::NewVersion;
            c.toVersion = std::max(spec.version, cur->version + 1);
            c.why = why.join(QStringLiteral(", "));
            c.fields.append({QStringLiteral("version"), QString::number(cur->version),
                             QString::number(c.toVersion)});
            plan.mappings.append(c);
            continue;
        }
        if (c.fields.isEmpty())
            continue;
        c.toVersion = cur->version;
        if (c.fields.size() == 1 && c.fields.first().field == QLatin1String("paused"))
            c.action = spec.paused ? MappingAction::Pause : MappingAction::Resume;
        else
            c.action = MappingAction::Update;
        plan.mappings.append(c);
    }
    QList<Mapping> gone;
    for (const Mapping& m : state.mappings)
        if (!inFile.count(m.key))
            gone.append(m);
    std::sort(gone.begin(), gone.end(),
              [](const Mapping& a, const Mapping& b) { return a.key < b.key; });
    for (const Mapping& m : gone) {
        MappingChange c;
        c.action = MappingAction::Delete;
        c.key = m.key;
        c.mappingId = m.id;
        c.fromVersion = m.version;
        c.fields.append({QStringLiteral("cohort"), shown(m.cohortName), QString()});
        plan.mappings.append(c);
    }
}

void planPairs(const MappingsFile& file, const WorkspaceState& state, SpecPlan& plan)
{
    // The keys that exist once the file is applied.
    std::set<QString> keys;
    if (file.mappings) {
        for (const MappingSpec& m : *file.mappings)
            keys.insert(m.key);
    } else {
        for (const Mapping& m : state.mappings)
            keys.insert(m.key);
    }
    std::map<std::pair<QString, QString>, QString> want;
    for (const WatchedPairSpec& p : *file.watchedPairs) {
        bool ok = true;
        for (const QString& k : {p.a, p.b})
            if (!keys.count(k)) {
                plan.errors.append(
                    {p.at, QStringLiteral("watched pair: no mapping has the key %1").arg(k)});
                ok = false;
            }
        if (ok)
            want[{std::min(p.a, p.b), std::max(p.a, p.b)}] = p.label;
    }
    std::map<std::pair<QString, QString>, QString> have;
    for (const WatchedPair& p : state.pairs) {
        const QString a = state.byId(p.mappingA)->key;
        const QString b = state.byId(p.mappingB)->key;
        have[{std::min(a, b), std::max(a, b)}] = p.label;
    }
    for (const auto& [pair, label] : want) {
        const auto it = have.find(pair);
        if (it == have.end())
            plan.pairs.append({PairChange::Kind::Watch, pair.first, pair.second, label, {}});
        else if (it->second != label)
            plan.pairs.append(
                {PairChange::Kind::Relabel, pair.first, pair.second, label, it->second});
    }
    for (const auto& [pair, label] : have)
        if (!want.count(pair))
            plan.pairs.append({PairChange::Kind::Unwatch, pair.first, pair.second, {}, label});
}

QString listed(const QStringList& items, const QString& none)
{
    return items.isEmpty() ? none : items.join(QStringLiteral(", "));
}

// The fields of a channel a file states, in the file's order.
QList<std::pair<QString, QString>> fieldsOf(const ChannelSpec& c)
{
    QStringList severities;
    for (AlertSeverity v : {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info})
        if (c.severities.contains(v))
            severities << alertSeverityName(v);
    QList<std::pair<QString, QString>> f = {
        {QStringLiteral("kind"), channelKindName(c.kind)},
        {QStringLiteral("name"), shown(c.name)},
        {QStringLiteral("severities"), severities.join(QStringLiteral(", "))},
        {QStringLiteral("mappings"), c.mappings ? listed(*c.mappings, QStringLiteral("(none)"))
                                                : QStringLiteral("(every mapping)")},
    };
    if (c.kind == ChannelKind::Webhook)
        f.append({QStringLiteral("headers"), listed(c.headerNames, QStringLiteral("(none)"))});
    if (c.kind == ChannelKind::Email) {
        QStringList to;
        for (const QString& a : c.mailTo)
            to << shown(a);
        f += QList<std::pair<QString, QString>>{
            {QStringLiteral("smtp"), shown(c.smtpUrl)},
            {QStringLiteral("from"), shown(c.mailFrom)},
            {QStringLiteral("to"), listed(to, QStringLiteral("(none)"))},
            {QStringLiteral("to_monitor"), yesNo(c.mailMonitor)},
        };
    }
    return f;
}

QList<FieldChange> channelDifferences(const ChannelSpec& from, const ChannelSpec& to)
{
    QList<FieldChange> out;
    const auto a = fieldsOf(from);
    for (const auto& [field, value] : fieldsOf(to)) {
        QString old;
        for (const auto& [f, v] : a)
            if (f == field)
                old = v;
        if (old != value)
            out.append({field, old, value});
    }
    return out;
}

void planChannels(const MappingsFile& file, const WorkspaceState& state, SpecPlan& plan)
{
    // The mapping keys that exist once the file is applied.
    std::set<QString> keys;
    if (file.mappings) {
        for (const MappingSpec& m : *file.mappings)
            keys.insert(m.key);
    } else {
        for (const Mapping& m : state.mappings)
            keys.insert(m.key);
    }
    const QHash<qint64, QString> mappingKeys = state.mappingKeys();
    QList<ChannelSpec> want = *file.notifications;
    std::sort(want.begin(), want.end(),
              [](const ChannelSpec& a, const ChannelSpec& b) { return a.key < b.key; });
    std::set<QString> inFile;
    for (const ChannelSpec& spec : want) {
        inFile.insert(spec.key);
        bool ok = true;
        if (spec.mappings)
            for (const QString& k : *spec.mappings)
                if (!keys.count(k)) {
                    plan.errors.append({spec.at, QStringLiteral("notification %1: no mapping has "
                                                                "the key %2")
                                                     .arg(spec.key, k)});
                    ok = false;
                }
        if (!ok)
            continue;
        ChannelChange c;
        c.key = spec.key;
        c.channelKind = spec.kind;
        c.to = spec;
        const NotificationChannel* cur = state.channelByKey(spec.key);
        if (!cur) {
            c.kind = ChannelChange::Kind::Create;
            for (const auto& [field, value] : fieldsOf(spec))
                c.fields.append({field, QString(), value});
            plan.channels.append(c);
            continue;
        }
        c.kind = ChannelChange::Kind::Update;
        c.channelId = cur->id;
        c.fields = channelDifferences(ChannelSpec::fromChannel(*cur, mappingKeys), spec);
        if (!c.fields.isEmpty())
            plan.channels.append(c);
    }
    QList<NotificationChannel> gone;
    for (const NotificationChannel& c : state.channels)
        if (!inFile.count(c.key))
            gone.append(c);
    std::sort(
        gone.begin(), gone.end(),
        [](const NotificationChannel& a, const NotificationChannel& b) { return a.key < b.key; });
    for (const NotificationChannel& g : gone) {
        ChannelChange c;
        c.kind = ChannelChange::Kind::Delete;
        c.key = g.key;
        c.channelId = g.id;
        c.channelKind = g.kind;
        c.fields.append({QStringLiteral("kind"), channelKindName(g.kind), QString()});
        plan.channels.append(c);
    }
}

} // namespace

SpecPlan planMappingsFile(const MappingsFile& file, const WorkspaceState& state)
{
    SpecPlan plan;
    if (file.connection)
        planConnection(*file.connection, state, plan);
    if (file.settings)
        planSettings(*file.settings, state, plan);
    if (file.mappings)
        planMappings(*file.mappings, state, plan);
    if (file.watchedPairs)
        planPairs(file, state, plan);
    if (file.notifications)
        planChannels(file, state, plan);
    return plan;
}

QString planSummary(const SpecPlan& plan)
{
    if (plan.isEmpty())
        return QStringLiteral("No changes: the workspace matches the file.");
    QStringList parts;
    const std::pair<MappingAction, const char*> kinds[] = {
        {MappingAction::Create, "%1 to create"},          {MappingAction::Update, "%1 to update"},
        {MappingAction::NewVersion, "%1 new version(s)"}, {MappingAction::Pause, "%1 to pause"},
        {MappingAction::Resume, "%1 to resume"},          {MappingAction::Delete, "%1 to delete"}};
    for (const auto& [action, text] : kinds)
        if (const int n = plan.count(action))
            parts << QString::fromLatin1(text).arg(n);
    QString line;
    if (!parts.isEmpty())
        line = QStringLiteral("mappings: %1").arg(parts.join(QStringLiteral(", ")));
    const auto add = [&line](const QString& s) {
        line += (line.isEmpty() ? QString() : QStringLiteral("; ")) + s;
    };
    if (!plan.pairs.isEmpty())
        add(QStringLiteral("watched pairs: %1 change(s)").arg(plan.pairs.size()));
    QStringList channels;
    const std::pair<ChannelChange::Kind, const char*> channelKinds[] = {
        {ChannelChange::Kind::Create, "%1 to create"},
        {ChannelChange::Kind::Update, "%1 to update"},
        {ChannelChange::Kind::Delete, "%1 to delete"}};
    for (const auto& [kind, text] : channelKinds)
        if (const int n = plan.count(kind))
            channels << QString::fromLatin1(text).arg(n);
    if (!channels.isEmpty())
        add(QStringLiteral("notification channels: %1").arg(channels.join(QStringLiteral(", "))));
    if (!plan.settings.isEmpty())
        add(QStringLiteral("settings: %1 change(s)").arg(plan.settings.size()));
    if (!plan.connection.isEmpty())
        add(QStringLiteral("connection: %1 change(s)").arg(plan.connection.size()));
    return QStringLiteral("Plan: %1.").arg(line);
}

QString planText(const SpecPlan& plan)
{
    QString out;
    const auto change = [&out](const FieldChange& f) {
        if (f.from.isEmpty())
            out += QStringLiteral("      %1: %2\n").arg(f.field, f.to);
        else if (f.to.isEmpty())
            out += QStringLiteral("      %1: %2\n").arg(f.field, f.from);
        else
            out += QStringLiteral("      %1: %2 -> %3\n").arg(f.field, f.from, f.to);
    };
    for (const FieldChange& f : plan.connection)
        out += QStringLiteral("  ~ connection %1: %2 -> %3\n")
                   .arg(f.field, f.from.isEmpty() ? QStringLiteral("(none)") : f.from, f.to);
    for (const SettingChange& s : plan.settings)
        out += QStringLiteral("  ~ setting %1: %2 -> %3\n")
                   .arg(QString::fromUtf8(s.key->name), s.from, s.to);
    for (const MappingChange& c : plan.mappings) {
        const QString id =
            c.mappingId > 0 ? QStringLiteral(" (mapping %1)").arg(c.mappingId) : QString();
        switch (c.action) {
        case MappingAction::Create:
            out += QStringLiteral("  + create %1\n").arg(c.key);
            break;
        case MappingAction::Update:
            out += QStringLiteral("  ~ update %1%2\n").arg(c.key, id);
            break;
        case MappingAction::NewVersion:
            out += QStringLiteral("  ! new version %1%2: v%3 -> v%4 (%5 changed; v%3 is retired, "
                                  "its history kept)\n")
                       .arg(c.key, id)
                       .arg(c.fromVersion)
                       .arg(c.toVersion)
                       .arg(c.why);
            break;
        case MappingAction::Pause:
            out += QStringLiteral("  | pause %1%2\n").arg(c.key, id);
            continue;
        case MappingAction::Resume:
            out += QStringLiteral("  > resume %1%2\n").arg(c.key, id);
            continue;
        case MappingAction::Delete:
            out += QStringLiteral("  - delete %1%2\n").arg(c.key, id);
            break;
        }
        for (const FieldChange& f : c.fields)
            change(f);
    }
    for (const PairChange& p : plan.pairs) {
        switch (p.kind) {
        case PairChange::Kind::Watch:
            out += QStringLiteral("  + watch %1 / %2%3\n")
                       .arg(p.a, p.b,
                            p.label.isEmpty() ? QString() : QStringLiteral(": ") + shown(p.label));
            break;
        case PairChange::Kind::Unwatch:
            out += QStringLiteral("  - unwatch %1 / %2\n").arg(p.a, p.b);
            break;
        case PairChange::Kind::Relabel:
            out += QStringLiteral("  ~ watch %1 / %2: label %3 -> %4\n")
                       .arg(p.a, p.b, shown(p.fromLabel), shown(p.label));
            break;
        }
    }
    for (const ChannelChange& c : plan.channels) {
        const QString id =
            c.channelId > 0 ? QStringLiteral(" (channel %1)").arg(c.channelId) : QString();
        switch (c.kind) {
        case ChannelChange::Kind::Create:
            out += QStringLiteral("  + create notification %1\n").arg(c.key);
            break;
        case ChannelChange::Kind::Update:
            out += QStringLiteral("  ~ update notification %1%2\n").arg(c.key, id);
            break;
        case ChannelChange::Kind::Delete:
            out += QStringLiteral("  - delete notification %1%2\n").arg(c.key, id);
            break;
        }
        for (const FieldChange& f : c.fields)
            change(f);
    }
    return out + planSummary(plan) + QLatin1Char('\n');
}

QJsonObject planJson(const SpecPlan& plan)
{
    const auto fieldsJson = [](const QList<FieldChange>& fields) {
        QJsonArray arr;
        for (const FieldChange& f : fields)
            arr.append(QJsonObject{{QStringLiteral("field"), f.field},
                                   {QStringLiteral("from"), f.from},
                                   {QStringLiteral("to"), f.to}});
        return arr;
    };
    QJsonArray settings;
    for (const SettingChange& s : plan.settings)
        settings.append(QJsonObject{{QStringLiteral("key"), QString::fromUtf8(s.key->name)},
                                    {QStringLiteral("from"), s.from},
                                    {QStringLiteral("to"), s.to}});
    QJsonArray mappings;
    for (const MappingChange& c : plan.mappings) {
        QJsonObject o{{QStringLiteral("action"), mappingActionName(c.action)},
                      {QStringLiteral("key"), c.key},
                      {QStringLiteral("fields"), fieldsJson(c.fields)}};
        if (c.mappingId > 0)
            o.insert(QStringLiteral("mapping_id"), c.mappingId);
        if (c.action == MappingAction::NewVersion) {
            o.insert(QStringLiteral("from_version"), c.fromVersion);
            o.insert(QStringLiteral("to_version"), c.toVersion);
            o.insert(QStringLiteral("why"), c.why);
        }
        mappings.append(o);
    }
    QJsonArray pairs;
    for (const PairChange& p : plan.pairs) {
        static const char* const kinds[] = {"watch", "unwatch", "relabel"};
        QJsonObject o{{QStringLiteral("action"), QString::fromLatin1(kinds[int(p.kind)])},
                      {QStringLiteral("a"), p.a},
                      {QStringLiteral("b"), p.b}};
        if (p.kind != PairChange::Kind::Unwatch)
            o.insert(QStringLiteral("label"), p.label);
        pairs.append(o);
    }
    QJsonArray channels;
    for (const ChannelChange& c : plan.channels) {
        QJsonObject o{{QStringLiteral("action"), channelChangeName(c.kind)},
                      {QStringLiteral("key"), c.key},
                      {QStringLiteral("kind"), channelKindName(c.channelKind)},
                      {QStringLiteral("fields"), fieldsJson(c.fields)}};
        if (c.channelId > 0)
            o.insert(QStringLiteral("channel_id"), c.channelId);
        channels.append(o);
    }
    QJsonObject summary;
    for (MappingAction a : {MappingAction::Create, MappingAction::Update, MappingAction::NewVersion,
                            MappingAction::Pause, MappingAction::Resume, MappingAction::Delete})
        summary.insert(mappingActionName(a), plan.count(a));
    summary.insert(QStringLiteral("watched_pairs"), int(plan.pairs.size()));
    summary.insert(QStringLiteral("settings"), int(plan.settings.size()));
    summary.insert(QStringLiteral("connection"), int(plan.connection.size()));
    summary.insert(QStringLiteral("notification_channels"), int(plan.channels.size()));
    return QJsonObject{{QStringLiteral("pending"), !plan.isEmpty()},
                       {QStringLiteral("summary"), summary},
                       {QStringLiteral("connection"), fieldsJson(plan.connection)},
                       {QStringLiteral("settings"), settings},
                       {QStringLiteral("mappings"), mappings},
                       {QStringLiteral("watched_pairs"), pairs},
                       {QStringLiteral("notification_channels"), channels}};
}

} // namespace lockstep
