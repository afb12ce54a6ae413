// Which Customer.io identifier Mixpanel knows a segment's people by. A random sample of
// the segment's members (read from Customer.io: the snapshot keeps only the key a mapping
// sends, not every identifier of the person) is looked up in Mixpanel under each
// identifier they carry, `id`, `email` and `cio_id` (one /engage query by distinct_ids),
// and by the profile's `$email` (one `where` query, and its second page at most): at most
// kMaxQueries of the project's shared budget. A profile counts only when Mixpanel knows the
// person (trust/mixpanelprofile.h, as the entry and spot checks judge it): a ghost profile
// that Lockstep itself wrote is no match. Reports the match rate per key and recommends the
// best. Asynchronous, like SpotCheck.
#pragma once

#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "api/serviceconfig.h"
#include "mixpanelprofile.h"
#include "trustrecords.h"

#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>

#include <optional>
#include <vector>

namespace lockstep {

class Clock;
class Workspace;

// How many sampled people one identifier finds in Mixpanel.
struct KeyMatch
{
    QString key;               // "id", "email", "cio_id", or "$email" (a profile property)
    int carried = 0;           // sampled people with a usable value of it
    int matched = 0;           // of them, with a profile Mixpanel knows
    int ghosts = 0;            // of them, with only a ghost profile (what Lockstep wrote)
    bool lookedUp = false;     // false: not asked (no budget left for it)
    QStringList examples = {}; // a few distinct ids found ($email: the ids those profiles use)

    double rate(int sampled) const { return sampled > 0 ? double(matched) / sampled : 0.0; }
    QJsonObject toJson(int sampled) const;
    static KeyMatch fromJson(const QJsonObject& o);
};

struct IdentityAdvice
{
    qint64 mappingId = 0; // 0: a segment being set up (the wizard)
    qint64 segmentId = 0;
    IdentityKey current = IdentityKey::Email; // the key the mapping sends (or would)
    qint64 atMs = 0;
    qint64 members = 0; // members read from the segment
    int sampled = 0;
    QList<KeyMatch> keys; // id, email, cio_id, $email
    // The key to send; nullopt when no identifier finds anyone.
    std::optional<IdentityKey> recommended;
    bool change = false; // recommended is not the current key, and finds clearly more
    // People Mixpanel knows under none of their identifiers, yet a profile whose $email
    // matches theirs exists under another distinct id: Mixpanel knows them by something else
    // (or they share an e-mail address with someone).
    int elsewhere = 0;
    QString summary; // for the operator
    QString note;    // what was not looked up, and why ("" when everything was)
    int queriesUsed = 0;
    int queriesLeft = -1; // this hour, after the advice

    const KeyMatch* match(const QString& key) const;
    QJsonObject toJson() const;
    static IdentityAdvice fromJson(const QJsonObject& o);
};

struct IdentityAdviceOptions
{
    static constexpr int kDefaultSample = 100;
    // Three identifiers each fit one query's page of 1000 profiles.
    static constexpr int kMaxSample = 300;
    static constexpr int kMaxQueries = 3;
    int sample = kDefaultSample;
    int pageSize = CustomerIoClient::kMaxPageSize;
    int queriesPerHour = 60;
    std::optional<quint64> seed; // for repeatable samples in tests
};

class IdentityAdvisor : public QObject
{
    Q_OBJECT
public:
    // `mapping`: a stored mapping, or one being set up (id 0; its segment and key).
    IdentityAdvisor(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
                    const Clock* clock, Mapping mapping, IdentityAdviceOptions options = {},
                    QObject* parent = nullptr);

    void start();
    const IdentityAdvice& advice() const { return m_advice; }

    // The recommendation and its words from the counts (pure; the advisor's last step).
    static void recommend(IdentityAdvice& advice);

Q_SIGNALS:
    void progress(const QString& step);
    void finished(const lockstep::IdentityAdvice& advice);
    void failed(const lockstep::SyncError& error);

private:
    struct Person
    {
        MemberIdentifiers member;
        QString id, email, cioId; // the keys Lockstep would send; "" when unusable
        QString rawEmail;         // as Customer.io spells it, when normalisation changed it
        bool known = false;       // Mixpanel knows them under one of those keys
    };
    void readPage(const QString& cursor);
    void lookUpKeys();
    void lookUpEmails(const QString& sessionId, int page);
    bool takeQuery(const QString& what);
    void judgeKeys(const ProfilePage& page);
    void judgeEmails();
    void finish();

    Workspace& m_ws;
    RequestScheduler* m_http;
    CustomerIoClient m_cio;
    MixpanelClient m_mixpanel;
    bool m_canQuery;
    const Clock* m_clock;
    Mapping m_mapping;
    IdentityAdviceOptions m_options;
    QRandomGenerator m_rng;
    LockstepProperties m_own;
    std::vector<MemberIdentifiers> m_reservoir;
    std::vector<Person> m_people;
    // $email (lower-cased) -> distinct ids of the known profiles carrying it.
    QHash<QString, QStringList> m_byEmail;
    IdentityAdvice m_advice;
};

// Applies a recommendation: a new version of the mapping keyed by `key` (the cohort name's
// next " | v<N>"), and the mapping itself paused, its cohort superseded (the health rules
// no longer hold its ghost profiles against it). Returns the new version's id.
Result<qint64> adoptIdentityKey(Workspace& ws, qint64 mappingId, IdentityKey key);

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::IdentityAdvice)
