// The command line: `lockstep connect|mapping|sync|dry-run|status ...` on the same
// workspace as the console, for cron and scripts. No display needed.
#pragma once

#include <QStringList>

namespace lockstep::cli {

// Exit codes scripts rely on.
enum ExitCode
{
    Ok = 0,
    ChangesFailed = 1, // some changes were not acknowledged
    UsageOrConfig = 2, // bad command line or configuration
    Unreachable = 3,   // cannot reach or authenticate to a service
};

// True when argv asks for the command line rather than the console.
bool isCommandLine(const QStringList& args);

// Runs a command; needs a QCoreApplication. Returns the exit code.
int run(const QStringList& args);

} // namespace lockstep::cli
