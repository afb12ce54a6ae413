// A workspace with the demo's own mappings (resources/demo/mappings.json), as `lockstep
// --demo` adds them, pointed at a sandbox running the demo scenario.
#pragma once

#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "store/mappingrepository.h"
#include "store/workspace.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

namespace lockstep::test {

struct DemoMapping
{
    qint64 id = 0;
    Mapping mapping;
};

// Segment id -> the mapping added for it; empty (with a warning) on error.
inline QHash<qint64, DemoMapping> seedDemoWorkspace(const QString& path,
                                                    const SandboxProcess& sandbox)
{
    QHash<qint64, DemoMapping> out;
    QFile f(QStringLiteral(LOCKSTEP_SOURCE_DIR "/resources/demo/mappings.json"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray list =
        QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("mappings")).toArray();
    auto ws = Workspace::open(path);
    if (!ws || !SettingsRepository(**ws).setConnection(connectionTo(sandbox))) {
        qWarning("cannot set up the demo workspace");
        return out;
    }
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        Mapping m;
        m.segmentId = o.value(QStringLiteral("segment")).toInteger();
        m.cohortName = o.value(QStringLiteral("cohort")).toString();
        m.identity = *parseIdentityKey(o.value(QStringLiteral("identity")).toString());
        m.owner = o.value(QStringLiteral("owner")).toString();
        m.decision = o.value(QStringLiteral("decision")).toString();
        m.mode = parseSyncMode(o.value(QStringLiteral("mode")).toString()).value_or(SyncMode::List);
        auto id = MappingRepository(**ws).add(m);
        if (!id)
            return {};
        m.id = *id;
        out.insert(m.segmentId, DemoMapping{*id, m});
    }
    return out;
}

inline QProcessEnvironment demoEnvironment(const SandboxProcess& sandbox)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), sandbox.appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), sandbox.projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), sandbox.serviceAccount());
    env.insert(QStringLiteral("LOCKSTEP_RETRY_SCALE"), QStringLiteral("0.01"));
    env.insert(QStringLiteral("LOCKSTEP_TOKEN_PROBE_DELAY_MS"), QStringLiteral("20"));
    return env;
}

// Who holds the mapping's value in the sandbox's Mixpanel (ground truth).
inline QStringList holdersOf(SandboxProcess& sandbox, const Mapping& m)
{
    return m.mode == SyncMode::Flag ? sandbox.profilesWith(m.cohortName, QStringLiteral("true"))
                                    : sandbox.profilesWith(m.listProperty, m.cohortName);
}

} // namespace lockstep::test
