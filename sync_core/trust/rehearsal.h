// Rehearses a mapping on a small test segment: reads the test segment's members from
// Customer.io, resolves their keys with the mapping's identity rules, writes a clearly
// named temporary cohort value ("<cohort> [rehearsal yyyyMMdd-HHmm]") in the mapping's
// mode, reads it back with one budgeted /engage query and judges each person.
// cleanup() removes the temporary value and verifies it is gone. Asynchronous, in the
// thread that owns the RequestScheduler (the engine thread, or the CLI's event loop).
#pragma once

#include "api/customerioclient.h"
#include "api/mixpanelclient.h"
#include "api/serviceconfig.h"
#include "cohortvalue.h"
#include "trustrecords.h"

#include <QObject>

namespace lockstep {

class Workspace;

struct RehearsalOptions
{
    int sizeCap = 200; // larger test segments are refused: one batch, one query page
    int queriesPerHour = 60;
    QString by; // who runs it (a login name), kept with the result; empty when unknown
};

class Rehearsal : public QObject
{
    Q_OBJECT
public:
    Rehearsal(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
              const Clock* clock, Mapping mapping, qint64 testSegmentId,
              RehearsalOptions options = {}, QObject* parent = nullptr);

    // The temporary value for a cohort at a time: "<cohort> [rehearsal 20260101-0930]" (UTC).
    static QString temporaryValue(const QString& cohortName, qint64 atMs);

    // Writes, reads back, stores the result; finished() or failed() follows.
    void start();
    // Removes the temporary value written by start() (or by an earlier rehearsal whose
    // stored result is given) and verifies; cleanupFinished() or failed() follows. Only a
    // value of this mapping's: named after its cohort, or recorded as one of its open
    // rehearsals (made before the cohort was renamed).
    void cleanup();
    void cleanup(const RehearsalResult& earlier);

    const RehearsalResult& result() const { return m_result; }

Q_SIGNALS:
    void progress(const QString& step);
    void finished(const lockstep::RehearsalResult& result);
    void cleanupFinished(const lockstep::RehearsalCleanup& cleanup);
    void failed(const lockstep::SyncError& error);

private:
    void fail(const SyncError& e);
    bool isOwnValue(const QString& value);
    void onSegment(const SegmentInfo& segment);
    void readPage(const QString& cursor);
    void write();
    // Pages through the profiles carrying `value`, then calls done with their ids.
    void readCarriers(const CohortValue& value, const QString& sessionId, int page,
                      QStringList found, std::function<void(Result<QStringList>)> done);
    void judge(const QStringList& carriers);

    Workspace& m_ws;
    RequestScheduler* m_http;
    CustomerIoClient m_cio;
    MixpanelClient m_mixpanel;
    bool m_canQuery; // the query API needs a service account and a project id
    const Clock* m_clock;
    Mapping m_mapping;
    qint64 m_testSegmentId;
    RehearsalOptions m_options;
    std::vector<MemberIdentifiers> m_members;
    RehearsalResult m_result;
};

} // namespace lockstep
