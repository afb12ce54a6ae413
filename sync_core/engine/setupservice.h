// The workspace's settings and the set-up wizard's checks across the seam: SetupService
// answers in the engine thread, SetupRequests asks from the caller's thread (pending.h).
#pragma once

#include "pending.h"
#include "queryworker.h"

#include <memory>

namespace lockstep {

class CustomerIoClient;

class SetupService : public QueryService
{
    Q_OBJECT
public:
    using QueryService::QueryService;

    void loadSettings(RequestId id);
    // Writes what differs from `base` (the settings the editor started from), then answers
    // with the settings as stored.
    void saveSettings(RequestId id, const WorkspaceSettings& settings,
                      const WorkspaceSettings& base);
    // The wizard and Settings › Check connection: runs the doctor's checks (Doctor) with
    // these settings and secrets, then lists Customer.io's segments with their sizes.
    // Never fails: what went wrong is in the answer.
    void testConnection(RequestId id, const ConnectionSettings& settings,
                        const Credentials& credentials);
    // Never fails: IdentityPreview::error says what went wrong.
    void previewIdentity(RequestId id, qint64 segmentId);

Q_SIGNALS:
    void settingsLoaded(lockstep::RequestId id, const lockstep::WorkspaceSettings& settings);
    void connectionTested(lockstep::RequestId id, const lockstep::ConnectionTest& result);
    void identityPreviewed(lockstep::RequestId id, const lockstep::IdentityPreview& preview);

private:
    void countSegments(RequestId id, std::shared_ptr<ConnectionTest> result, int next,
                       std::shared_ptr<CustomerIoClient> client);
};

class SetupRequests : public QObject
{
    Q_OBJECT
public:
    SetupRequests(SetupService* service, RequestRouter* router, QObject* parent = nullptr);

    Pending<WorkspaceSettings> loadSettings();
    // Validates `settings` and writes what differs from `base`, the settings the editor
    // started from: the settings as stored, or a failure naming the invalid key.
    Pending<WorkspaceSettings> saveSettings(const WorkspaceSettings& settings,
                                            const WorkspaceSettings& base);
    Pending<ConnectionTest> testConnection(const ConnectionSettings& settings,
                                           const Credentials& credentials);
    Pending<IdentityPreview> previewIdentity(qint64 segmentId);

Q_SIGNALS:
    // Announced whenever the engine has read or saved them, whoever asked.
    void settingsLoaded(const lockstep::WorkspaceSettings& settings);

private:
    SetupService* m_service;
    RequestRouter* m_router;
};

} // namespace lockstep
