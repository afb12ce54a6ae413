#include "exitcheck.h"

#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcSync) // mappingrun.cpp

namespace lockstep {

namespace {
QString percent(double share)
{
    return QString::number(share * 100.0, 'f', share < 0.01 ? 2 : 1) + QStringLiteral(" %");
}
} // namespace

QString ExitCheckResult::extentName(Extent e)
{
    switch (e) {
    case Extent::None:
        break;
    case Extent::All:
        return QStringLiteral("all");
    case Extent::Sample:
        return QStringLiteral("sample");
    case Extent::Cap:
        return QStringLiteral("cap");
    case Extent::Stopped:
        return QStringLiteral("stopped");
    }
    return {};
}

QString ExitCheckResult::summary(bool recorded) const
{
    QStringList parts;
    if (vanished > 0)
        parts << QStringLiteral(
                     "%1 of %2 exits looked up in Customer.io no longer exist there (merged away "
                     "or deleted)%3")
                     .arg(QString::number(vanished), QString::number(checked),
                          recorded ? QStringLiteral("; recorded as vanished_after_merge")
                                   : QString());
    if (error.isError())
        parts
            << QStringLiteral(
                   "the exit check stopped after %1 of %2 exits (%3); the exits were sent as usual")
                   .arg(QString::number(checked), QString::number(exits), error.message);
    else if (checked == 0 && extent == Extent::Sample)
        parts << QStringLiteral("none of the %1 exits were looked up (the Customer.io key was busy "
                                "with other mappings and the exit check sample is 0)")
                     .arg(exits);
    else if (checked < exits && checked > 0) {
        const ShareEstimate e = estimate();
        parts << QStringLiteral("%1 of %2 exits were not looked up (%3): the random %4 checked "
                                "estimate %5 \u00b1 %6 of the exits merged away or deleted (95 % "
                                "interval %7 to %8), about %9 of %2")
                     .arg(QString::number(exits - checked), QString::number(exits),
                          extent == Extent::Sample
                              ? QStringLiteral("the Customer.io key was busy with other mappings")
                              : QStringLiteral("over the exit check cap"),
                          QString::number(checked), percent(e.share), percent(e.margin()),
                          percent(e.low), percent(e.high), QString::number(e.estimatedHits()));
    }
    return parts.join(QStringLiteral("; "));
}

ExitCheck::ExitCheck(CustomerIoClient& cio, IdentityKey identity, QObject* parent)
    : QObject(parent), m_cio(cio), m_identity(identity)
{}

void ExitCheck::start(const MemberSet& previous, const std::vector<uint32_t>& exited,
                      ExitCheckPlan plan, std::function<void(const ExitCheckResult&)> done)
{
    const uint32_t n = uint32_t(std::min(exited.size(), size_t(UINT32_MAX)));
    const std::vector<uint32_t> order =
        sampleOrder(plan.seed, n, uint32_t(std::clamp(plan.limit, 0, int(n))));
    m_keys.clear();
    m_keys.reserve(qsizetype(order.size()));
    for (uint32_t i : order) {
        const std::string_view k = previous.key(exited[i]);
        m_keys.append(QString::fromUtf8(k.data(), qsizetype(k.size())));
    }
    m_plan = std::move(plan);
    m_at = 0;
    m_sampled = false;
    m_result = ExitCheckResult();
    m_result.exits = qint64(exited.size());
    m_done = std::move(done);
    m_running = true;
    next();
}

void ExitCheck::next()
{
    while (m_outstanding < kQueued && m_at < m_keys.size() && !m_result.error.isError()) {
        // The sample is out: the rest only while nobody else waits for the key (a lookup
        // request, like a page, is one of the key's 10 a second).
        if (m_at >= m_plan.sample && m_plan.contended && m_plan.contended()) {
            m_keys.resize(m_at);
            m_sampled = true;
            break;
        }
        const QStringList asked = m_keys.mid(m_at, CustomerIoClient::kMaxLookupIds);
        m_at += asked.size();
        ++m_outstanding;
        QPointer<ExitCheck> self(this);
        m_cio.existingCustomers(m_identity, asked, [self, asked](Result<QSet<QString>> found) {
            if (self)
                self->onReply(asked, found);
        });
    }
    if (m_outstanding > 0 || !m_running)
        return;
    m_running = false;
    using E = ExitCheckResult::Extent;
    if (m_result.error.isError())
        m_result.extent = E::Stopped;
    else if (m_result.checked >= m_result.exits)
        m_result.extent = E::All;
    else if (m_sampled)
        m_result.extent = E::Sample;
    else
        m_result.extent = m_result.checked > 0 ? E::Cap : E::None;
    qCInfo(lcSync) << "checked" << m_result.checked << "of" << m_result.exits
                   << "exits:" << m_result.vanished << "vanished"
                   << ExitCheckResult::extentName(m_result.extent);
    if (m_done)
        m_done(m_result);
}

void ExitCheck::onReply(const QStringList& asked, const Result<QSet<QString>>& found)
{
    --m_outstanding;
    if (!found) {
        // A lookup that failed after the scheduler's retries: stop asking, and say so.
        // What was learnt from the other lookups stands.
        if (!m_result.error.isError()) {
            qCWarning(lcSync) << "exit check stopped:" << found.error().toString();
            m_result.error = found.error();
        }
        return next();
    }
    m_result.checked += asked.size();
    for (const QString& key : asked) {
        if (found->contains(key))
            continue;
        ++m_result.vanished;
        m_result.mismatches.append(mismatchFor(key));
    }
    next();
}

IdentityMismatch ExitCheck::mismatchFor(const QString& key) const
{
    // The snapshot keeps the key only: it is the one identifier known.
    IdentityMismatch m;
    m.reason = MismatchReason::VanishedAfterMerge;
    m.distinctId = key;
    switch (m_identity) {
    case IdentityKey::CioId:
        m.cioId = key;
        break;
    case IdentityKey::Email:
        m.email = key;
        break;
    case IdentityKey::Id:
        m.personId = key;
        break;
    }
    return m;
}

} // namespace lockstep
