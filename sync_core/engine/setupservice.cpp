#include "setupservice.h"

#include "enginecontext.h"

#include "api/customerioclient.h"
#include "identity/identityresolver.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/doctor.h"

#include <array>
#include <functional>

namespace lockstep {

void SetupService::loadSettings(RequestId id)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    auto s = readWorkspaceSettings(*ws);
    if (!s) {
        Q_EMIT failed(id, s.error());
        return;
    }
    Q_EMIT settingsLoaded(id, *s);
}

void SetupService::saveSettings(RequestId id, const WorkspaceSettings& s,
                                const WorkspaceSettings& base)
{
    Workspace* ws = workspaceFor(id);
    if (!ws)
        return;
    if (auto st = writeWorkspaceSettingsChanges(*ws, base, s); !st) {
        Q_EMIT failed(id, st.error());
        return;
    }
    loadSettings(id);
}

void SetupService::testConnection(RequestId id, const ConnectionSettings& settings,
                                  const Credentials& credentials)
{
    auto result = std::make_shared<ConnectionTest>();
    if (!m_host.workspace() || !m_host.http()) {
        result->message = tr("The workspace is not open.");
        Q_EMIT connectionTested(id, *result);
        return;
    }
    const DoctorOptions options = m_host.context().doctorOptions();
    auto* doctor = new Doctor(*m_host.workspace(), m_host.http(), settings, credentials,
                              m_host.clock(), options, this);
    connect(doctor, &Doctor::finished, this,
            [this, id, doctor, result, url = settings.customerIoUrl,
             key = credentials.customerIoAppApiKey](const DoctorReport& report) {
                doctor->deleteLater();
                result->report = report;
                result->ok = report.passed();
                for (const SegmentInfo& s : report.segments)
                    result->segments.append({s, -1});
                if (result->ok) {
                    result->message =
                        tr("All %1 checks passed. Customer.io answered with %2 segments.")
                            .arg(report.checks.size())
                            .arg(report.segments.size());
                } else {
                    QStringList failed;
                    for (const DoctorCheck& c : report.checks)
                        if (c.failed())
                            failed << c.title + QStringLiteral(": ") + c.detail;
                    result->message =
                        tr("Failed checks: %1. %2")
                            .arg(QString::number(failed.size()), failed.join(QLatin1Char(' ')));
                }
                if (report.segments.isEmpty()) {
                    Q_EMIT connectionTested(id, *result);
                    return;
                }
                // The wizard offers the segments with their sizes.
                countSegments(id, result, 0,
                              std::make_shared<CustomerIoClient>(m_host.http(), QUrl(url), key));
            });
    doctor->start();
}

void SetupService::countSegments(RequestId id, std::shared_ptr<ConnectionTest> result, int next,
                                 std::shared_ptr<CustomerIoClient> client)
{
    // One count at a time keeps the wizard inside Customer.io's 10 requests/s.
    if (next >= result->segments.size()) {
        Q_EMIT connectionTested(id, *result);
        return;
    }
    client->customerCount(result->segments[next].info.id,
                          [this, id, result, next, client](Result<qint64> count) {
                              if (count)
                                  result->segments[next].count = *count;
                              countSegments(id, result, next + 1, client);
                          });
}

void SetupService::previewIdentity(RequestId id, qint64 segmentId)
{
    IdentityPreview preview;
    preview.segmentId = segmentId;
    Workspace* ws = m_host.workspace();
    auto settings =
        ws ? SettingsRepository(*ws).connection() : Result<ConnectionSettings>(notOpen());
    if (!settings || !settings->isComplete() || !m_host.http()) {
        preview.error = QStringLiteral("Connect the workspace first.");
        Q_EMIT identityPreviewed(id, preview);
        return;
    }
    struct State
    {
        std::array<std::unique_ptr<IdentityResolver>, 3> resolvers;
        std::unique_ptr<CustomerIoClient> client;
        IdentityPreview preview;
        int pages = 0;
        std::function<void(const QString&)> fetch;
    };
    auto state = std::make_shared<State>();
    state->preview = preview;
    for (int k = 0; k < 3; ++k)
        state->resolvers[size_t(k)] = std::make_unique<IdentityResolver>(IdentityKey(k), 0);
    state->client = std::make_unique<CustomerIoClient>(m_host.http(), QUrl(settings->customerIoUrl),
                                                       m_host.credentials().customerIoAppApiKey);
    // `fetch` holds the state weakly (no cycle); each request in flight holds it strongly,
    // so the state lives exactly as long as the paging does.
    std::weak_ptr<State> weak = state;
    state->fetch = [this, id, weak, segmentId](const QString& start) {
        auto s = weak.lock();
        if (!s)
            return;
        s->client->membershipPage(segmentId, start, CustomerIoClient::kMaxPageSize,
                                  [this, id, s](Result<MembershipPage> p) {
                                      if (!p) {
                                          s->preview.error = p.error().message;
                                          Q_EMIT identityPreviewed(id, s->preview);
                                          return;
                                      }
                                      for (const MemberIdentifiers& m : p->members)
                                          for (auto& r : s->resolvers)
                                              r->add(m);
                                      // A preview of a huge segment stops after 20 pages (600,000
                                      // members).
                                      if (!p->next.isEmpty() && ++s->pages < 20) {
                                          s->fetch(p->next);
                                          return;
                                      }
                                      for (auto& r : s->resolvers) {
                                          (void)r->takeMembers();
                                          s->preview.total = r->total();
                                          s->preview.unmatched.append(r->unmatched());
                                          s->preview.matchRate.append(r->matchRate());
                                      }
                                      Q_EMIT identityPreviewed(id, s->preview);
                                  });
    };
    state->fetch(QString());
}

SetupRequests::SetupRequests(SetupService* service, RequestRouter* router, QObject* parent)
    : QObject(parent), m_service(service), m_router(router)
{
    connect(service, &QueryService::failed, router, &RequestRouter::fail);
    answerFrom(router, service, &SetupService::settingsLoaded, this,
               [this](const WorkspaceSettings& s) { Q_EMIT settingsLoaded(s); });
    answerFrom(router, service, &SetupService::connectionTested);
    answerFrom(router, service, &SetupService::identityPreviewed);
}

Pending<WorkspaceSettings> SetupRequests::loadSettings()
{
    return ask<WorkspaceSettings>(m_router, m_service,
                                  [](SetupService* s, RequestId id) { s->loadSettings(id); });
}

Pending<WorkspaceSettings> SetupRequests::saveSettings(const WorkspaceSettings& settings,
                                                       const WorkspaceSettings& base)
{
    return ask<WorkspaceSettings>(
        m_router, m_service,
        [settings, base](SetupService* s, RequestId id) { s->saveSettings(id, settings, base); });
}

Pending<ConnectionTest> SetupRequests::testConnection(const ConnectionSettings& settings,
                                                      const Credentials& credentials)
{
    return ask<ConnectionTest>(m_router, m_service,
                               [settings, credentials](SetupService* s, RequestId id) {
                                   s->testConnection(id, settings, credentials);
                               });
}

Pending<IdentityPreview> SetupRequests::previewIdentity(qint64 segmentId)
{
    return ask<IdentityPreview>(m_router, m_service, [segmentId](SetupService* s, RequestId id) {
        s->previewIdentity(id, segmentId);
    });
}

} // namespace lockstep
