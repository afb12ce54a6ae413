#include "holderlist.h"

#include "trust/querybudget.h"

#include <QPointer>

#include <algorithm>

namespace lockstep {

HolderList::HolderList(Workspace& ws, RequestScheduler* http, const Clock* clock,
                       MixpanelClient& mixpanel, const Mapping& mapping, int queriesPerHour,
                       QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_clock(clock), m_mixpanel(mixpanel),
      m_mapping(mapping), m_perHour(queriesPerHour)
{}

void HolderList::start(std::function<void(qint64)> listed, std::function<bool()> stopped,
                       std::function<void(const HolderListResult&)> done)
{
    m_listed = std::move(listed);
    m_stopped = std::move(stopped);
    m_done = std::move(done);
    query(QString(), 0);
}

void HolderList::giveUp(const QString& note)
{
    m_result.keys.clear();
    m_result.note = note;
    m_done(m_result);
}

void HolderList::query(const QString& sessionId, int page)
{
    // Every process on the workspace (runners, CLI, consoles; killed runs too) spends
    // the project's hourly query budget: each page is taken from the use recorded in the
    // workspace, so one run cannot spend what another needs and then wait an hour on
    // Mixpanel's 429.
    if (auto st = QueryBudget(m_ws, m_http, m_clock, m_perHour)
                      .take(1, QStringLiteral("listing the profiles holding the cohort"));
        !st)
        return giveUp(QStringLiteral("%1; strays were not removed").arg(st.error().message));
    m_listed(qint64(m_result.keys.size()));
    MixpanelClient::ProfileQuery q;
    const QString cohort = QString(m_mapping.cohortName)
                               .replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
                               .replace(QLatin1Char('"'), QStringLiteral("\\\""));
    if (m_mapping.mode == SyncMode::List) {
        const QString prop =
            QString(m_mapping.listProperty).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        q.where = QStringLiteral("\"%1\" in properties[\"%2\"]").arg(cohort, prop);
    } else {
        q.where = QStringLiteral("defined(properties[\"%1\"])").arg(cohort);
    }
    q.outputProperties = {m_mapping.mode == SyncMode::List ? m_mapping.listProperty
                                                           : m_mapping.cohortName};
    q.sessionId = sessionId;
    q.page = page;
    QPointer<HolderList> self(this);
    m_mixpanel.profiles(q, [self, page](Result<ProfilePage> p) {
        if (!self)
            return;
        if (self->m_stopped())
            return self->giveUp(QStringLiteral("stopped"));
        if (!p) {
            // Removing strays is a bonus of a full resync; the resend still happens.
            return self->giveUp(QStringLiteral("could not list the profiles holding the cohort in "
                                               "Mixpanel (%1); strays were not removed")
                                    .arg(p.error().message));
        }
        for (const QString& id : p->distinctIds) {
            const QByteArray k = id.toUtf8();
            self->m_result.keys.emplace_back(k.constData(), size_t(k.size()));
        }
        const int pageSize = std::max(1, p->pageSize);
        if (p->distinctIds.size() < pageSize)
            return self->m_done(self->m_result);
        if (page == 0) {
            // Ask for every page only if the hour's budget covers them all.
            const qint64 pages = (p->total + pageSize - 1) / pageSize;
            const int left =
                QueryBudget(self->m_ws, self->m_http, self->m_clock, self->m_perHour).left();
            if (left >= 0 && pages - 1 > left)
                return self->giveUp(
                    QStringLiteral("listing the %1 profiles holding the cohort needs %2 "
                                   "queries and %3 are left this hour; strays were not removed")
                        .arg(p->total)
                        .arg(pages)
                        .arg(left));
        }
        self->query(p->sessionId, page + 1);
    });
}

} // namespace lockstep
