// `lockstep doctor [--json]`: the whole chain from the workspace to both services, one
// row per check with what to do (sync_core/trust/doctor.h does the checking).
#include "clisupport.h"

#include "api/credentials.h"
#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "api/requestscheduler.h"
#include "engine/enginecontext.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/doctor.h"
#include "trust/querybudget.h"
#include "util/clock.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace lockstep::cli {

namespace {

int exitCodeFor(const DoctorReport& r)
{
    // As for every command: a service problem outranks a configuration one.
    if (r.serviceFailed())
        return Unreachable;
    if (r.configFailed())
        return UsageOrConfig;
    return Ok;
}

void print(const DoctorReport& r, const QString& location, bool json)
{
    if (json) {
        QJsonObject o = r.toJson();
        o.insert(QStringLiteral("workspace"), Workspace::displayLocation(location));
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        out().flush();
        return;
    }
    out() << "lockstep doctor: workspace " << Workspace::displayLocation(location) << "\n";
    for (const DoctorCheck& c : r.checks) {
        const char* mark = c.passed() ? "  PASS  " : c.failed() ? "  FAIL  " : "  skip  ";
        out() << mark << c.title << " [" << c.name << "]\n        " << c.detail << "\n";
        if (c.failed() && !c.fix.isEmpty())
            out() << "        fix: " << c.fix << "\n";
    }
    out() << (r.passed()
                  ? "all checks passed"
                  : QStringLiteral("%1 of %2 checks failed").arg(r.failures()).arg(r.checks.size()))
          << " in " << QString::number(double(r.durationMs) / 1000.0, 'f', 1)
          << " s; Mixpanel queries used: " << r.queriesUsed << "\n";
    out().flush();
}

} // namespace

int doctorCommand(const EngineContext& context, const QString& location, Args a)
{
    const bool json = a.flag(QStringLiteral("--json"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;

    auto ws = Workspace::open(location);
    if (!ws) {
        const DoctorReport r = Doctor::unopenedWorkspace(location, ws.error());
        print(r, location, json);
        return exitCodeFor(r);
    }
    auto settings = SettingsRepository(**ws).connection();
    if (!settings)
        return reportError(settings.error());

    // The engine's limits, drawn on by this command's own queue (and shared with the
    // workspace's other processes).
    context.shareLimitsThrough(location);
    std::unique_ptr<RequestScheduler> http(context.createScheduler(nullptr));
    const DoctorOptions options = context.doctorOptions();
    Doctor doctor(**ws, http.get(), *settings, Credentials::fromEnvironment(), context.clock(),
                  options);
    std::optional<DoctorReport> report;
    QObject::connect(&doctor, &Doctor::finished, &doctor, [&](const DoctorReport& r) {
        report = r;
        QCoreApplication::exit(0);
    });
    doctor.start();
    if (!report)
        QCoreApplication::exec();
    print(*report, location, json);
    return exitCodeFor(*report);
}

} // namespace lockstep::cli
