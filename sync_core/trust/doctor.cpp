#include "doctor.h"

#include "api/backoff.h"
#include "api/customerioclient.h"
#include "api/endpointpolicy.h"
#include "api/mixpanelclient.h"
#include "api/requestscheduler.h"
#include "store/mappingrepository.h"
#include "store/migrations.h"
#include "store/workspace.h"
#include "trust/querybudget.h"
#include "trust/tokenprobe.h"
#include "util/clock.h"
#include "util/redaction.h"

#include <QDateTime>
#include <QHostAddress>
#include <QLocale>
#include <QPointer>
#include <QUrl>

#include <algorithm>

namespace lockstep {

namespace {

using Check = DoctorCheck::Status;
using Kind = DoctorCheck::Kind;

// The limit key of the reachability requests: no credentials, no budget.
constexpr char kReachKey[] = "doctor";

// The vendor's host of `service` in `region`, from the connection's own region table;
// "" for a region the service does not have (Customer.io has no India region).
QString hostFor(Doctor::Service service, const QString& region)
{
    switch (service) {
    case Doctor::Service::CustomerIo:
        return QUrl(ConnectionSettings::customerIoUrlFor(region).value_or(QString())).host();
    case Doctor::Service::MixpanelIngestion:
    case Doctor::Service::MixpanelQuery:
        break;
    }
    const auto urls = ConnectionSettings::mixpanelUrlsFor(region);
    if (!urls)
        return {};
    return QUrl(service == Doctor::Service::MixpanelIngestion ? urls->ingestion : urls->query)
        .host();
}

QString serviceName(Doctor::Service s)
{
    switch (s) {
    case Doctor::Service::CustomerIo:
        return Doctor::tr("Customer.io");
    case Doctor::Service::MixpanelIngestion:
        return Doctor::tr("Mixpanel ingestion");
    case Doctor::Service::MixpanelQuery:
        break;
    }
    return Doctor::tr("Mixpanel query");
}

QString regionOf(Doctor::Service service, const QString& host)
{
    const QStringList regions = service == Doctor::Service::CustomerIo
                                    ? ConnectionSettings::customerIoRegions()
                                    : ConnectionSettings::mixpanelRegions();
    for (const QString& region : regions)
        if (host.compare(hostFor(service, region), Qt::CaseInsensitive) == 0)
            return region;
    return {};
}

bool isLoopback(const QString& host)
{
    const QHostAddress addr(host);
    return host == QLatin1String("localhost") || (!addr.isNull() && addr.isLoopback());
}

const char* hostRow(Doctor::Service s)
{
    switch (s) {
    case Doctor::Service::CustomerIo:
        return doctorcheck::kCustomerIoHost;
    case Doctor::Service::MixpanelIngestion:
        return doctorcheck::kMixpanelHost;
    case Doctor::Service::MixpanelQuery:
        break;
    }
    return doctorcheck::kMixpanelQueryHost;
}

QString segmentRow(qint64 mappingId)
{
    return QLatin1String(doctorcheck::kSegmentPrefix) + QString::number(mappingId);
}

} // namespace

Doctor::Doctor(Workspace& ws, RequestScheduler* http, ConnectionSettings settings,
               Credentials credentials, const Clock* clock, DoctorOptions options, QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_settings(std::move(settings)),
      m_credentials(std::move(credentials)), m_clock(clock), m_options(options)
{}

Doctor::~Doctor() = default;

QString Doctor::duration(qint64 ms)
{
    const qint64 s = (std::abs(ms) + 500) / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return s % 60 ? tr("%1 min %2 s").arg(s / 60).arg(s % 60) : tr("%1 min").arg(s / 60);
    return (s % 3600) / 60 ? tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
                           : tr("%1 h").arg(s / 3600);
}

DoctorCheck Doctor::judgeHost(Service service, const QString& url, const QString& region,
                              const HostAllowList& allowed)
{
    DoctorCheck c;
    c.name = QLatin1String(hostRow(service));
    c.kind = Kind::Config;
    const QUrl u(url, QUrl::StrictMode);
    if (Status st = checkEndpoint(u); !st) {
        c.status = Check::Fail;
        c.detail = st.error().message;
        c.fix = tr("Correct the %1 address in Settings or with `lockstep connect` (https://, or "
                   "http:// only for a sandbox on this machine).")
                    .arg(serviceName(service));
        return c;
    }
    const ServiceEndpoint endpoint = service == Service::CustomerIo ? ServiceEndpoint::CustomerIo
                                     : service == Service::MixpanelIngestion
                                         ? ServiceEndpoint::MixpanelIngestion
                                         : ServiceEndpoint::MixpanelQuery;
    if (Status st = checkServiceEndpoint(endpoint, u, allowed); !st) {
        c.status = Check::Fail;
        c.detail = st.error().message;
        c.fix = tr("Connect by region (`lockstep connect --region …`), or, if this host is your "
                   "own proxy or sandbox, name it in LOCKSTEP_ALLOWED_HOSTS where Lockstep runs "
                   "(the environment or the systemd unit).");
        return c;
    }
    const QString host = u.host();
    const QString vendorRegion = regionOf(service, host);
    const QString expected = hostFor(service, region);
    c.status = Check::Pass;
    if (!vendorRegion.isEmpty() && !region.isEmpty() && vendorRegion != region) {
        c.status = Check::Fail;
        c.detail = tr("%1 is %2's %3 host, but the workspace's %4 region is %5.")
                       .arg(host, serviceName(service), vendorRegion.toUpper(),
                            service == Service::CustomerIo ? tr("Customer.io") : tr("Mixpanel"),
                            region.toUpper());
        c.fix = tr("Connect again with the region your account lives in (`lockstep connect "
                   "--%1-region %2 …`), or give the addresses yourself.")
                    .arg(service == Service::CustomerIo ? QStringLiteral("customerio")
                                                        : QStringLiteral("mixpanel"),
                         vendorRegion);
    } else if (!vendorRegion.isEmpty()) {
        c.detail = tr("%1: %2's %3 host.").arg(host, serviceName(service), vendorRegion.toUpper());
    } else if (isLoopback(host)) {
        c.detail =
            tr("%1: a custom host on this machine (a sandbox?), not a %2 host.")
                .arg(u.port() > 0 ? host + QLatin1Char(':') + QString::number(u.port()) : host,
                     serviceName(service));
    } else if (!expected.isEmpty()) {
        c.detail = tr("%1: a custom host, not %2's %3 host %4.")
                       .arg(host, serviceName(service), region.toUpper(), expected);
    } else {
        c.detail = tr("%1: a custom host, not a known %2 host.").arg(host, serviceName(service));
    }
    return c;
}

DoctorCheck Doctor::judgeClock(const QList<ClockSample>& samples, qint64 maxSkewMs)
{
    DoctorCheck c;
    c.name = QLatin1String(doctorcheck::kClock);
    c.kind = Kind::Service;
    if (samples.isEmpty()) {
        c.status = Check::Skip;
        c.detail = tr("Not checked: no service was reached or none sent a Date header.");
        return c;
    }
    // The worst difference per service (ingestion and query are the same company).
    QList<ClockSample> worst;
    for (const ClockSample& s : samples) {
        auto it = std::find_if(worst.begin(), worst.end(),
                               [&](const ClockSample& w) { return w.service == s.service; });
        if (it == worst.end())
            worst.append(s);
        else if (std::abs(s.skewMs) > std::abs(it->skewMs))
            *it = s;
    }
    std::sort(worst.begin(), worst.end(),
              [](const ClockSample& a, const ClockSample& b) { return a.service < b.service; });
    QStringList parts;
    bool over = false;
    for (const ClockSample& s : worst) {
        const qint64 beyond = std::abs(s.skewMs) - s.uncertaintyMs;
        if (beyond <= 0)
            parts << tr("%1 agrees with this machine to within %2")
                         .arg(s.service, duration(s.uncertaintyMs));
        else
            parts << (s.skewMs > 0 ? tr("%1's clock is %2 ahead of this machine's")
                                   : tr("%1's clock is %2 behind this machine's"))
                         .arg(s.service, duration(s.skewMs));
        over = over || beyond > maxSkewMs;
    }
    c.status = over ? Check::Fail : Check::Pass;
    c.detail =
        tr("%1; more than %2 fails.").arg(parts.join(QStringLiteral("; ")), duration(maxSkewMs));
    if (over)
        c.fix = tr("Set this machine's clock right and keep it synchronised (NTP, e.g. "
                   "`timedatectl set-ntp true`): event times, the hourly query budget and sync "
                   "latency are all measured on it.");
    return c;
}

DoctorReport Doctor::unopenedWorkspace(const QString& location, const SyncError& error)
{
    DoctorReport r;
    DoctorCheck schema;
    schema.name = QLatin1String(doctorcheck::kSchema);
    schema.title = tr("Workspace schema");
    schema.kind = Kind::Config;
    schema.status = Check::Fail;
    const int newest = Workspace::newestSchemaVersion();
    auto stored = Workspace::storedSchemaVersion(location);
    if (stored && *stored > newest) {
        schema.detail = tr("The workspace has schema %1, written by a newer Lockstep; this build "
                           "knows schema %2 at most.")
                            .arg(*stored)
                            .arg(newest);
        schema.fix = tr("Install the Lockstep version that wrote it (or newer). Never edit the "
                        "schema by hand; restore a backup to go back.");
    } else {
        schema.detail = error.message;
        schema.fix = tr("Check the workspace path or database URL (--workspace or "
                        "LOCKSTEP_WORKSPACE) and that this user may read and write it.");
    }
    r.checks.append(schema);
    const QString why = tr("Not checked: the workspace cannot be opened.");
    for (const auto& [name, title] :
         {std::pair{doctorcheck::kConnection, tr("Connection settings")},
          std::pair{doctorcheck::kMappings, tr("Mappings")}}) {
        DoctorCheck c;
        c.name = QLatin1String(name);
        c.title = title;
        c.detail = why;
        c.kind = Kind::Config;
        r.checks.append(c);
    }
    return r;
}

DoctorCheck& Doctor::row(const char* name)
{
    for (DoctorCheck& c : m_report.checks)
        if (c.name == QLatin1String(name))
            return c;
    DoctorCheck c;
    c.name = QLatin1String(name);
    m_report.checks.append(c);
    return m_report.checks.last();
}

void Doctor::skip(const char* name, const QString& why)
{
    DoctorCheck& c = row(name);
    c.status = Check::Skip;
    c.detail = why;
    c.fix.clear();
}

void Doctor::fail(const char* name, Kind kind, const QString& detail, const QString& fix)
{
    DoctorCheck& c = row(name);
    c.status = Check::Fail;
    c.kind = kind;
    c.detail = detail;
    c.fix = fix;
}

void Doctor::start()
{
    m_startedMs = m_clock->nowMs();
    using namespace doctorcheck;
    const std::pair<const char*, QString> rows[] = {
        {kSchema, tr("Workspace schema")},
        {kConnection, tr("Connection settings")},
        {kCustomerIoHost, tr("Customer.io host")},
        {kMixpanelHost, tr("Mixpanel ingestion host")},
        {kMixpanelQueryHost, tr("Mixpanel query host")},
        {kCustomerIoKey, tr("Customer.io App API key")},
        {kServiceAccount, tr("Mixpanel service account")},
        {kProjectToken, tr("Mixpanel project token")},
        {kQueryBudget, tr("Mixpanel query budget")},
        {kClock, tr("Clock")},
    };
    for (const auto& [name, title] : rows)
        row(name).title = title;

    checkSchema();
    if (auto list = MappingRepository(m_ws).list(); list) {
        m_mappings = *list;
    } else {
        fail(kMappings, Kind::Config, list.error().message,
             tr("The workspace could not be read; run `lockstep doctor` again or restore a "
                "backup."));
        row(kMappings).title = tr("Mappings");
    }
    for (const Mapping& m : std::as_const(m_mappings)) {
        DoctorCheck& c = row(segmentRow(m.id).toLatin1().constData());
        c.title = m.paused ? tr("Segment of mapping %1 (paused)").arg(m.id)
                           : tr("Segment of mapping %1").arg(m.id);
        c.detail = tr("Not checked yet.");
    }
    if (m_mappings.isEmpty() && !m_report.find(QLatin1String(kMappings))) {
        row(kMappings).title = tr("Mappings");
        skip(kMappings, tr("No mappings yet: no segment to check."));
    }

    m_budget = std::make_unique<QueryBudget>(m_ws, m_http, m_clock, m_options.queriesPerHour);
    m_budgetLeft = m_budget->left();

    const QString notConnected = tr("Not checked: the workspace is not connected.");
    if (!m_settings.isComplete()) {
        fail(kConnection, Kind::Config, tr("No connection is set for this workspace."),
             tr("Run `lockstep connect --customerio-region us|eu --mixpanel-region us|eu|in "
                "--project-id N` (or give the addresses), or use the guided set-up in the "
                "console."));
        for (const char* name : {kCustomerIoHost, kMixpanelHost, kMixpanelQueryHost, kCustomerIoKey,
                                 kServiceAccount, kProjectToken})
            skip(name, notConnected);
        for (const Mapping& m : std::as_const(m_mappings))
            skip(segmentRow(m.id).toLatin1().constData(), notConnected);
        finish();
        return;
    }
    if (m_settings.projectId <= 0)
        fail(kConnection, Kind::Config, tr("No Mixpanel project id is set."),
             tr("Connect again with `--project-id N` (Mixpanel › Project settings › Overview)."));
    else {
        DoctorCheck& c = row(kConnection);
        c.status = Check::Pass;
        const auto where = [](const QString& region) {
            return region.isEmpty() ? tr("addresses given by hand")
                                    : tr("region %1").arg(region.toUpper());
        };
        c.detail = tr("Customer.io: %1; Mixpanel: %2, project %3.")
                       .arg(where(m_settings.customerIoRegion), where(m_settings.mixpanelRegion),
                            QString::number(m_settings.projectId));
    }

    const QString urls[] = {m_settings.customerIoUrl, m_settings.mixpanelUrl,
                            m_settings.mixpanelQueryUrl};
    const Service services[] = {Service::CustomerIo, Service::MixpanelIngestion,
                                Service::MixpanelQuery};
    bool hostOk[3] = {};
    for (int i = 0; i < 3; ++i) {
        DoctorCheck judged =
            judgeHost(services[i], urls[i],
                      services[i] == Service::CustomerIo ? m_settings.customerIoRegion
                                                         : m_settings.mixpanelRegion,
                      m_options.allowedHosts);
        DoctorCheck& c = row(hostRow(services[i]));
        c.status = judged.status;
        c.kind = judged.kind;
        c.detail = judged.detail;
        c.fix = judged.fix;
        hostOk[i] = judged.passed();
    }
    checkSecrets();

    // Two chains run side by side: Customer.io (host, key, segments) and Mixpanel (both
    // hosts, then the service account, then the token). Counted before either starts.
    m_chains = 2;
    if (hostOk[0]) {
        reach(Service::CustomerIo, kCustomerIoHost, [this](bool reached) {
            if (reached && !m_credentials.customerIoAppApiKey.isEmpty()) {
                checkCustomerIoKey();
                return;
            }
            const QString why = reached ? tr("Not checked: no App API key.")
                                        : tr("Not checked: Customer.io cannot be reached.");
            if (!m_credentials.customerIoAppApiKey.isEmpty())
                skip(kCustomerIoKey, why);
            for (const Mapping& m : std::as_const(m_mappings))
                skip(segmentRow(m.id).toLatin1().constData(), why);
            chainDone();
        });
    } else {
        const QString why = tr("Not checked: the Customer.io address is not usable.");
        if (!m_credentials.customerIoAppApiKey.isEmpty())
            skip(kCustomerIoKey, why);
        for (const Mapping& m : std::as_const(m_mappings))
            skip(segmentRow(m.id).toLatin1().constData(), why);
        chainDone();
    }
    m_mixpanelReaches = int(hostOk[1]) + int(hostOk[2]);
    if (hostOk[1])
        reach(Service::MixpanelIngestion, kMixpanelHost, [this](bool reached) {
            m_ingestionReachable = reached;
            if (--m_mixpanelReaches == 0)
                mixpanelReached();
        });
    if (hostOk[2])
        reach(Service::MixpanelQuery, kMixpanelQueryHost, [this](bool reached) {
            m_queryReachable = reached;
            if (--m_mixpanelReaches == 0)
                mixpanelReached();
        });
    if (m_mixpanelReaches == 0)
        mixpanelReached();
}

void Doctor::checkSchema()
{
    DoctorCheck& c = row(doctorcheck::kSchema);
    c.kind = Kind::Config;
    const int newest = Workspace::newestSchemaVersion();
    const int version = m_ws.schemaVersion();
    auto applied = m_ws.appliedMigrations();
    if (!applied) {
        fail(doctorcheck::kSchema, Kind::Config, applied.error().message,
             tr("The workspace could not be read; check it is reachable and not damaged."));
        return;
    }
    // The migrations this build has, not every number up to the newest: a number may be
    // left free (branches number theirs apart until they are merged).
    QList<int> missing;
    for (const Migration& m : workspaceMigrations())
        if (!applied->contains(m.version))
            missing.append(m.version);
    if (version > newest) {
        fail(doctorcheck::kSchema, Kind::Config,
             tr("Schema %1, newer than this build knows (%2).").arg(version).arg(newest),
             tr("Install the Lockstep version that wrote it (or newer)."));
    } else if (version < newest || !missing.isEmpty()) {
        QStringList list;
        for (int v : missing)
            list << QString::number(v);
        fail(doctorcheck::kSchema, Kind::Config,
             tr("Schema %1 of %2; migrations not applied: %3.")
                 .arg(QString::number(version), QString::number(newest),
                      list.join(QStringLiteral(", "))),
             tr("Open the workspace with this build once (it migrates forward); if that fails, "
                "restore a backup."));
    } else {
        c.status = Check::Pass;
        c.detail =
            tr("Schema %1, the newest this build knows; migrations 1–%1 applied.").arg(version);
    }
}

void Doctor::checkSecrets()
{
    using namespace doctorcheck;
    if (m_credentials.customerIoAppApiKey.isEmpty()) {
        fail(kCustomerIoKey, Kind::Config, tr("No Customer.io App API key is set."),
             tr("Set LOCKSTEP_CUSTOMERIO_APP_API_KEY (command line) or enter it in Settings: "
                "Customer.io › Account Settings › API Credentials › App API Keys."));
    }
    if (m_credentials.mixpanelServiceAccount.isEmpty()) {
        fail(kServiceAccount, Kind::Config,
             tr("No Mixpanel service account is set: cohort counts, trust checks and the token "
                "proof need one."),
             tr("Set LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT=user:secret or enter it in Settings "
                "(Mixpanel › Organization settings › Service accounts)."));
    } else if (!m_credentials.mixpanelServiceAccount.contains(QLatin1Char(':'))) {
        fail(kServiceAccount, Kind::Config,
             tr("The Mixpanel service account is not in the form user:secret."),
             tr("Give the service account's user name and secret joined by a colon."));
    }
    if (m_credentials.mixpanelProjectToken.isEmpty()) {
        fail(kProjectToken, Kind::Config, tr("No Mixpanel project token is set."),
             tr("Set LOCKSTEP_MIXPANEL_PROJECT_TOKEN or enter it in Settings (Mixpanel › Project "
                "settings › Access keys)."));
    }
}

void Doctor::reach(Service service, const char* rowName, std::function<void(bool)> then)
{
    HttpRequest r;
    r.url = QUrl(service == Service::CustomerIo          ? m_settings.customerIoUrl
                 : service == Service::MixpanelIngestion ? m_settings.mixpanelUrl
                                                         : m_settings.mixpanelQueryUrl);
    r.limitKey = QString::fromLatin1(kReachKey);
    r.timeoutMs = m_options.timeoutMs;
    // One try: the question is whether it answers now, and a wait would hide the answer.
    r.retry.maxAttempts = 1;
    r.retry.maxRateLimited = 0;
    const qint64 sentMs = m_clock->nowMs();
    QPointer<Doctor> self(this);
    const QString url = r.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    m_http->send(std::move(r), [self, service, rowName, sentMs, url,
                                then = std::move(then)](const Result<HttpResponse>& reply) {
        if (!self)
            return;
        const qint64 answeredMs = self->m_clock->nowMs();
        DoctorCheck& c = self->row(rowName);
        if (!reply) {
            c.status = Check::Fail;
            c.kind = Kind::Service;
            c.detail += QLatin1Char(' ') + tr("Cannot reach it: %1.").arg(reply.error().message);
            c.fix = tr("Check the address, DNS, proxy and firewall from this machine (e.g. "
                       "`curl -I %1`).")
                        .arg(url);
            then(false);
            return;
        }
        c.detail += QLatin1Char(' ') +
                    tr("Reachable (HTTP %1 in %2 ms).").arg(reply->status).arg(answeredMs - sentMs);
        self->recordClock(service, *reply, sentMs, answeredMs);
        then(true);
    });
}

void Doctor::recordClock(Service service, const HttpResponse& reply, qint64 sentMs,
                         qint64 answeredMs)
{
    const auto date = parseHttpDateMs(reply.header("Date"));
    if (!date)
        return;
    // The header is truncated to the second: their time is date + [0, 1000) ms, taken at
    // some moment between our send and the answer.
    ClockSample s;
    s.service = service == Service::CustomerIo ? tr("Customer.io") : tr("Mixpanel");
    s.skewMs = (*date + 500) - (sentMs + answeredMs) / 2;
    s.uncertaintyMs = (answeredMs - sentMs) / 2 + 500;
    m_clockSamples.append(s);
}

void Doctor::checkCustomerIoKey()
{
    m_cio = std::make_unique<CustomerIoClient>(m_http, QUrl(m_settings.customerIoUrl),
                                               m_credentials.customerIoAppApiKey);
    QPointer<Doctor> self(this);
    m_cio->segments([self](Result<QList<SegmentInfo>> segments) {
        if (!self)
            return;
        using namespace doctorcheck;
        if (!segments) {
            const SyncError& e = segments.error();
            if (e.category == SyncError::Category::Auth)
                self->fail(kCustomerIoKey, Kind::Service,
                           tr("Customer.io refused the App API key (HTTP %1).").arg(e.httpStatus),
                           tr("Use an App API key (not a Track API key) of the right workspace "
                              "and region: Customer.io › Account Settings › API Credentials › "
                              "App API Keys."));
            else
                self->fail(kCustomerIoKey, Kind::Service,
                           tr("Customer.io did not list the segments: %1").arg(e.message),
                           tr("Try again later; if it persists, check Customer.io's status page."));
            for (const Mapping& m : std::as_const(self->m_mappings))
                self->skip(segmentRow(m.id).toLatin1().constData(),
                           tr("Not checked: Customer.io did not list the segments."));
            self->chainDone();
            return;
        }
        self->m_report.segments = *segments;
        DoctorCheck& key = self->row(kCustomerIoKey);
        key.status = Check::Pass;
        key.detail = tr("Customer.io accepted it and listed %1 segments.").arg(segments->size());
        for (const Mapping& m : std::as_const(self->m_mappings)) {
            const QByteArray name = segmentRow(m.id).toLatin1();
            const auto it =
                std::find_if(segments->begin(), segments->end(),
                             [&m](const SegmentInfo& s) { return s.id == m.segmentId; });
            if (it == segments->end()) {
                // As for a sync: the service answered, the mapping is what is wrong.
                self->fail(
                    name.constData(), Kind::Config,
                    tr("Customer.io has no segment %1 (mapping %2, cohort “%3”).")
                        .arg(QString::number(m.segmentId), QString::number(m.id), m.cohortName),
                    tr("Point mapping %1 at an existing segment, or delete it.").arg(m.id));
                continue;
            }
            DoctorCheck& c = self->row(name.constData());
            if (it->isReady()) {
                c.status = Check::Pass;
                c.detail = tr("Segment %1 “%2” is ready.").arg(QString::number(it->id), it->name);
            } else {
                c.status = Check::Fail;
                c.kind = Kind::Service;
                c.detail = it->progress ? tr("Segment %1 “%2” is still building (%3 %).")
                                              .arg(QString::number(it->id), it->name,
                                                   QString::number(*it->progress))
                                        : tr("Segment %1 “%2” is still building.")
                                              .arg(QString::number(it->id), it->name);
                c.fix = tr("Wait until Customer.io has built it: syncs skip a building segment.");
            }
            if (!self->m_toCount.contains(it->id))
                self->m_toCount.append(it->id);
        }
        self->countSegments(0);
    });
}

void Doctor::countSegments(int next)
{
    // One at a time, inside Customer.io's 10 requests/s.
    if (next >= m_toCount.size()) {
        chainDone();
        return;
    }
    const qint64 segmentId = m_toCount[next];
    QPointer<Doctor> self(this);
    m_cio->customerCount(segmentId, [self, segmentId, next](Result<qint64> count) {
        if (!self)
            return;
        for (const Mapping& m : std::as_const(self->m_mappings)) {
            if (m.segmentId != segmentId)
                continue;
            DoctorCheck& c = self->row(segmentRow(m.id).toLatin1().constData());
            if (count) {
                c.detail +=
                    QLatin1Char(' ') + tr("Size: %1 people.").arg(QLocale().toString(*count));
            } else {
                c.status = Check::Fail;
                c.kind = Kind::Service;
                c.detail += QLatin1Char(' ') +
                            tr("Its size could not be read: %1").arg(count.error().message);
                if (c.fix.isEmpty())
                    c.fix = tr("Try again later.");
            }
        }
        self->countSegments(next + 1);
    });
}

void Doctor::mixpanelReached()
{
    using namespace doctorcheck;
    if (m_credentials.mixpanelServiceAccount.isEmpty() || row(kServiceAccount).failed()) {
        checkProjectToken();
        return;
    }
    if (!m_queryReachable) {
        skip(kServiceAccount, tr("Not checked: the Mixpanel query host cannot be used."));
        checkProjectToken();
        return;
    }
    if (m_settings.projectId <= 0) {
        skip(kServiceAccount, tr("Not checked: no Mixpanel project id."));
        checkProjectToken();
        return;
    }
    checkServiceAccount();
}

MixpanelEndpoints Doctor::mixpanelEndpoints() const
{
    MixpanelEndpoints ep;
    ep.ingestion = QUrl(m_settings.mixpanelUrl);
    ep.query = QUrl(m_settings.mixpanelQueryUrl);
    ep.projectId = m_settings.projectId;
    ep.serviceAccount = m_credentials.mixpanelServiceAccount;
    ep.projectToken = m_credentials.mixpanelProjectToken;
    return ep;
}

void Doctor::checkServiceAccount()
{
    using namespace doctorcheck;
    if (m_budgetLeft == 0) {
        skip(kServiceAccount,
             tr("Not checked: the hour's query budget is used up (it needs one query)."));
        checkProjectToken();
        return;
    }
    if (auto st = m_budget->take(1, QStringLiteral("doctor: service account")); !st) {
        skip(kServiceAccount, tr("Not checked: %1").arg(st.error().message));
        checkProjectToken();
        return;
    }
    ++m_report.queriesUsed;
    m_mixpanel = std::make_unique<MixpanelClient>(m_http, mixpanelEndpoints());
    QPointer<Doctor> self(this);
    m_mixpanel->cohorts([self](Result<QList<CohortInfo>> cohorts) {
        if (!self)
            return;
        const qint64 project = self->m_settings.projectId;
        if (cohorts) {
            self->m_serviceAccountOk = true;
            DoctorCheck& c = self->row(kServiceAccount);
            c.status = Check::Pass;
            c.detail = tr("Mixpanel accepted it for project %1 and listed %2 cohorts (one query).")
                           .arg(project)
                           .arg(cohorts->size());
        } else {
            const SyncError& e = cohorts.error();
            using C = SyncError::Category;
            if (e.category == C::Auth)
                self->fail(
                    kServiceAccount, Kind::Service,
                    tr("Mixpanel refused the service account for project %1 (HTTP %2).")
                        .arg(project)
                        .arg(e.httpStatus),
                    tr("Use a service account that is a member of project %1 (Mixpanel › "
                       "Organization settings › Service accounts), and check the project id.")
                        .arg(project));
            else if (e.category == C::RateLimited) {
                self->skip(kServiceAccount,
                           tr("Not checked: Mixpanel refused the query (HTTP 429)."));
                self->fail(
                    kQueryBudget, Kind::Service,
                    tr("Mixpanel says the project's hourly query budget is spent (HTTP 429): "
                       "other tools of the project share it."),
                    tr("Wait for the hour to pass; find which tools query the project."));
            } else
                self->fail(kServiceAccount, Kind::Service,
                           tr("Mixpanel did not answer the query for project %1: %2")
                               .arg(QString::number(project), e.message),
                           tr("Check the project id and the query address; try again later."));
        }
        self->checkProjectToken();
    });
}

void Doctor::checkProjectToken()
{
    using namespace doctorcheck;
    if (m_credentials.mixpanelProjectToken.isEmpty()) {
        chainDone();
        return;
    }
    // Mixpanel answers 1 to a token of any project and drops the updates later: only a
    // read-back proves it, which needs both hosts and a service account that works.
    if (!m_ingestionReachable || !m_queryReachable || !m_serviceAccountOk) {
        skip(kProjectToken, tr("Not proven: the probe needs both Mixpanel hosts and a working "
                               "service account (see above)."));
        chainDone();
        return;
    }
    m_probe = std::make_unique<TokenProbe>(m_http, mixpanelEndpoints(), m_budget.get(), m_clock,
                                           m_options.tokenProbe);
    QPointer<Doctor> self(this);
    m_probe->start([self](TokenProbeResult result) {
        if (!self)
            return;
        self->m_report.queriesUsed += result.queriesUsed;
        using O = TokenProbeResult::Outcome;
        const qint64 project = self->m_settings.projectId;
        switch (result.outcome) {
        case O::Proven: {
            DoctorCheck& c = self->row(kProjectToken);
            c.status = DoctorCheck::Status::Pass;
            c.detail = tr("Proven by a read-back: %1.").arg(result.message);
            break;
        }
        case O::WrongProject:
            self->fail(kProjectToken, DoctorCheck::Kind::Service, result.message,
                       tr("Copy the token of project %1 from Mixpanel's project settings; "
                          "Mixpanel accepts a token of another project and drops its updates.")
                           .arg(project));
            break;
        case O::Failed:
            self->fail(kProjectToken, DoctorCheck::Kind::Service, result.message,
                       tr("Check the Mixpanel hosts and the service account, then run the check "
                          "again."));
            break;
        case O::CannotProve:
            self->skip(kProjectToken, tr("Not proven: %1").arg(result.message));
            break;
        }
        self->chainDone();
    });
}

void Doctor::chainDone()
{
    if (--m_chains <= 0)
        finish();
}

void Doctor::finish()
{
    if (m_done)
        return;
    m_done = true;
    using namespace doctorcheck;
    const DoctorCheck clock = judgeClock(m_clockSamples, m_options.maxClockSkewMs);
    DoctorCheck& c = row(kClock);
    c.status = clock.status;
    c.kind = clock.kind;
    c.detail = clock.detail;
    c.fix = clock.fix;

    DoctorCheck& budget = row(kQueryBudget);
    if (!budget.failed()) {
        const int perHour = m_budget->perHour();
        if (m_budgetLeft == 0) {
            const qint64 at = m_budget->nextFreeAtMs();
            fail(kQueryBudget, Kind::Service,
                 tr("All %1 queries of this hour are used (the budget is shared by every tool of "
                    "the project and recorded in the workspace); the next one frees up at %2.")
                     .arg(QString::number(perHour),
                          at > 0 ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(at).time(),
                                                      QLocale::ShortFormat)
                                 : tr("the end of the hour")),
                 tr("Wait until then: read-backs, spot checks, rehearsals and this check need "
                    "queries."));
        } else {
            budget.status = Check::Pass;
            budget.detail = tr("%1 of %2 queries left this hour (this check used %3).")
                                .arg(m_budget->left())
                                .arg(perHour)
                                .arg(m_report.queriesUsed);
        }
    }
    m_report.durationMs = m_clock->nowMs() - m_startedMs;
    // Belt and braces: a service may echo what it was sent.
    const QStringList secrets = m_credentials.secrets();
    for (DoctorCheck& check : m_report.checks) {
        for (const QString& s : secrets) {
            check.detail.replace(s, QStringLiteral("[redacted]"));
            check.fix.replace(s, QStringLiteral("[redacted]"));
        }
        check.detail = redactSecrets(check.detail.trimmed());
    }
    Q_EMIT finished(m_report);
}

} // namespace lockstep
