#include "demosession.h"

#include "engine/enginecontext.h"
#include "health/notificationchannel.h"
#include "health/watchedpairrepository.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace lockstep {

namespace {
SyncError demoError(const QString& msg)
{
    return SyncError::make(SyncError::Category::Config, QStringLiteral("demo: ") + msg);
}

Result<QJsonObject> readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return demoError(QStringLiteral("cannot read %1").arg(path));
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return demoError(QStringLiteral("%1 is not valid JSON: %2").arg(path, e.errorString()));
    return doc.object();
}
} // namespace

DemoSession::DemoSession(QObject* parent) : QObject(parent) {}

DemoSession::~DemoSession()
{
    if (m_sandbox.state() != QProcess::NotRunning) {
        m_sandbox.terminate();
        if (!m_sandbox.waitForFinished(3000))
            m_sandbox.kill();
        m_sandbox.waitForFinished(1000);
    }
}

QString DemoSession::findSandbox()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString& candidate :
         QStringList{dir + QStringLiteral("/lockstep-sandbox"),
                     dir + QStringLiteral("/../sandbox/lockstep-sandbox")})
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    return {};
}

QString DemoSession::findResource(const QString& relative)
{
    // Installed: <prefix>/share/lockstep/...; in the build tree: the source folder.
    const QString dir = QCoreApplication::applicationDirPath();
    const QStringList candidates = {
        dir + QStringLiteral("/../share/lockstep/") + relative,
        QStringLiteral(LOCKSTEP_SOURCE_RESOURCES "/") + relative,
    };
    for (const QString& c : candidates)
        if (QFileInfo::exists(c))
            return QFileInfo(c).canonicalFilePath();
    return {};
}

void DemoSession::allowSandbox(HostAllowList& allowed) const
{
    for (const QUrl& url : m_sandboxUrls)
        allowed.allow(url.host(), url.port());
}

Status DemoSession::start(const QString& workspacePath)
{
    // A fresh workspace each time, so the demo starts from the same story; never by
    // deleting a file: the named one must be new, or the demo makes its own folder.
    if (workspacePath.isEmpty()) {
        m_folder = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                   QStringLiteral("/lockstep-demo-XXXXXX"));
        if (!m_folder->isValid())
            return demoError(QStringLiteral("cannot create a temporary folder: %1")
                                 .arg(m_folder->errorString()));
        m_workspace = m_folder->filePath(QStringLiteral("workspace.sqlite"));
    } else {
        const QFileInfo fi(workspacePath);
        // A link counts as existing even when it dangles: opening it would create or
        // overwrite its target.
        if (fi.exists() || fi.isSymLink())
            return demoError(QStringLiteral("%1 already exists; the demo makes a fresh workspace "
                                            "and never replaces a file: give a new file name, "
                                            "or leave out --workspace")
                                 .arg(workspacePath));
        for (const QString& suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            const QFileInfo side(workspacePath + suffix);
            if (side.exists() || side.isSymLink())
                return demoError(QStringLiteral("%1 already exists (a workspace's journal); "
                                                "give a new file name, or leave out --workspace")
                                     .arg(side.filePath()));
        }
        m_workspace = workspacePath;
    }

    const QString sandbox = findSandbox();
    if (sandbox.isEmpty())
        return demoError(QStringLiteral("lockstep-sandbox was not found next to %1")
                             .arg(QCoreApplication::applicationFilePath()));
    const QString scenario = findResource(QStringLiteral("scenarios/demo.json"));
    const QString mappingsFile = findResource(QStringLiteral("demo/mappings.json"));
    if (scenario.isEmpty() || mappingsFile.isEmpty())
        return demoError(QStringLiteral("the demo scenario files are missing"));

    auto scenarioJson = readJson(scenario);
    if (!scenarioJson)
        return scenarioJson.error();
    const QJsonObject cio = scenarioJson->value(QLatin1String("customerio")).toObject();
    const QJsonObject mp = scenarioJson->value(QLatin1String("mixpanel")).toObject();
    m_credentials.customerIoAppApiKey =
        cio.value(QLatin1String("app_api_key")).toString(QStringLiteral("sandbox-app-api-key"));
    m_credentials.mixpanelProjectToken =
        mp.value(QLatin1String("project_token")).toString(QStringLiteral("sandbox-project-token"));
    m_credentials.mixpanelServiceAccount =
        mp.value(QLatin1String("service_account"))
            .toString(QStringLiteral("sandbox-sa:sandbox-secret"));
    const qint64 projectId = mp.value(QLatin1String("project_id")).toInteger(1);

    m_sandbox.setProgram(sandbox);
    m_sandbox.setArguments({QStringLiteral("--scenario"), scenario});
    m_sandbox.setProcessChannelMode(QProcess::SeparateChannels);
    // If the console dies without unwinding (SIGKILL, a crash), the kernel stops the
    // sandbox too instead of leaving it listening.
    // It stands for services on other machines: it runs as far below the console's GUI
    // thread as the console's own engine does, so the two keep their shares between them.
    m_sandbox.setChildProcessModifier([] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        (void)::nice(EngineContext::Setup::kConsoleEngineThreadNice);
    });
    m_sandbox.start();
    if (!m_sandbox.waitForStarted(5000))
        return demoError(
            QStringLiteral("cannot start %1: %2").arg(sandbox, m_sandbox.errorString()));
    QByteArray line;
    while (!line.contains('\n')) {
        if (!m_sandbox.waitForReadyRead(10000))
            return demoError(
                QStringLiteral("the sandbox did not start: %1")
                    .arg(QString::fromLocal8Bit(m_sandbox.readAllStandardError()).trimmed()));
        line += m_sandbox.readAllStandardOutput();
    }
    const QJsonObject urls = QJsonDocument::fromJson(line.left(line.indexOf('\n'))).object();

    ConnectionSettings s;
    s.customerIoUrl = urls.value(QLatin1String("customerio")).toString();
    s.mixpanelUrl = urls.value(QLatin1String("mixpanel")).toString();
    s.mixpanelQueryUrl = urls.value(QLatin1String("mixpanel_query")).toString();
    s.projectId = projectId;
    if (!s.isComplete())
        return demoError(QStringLiteral("the sandbox printed no base URLs"));
    m_sandboxUrls = {QUrl(s.customerIoUrl), QUrl(s.mixpanelUrl), QUrl(s.mixpanelQueryUrl)};

    auto ws = Workspace::open(m_workspace);
    if (!ws)
        return ws.error();
    if (auto st = SettingsRepository(**ws).setConnection(s); !st)
        return st;

    auto mappings = readJson(mappingsFile);
    if (!mappings)
        return mappings.error();
    MappingRepository repo(**ws);
    QHash<qint64, qint64> bySegment; // segment id -> mapping id
    for (const QJsonValue& v : mappings->value(QLatin1String("mappings")).toArray()) {
        const QJsonObject o = v.toObject();
        Mapping m;
        m.segmentId = o.value(QLatin1String("segment")).toInteger();
        m.cohortName = o.value(QLatin1String("cohort")).toString();
        m.identity = parseIdentityKey(o.value(QLatin1String("identity")).toString())
                         .value_or(IdentityKey::Email);
        m.owner = o.value(QLatin1String("owner")).toString();
        m.decision = o.value(QLatin1String("decision")).toString();
        m.mode = parseSyncMode(o.value(QLatin1String("mode")).toString()).value_or(SyncMode::List);
        m.scheduleMinutes = o.value(QLatin1String("schedule_minutes")).toInt(m.scheduleMinutes);
        auto id = repo.add(m);
        if (!id)
            return id.error();
        bySegment.insert(m.segmentId, *id);
    }
    // Pairs that must stay disjoint, named by their segments.
    for (const QJsonValue& v : mappings->value(QLatin1String("watched_pairs")).toArray()) {
        const QJsonObject o = v.toObject();
        const QJsonArray segments = o.value(QLatin1String("segments")).toArray();
        WatchedPair pair;
        pair.mappingA = bySegment.value(segments.at(0).toInteger());
        pair.mappingB = bySegment.value(segments.at(1).toInteger());
        pair.label = o.value(QLatin1String("label")).toString();
        if (pair.mappingA == 0 || pair.mappingB == 0)
            return demoError(
                QStringLiteral("a watched pair in %1 names a segment without a mapping")
                    .arg(mappingsFile));
        if (auto st = WatchedPairRepository(**ws).add(pair.normalized()); !st)
            return st;
    }
    const QJsonObject history = mappings->value(QLatin1String("history")).toObject();
    m_story.days = history.value(QLatin1String("days")).toInt();
    for (const QJsonValue& v : history.value(QLatin1String("overlaps")).toArray()) {
        const QJsonObject o = v.toObject();
        DemoStory::Overlap overlap;
        overlap.segment = o.value(QLatin1String("segment")).toInteger();
        overlap.from = o.value(QLatin1String("from")).toInteger();
        overlap.people = o.value(QLatin1String("people")).toInt();
        overlap.day = o.value(QLatin1String("day")).toInt();
        overlap.days = o.value(QLatin1String("days")).toInt();
        m_story.overlaps.append(overlap);
    }
    for (const QJsonValue& v : history.value(QLatin1String("apply_held_exits")).toArray()) {
        const QJsonObject o = v.toObject();
        DemoStory::ApplyExits apply;
        apply.mappingId = bySegment.value(o.value(QLatin1String("segment")).toInteger());
        apply.day = o.value(QLatin1String("day")).toInt();
        apply.by = o.value(QLatin1String("by")).toString();
        if (apply.mappingId == 0)
            return demoError(QStringLiteral("a held-exits decision in %1 names a segment "
                                            "without a mapping")
                                 .arg(mappingsFile));
        m_story.applies.append(apply);
    }
    // Alerts reach the sandbox's Slack and webhook receivers (made-up tokens): the demo's
    // alerts are delivered as a real workspace's would be.
    ChannelRepository channels(**ws);
    const struct
    {
        ChannelKind kind;
        const char* name;
        const char* path;
    } demoChannels[] = {
        {ChannelKind::Slack, "#retention-alerts", "/hooks/slack/T0DEMO/B0DEMO/demo-slack-token"},
        {ChannelKind::Webhook, "On-call webhook", "/hooks/webhook/demo-oncall"}};
    for (const auto& d : demoChannels) {
        NotificationChannel c;
        c.kind = d.kind;
        c.name = QString::fromLatin1(d.name);
        QUrl url(s.customerIoUrl);
        url.setPath(QString::fromLatin1(d.path));
        c.target = QStringLiteral("http://%1:%2/…").arg(url.host()).arg(url.port());
        auto id = channels.add(c);
        if (!id)
            return id.error();
        ChannelSecrets secrets;
        secrets.url = url.toString();
        if (d.kind == ChannelKind::Webhook)
            secrets.hmacSecret = QStringLiteral("demo-signing-secret");
        m_channelSecrets.append({*id, secrets});
    }
    return {};
}

} // namespace lockstep
