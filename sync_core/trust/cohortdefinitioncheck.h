// Verifies that the operator created the Mixpanel cohort for a mapping: ONE budgeted
// /cohorts/list query, passed when a cohort's name equals the mapping's cohort name.
// The result is stored as rollout-checklist evidence. Asynchronous, like MappingRun.
#pragma once

#include "api/mixpanelclient.h"
#include "api/serviceconfig.h"
#include "store/records.h"
#include "trustrecords.h"

#include <QObject>

namespace lockstep {

class Workspace;

struct CohortDefinitionResult
{
    qint64 mappingId = 0;
    bool found = false;
    qint64 cohortId = 0;
    qint64 count = 0;    // Mixpanel's count for the cohort
    QStringList similar; // names differing only in case or spacing (a likely typo)
    int queriesLeft = -1;
    QJsonObject toJson() const;
};

class CohortDefinitionCheck : public QObject
{
    Q_OBJECT
public:
    CohortDefinitionCheck(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
                          const Clock* clock, Mapping mapping, int queriesPerHour = 60,
                          QObject* parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(const lockstep::CohortDefinitionResult& result);
    void failed(const lockstep::SyncError& error);

private:
    Workspace& m_ws;
    RequestScheduler* m_http;
    MixpanelClient m_mixpanel;
    bool m_canQuery; // the query API needs a service account and a project id
    const Clock* m_clock;
    Mapping m_mapping;
    int m_perHour;
};

} // namespace lockstep

Q_DECLARE_METATYPE(lockstep::CohortDefinitionResult)
