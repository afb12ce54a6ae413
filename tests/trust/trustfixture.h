// A sandbox, a workspace and an engine-side network stack for the trust tests, all in
// the test's thread, as the engine thread would hold them.
#pragma once

#include "sandboxprocess.h"

#include "api/requestscheduler.h"
#include "api/serviceconfig.h"
#include "engine/mappingrun.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace lockstep::test {

inline const QString kCohort = QStringLiteral("CIO | Winback | 45-60d");

// Explicit people for every failure reason; every person with an e-mail already has a
// Mixpanel profile keyed by their e-mail as Customer.io spells it (raw).
inline QJsonObject trustScenario(int queryLimit = 60)
{
    auto person = [](const char* id, const QJsonValue& email) {
        return QJsonObject{
            {QStringLiteral("id"), QLatin1String(id)},
            {QStringLiteral("email"), email},
            {QStringLiteral("cio_id"), QString(QStringLiteral("cio-") + QLatin1String(id))}};
    };
    auto segment = [](int id, const char* name, const QStringList& members) {
        return QJsonObject{{QStringLiteral("id"), id},
                           {QStringLiteral("name"), QLatin1String(name)},
                           {QStringLiteral("members"), QJsonArray::fromStringList(members)}};
    };
    return QJsonObject{
        {QStringLiteral("seed"), 5},
        {QStringLiteral("mixpanel"),
         QJsonObject{
             {QStringLiteral("existing_profile_share"), 1.0},
             {QStringLiteral("existing_profile_key"), QStringLiteral("email")},
             {QStringLiteral("query_limit_per_hour"), queryLimit},
             {QStringLiteral("cohorts"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                     {QStringLiteral("name"), kCohort},
                                     {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                     {QStringLiteral("value"), kCohort}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 300}}},
        {QStringLiteral("people"),
         QJsonArray{
             person("alice", QStringLiteral("alice@example.com")),
             person("bob", QStringLiteral("bob@example.com")), person("nomail", QJsonValue::Null),
             person("mixed", QStringLiteral(" Mixed.Case@Example.COM ")),
             person("gone", QStringLiteral("gone@example.com")),
             person("late", QStringLiteral("late@example.com")),
             person("t1", QStringLiteral("t1@corp.example")),
             person("t2", QStringLiteral("T2@Corp.example")), person("t3", QJsonValue::Null)}},
        {QStringLiteral("segments"),
         QJsonArray{
             segment(1, "Winback",
                     {QStringLiteral("cio-alice"), QStringLiteral("cio-bob"),
                      QStringLiteral("cio-nomail"), QStringLiteral("cio-gone")}),
             segment(2, "Internal test", {QStringLiteral("cio-t1"), QStringLiteral("cio-t2")}),
             segment(3, "Internal test without e-mail",
                     {QStringLiteral("cio-t1"), QStringLiteral("cio-t3")}),
             QJsonObject{{QStringLiteral("id"), 4},
                         {QStringLiteral("name"), QStringLiteral("Too big")},
                         {QStringLiteral("size"), 250}}}},
    };
}

struct TrustFixture
{
    explicit TrustFixture(const QJsonObject& scenario, int perHour = 60)
        : sandbox(scenario), http(&nam, Clock::system())
    {
        if (!sandbox.isRunning())
            return;
        auto opened = Workspace::open(dir.filePath(QStringLiteral("trust.sqlite")));
        if (opened)
            ws = std::move(*opened);
        http.setLimit(QStringLiteral("customerio"), HostLimit{10, 1, 0, 0});
        http.setLimit(QStringLiteral("mixpanel-ingestion"), HostLimit{0, 1, 4, 0});
        http.setLimit(QStringLiteral("mixpanel-query"), HostLimit{0, 1, 5, perHour});
        http.setBackoffScale(0.01);
        services.customerIo = sandbox.customerIo();
        services.appApiKey = sandbox.appApiKey();
        services.mixpanel.ingestion = sandbox.mixpanel();
        services.mixpanel.query = sandbox.mixpanelQuery();
        services.mixpanel.projectToken = sandbox.projectToken();
        services.mixpanel.serviceAccount = sandbox.serviceAccount();
        services.mixpanel.projectId = sandbox.projectId();
    }
    bool ok() const { return sandbox.isRunning() && ws; }

    Mapping addMapping(qint64 segmentId, SyncMode mode = SyncMode::List,
                       const QString& cohort = kCohort)
    {
        Mapping m;
        m.segmentId = segmentId;
        m.cohortName = cohort;
        m.identity = IdentityKey::Email;
        m.mode = mode;
        auto id = MappingRepository(*ws).add(m);
        m.id = id ? *id : 0;
        return m;
    }

    // One real sync of the mapping, as the engine runs it.
    RunRecord sync(const Mapping& m, int batchSize = MixpanelClient::kMaxBatch)
    {
        RunOptions o;
        o.batchSize = batchSize;
        MappingRun run(*ws, &http, services, Clock::system(), m, o);
        QSignalSpy done(&run, &MappingRun::finished);
        run.start();
        if (done.isEmpty())
            done.wait(60000);
        return done.isEmpty() ? RunRecord{} : done.first().first().value<RunRecord>();
    }

    // Sends profile updates straight to the sandbox (what someone else might do in Mixpanel).
    bool engage(const QJsonArray& updates)
    {
        QUrl u = sandbox.mixpanel();
        u.setPath(QStringLiteral("/engage"));
        const auto r = SandboxProcess::request(
            "POST", u, QJsonDocument(updates).toJson(QJsonDocument::Compact),
            {{"Content-Type", "application/json"}});
        return r.status == 200;
    }

    int routeRequests(const QString& route, const QString& status = QStringLiteral("200"))
    {
        return sandbox.stats()
            .value(QStringLiteral("routes"))
            .toObject()
            .value(route)
            .toObject()
            .value(QStringLiteral("statuses"))
            .toObject()
            .value(status)
            .toInt();
    }

    SandboxProcess sandbox;
    QTemporaryDir dir;
    std::unique_ptr<Workspace> ws;
    QNetworkAccessManager nam;
    RequestScheduler http;
    ServiceConfig services;
};

// Starts an asynchronous check and waits for one of its outcome signals; returns the
// first argument of `done`, or records the failure in *error.
template <typename T, typename Obj, typename Done, typename Start>
std::optional<T> runCheck(Obj* obj, Done done, Start start, SyncError* error, int timeoutMs = 60000)
{
    QSignalSpy ok(obj, done);
    QSignalSpy bad(obj, &Obj::failed);
    start();
    (void)QTest::qWaitFor([&] { return !ok.isEmpty() || !bad.isEmpty(); }, timeoutMs);
    if (!bad.isEmpty() && error)
        *error = bad.first().first().template value<SyncError>();
    if (ok.isEmpty())
        return std::nullopt;
    return ok.first().first().template value<T>();
}

} // namespace lockstep::test
