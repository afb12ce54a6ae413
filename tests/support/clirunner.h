// Runs the lockstep command line for a test and keeps everything it printed.
#pragma once

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTest>

namespace lockstep::test {

struct CliRun
{
    int exitCode = -1; // -1: crashed or timed out
    QByteArray out;
    QByteArray err;
    QByteArray cmdline; // /proc/<pid>/cmdline, read while it ran
};

inline CliRun runCli(const QString& workspace, const QStringList& args,
                     const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                     int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            QStringList{QStringLiteral("--workspace"), workspace} + args);
    CliRun r;
    if (!p.waitForStarted(10000))
        return r;
    QFile cmd(QStringLiteral("/proc/%1/cmdline").arg(p.processId()));
    if (cmd.open(QIODevice::ReadOnly))
        r.cmdline = cmd.readAll();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    } else {
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace lockstep::test
