#include "rehearsal.h"

#include "identity/identityresolver.h"
#include "querybudget.h"
#include "store/mixpanellimits.h"
#include "truststore.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>

#include <algorithm>

Q_LOGGING_CATEGORY(lcRehearsal, "lockstep.trust")

namespace lockstep {

namespace {
SyncError usage(const QString& message)
{
    return SyncError::make(SyncError::Category::Usage, message);
}
} // namespace

Rehearsal::Rehearsal(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
                     const Clock* clock, Mapping mapping, qint64 testSegmentId,
                     RehearsalOptions options, QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_cio(http, services.customerIo, services.appApiKey),
      m_mixpanel(http, services.mixpanel),
      m_canQuery(!services.mixpanel.serviceAccount.isEmpty() && services.mixpanel.projectId > 0),
      m_clock(clock), m_mapping(std::move(mapping)), m_testSegmentId(testSegmentId),
      m_options(options)
{}

QString Rehearsal::temporaryValue(const QString& cohortName, qint64 atMs)
{
    return QStringLiteral("%1 [rehearsal %2]")
        .arg(cohortName, QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC)
                             .toString(QStringLiteral("yyyyMMdd-HHmm")));
}

void Rehearsal::fail(const SyncError& e)
{
    qCWarning(lcRehearsal) << "rehearsal of mapping" << m_mapping.id << "failed:" << e.message;
    Q_EMIT failed(e);
}

void Rehearsal::start()
{
    if (!m_canQuery)
        return fail(
            SyncError::make(SyncError::Category::Config,
                            QStringLiteral("a rehearsal reads back through the Mixpanel query "
                                           "API: set LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT and the "
                                           "project id")));
    if (m_testSegmentId == m_mapping.segmentId)
        return fail(
            usage(QStringLiteral("the test segment is the mapping's own segment: rehearse on a "
                                 "small internal segment instead")));
    // Nothing is written unless it can be read back: check the budget first.
    if (QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour).left() < 1)
        return fail(QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour)
                        .take(1, QStringLiteral("the rehearsal's read-back"))
                        .error());
    m_result = {};
    m_result.mappingId = m_mapping.id;
    m_result.testSegmentId = m_testSegmentId;
    m_result.mode = m_mapping.mode;
    m_result.atMs = m_clock->nowMs();
    m_result.by = m_options.by;
    m_result.value = temporaryValue(m_mapping.cohortName, m_result.atMs);
    m_result.property = CohortValue::forMapping(m_mapping, m_result.value).property();
    if (auto st = checkRehearsalValueBytes(m_result.value, m_mapping.mode); !st)
        return fail(st.error());
    Q_EMIT progress(QStringLiteral("reading test segment %1").arg(m_testSegmentId));
    QPointer<Rehearsal> self(this);
    m_cio.segment(m_testSegmentId, [self](Result<SegmentInfo> s) {
        if (!self)
            return;
        if (!s)
            return self->fail(s.error());
        self->onSegment(*s);
    });
}

void Rehearsal::onSegment(const SegmentInfo& segment)
{
    m_result.testSegmentName = segment.name;
    if (!segment.isReady())
        return fail(SyncError::make(SyncError::Category::Config,
                                    QStringLiteral("test segment %1 (%2) is still building (%3% "
                                                   "done): rehearse when it has finished")
                                        .arg(QString::number(segment.id), segment.name,
                                             QString::number(*segment.progress))));
    QPointer<Rehearsal> self(this);
    m_cio.customerCount(segment.id, [self](Result<qint64> count) {
        if (!self)
            return;
        if (!count)
            return self->fail(count.error());
        if (*count > self->m_options.sizeCap)
            return self->fail(
                usage(QStringLiteral("test segment %1 has %2 people; a rehearsal takes at "
                                     "most %3 (pick a small internal segment)")
                          .arg(self->m_testSegmentId)
                          .arg(*count)
                          .arg(self->m_options.sizeCap)));
        self->readPage(QString());
    });
}

void Rehearsal::readPage(const QString& cursor)
{
    QPointer<Rehearsal> self(this);
    // One more than the cap: the count may be stale, the membership is not.
    m_cio.membershipPage(
        m_testSegmentId, cursor, m_options.sizeCap + 1, [self](Result<MembershipPage> page) {
            if (!self)
                return;
            if (!page)
                return self->fail(page.error());
            for (MemberIdentifiers& m : page->members)
                self->m_members.push_back(std::move(m));
            if (qsizetype(self->m_members.size()) > self->m_options.sizeCap)
                return self->fail(
                    usage(QStringLiteral("test segment %1 has more than %2 people; a rehearsal "
                                         "takes at most %2 (pick a small internal segment)")
                              .arg(self->m_testSegmentId)
                              .arg(self->m_options.sizeCap)));
            if (!page->next.isEmpty())
                return self->readPage(page->next);
            self->write();
        });
}

void Rehearsal::write()
{
    QStringList keys;
    for (const MemberIdentifiers& m : m_members) {
        PersonCheck p;
        p.cioId = m.cioId;
        p.personId = m.id;
        p.email = m.email;
        p.inSegment = true;
        const IdentityResolver::Key key = IdentityResolver::keyFor(m_mapping.identity, m);
        if (key.problem && !mismatchIsWarning(*key.problem)) {
            p.reason = QString::fromLatin1(trustreason::kIdentityKeyMissing);
            p.detail =
                QStringLiteral("no usable %1 (%2): this person cannot be synced")
                    .arg(identityKeyName(m_mapping.identity), mismatchReasonName(*key.problem));
        } else {
            p.distinctId = key.value;
            if (!keys.contains(key.value))
                keys.append(key.value);
        }
        m_result.people.append(p);
    }
    if (keys.isEmpty()) {
        // Nothing to write or read: the result says why, per person.
        judge({});
        return;
    }
    // Taken now, before writing, so a write is never left without its read-back.
    if (auto st = QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour)
                      .take(1, QStringLiteral("the rehearsal's read-back"));
        !st)
        return fail(st.error());
    m_result.queriesUsed = 1;
    const CohortValue value = CohortValue::forMapping(m_mapping, m_result.value);
    Q_EMIT progress(QStringLiteral("writing \"%1\" to %2 profiles")
                        .arg(m_result.value, QString::number(keys.size())));
    QPointer<Rehearsal> self(this);
    m_mixpanel.engage(
        value.engageBody(m_mixpanel.projectToken(), keys, true), [self, value](Status st) {
            if (!self)
                return;
            if (!st)
                return self->fail(
                    SyncError::make(st.error().category,
                                    QStringLiteral("the rehearsal write failed (%1); some "
                                                   "profiles may carry \"%2\": run the cleanup")
                                        .arg(st.error().message, value.value),
                                    st.error().httpStatus, st.error().retryable));
            Q_EMIT self->progress(QStringLiteral("reading back"));
            self->readCarriers(value, QString(), 0, {}, [self](Result<QStringList> carriers) {
                if (!self)
                    return;
                if (!carriers)
                    return self->fail(carriers.error());
                self->judge(*carriers);
            });
        });
}

void Rehearsal::readCarriers(const CohortValue& value, const QString& sessionId, int page,
                             QStringList found, std::function<void(Result<QStringList>)> done)
{
    MixpanelClient::ProfileQuery q;
    q.where = value.where();
    q.outputProperties = {value.property()};
    q.sessionId = sessionId;
    q.page = page;
    QPointer<Rehearsal> self(this);
    m_mixpanel.profiles(q, [self, value, page, found = std::move(found),
                            done = std::move(done)](Result<ProfilePage> r) mutable {
        if (!self)
            return;
        if (!r)
            return done(r.error());
        for (int i = 0; i < r->distinctIds.size(); ++i)
            if (value.carriedBy(r->properties.value(i)))
                found.append(r->distinctIds.at(i));
        const bool more =
            r->pageSize > 0 && r->distinctIds.size() >= r->pageSize && !r->sessionId.isEmpty();
        if (!more)
            return done(found);
        // A further page is a further query: more than the cap carry the value.
        if (auto st =
                QueryBudget(self->m_ws, self->m_http, self->m_clock, self->m_options.queriesPerHour)
                    .take(1, QStringLiteral("another page of the read-back"));
            !st)
            return done(st.error());
        self->readCarriers(value, r->sessionId, page + 1, std::move(found), std::move(done));
    });
}

void Rehearsal::judge(const QStringList& carriers)
{
    const QSet<QString> carrying(carriers.begin(), carriers.end());
    QSet<QString> written;
    for (PersonCheck& p : m_result.people) {
        if (p.distinctId.isEmpty())
            continue;
        written.insert(p.distinctId);
        p.inMixpanel = p.hasValue = carrying.contains(p.distinctId);
        p.passed = p.hasValue;
        if (!p.passed) {
            p.reason = QString::fromLatin1(trustreason::kNotReadBack);
            p.detail = QStringLiteral("written to \"%1\" but not read back with the value")
                           .arg(p.distinctId);
        }
    }
    for (const QString& id : carriers)
        if (!written.contains(id))
            m_result.unexpected.append(id);

    TrustCheckRecord rec;
    rec.mappingId = m_mapping.id;
    rec.kind = QString::fromLatin1(trustkind::kRehearsal);
    rec.atMs = m_result.atMs;
    rec.passed = m_result.passed();
    rec.summary = QStringLiteral("%1 of %2 people read back from test segment %3")
                      .arg(m_result.passedCount())
                      .arg(m_result.people.size())
                      .arg(m_testSegmentId);
    rec.result = m_result.toJson();
    rec.result.insert(QStringLiteral("fingerprint"), trustFingerprint(m_mapping));
    if (auto st = TrustStore(m_ws).record(rec); !st)
        return fail(st.error());
    Q_EMIT finished(m_result);
}

bool Rehearsal::isOwnValue(const QString& value)
{
    if (value.startsWith(m_mapping.cohortName + QStringLiteral(" [rehearsal ")))
        return true;
    auto open = TrustStore(m_ws).openRehearsals(m_mapping.id);
    return open && std::any_of(open->begin(), open->end(),
                               [&](const OpenRehearsal& o) { return o.rehearsal.value == value; });
}

void Rehearsal::cleanup()
{
    cleanup(m_result);
}

void Rehearsal::cleanup(const RehearsalResult& earlier)
{
    if (earlier.value.isEmpty())
        return fail(usage(QStringLiteral("nothing to clean up: no rehearsal value")));
    if (!isOwnValue(earlier.value))
        return fail(
            usage(QStringLiteral("refusing to remove \"%1\": not a rehearsal value of this mapping")
                      .arg(earlier.value)));
    if (auto st = QueryBudget(m_ws, m_http, m_clock, m_options.queriesPerHour)
                      .take(1, QStringLiteral("the cleanup's verification"));
        !st)
        return fail(st.error());
    // The list property the value was written to, should the mapping's have changed since.
    const QString listProperty = earlier.mode == SyncMode::List && !earlier.property.isEmpty()
                                     ? earlier.property
                                     : m_mapping.listProperty;
    const CohortValue value{earlier.mode, listProperty, earlier.value};
    QStringList keys = earlier.writtenKeys();
    for (const QString& k : earlier.unexpected)
        if (!keys.contains(k))
            keys.append(k);
    auto cleanup = std::make_shared<RehearsalCleanup>();
    cleanup->mappingId = m_mapping.id;
    cleanup->value = earlier.value;
    cleanup->queriesUsed = 1;
    QPointer<Rehearsal> self(this);
    auto finish = [self, cleanup](int remaining) {
        cleanup->remaining = remaining;
        TrustCheckRecord rec;
        rec.mappingId = self->m_mapping.id;
        rec.kind = QString::fromLatin1(trustkind::kRehearsalCleanup);
        rec.atMs = self->m_clock->nowMs();
        rec.passed = cleanup->verified();
        rec.summary = QStringLiteral("removed \"%1\" from %2 profiles, %3 still carry it")
                          .arg(cleanup->value, QString::number(cleanup->removed),
                               QString::number(cleanup->remaining));
        rec.result = cleanup->toJson();
        if (auto st = TrustStore(self->m_ws).record(rec); !st)
            return self->fail(st.error());
        Q_EMIT self->cleanupFinished(*cleanup);
    };
    auto verify = [self, value, finish] {
        Q_EMIT self->progress(QStringLiteral("verifying the cleanup"));
        self->readCarriers(value, QString(), 0, {}, [self, finish](Result<QStringList> left) {
            if (!self)
                return;
            if (!left)
                return self->fail(left.error());
            finish(int(left->size()));
        });
    };
    auto remove = [self, value, cleanup, verify](const QStringList& keys) {
        cleanup->removed = int(keys.size());
        if (keys.isEmpty())
            return verify();
        Q_EMIT self->progress(QStringLiteral("removing \"%1\" from %2 profiles")
                                  .arg(value.value, QString::number(keys.size())));
        self->m_mixpanel.engage(value.engageBody(self->m_mixpanel.projectToken(), keys, false),
                                [self, verify](Status st) {
                                    if (!self)
                                        return;
                                    if (!st)
                                        return self->fail(st.error());
                                    verify();
                                });
    };
    if (!keys.isEmpty())
        return remove(keys);
    // A rehearsal read back from the workspace names no one (only counts are kept): the
    // profiles to clean are those that carry the value now. Reading them is the first
    // query; when none do, that read is the verification.
    Q_EMIT progress(QStringLiteral("finding the profiles that carry \"%1\"").arg(earlier.value));
    readCarriers(value, QString(), 0, {},
                 [self, remove, finish, cleanup](Result<QStringList> found) {
                     if (!self)
                         return;
                     if (!found)
                         return self->fail(found.error());
                     if (found->isEmpty())
                         return finish(0);
                     if (auto st = QueryBudget(self->m_ws, self->m_http, self->m_clock,
                                               self->m_options.queriesPerHour)
                                       .take(1, QStringLiteral("the cleanup's verification"));
                         !st)
                         return self->fail(st.error());
                     cleanup->queriesUsed = 2;
                     remove(*found);
                 });
}

} // namespace lockstep
