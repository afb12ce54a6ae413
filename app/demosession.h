// "Try the sandbox": starts lockstep-sandbox with the demo scenario, and prepares a
// fresh SQLite workspace connected to it with the demo mappings. The sandbox process
// lives as long as this object.
#pragma once

#include "api/credentials.h"
#include "util/result.h"

#include <QObject>
#include <QProcess>
#include <QString>

namespace lockstep {

class DemoSession : public QObject
{
    Q_OBJECT
public:
    explicit DemoSession(QObject* parent = nullptr);
    ~DemoSession() override;

    // Blocks for at most a few seconds while the sandbox starts (before any window).
    Status start(const QString& workspacePath);

    Credentials credentials() const { return m_credentials; }

    static QString findSandbox();
    static QString findResource(const QString& relative);

private:
    QProcess m_sandbox;
    Credentials m_credentials;
};

} // namespace lockstep
