// "Try the sandbox": starts lockstep-sandbox with the demo scenario, and prepares a
// fresh SQLite workspace connected to it with the demo mappings. The sandbox process
// lives as long as this object. It never deletes a file it did not create: a workspace
// named by the caller must not exist yet, and without one it makes its own in a
// private temporary folder that goes away with this object.
#pragma once

#include "notify/channelsecrets.h"

#include "api/credentials.h"
#include "api/endpointpolicy.h"
#include "demohistory.h"
#include "util/result.h"

#include <QObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace lockstep {

class DemoSession : public QObject
{
    Q_OBJECT
public:
    explicit DemoSession(QObject* parent = nullptr);
    ~DemoSession() override;

    // Blocks for at most a few seconds while the sandbox starts (before any window).
    // `workspacePath` empty: a fresh workspace in a temporary folder; otherwise a file
    // that must not exist yet (the demo will not replace anything).
    Status start(const QString& workspacePath = {});

    Credentials credentials() const { return m_credentials; }
    // The workspace the demo made.
    QString workspace() const { return m_workspace; }
    // The demo's alert channels (on the sandbox's receivers) and their secrets.
    const QList<std::pair<qint64, ChannelSecrets>>& channelSecrets() const
    {
        return m_channelSecrets;
    }
    // Lets the process send the demo's made-up secrets to its own sandbox, and nowhere
    // else (the engine refuses hosts that are not the vendors' or allowed).
    void allowSandbox(HostAllowList& allowed) const;

    // The sandbox's address (for its control API: the demo's history).
    QUrl sandboxUrl() const { return m_sandboxUrls.value(0); }
    // The history the demo replays before the operator looks (demo/mappings.json).
    DemoStory story() const { return m_story; }

    static QString findSandbox();
    static QString findResource(const QString& relative);

private:
    QProcess m_sandbox;
    Credentials m_credentials;
    std::unique_ptr<QTemporaryDir> m_folder;
    QString m_workspace;
    QList<QUrl> m_sandboxUrls;
    DemoStory m_story;
    QList<std::pair<qint64, ChannelSecrets>> m_channelSecrets;
};

} // namespace lockstep
