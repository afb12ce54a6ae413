#include "entrycheck.h"

#include "store/mappingrepository.h"
#include "store/mismatchrepository.h"
#include "trust/cohortvalue.h"
#include "trust/mixpanelprofile.h"
#include "trust/querybudget.h"
#include "util/sampling.h"

#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcSync)

namespace lockstep {

namespace {
const QString kVerified = QStringLiteral("verified");
const QString kSkipped = QStringLiteral("skipped");
const QString kFailed = QStringLiteral("failed");
const QString kDisabled = QStringLiteral("disabled");

QString percent(double share)
{
    return QString::number(share * 100.0, 'f', 1) + QStringLiteral(" %");
}
} // namespace

const QString EntryCheck::kPurpose = QStringLiteral("verifying the keys a sync entered");
const QString EntryCheck::kDeferredNote =
    QStringLiteral("to be verified with the other runs of the sync");

int EntryCheck::reserveFor(int perHour)
{
    // At 60 an hour: the cohort read-back after each sync (at most every 10 minutes by
    // default, so 6), a full resync's first listing page and an operator's spot check or
    // rehearsal. Runs of many mappings then cannot starve the checks that tell whether
    // the mirror can be trusted.
    return std::max(2, (perHour + 5) / 6);
}

EntryCheck::EntryCheck(Workspace& ws, RequestScheduler* http, const Clock* clock,
                       MixpanelClient& mixpanel, Mapping mapping, int sampleSize,
                       int queriesPerHour, QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_clock(clock), m_mixpanel(mixpanel),
      m_mapping(std::move(mapping)), m_sampleSize(std::clamp(sampleSize, 0, kMaxSample)),
      m_perHour(queriesPerHour)
{}

void EntryCheck::prepare(qint64 runId, const MemberSet& current,
                         const std::vector<uint32_t>* entered)
{
    m_runId = runId;
    m_prepared = true;

    // Unknown keys found by earlier runs stay reported while their people are members.
    MismatchRepository mismatches(m_ws);
    if (auto known = mismatches.unknownKeys(m_mapping.id); known) {
        QStringList gone;
        for (const QString& key : std::as_const(*known)) {
            const QByteArray k = key.toUtf8();
            if (!current.contains(std::string_view(k.constData(), size_t(k.size()))))
                gone.append(key);
        }
        if (auto st = mismatches.forgetUnknown(m_mapping.id, gone); !st)
            qCWarning(lcSync) << "could not forget unknown keys of mapping" << m_mapping.id
                              << st.error().toString();
    }

    const size_t n = entered ? entered->size() : current.size();
    m_result.entered = qint64(n);
    m_sample.runId = runId;
    m_sample.mapping = m_mapping;
    m_sample.entered = qint64(n);
    if (m_sampleSize <= 0 || n == 0)
        return;
    // In an order drawn from the run's id: the same run samples the same keys, and any
    // prefix is a random sample (FleetVerifier cuts samples to fit its queries).
    const std::vector<uint32_t> positions =
        sampleOrder(quint64(runId), uint32_t(n), uint32_t(std::min(n, size_t(m_sampleSize))));
    m_sample.keys.reserve(positions.size());
    for (uint32_t p : positions) {
        const size_t i = entered ? size_t((*entered)[p]) : size_t(p);
        const std::string_view key = current.key(i);
        EntrySample::Key s;
        s.key = QString::fromUtf8(key.data(), qsizetype(key.size()));
        s.member = IdentityResolver::identifiersOf(m_mapping.identity, key, current.extra(i));
        m_sample.keys.push_back(std::move(s));
    }
}

EntrySample EntryCheck::takeSample()
{
    m_ran = true;
    m_deferred = true;
    return std::exchange(m_sample, EntrySample{});
}

void EntryCheck::complete(const QString& status, const QString& note, const QString& message)
{
    m_result.status = status;
    m_result.note = note;
    m_note = message;
    m_running = false;
    if (auto done = std::exchange(m_done, {}))
        done();
}

void EntryCheck::skip(const QString& status, const QString& why, bool inMessage)
{
    complete(status, why, inMessage ? why : QString());
}

void EntryCheck::run(std::function<void()> done)
{
    m_done = std::move(done);
    m_ran = true;
    m_running = true;
    if (!m_mixpanel.canQuery())
        return skip(kSkipped,
                    QStringLiteral("no Mixpanel service account: entered keys were not verified"),
                    false);
    const int perHour = m_perHour;
    QueryBudget budget(m_ws, m_http, m_clock, perHour);
    const int left = budget.left();
    const int reserve = reserveFor(perHour);
    const QString& what = kPurpose;
    if (left <= reserve)
        return skip(kSkipped,
                    QStringLiteral("entered keys were not verified in Mixpanel: %1 of %2 queries "
                                   "left this hour, %3 are kept for read-backs and spot checks")
                        .arg(left)
                        .arg(perHour)
                        .arg(reserve),
                    true);
    if (auto st = budget.take(1, what); !st)
        return skip(kSkipped,
                    QStringLiteral("entered keys were not verified in Mixpanel: %1")
                        .arg(st.error().message),
                    true);

    MixpanelClient::ProfileQuery q;
    for (const EntrySample::Key& s : m_sample.keys)
        q.distinctIds.append(s.key);
    // In key order, so the query reads the same for the same sample.
    q.distinctIds.sort();
    // No output_properties: whether the product wrote anything to a profile is only told
    // by all of its properties (the mapping's property, checked for the value, among them).
    QPointer<EntryCheck> self(this);
    m_mixpanel.profiles(q, [self](Result<ProfilePage> page) {
        if (!self || !self->m_running)
            return;
        if (!page) {
            const SyncError& e = page.error();
            if (e.category == SyncError::Category::Cancelled)
                return self->skip(kSkipped,
                                  QStringLiteral("cancelled before the entered keys were verified"),
                                  true);
            if (MixpanelClient::isQueryBudgetSpent(e)) // not a failure of the check: no budget
                return self->skip(
                    kSkipped, QStringLiteral("entered keys were not verified: %1").arg(e.message),
                    true);
            qCWarning(lcSync) << "entry check of run" << self->m_runId << "failed:" << e.toString();
            return self->skip(
                kFailed,
                QStringLiteral("entered keys could not be verified in Mixpanel: %1").arg(e.message),
                true);
        }
        self->judge(*page);
    });
}

void EntryCheck::judge(const ProfilePage& page)
{
    // Every key asked fits one page: an answer that says there is more was not complete,
    // and missing profiles would be misread as unknown people.
    if (page.total > page.distinctIds.size() ||
        page.distinctIds.size() > qsizetype(m_sample.keys.size()))
        return skip(kFailed,
                    QStringLiteral("entered keys could not be verified in Mixpanel: it answered "
                                   "%1 of %2 profiles in one page")
                        .arg(page.distinctIds.size())
                        .arg(page.total),
                    true);
    QHash<QString, QJsonObject> profiles;
    for (qsizetype i = 0; i < page.distinctIds.size(); ++i)
        profiles.insert(page.distinctIds.at(i), page.properties.value(i));
    QSet<QString> own;
    QStringList prefixes;
    ownProperties(m_ws, m_mapping, &own, &prefixes);
    const EntryJudgement j = judge(m_mapping, m_sample.keys, profiles, own, prefixes);
    m_result.verified = int(j.checked.size());
    m_result.valueMissing = j.valueMissing;
    m_result.unknown = j.unknown;
    m_landedNone = j.landedNone;
    // Under Original ID Merge a key may be answered under its cluster's canonical id: such
    // a profile cannot be matched to the key asked, so say how far the count may be off.
    QSet<QString> asked(j.checked.begin(), j.checked.end());
    qsizetype foreign = 0;
    for (const QString& id : page.distinctIds)
        foreign += asked.contains(id) ? 0 : 1;
    const QString caveat = foreignCaveat(foreign);
    const qint64 mappingId = m_mapping.id;
    const qint64 runId = m_runId;
    auto job = [mappingId, runId, checked = j.checked, unknown = j.flagged](Workspace& ws) {
        return MismatchRepository(ws).recordVerified(mappingId, runId, checked, unknown);
    };
    if (!m_write)
        return judged(job(m_ws), caveat);
    QPointer<EntryCheck> self(this);
    m_write(std::move(job), [self, caveat](const Status& st) {
        if (self && self->m_running)
            self->judged(st, caveat);
    });
}

EntryJudgement EntryCheck::judge(const Mapping& mapping, const std::vector<EntrySample::Key>& keys,
                                 const QHash<QString, QJsonObject>& profiles,
                                 const QSet<QString>& own, const QStringList& ownPrefixes)
{
    const CohortValue value = CohortValue::forMapping(mapping);
    EntryJudgement j;
    int carrying = 0;
    for (const EntrySample::Key& s : keys) {
        j.checked.append(s.key);
        const auto it = profiles.constFind(s.key);
        // A profile that exists without the value: what was sent did not land (a token of
        // another project is answered 1 too), whoever the profile belongs to.
        const bool missing = it != profiles.cend() && !value.carriedBy(*it);
        carrying += it != profiles.cend() && !missing ? 1 : 0;
        if (it != profiles.cend() && !missing && !onlyLockstep(*it, own, ownPrefixes))
            continue;
        IdentityMismatch m;
        m.reason = missing ? MismatchReason::ValueMissing : MismatchReason::UnknownToMixpanel;
        j.valueMissing += missing ? 1 : 0;
        j.unknown += missing ? 0 : 1;
        m.cioId = s.member.cioId;
        m.personId = s.member.id;
        m.email = s.member.email;
        m.distinctId = s.key;
        j.flagged.append(m);
    }
    j.landedNone = carrying == 0;
    return j;
}

QString EntryCheck::foreignCaveat(qsizetype foreign)
{
    return foreign == 0 ? QString()
                        : QStringLiteral("%1 of Mixpanel's answers came under ids not asked for "
                                         "(ID merge?): up to as many unknown keys may be known")
                              .arg(foreign);
}

void EntryCheck::judged(const Status& recorded, const QString& caveat)
{
    if (!recorded) {
        qCWarning(lcSync) << "could not record the entry check of run" << m_runId
                          << recorded.error().toString();
        m_result.verified = 0;
        m_result.unknown = 0;
        return skip(kFailed,
                    QStringLiteral("the entry check could not be recorded: %1")
                        .arg(recorded.error().message),
                    true);
    }
    const QString note = verifiedNote(m_result, m_landedNone);
    // The numbers say it; a note is for skips, failures and caveats.
    complete(kVerified, caveat, caveat.isEmpty() ? note : note + QStringLiteral("; ") + caveat);
}

QString EntryCheck::verifiedNote(const EntryVerification& r, bool landedNone)
{
    QString found = QStringLiteral("%1 unknown to Mixpanel (%2)")
                        .arg(QString::number(r.unknown), percent(r.unknownShare()));
    if (r.valueMissing > 0)
        found += landedNone
                     ? tr("; none carries the value sent: the project token may write to another "
                          "project (or Mixpanel has not ingested the updates yet)")
                     : tr("; %n profile(s) without the value sent (value_missing)", nullptr,
                          r.valueMissing);
    return r.verified >= r.entered
               ? QStringLiteral("verified all %1 entered keys in Mixpanel: %2")
                     .arg(r.entered)
                     .arg(found)
               : QStringLiteral("verified %1 of %2 entered keys in Mixpanel: %3, about %4 of the "
                                "entered keys")
                     .arg(r.verified)
                     .arg(r.entered)
                     .arg(found)
                     .arg(r.estimatedUnknown());
}

EntryVerification EntryCheck::result(RunKind kind, RunStatus status) const
{
    EntryVerification v = m_result;
    if (kind == RunKind::DryRun) {
        v.status = kSkipped;
        v.note = QStringLiteral("dry run: nothing was sent, nothing was verified");
        return v;
    }
    if (!m_prepared)
        return {}; // the run ended before it was planned
    if (m_sampleSize <= 0) {
        v.status = kDisabled;
        v.note = QStringLiteral("entered keys are not verified (sample size 0)");
        return v;
    }
    if (!v.status.isEmpty())
        return v;
    v.status = kSkipped;
    if (m_deferred)
        v.note = kDeferredNote;
    else if (m_sample.keys.empty())
        v.note = QStringLiteral("no keys entered");
    else if (status != RunStatus::Succeeded)
        v.note = QStringLiteral("not every change was acknowledged: nothing was verified");
    else
        v.note = QStringLiteral("not verified");
    return v;
}

void EntryCheck::ownProperties(Workspace& ws, const Mapping& mapping, QSet<QString>* own,
                               QStringList* prefixes)
{
    // The one definition of what Lockstep writes (trust/mixpanelprofile.h); a workspace that
    // cannot list its mappings still knows this mapping's own property.
    auto all = LockstepProperties::ofWorkspace(ws, &mapping);
    const LockstepProperties p = all ? *all : LockstepProperties::of(QList<Mapping>{}, &mapping);
    *own = p.names();
    *prefixes = p.prefixes();
}

bool EntryCheck::onlyLockstep(const QJsonObject& properties, const QSet<QString>& own,
                              const QStringList& ownPrefixes)
{
    return !knownToMixpanel(&properties, LockstepProperties(own, ownPrefixes));
}

} // namespace lockstep
