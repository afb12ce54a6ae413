// `lockstep run`: the headless runner. Syncs each mapping when its schedule is due, until
// SIGTERM, SIGINT or SIGHUP; then lets the batches in flight finish and be recorded, and exits 0.
// Logs go to stderr with systemd's priority prefixes ("<6>"), so journald keeps levels.
#include "clisupport.h"

#include "signalwatcher.h"

#include "api/credentials.h"
#include "engine/enginecontext.h"
#include "engine/notifier.h"
#include "engine/synccontroller.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"
#include "store/workspace.h"
#include "util/clock.h"
#include "util/privatefiles.h"
#include "util/redaction.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QTimer>

#include <unistd.h>

Q_LOGGING_CATEGORY(lcRunner, "lockstep.runner")

namespace lockstep::cli {

namespace {

// Mappings whose schedule is due: never run, or last started a schedule ago.
Result<QList<qint64>> dueMappings(Workspace& ws, qint64 nowMs)
{
    auto mappings = MappingRepository(ws).list();
    if (!mappings)
        return mappings.error();
    RunRepository runs(ws);
    QList<qint64> due;
    for (const Mapping& m : *mappings) {
        if (m.paused)
            continue;
        auto last = runs.last(m.id);
        if (!last)
            return last.error();
        if (!*last || nowMs - (*last)->startedAtMs >= qint64(m.scheduleMinutes) * 60000)
            due.append(m.id);
    }
    return due;
}

// --log FILE: the same lines as stderr (redacted, as every log line is), appended to a
// file only its owner can read: run messages name mappings and people's counts, and a
// cron job's log folder may be shared.
int g_logFd = -1;
QtMessageHandler g_nextHandler = nullptr;

void logToFile(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (g_logFd >= 0) {
        const QByteArray line =
            (QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + QLatin1Char(' ') +
             redactSecrets(qFormatLogMessage(type, context, message)) + QLatin1Char('\n'))
                .toUtf8();
        // One write of an O_APPEND descriptor: lines from several threads do not mix.
        [[maybe_unused]] const auto n = ::write(g_logFd, line.constData(), size_t(line.size()));
    }
    if (g_nextHandler)
        g_nextHandler(type, context, message);
}

} // namespace

int runCommand(const EngineContext& context, const QString& location, Args a)
{
    QString error;
    const auto every = a.take(QStringLiteral("--check-every"), &error);
    const bool once = a.flag(QStringLiteral("--once"));
    const auto logFile = a.take(QStringLiteral("--log"), &error);
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    bool ok = true;
    const int checkSeconds = every ? every->toInt(&ok) : 30;
    if (!ok || checkSeconds < 1)
        return usageError(QStringLiteral("--check-every takes a number of seconds"));

    qSetMessagePattern(
        QStringLiteral("%{if-debug}<7>%{endif}%{if-info}<6>%{endif}%{if-warning}<4>%{endif}"
                       "%{if-critical}<3>%{endif}%{if-fatal}<2>%{endif}%{category}: %{message}"));
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(
            QStringLiteral("lockstep.*.debug=false\nlockstep.http.info=false"));

    if (logFile) {
        auto fd = openPrivateLog(*logFile);
        if (!fd)
            return reportError(fd.error());
        g_logFd = *fd;
        g_nextHandler = qInstallMessageHandler(logToFile);
    }
    const auto closeLog = qScopeGuard([] {
        if (g_logFd < 0)
            return;
        qInstallMessageHandler(g_nextHandler);
        ::close(g_logFd);
        g_logFd = -1;
    });

    auto ws = Workspace::open(location);
    if (!ws)
        return reportError(ws.error());

    SignalWatcher stopSignals;
    if (!stopSignals.isWatching())
        return reportError(
            SyncError::make(SyncError::Category::Internal, QStringLiteral("cannot watch signals")));

    // Delivers the workspace's alert messages (its own and any other process's) in its
    // own thread, whatever the syncs are doing.
    Notifier notifier(context, location);
    notifier.start();
    SyncController controller(context, location, Credentials::fromEnvironment());
    bool stopping = false;
    bool everSynced = false;
    // --once: the runner is the one that delivers, so every due message goes out (this
    // pass's and what others left) before the exit, within the bounded wait.
    auto exitOnce = [&](int code) {
        QObject::connect(&notifier, &Notifier::drained, &notifier,
                         [code](int) { QCoreApplication::exit(code); });
        notifier.waitForDelivery(0, context.options().notify.syncWaitMs);
    };
    int exitCode = Ok;
    QTimer check;
    check.setInterval(checkSeconds * 1000);

    auto pass = [&] {
        if (stopping || controller.isBusy())
            return;
        auto due = dueMappings(**ws, context.clock()->nowMs());
        if (!due) {
            qCWarning(lcRunner) << "cannot read the workspace:" << due.error().message;
            return;
        }
        if (due->isEmpty()) {
            if (once)
                exitOnce(exitCode);
            return;
        }
        qCInfo(lcRunner) << "syncing" << due->size() << "due mapping(s)";
        everSynced = true;
        controller.syncMappings(*due);
    };

    QObject::connect(&stopSignals, &SignalWatcher::received, &controller, [&](int sig) {
        if (stopping)
            return;
        stopping = true;
        check.stop();
        qCInfo(lcRunner) << "stopping on signal" << sig << "- finishing the batches in flight";
        if (controller.isBusy())
            controller.stopGracefully();
        else
            QCoreApplication::exit(Ok);
    });
    QObject::connect(&controller, &SyncController::failed, &controller, [&](const SyncError& e) {
        qCWarning(lcRunner) << e.message;
        if (e.category == SyncError::Category::Storage && !controller.isBusy()) {
            exitCode = UsageOrConfig;
            QCoreApplication::exit(exitCode);
        }
    });
    QObject::connect(
        &controller, &SyncController::runFinished, &controller, [](const RunRecord& r) {
            const QString line =
                QStringLiteral("mapping %1 run %2 %3: entered %4, exited %5, unchanged %6, "
                               "mismatched %7, failed %8 (%9 ms)%10")
                    .arg(QString::number(r.mappingId), QString::number(r.id),
                         runStatusName(r.status), QString::number(r.entered),
                         QString::number(r.exited), QString::number(r.unchanged),
                         QString::number(r.mismatched), QString::number(r.failed),
                         QString::number(r.durationMs()),
                         r.message.isEmpty() ? QString() : QStringLiteral(" - ") + r.message);
            if (r.status == RunStatus::Failed || r.status == RunStatus::Partial)
                qCWarning(lcRunner).noquote() << line;
            else
                qCInfo(lcRunner).noquote() << line;
        });
    QObject::connect(&controller, &SyncController::syncFinished, &controller,
                     [&](const QList<RunRecord>& runs) {
                         notifier.deliverNow(); // the alerts the sync just stored
                         exitCode = std::max(exitCode, once ? exitCodeFor(runs) : int(Ok));
                         if (stopping) {
                             QCoreApplication::exit(Ok);
                             return;
                         }
                         if (once)
                             exitOnce(exitCode);
                     });
    QObject::connect(&check, &QTimer::timeout, &controller, pass);
    QObject::connect(&controller, &SyncController::opened, &controller, [&] {
        qCInfo(lcRunner) << "runner started on" << Workspace::displayLocation(location)
                         << "checking every" << checkSeconds << "s";
        pass();
        if (!once)
            check.start();
    });
    controller.start();
    const int rc = QCoreApplication::exec();
    Q_UNUSED(everSynced);
    return rc;
}

} // namespace lockstep::cli
