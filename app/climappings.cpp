#include "climappings.h"

#include "api/credentials.h"
#include "config/mappingthresholds.h"
#include "config/settings.h"
#include "config/workspacesettings.h"
#include "engine/enginecontext.h"
#include "health/alertstore.h"
#include "health/healthrules.h"
#include "health/watchedpairrepository.h"
#include "notify/channelsecrets.h"
#include "spec/mappingsfile.h"
#include "spec/specapplier.h"
#include "spec/specplan.h"
#include "spec/workspacestate.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/truststore.h"
#include "util/clock.h"
#include "util/privatefiles.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <unistd.h>

namespace lockstep::cli {

namespace {

struct MappingsText
{
    Q_DECLARE_TR_FUNCTIONS(lockstep::cli)
};

SyncError usage(const QString& message)
{
    return SyncError::make(SyncError::Category::Usage, message);
}

int writeOut(const QByteArray& bytes, const std::optional<QString>& output)
{
    if (output) {
        // All or nothing, owner-only, never through a link (as every export).
        if (Status st = writePrivateFile(*output, bytes); !st)
            return reportError(st.error());
        return Ok;
    }
    out().flush();
    QFile stdoutFile;
    if (!stdoutFile.open(stdout, QIODevice::WriteOnly))
        return reportError(SyncError::make(SyncError::Category::Internal,
                                           QStringLiteral("cannot write to stdout")));
    stdoutFile.write(bytes);
    return Ok;
}

MappingsFileOptions fileOptions(Workspace& ws)
{
    MappingsFileOptions o;
    o.knownSecrets = Credentials::fromEnvironment().secrets() + ChannelSecrets::allInEnvironment();
    o.defaultScheduleMinutes = Settings(ws).getOr(keys::DefaultScheduleMinutes);
    return o;
}

QJsonArray errorsJson(const QList<SpecError>& errors)
{
    QJsonArray arr;
    for (const SpecError& e : errors)
        arr.append(QJsonObject{{QStringLiteral("line"), e.at.line},
                               {QStringLiteral("column"), e.at.column},
                               {QStringLiteral("message"), e.message}});
    return arr;
}

// Prints every error with its position; the exit code of an invalid file.
int reportInvalid(const QString& path, const QList<SpecError>& errors, bool json)
{
    if (json) {
        out() << QJsonDocument(QJsonObject{{QStringLiteral("valid"), false},
                                           {QStringLiteral("errors"), errorsJson(errors)}})
                     .toJson(QJsonDocument::Indented);
        out().flush();
    }
    for (const SpecError& e : errors)
        err() << e.toString(path) << "\n";
    err() << "lockstep: "
          << MappingsText::tr("%n error(s) in %1; nothing was changed", nullptr, int(errors.size()))
                 .arg(path)
          << "\n";
    err().flush();
    return UsageOrConfig;
}

int exportCommand(Workspace& ws, Args a)
{
    QString error;
    const auto output = a.take(QStringLiteral("--output"), &error);
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto state = readWorkspaceState(ws);
    if (!state)
        return reportError(state.error());
    return writeOut(writeMappingsFile(mappingsFileFromState(*state)), output);
}

// Reads and plans; nullopt after reporting (the exit code in *code).
struct Planned
{
    MappingsFile file;
    SpecPlan plan;
};
std::optional<Planned> readAndPlan(Workspace& ws, const QString& path, bool json, int* code)
{
    const MappingsFileRead read = readMappingsFile(path, fileOptions(ws));
    if (!read.ok()) {
        *code = reportInvalid(path, read.errors, json);
        return std::nullopt;
    }
    auto state = readWorkspaceState(ws);
    if (!state) {
        *code = reportError(state.error());
        return std::nullopt;
    }
    Planned p{read.file, planMappingsFile(read.file, *state)};
    if (!p.plan.errors.isEmpty()) {
        *code = reportInvalid(path, p.plan.errors, json);
        return std::nullopt;
    }
    return p;
}

int planCommand(Workspace& ws, Args a)
{
    const bool json = a.flag(QStringLiteral("--json"));
    const QString path = a.takeFirst();
    if (path.isEmpty() || path.startsWith(QLatin1String("--")))
        return usageError(
            QStringLiteral("plan needs a mappings file: lockstep plan FILE [--json]"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto planned = readAndPlan(ws, path, json, &code);
    if (!planned)
        return code;
    if (json) {
        QJsonObject o = planJson(planned->plan);
        o.insert(QStringLiteral("valid"), true);
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        out() << planText(planned->plan);
    }
    // As diff(1): 0 nothing to do, 1 changes pending (2: the file is invalid).
    return planned->plan.isEmpty() ? Ok : ChangesFailed;
}

bool interactive()
{
    return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1;
}

int applyCommand(Workspace& ws, Args a)
{
    const bool yes = a.flag(QStringLiteral("--yes"));
    const QString path = a.takeFirst();
    if (path.isEmpty() || path.startsWith(QLatin1String("--")))
        return usageError(
            QStringLiteral("apply needs a mappings file: lockstep apply FILE [--yes]"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto planned = readAndPlan(ws, path, false, &code);
    if (!planned)
        return code;
    if (planned->plan.isEmpty()) {
        out() << planSummary(planned->plan) << "\n";
        return Ok;
    }
    ApplyOptions options;
    options.allowDeletions = yes;
    const int deletions = planned->plan.count(MappingAction::Delete);
    const int channelDeletions = planned->plan.count(ChannelChange::Kind::Delete);
    if ((deletions > 0 || channelDeletions > 0) && !yes) {
        if (!interactive()) {
            out() << planText(planned->plan);
            out().flush();
            QString why;
            if (channelDeletions == 0)
                why = MappingsText::tr("the file deletes %n mapping(s); nothing was changed: pass "
                                       "--yes to apply it with the deletions",
                                       nullptr, deletions);
            else if (deletions == 0)
                why = MappingsText::tr("the file deletes %n notification channel(s); nothing was "
                                       "changed: pass --yes to apply it with the deletions",
                                       nullptr, channelDeletions);
            else
                why = MappingsText::tr("the file deletes %n mapping(s) and %1; nothing was "
                                       "changed: pass --yes to apply it with the deletions",
                                       nullptr, deletions)
                          .arg(MappingsText::tr("%n notification channel(s)", nullptr,
                                                channelDeletions));
            return reportError(SyncError::make(SyncError::Category::Config, why));
        }
        // A person at a terminal confirms the plan they read; if the workspace changes
        // before it is applied, nothing is.
        out() << planText(planned->plan);
        out().flush();
        if (channelDeletions == 0)
            err() << MappingsText::tr("This deletes %n mapping(s). Type yes to apply: ", nullptr,
                                      deletions);
        else if (deletions == 0)
            err() << MappingsText::tr("This deletes %n notification channel(s). Type yes to "
                                      "apply: ",
                                      nullptr, channelDeletions);
        else
            err() << MappingsText::tr("This deletes %n mapping(s) and %1. Type yes to apply: ",
                                      nullptr, deletions)
                         .arg(MappingsText::tr("%n notification channel(s)", nullptr,
                                               channelDeletions));
        err().flush();
        char line[64] = {};
        const bool said =
            std::fgets(line, sizeof line, stdin) != nullptr && QByteArray(line).trimmed() == "yes";
        if (!said)
            return reportError(SyncError::make(
                SyncError::Category::Usage, MappingsText::tr("not applied; nothing was changed")));
        options.allowDeletions = true;
        options.expectedPlan = planJson(planned->plan);
    }
    options.onWaiting = [](qint64 id, const QString& key) {
        err() << "lockstep: "
              << MappingsText::tr("mapping %1 (%2) is being synced; waiting for its run to end")
                     .arg(id)
                     .arg(key)
              << "\n";
        err().flush();
    };
    auto outcome = applyMappingsFile(ws, planned->file, options);
    if (!outcome)
        return reportError(outcome.error());
    out() << planText(outcome->plan);
    out() << (outcome->plan.isEmpty() ? MappingsText::tr("Nothing to apply.")
                                      : MappingsText::tr("Applied."))
          << "\n";
    return Ok;
}

// A mapping by id, or by key.
Result<Mapping> findMapping(Workspace& ws, const QString& ref)
{
    if (ref.isEmpty())
        return usage(QStringLiteral("a mapping id (or key) is needed"));
    MappingRepository repo(ws);
    bool ok = false;
    const qint64 id = ref.toLongLong(&ok);
    if (ok)
        return repo.get(id);
    auto holder = repo.keyHolder(ref, 0);
    if (!holder)
        return holder.error();
    if (!*holder)
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("no mapping with the key %1").arg(ref));
    return repo.get(**holder);
}

int pairCommand(Workspace& ws, Args a)
{
    const QString sub = a.takeFirst();
    QString error;
    const auto label = a.take(QStringLiteral("--label"), &error);
    if (!error.isEmpty())
        return usageError(error);
    if (sub != QLatin1String("watch") && sub != QLatin1String("unwatch"))
        return usageError(QStringLiteral("pair watch A B [--label TEXT] | pair unwatch A B"));
    const QString refA = a.takeFirst();
    const QString refB = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    if (refB.isEmpty())
        return usageError(QStringLiteral("pair %1 needs two mappings (ids or keys)").arg(sub));
    auto ma = findMapping(ws, refA);
    if (!ma)
        return reportError(ma.error());
    auto mb = findMapping(ws, refB);
    if (!mb)
        return reportError(mb.error());
    WatchedPairRepository pairs(ws);
    if (sub == QLatin1String("unwatch")) {
        // Only a pair that is watched: a typo must not look like success.
        auto list = pairs.list();
        if (!list)
            return reportError(list.error());
        const WatchedPair want = WatchedPair{ma->id, mb->id, {}, 0}.normalized();
        const bool watched = std::any_of(list->begin(), list->end(), [&](const WatchedPair& p) {
            return p.mappingA == want.mappingA && p.mappingB == want.mappingB;
        });
        if (!watched)
            return reportError(SyncError::make(
                SyncError::Category::NotFound,
                QStringLiteral("mappings %1 and %2 are not watched").arg(ma->id).arg(mb->id)));
        if (auto st = pairs.remove(ma->id, mb->id); !st)
            return reportError(st.error());
        return Ok;
    }
    if (auto st = pairs.add({ma->id, mb->id, label.value_or(QString()), Clock::system()->nowMs()});
        !st)
        return reportError(st.error());
    // As the console: the pair is judged now, not at the next sync.
    (void)pairs.evaluate(*Clock::system());
    return Ok;
}

int alertCommand(Workspace& ws, Args a)
{
    const QString sub = a.takeFirst();
    QString error;
    const QString by = a.take(QStringLiteral("--by"), &error)
                           .value_or(qEnvironmentVariable("USER", QStringLiteral("operator")));
    if (!error.isEmpty())
        return usageError(error);
    if (sub != QLatin1String("ack"))
        return usageError(QStringLiteral("alert ack ID [--by NAME]"));
    const QString ref = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    bool ok = false;
    const qint64 id = ref.toLongLong(&ok);
    if (!ok || id <= 0)
        return usageError(QStringLiteral("alert ack needs an alert id (`lockstep status --json` "
                                         "lists them)"));
    AlertStore store(ws, *Clock::system());
    auto alert = store.get(id);
    if (!alert)
        return reportError(alert.error());
    if (alert->resolvedAtMs > 0)
        return reportError(SyncError::make(SyncError::Category::Usage,
                                           QStringLiteral("alert %1 is already resolved").arg(id)));
    if (auto st = store.acknowledge(id, by); !st)
        return reportError(st.error());
    return Ok;
}

// --- mapping set / pause / resume / delete / version -----------------------------------

// `review`: a stability review the command recorded, shown in the JSON as
// "stability_review".
int printMapping(Workspace& ws, qint64 id, bool json, const QJsonObject& review = {})
{
    auto m = MappingRepository(ws).get(id);
    if (!m)
        return reportError(m.error());
    if (json) {
        QJsonObject o = mappingJson(*m);
        if (!review.isEmpty())
            o.insert(QStringLiteral("stability_review"), review);
        auto health = MappingThresholdsRepository(ws).get(id);
        if (!health)
            return reportError(health.error());
        o.insert(QStringLiteral("health"), thresholdsJson(*health));
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        out() << m->id << "\n";
    }
    return Ok;
}

int mappingSet(const EngineContext& context, Workspace& ws, Args a)
{
    QString error;
    std::map<QString, std::optional<QString>> v;
    for (const char* f : {"--key", "--cohort", "--mode", "--property", "--owner", "--segment-owner",
                          "--health-monitor", "--decision", "--report-url", "--schedule",
                          "--events", "--latency-expectation", "--stability-reviewed-by",
                          "--mass-exit-percent", "--segment", "--identity"})
        v[QString::fromLatin1(f)] = a.take(QString::fromLatin1(f), &error);
    // A mapping's own health thresholds: --churn-ratio 3, or `default` for the workspace's.
    std::map<QString, QString> thresholds;
    for (const QString& name : overridableThresholds()) {
        const QString flag =
            QStringLiteral("--") + QString(name).replace(QLatin1Char('_'), QLatin1Char('-'));
        if (auto t = a.take(flag, &error))
            thresholds[name] = *t;
    }
    const bool json = a.flag(QStringLiteral("--json"));
    if (!error.isEmpty())
        return usageError(error);
    const QString ref = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    const auto given = [&](const char* f) { return v[QString::fromLatin1(f)]; };
    if (given("--segment") || given("--identity"))
        return usageError(MappingsText::tr("another segment or identity key is another cohort: "
                                           "start a new version with `lockstep mapping version %1 "
                                           "--segment N | --identity KEY`")
                              .arg(ref));
    if (thresholds.empty() &&
        std::none_of(v.begin(), v.end(), [](const auto& e) { return e.second.has_value(); }))
        return usageError(QStringLiteral(
            "mapping set ID needs a field: --key, --cohort, --mode, --property, --segment-owner "
            "(or --owner), --health-monitor, --decision, --report-url, --schedule, --events "
            "true|false, --latency-expectation MINUTES, --stability-reviewed-by NAME, "
            "--mass-exit-percent N|default, or a health threshold (--churn-ratio N ... | "
            "default)"));
    if (given("--owner") && given("--segment-owner"))
        return usageError(QStringLiteral("--owner is --segment-owner: give one of them"));
    const auto reviewer = given("--stability-reviewed-by");
    if (reviewer && reviewer->simplified().isEmpty())
        return usageError(QStringLiteral("--stability-reviewed-by needs the reviewer's name"));
    auto m = findMapping(ws, ref);
    if (!m)
        return reportError(m.error());
    std::optional<ThresholdOverrides> health;
    if (!thresholds.empty()) {
        auto current = MappingThresholdsRepository(ws).get(m->id);
        if (!current)
            return reportError(current.error());
        health = *current;
        for (const auto& [name, value] : thresholds) {
            if (value == QLatin1String("default")) {
                health->remove(name);
                continue;
            }
            auto canonical = normalizeThresholdOverride(name, value);
            if (!canonical)
                return usageError(
                    QStringLiteral("--%1: %2")
                        .arg(QString(name).replace(QLatin1Char('_'), QLatin1Char('-')),
                             canonical.error().message));
            health->insert(name, *canonical);
        }
    }
    if (auto k = given("--key"))
        m->key = *k;
    if (auto c = given("--cohort"))
        m->cohortName = *c;
    if (auto mode = given("--mode")) {
        const auto md = parseSyncMode(*mode);
        if (!md)
            return usageError(QStringLiteral("--mode must be list or flag, not %1").arg(*mode));
        m->mode = *md;
    }
    if (auto p = given("--property"))
        m->listProperty = *p;
    if (auto o = given("--segment-owner") ? given("--segment-owner") : given("--owner"))
        m->owner = *o;
    if (auto h = given("--health-monitor"))
        m->healthMonitor = *h;
    // After --cohort: the report is set for the cohort as it is named now.
    if (auto u = given("--report-url")) {
        if (auto st = MappingRepository::validateReportUrl(*u); !st)
            return usageError(st.error().message);
        m->setReportUrl(*u);
    }
    if (auto d = given("--decision"))
        m->decision = *d;
    if (auto s = given("--schedule")) {
        bool ok = false;
        m->scheduleMinutes = s->toInt(&ok);
        if (!ok)
            return usageError(QStringLiteral("--schedule must be a number of minutes"));
    }
    if (auto e = given("--events")) {
        if (*e != QLatin1String("true") && *e != QLatin1String("false"))
            return usageError(QStringLiteral("--events must be true or false, not %1").arg(*e));
        m->sendEvents = *e == QLatin1String("true");
    }
    if (auto share = given("--mass-exit-percent")) {
        const auto percent = parseMassExitPercent(*share, /*allowDefault=*/true);
        if (!percent)
            return usageError(
                QStringLiteral("--mass-exit-percent takes 0 (off) to 100, or default, not %1")
                    .arg(*share));
        m->massExitPercent = *percent;
    }
    std::optional<int> latency;
    if (auto l = given("--latency-expectation")) {
        bool ok = false;
        latency = l->toInt(&ok);
        if (!ok || *latency < 0)
            return usageError(
                QStringLiteral("--latency-expectation must be minutes (0 clears it), not %1")
                    .arg(*l));
    }
    auto settings = readWorkspaceSettings(ws);
    if (!settings)
        return reportError(settings.error());
    std::optional<TrustCheckRecord> review;
    const Status st = ws.transaction([&]() -> Status {
        if (auto s = MappingRepository(ws).update(*m); !s)
            return s;
        if (health)
            if (auto s = MappingThresholdsRepository(ws).set(m->id, *health); !s)
                return s;
        if (latency)
            if (auto s = TrustStore(ws).setLatencyExpectationMinutes(m->id, *latency); !s)
                return s;
        // Judged with the mapping as it is after this edit.
        if (reviewer) {
            auto r = ChecklistEvaluator(ws, settings->checklistRules())
                         .reviewStability(*m, reviewer->simplified(), context.clock()->nowMs());
            if (!r)
                return r.error();
            review = *r;
        }
        return {};
    });
    if (!st)
        return reportError(st.error());
    if (review && !json)
        out() << "stability review: " << review->summary
              << (review->passed ? "" : "  (not stable enough yet: the checklist item stays open)")
              << "\n";
    return printMapping(ws, m->id, json, review ? review->result : QJsonObject());
}

int mappingVersion(Workspace& ws, Args a)
{
    QString error;
    const auto segment = a.take(QStringLiteral("--segment"), &error);
    const auto identity = a.take(QStringLiteral("--identity"), &error);
    const auto cohort = a.take(QStringLiteral("--cohort"), &error);
    const bool json = a.flag(QStringLiteral("--json"));
    if (!error.isEmpty())
        return usageError(error);
    const QString ref = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto m = findMapping(ws, ref);
    if (!m)
        return reportError(m.error());
    // As the console's "Duplicate as new version": a copy with version + 1 and the name's
    // " | v<N>" moved on; the original stays as it is until someone retires it.
    Mapping copy = *m;
    copy.id = 0;
    copy.key.clear(); // a key of its own, from the new name
    copy.cohortName = cohort.value_or(nextCohortVersionName(m->cohortName, m->version));
    copy.version = m->version + 1;
    if (segment) {
        bool ok = false;
        copy.segmentId = segment->toLongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--segment must be a number, not %1").arg(*segment));
    }
    if (identity) {
        const auto key = parseIdentityKey(*identity);
        if (!key)
            return usageError(
                QStringLiteral("--identity must be email, id or cio_id, not %1").arg(*identity));
        copy.identity = *key;
    }
    auto id = MappingRepository(ws).add(copy);
    if (!id)
        return reportError(id.error());
    return printMapping(ws, *id, json);
}

int mappingPause(Workspace& ws, Args a, bool paused)
{
    const bool json = a.flag(QStringLiteral("--json"));
    QList<Mapping> targets;
    for (QString ref = a.takeFirst(); !ref.isEmpty(); ref = a.takeFirst()) {
        if (ref.startsWith(QLatin1String("--")))
            return usageError(QStringLiteral("unexpected argument: %1").arg(ref));
        auto m = findMapping(ws, ref);
        if (!m)
            return reportError(m.error());
        targets.append(*m);
    }
    if (targets.isEmpty())
        return usageError(QStringLiteral("mapping %1 needs a mapping id (or key)")
                              .arg(paused ? QStringLiteral("pause") : QStringLiteral("resume")));
    const Status st = ws.transaction([&]() -> Status {
        for (Mapping& m : targets) {
            m.paused = paused;
            if (auto s = MappingRepository(ws).update(m); !s)
                return s;
        }
        return {};
    });
    if (!st)
        return reportError(st.error());
    if (json) {
        QJsonArray arr;
        for (const Mapping& m : targets)
            if (auto fresh = MappingRepository(ws).get(m.id); fresh)
                arr.append(mappingJson(*fresh));
        out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
    }
    return Ok;
}

int mappingDelete(Workspace& ws, Args a)
{
    QList<qint64> ids;
    for (QString ref = a.takeFirst(); !ref.isEmpty(); ref = a.takeFirst()) {
        if (ref.startsWith(QLatin1String("--")))
            return usageError(QStringLiteral("unexpected argument: %1").arg(ref));
        auto m = findMapping(ws, ref);
        if (!m)
            return reportError(m.error());
        ids.append(m->id);
    }
    if (ids.isEmpty())
        return usageError(QStringLiteral("mapping delete needs a mapping id (or key)"));
    // As the console: a soft delete, its runs and size history kept.
    const Status st = ws.transaction([&]() -> Status {
        for (qint64 id : ids)
            if (auto s = MappingRepository(ws).remove(id); !s)
                return s;
        return {};
    });
    if (!st)
        return reportError(st.error());
    return Ok;
}

} // namespace

bool isMappingsCommand(const QString& command)
{
    static const QStringList commands = {QStringLiteral("export"), QStringLiteral("plan"),
                                         QStringLiteral("apply"), QStringLiteral("pair"),
                                         QStringLiteral("alert")};
    return commands.contains(command);
}

int mappingsCommand(const QString& command, Workspace& ws, Args a)
{
    if (command == QLatin1String("export"))
        return exportCommand(ws, std::move(a));
    if (command == QLatin1String("plan"))
        return planCommand(ws, std::move(a));
    if (command == QLatin1String("apply"))
        return applyCommand(ws, std::move(a));
    if (command == QLatin1String("pair"))
        return pairCommand(ws, std::move(a));
    return alertCommand(ws, std::move(a));
}

bool isMappingEdit(const QString& sub)
{
    static const QStringList subs = {QStringLiteral("set"), QStringLiteral("pause"),
                                     QStringLiteral("resume"), QStringLiteral("delete"),
                                     QStringLiteral("version")};
    return subs.contains(sub);
}

int mappingEdit(const QString& sub, const EngineContext& context, Workspace& ws, Args a)
{
    if (sub == QLatin1String("set"))
        return mappingSet(context, ws, std::move(a));
    if (sub == QLatin1String("version"))
        return mappingVersion(ws, std::move(a));
    if (sub == QLatin1String("delete"))
        return mappingDelete(ws, std::move(a));
    return mappingPause(ws, std::move(a), sub == QLatin1String("pause"));
}

} // namespace lockstep::cli
