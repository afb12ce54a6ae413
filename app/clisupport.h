// Shared pieces of the command line: argument reading, output streams, exit codes
// and the JSON shapes scripts read.
#pragma once

#include "cli.h"
#include "store/records.h"
#include "util/syncerror.h"

#include <QJsonObject>
#include <QMap>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace lockstep {
class EngineContext;
}

namespace lockstep::cli {

// stdout and stderr; every line passes the logs' redaction before it is written.
QTextStream& out();
QTextStream& err();
// Bytes (an export) to stdout through the same redaction.
void writeOut(const QByteArray& bytes);

// A small argument reader: flags with values, repeated values, leftovers.
class Args
{
public:
    explicit Args(QStringList a) : m_args(std::move(a)) {}

    // Removes `--name VALUE` (or --name=VALUE); nullopt when absent.
    std::optional<QString> take(const QString& name, QString* error)
    {
        for (qsizetype i = 0; i < m_args.size(); ++i) {
            const QString& a = m_args[i];
            if (a == name) {
                if (i + 1 >= m_args.size() || m_args[i + 1].startsWith(QLatin1String("--"))) {
                    *error = QStringLiteral("%1 needs a value").arg(name);
                    return std::nullopt;
                }
                const QString v = m_args[i + 1];
                m_args.remove(i, 2);
                return v;
            }
            if (a.startsWith(name + QLatin1Char('='))) {
                const QString v = a.mid(name.size() + 1);
                m_args.remove(i);
                return v;
            }
        }
        return std::nullopt;
    }
    // Removes `--name V1 V2 ...` (values up to the next option), repeatable.
    QStringList takeMany(const QString& name)
    {
        QStringList values;
        for (qsizetype i = 0; i < m_args.size();) {
            if (m_args[i] != name) {
                ++i;
                continue;
            }
            m_args.remove(i);
            while (i < m_args.size() && !m_args[i].startsWith(QLatin1String("--")))
                values << m_args.takeAt(i);
        }
        return values;
    }
    bool flag(const QString& name)
    {
        const bool has = m_args.contains(name);
        m_args.removeAll(name);
        return has;
    }
    QString takeFirst() { return m_args.isEmpty() ? QString() : m_args.takeFirst(); }
    const QStringList& rest() const { return m_args; }

private:
    QStringList m_args;
};

// Prints the message and a hint; returns UsageOrConfig.
int usageError(const QString& message);
int exitCodeFor(const SyncError& e);
// The worst exit code over runs: unreachable > configuration > changes failed > ok.
int exitCodeFor(const QList<RunRecord>& runs);
int reportError(const SyncError& e);
// True (and a usage error in *code) when arguments are left over.
bool unknownLeft(Args& a, int* code);

QJsonObject mappingJson(const Mapping& m);
// A mapping's own mass-exit share: "0".."100", or "default" (the workspace's,
// Mapping::kWorkspaceMassExit) when allowed; nullopt for anything else.
std::optional<double> parseMassExitPercent(const QString& text, bool allowDefault);
// A mapping's own health thresholds as JSON numbers, by setting name.
QJsonObject thresholdsJson(const QMap<QString, QString>& overrides);
QJsonObject runJson(const RunRecord& r);

int syncCommand(const EngineContext& context, const QString& location, Args a, bool dryRunCommand);
int runCommand(const EngineContext& context, const QString& location, Args a);
int doctorCommand(const EngineContext& context, const QString& location, Args a);
int purgeCommand(const QString& location, Args a);
int notifyCommand(const EngineContext& context, const QString& location, Args a);

} // namespace lockstep::cli
