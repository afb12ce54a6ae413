#include "clisupport.h"

#include "util/redaction.h"

#include <QIODevice>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace lockstep::cli {

namespace {

// stdout or stderr through the logs' redaction, a line at a time (a secret is never cut
// in two between writes): what a command prints may quote a service's reply, and
// scripts, CI logs and terminals keep it.
class RedactingStream : public QIODevice
{
public:
    explicit RedactingStream(FILE* file) : m_file(file) { open(QIODevice::WriteOnly); }
    ~RedactingStream() override { emitText(std::exchange(m_pending, {})); }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 len) override
    {
        m_pending.append(data, len);
        const qsizetype end = std::max(m_pending.lastIndexOf('\n'), m_pending.lastIndexOf('\r'));
        if (end >= 0) {
            emitText(m_pending.left(end + 1));
            m_pending.remove(0, end + 1);
        } else if (m_pending.size() > kMaxLine) {
            emitText(std::exchange(m_pending, {}));
        }
        return len;
    }

private:
    static constexpr qsizetype kMaxLine = 1 << 20;
    void emitText(const QByteArray& bytes)
    {
        if (bytes.isEmpty())
            return;
        const QByteArray clean = redactSecrets(QString::fromUtf8(bytes)).toUtf8();
        std::fwrite(clean.constData(), 1, size_t(clean.size()), m_file);
        std::fflush(m_file);
    }
    FILE* m_file;
    QByteArray m_pending;
};

} // namespace

QTextStream& out()
{
    static RedactingStream device(stdout);
    static QTextStream s(&device);
    return s;
}
QTextStream& err()
{
    static RedactingStream device(stderr);
    static QTextStream s(&device);
    return s;
}

void writeOut(const QByteArray& bytes)
{
    out() << bytes;
    out().flush();
}

int usageError(const QString& message)
{
    err() << "lockstep: " << message << "\n"
          << "Run `lockstep help` for usage.\n";
    err().flush();
    return UsageOrConfig;
}

int exitCodeFor(const SyncError& e)
{
    using C = SyncError::Category;
    switch (e.category) {
    case C::None:
        return Ok;
    case C::Usage:
    case C::Config:
    case C::Storage:
    case C::NotFound:
        return UsageOrConfig; // e.g. a mapping names a segment that is gone
    case C::Network:
    case C::Timeout:
    case C::Auth:
        return Unreachable;
    default:
        return ChangesFailed;
    }
}

int reportError(const SyncError& e)
{
    err() << "lockstep: " << e.message << "\n";
    err().flush();
    return exitCodeFor(e);
}

bool unknownLeft(Args& a, int* code)
{
    if (a.rest().isEmpty())
        return false;
    *code = usageError(QStringLiteral("unexpected argument: %1").arg(a.rest().first()));
    return true;
}

std::optional<double> parseMassExitPercent(const QString& text, bool allowDefault)
{
    if (allowDefault && text == QLatin1String("default"))
        return Mapping::kWorkspaceMassExit;
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !(v >= 0 && v <= 100))
        return std::nullopt;
    return v;
}

QJsonObject mappingJson(const Mapping& m)
{
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("key"), m.key},
                       {QStringLiteral("segment_id"), m.segmentId},
                       {QStringLiteral("segment_name"), m.segmentName},
                       {QStringLiteral("cohort"), m.cohortName},
                       {QStringLiteral("identity"), identityKeyName(m.identity)},
                       {QStringLiteral("mode"), syncModeName(m.mode)},
                       {QStringLiteral("property"), m.listProperty},
                       {QStringLiteral("owner"), m.owner},
                       {QStringLiteral("health_monitor"), m.healthMonitor},
                       {QStringLiteral("decision"), m.decision},
                       {QStringLiteral("report_url"), m.reportUrl},
                       {QStringLiteral("report_cohort"), m.reportCohort},
                       {QStringLiteral("schedule_minutes"), m.scheduleMinutes},
                       {QStringLiteral("paused"), m.paused},
                       {QStringLiteral("events"), m.sendEvents},
                       {QStringLiteral("version"), m.version},
                       // null: the workspace's mass_exit_percent
                       {QStringLiteral("mass_exit_percent"),
                        m.usesWorkspaceMassExit() ? QJsonValue() : QJsonValue(m.massExitPercent)},
                       {QStringLiteral("cohort_definition"), m.cohortDefinition()}};
}

QJsonObject thresholdsJson(const QMap<QString, QString>& overrides)
{
    QJsonObject o;
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it)
        o.insert(it.key(), it.value().toDouble());
    return o;
}

QJsonObject runJson(const RunRecord& r)
{
    QJsonObject o{{QStringLiteral("mapping_id"), r.mappingId},
                  {QStringLiteral("run_id"), r.id},
                  {QStringLiteral("kind"), runKindName(r.kind)},
                  {QStringLiteral("status"), runStatusName(r.status)},
                  {QStringLiteral("entered"), r.entered},
                  {QStringLiteral("exited"), r.exited},
                  {QStringLiteral("unchanged"), r.unchanged},
                  {QStringLiteral("mismatched"), r.mismatched},
                  {QStringLiteral("failed"), r.failed},
                  {QStringLiteral("held_exits"), r.heldExits},
                  {QStringLiteral("segment_count"), r.segmentCount},
                  {QStringLiteral("synced_count"), r.syncedCount},
                  {QStringLiteral("api_calls"), r.apiCalls},
                  {QStringLiteral("duration_ms"), r.durationMs()}};
    if (r.exitsChecked > 0) {
        // Only known for a run just made (not stored): `sync --json`.
        o.insert(QStringLiteral("exits_checked"), r.exitsChecked);
        o.insert(QStringLiteral("exits_vanished"), r.exitsVanished);
    }
    if (!r.exitCheck.isEmpty()) {
        // How much of the exits was looked up, and what that says of all of them.
        const ShareEstimate& e = r.exitEstimate;
        o.insert(QStringLiteral("exit_check"),
                 QJsonObject{{QStringLiteral("extent"), r.exitCheck},
                             {QStringLiteral("sampled"), r.exitCheck == QLatin1String("sample")},
                             {QStringLiteral("exits"), e.population},
                             {QStringLiteral("checked"), e.sampled},
                             {QStringLiteral("vanished"), e.hits},
                             {QStringLiteral("vanished_share"), e.share},
                             {QStringLiteral("interval_low"), e.low},
                             {QStringLiteral("interval_high"), e.high},
                             {QStringLiteral("margin"), e.margin()},
                             {QStringLiteral("confidence"), 0.95},
                             {QStringLiteral("estimated_vanished"), e.estimatedHits()}});
    }
    if (!r.message.isEmpty())
        o.insert(QStringLiteral("message"), r.message);
    if (!r.errorCategory.isEmpty())
        o.insert(QStringLiteral("error"), r.errorCategory);
    if (const EntryVerification& v = r.verification; !v.status.isEmpty()) {
        // The entered keys looked up in Mixpanel after the sends.
        QJsonObject e{{QStringLiteral("status"), v.status},
                      {QStringLiteral("entered"), v.entered},
                      {QStringLiteral("verified"), v.verified},
                      {QStringLiteral("unknown_to_mixpanel"), v.unknown},
                      {QStringLiteral("value_missing"), v.valueMissing}};
        if (v.verified > 0) {
            e.insert(QStringLiteral("unknown_share"), v.unknownShare());
            e.insert(QStringLiteral("estimated_unknown"), v.estimatedUnknown());
        }
        if (!v.note.isEmpty())
            e.insert(QStringLiteral("note"), v.note);
        if (const VerificationBatch& b = v.batch; b.perHour > 0 || b.runs > 0)
            // Verified with the other runs of the sync: the batch and the hour's spend.
            e.insert(QStringLiteral("batch"),
                     QJsonObject{{QStringLiteral("runs"), b.runs},
                                 {QStringLiteral("keys"), b.keys},
                                 {QStringLiteral("queries"), b.queries},
                                 {QStringLiteral("verify_queries_this_hour"), b.usedThisHour},
                                 {QStringLiteral("verify_queries_per_hour"), b.perHour}});
        o.insert(QStringLiteral("verification"), e);
    }
    return o;
}

int exitCodeFor(const QList<RunRecord>& runs)
{
    int code = Ok;
    for (const RunRecord& r : runs) {
        int c = Ok;
        if (r.status == RunStatus::Failed || r.status == RunStatus::Partial ||
            r.status == RunStatus::Cancelled) {
            SyncError e;
            e.category = SyncError::Category::Internal;
            for (int i = 0; i <= int(SyncError::Category::Internal); ++i)
                if (r.errorCategory ==
                    QLatin1String(SyncError::categoryName(SyncError::Category(i))))
                    e.category = SyncError::Category(i);
            c = r.status == RunStatus::Partial ? ChangesFailed : exitCodeFor(e);
            if (c == Ok)
                c = ChangesFailed;
        }
        // Exits held by the mass-exit safeguard wait for an operator: not a success.
        if (r.heldExits > 0 && r.kind != RunKind::DryRun)
            c = std::max<int>(c, ChangesFailed);
        // Codes rank by severity: unreachable > configuration > changes failed.
        code = std::max(code, c);
    }
    return code;
}

} // namespace lockstep::cli
