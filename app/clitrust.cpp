#include "clitrust.h"

#include "api/credentials.h"
#include "api/endpointpolicy.h"
#include "api/requestscheduler.h"
#include "api/serviceconfig.h"
#include "config/workspacesettings.h"
#include "engine/enginecontext.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/cohortdefinitioncheck.h"
#include "trust/identityadvisor.h"
#include "trust/latencymonitor.h"
#include "trust/querybudget.h"
#include "trust/rehearsal.h"
#include "trust/spotcheck.h"
#include "trust/truststore.h"
#include "util/clock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace lockstep::cli {

namespace {

// What every networked trust command needs: the workspace, the mapping, the services,
// and a scheduler drawing on the process's limits (EngineContext).
struct Session
{
    explicit Session(const EngineContext& c) : context(c) {}
    const EngineContext& context;
    std::unique_ptr<Workspace> ws;
    Mapping mapping;
    ServiceConfig services;
    std::unique_ptr<RequestScheduler> http;
    int perHour() const { return context.queriesPerHour(); }
    const Clock* clock() const { return context.clock(); }
};

// Returns an exit code on failure, 0 when the session is ready. `evenDeleted`: the mapping
// may be deleted (cleaning up what it left on profiles).
int openSession(Session& s, const QString& location, qint64 mappingId, bool needServices,
                bool evenDeleted = false)
{
    auto ws = Workspace::open(location);
    if (!ws)
        return reportError(ws.error());
    s.ws = std::move(*ws);
    auto m = evenDeleted ? MappingRepository(*s.ws).getEvenDeleted(mappingId)
                         : MappingRepository(*s.ws).get(mappingId);
    if (!m)
        return usageError(
            QStringLiteral("no mapping %1 in %2")
                .arg(QString::number(mappingId), Workspace::displayLocation(location)));
    s.mapping = *m;
    if (!needServices)
        return Ok;
    auto settings = SettingsRepository(*s.ws).connection();
    if (!settings)
        return reportError(settings.error());
    auto services = s.context.services(*settings, Credentials::fromEnvironment(),
                                       EngineContext::Need::AllSecrets);
    if (!services)
        return reportError(services.error());
    s.services = *services;
    s.context.shareLimitsThrough(location);
    s.http.reset(s.context.createScheduler(nullptr));
    QueryBudget::watch(s.http.get(), s.ws.get(), s.clock());
    return Ok;
}

std::optional<qint64> positiveId(Args& a, const QString& name, QString* error)
{
    const auto v = a.take(name, error);
    if (!v)
        return std::nullopt;
    bool ok = false;
    const qint64 id = v->toLongLong(&ok);
    if (!ok || id <= 0) {
        *error = QStringLiteral("%1 must be a positive number, not %2").arg(name, *v);
        return std::nullopt;
    }
    return id;
}

void printJson(const QJsonObject& o)
{
    out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
    out().flush();
}

void printPeople(const QList<PersonCheck>& people)
{
    for (const PersonCheck& p : people) {
        out() << (p.passed ? "  ok    " : "  FAIL  ") << p.label().leftJustified(32) << "  "
              << (p.distinctId.isEmpty() ? QStringLiteral("(no key)") : p.distinctId);
        if (!p.reason.isEmpty())
            out() << "  [" << p.reason << "]";
        out() << "\n        " << p.detail << "\n";
    }
}

QString budgetLine(int left, int perHour)
{
    return QStringLiteral("Mixpanel query budget: %1 of %2 left this hour").arg(left).arg(perHour);
}

// Runs the application's event loop (the command's only one) until a check's signal
// handler calls finish() or fail().
struct Waiter
{
    SyncError error;
    bool done = false;
    void finish()
    {
        done = true;
        QCoreApplication::exit(0);
    }
    void fail(const SyncError& e)
    {
        error = e;
        finish();
    }
    void wait()
    {
        if (!done)
            QCoreApplication::exec();
    }
};

// What every trust command checks once its options are read: option errors, options
// it does not know, and the mapping it needs. 0 when all is well, else the exit code.
int argsDone(Args& a, const QString& error, const std::optional<qint64>& mappingId,
             const char* command)
{
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    if (!mappingId)
        return usageError(QStringLiteral("%1 needs --mapping ID").arg(QLatin1String(command)));
    return 0;
}

int rehearseCommand(const EngineContext& context, const QString& location, Args a)
{
    QString error;
    const auto mappingId = positiveId(a, QStringLiteral("--mapping"), &error);
    const auto segmentId = positiveId(a, QStringLiteral("--test-segment"), &error);
    const auto cap = positiveId(a, QStringLiteral("--max-size"), &error);
    const bool cleanup = a.flag(QStringLiteral("--cleanup"));
    const bool cleanupLast = a.flag(QStringLiteral("--cleanup-last"));
    const bool json = a.flag(QStringLiteral("--json"));
    if (const int c = argsDone(a, error, mappingId, "rehearse"))
        return c;
    if (!segmentId && !cleanupLast)
        return usageError(
            QStringLiteral("rehearse needs --test-segment ID (a small internal segment), or "
                           "--cleanup-last"));
    Session s(context);
    if (const int c = openSession(s, location, *mappingId, true))
        return c;
    RehearsalOptions options;
    options.queriesPerHour = s.perHour();
    if (cap)
        options.sizeCap = int(std::min<qint64>(*cap, 1000));
    options.by = qEnvironmentVariable("USER");
    Rehearsal rehearsal(*s.ws, s.http.get(), s.services, s.clock(), s.mapping,
                        segmentId.value_or(0), options);
    Waiter w;
    std::optional<RehearsalResult> result;
    std::optional<RehearsalCleanup> cleaned;
    QObject::connect(&rehearsal, &Rehearsal::failed, &rehearsal,
                     [&](const SyncError& e) { w.fail(e); });
    QObject::connect(&rehearsal, &Rehearsal::finished, &rehearsal, [&](const RehearsalResult& r) {
        result = r;
        if (cleanup)
            rehearsal.cleanup();
        else
            w.finish();
    });
    QObject::connect(&rehearsal, &Rehearsal::cleanupFinished, &rehearsal,
                     [&](const RehearsalCleanup& c) {
                         cleaned = c;
                         w.finish();
                     });
    if (cleanupLast) {
        auto last =
            TrustStore(*s.ws).latest(s.mapping.id, QString::fromLatin1(trustkind::kRehearsal));
        if (!last)
            return reportError(last.error());
        if (!*last)
            return usageError(
                QStringLiteral("mapping %1 has no rehearsal to clean up").arg(s.mapping.id));
        rehearsal.cleanup(RehearsalResult::fromJson((*last)->result));
    } else {
        rehearsal.start();
    }
    w.wait();
    const int left = QueryBudget(*s.ws, s.http.get(), s.clock(), s.perHour()).left();
    if (w.error.isError() && !result && !cleaned)
        return reportError(w.error);

    if (json) {
        QJsonObject o;
        if (result)
            o.insert(QStringLiteral("rehearsal"), result->toJson());
        if (cleaned)
            o.insert(QStringLiteral("cleanup"), cleaned->toJson());
        if (w.error.isError())
            o.insert(QStringLiteral("error"), w.error.message);
        o.insert(QStringLiteral("queries_left_this_hour"), left);
        printJson(o);
    } else {
        if (result) {
            out() << "rehearsal of mapping " << s.mapping.id << " (" << s.mapping.cohortName
                  << ") on test segment " << result->testSegmentId << " ("
                  << result->testSegmentName << "): " << (result->passed() ? "PASSED" : "FAILED")
                  << ", " << result->passedCount() << " of " << result->people.size()
                  << " people read back\n"
                  << "temporary value: \"" << result->value << "\" in " << result->property << "\n";
            printPeople(result->people);
            for (const QString& u : result->unexpected)
                out() << "  unexpected profile carries the value: " << u << "\n";
            if (!cleanup)
                out() << "clean up with: lockstep rehearse --mapping " << s.mapping.id
                      << " --cleanup-last\n";
        }
        if (cleaned)
            out() << "cleanup: removed \"" << cleaned->value << "\" from " << cleaned->removed
                  << " profiles; "
                  << (cleaned->verified()
                          ? QStringLiteral("verified gone")
                          : QStringLiteral("%1 profiles still carry it").arg(cleaned->remaining))
                  << "\n";
        out() << budgetLine(left, s.perHour()) << "\n";
        out().flush();
        if (w.error.isError())
            err() << "lockstep: " << w.error.message << "\n";
    }
    if (w.error.isError())
        return exitCodeFor(w.error);
    if ((result && !result->passed()) || (cleaned && !cleaned->verified()))
        return ChangesFailed;
    return Ok;
}

// `rehearsal list [--json]`: the rehearsals whose temporary value is still on profiles.
int rehearsalListCommand(const QString& location, Args a)
{
    const bool json = a.flag(QStringLiteral("--json"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto ws = Workspace::open(location);
    if (!ws)
        return reportError(ws.error());
    auto open = TrustStore(**ws).openRehearsals();
    if (!open)
        return reportError(open.error());
    if (json) {
        QJsonArray arr;
        for (const OpenRehearsal& o : *open)
            arr.append(o.toJson());
        out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
        out().flush();
        return Ok;
    }
    if (open->isEmpty()) {
        out() << "no open rehearsals: every rehearsal's temporary value has been cleaned up\n";
        out().flush();
        return Ok;
    }
    for (const OpenRehearsal& o : *open) {
        const RehearsalResult& r = o.rehearsal;
        out() << "rehearsal " << o.checkId << ": mapping " << r.mappingId << " (" << o.cohortName
              << (o.mappingDeleted ? ", deleted" : "") << "), \"" << r.value << "\" in "
              << r.property << " on " << o.carriers << (o.carriers == 1 ? " profile" : " profiles")
              << ", made "
              << QDateTime::fromMSecsSinceEpoch(r.atMs, Qt::UTC)
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
        if (!r.by.isEmpty())
            out() << " by " << r.by;
        out() << "\n";
    }
    out() << "clean one up with: lockstep rehearsal cleanup ID\n";
    out().flush();
    return Ok;
}

// `rehearsal cleanup ID [--json]`: removes an open rehearsal's temporary value, verified.
int rehearsalCleanupCommand(const EngineContext& context, const QString& location, Args a)
{
    const bool json = a.flag(QStringLiteral("--json"));
    const QString ref = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    bool ok = false;
    const qint64 checkId = ref.toLongLong(&ok);
    if (ref.isEmpty() || !ok || checkId <= 0)
        return usageError(
            ref.isEmpty() ? QStringLiteral("rehearsal cleanup needs the rehearsal's id (`lockstep "
                                           "rehearsal list`)")
                          : QStringLiteral("a rehearsal id is a positive number, not %1").arg(ref));
    std::optional<OpenRehearsal> open;
    {
        auto ws = Workspace::open(location);
        if (!ws)
            return reportError(ws.error());
        auto found = TrustStore(**ws).openRehearsalById(checkId);
        if (!found)
            return reportError(found.error());
        open = *found;
    }
    if (!open)
        return usageError(QStringLiteral("no open rehearsal %1 (`lockstep rehearsal list` shows "
                                         "them): it is cleaned up already, or there is no such "
                                         "rehearsal")
                              .arg(checkId));
    Session s(context);
    // A deleted mapping's rehearsal is cleaned up in that mapping's terms all the same.
    if (const int c = openSession(s, location, open->rehearsal.mappingId, true, true))
        return c;
    RehearsalOptions options;
    options.queriesPerHour = s.perHour();
    Rehearsal rehearsal(*s.ws, s.http.get(), s.services, s.clock(), s.mapping,
                        open->rehearsal.testSegmentId, options);
    Waiter w;
    std::optional<RehearsalCleanup> cleaned;
    QObject::connect(&rehearsal, &Rehearsal::failed, &rehearsal,
                     [&](const SyncError& e) { w.fail(e); });
    QObject::connect(&rehearsal, &Rehearsal::cleanupFinished, &rehearsal,
                     [&](const RehearsalCleanup& c) {
                         cleaned = c;
                         w.finish();
                     });
    rehearsal.cleanup(open->rehearsal);
    w.wait();
    if (!cleaned)
        return reportError(w.error);
    const int left = QueryBudget(*s.ws, s.http.get(), s.clock(), s.perHour()).left();
    if (json) {
        QJsonObject o = cleaned->toJson();
        o.insert(QStringLiteral("id"), checkId);
        o.insert(QStringLiteral("queries_left_this_hour"), left);
        printJson(o);
    } else {
        out() << "rehearsal " << checkId << ": removed \"" << cleaned->value << "\" from "
              << cleaned->removed << " profiles; "
              << (cleaned->verified()
                      ? QStringLiteral("verified gone")
                      : QStringLiteral("%1 profiles still carry it (try again in a minute)")
                            .arg(cleaned->remaining))
              << "\n"
              << budgetLine(left, s.perHour()) << "\n";
        out().flush();
    }
    return cleaned->verified() ? Ok : ChangesFailed;
}

int rehearsalCommand(const EngineContext& context, const QString& location, Args a)
{
    const QString sub = a.takeFirst();
    if (sub == QLatin1String("list"))
        return rehearsalListCommand(location, a);
    if (sub == QLatin1String("cleanup"))
        return rehearsalCleanupCommand(context, location, a);
    return usageError(QStringLiteral("rehearsal needs list or cleanup ID (not \"%1\")").arg(sub));
}

int spotCheckCommand(const EngineContext& context, const QString& location, Args a)
{
    QString error;
    const auto mappingId = positiveId(a, QStringLiteral("--mapping"), &error);
    const auto count = a.take(QStringLiteral("--count"), &error);
    const auto seed = positiveId(a, QStringLiteral("--seed"), &error);
    const QStringList people = a.takeMany(QStringLiteral("--person"));
    const bool json = a.flag(QStringLiteral("--json"));
    if (const int c = argsDone(a, error, mappingId, "spot-check"))
        return c;
    SpotCheckOptions options;
    options.named = people;
    if (count) {
        bool ok = false;
        options.count = count->toInt(&ok);
        if (!ok || options.count < 0 || options.count > SpotCheckOptions::kMaxPeople)
            return usageError(
                QStringLiteral("--count must be 0 to %1").arg(SpotCheckOptions::kMaxPeople));
    }
    if (seed)
        options.seed = quint64(*seed);
    Session s(context);
    if (const int c = openSession(s, location, *mappingId, true))
        return c;
    options.queriesPerHour = s.perHour();
    if (const int p = qEnvironmentVariableIntValue("LOCKSTEP_PAGE_SIZE"); p > 0)
        options.pageSize = std::min(p, CustomerIoClient::kMaxPageSize);
    SpotCheck check(*s.ws, s.http.get(), s.services, s.clock(), s.mapping, options);
    Waiter w;
    std::optional<SpotCheckResult> result;
    QObject::connect(&check, &SpotCheck::failed, &check, [&](const SyncError& e) { w.fail(e); });
    QObject::connect(&check, &SpotCheck::finished, &check, [&](const SpotCheckResult& r) {
        result = r;
        w.finish();
    });
    check.start();
    w.wait();
    const int left = QueryBudget(*s.ws, s.http.get(), s.clock(), s.perHour()).left();
    if (!result) {
        if (json)
            printJson(QJsonObject{{QStringLiteral("error"), w.error.message},
                                  {QStringLiteral("queries_left_this_hour"), left}});
        else
            out() << budgetLine(left, s.perHour()) << "\n";
        out().flush();
        return reportError(w.error);
    }
    if (json) {
        printJson(result->toJson());
    } else {
        out() << "spot check of mapping " << s.mapping.id << " (" << s.mapping.cohortName
              << "): " << (result->passed() ? "PASSED" : "FAILED") << ", " << result->passedCount()
              << " of " << result->people.size() << " people agree in both systems\n";
        printPeople(result->people);
        out() << budgetLine(left, s.perHour()) << "\n";
        out().flush();
    }
    return result->passed() ? Ok : ChangesFailed;
}

int identityAdviceCommand(const EngineContext& context, const QString& location, Args a)
{
    QString error;
    const auto mappingId = positiveId(a, QStringLiteral("--mapping"), &error);
    const auto sample = a.take(QStringLiteral("--sample"), &error);
    const auto seed = positiveId(a, QStringLiteral("--seed"), &error);
    const bool json = a.flag(QStringLiteral("--json"));
    if (const int c = argsDone(a, error, mappingId, "identity-advice"))
        return c;
    IdentityAdviceOptions options;
    if (sample) {
        bool ok = false;
        options.sample = sample->toInt(&ok);
        if (!ok || options.sample < 1 || options.sample > IdentityAdviceOptions::kMaxSample)
            return usageError(
                QStringLiteral("--sample must be 1 to %1").arg(IdentityAdviceOptions::kMaxSample));
    }
    if (seed)
        options.seed = quint64(*seed);
    Session s(context);
    if (const int c = openSession(s, location, *mappingId, true))
        return c;
    options.queriesPerHour = s.perHour();
    if (const int p = qEnvironmentVariableIntValue("LOCKSTEP_PAGE_SIZE"); p > 0)
        options.pageSize = std::min(p, CustomerIoClient::kMaxPageSize);
    IdentityAdvisor advisor(*s.ws, s.http.get(), s.services, s.clock(), s.mapping, options);
    Waiter w;
    std::optional<IdentityAdvice> advice;
    QObject::connect(&advisor, &IdentityAdvisor::failed, &advisor,
                     [&](const SyncError& e) { w.fail(e); });
    QObject::connect(&advisor, &IdentityAdvisor::finished, &advisor, [&](const IdentityAdvice& r) {
        advice = r;
        w.finish();
    });
    advisor.start();
    w.wait();
    const int left = QueryBudget(*s.ws, s.http.get(), s.clock(), s.perHour()).left();
    if (!advice) {
        if (json)
            printJson(QJsonObject{{QStringLiteral("error"), w.error.message},
                                  {QStringLiteral("queries_left_this_hour"), left}});
        else
            out() << budgetLine(left, s.perHour()) << "\n";
        out().flush();
        return reportError(w.error);
    }
    if (json) {
        printJson(advice->toJson());
        return Ok;
    }
    out() << "identity advice for mapping " << s.mapping.id << " (" << s.mapping.cohortName
          << "), keyed by " << identityKeyName(s.mapping.identity) << ": " << advice->sampled
          << " of " << advice->members << " members of segment " << s.mapping.segmentId
          << " looked up in Mixpanel\n";
    for (const KeyMatch& k : advice->keys) {
        out() << "  " << k.key.leftJustified(8);
        if (!k.lookedUp) {
            out() << "not looked up\n";
            continue;
        }
        out() << QStringLiteral("%1 %").arg(k.rate(advice->sampled) * 100.0, 5, 'f', 1) << "  "
              << k.matched << " of " << advice->sampled << " have a profile";
        if (k.ghosts > 0)
            out() << ", " << k.ghosts << " only a ghost";
        if (k.carried < advice->sampled)
            out() << " (" << advice->sampled - k.carried << " have no usable "
                  << (k.key.startsWith(QLatin1Char('$')) ? QStringLiteral("e-mail address") : k.key)
                  << ")";
        out() << "\n";
    }
    out() << "recommended: "
          << (advice->recommended ? identityKeyName(*advice->recommended) : QStringLiteral("none"))
          << (advice->change ? QStringLiteral(" (a change)") : QString()) << "\n"
          << advice->summary << "\n";
    if (!advice->note.isEmpty())
        out() << "note: " << advice->note << "\n";
    out() << budgetLine(left, s.perHour()) << " (" << advice->queriesUsed << " used)\n";
    out().flush();
    return Ok;
}

int checklistCommand(const EngineContext& context, const QString& location, Args a)
{
    QString error;
    const auto mappingId = positiveId(a, QStringLiteral("--mapping"), &error);
    const bool offline = a.flag(QStringLiteral("--offline"));
    const bool json = a.flag(QStringLiteral("--json"));
    if (const int c = argsDone(a, error, mappingId, "checklist"))
        return c;
    // The cohort definition is verified live (one budgeted /cohorts/list query) unless
    // --offline or no credentials; then the stored evidence stands and a note says why.
    const Credentials creds = Credentials::fromEnvironment();
    const bool canVerify = !creds.customerIoAppApiKey.isEmpty() &&
                           !creds.mixpanelProjectToken.isEmpty() &&
                           !creds.mixpanelServiceAccount.isEmpty();
    QString note;
    if (!offline && !canVerify)
        note = QStringLiteral(
            "cohort definition not verified now: no Mixpanel credentials in the environment");
    Session s(context);
    if (const int c = openSession(s, location, *mappingId, !offline && canVerify))
        return c;
    if (s.http) {
        CohortDefinitionCheck check(*s.ws, s.http.get(), s.services, s.clock(), s.mapping,
                                    s.perHour());
        Waiter w;
        QObject::connect(&check, &CohortDefinitionCheck::failed, &check,
                         [&](const SyncError& e) { w.fail(e); });
        QObject::connect(&check, &CohortDefinitionCheck::finished, &check,
                         [&](const CohortDefinitionResult&) { w.finish(); });
        check.start();
        w.wait();
        if (w.error.isError())
            note = QStringLiteral("cohort definition not verified now: %1").arg(w.error.message);
    }
    auto settings = readWorkspaceSettings(*s.ws);
    if (!settings)
        return reportError(settings.error());
    auto list = ChecklistEvaluator(*s.ws, settings->checklistRules()).evaluate(s.mapping);
    if (!list)
        return reportError(list.error());
    auto latency = LatencyMonitor(*s.ws, *s.clock()).evaluate(s.mapping.id);
    if (json) {
        QJsonObject o = list->toJson();
        o.insert(QStringLiteral("mapping_id"), s.mapping.id);
        if (latency)
            o.insert(QStringLiteral("latency"), latency->toJson());
        if (!note.isEmpty())
            o.insert(QStringLiteral("note"), note);
        printJson(o);
    } else {
        out() << "rollout checklist of mapping " << s.mapping.id << " (" << s.mapping.cohortName
              << "): " << (list->ready() ? "READY" : "NOT READY") << "\n";
        for (const ChecklistItem& i : list->items)
            out() << (i.done ? "  [x] " : "  [ ] ") << i.title << "\n        " << i.evidence
                  << "\n";
        if (!note.isEmpty())
            out() << "note: " << note << "\n";
        out().flush();
    }
    return list->ready() ? Ok : ChangesFailed;
}

QString minutes(const std::optional<qint64>& ms)
{
    return ms ? QString::number(double(*ms) / 60000.0, 'f', 1) + QStringLiteral(" min")
              : QStringLiteral("n/a");
}

int latencyCommand(const EngineContext& context, const QString& location, Args a)
{
    QString error;
    const auto mappingId = positiveId(a, QStringLiteral("--mapping"), &error);
    const auto expect = a.take(QStringLiteral("--expect"), &error);
    const bool json = a.flag(QStringLiteral("--json"));
    if (const int c = argsDone(a, error, mappingId, "latency"))
        return c;
    Session s(context);
    if (const int c = openSession(s, location, *mappingId, false))
        return c;
    if (expect) {
        bool ok = false;
        const int m = expect->toInt(&ok);
        if (!ok || m < 0 || m > 7 * 24 * 60)
            return usageError(
                QStringLiteral("--expect takes minutes (0 to clear, at most a week)"));
        if (auto st = TrustStore(*s.ws).setLatencyExpectationMinutes(s.mapping.id, m); !st)
            return reportError(st.error());
    }
    auto r = LatencyMonitor(*s.ws, *s.clock()).evaluate(s.mapping.id);
    if (!r)
        return reportError(r.error());
    if (json) {
        printJson(r->toJson());
    } else {
        out() << "sync latency of mapping " << s.mapping.id << " (" << s.mapping.cohortName
              << ") over " << r->runs << " runs, " << r->changes << " changes: median "
              << minutes(r->medianMs) << ", 95th " << minutes(r->p95Ms) << ", max "
              << minutes(r->maxMs) << "\n"
              << "expectation: "
              << (r->expectationMinutes > 0 ? QStringLiteral("%1 min").arg(r->expectationMinutes)
                                            : QStringLiteral("not set (--expect MINUTES)"))
              << (r->exceeded() ? "  EXCEEDED" : "") << "\n";
        out().flush();
    }
    return r->exceeded() ? ChangesFailed : Ok;
}

} // namespace

bool isTrustCommand(const QString& command)
{
    return command == QLatin1String("rehearse") || command == QLatin1String("rehearsal") ||
           command == QLatin1String("spot-check") || command == QLatin1String("checklist") ||
           command == QLatin1String("latency") || command == QLatin1String("identity-advice");
}

int trustCommand(const EngineContext& context, const QString& command, const QString& location,
                 Args a)
{
    if (command == QLatin1String("rehearse"))
        return rehearseCommand(context, location, a);
    if (command == QLatin1String("rehearsal"))
        return rehearsalCommand(context, location, a);
    if (command == QLatin1String("spot-check"))
        return spotCheckCommand(context, location, a);
    if (command == QLatin1String("checklist"))
        return checklistCommand(context, location, a);
    if (command == QLatin1String("identity-advice"))
        return identityAdviceCommand(context, location, a);
    return latencyCommand(context, location, a);
}

QJsonObject trustStatusJson(Workspace& ws, const Mapping& m, const ChecklistRules& rules,
                            const Clock& clock)
{
    auto list = ChecklistEvaluator(ws, rules).evaluate(m);
    if (!list)
        return {};
    QJsonObject checklist = list->toJson();
    const bool ready = list->ready();
    checklist.remove(QStringLiteral("ready"));
    QJsonObject o{{QStringLiteral("ready"), ready},
                  {QStringLiteral("checklist"), checklist.value(QStringLiteral("items"))}};
    if (auto latency = LatencyMonitor(ws, clock).report(m.id); latency)
        o.insert(QStringLiteral("latency"), latency->toJson());
    return o;
}

void evaluateTrustAlerts(Workspace& ws, const QList<Mapping>& mappings, const Clock& clock)
{
    for (const Mapping& m : mappings)
        (void)LatencyMonitor(ws, clock).evaluate(m.id);
}

} // namespace lockstep::cli
