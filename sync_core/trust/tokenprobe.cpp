#include "tokenprobe.h"

#include "querybudget.h"
#include "util/clock.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>

#include <algorithm>

Q_LOGGING_CATEGORY(lcTokenProbe, "lockstep.trust.token")

namespace lockstep {

namespace {
const QString kProperty = QStringLiteral("lockstep_probe");

QString randomHex(int words)
{
    QString out;
    for (int i = 0; i < words; ++i)
        out += QStringLiteral("%1").arg(QRandomGenerator::system()->generate(), 8, 16,
                                        QLatin1Char('0'));
    return out;
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1);
}

bool refused(const SyncError& e)
{
    return e.category == SyncError::Category::Auth;
}
} // namespace

QString TokenProbeResult::outcomeName(Outcome o)
{
    switch (o) {
    case Outcome::Proven:
        return QStringLiteral("proven");
    case Outcome::WrongProject:
        return QStringLiteral("wrong_project");
    case Outcome::CannotProve:
        return QStringLiteral("cannot_prove");
    case Outcome::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("failed");
}

TokenProbeOptions TokenProbeOptions::fromEnvironment()
{
    TokenProbeOptions o;
    bool ok = false;
    const int delay = qEnvironmentVariableIntValue("LOCKSTEP_TOKEN_PROBE_DELAY_MS", &ok);
    if (ok && delay >= 0 && delay <= 600000)
        o.firstDelayMs = delay;
    return o;
}

qint64 TokenProbeOptions::maxWaitMs() const
{
    qint64 total = 0;
    qint64 delay = firstDelayMs;
    for (int i = 0; i < std::clamp(maxReads, 1, kMaxReads); ++i, delay *= kBackoffFactor)
        total += delay;
    return total;
}

TokenProbe::TokenProbe(RequestScheduler* http, MixpanelEndpoints endpoints, QueryBudget* budget,
                       const Clock* clock, TokenProbeOptions options, QObject* parent)
    : QObject(parent), m_http(http), m_ep(std::move(endpoints)), m_mixpanel(http, m_ep),
      m_budget(budget), m_clock(clock), m_options(options)
{
    m_options.maxReads = std::clamp(m_options.maxReads, 1, TokenProbeOptions::kMaxReads);
    m_options.firstDelayMs = std::max(0, m_options.firstDelayMs);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &TokenProbe::read);
}

TokenProbe::~TokenProbe() = default;

QString TokenProbe::fingerprint(const QString& token, qint64 projectId)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData("lockstep token probe\n");
    h.addData(token.toUtf8());
    h.addData("\n");
    h.addData(QByteArray::number(projectId));
    return QString::fromLatin1(h.result().toHex());
}

QString TokenProbe::distinctIdPrefix()
{
    return QStringLiteral("lockstep-probe-");
}

void TokenProbe::start(std::function<void(TokenProbeResult)> done)
{
    m_done = std::move(done);
    m_result = {};
    m_reads = 0;
    using O = TokenProbeResult::Outcome;
    if (m_ep.projectToken.isEmpty())
        return finish(
            O::Failed, tr("no Mixpanel project token: set LOCKSTEP_MIXPANEL_PROJECT_TOKEN"),
            SyncError::make(SyncError::Category::Config, QStringLiteral("no project token")));
    if (m_ep.projectId <= 0)
        return finish(O::CannotProve,
                      tr("cannot prove that the project token writes to the project: no Mixpanel "
                         "project id is set (lockstep connect --project-id N)"));
    if (m_ep.serviceAccount.isEmpty())
        return finish(O::CannotProve,
                      tr("cannot prove that the project token writes to project %1: reading back "
                         "needs a service account (set LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT)")
                          .arg(m_ep.projectId));
    // Nothing is written unless it can be read back at least once.
    if (m_budget && m_budget->left() < 1)
        return finish(
            O::CannotProve,
            tr("cannot prove that the project token writes to project %1 now: %2. This "
               "is not a failure of the token; it is probed again on the next sync")
                .arg(QString::number(m_ep.projectId),
                     m_budget->take(1, QStringLiteral("the token probe")).error().message));
    write();
}

void TokenProbe::write()
{
    m_result.distinctId = distinctIdPrefix() + randomHex(2);
    m_value = randomHex(4);
    const QJsonArray body{QJsonObject{{QStringLiteral("$token"), m_ep.projectToken},
                                      {QStringLiteral("$distinct_id"), m_result.distinctId},
                                      {QStringLiteral("$ignore_time"), true},
                                      {QStringLiteral("$set"), QJsonObject{{kProperty, m_value}}}}};
    qCInfo(lcTokenProbe) << "probing the project token with profile" << m_result.distinctId;
    QPointer<TokenProbe> self(this);
    m_mixpanel.engage(QJsonDocument(body).toJson(QJsonDocument::Compact), [self](Status st) {
        if (!self)
            return;
        using O = TokenProbeResult::Outcome;
        if (!st) {
            const SyncError& e = st.error();
            self->m_result.distinctId.clear(); // nothing was written: nothing to clean up
            // Some gateways do refuse an unknown token outright: that is the same finding.
            if (refused(e))
                return self->finish(O::WrongProject,
                                    tr("the project token does not write to project %1 (%2)")
                                        .arg(QString::number(self->m_ep.projectId), e.message),
                                    e);
            return self->finish(
                O::Failed, tr("the token probe could not write to Mixpanel: %1").arg(e.message), e);
        }
        self->m_writtenAtMs = self->m_clock->nowMs();
        self->m_nextDelayMs = self->m_options.firstDelayMs;
        self->scheduleRead();
    });
}

void TokenProbe::scheduleRead()
{
    m_timer.start(m_nextDelayMs);
    m_nextDelayMs =
        int(std::min<qint64>(qint64(m_nextDelayMs) * TokenProbeOptions::kBackoffFactor, 600000));
}

void TokenProbe::read()
{
    using O = TokenProbeResult::Outcome;
    if (m_budget) {
        if (auto st = m_budget->take(1, QStringLiteral("the token probe")); !st) {
            m_result.waitedMs = m_clock->nowMs() - m_writtenAtMs;
            const QString budget = st.error().message;
            if (m_reads == 0)
                return finish(O::CannotProve,
                              tr("cannot prove that the project token writes to project %1 now: "
                                 "%2. This is not a failure of the token; it is probed again on "
                                 "the next sync")
                                  .arg(QString::number(m_ep.projectId), budget));
            return finish(
                O::CannotProve,
                tr("the probe value was not read back from project %1 over %2 s (reads: "
                   "%n), and %3. Not proven, not disproven: this is not a failure of "
                   "the token",
                   nullptr, m_reads)
                    .arg(QString::number(m_ep.projectId), seconds(m_result.waitedMs), budget));
        }
    }
    ++m_reads;
    ++m_result.queriesUsed;
    MixpanelClient::ProfileQuery q;
    q.distinctIds = {m_result.distinctId};
    q.outputProperties = {kProperty};
    QPointer<TokenProbe> self(this);
    m_mixpanel.profiles(q, [self](Result<ProfilePage> page) {
        if (!self)
            return;
        TokenProbe& p = *self;
        p.m_result.waitedMs = p.m_clock->nowMs() - p.m_writtenAtMs;
        if (!page)
            return p.finish(O::Failed,
                            tr("the token probe could not read back from project %1: %2")
                                .arg(QString::number(p.m_ep.projectId), page.error().message),
                            page.error());
        for (qsizetype i = 0; i < page->distinctIds.size(); ++i) {
            if (page->distinctIds.at(i) != p.m_result.distinctId)
                continue;
            if (page->properties.value(i).value(kProperty).toString() == p.m_value)
                return p.finish(
                    O::Proven,
                    tr("the project token writes to project %1 (read back after %2 "
                       "s; queries used: %n)",
                       nullptr, p.m_result.queriesUsed)
                        .arg(QString::number(p.m_ep.projectId), seconds(p.m_result.waitedMs)));
        }
        if (p.m_reads < p.m_options.maxReads)
            return p.scheduleRead();
        p.finish(O::WrongProject,
                 tr("the project token does not write to project %1 (waited %2 s)")
                     .arg(QString::number(p.m_ep.projectId), seconds(p.m_result.waitedMs)));
    });
}

void TokenProbe::finish(TokenProbeResult::Outcome outcome, const QString& message,
                        const SyncError& error)
{
    m_timer.stop();
    m_result.outcome = outcome;
    m_result.message = message;
    m_result.error = error;
    qCInfo(lcTokenProbe) << "token probe:" << TokenProbeResult::outcomeName(outcome) << message;
    cleanUp();
}

void TokenProbe::cleanUp()
{
    if (m_result.distinctId.isEmpty())
        return complete();
    // Sent with the same token, so it reaches wherever the write went (another project's
    // profile is removed there too, once Mixpanel has matched the token).
    const QJsonArray body{QJsonObject{{QStringLiteral("$token"), m_ep.projectToken},
                                      {QStringLiteral("$distinct_id"), m_result.distinctId},
                                      {QStringLiteral("$ignore_time"), true},
                                      {QStringLiteral("$delete"), QString()}}};
    QPointer<TokenProbe> self(this);
    m_mixpanel.engage(QJsonDocument(body).toJson(QJsonDocument::Compact), [self](Status st) {
        if (!self)
            return;
        self->m_result.deleted = st.ok();
        if (!st)
            self->m_result.message += tr("; the throwaway profile %1 could not be deleted: %2")
                                          .arg(self->m_result.distinctId, st.error().message);
        self->complete();
    });
}

void TokenProbe::complete()
{
    if (auto done = std::exchange(m_done, {}))
        done(m_result);
}

} // namespace lockstep
