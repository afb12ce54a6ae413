#include "exitcheck.h"

#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcSync) // mappingrun.cpp

namespace lockstep {

QString ExitCheckResult::summary(bool recorded) const
{
    QStringList parts;
    if (vanished > 0)
        parts << QStringLiteral(
                     "%1 of %2 exits looked up in Customer.io no longer exist there (merged away "
                     "or deleted)%3")
                     .arg(vanished)
                     .arg(checked)
                     .arg(recorded ? QStringLiteral("; recorded as vanished_after_merge")
                                   : QString());
    if (error.isError())
        parts
            << QStringLiteral(
                   "the exit check stopped after %1 of %2 exits (%3); the exits were sent as usual")
                   .arg(checked)
                   .arg(exits)
                   .arg(error.message);
    else if (checked < exits && checked > 0)
        parts << QStringLiteral("%1 of %2 exits were not looked up (over the exit check cap)")
                     .arg(exits - checked)
                     .arg(exits);
    return parts.join(QStringLiteral("; "));
}

ExitCheck::ExitCheck(CustomerIoClient& cio, IdentityKey identity, QObject* parent)
    : QObject(parent), m_cio(cio), m_identity(identity)
{}

void ExitCheck::start(const MemberSet& previous, const std::vector<uint32_t>& exited, int limit,
                      std::function<void(const ExitCheckResult&)> done)
{
    const size_t n = std::min(exited.size(), size_t(std::max(0, limit)));
    m_keys.clear();
    m_keys.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i) {
        const std::string_view k = previous.key(exited[i]);
        m_keys.append(QString::fromUtf8(k.data(), qsizetype(k.size())));
    }
    m_at = 0;
    m_result = ExitCheckResult();
    m_result.exits = qint64(exited.size());
    m_done = std::move(done);
    m_running = true;
    next();
}

void ExitCheck::next()
{
    while (m_outstanding < kQueued && m_at < m_keys.size() && !m_result.error.isError()) {
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
    qCInfo(lcSync) << "checked" << m_result.checked << "of" << m_result.exits
                   << "exits:" << m_result.vanished << "vanished";
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
