#include "spotcheck.h"

#include "cohortvalue.h"
#include "identity/identityresolver.h"
#include "mixpanelprofile.h"
#include "querybudget.h"
#include "store/snapshotstore.h"
#include "truststore.h"

#include <QPointer>

#include <functional>
#include <memory>

namespace lockstep {

namespace {
QString lowerTrimmed(const std::optional<QString>& s)
{
    return s ? s->trimmed().toLower() : QString();
}

bool matches(const QString& named, const MemberIdentifiers& m)
{
    if (named == m.cioId || (m.id && named == *m.id))
        return true;
    return named.contains(QLatin1Char('@')) && named.trimmed().toLower() == lowerTrimmed(m.email);
}

bool inSet(const MemberSet& set, const QString& key)
{
    const QByteArray k = key.toUtf8();
    return set.contains(std::string_view(k.constData(), size_t(k.size())));
}
} // namespace

SpotCheck::SpotCheck(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
                     const Clock* clock, Mapping mapping, SpotCheckOptions options, QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_cio(http, services.customerIo, services.appApiKey),
      m_mixpanel(http, services.mixpanel),
      m_canQuery(!services.mixpanel.serviceAccount.isEmpty() && services.mixpanel.projectId > 0),
      m_clock(clock), m_mapping(std::move(mapping)), m_options(std::move(options)),
      m_rng(m_options.seed ? QRandomGenerator(quint32(*m_options.seed))
                           : QRandomGenerator::securelySeeded())
{}

void SpotCheck::start()
{
    auto fail = [this](SyncError e) { Q_EMIT failed(e); };
    if (!m_canQuery)
        return fail(SyncError::make(
            SyncError::Category::Config,
            QStringLiteral("a spot check reads Mixpanel through the query API: set "
                           "LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT and the project id")));
    if (m_options.count < 0 ||
        m_options.count + m_options.named.size() > SpotCheckOptions::kMaxPeople)
        return fail(SyncError::make(
            SyncError::Category::Usage,
            QStringLiteral("a spot check takes 1 to %1 people").arg(SpotCheckOptions::kMaxPeople)));
    if (m_options.count == 0 && m_options.named.isEmpty())
        return fail(
            SyncError::make(SyncError::Category::Usage,
                            QStringLiteral("nobody to check: give a count or name people")));
    // Refuse before reading the segment: the answer would be the same afterwards.
    QueryBudget budget(m_ws, m_http, m_clock, m_options.queriesPerHour);
    if (budget.left() < 1)
        return fail(budget.take(1, QStringLiteral("the spot check")).error());
    auto snapshot = SnapshotStore(m_ws).load(m_mapping.id);
    if (!snapshot)
        return fail(snapshot.error());
    m_snapshot = std::move(*snapshot);
    m_result = {};
    m_result.mappingId = m_mapping.id;
    m_result.atMs = m_clock->nowMs();
    const CohortValue value = CohortValue::forMapping(m_mapping);
    m_result.property = value.property();
    m_result.value = value.value;
    m_namedHits = QList<std::optional<MemberIdentifiers>>(m_options.named.size());
    m_namedKnown = QList<bool>(m_options.named.size(), true);
    Q_EMIT progress(QStringLiteral("reading segment %1").arg(m_mapping.segmentId));
    readPage(QString());
}

void SpotCheck::readPage(const QString& cursor)
{
    QPointer<SpotCheck> self(this);
    m_cio.membershipPage(m_mapping.segmentId, cursor, m_options.pageSize,
                         [self](Result<MembershipPage> page) {
                             if (!self)
                                 return;
                             if (!page)
                                 return Q_EMIT self->failed(page.error());
                             for (const MemberIdentifiers& m : page->members)
                                 self->consider(m);
                             if (!page->next.isEmpty())
                                 return self->readPage(page->next);
                             self->lookUpNamed();
                         });
}

void SpotCheck::consider(const MemberIdentifiers& m)
{
    for (qsizetype i = 0; i < m_options.named.size(); ++i)
        if (!m_namedHits[i] && matches(m_options.named[i], m))
            m_namedHits[i] = m;
    // Reservoir sampling: every member equally likely, one pass, bounded memory.
    ++m_seen;
    if (qsizetype(m_sample.size()) < m_options.count) {
        m_sample.push_back(m);
    } else if (m_options.count > 0) {
        const quint64 j = m_rng.bounded(quint64(m_seen));
        if (j < quint64(m_options.count))
            m_sample[size_t(j)] = m;
    }
}

void SpotCheck::lookUpNamed()
{
    // Not in the segment says nothing of whether Customer.io knows the person: a typo or
    // someone who never signed up must not read as "consistent". One lookup per kind of
    // identifier typed (an e-mail, else the mapping's own key or the id).
    const IdentityKey other =
        m_mapping.identity == IdentityKey::CioId ? IdentityKey::CioId : IdentityKey::Id;
    struct Ask
    {
        IdentityKey type;
        QStringList ids;
        QList<qsizetype> index;
    };
    auto asks =
        std::make_shared<QList<Ask>>(QList<Ask>{{IdentityKey::Email, {}, {}}, {other, {}, {}}});
    for (qsizetype i = 0; i < m_options.named.size(); ++i) {
        if (m_namedHits[i])
            continue;
        const QString n = m_options.named[i].trimmed();
        Ask& a = (*asks)[n.contains(QLatin1Char('@')) ? 0 : 1];
        a.ids.append(a.type == IdentityKey::Email ? n.toLower() : n);
        a.index.append(i);
    }
    QPointer<SpotCheck> self(this);
    // `next` holds itself weakly (no cycle); each lookup in flight holds it strongly.
    auto next = std::make_shared<std::function<void(int)>>();
    *next = [self, asks, weak = std::weak_ptr<std::function<void(int)>>(next)](int k) {
        auto again = weak.lock();
        if (!self || !again)
            return;
        while (k < asks->size() && (*asks)[k].ids.isEmpty())
            ++k;
        if (k >= asks->size())
            return self->query();
        const Ask& a = (*asks)[k];
        Q_EMIT self->progress(
            QStringLiteral("looking up %1 named people in Customer.io").arg(a.ids.size()));
        self->m_cio.existingCustomers(
            a.type, a.ids, [self, asks, again, k](Result<QSet<QString>> found) {
                if (!self)
                    return;
                if (!found)
                    return Q_EMIT self->failed(found.error());
                const Ask& a = (*asks)[k];
                for (qsizetype j = 0; j < a.ids.size(); ++j)
                    self->m_namedKnown[a.index[j]] = found->contains(a.ids[j]);
                (*again)(k + 1);
            });
    };
    (*next)(0);
}

void SpotCheck::query()
{
    // Named people first (the operator asked about them), then the random ones.
    for (qsizetype i = 0; i < m_options.named.size(); ++i) {
        Candidate c;
        c.named = m_options.named[i];
        c.knownToCustomerIo = m_namedKnown.value(i, true);
        if (m_namedHits[i]) {
            c.member = *m_namedHits[i];
            c.inSegment = true;
        } else {
            // Not a member: derive the key from what was typed when it is that kind of key.
            const QString& n = c.named;
            if (m_mapping.identity == IdentityKey::Email && n.contains(QLatin1Char('@')))
                c.member.email = n;
            else if (m_mapping.identity == IdentityKey::Id)
                c.member.id = n;
            else if (m_mapping.identity == IdentityKey::CioId)
                c.member.cioId = n;
        }
        m_candidates.append(c);
    }
    for (const MemberIdentifiers& m : m_sample) {
        const bool dup =
            std::any_of(m_candidates.begin(), m_candidates.end(), [&](const Candidate& c) {
                return c.inSegment && c.member.cioId == m.cioId;
            });
        if (!dup)
            m_candidates.append(Candidate{m, QString(), true});
    }

    QStringList ids;
    for (const Candidate& c : m_candidates) {
        const IdentityResolver::Key key = IdentityResolver::keyFor(m_mapping.identity, c.member);
        const bool usable = !key.problem || mismatchIsWarning(*key.problem);
        m_keys.append(usable ? key.value : QString());
        QString raw;
        if (usable && key.changedByNormalisation) {
            raw = m_mapping.identity == IdentityKey::Email ? c.member.email.value_or(QString())
                                                           : c.member.id.value_or(QString());
        }
        m_raw.append(raw);
        for (const QString& id : {m_keys.last(), raw})
            if (!id.isEmpty() && !ids.contains(id))
                ids.append(id);
    }
    if (ids.isEmpty())
        return judge({});
    if (auto st = QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour)
                      .take(1, QStringLiteral("the spot check"));
        !st)
        return Q_EMIT failed(st.error());
    m_result.queriesUsed = 1;
    Q_EMIT progress(QStringLiteral("looking up %1 profiles in Mixpanel").arg(ids.size()));
    MixpanelClient::ProfileQuery q;
    q.distinctIds = ids;
    // Every property: only they tell a ghost profile (what Lockstep wrote, nothing else)
    // from a person Mixpanel knows.
    QPointer<SpotCheck> self(this);
    m_mixpanel.profiles(q, [self](Result<ProfilePage> page) {
        if (!self)
            return;
        if (!page)
            return Q_EMIT self->failed(page.error());
        QHash<QString, QJsonObject> profiles;
        for (int i = 0; i < page->distinctIds.size(); ++i)
            profiles.insert(page->distinctIds.at(i), page->properties.value(i));
        self->judge(profiles);
    });
}

void SpotCheck::judge(const QHash<QString, QJsonObject>& profiles)
{
    const CohortValue value = CohortValue::forMapping(m_mapping);
    auto ownProps = LockstepProperties::ofWorkspace(m_ws, &m_mapping);
    if (!ownProps)
        return Q_EMIT failed(ownProps.error());
    const QString keyName = identityKeyName(m_mapping.identity);
    for (qsizetype i = 0; i < m_candidates.size(); ++i) {
        const Candidate& c = m_candidates[i];
        PersonCheck p;
        p.cioId = c.member.cioId;
        p.personId = c.member.id;
        p.email = c.member.email;
        p.named = c.named;
        p.inSegment = c.inSegment;
        p.distinctId = m_keys[i];
        const QString& raw = m_raw[i];
        if (!p.distinctId.isEmpty()) {
            p.inSnapshot = inSet(m_snapshot, p.distinctId);
            const auto it = profiles.constFind(p.distinctId);
            p.inMixpanel = it != profiles.cend();
            p.ghost = p.inMixpanel && !knownToMixpanel(&*it, *ownProps);
            p.hasValue = p.inMixpanel && value.carriedBy(*it);
        }
        const bool rawProfile = !raw.isEmpty() && profiles.contains(raw);
        auto verdict = [&p](bool passed, const char* reason, const QString& detail) {
            p.passed = passed;
            p.reason = QString::fromLatin1(reason);
            p.detail = detail;
        };
        if (c.inSegment) {
            if (p.distinctId.isEmpty()) {
                const auto problem = IdentityResolver::keyFor(m_mapping.identity, c.member).problem;
                verdict(
                    false, trustreason::kIdentityKeyMissing,
                    QStringLiteral(
                        "Customer.io has no usable %1 for this person (%2): they cannot be synced")
                        .arg(keyName, problem ? mismatchReasonName(*problem)
                                              : QStringLiteral("missing_key")));
            } else if (p.hasValue && p.ghost) {
                verdict(
                    false, trustreason::kGhostProfile,
                    QStringLiteral("carries the value, but Mixpanel knows \"%1\" only through what "
                                   "Lockstep wrote: a ghost profile that no report joins with this "
                                   "person's activity (is the person known by another identifier?)")
                        .arg(p.distinctId));
            } else if (p.hasValue) {
                verdict(true, "",
                        rawProfile
                            ? QStringLiteral("in the cohort; note Mixpanel also has a profile "
                                             "under the raw spelling \"%1\"")
                                  .arg(raw)
                            : QStringLiteral("in the segment and carrying the value"));
            } else if (rawProfile) {
                verdict(false, trustreason::kNormalisation,
                        QStringLiteral(
                            "Mixpanel knows this person as \"%1\"; Lockstep sends the normalised "
                            "\"%2\", so the value lands on another profile")
                            .arg(raw, p.distinctId));
            } else if (!p.inSnapshot) {
                verdict(false, trustreason::kNotYetSynced,
                        QStringLiteral("joined the segment after the last acknowledged sync: the "
                                       "next sync adds them"));
            } else if (!p.inMixpanel) {
                verdict(
                    false, trustreason::kNoProfile,
                    QStringLiteral(
                        "synced, but Mixpanel has no profile \"%1\" (deleted, or another project)")
                        .arg(p.distinctId));
            } else {
                verdict(
                    false, trustreason::kValueMissing,
                    QStringLiteral(
                        "synced, but the profile does not carry the value (removed or overwritten "
                        "in Mixpanel); a full resync restores it"));
            }
        } else if (!c.knownToCustomerIo && !p.inMixpanel) {
            verdict(false, trustreason::kNotFound,
                    p.distinctId.isEmpty()
                        ? QStringLiteral("not found: Customer.io does not know this person")
                        : QStringLiteral("not found: Customer.io does not know this person and "
                                         "Mixpanel has no profile \"%1\"")
                              .arg(p.distinctId));
        } else if (p.hasValue && p.inSnapshot) {
            verdict(false, trustreason::kNotYetSynced,
                    QStringLiteral("left the segment after the last acknowledged sync: the next "
                                   "sync removes the value"));
        } else if (p.hasValue) {
            verdict(false, trustreason::kNotInSegment,
                    QStringLiteral("not in the segment, yet the profile carries the value (written "
                                   "by someone else?)"));
        } else if (p.distinctId.isEmpty()) {
            verdict(true, trustreason::kNotInSegment,
                    QStringLiteral(
                        "not in the segment; without the person's %1 Mixpanel cannot be checked")
                        .arg(keyName));
        } else {
            verdict(
                true, trustreason::kNotInSegment,
                p.inMixpanel
                    ? QStringLiteral("not in the segment and not carrying the value (consistent)")
                    : QStringLiteral("not in the segment and no Mixpanel profile \"%1\"")
                          .arg(p.distinctId));
        }
        m_result.people.append(p);
    }
    m_result.queriesLeft = QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour).left();

    TrustCheckRecord rec;
    rec.mappingId = m_mapping.id;
    rec.kind = QString::fromLatin1(trustkind::kSpotCheck);
    rec.atMs = m_result.atMs;
    rec.passed = m_result.passed();
    rec.summary = QStringLiteral("%1 of %2 people agree in both systems")
                      .arg(m_result.passedCount())
                      .arg(m_result.people.size());
    rec.result = m_result.toJson();
    rec.result.insert(QStringLiteral("fingerprint"), trustFingerprint(m_mapping));
    if (auto st = TrustStore(m_ws).record(rec); !st)
        return Q_EMIT failed(st.error());
    Q_EMIT finished(m_result);
}

} // namespace lockstep
