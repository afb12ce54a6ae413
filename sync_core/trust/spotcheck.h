// Spot-checks a mapping on real people: N members drawn at random from the current
// segment plus any the operator names (id, e-mail or cio_id), checked in Mixpanel
// with ONE budgeted /engage query (distinct_ids, every property). Each person gets a
// verdict and, when the two systems disagree, the likely reason (identity key missing,
// normalisation changed the key, profile not in Mixpanel or only a ghost of what Lockstep
// wrote, not yet synced), judged against the acknowledged snapshot. "Unknown to Mixpanel"
// is the entry check's definition (trust/mixpanelprofile.h). Asynchronous, like MappingRun.
#pragma once

#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "api/serviceconfig.h"
#include "members/memberset.h"
#include "trustrecords.h"

#include <QObject>
#include <QRandomGenerator>

namespace lockstep {

class Workspace;

struct SpotCheckOptions
{
    int count = 10;    // random members (named people come on top)
    QStringList named; // ids, e-mails or cio_ids the operator wants checked
    int pageSize = CustomerIoClient::kMaxPageSize;
    int queriesPerHour = 60;
    std::optional<quint64> seed;           // for repeatable samples in tests
    static constexpr int kMaxPeople = 500; // one query's distinct_ids stay small
};

class SpotCheck : public QObject
{
    Q_OBJECT
public:
    SpotCheck(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
              const Clock* clock, Mapping mapping, SpotCheckOptions options = {},
              QObject* parent = nullptr);

    void start();
    const SpotCheckResult& result() const { return m_result; }

Q_SIGNALS:
    void progress(const QString& step);
    void finished(const lockstep::SpotCheckResult& result);
    void failed(const lockstep::SyncError& error);

private:
    struct Candidate
    {
        MemberIdentifiers member;
        QString named;
        bool inSegment = false;
        bool knownToCustomerIo = true; // false: a named person Customer.io does not know
    };
    void readPage(const QString& cursor);
    void consider(const MemberIdentifiers& m);
    // Asks Customer.io which named people outside the segment it knows at all.
    void lookUpNamed();
    void query();
    void judge(const QHash<QString, QJsonObject>& profiles);

    Workspace& m_ws;
    RequestScheduler* m_http;
    CustomerIoClient m_cio;
    MixpanelClient m_mixpanel;
    bool m_canQuery; // the query API needs a service account and a project id
    const Clock* m_clock;
    Mapping m_mapping;
    SpotCheckOptions m_options;
    QRandomGenerator m_rng;
    MemberSet m_snapshot;
    qint64 m_seen = 0;
    std::vector<MemberIdentifiers> m_sample;             // reservoir
    QList<std::optional<MemberIdentifiers>> m_namedHits; // per named entry
    QList<bool> m_namedKnown; // per named entry: Customer.io knows them (in the segment or not)
    QList<Candidate> m_candidates;
    QStringList m_keys; // per candidate, "" when none
    QStringList m_raw;  // raw spelling when normalisation changed it
    SpotCheckResult m_result;
};

} // namespace lockstep
