#include "cli.h"
#include "climappings.h"
#include "clisupport.h"
#include "clitrust.h"

#include "audit/auditexporter.h"
#include "config/mappingthresholds.h"
#include "config/settings.h"
#include "config/workspacesettings.h"
#include "health/alertstore.h"
#include "health/healthevaluator.h"
#include "health/watchedpairrepository.h"
#include "util/clock.h"

#include "api/credentials.h"
#include "engine/enginecontext.h"
#include "engine/entrycheck.h"
#include "engine/synccontroller.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/querybudget.h"
#include "trust/truststore.h"
#include "trust/verdict.h"
#include "trust/workspaceaudit.h"
#include "util/privatefiles.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

namespace lockstep::cli {

namespace {

// The command line's messages, translatable like the console's (one context for lupdate).
struct CliText
{
    Q_DECLARE_TR_FUNCTIONS(lockstep::cli)
};

const QStringList kCommands = {
    QStringLiteral("connect"), QStringLiteral("mapping"), QStringLiteral("sync"),
    QStringLiteral("dry-run"), QStringLiteral("status"),  QStringLiteral("audit"),
    QStringLiteral("run"),     QStringLiteral("config"),  QStringLiteral("doctor"),
    QStringLiteral("purge"),   QStringLiteral("help"),    QStringLiteral("export"),
    QStringLiteral("plan"),    QStringLiteral("apply"),   QStringLiteral("pair"),
    QStringLiteral("alert"),   QStringLiteral("notify")};

const char* kUsage =
    "Usage: lockstep [--workspace FILE] COMMAND [OPTIONS]\n"
    "       lockstep [--workspace FILE] [--demo] [--screenshot DIR]   (the console)\n"
    "\n"
    "Commands:\n"
    "  connect --customerio-url URL --mixpanel-url URL --mixpanel-query-url URL --project-id N\n"
    "  connect --customerio-region us|eu --mixpanel-region us|eu|in --project-id N\n"
    "  connect --region us|eu --project-id N   (both services in one region)\n"
    "      Store where the services are: each by its region or its addresses\n"
    "      (--customerio-url, or --mixpanel-url and --mixpanel-query-url), in any\n"
    "      combination. Secrets come from the environment only:\n"
    "      LOCKSTEP_CUSTOMERIO_APP_API_KEY, LOCKSTEP_MIXPANEL_PROJECT_TOKEN,\n"
    "      LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT (user:secret).\n"
    "  mapping add --segment ID --cohort NAME --identity email|id|cio_id\n"
    "              [--mode list|flag] [--property NAME] [--segment-owner NAME]\n"
    "              [--health-monitor NAME] [--decision TEXT] [--report-url URL]\n"
    "              [--schedule MINUTES] [--events] [--key KEY] [--mass-exit-percent N]\n"
    "              prints the new mapping id (--events: also send Cohort Entered /\n"
    "              Cohort Exited events; --key: its name in mappings files, by default\n"
    "              made from the cohort name; --owner is another name for --segment-owner;\n"
    "              --mass-exit-percent N: hold a run's exits past N % of the last synced\n"
    "              size, 0: off; without it the workspace's mass_exit_percent)\n"
    "  mapping list [--json]\n"
    "  mapping set ID --FIELD VALUE... [--json]   edit in place: --key, --cohort, --mode,\n"
    "              --property, --segment-owner (or --owner), --health-monitor, --decision,\n"
    "              --report-url URL (the Mixpanel board or report that uses the cohort; \"\"\n"
    "              clears it), --schedule, --events true|false, --latency-expectation\n"
    "              MINUTES, --stability-reviewed-by NAME (records that NAME reviewed the\n"
    "              segment's median daily churn over the last 14 days), --mass-exit-percent\n"
    "              N|default. A mapping is named by its id or its key. Its own health\n"
    "              thresholds over the workspace's: --churn-ratio N, --collapse-drop-percent\n"
    "              N, --wow-swing-percent N, --stale-factor N, ... (any of `config list`'s\n"
    "              ratios and factors; VALUE default: the workspace's)\n"
    "  mapping version ID [--segment ID] [--identity KEY] [--cohort NAME] [--json]\n"
    "              a new version (another segment or identity key is another cohort); the\n"
    "              old one stays until paused or deleted. Prints the new mapping id\n"
    "  mapping pause|resume ID...   mapping delete ID...   (delete keeps the run history)\n"
    "  pair watch A B [--label TEXT] | pair unwatch A B\n"
    "              two mappings whose cohorts must stay disjoint (watched_overlap alert)\n"
    "  alert ack ID [--by NAME]   acknowledge an open alert (ids in `status --json`)\n"
    "  notify add --kind slack|teams|webhook --url URL [--header \"Name: value\"]...\n"
    "             [--severity critical,warning,info] [--mapping ID]... [--name TEXT]\n"
    "             [--secret SECRET] [--key KEY]   prints the new channel's id (--key: its\n"
    "             name in mappings files, by default KIND-ID). A webhook's body is signed:\n"
    "             X-Lockstep-Signature: sha256=<HMAC-SHA256 of the body with SECRET> (made up\n"
    "             and shown once when not given)\n"
    "  notify add --kind email --smtp smtp[s]://[USER[:PASSWORD]@]HOST[:PORT] --from ADDR\n"
    "             --to ADDR... [--to-monitor] [--severity ...] [--mapping ID]... [--name TEXT]\n"
    "             --to-monitor also mails each alert's mapping's health monitor (when that\n"
    "             is an e-mail address; --to may then be left out)\n"
    "             Secret parts (the URL, the signing secret, header values, the SMTP password)\n"
    "             go to the keychain; without one, every process that delivers reads them from\n"
    "             LOCKSTEP_NOTIFY_<ID>_URL, _HMAC_SECRET, _HEADERS (JSON), _SMTP_PASSWORD, or\n"
    "             the same under the channel's key: LOCKSTEP_NOTIFY_<KEY>_URL, ... (KEY upper-\n"
    "             cased, other characters than letters and digits as _)\n"
    "  notify list [--json]   channels, their subscriptions and recent deliveries\n"
    "  notify test ID         sends a test message and prints the receiver's answer\n"
    "  notify remove ID       the channel receives nothing more (its history stays)\n"
    "  export [--output FILE]   the workspace as a mappings file (YAML; the same state\n"
    "              gives the same bytes): connection, settings, mappings, watched pairs,\n"
    "              notification channels (without their secrets)\n"
    "  plan FILE [--json]   what applying FILE (YAML or JSON) would change; changes\n"
    "              nothing. Exits 0 when there is nothing to do, 1 when changes are\n"
    "              pending, 2 when the file is invalid (each error as FILE:LINE:COLUMN)\n"
    "  apply FILE [--yes]   applies the plan in one transaction, all or nothing, waiting\n"
    "              for runs of the mappings it changes to end. Deletions need --yes (or a\n"
    "              \"yes\" typed at a terminal)\n"
    "  sync (--all | --mapping ID...) [--full] [--dry-run] [--exit-check N] [--json]\n"
    "       [--verify-sample N]\n"
    "  sync --mapping ID... --accept-exits\n"
    "                       a run whose exits exceed the mass-exit share of the last synced\n"
    "                       size (or that reads an empty segment where 100 or more were\n"
    "                       synced) holds them: nobody is removed, the mass_exit alert opens\n"
    "                       and sync exits 1. --accept-exits syncs the mapping and applies\n"
    "                       its held exits (the runner never does); Discard on the Health\n"
    "                       page keeps the members\n"
    "  dry-run (--all | --mapping ID...) [--exit-check N] [--json]\n"
    "                       --exit-check N: look up at most N exits (default 500, 0: off)\n"
    "                       in Customer.io to tell merged-away people from real exits\n"
    "                       --verify-sample N: after the sends, N entered keys (default\n"
    "                       1000, 0: off) are looked up in Mixpanel with one query; keys\n"
    "                       Mixpanel did not know are recorded as unknown_to_mixpanel\n"
    "  status [--json]      mappings with their verdict (trusted, degraded, broken, not\n"
    "                       synced yet) and why, last runs and open health alerts; exits 1\n"
    "                       when an alert is open and not acknowledged\n"
    "  audit [--format csv|json|md] [--output FILE] [--bom] [--fail-on error|warning]\n"
    "                       the naming-convention audit (CSV is safe against formula\n"
    "                       injection; --bom for spreadsheet tools)\n"
    "  config list [--json]  every workspace setting with its value, default, valid values\n"
    "                       and what it is for: naming_convention, default_schedule_minutes,\n"
    "                       full_resync_days, cohort_check_minutes, exit_check_limit,\n"
    "                       verify_sample and the health rules' thresholds\n"
    "  config get KEY       prints the value (the default when none is set)\n"
    "  config set KEY VALUE validates and stores it; an unknown key or an invalid value\n"
    "                       exits 2 and names the valid ones. The console, sync, run, status,\n"
    "                       audit and checklist all read these settings, e.g.\n"
    "                       config set naming_convention \"ACME | {intent} | {window}\"\n"
    "  rehearse --mapping ID --test-segment ID [--cleanup] [--max-size N] [--json]\n"
    "  rehearse --mapping ID --cleanup-last\n"
    "                       write a temporary cohort value for a small test segment (at most\n"
    "                       200 people), read it back, judge each person; --cleanup removes it\n"
    "  rehearsal list [--json]\n"
    "                       the rehearsals whose temporary value is still on profiles (closed\n"
    "                       without clean-up): id, mapping, value, profiles, when, by whom\n"
    "  rehearsal cleanup ID [--json]\n"
    "                       remove that value and verify it is gone (one or two queries);\n"
    "                       exits 1 when profiles still carry it, 2 when ID is not open\n"
    "  spot-check --mapping ID [--count N] [--person ID_OR_EMAIL...] [--json]\n"
    "                       check N random members (default 10) and named people in both\n"
    "                       systems with one Mixpanel query; prints the query budget left\n"
    "  identity-advice --mapping ID [--sample N] [--json]\n"
    "                       which identifier Mixpanel knows the segment's people by: N members\n"
    "                       (default 100, at most 300) looked up under their id, e-mail and\n"
    "                       cio_id, and by their profile's $email, with at most 3 queries;\n"
    "                       reports the match rate per key and recommends one. Exits 0 with a\n"
    "                       report, 1 when Mixpanel's query budget is spent or a service\n"
    "                       failed, 2 on usage or configuration, 3 when a service is unreachable\n"
    "                       or refuses the credentials\n"
    "  checklist --mapping ID [--offline] [--json]\n"
    "                       the rollout checklist (verifies the Mixpanel cohort with one query\n"
    "                       unless --offline); exits 1 when the mapping is not ready\n"
    "  latency --mapping ID [--expect MINUTES] [--json]\n"
    "                       sync latency (median, 95th percentile) and its expectation\n"
    "  doctor [--json]      check the whole chain, one row per check with what to do:\n"
    "                       workspace schema, connection, each host (https, vendor or custom,\n"
    "                       reachable), each credential (one Customer.io call, one Mixpanel\n"
    "                       query), the project token, the query budget, the clock against\n"
    "                       the services' Date headers, each mapping's segment. Exits 0 when\n"
    "                       all pass, 2 on a configuration problem, 3 when a service check fails\n"
    "  purge --person ID_OR_EMAIL [--person ...] [--json]\n"
    "                       an erasure request: removes the person (and the id, e-mail and\n"
    "                       cio_id the workspace links to them) from every table, then\n"
    "                       rewrites the file so no deleted byte remains; prints the rows\n"
    "                       changed per table. Erase them in Customer.io and Mixpanel too\n"
    "  run [--check-every SECONDS] [--once] [--log FILE]\n"
    "                       headless runner: syncs mappings when their schedule is due until\n"
    "                       SIGTERM/SIGINT (then finishes the batches in flight); logs in\n"
    "                       systemd's format; --log FILE also appends them to FILE (created\n"
    "                       readable by its owner only; a symbolic link is refused)\n"
    "\n"
    "Options:\n"
    "  --workspace FILE   workspace file (default: $LOCKSTEP_WORKSPACE, else the per-user one)\n"
    "  --version          print the version\n"
    "\n"
    "Exit codes: 0 ok, 1 some changes failed, 2 usage or configuration error,\n"
    "3 cannot reach or authenticate to a service. A mapping whose segment is still\n"
    "building is skipped (status \"skipped\", exit 0); the segment_not_ready alert\n"
    "says when that lasts longer than twice its schedule. Cohort names are at most\n"
    "255 bytes of UTF-8 (Mixpanel's limit).\n";

int connectCommand(Workspace& ws, Args a)
{
    QString error;
    const auto region = a.take(QStringLiteral("--region"), &error);
    const auto cioRegion = a.take(QStringLiteral("--customerio-region"), &error);
    const auto mpRegion = a.take(QStringLiteral("--mixpanel-region"), &error);
    const auto cio = a.take(QStringLiteral("--customerio-url"), &error);
    const auto mp = a.take(QStringLiteral("--mixpanel-url"), &error);
    const auto mq = a.take(QStringLiteral("--mixpanel-query-url"), &error);
    const auto pid = a.take(QStringLiteral("--project-id"), &error);
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    bool ok = false;
    const qint64 projectId = pid ? pid->toLongLong(&ok) : 0;
    if (!pid || !ok || projectId <= 0)
        return usageError(QStringLiteral("connect needs --project-id N (a positive number)"));

    ConnectionSettings s;
    s.projectId = projectId;
    if (region) {
        // The shorthand for both services in one region, as before they were separate.
        if (cio || mp || mq)
            return usageError(QStringLiteral("give either --region or the three URLs, not both"));
        if (cioRegion || mpRegion)
            return usageError(CliText::tr("--region sets both services: give it alone, or "
                                          "--customerio-region and --mixpanel-region"));
        auto r = ConnectionSettings::forRegion(*region, projectId);
        if (!r)
            return usageError(QStringLiteral("unknown region %1 (us or eu)").arg(*region));
        s = *r;
    } else {
        if (!cioRegion && !cio && !mpRegion && !mp && !mq)
            return usageError(QStringLiteral("connect needs --customerio-url, --mixpanel-url and "
                                             "--mixpanel-query-url (or --region)"));
        // Each service by its region or by its addresses.
        if (cioRegion && cio)
            return usageError(
                CliText::tr("give either --customerio-region or --customerio-url, not both"));
        if (cioRegion) {
            const auto url = ConnectionSettings::customerIoUrlFor(*cioRegion);
            if (!url)
                return usageError(
                    CliText::tr("unknown Customer.io region %1 (us or eu)").arg(*cioRegion));
            s.customerIoRegion = *cioRegion;
            s.customerIoUrl = *url;
        } else if (cio) {
            s.customerIoUrl = *cio;
        } else {
            return usageError(
                CliText::tr("connect needs --customerio-region us|eu (or --customerio-url)"));
        }
        if (mpRegion && (mp || mq))
            return usageError(CliText::tr("give either --mixpanel-region or --mixpanel-url and "
                                          "--mixpanel-query-url, not both"));
        if (mpRegion) {
            const auto urls = ConnectionSettings::mixpanelUrlsFor(*mpRegion);
            if (!urls)
                return usageError(
                    CliText::tr("unknown Mixpanel region %1 (us, eu or in)").arg(*mpRegion));
            s.mixpanelRegion = *mpRegion;
            s.mixpanelUrl = urls->ingestion;
            s.mixpanelQueryUrl = urls->query;
        } else if (mp && mq) {
            s.mixpanelUrl = *mp;
            s.mixpanelQueryUrl = *mq;
        } else {
            return usageError(
                CliText::tr("connect needs --mixpanel-region us|eu|in (or --mixpanel-url and "
                            "--mixpanel-query-url)"));
        }
    }
    for (const QString& u : {s.customerIoUrl, s.mixpanelUrl, s.mixpanelQueryUrl}) {
        const QUrl url(u, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return usageError(QStringLiteral("not an http(s) URL: %1").arg(u));
        if (!url.userInfo().isEmpty())
            return usageError(QStringLiteral("put credentials in the environment, not in URLs"));
    }
    if (auto st = SettingsRepository(ws).setConnection(s); !st)
        return reportError(st.error());
    out() << "connected workspace " << Workspace::displayLocation(ws.location()) << "\n";
    return Ok;
}

int mappingCommand(const EngineContext& context, Workspace& ws, Args a)
{
    const QString sub = a.takeFirst();
    if (isMappingEdit(sub))
        return mappingEdit(sub, context, ws, std::move(a));
    if (sub == QLatin1String("add")) {
        QString error;
        const auto segment = a.take(QStringLiteral("--segment"), &error);
        const auto cohort = a.take(QStringLiteral("--cohort"), &error);
        const auto identity = a.take(QStringLiteral("--identity"), &error);
        const auto mode = a.take(QStringLiteral("--mode"), &error);
        const auto property = a.take(QStringLiteral("--property"), &error);
        const auto owner = a.take(QStringLiteral("--owner"), &error);
        const auto segmentOwner = a.take(QStringLiteral("--segment-owner"), &error);
        const auto monitor = a.take(QStringLiteral("--health-monitor"), &error);
        const auto decision = a.take(QStringLiteral("--decision"), &error);
        const auto reportUrl = a.take(QStringLiteral("--report-url"), &error);
        const auto schedule = a.take(QStringLiteral("--schedule"), &error);
        const auto key = a.take(QStringLiteral("--key"), &error);
        const auto massExit = a.take(QStringLiteral("--mass-exit-percent"), &error);
        const bool events = a.flag(QStringLiteral("--events"));
        if (!error.isEmpty())
            return usageError(error);
        if (owner && segmentOwner)
            return usageError(QStringLiteral("--owner is --segment-owner: give one of them"));
        int code = 0;
        if (unknownLeft(a, &code))
            return code;
        if (!segment || !cohort || !identity)
            return usageError(
                QStringLiteral("mapping add needs --segment, --cohort and --identity"));
        Mapping m;
        bool ok = false;
        m.segmentId = segment->toLongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--segment must be a number, not %1").arg(*segment));
        m.cohortName = *cohort;
        m.key = key.value_or(QString());
        const auto identityKey = parseIdentityKey(*identity);
        if (!identityKey)
            return usageError(
                QStringLiteral("--identity must be email, id or cio_id, not %1").arg(*identity));
        m.identity = *identityKey;
        if (mode) {
            const auto md = parseSyncMode(*mode);
            if (!md)
                return usageError(QStringLiteral("--mode must be list or flag, not %1").arg(*mode));
            m.mode = *md;
        }
        if (property)
            m.listProperty = *property;
        m.sendEvents = events;
        m.owner = segmentOwner.value_or(owner.value_or(QString()));
        m.healthMonitor = monitor.value_or(QString());
        m.decision = decision.value_or(QString());
        if (reportUrl) {
            if (auto st = MappingRepository::validateReportUrl(*reportUrl); !st)
                return usageError(st.error().message);
            m.setReportUrl(*reportUrl);
        }
        if (schedule) {
            m.scheduleMinutes = schedule->toInt(&ok);
            if (!ok)
                return usageError(QStringLiteral("--schedule must be a number of minutes"));
        } else {
            // As the console's new mappings: the workspace's default schedule.
            auto minutes = Settings(ws).get(keys::DefaultScheduleMinutes);
            if (!minutes)
                return reportError(minutes.error());
            m.scheduleMinutes = *minutes;
        }
        if (massExit) {
            const auto share = parseMassExitPercent(*massExit, /*allowDefault=*/false);
            if (!share)
                return usageError(QStringLiteral("--mass-exit-percent takes 0 (off) to 100"));
            m.massExitPercent = *share;
        }
        auto id = MappingRepository(ws).add(m);
        if (!id)
            return reportError(id.error());
        out() << *id << "\n";
        return Ok;
    }
    if (sub == QLatin1String("list")) {
        const bool json = a.flag(QStringLiteral("--json"));
        int code = 0;
        if (unknownLeft(a, &code))
            return code;
        auto list = MappingRepository(ws).list();
        if (!list)
            return reportError(list.error());
        if (json) {
            // last_sync: the end of the last successful sync that sent (a dry run sends
            // nothing, so never moves it); last_run: the newest run of any kind.
            auto iso = [](qint64 ms) {
                return QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODateWithMs);
            };
            RunRepository runs(ws);
            auto thresholds = MappingThresholdsRepository(ws).all();
            if (!thresholds)
                return reportError(thresholds.error());
            QJsonArray arr;
            for (const Mapping& m : *list) {
                QJsonObject o = mappingJson(m);
                o.insert(QStringLiteral("health"), thresholdsJson(thresholds->value(m.id)));
                auto synced = runs.lastSucceeded(m.id);
                auto last = runs.last(m.id);
                if (!synced)
                    return reportError(synced.error());
                if (!last)
                    return reportError(last.error());
                o.insert(QStringLiteral("last_sync"),
                         *synced ? QJsonValue(iso((*synced)->finishedAtMs)) : QJsonValue());
                o.insert(QStringLiteral("last_run"),
                         *last ? QJsonValue(QJsonObject{
                                     {QStringLiteral("status"), runStatusName((*last)->status)},
                                     {QStringLiteral("kind"), runKindName((*last)->kind)},
                                     {QStringLiteral("at"),
                                      iso((*last)->finishedAtMs > 0 ? (*last)->finishedAtMs
                                                                    : (*last)->startedAtMs)}})
                               : QJsonValue());
                arr.append(o);
            }
            out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
        } else {
            for (const Mapping& m : *list)
                out() << m.id << "\tsegment " << m.segmentId << "\t" << m.cohortName << "\t"
                      << identityKeyName(m.identity) << "\t" << syncModeName(m.mode)
                      << (m.paused ? "\tpaused" : "") << "\n";
        }
        return Ok;
    }
    return usageError(sub.isEmpty() ? QStringLiteral("mapping needs add, list, set, pause, resume, "
                                                     "delete or version")
                                    : QStringLiteral("unknown mapping command: %1").arg(sub));
}

// The Mixpanel query API's hourly budget as the workspace recorded its use: the project's
// 60 queries an hour are shared with every tool, so what Lockstep spent, and on what,
// is shown beside its bounds.
QJsonObject queryBudgetJson(const EngineContext& context, Workspace& ws,
                            const WorkspaceSettings& settings)
{
    const qint64 since = context.clock()->nowMs() - QueryBudget::kHourMs;
    TrustStore store(ws);
    const int perHour = context.queriesPerHour();
    const int verifyPerHour =
        context.options().verifyQueriesPerHour.value_or(settings.verifyQueriesPerHour);
    auto used = store.queriesSince(since);
    auto verifyUsed = store.queriesSince(since, EntryCheck::kPurpose);
    QJsonArray byPurpose;
    if (auto purposes = store.queriesByPurposeSince(since); purposes)
        for (const auto& [what, n] : *purposes)
            byPurpose.append(
                QJsonObject{{QStringLiteral("what"), what}, {QStringLiteral("queries"), n}});
    const int usedCount = used ? int(used->size()) : 0;
    return QJsonObject{
        {QStringLiteral("per_hour"), perHour},
        {QStringLiteral("used_this_hour"), usedCount},
        {QStringLiteral("left"), std::max(0, perHour - usedCount)},
        {QStringLiteral("verify_per_hour"), verifyPerHour},
        {QStringLiteral("verify_used_this_hour"), verifyUsed ? int(verifyUsed->size()) : 0},
        {QStringLiteral("by_purpose"), byPurpose}};
}

int statusCommand(const EngineContext& context, Workspace& ws, Args a)
{
    const bool json = a.flag(QStringLiteral("--json"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto list = MappingRepository(ws).list();
    if (!list)
        return reportError(list.error());
    auto settings = readWorkspaceSettings(ws);
    if (!settings)
        return reportError(settings.error());
    // Judge health now: a stale sync is an alert even when nothing ran.
    const Clock& clock = *context.clock();
    {
        HealthEvaluator evaluator(ws, clock, settings->thresholds);
        if (auto perMapping = thresholdsPerMapping(ws, settings->thresholds); perMapping)
            evaluator.setThresholdsFor(*perMapping);
        (void)evaluator.evaluateAll();
    }
    (void)WatchedPairRepository(ws).evaluate(clock);
    evaluateTrustAlerts(ws, *list, clock);
    auto alerts = AlertStore(ws, clock).open();
    if (!alerts)
        return reportError(alerts.error());

    RunRepository runs(ws);
    SnapshotStore snapshots(ws);
    QJsonArray arr;
    QList<MappingVerdict> verdicts;
    for (const Mapping& m : *list) {
        QJsonObject o = mappingJson(m);
        if (auto last = runs.last(m.id); last && *last)
            o.insert(QStringLiteral("last_run"), runJson(**last));
        if (auto n = snapshots.count(m.id); n)
            o.insert(QStringLiteral("synced_count"), *n);
        // ready, checklist, latency
        const QJsonObject trust = trustStatusJson(ws, m, settings->checklistRules(), clock);
        for (auto it = trust.begin(); it != trust.end(); ++it)
            o.insert(it.key(), it.value());
        // verdict, verdict_reasons, last_sync_ms, later_run
        auto verdict = readVerdict(ws, m, *alerts, settings->checklistRules());
        if (!verdict)
            return reportError(verdict.error());
        const QJsonObject v = verdict->toJson();
        for (auto it = v.begin(); it != v.end(); ++it)
            o.insert(it.key(), it.value());
        verdicts.append(*verdict);
        arr.append(o);
    }
    int unacknowledged = 0;
    for (const Alert& al : *alerts)
        if (!al.isAcknowledged())
            ++unacknowledged;
    if (json) {
        QJsonObject doc{{QStringLiteral("workspace"), Workspace::displayLocation(ws.location())},
                        {QStringLiteral("mappings"), arr},
                        {QStringLiteral("alerts"), alertsToJson(*alerts)},
                        {QStringLiteral("open_alerts"), unacknowledged}};
        // Where the services are (no secrets): each service's region, empty for addresses
        // given by hand.
        if (auto c = SettingsRepository(ws).connection(); c && c->isComplete())
            doc.insert(QStringLiteral("connection"),
                       QJsonObject{{QStringLiteral("customerio_region"), c->customerIoRegion},
                                   {QStringLiteral("customerio_url"), c->customerIoUrl},
                                   {QStringLiteral("mixpanel_region"), c->mixpanelRegion},
                                   {QStringLiteral("mixpanel_url"), c->mixpanelUrl},
                                   {QStringLiteral("mixpanel_query_url"), c->mixpanelQueryUrl},
                                   {QStringLiteral("project_id"), c->projectId}});
        doc.insert(QStringLiteral("query_budget"), queryBudgetJson(context, ws, *settings));
        out() << QJsonDocument(doc).toJson(QJsonDocument::Indented);
    } else {
        for (qsizetype i = 0; i < arr.size(); ++i) {
            const QJsonObject o = arr.at(i).toObject();
            const QJsonObject last = o.value(QStringLiteral("last_run")).toObject();
            out() << o.value(QStringLiteral("id")).toInteger() << "\t"
                  << o.value(QStringLiteral("cohort")).toString() << "\t" << verdicts.at(i).label()
                  << "\tsynced " << o.value(QStringLiteral("synced_count")).toInteger()
                  << "\tlast run "
                  << (last.isEmpty() ? QStringLiteral("never")
                                     : last.value(QStringLiteral("status")).toString())
                  << (o.value(QStringLiteral("ready")).toBool() ? "" : "\tnot ready") << "\n";
            for (const VerdictReason& r : verdicts.at(i).reasons)
                out() << "\t" << r.text << "\n";
        }
        for (const Alert& al : *alerts)
            out() << "alert\t" << alertSeverityName(al.severity) << "\tmapping " << al.mappingId
                  << "\t" << al.message << (al.isAcknowledged() ? "  (acknowledged)" : "") << "\n";
    }
    return unacknowledged > 0 ? ChangesFailed : Ok;
}

QStringList workspaceKeyNames()
{
    QStringList names;
    for (const SettingKey& k : settingKeys())
        if (k.scope == SettingScope::Workspace)
            names << QString::fromUtf8(k.name);
    return names;
}

QJsonValue settingJson(const SettingKey& key, const QString& text)
{
    if (key.isNumeric())
        return text.toDouble();
    return text;
}

void noteOverride(const SettingKey& key, const std::optional<QString>& env)
{
    if (env)
        err() << "lockstep: note: " << key.env << "=" << *env
              << " overrides it for the processes started with it\n";
    err().flush();
}

int configList(Workspace& ws, bool json)
{
    Settings settings(ws);
    QJsonArray arr;
    for (const SettingKey& k : settingKeys()) {
        if (k.scope != SettingScope::Workspace)
            continue;
        auto r = settings.read(k);
        if (!r)
            return reportError(r.error());
        const QString name = QString::fromUtf8(k.name);
        const QString fallback = settingDefault(k);
        const auto env = settingFromEnvironment(k);
        if (json) {
            QJsonObject o{{QStringLiteral("key"), name},
                          {QStringLiteral("value"), settingJson(k, r->value)},
                          {QStringLiteral("default"), settingJson(k, fallback)},
                          {QStringLiteral("set"), r->stored},
                          {QStringLiteral("valid"), settingRange(k)},
                          {QStringLiteral("stored_as"), QString::fromUtf8(k.storedAs)},
                          {QStringLiteral("description"), QString::fromUtf8(k.description)}};
            if (k.isNumeric()) {
                o.insert(QStringLiteral("min"), k.min);
                o.insert(QStringLiteral("max"), k.max);
            }
            if (*k.unit)
                o.insert(QStringLiteral("unit"), QString::fromUtf8(k.unit));
            if (k.env) {
                o.insert(QStringLiteral("env"), QString::fromUtf8(k.env));
                if (env)
                    o.insert(QStringLiteral("env_value"), settingJson(k, *env));
            }
            if (!r->invalid.isNull())
                o.insert(QStringLiteral("invalid_stored_value"), r->invalid);
            arr.append(o);
            continue;
        }
        QStringList notes{r->stored && r->value != fallback
                              ? QStringLiteral("default %1").arg(fallback)
                              : QStringLiteral("default")};
        if (!r->invalid.isNull())
            notes << QStringLiteral("the stored \"%1\" is not valid").arg(r->invalid);
        if (env)
            notes << QStringLiteral("%1=%2 overrides it here").arg(QString::fromUtf8(k.env), *env);
        out() << name << " = " << r->value << "  (" << notes.join(QStringLiteral("; ")) << ")\n"
              << "    " << QString::fromUtf8(k.description) << " Valid: " << settingRange(k)
              << ".\n";
    }
    if (json)
        out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
    return Ok;
}

int configCommand(Workspace& ws, Args a)
{
    const QString sub = a.takeFirst();
    if (sub == QLatin1String("list")) {
        const bool json = a.flag(QStringLiteral("--json"));
        int code = 0;
        if (unknownLeft(a, &code))
            return code;
        return configList(ws, json);
    }
    if (sub != QLatin1String("get") && sub != QLatin1String("set"))
        return usageError(
            QStringLiteral("config get KEY | config set KEY VALUE | config list [--json]"));
    const QString name = a.takeFirst();
    const SettingKey* key = findSettingKey(name);
    if (!key || key->scope != SettingScope::Workspace) {
        const QString what =
            name.isEmpty() ? QStringLiteral("config %1 needs a key").arg(sub)
            : key ? QStringLiteral("%1 is kept by Lockstep itself, not set by hand").arg(name)
                  : QStringLiteral("unknown setting %1").arg(name);
        return usageError(QStringLiteral("%1; keys: %2")
                              .arg(what, workspaceKeyNames().join(QStringLiteral(", "))));
    }
    Settings settings(ws);
    if (sub == QLatin1String("get")) {
        int code = 0;
        if (unknownLeft(a, &code))
            return code;
        auto r = settings.read(*key);
        if (!r)
            return reportError(r.error());
        out() << r->value << "\n";
        out().flush();
        noteOverride(*key, settingFromEnvironment(*key));
        return Ok;
    }
    if (a.rest().isEmpty())
        return usageError(
            QStringLiteral("config set %1 needs a value: %2").arg(name, settingRange(*key)));
    const QString value = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    if (auto valid = normalizeSetting(*key, value); !valid)
        return usageError(valid.error().message);
    if (auto st = settings.setText(*key, value); !st)
        return reportError(st.error());
    noteOverride(*key, settingFromEnvironment(*key));
    return Ok;
}

int auditCommand(Workspace& ws, Args a)
{
    QString error;
    const QString format =
        a.take(QStringLiteral("--format"), &error).value_or(QStringLiteral("md"));
    const auto output = a.take(QStringLiteral("--output"), &error);
    const auto failOn = a.take(QStringLiteral("--fail-on"), &error);
    const bool bom = a.flag(QStringLiteral("--bom"));
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    if (format != QLatin1String("csv") && format != QLatin1String("json") &&
        format != QLatin1String("md"))
        return usageError(QStringLiteral("--format must be csv, json or md, not %1").arg(format));
    if (failOn && *failOn != QLatin1String("error") && *failOn != QLatin1String("warning"))
        return usageError(QStringLiteral("--fail-on must be error or warning"));
    auto settings = readWorkspaceSettings(ws);
    if (!settings)
        return reportError(settings.error());
    auto report = auditWorkspace(ws, settings->checklistRules());
    if (!report)
        return reportError(report.error());
    const QByteArray bytes = format == QLatin1String("csv")    ? toCsv(*report, bom)
                             : format == QLatin1String("json") ? toJson(*report)
                                                               : toMarkdown(*report);
    if (output) {
        // All or nothing, owner-only, never through a link (writePrivateFile).
        if (Status st = writePrivateFile(*output, bytes); !st)
            return reportError(st.error());
    } else {
        writeOut(bytes);
    }
    if (failOn) {
        const int errors = report->count(FindingSeverity::Error);
        const int warnings = report->count(FindingSeverity::Warning);
        if (errors > 0 || (*failOn == QLatin1String("warning") && warnings > 0))
            return ChangesFailed;
    }
    return Ok;
}

} // namespace

bool isCommandLine(const QStringList& args)
{
    // The console takes only options (some with a value); anything else is a command,
    // and an unknown one is reported as such rather than opening a window.
    static const QStringList consoleValueOptions = {QStringLiteral("--workspace"),
                                                    QStringLiteral("--screenshot")};
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a == QLatin1String("--version") || a == QLatin1String("--help") ||
            a == QLatin1String("-h"))
            return true;
        if (consoleValueOptions.contains(a)) {
            ++i;
            continue;
        }
        if (!a.startsWith(QLatin1Char('-')))
            return true;
    }
    return false;
}

int run(const QStringList& argv)
{
    Args a(argv.mid(1));
    if (a.flag(QStringLiteral("--help")) || a.flag(QStringLiteral("-h"))) {
        out() << kUsage;
        return Ok;
    }
    if (a.flag(QStringLiteral("--version"))) {
        out() << "lockstep " << LOCKSTEP_VERSION << "\n";
        return Ok;
    }
    QString error;
    const QString location =
        a.take(QStringLiteral("--workspace"), &error).value_or(Workspace::defaultLocation());
    if (!error.isEmpty())
        return usageError(error);
    const QString command = a.takeFirst();
    if (command == QLatin1String("help")) {
        out() << kUsage;
        return Ok;
    }
    // The process's one engine context: every command below reaches the engine through it.
    const EngineContext context;
    if (command == QLatin1String("sync"))
        return syncCommand(context, location, a, false);
    if (command == QLatin1String("dry-run"))
        return syncCommand(context, location, a, true);
    if (command == QLatin1String("run"))
        return runCommand(context, location, a);
    if (command == QLatin1String("doctor"))
        return doctorCommand(context, location, a);
    if (command == QLatin1String("purge"))
        return purgeCommand(location, a);
    if (command == QLatin1String("notify"))
        return notifyCommand(context, location, a);
    if (isTrustCommand(command))
        return trustCommand(context, command, location, a);
    if (!kCommands.contains(command))
        return usageError(QStringLiteral("unknown command: %1").arg(command));

    auto ws = Workspace::open(location);
    if (!ws)
        return reportError(ws.error());
    if (command == QLatin1String("connect"))
        return connectCommand(**ws, a);
    if (command == QLatin1String("mapping"))
        return mappingCommand(context, **ws, a);
    if (command == QLatin1String("status"))
        return statusCommand(context, **ws, a);
    if (command == QLatin1String("audit"))
        return auditCommand(**ws, a);
    if (command == QLatin1String("config"))
        return configCommand(**ws, a);
    if (isMappingsCommand(command))
        return mappingsCommand(command, **ws, a);
    return usageError(QStringLiteral("unknown command: %1").arg(command));
}

} // namespace lockstep::cli
