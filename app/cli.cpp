#include "cli.h"

#include "engine/credentials.h"
#include "engine/synccontroller.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

namespace lockstep::cli {

namespace {

const QStringList kCommands = {QStringLiteral("connect"), QStringLiteral("mapping"),
                               QStringLiteral("sync"),    QStringLiteral("dry-run"),
                               QStringLiteral("status"),  QStringLiteral("help")};

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}
QTextStream& err()
{
    static QTextStream s(stderr);
    return s;
}

const char* kUsage =
    "Usage: lockstep [--workspace FILE] COMMAND [OPTIONS]\n"
    "       lockstep [--workspace FILE] [--demo] [--screenshot DIR]   (the console)\n"
    "\n"
    "Commands:\n"
    "  connect --customerio-url URL --mixpanel-url URL --mixpanel-query-url URL --project-id N\n"
    "  connect --region us|eu --project-id N\n"
    "      Store where the services are. Secrets come from the environment only:\n"
    "      LOCKSTEP_CUSTOMERIO_APP_API_KEY, LOCKSTEP_MIXPANEL_PROJECT_TOKEN,\n"
    "      LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT (user:secret).\n"
    "  mapping add --segment ID --cohort NAME --identity email|id|cio_id\n"
    "              [--mode list|flag] [--property NAME] [--owner NAME] [--decision TEXT]\n"
    "              [--schedule MINUTES]          prints the new mapping id\n"
    "  mapping list [--json]\n"
    "  sync (--all | --mapping ID...) [--full] [--dry-run] [--json]\n"
    "  dry-run (--all | --mapping ID...) [--json]\n"
    "  status [--json]\n"
    "\n"
    "Options:\n"
    "  --workspace FILE   workspace file (default: $LOCKSTEP_WORKSPACE, else the per-user one)\n"
    "  --version          print the version\n"
    "\n"
    "Exit codes: 0 ok, 1 some changes failed, 2 usage or configuration error,\n"
    "3 cannot reach or authenticate to a service.\n";

// A small argument reader: flags with values, repeated values, leftovers.
class Args
{
public:
    explicit Args(QStringList a) : m_args(std::move(a)) {}

    // Removes `--name VALUE` (or --name=VALUE); nullopt when absent.
    std::optional<QString> take(const QString& name, QString* error)
    {
        for (qsizetype i = 0; i < m_args.size(); ++i) {
            const QString& a = m_args[i];
            if (a == name) {
                if (i + 1 >= m_args.size() || m_args[i + 1].startsWith(QLatin1String("--"))) {
                    *error = QStringLiteral("%1 needs a value").arg(name);
                    return std::nullopt;
                }
                const QString v = m_args[i + 1];
                m_args.remove(i, 2);
                return v;
            }
            if (a.startsWith(name + QLatin1Char('='))) {
                const QString v = a.mid(name.size() + 1);
                m_args.remove(i);
                return v;
            }
        }
        return std::nullopt;
    }
    // Removes `--name V1 V2 ...` (values up to the next option), repeatable.
    QStringList takeMany(const QString& name)
    {
        QStringList values;
        for (qsizetype i = 0; i < m_args.size();) {
            if (m_args[i] != name) {
                ++i;
                continue;
            }
            m_args.remove(i);
            while (i < m_args.size() && !m_args[i].startsWith(QLatin1String("--")))
                values << m_args.takeAt(i);
        }
        return values;
    }
    bool flag(const QString& name)
    {
        const bool has = m_args.contains(name);
        m_args.removeAll(name);
        return has;
    }
    QString takeFirst() { return m_args.isEmpty() ? QString() : m_args.takeFirst(); }
    const QStringList& rest() const { return m_args; }

private:
    QStringList m_args;
};

int usageError(const QString& message)
{
    err() << "lockstep: " << message << "\n"
          << "Run `lockstep help` for usage.\n";
    err().flush();
    return UsageOrConfig;
}

int exitCodeFor(const SyncError& e)
{
    using C = SyncError::Category;
    switch (e.category) {
    case C::None: return Ok;
    case C::Usage:
    case C::Config:
    case C::Storage:
    case C::NotFound: return UsageOrConfig; // e.g. a mapping names a segment that is gone
    case C::Network:
    case C::Timeout:
    case C::Auth: return Unreachable;
    default: return ChangesFailed;
    }
}

int reportError(const SyncError& e)
{
    err() << "lockstep: " << e.message << "\n";
    err().flush();
    return exitCodeFor(e);
}

bool unknownLeft(Args& a, int* code)
{
    if (a.rest().isEmpty())
        return false;
    *code = usageError(QStringLiteral("unexpected argument: %1").arg(a.rest().first()));
    return true;
}

int connectCommand(Workspace& ws, Args a)
{
    QString error;
    const auto region = a.take(QStringLiteral("--region"), &error);
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
    if (region) {
        if (cio || mp || mq)
            return usageError(QStringLiteral("give either --region or the three URLs, not both"));
        auto r = ConnectionSettings::forRegion(*region, projectId);
        if (!r)
            return usageError(QStringLiteral("unknown region %1 (us or eu)").arg(*region));
        s = *r;
    } else {
        if (!cio || !mp || !mq)
            return usageError(QStringLiteral("connect needs --customerio-url, --mixpanel-url and "
                                             "--mixpanel-query-url (or --region)"));
        s.customerIoUrl = *cio;
        s.mixpanelUrl = *mp;
        s.mixpanelQueryUrl = *mq;
        s.projectId = projectId;
    }
    for (const QString& u : {s.customerIoUrl, s.mixpanelUrl, s.mixpanelQueryUrl}) {
        const QUrl url(u, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return usageError(QStringLiteral("not an http(s) URL: %1").arg(u));
        if (!url.userInfo().isEmpty())
            return usageError(QStringLiteral("put credentials in the environment, not in URLs"));
    }
    if (auto st = SettingsRepository(ws).setConnection(s); !st)
        return reportError(st.error());
    out() << "connected workspace " << ws.location() << "\n";
    return Ok;
}

QJsonObject mappingJson(const Mapping& m)
{
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("segment_id"), m.segmentId},
                       {QStringLiteral("segment_name"), m.segmentName},
                       {QStringLiteral("cohort"), m.cohortName},
                       {QStringLiteral("identity"), identityKeyName(m.identity)},
                       {QStringLiteral("mode"), syncModeName(m.mode)},
                       {QStringLiteral("property"), m.listProperty},
                       {QStringLiteral("owner"), m.owner},
                       {QStringLiteral("decision"), m.decision},
                       {QStringLiteral("schedule_minutes"), m.scheduleMinutes},
                       {QStringLiteral("paused"), m.paused},
                       {QStringLiteral("version"), m.version},
                       {QStringLiteral("cohort_definition"), m.cohortDefinition()}};
}

int mappingCommand(Workspace& ws, Args a)
{
    const QString sub = a.takeFirst();
    if (sub == QLatin1String("add")) {
        QString error;
        const auto segment = a.take(QStringLiteral("--segment"), &error);
        const auto cohort = a.take(QStringLiteral("--cohort"), &error);
        const auto identity = a.take(QStringLiteral("--identity"), &error);
        const auto mode = a.take(QStringLiteral("--mode"), &error);
        const auto property = a.take(QStringLiteral("--property"), &error);
        const auto owner = a.take(QStringLiteral("--owner"), &error);
        const auto decision = a.take(QStringLiteral("--decision"), &error);
        const auto schedule = a.take(QStringLiteral("--schedule"), &error);
        if (!error.isEmpty())
            return usageError(error);
        int code = 0;
        if (unknownLeft(a, &code))
            return code;
        if (!segment || !cohort || !identity)
            return usageError(QStringLiteral("mapping add needs --segment, --cohort and --identity"));
        Mapping m;
        bool ok = false;
        m.segmentId = segment->toLongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--segment must be a number, not %1").arg(*segment));
        m.cohortName = *cohort;
        const auto key = parseIdentityKey(*identity);
        if (!key)
            return usageError(QStringLiteral("--identity must be email, id or cio_id, not %1").arg(*identity));
        m.identity = *key;
        if (mode) {
            const auto md = parseSyncMode(*mode);
            if (!md)
                return usageError(QStringLiteral("--mode must be list or flag, not %1").arg(*mode));
            m.mode = *md;
        }
        if (property)
            m.listProperty = *property;
        m.owner = owner.value_or(QString());
        m.decision = decision.value_or(QString());
        if (schedule) {
            m.scheduleMinutes = schedule->toInt(&ok);
            if (!ok)
                return usageError(QStringLiteral("--schedule must be a number of minutes"));
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
            QJsonArray arr;
            for (const Mapping& m : *list)
                arr.append(mappingJson(m));
            out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
        } else {
            for (const Mapping& m : *list)
                out() << m.id << "\tsegment " << m.segmentId << "\t" << m.cohortName << "\t"
                      << identityKeyName(m.identity) << "\t" << syncModeName(m.mode)
                      << (m.paused ? "\tpaused" : "") << "\n";
        }
        return Ok;
    }
    return usageError(sub.isEmpty() ? QStringLiteral("mapping needs add or list")
                                    : QStringLiteral("unknown mapping command: %1").arg(sub));
}

QJsonObject runJson(const RunRecord& r)
{
    QJsonObject o{{QStringLiteral("mapping_id"), r.mappingId},
                  {QStringLiteral("run_id"), r.id},
                  {QStringLiteral("kind"), runKindName(r.kind)},
                  {QStringLiteral("status"), runStatusName(r.status)},
                  {QStringLiteral("entered"), r.entered},
                  {QStringLiteral("exited"), r.exited},
                  {QStringLiteral("unchanged"), r.unchanged},
                  {QStringLiteral("mismatched"), r.mismatched},
                  {QStringLiteral("failed"), r.failed},
                  {QStringLiteral("segment_count"), r.segmentCount},
                  {QStringLiteral("synced_count"), r.syncedCount},
                  {QStringLiteral("api_calls"), r.apiCalls},
                  {QStringLiteral("duration_ms"), r.durationMs()}};
    if (!r.message.isEmpty())
        o.insert(QStringLiteral("message"), r.message);
    if (!r.errorCategory.isEmpty())
        o.insert(QStringLiteral("error"), r.errorCategory);
    return o;
}

int exitCodeFor(const QList<RunRecord>& runs)
{
    int code = Ok;
    for (const RunRecord& r : runs) {
        int c = Ok;
        if (r.status == RunStatus::Failed || r.status == RunStatus::Partial
            || r.status == RunStatus::Cancelled) {
            SyncError e;
            e.category = SyncError::Category::Internal;
            for (int i = 0; i <= int(SyncError::Category::Internal); ++i)
                if (r.errorCategory == QLatin1String(SyncError::categoryName(SyncError::Category(i))))
                    e.category = SyncError::Category(i);
            c = r.status == RunStatus::Partial ? ChangesFailed : exitCodeFor(e);
            if (c == Ok)
                c = ChangesFailed;
        }
        // Codes rank by severity: unreachable > configuration > changes failed.
        code = std::max(code, c);
    }
    return code;
}

int syncCommand(const QString& location, Args a, bool dryRunCommand)
{
    const bool all = a.flag(QStringLiteral("--all"));
    const bool json = a.flag(QStringLiteral("--json"));
    const bool full = a.flag(QStringLiteral("--full"));
    const bool dry = a.flag(QStringLiteral("--dry-run")) || dryRunCommand;
    const QStringList idArgs = a.takeMany(QStringLiteral("--mapping"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    if (all == !idArgs.isEmpty())
        return usageError(QStringLiteral("give --all or --mapping ID..."));
    if (full && dry)
        return usageError(QStringLiteral("--full and --dry-run do not go together"));
    QList<qint64> ids;
    for (const QString& s : idArgs) {
        bool ok = false;
        const qint64 id = s.toLongLong(&ok);
        if (!ok || id <= 0)
            return usageError(QStringLiteral("not a mapping id: %1").arg(s));
        ids.append(id);
    }
    if (!all) {
        // Unknown ids are a usage error, before anything is sent.
        auto ws = Workspace::open(location);
        if (!ws)
            return reportError(ws.error());
        for (qint64 id : ids)
            if (auto m = MappingRepository(**ws).get(id); !m)
                return usageError(QStringLiteral("no mapping %1 in %2").arg(id).arg(location));
    }
    const RunKind kind = dry ? RunKind::DryRun : full ? RunKind::Full : RunKind::Incremental;

    SyncController controller(location, Credentials::fromEnvironment());
    int result = Ok;
    QList<RunRecord> runs;
    SyncError configError;
    QObject::connect(&controller, &SyncController::failed, &controller,
                     [&](const SyncError& e) { configError = e; });
    QObject::connect(&controller, &SyncController::opened, &controller, [&] {
        if (all)
            controller.syncAll(kind);
        else
            controller.syncMappings(ids, kind);
    });
    QObject::connect(&controller, &SyncController::syncFinished, &controller,
                     [&](const QList<RunRecord>& finished) {
                         runs = finished;
                         QCoreApplication::exit(0);
                     });
    QObject::connect(&controller, &SyncController::failed, &controller, [&](const SyncError& e) {
        if (e.category == SyncError::Category::Storage && !controller.isBusy())
            QCoreApplication::exit(0);
    });
    controller.start();
    QCoreApplication::exec();

    if (runs.isEmpty() && configError.isError())
        return reportError(configError);
    if (json) {
        QJsonArray arr;
        for (const RunRecord& r : runs)
            arr.append(runJson(r));
        out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
    } else {
        for (const RunRecord& r : runs) {
            out() << "mapping " << r.mappingId << ": " << runStatusName(r.status) << "  entered "
                  << r.entered << ", exited " << r.exited << ", unchanged " << r.unchanged
                  << ", mismatched " << r.mismatched << ", failed " << r.failed << "  ("
                  << QString::number(r.durationMs() / 1000.0, 'f', 1) << " s)";
            if (!r.message.isEmpty())
                out() << "  " << r.message;
            out() << "\n";
        }
        if (runs.isEmpty())
            out() << "nothing to sync\n";
    }
    out().flush();
    if (configError.isError() && runs.isEmpty())
        return exitCodeFor(configError);
    result = exitCodeFor(runs);
    return result;
}

int statusCommand(Workspace& ws, Args a)
{
    const bool json = a.flag(QStringLiteral("--json"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto list = MappingRepository(ws).list();
    if (!list)
        return reportError(list.error());
    RunRepository runs(ws);
    SnapshotStore snapshots(ws);
    QJsonArray arr;
    for (const Mapping& m : *list) {
        QJsonObject o = mappingJson(m);
        if (auto last = runs.last(m.id); last && *last)
            o.insert(QStringLiteral("last_run"), runJson(**last));
        if (auto n = snapshots.count(m.id); n)
            o.insert(QStringLiteral("synced_count"), *n);
        arr.append(o);
    }
    if (json) {
        out() << QJsonDocument(QJsonObject{{QStringLiteral("workspace"), ws.location()},
                                           {QStringLiteral("mappings"), arr}})
                     .toJson(QJsonDocument::Indented);
    } else {
        for (const QJsonValue& v : arr) {
            const QJsonObject o = v.toObject();
            const QJsonObject last = o.value(QStringLiteral("last_run")).toObject();
            out() << o.value(QStringLiteral("id")).toInteger() << "\t"
                  << o.value(QStringLiteral("cohort")).toString() << "\tsynced "
                  << o.value(QStringLiteral("synced_count")).toInteger() << "\tlast run "
                  << (last.isEmpty() ? QStringLiteral("never") : last.value(QStringLiteral("status")).toString())
                  << "\n";
        }
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
        if (a == QLatin1String("--version") || a == QLatin1String("--help") || a == QLatin1String("-h"))
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
    const QString location = a.take(QStringLiteral("--workspace"), &error).value_or(Workspace::defaultLocation());
    if (!error.isEmpty())
        return usageError(error);
    const QString command = a.takeFirst();
    if (command == QLatin1String("help")) {
        out() << kUsage;
        return Ok;
    }
    if (command == QLatin1String("sync"))
        return syncCommand(location, a, false);
    if (command == QLatin1String("dry-run"))
        return syncCommand(location, a, true);
    if (!kCommands.contains(command))
        return usageError(QStringLiteral("unknown command: %1").arg(command));

    auto ws = Workspace::open(location);
    if (!ws)
        return reportError(ws.error());
    if (command == QLatin1String("connect"))
        return connectCommand(**ws, a);
    if (command == QLatin1String("mapping"))
        return mappingCommand(**ws, a);
    if (command == QLatin1String("status"))
        return statusCommand(**ws, a);
    return usageError(QStringLiteral("unknown command: %1").arg(command));
}

} // namespace lockstep::cli
