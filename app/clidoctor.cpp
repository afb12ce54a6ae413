// `lockstep doctor [--json]`: the whole chain from the workspace to both services, one
// row per check with what to do (sync_core/trust/doctor.h does the checking).
#include "clisupport.h"

#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "api/requestscheduler.h"
#include "engine/credentials.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/doctor.h"
#include "trust/querybudget.h"
#include "util/clock.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>

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
        o.insert(QStringLiteral("workspace"), location);
        out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
        out().flush();
        return;
    }
    out() << "lockstep doctor: workspace " << location << "\n";
    for (const DoctorCheck& c : r.checks) {
        const char* mark = c.passed() ? "  PASS  " : c.failed() ? "  FAIL  " : "  skip  ";
        out() << mark << c.title << " [" << c.name << "]\n        " << c.detail << "\n";
        if (c.failed() && !c.fix.isEmpty())
            out() << "        fix: " << c.fix << "\n";
    }
    out() << (r.passed() ? "all checks passed" : QStringLiteral("%1 of %2 checks failed")
                                                      .arg(r.failures())
                                                      .arg(r.checks.size()))
          << " in " << QString::number(double(r.durationMs) / 1000.0, 'f', 1)
          << " s; Mixpanel queries used: " << r.queriesUsed << "\n";
    out().flush();
}

} // namespace

int doctorCommand(const QString& location, Args a)
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

    // The engine's politeness: Customer.io 10/s, Mixpanel queries 5 at once and the
    // hourly budget.
    const int perHour = QueryBudget::perHourFromEnvironment();
    QNetworkAccessManager nam;
    RequestScheduler http(&nam, Clock::system());
    http.setLimit(QString::fromLatin1(CustomerIoClient::kLimitKey), HostLimit{10, 1, 0, 0});
    http.setLimit(QString::fromLatin1(MixpanelClient::kIngestionKey), HostLimit{0, 1, 4, 0});
    http.setLimit(QString::fromLatin1(MixpanelClient::kQueryKey), HostLimit{0, 1, 5, perHour});
    if (const int t = qEnvironmentVariableIntValue("LOCKSTEP_HTTP_TIMEOUT_MS"); t > 0)
        http.setTimeoutMs(t);

    DoctorOptions options;
    options.queriesPerHour = perHour;
    Doctor doctor(**ws, &http, *settings, Credentials::fromEnvironment(), Clock::system(), options);
    QEventLoop loop;
    std::optional<DoctorReport> report;
    QObject::connect(&doctor, &Doctor::finished, &loop, [&](const DoctorReport& r) {
        report = r;
        loop.quit();
    });
    doctor.start();
    if (!report)
        loop.exec();
    print(*report, location, json);
    return exitCodeFor(*report);
}

} // namespace lockstep::cli
