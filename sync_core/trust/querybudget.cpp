#include "querybudget.h"

#include "api/mixpanelclient.h"
#include "truststore.h"
#include "util/clock.h"

#include <QDateTime>

#include <algorithm>

namespace lockstep {

QueryBudget::QueryBudget(Workspace& ws, const RequestScheduler* http, const Clock* clock,
                         int perHour)
    : m_ws(ws), m_http(http), m_clock(clock), m_perHour(perHour)
{}

int QueryBudget::perHourFromEnvironment()
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue("LOCKSTEP_QUERY_PER_HOUR", &ok);
    return ok && v >= 1 && v <= kDefaultPerHour ? v : kDefaultPerHour;
}

int QueryBudget::left() const
{
    int left = m_perHour;
    if (m_http) {
        const int scheduler =
            m_http->queriesLeftThisHour(QString::fromLatin1(MixpanelClient::kQueryKey));
        if (scheduler >= 0)
            left = std::min(left, scheduler);
    }
    // A storage error leaves the scheduler's figure: the check still cannot overspend
    // what this process knows about.
    if (auto used = TrustStore(m_ws).queriesSince(m_clock->nowMs() - kHourMs); used)
        left = std::min(left, m_perHour - int(used->size()));
    return std::max(0, left);
}

qint64 QueryBudget::nextFreeAtMs() const
{
    if (left() > 0)
        return 0;
    qint64 at = 0;
    if (m_http)
        at = m_http->budgetFreesAtMs(QString::fromLatin1(MixpanelClient::kQueryKey));
    if (auto used = TrustStore(m_ws).queriesSince(m_clock->nowMs() - kHourMs);
        used && !used->isEmpty()) {
        // The recorded use frees up when enough of it leaves the window.
        const int over = int(used->size()) - m_perHour; // >= 0 when exhausted by records
        if (over >= 0)
            at = std::max(at, used->at(std::min(over, int(used->size()) - 1)) + kHourMs);
    }
    return at;
}

Status QueryBudget::take(int count, const QString& what)
{
    const int now = left();
    if (now < count) {
        const qint64 at = nextFreeAtMs();
        const QString when =
            at > 0 ? QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("HH:mm"))
                   : QStringLiteral("soon");
        return SyncError::make(SyncError::Category::RateLimited,
                               QStringLiteral("the Mixpanel query budget is used up: %1 needs %2 "
                                              "quer%3, %4 of %5 left this hour (next one frees up "
                                              "at %6); try again later")
                                   .arg(what, QString::number(count),
                                        count == 1 ? QStringLiteral("y") : QStringLiteral("ies"),
                                        QString::number(now), QString::number(m_perHour), when));
    }
    return TrustStore(m_ws).recordQueries(m_clock->nowMs(), count, what);
}

Status QueryBudget::markSpent()
{
    // kDefaultPerHour, not m_perHour: a process allowed more than this one must stop too.
    return TrustStore(m_ws).recordQueries(
        m_clock->nowMs(), kDefaultPerHour,
        QStringLiteral(
            "Mixpanel answered 429 without Retry-After: the hour's query budget is spent"));
}

void QueryBudget::watch(RequestScheduler* http, Workspace* ws, const Clock* clock)
{
    http->setOnQuotaSpent([http, ws, clock](const QString& key) {
        if (key != QLatin1String(MixpanelClient::kQueryKey))
            return;
        if (auto st = QueryBudget(*ws, http, clock).markSpent(); !st)
            qWarning("could not record the spent Mixpanel query budget: %s",
                     qPrintable(st.error().message));
    });
}

} // namespace lockstep
