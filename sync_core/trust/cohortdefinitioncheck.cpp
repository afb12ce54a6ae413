#include "cohortdefinitioncheck.h"

#include "querybudget.h"
#include "truststore.h"

#include <QJsonArray>
#include <QPointer>

namespace lockstep {

namespace {
QString squeezed(const QString& s)
{
    return s.simplified().toLower();
}
} // namespace

QJsonObject CohortDefinitionResult::toJson() const
{
    return QJsonObject{{QStringLiteral("mapping_id"), mappingId},
                       {QStringLiteral("found"), found},
                       {QStringLiteral("cohort_id"), cohortId},
                       {QStringLiteral("count"), count},
                       {QStringLiteral("similar"), QJsonArray::fromStringList(similar)},
                       {QStringLiteral("queries_left_this_hour"), queriesLeft}};
}

CohortDefinitionCheck::CohortDefinitionCheck(Workspace& ws, RequestScheduler* http,
                                             const ServiceConfig& services, const Clock* clock,
                                             Mapping mapping, int queriesPerHour, QObject* parent)
    : QObject(parent), m_ws(ws), m_http(http), m_mixpanel(http, services.mixpanel),
      m_canQuery(!services.mixpanel.serviceAccount.isEmpty() && services.mixpanel.projectId > 0),
      m_clock(clock), m_mapping(std::move(mapping)), m_perHour(queriesPerHour)
{}

void CohortDefinitionCheck::start()
{
    if (!m_canQuery)
        return Q_EMIT failed(
            SyncError::make(SyncError::Category::Config,
                            QStringLiteral("checking the cohort definition needs the Mixpanel "
                                           "query API: set LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT "
                                           "and the project id")));
    if (auto st = QueryBudget(m_ws, m_http, m_clock, m_perHour)
                      .take(1, QStringLiteral("the cohort definition check"));
        !st)
        return Q_EMIT failed(st.error());
    QPointer<CohortDefinitionCheck> self(this);
    m_mixpanel.cohorts([self](Result<QList<CohortInfo>> cohorts) {
        if (!self)
            return;
        if (!cohorts)
            return Q_EMIT self->failed(cohorts.error());
        CohortDefinitionResult r;
        r.mappingId = self->m_mapping.id;
        for (const CohortInfo& c : *cohorts) {
            if (c.name == self->m_mapping.cohortName) {
                r.found = true;
                r.cohortId = c.id;
                r.count = c.count;
            } else if (squeezed(c.name) == squeezed(self->m_mapping.cohortName)) {
                r.similar.append(c.name);
            }
        }
        r.queriesLeft =
            QueryBudget(self->m_ws, self->m_http, self->m_clock, self->m_perHour).left();
        TrustCheckRecord rec;
        rec.mappingId = r.mappingId;
        rec.kind = QString::fromLatin1(trustkind::kCohortDefinition);
        rec.atMs = self->m_clock->nowMs();
        rec.passed = r.found;
        rec.summary = r.found ? QStringLiteral("cohort %1 \"%2\" exists in Mixpanel (%3 people)")
                                    .arg(QString::number(r.cohortId), self->m_mapping.cohortName,
                                         QString::number(r.count))
                              : QStringLiteral("no Mixpanel cohort named \"%1\"%2")
                                    .arg(self->m_mapping.cohortName,
                                         r.similar.isEmpty()
                                             ? QString()
                                             : QStringLiteral(" (similar: %1)")
                                                   .arg(r.similar.join(QStringLiteral(", "))));
        rec.result = r.toJson();
        rec.result.insert(QStringLiteral("fingerprint"), trustFingerprint(self->m_mapping));
        if (auto st = TrustStore(self->m_ws).record(rec); !st)
            return Q_EMIT self->failed(st.error());
        Q_EMIT self->finished(r);
    });
}

} // namespace lockstep
