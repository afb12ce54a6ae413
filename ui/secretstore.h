// The OS keychain (Secret Service on Linux, through QtKeychain) as the only place the
// console keeps API keys. Asynchronous: each call returns at once and its callback
// runs later in this object's thread. Values are never logged; every value read or
// written is registered for log redaction.
#pragma once

#include "api/credentials.h"
#include "util/result.h"

#include <QObject>

#include <functional>

namespace QKeychain {
class Job;
}

namespace lockstep {

class SecretStore : public QObject
{
    Q_OBJECT
public:
    static constexpr const char* kService = "io.lockstep.Lockstep";
    // Keychain entry names of the three credentials.
    static constexpr const char* kCustomerIoAppApiKey = "customerio/app_api_key";
    static constexpr const char* kMixpanelProjectToken = "mixpanel/project_token";
    static constexpr const char* kMixpanelServiceAccount = "mixpanel/service_account";

    explicit SecretStore(QObject* parent = nullptr,
                         const QString& service = QString::fromLatin1(kService));

    // A missing entry is a NotFound error; a keychain that cannot be reached (no
    // Secret Service, locked, denied) is a Config error saying so.
    void read(const QString& key, std::function<void(Result<QString>)> done);
    void write(const QString& key, const QString& secret, std::function<void(Status)> done);
    // Removing an entry that does not exist succeeds.
    void remove(const QString& key, std::function<void(Status)> done);

    // The three credentials; entries not in the keychain come back empty.
    void readCredentials(std::function<void(Result<Credentials>)> done);
    void writeCredentials(const Credentials& credentials, std::function<void(Status)> done);

    const QString& service() const { return m_service; }

private:
    // `failure` is the whole message for the operation, with %1 key, %2 service, %3 reason.
    SyncError errorFrom(const QKeychain::Job* job, const QString& failure,
                        const QString& key) const;

    QString m_service;
};

} // namespace lockstep
