#include "identityadvisor.h"

#include "cohortvalue.h"
#include "health/healthrules.h"
#include "identity/identityresolver.h"
#include "querybudget.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "truststore.h"
#include "util/clock.h"

#include <QJsonArray>
#include <QPointer>

#include <algorithm>

namespace lockstep {

namespace {
const QString kEmailProperty = QStringLiteral("$email");
const QString kWhat = QStringLiteral("the identity advisor");
constexpr int kExamples = 3;
// A key must find this much more of the sample than the current one to be worth a new
// cohort version (a few people either way is noise in a sample of 100).
constexpr double kWorthSwitching = 0.05;

QString usable(IdentityKey key, const MemberIdentifiers& m)
{
    const IdentityResolver::Key k = IdentityResolver::keyFor(key, m);
    return !k.problem || mismatchIsWarning(*k.problem) ? k.value : QString();
}

QString percent(double share)
{
    if (share > 0.0 && share < 0.01)
        return QStringLiteral("< 1 %");
    return QString::number(share * 100.0, 'f', 0) + QStringLiteral(" %");
}

// "a profile under their id"
QString under(IdentityKey k)
{
    switch (k) {
    case IdentityKey::Id:
        return QStringLiteral("their id");
    case IdentityKey::Email:
        return QStringLiteral("their e-mail address");
    case IdentityKey::CioId:
        return QStringLiteral("their cio_id");
    }
    return {};
}

// "this mapping sends e-mail"
QString sends(IdentityKey k)
{
    return k == IdentityKey::Email ? QStringLiteral("e-mail") : identityKeyName(k);
}

QJsonArray texts(const QStringList& l)
{
    QJsonArray a;
    for (const QString& s : l)
        a.append(s);
    return a;
}
} // namespace

QJsonObject KeyMatch::toJson(int sampled) const
{
    return QJsonObject{{QStringLiteral("key"), key},
                       {QStringLiteral("looked_up"), lookedUp},
                       {QStringLiteral("carried"), carried},
                       {QStringLiteral("matched"), matched},
                       {QStringLiteral("ghosts"), ghosts},
                       {QStringLiteral("match_rate"), rate(sampled)},
                       {QStringLiteral("examples"), texts(examples)}};
}

KeyMatch KeyMatch::fromJson(const QJsonObject& o)
{
    KeyMatch k;
    k.key = o.value(QLatin1String("key")).toString();
    k.lookedUp = o.value(QLatin1String("looked_up")).toBool();
    k.carried = o.value(QLatin1String("carried")).toInt();
    k.matched = o.value(QLatin1String("matched")).toInt();
    k.ghosts = o.value(QLatin1String("ghosts")).toInt();
    for (const QJsonValue& v : o.value(QLatin1String("examples")).toArray())
        k.examples.append(v.toString());
    return k;
}

const KeyMatch* IdentityAdvice::match(const QString& key) const
{
    for (const KeyMatch& k : keys)
        if (k.key == key)
            return &k;
    return nullptr;
}

QJsonObject IdentityAdvice::toJson() const
{
    QJsonArray arr;
    for (const KeyMatch& k : keys)
        arr.append(k.toJson(sampled));
    QJsonObject o{
        {QStringLiteral("mapping_id"), mappingId},
        {QStringLiteral("segment_id"), segmentId},
        {QStringLiteral("current_key"), identityKeyName(current)},
        {QStringLiteral("at_ms"), atMs},
        {QStringLiteral("members"), members},
        {QStringLiteral("sampled"), sampled},
        {QStringLiteral("keys"), arr},
        {QStringLiteral("recommended_key"),
         recommended ? QJsonValue(identityKeyName(*recommended)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("change"), change},
        {QStringLiteral("elsewhere"), elsewhere},
        {QStringLiteral("summary"), summary},
        {QStringLiteral("queries_used"), queriesUsed},
        {QStringLiteral("queries_left_this_hour"), queriesLeft}};
    if (!note.isEmpty())
        o.insert(QStringLiteral("note"), note);
    return o;
}

IdentityAdvice IdentityAdvice::fromJson(const QJsonObject& o)
{
    IdentityAdvice a;
    a.mappingId = o.value(QLatin1String("mapping_id")).toInteger();
    a.segmentId = o.value(QLatin1String("segment_id")).toInteger();
    a.current = parseIdentityKey(o.value(QLatin1String("current_key")).toString())
                    .value_or(IdentityKey::Email);
    a.atMs = o.value(QLatin1String("at_ms")).toInteger();
    a.members = o.value(QLatin1String("members")).toInteger();
    a.sampled = o.value(QLatin1String("sampled")).toInt();
    for (const QJsonValue& v : o.value(QLatin1String("keys")).toArray())
        a.keys.append(KeyMatch::fromJson(v.toObject()));
    a.recommended = parseIdentityKey(o.value(QLatin1String("recommended_key")).toString());
    a.change = o.value(QLatin1String("change")).toBool();
    a.elsewhere = o.value(QLatin1String("elsewhere")).toInt();
    a.summary = o.value(QLatin1String("summary")).toString();
    a.note = o.value(QLatin1String("note")).toString();
    a.queriesUsed = o.value(QLatin1String("queries_used")).toInt();
    a.queriesLeft = o.value(QLatin1String("queries_left_this_hour")).toInt(-1);
    return a;
}

IdentityAdvisor::IdentityAdvisor(Workspace& ws, RequestScheduler* http,
                                 const ServiceConfig& services, const Clock* clock, Mapping mapping,
                                 IdentityAdviceOptions options, QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_cio(http, services.customerIo, services.appApiKey),
      m_mixpanel(http, services.mixpanel),
      m_canQuery(!services.mixpanel.serviceAccount.isEmpty() && services.mixpanel.projectId > 0),
      m_clock(clock), m_mapping(std::move(mapping)), m_options(options),
      m_rng(m_options.seed ? QRandomGenerator(quint32(*m_options.seed))
                           : QRandomGenerator::securelySeeded())
{}

void IdentityAdvisor::start()
{
    auto fail = [this](SyncError e) { Q_EMIT failed(e); };
    if (!m_canQuery)
        return fail(SyncError::make(
            SyncError::Category::Config,
            QStringLiteral("the identity advisor reads Mixpanel through the query API: set "
                           "LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT and the project id")));
    if (m_options.sample < 1 || m_options.sample > IdentityAdviceOptions::kMaxSample)
        return fail(SyncError::make(SyncError::Category::Usage,
                                    QStringLiteral("the identity advisor samples 1 to %1 people")
                                        .arg(IdentityAdviceOptions::kMaxSample)));
    // Refuse before reading the segment: the answer would be the same afterwards.
    QueryBudget budget(m_ws, m_http, m_clock, m_options.queriesPerHour);
    if (budget.left() < 1)
        return fail(budget.take(1, kWhat).error());
    auto own = LockstepProperties::ofWorkspace(m_ws, &m_mapping);
    if (!own)
        return fail(own.error());
    m_own = std::move(*own);
    m_advice = {};
    m_advice.mappingId = m_mapping.id;
    m_advice.segmentId = m_mapping.segmentId;
    m_advice.current = m_mapping.identity;
    m_advice.atMs = m_clock->nowMs();
    Q_EMIT progress(QStringLiteral("reading segment %1").arg(m_mapping.segmentId));
    readPage(QString());
}

void IdentityAdvisor::readPage(const QString& cursor)
{
    QPointer<IdentityAdvisor> self(this);
    m_cio.membershipPage(m_mapping.segmentId, cursor, m_options.pageSize,
                         [self](Result<MembershipPage> page) {
                             if (!self)
                                 return;
                             if (!page)
                                 return Q_EMIT self->failed(page.error());
                             for (const MemberIdentifiers& m : page->members) {
                                 // Reservoir sampling: every member equally likely, one pass,
                                 // bounded memory.
                                 const qint64 seen = ++self->m_advice.members;
                                 auto& r = self->m_reservoir;
                                 if (qsizetype(r.size()) < self->m_options.sample) {
                                     r.push_back(m);
                                 } else {
                                     const quint64 j = self->m_rng.bounded(quint64(seen));
                                     if (j < quint64(self->m_options.sample))
                                         r[size_t(j)] = m;
                                 }
                             }
                             if (!page->next.isEmpty())
                                 return self->readPage(page->next);
                             self->lookUpKeys();
                         });
}

bool IdentityAdvisor::takeQuery(const QString& what)
{
    if (m_advice.queriesUsed >= IdentityAdviceOptions::kMaxQueries) {
        m_advice.note = QStringLiteral("%1: the advisor asks at most %2 queries")
                            .arg(what, QString::number(IdentityAdviceOptions::kMaxQueries));
        return false;
    }
    if (auto st = QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour).take(1, kWhat);
        !st) {
        m_advice.note = QStringLiteral("%1: %2").arg(what, st.error().message);
        return false;
    }
    ++m_advice.queriesUsed;
    return true;
}

void IdentityAdvisor::lookUpKeys()
{
    // In cio_id order, so the queries read the same for the same sample.
    std::sort(
        m_reservoir.begin(), m_reservoir.end(),
        [](const MemberIdentifiers& a, const MemberIdentifiers& b) { return a.cioId < b.cioId; });
    for (const MemberIdentifiers& m : m_reservoir) {
        Person p;
        p.member = m;
        p.id = usable(IdentityKey::Id, m);
        p.email = usable(IdentityKey::Email, m);
        p.cioId = usable(IdentityKey::CioId, m);
        if (!p.email.isEmpty() && m.email && *m.email != p.email)
            p.rawEmail = *m.email;
        m_people.push_back(std::move(p));
    }
    m_reservoir = {};
    m_advice.sampled = int(m_people.size());
    for (IdentityKey k : {IdentityKey::Id, IdentityKey::Email, IdentityKey::CioId})
        m_advice.keys.append(KeyMatch{identityKeyName(k)});
    m_advice.keys.append(KeyMatch{kEmailProperty});
    if (m_people.empty())
        return finish();

    MixpanelClient::ProfileQuery q;
    for (const Person& p : m_people)
        for (const QString* key : {&p.id, &p.email, &p.cioId})
            if (!key->isEmpty() && !q.distinctIds.contains(*key))
                q.distinctIds.append(*key);
    if (!takeQuery(QStringLiteral("nobody was looked up")))
        return Q_EMIT failed(SyncError::make(SyncError::Category::RateLimited, m_advice.note));
    Q_EMIT progress(QStringLiteral("looking up %1 people under their id, e-mail and cio_id")
                        .arg(m_people.size()));
    // Every property: only they tell a ghost profile from a person Mixpanel knows.
    QPointer<IdentityAdvisor> self(this);
    m_mixpanel.profiles(q, [self](Result<ProfilePage> page) {
        if (!self)
            return;
        if (!page)
            return Q_EMIT self->failed(page.error());
        self->judgeKeys(*page);
    });
}

void IdentityAdvisor::judgeKeys(const ProfilePage& page)
{
    // Every key asked fits one page: an answer that says there is more was not complete,
    // and missing profiles would be misread as unknown people.
    if (page.total > page.distinctIds.size())
        return Q_EMIT failed(
            SyncError::make(SyncError::Category::Protocol,
                            QStringLiteral("Mixpanel answered %1 of %2 profiles in one page")
                                .arg(page.distinctIds.size())
                                .arg(page.total)));
    QHash<QString, QJsonObject> profiles;
    for (qsizetype i = 0; i < page.distinctIds.size(); ++i)
        profiles.insert(page.distinctIds.at(i), page.properties.value(i));
    for (int k = 0; k < 3; ++k) {
        KeyMatch& match = m_advice.keys[k];
        match.lookedUp = true;
        for (Person& p : m_people) {
            const QString& key = k == 0 ? p.id : k == 1 ? p.email : p.cioId;
            if (key.isEmpty())
                continue;
            ++match.carried;
            const auto it = profiles.constFind(key);
            const QJsonObject* profile = it == profiles.cend() ? nullptr : &*it;
            if (knownToMixpanel(profile, m_own)) {
                p.known = true;
                ++match.matched;
                if (match.examples.size() < kExamples)
                    match.examples.append(key);
            } else if (profile) {
                ++match.ghosts;
            }
        }
    }
    lookUpEmails(QString(), 0);
}

void IdentityAdvisor::lookUpEmails(const QString& sessionId, int page)
{
    MixpanelClient::ProfileQuery q;
    if (page == 0) {
        QStringList terms;
        for (const Person& p : m_people)
            for (const QString* e : {&p.email, &p.rawEmail})
                if (!e->isEmpty())
                    terms.append(
                        QStringLiteral("properties[%1] == %2")
                            .arg(CohortValue::literal(kEmailProperty), CohortValue::literal(*e)));
        if (terms.isEmpty()) {
            m_advice.keys[3].lookedUp = true; // nobody has an e-mail address to look for
            return judgeEmails();
        }
        q.where = terms.join(QStringLiteral(" or "));
    } else {
        q.sessionId = sessionId;
        q.page = page;
    }
    if (!takeQuery(page == 0 ? QStringLiteral("profiles were not looked up by $email")
                             : QStringLiteral("only the first %1 profiles with a matching "
                                              "$email were read")
                                   .arg(page * 1000))) {
        if (page == 0)
            return finish();
        return judgeEmails();
    }
    Q_EMIT progress(QStringLiteral("looking up profiles by $email"));
    QPointer<IdentityAdvisor> self(this);
    m_mixpanel.profiles(q, [self, page](Result<ProfilePage> reply) {
        if (!self)
            return;
        if (!reply) {
            // What the first query found stands; say what is missing.
            self->m_advice.note = QStringLiteral("profiles were not looked up by $email: %1")
                                      .arg(reply.error().message);
            return page == 0 ? self->finish() : self->judgeEmails();
        }
        for (qsizetype i = 0; i < reply->distinctIds.size(); ++i) {
            const QJsonObject props = reply->properties.value(i);
            if (!knownToMixpanel(&props, self->m_own))
                continue;
            const QString email = props.value(kEmailProperty).toString().trimmed().toLower();
            if (!email.isEmpty())
                self->m_byEmail[email].append(reply->distinctIds.at(i));
        }
        const qint64 read = qint64(reply->page) * reply->pageSize + reply->distinctIds.size();
        if (reply->pageSize > 0 && reply->distinctIds.size() >= reply->pageSize &&
            reply->total > read)
            return self->lookUpEmails(reply->sessionId, reply->page + 1);
        self->judgeEmails();
    });
}

void IdentityAdvisor::judgeEmails()
{
    KeyMatch& match = m_advice.keys[3];
    match.lookedUp = true;
    for (const Person& p : m_people) {
        if (p.email.isEmpty())
            continue;
        ++match.carried;
        const QStringList ids = m_byEmail.value(p.email);
        if (ids.isEmpty())
            continue;
        ++match.matched;
        const bool under = std::any_of(ids.begin(), ids.end(), [&p](const QString& id) {
            return id == p.id || id == p.email || id == p.cioId;
        });
        if (!under && !p.known) {
            ++m_advice.elsewhere;
            if (match.examples.size() < kExamples)
                match.examples.append(ids.first());
        }
    }
    finish();
}

void IdentityAdvisor::finish()
{
    recommend(m_advice);
    m_advice.queriesLeft = QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour).left();
    if (m_mapping.id > 0) {
        TrustCheckRecord rec;
        rec.mappingId = m_mapping.id;
        rec.kind = QString::fromLatin1(trustkind::kIdentityAdvice);
        rec.atMs = m_advice.atMs;
        rec.passed = m_advice.recommended && !m_advice.change;
        rec.summary = m_advice.summary;
        rec.result = m_advice.toJson();
        rec.result.insert(QStringLiteral("fingerprint"), trustFingerprint(m_mapping));
        if (auto st = TrustStore(m_ws).record(rec); !st)
            return Q_EMIT failed(st.error());
    }
    Q_EMIT finished(m_advice);
}

Result<qint64> adoptIdentityKey(Workspace& ws, qint64 mappingId, IdentityKey key)
{
    MappingRepository repo(ws);
    auto m = repo.get(mappingId);
    if (!m)
        return m.error();
    if (m->identity == key)
        return SyncError::make(SyncError::Category::Usage,
                               QStringLiteral("mapping %1 is already keyed by %2")
                                   .arg(QString::number(mappingId), identityKeyName(key)));
    Mapping next = *m;
    next.identity = key;
    next.cohortName = nextCohortVersionName(m->cohortName, m->version);
    next.version = m->version + 1;
    next.paused = false;
    // A key of its own, as the console's "Duplicate as new version" (keys are unique among
    // live mappings, and the old version stays, paused).
    next.key.clear();
    qint64 id = 0;
    const Status st = ws.transaction([&]() -> Status {
        auto added = repo.add(next);
        if (!added)
            return added.error();
        id = *added;
        Mapping old = *m;
        old.paused = true;
        return repo.update(old);
    });
    if (!st)
        return st.error();
    return id;
}

void IdentityAdvisor::recommend(IdentityAdvice& a)
{
    a.recommended.reset();
    a.change = false;
    if (a.sampled <= 0) {
        a.summary = QStringLiteral("The segment has no members: nobody to look up.");
        return;
    }
    auto matchOf = [&a](IdentityKey k) {
        const KeyMatch* m = a.match(identityKeyName(k));
        return m ? m->matched : 0;
    };
    // The current key wins ties (no new cohort for nothing), then id: Mixpanel advises
    // against e-mail as the user id (it changes).
    IdentityKey best = a.current;
    for (IdentityKey k : {IdentityKey::Id, IdentityKey::CioId, IdentityKey::Email})
        if (matchOf(k) > matchOf(best))
            best = k;
    const double bestRate = double(matchOf(best)) / a.sampled;
    const double currentRate = double(matchOf(a.current)) / a.sampled;
    const bool setUp = a.mappingId == 0; // the wizard: no mapping yet
    const KeyMatch* byEmail = a.match(kEmailProperty);
    QString elsewhere;
    if (a.elsewhere > 0 && byEmail)
        elsewhere = QStringLiteral(" %1 of these people are known under none of their identifiers, "
                                   "yet a profile whose $email matches theirs exists under another "
                                   "distinct id (e.g. “%2”): Mixpanel knows them by an identifier "
                                   "Customer.io does not hold, or they share an e-mail address.")
                        .arg(percent(double(a.elsewhere) / a.sampled), byEmail->examples.value(0));

    if (matchOf(best) == 0) {
        if (a.elsewhere > 0)
            a.summary = QStringLiteral("No sampled person has a profile under their id, e-mail "
                                       "address or cio_id.") +
                        elsewhere +
                        QStringLiteral(" Store that identifier as the person's id in Customer.io, "
                                       "then key this mapping by id.");
        else
            a.summary = QStringLiteral(
                "Mixpanel knows none of these people under their id, e-mail address or cio_id, "
                "nor by $email: check that the project token and project id are the product's, "
                "and that the app tracks these people.");
        return;
    }
    a.recommended = best;
    a.change = best != a.current && bestRate - currentRate >= kWorthSwitching;
    const QString found = QStringLiteral("%1 of these people have a profile under %2")
                              .arg(percent(bestRate), under(best));
    const QString currentKey = sends(a.current);
    if (a.change) {
        a.summary = (setUp ? QStringLiteral("%1; the key chosen is %2 (%3). Choose %4.")
                           : QStringLiteral("%1; this mapping sends %2 (%3). Switch to %4: a new "
                                            "version of this mapping keyed by %4."))
                        .arg(found, currentKey, percent(currentRate), identityKeyName(best));
    } else if (best != a.current) {
        a.summary =
            (setUp ? QStringLiteral("%1, about as many as under %2, the key chosen: keep it.")
                   : QStringLiteral("%1, about as many as under %2, which this mapping "
                                    "sends: keep it."))
                .arg(found, under(a.current));
        a.recommended = a.current;
    } else {
        a.summary = (setUp ? QStringLiteral("%1, the key chosen: keep it.")
                           : QStringLiteral("%1, the key this mapping sends: keep it."))
                        .arg(found);
    }
    if (const KeyMatch* cur = a.match(identityKeyName(a.current)); cur && cur->ghosts > 0)
        a.summary += QStringLiteral(" %1 of these people have only a ghost profile under %2: "
                                    "one that Lockstep's own writes made.")
                         .arg(percent(double(cur->ghosts) / a.sampled), under(a.current));
    a.summary += elsewhere;
}

} // namespace lockstep
