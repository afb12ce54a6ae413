#include "secretstore.h"

#include "util/redaction.h"

#include <qt6keychain/keychain.h>

#include <memory>

namespace lockstep {

SecretStore::SecretStore(QObject* parent, const QString& service)
    : QObject(parent), m_service(service)
{}

SyncError SecretStore::errorFrom(const QKeychain::Job* job, const QString& failure,
                                 const QString& key) const
{
    // Only the entry name and QtKeychain's reason: never the value.
    if (job->error() == QKeychain::EntryNotFound)
        return SyncError::make(SyncError::Category::NotFound, tr("no %1 in the keychain").arg(key));
    return SyncError::make(SyncError::Category::Config,
                           failure.arg(key, m_service, job->errorString()));
}

void SecretStore::read(const QString& key, std::function<void(Result<QString>)> done)
{
    // Unparented (each deletes itself when finished): a job deleted while the keychain still
    // answers it crashes in libsecret, so it outlives this store; `this` as the context of
    // its finished() keeps the callback from running after the store is gone.
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    // Never fall back to a plain-text settings file.
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this,
            [this, key, done = std::move(done)](QKeychain::Job* j) {
                if (j->error() != QKeychain::NoError)
                    return done(
                        errorFrom(j, tr("cannot read %1 in the system keychain (%2): %3"), key));
                const QString value = static_cast<QKeychain::ReadPasswordJob*>(j)->textData();
                registerSecrets({value});
                done(value);
            });
    job->start();
}

void SecretStore::write(const QString& key, const QString& secret, std::function<void(Status)> done)
{
    registerSecrets({secret});
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this,
            [this, key, done = std::move(done)](QKeychain::Job* j) {
                if (j->error() != QKeychain::NoError)
                    return done(
                        errorFrom(j, tr("cannot store %1 in the system keychain (%2): %3"), key));
                done({});
            });
    job->start();
}

void SecretStore::remove(const QString& key, std::function<void(Status)> done)
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this,
            [this, key, done = std::move(done)](QKeychain::Job* j) {
                if (j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound)
                    return done(
                        errorFrom(j, tr("cannot remove %1 in the system keychain (%2): %3"), key));
                done({});
            });
    job->start();
}

// The multi-entry calls chain single calls: each step holds the chain only weakly and
// each pending callback holds it strongly, so it lives exactly as long as work remains.
void SecretStore::readCredentials(std::function<void(Result<Credentials>)> done)
{
    using Field = std::pair<const char*, QString Credentials::*>;
    const QList<Field> fields = {{kCustomerIoAppApiKey, &Credentials::customerIoAppApiKey},
                                 {kMixpanelProjectToken, &Credentials::mixpanelProjectToken},
                                 {kMixpanelServiceAccount, &Credentials::mixpanelServiceAccount}};
    auto creds = std::make_shared<Credentials>();
    auto step = std::make_shared<std::function<void(int)>>();
    *step = [this, creds, weak = std::weak_ptr(step), fields, done = std::move(done)](int i) {
        if (i == fields.size())
            return done(*creds);
        read(QString::fromLatin1(fields[i].first),
             [creds, self = weak.lock(), fields, i, done](Result<QString> r) {
                 // A missing entry is an empty credential; a keychain failure ends it.
                 if (!r.ok() && r.error().category != SyncError::Category::NotFound)
                     return done(r.error());
                 if (r.ok())
                     (*creds).*(fields[i].second) = *r;
                 (*self)(i + 1);
             });
    };
    (*step)(0);
}

void SecretStore::writeCredentials(const Credentials& credentials, std::function<void(Status)> done)
{
    const QList<std::pair<const char*, QString>> entries = {
        {kCustomerIoAppApiKey, credentials.customerIoAppApiKey},
        {kMixpanelProjectToken, credentials.mixpanelProjectToken},
        {kMixpanelServiceAccount, credentials.mixpanelServiceAccount}};
    auto step = std::make_shared<std::function<void(int)>>();
    *step = [this, weak = std::weak_ptr(step), entries, done = std::move(done)](int i) {
        if (i == entries.size())
            return done({});
        const QString key = QString::fromLatin1(entries[i].first);
        auto next = [self = weak.lock(), i, done](Status st) {
            if (!st)
                return done(st);
            (*self)(i + 1);
        };
        // An empty value removes the entry rather than storing "".
        if (entries[i].second.isEmpty())
            remove(key, next);
        else
            write(key, entries[i].second, next);
    };
    (*step)(0);
}

} // namespace lockstep
