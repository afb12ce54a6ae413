#include "fleetverifier.h"

#include "store/mismatchrepository.h"
#include "trust/querybudget.h"
#include "trust/truststore.h"
#include "util/clock.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSet>

#include <algorithm>
#include <numeric>

Q_DECLARE_LOGGING_CATEGORY(lcSync)

namespace lockstep {

namespace {
const QString kVerified = QStringLiteral("verified");
const QString kSkipped = QStringLiteral("skipped");
const QString kFailed = QStringLiteral("failed");
} // namespace

FleetVerifier::FleetVerifier(Workspace& ws, RequestScheduler* http, const Clock* clock,
                             const MixpanelEndpoints& endpoints, int projectPerHour,
                             int verifyPerHour, QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_clock(clock), m_mixpanel(http, endpoints),
      m_projectPerHour(projectPerHour), m_verifyPerHour(std::max(0, verifyPerHour))
{}

void FleetVerifier::add(EntrySample sample)
{
    if (!sample.keys.empty())
        m_samples.push_back(std::move(sample));
}

int FleetVerifier::allowance(int verifyLeft, int projectLeft, int reserve)
{
    const int half = (std::max(0, verifyLeft) + 1) / 2;
    return std::max(0, std::min(half, projectLeft - reserve));
}

std::vector<int> FleetVerifier::fairShares(const std::vector<int>& wants, int capacity)
{
    std::vector<int> out(wants.size(), 0);
    const qint64 total = std::accumulate(wants.begin(), wants.end(), qint64(0));
    if (total <= capacity) {
        for (size_t i = 0; i < wants.size(); ++i)
            out[i] = std::max(0, wants[i]);
        return out;
    }
    // Water-filling: the smallest wants are met in full, the rest share what is left.
    std::vector<size_t> order(wants.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&wants](size_t a, size_t b) { return wants[a] < wants[b]; });
    int left = std::max(0, capacity);
    size_t remaining = wants.size();
    for (size_t k = 0; k < order.size(); ++k, --remaining) {
        const int level = left / int(remaining);
        const size_t i = order[k];
        if (wants[i] <= level) {
            out[i] = std::max(0, wants[i]);
            left -= out[i];
            continue;
        }
        // Every larger want gets the level; the remainder, one each, to the first ones.
        int extra = left - level * int(remaining);
        std::vector<size_t> rest(order.begin() + qsizetype(k), order.end());
        std::sort(rest.begin(), rest.end());
        for (size_t j : rest) {
            out[j] = level + (extra > 0 ? 1 : 0);
            extra -= extra > 0 ? 1 : 0;
        }
        break;
    }
    return out;
}

void FleetVerifier::verdictsForAll(const QString& status, const QString& message)
{
    for (const EntrySample& s : m_asked) {
        FleetVerdict& v = m_verdicts[s.runId];
        v.verification.status = status;
        v.verification.entered = s.entered;
        v.verification.note = message;
        v.verification.batch = m_batch;
        v.message = message;
    }
}

void FleetVerifier::run(const QList<qint64>& runIds, Done done)
{
    m_done = std::move(done);
    m_verdicts.clear();
    m_batch = VerificationBatch();
    m_batch.perHour = m_verifyPerHour;
    const QSet<qint64> wanted(runIds.begin(), runIds.end());
    m_asked.clear();
    for (EntrySample& s : m_samples)
        if (wanted.contains(s.runId))
            m_asked.push_back(std::move(s));
    m_samples.clear();
    m_chunks.clear();
    m_chunkOf.clear();
    m_profiles.clear();
    m_chunkErrors.clear();
    m_foreign.clear();
    if (m_asked.empty())
        return finish();

    auto used = TrustStore(m_ws).queriesSince(m_clock->nowMs() - QueryBudget::kHourMs,
                                              EntryCheck::kPurpose);
    m_batch.usedThisHour = used ? int(used->size()) : 0;
    const int verifyLeft = m_verifyPerHour - m_batch.usedThisHour;
    QueryBudget budget(m_ws, m_http, m_clock, m_projectPerHour);
    const int projectLeft = budget.left();
    const int reserve = EntryCheck::reserveFor(m_projectPerHour);
    const int queries = allowance(verifyLeft, projectLeft, reserve);
    if (queries <= 0) {
        const QString why =
            m_verifyPerHour == 0
                ? QStringLiteral("entered keys are not verified (verify_queries_per_hour is 0)")
            : verifyLeft <= 0
                ? QStringLiteral("entered keys were not verified in Mixpanel: the %1 verification "
                                 "queries an hour (verify_queries_per_hour) are spent")
                      .arg(m_verifyPerHour)
                : QStringLiteral("entered keys were not verified in Mixpanel: %1 of %2 queries "
                                 "left this hour, %3 are kept for read-backs and spot checks")
                      .arg(projectLeft)
                      .arg(m_projectPerHour)
                      .arg(reserve);
        m_batch.note = why;
        verdictsForAll(kSkipped, why);
        return finish();
    }

    // Each sample is in random order: its first `share` keys are a random sample too.
    std::vector<int> wants;
    qint64 sampled = 0;
    for (const EntrySample& s : m_asked) {
        wants.push_back(int(s.keys.size()));
        sampled += qint64(s.keys.size());
    }
    const std::vector<int> shares = fairShares(wants, queries * kKeysPerQuery);
    QSet<QString> distinct;
    for (size_t i = 0; i < m_asked.size(); ++i) {
        m_asked[i].keys.resize(size_t(shares[i]));
        for (const EntrySample::Key& k : m_asked[i].keys)
            distinct.insert(k.key);
    }
    QStringList keys(distinct.begin(), distinct.end());
    keys.sort(); // the same samples read as the same queries
    for (qsizetype at = 0; at < keys.size(); at += kKeysPerQuery) {
        const QStringList chunk = keys.mid(at, kKeysPerQuery);
        for (const QString& k : chunk)
            m_chunkOf.insert(k, int(m_chunks.size()));
        m_chunks.append(chunk);
    }
    m_batch.runs = int(m_asked.size());
    m_batch.keys = int(keys.size());
    const qint64 asked = std::accumulate(shares.begin(), shares.end(), qint64(0));
    if (asked < sampled)
        m_batch.note = QStringLiteral("%1 of the %2 keys sampled were asked: %3 of the %4 "
                                      "verification queries this hour were left")
                           .arg(asked)
                           .arg(sampled)
                           .arg(std::max(0, verifyLeft))
                           .arg(m_verifyPerHour);
    if (auto st = budget.take(int(m_chunks.size()), EntryCheck::kPurpose); !st) {
        verdictsForAll(kSkipped, QStringLiteral("entered keys were not verified in Mixpanel: %1")
                                     .arg(st.error().message));
        return finish();
    }
    m_batch.queries = int(m_chunks.size());
    m_batch.usedThisHour += m_batch.queries;
    qCInfo(lcSync) << "verifying" << keys.size() << "entered keys of" << m_asked.size() << "runs in"
                   << m_chunks.size() << "queries";
    m_chunkErrors = QList<SyncError>(m_chunks.size());
    m_foreign = QList<qsizetype>(m_chunks.size(), 0);
    m_outstanding = int(m_chunks.size());
    for (int c = 0; c < m_chunks.size(); ++c)
        ask(c);
}

void FleetVerifier::ask(int chunk)
{
    MixpanelClient::ProfileQuery q;
    q.distinctIds = m_chunks.at(chunk);
    // No output_properties: whether the product wrote anything to a profile is only told
    // by all of its properties.
    QPointer<FleetVerifier> self(this);
    m_mixpanel.profiles(q, [self, chunk](Result<ProfilePage> page) {
        if (!self)
            return;
        const QStringList& asked = self->m_chunks.at(chunk);
        if (!page) {
            self->m_chunkErrors[chunk] = page.error();
        } else if (page->total > page->distinctIds.size() ||
                   page->distinctIds.size() > asked.size()) {
            // Every key asked fits one page: an answer that says there is more was not
            // complete, and missing profiles would be misread as unknown people.
            self->m_chunkErrors[chunk] =
                SyncError::make(SyncError::Category::Protocol,
                                QStringLiteral("it answered %1 of %2 profiles in one page")
                                    .arg(page->distinctIds.size())
                                    .arg(page->total));
        } else {
            const QSet<QString> askedSet(asked.begin(), asked.end());
            for (qsizetype i = 0; i < page->distinctIds.size(); ++i) {
                const QString& id = page->distinctIds.at(i);
                if (!askedSet.contains(id))
                    ++self->m_foreign[chunk];
                self->m_profiles.insert(id, page->properties.value(i));
            }
        }
        if (--self->m_outstanding == 0)
            self->finish();
    });
}

void FleetVerifier::finish()
{
    if (!m_chunks.isEmpty()) {
        QSet<QString> own;
        QStringList prefixes;
        bool ownRead = false;
        for (const EntrySample& s : m_asked) {
            FleetVerdict& v = m_verdicts[s.runId];
            v.verification.entered = s.entered;
            v.verification.batch = m_batch;
            SyncError error;
            qsizetype foreign = 0;
            QSet<int> chunks;
            for (const EntrySample::Key& k : s.keys)
                chunks.insert(m_chunkOf.value(k.key));
            v.queries = int(chunks.size());
            for (int c : std::as_const(chunks)) {
                if (m_chunkErrors.at(c).isError() && !error.isError())
                    error = m_chunkErrors.at(c);
                foreign += m_foreign.at(c);
            }
            if (error.isError()) {
                const bool noBudget = error.category == SyncError::Category::Cancelled ||
                                      MixpanelClient::isQueryBudgetSpent(error);
                v.verification.status = noBudget ? kSkipped : kFailed;
                v.message =
                    noBudget
                        ? QStringLiteral("entered keys were not verified: %1").arg(error.message)
                        : QStringLiteral("entered keys could not be verified in "
                                         "Mixpanel: %1")
                              .arg(error.message);
                v.verification.note = v.message;
                continue;
            }
            if (!ownRead) {
                EntryCheck::ownProperties(m_ws, s.mapping, &own, &prefixes);
                ownRead = true;
            }
            const EntryJudgement j =
                EntryCheck::judge(s.mapping, s.keys, m_profiles, own, prefixes);
            if (auto st = MismatchRepository(m_ws).recordVerified(s.mapping.id, s.runId, j.checked,
                                                                  j.flagged);
                !st) {
                qCWarning(lcSync) << "could not record the entry check of run" << s.runId
                                  << st.error().toString();
                v.verification.status = kFailed;
                v.message = QStringLiteral("the entry check could not be recorded: %1")
                                .arg(st.error().message);
                v.verification.note = v.message;
                continue;
            }
            v.verification.status = kVerified;
            v.verification.verified = int(j.checked.size());
            v.verification.unknown = j.unknown;
            v.verification.valueMissing = j.valueMissing;
            const QString caveat = EntryCheck::foreignCaveat(foreign);
            v.verification.note = caveat;
            v.message = EntryCheck::verifiedNote(v.verification, j.landedNone);
            if (!caveat.isEmpty())
                v.message += QStringLiteral("; ") + caveat;
        }
    }
    m_asked.clear();
    m_chunks.clear();
    m_chunkOf.clear();
    m_profiles.clear();
    QPointer<FleetVerifier> self(this);
    // Always later: a caller that starts a verification never hears back inside run().
    QMetaObject::invokeMethod(
        this,
        [self] {
            if (!self)
                return;
            if (auto done = std::exchange(self->m_done, {}))
                done(self->m_verdicts, self->m_batch);
        },
        Qt::QueuedConnection);
}

} // namespace lockstep
