// `lockstep sync` / `dry-run`: one request, through the same SyncController as the console.
#include "clisupport.h"

#include "api/credentials.h"
#include "engine/enginecontext.h"
#include "engine/notifier.h"
#include "engine/synccontroller.h"
#include "store/heldexits.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace lockstep::cli {

namespace {
// Who applied held exits, as the console records an acknowledgement.
QString operatorName()
{
    return qEnvironmentVariable("USER", QStringLiteral("operator"));
}
} // namespace

int syncCommand(const EngineContext& context, const QString& location, Args a, bool dryRunCommand)
{
    const bool all = a.flag(QStringLiteral("--all"));
    const bool json = a.flag(QStringLiteral("--json"));
    const bool full = a.flag(QStringLiteral("--full"));
    const bool dry = a.flag(QStringLiteral("--dry-run")) || dryRunCommand;
    const bool acceptExits = a.flag(QStringLiteral("--accept-exits"));
    const QStringList idArgs = a.takeMany(QStringLiteral("--mapping"));
    QString error;
    const std::optional<QString> exitCheckArg = a.take(QStringLiteral("--exit-check"), &error);
    if (!error.isEmpty())
        return usageError(error);
    const auto verifyArg = a.take(QStringLiteral("--verify-sample"), &error);
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    std::optional<int> exitCheck;
    if (exitCheckArg) {
        bool ok = false;
        exitCheck = exitCheckArg->toInt(&ok);
        if (!ok || *exitCheck < 0 || *exitCheck > 1000000)
            return usageError(
                QStringLiteral("--exit-check takes a number of exits from 0 (off) to 1000000"));
    }
    std::optional<int> verifySample;
    if (verifyArg) {
        bool ok = false;
        const int n = verifyArg->toInt(&ok);
        if (!ok || n < 0 || n > 1000)
            return usageError(QStringLiteral("--verify-sample takes 0 (off) to 1000 entered keys"));
        verifySample = n;
    }
    if (all == !idArgs.isEmpty())
        return usageError(QStringLiteral("give --all or --mapping ID..."));
    if (full && dry)
        return usageError(QStringLiteral("--full and --dry-run do not go together"));
    if (acceptExits && (all || dry || full))
        return usageError(QStringLiteral(
            "--accept-exits applies held exits of the mappings named: give --mapping ID, "
            "without --all, --full or --dry-run"));
    QList<qint64> ids;
    for (const QString& s : idArgs) {
        bool ok = false;
        const qint64 id = s.toLongLong(&ok);
        if (!ok || id <= 0)
            return usageError(QStringLiteral("not a mapping id: %1").arg(s));
        ids.append(id);
    }
    {
        // A workspace that cannot be opened (a bad URL, a refused connection) is reported
        // here, once; unknown ids are a usage error, before anything is sent.
        auto ws = Workspace::open(location);
        if (!ws)
            return reportError(ws.error());
        for (qint64 id : ids)
            if (auto m = MappingRepository(**ws).get(id); !m)
                return usageError(
                    QStringLiteral("no mapping %1 in %2")
                        .arg(QString::number(id), Workspace::displayLocation(location)));
        // Nothing to apply is said before anything is sent: a sync without a hold to
        // apply would not do what was asked.
        for (qint64 id : acceptExits ? ids : QList<qint64>()) {
            auto held = HeldExitStore(**ws).pending(id);
            if (!held)
                return reportError(held.error());
            if (!*held)
                return usageError(QStringLiteral("mapping %1 has no held exits to apply").arg(id));
        }
    }
    const RunKind kind = dry ? RunKind::DryRun : full ? RunKind::Full : RunKind::Incremental;

    // The alerts this run raises or resolves reach their channels before we exit (cron
    // users have no runner); a dry run changes no alert.
    const qint64 startedMs = context.clock()->nowMs();
    std::optional<Notifier> notifier;
    if (!dry) {
        notifier.emplace(context, location);
        notifier->start();
    }
    SyncController controller(context, location, Credentials::fromEnvironment());
    if (exitCheck)
        controller.setExitCheckLimit(*exitCheck);
    if (verifySample)
        controller.setVerifySample(*verifySample);
    int result = Ok;
    QList<RunRecord> runs;
    SyncError configError;
    QObject::connect(&controller, &SyncController::failed, &controller,
                     [&](const SyncError& e) { configError = e; });
    QObject::connect(&controller, &SyncController::opened, &controller, [&] {
        if (all)
            controller.syncAll(kind);
        else if (acceptExits)
            controller.acceptExits(ids, operatorName());
        else
            controller.syncMappings(ids, kind);
    });
    QObject::connect(&controller, &SyncController::syncFinished, &controller,
                     [&](const QList<RunRecord>& finished) {
                         runs = finished;
                         QCoreApplication::exit(0);
                     });
    QObject::connect(&controller, &SyncController::failed, &controller, [&](const SyncError& e) {
        if (e.category == SyncError::Category::Storage && !controller.isBusy())
            QCoreApplication::exit(0);
    });
    controller.start();
    QCoreApplication::exec();
    if (notifier && !runs.isEmpty()) {
        int left = 0;
        QObject::connect(&*notifier, &Notifier::drained, &*notifier, [&left](int n) {
            left = n;
            QCoreApplication::exit(0);
        });
        notifier->waitForDelivery(startedMs, context.options().notify.syncWaitMs);
        QCoreApplication::exec();
        if (left > 0)
            err() << "lockstep: alert messages not delivered yet: " << left
                  << " (the runner or the next sync tries again; `lockstep notify list`)\n";
    }

    if (runs.isEmpty() && configError.isError())
        return reportError(configError);
    if (json) {
        QJsonArray arr;
        for (const RunRecord& r : runs)
            arr.append(runJson(r));
        out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
    } else {
        for (const RunRecord& r : runs) {
            out() << "mapping " << r.mappingId << ": " << runStatusName(r.status) << "  entered "
                  << r.entered << ", exited " << r.exited << ", unchanged " << r.unchanged
                  << ", mismatched " << r.mismatched << ", failed " << r.failed << "  ("
                  << QString::number(r.durationMs() / 1000.0, 'f', 1) << " s)";
            if (!r.message.isEmpty())
                out() << "  " << r.message;
            out() << "\n";
        }
        if (runs.isEmpty())
            out() << "nothing to sync\n";
    }
    out().flush();
    if (configError.isError() && runs.isEmpty())
        return exitCodeFor(configError);
    result = exitCodeFor(runs);
    return result;
}

} // namespace lockstep::cli
