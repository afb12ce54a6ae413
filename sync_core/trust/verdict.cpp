#include "verdict.h"

#include "checklistevaluator.h"
#include "health/alertstore.h"
#include "store/mappingrepository.h"
#include "store/runrepository.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace lockstep {

namespace {
struct StateName
{
    VerdictState state;
    const char* name;
};
constexpr StateName kStates[] = {{VerdictState::NotSyncedYet, "not_synced_yet"},
                                 {VerdictState::Trusted, "trusted"},
                                 {VerdictState::Degraded, "degraded"},
                                 {VerdictState::Broken, "broken"}};

QString when(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

qint64 endOf(const RunRecord& r)
{
    return r.finishedAtMs > 0 ? r.finishedAtMs : r.startedAtMs;
}

QString withMessage(const QString& text, const RunRecord& r)
{
    return r.message.isEmpty() ? text + QLatin1Char('.')
                               : QStringLiteral("%1: %2.").arg(text, r.message);
}

VerdictReason reason(const char* code, AlertSeverity severity, QString text)
{
    return VerdictReason{QString::fromLatin1(code), severity, std::move(text)};
}

// What the run that ended after the last successful one says about the cohort; nullopt
// when it says nothing against it (a skipped run leaves the cohort as it was).
std::optional<VerdictReason> laterRunReason(const RunRecord& r, bool everSynced)
{
    const QString at = when(endOf(r));
    const QString keeps = everSynced
                              ? QStringLiteral(" Mixpanel keeps the cohort as of the last sync.")
                              : QStringLiteral(" The cohort was never synced.");
    switch (r.status) {
    case RunStatus::Failed:
        return reason(verdictreason::kLastRunFailed, AlertSeverity::Critical,
                      withMessage(QStringLiteral("The last run failed (%1)").arg(at), r) + keeps);
    case RunStatus::Partial:
        return reason(verdictreason::kLastRunPartial,
                      everSynced ? AlertSeverity::Warning : AlertSeverity::Critical,
                      QStringLiteral("The last run (%1) left %2 change(s) unacknowledged; the "
                                     "next run sends them.")
                              .arg(at, QString::number(r.failed)) +
                          (everSynced ? QString() : keeps));
    case RunStatus::Interrupted:
        return reason(
            verdictreason::kLastRunInterrupted,
            everSynced ? AlertSeverity::Warning : AlertSeverity::Critical,
            QStringLiteral("The last run (%1) was interrupted; the next run resumes it.").arg(at) +
                (everSynced ? QString() : keeps));
    case RunStatus::Cancelled:
        return reason(
            verdictreason::kLastRunCancelled, AlertSeverity::Warning,
            QStringLiteral("The last run (%1) was cancelled before it finished.").arg(at) + keeps);
    case RunStatus::Skipped:
        if (everSynced)
            return std::nullopt;
        return reason(verdictreason::kLastRunSkipped, AlertSeverity::Warning,
                      withMessage(QStringLiteral("The last run (%1) was skipped").arg(at), r));
    case RunStatus::Running:
    case RunStatus::Succeeded:
        break;
    }
    return std::nullopt;
}
} // namespace

QString verdictStateName(VerdictState s)
{
    for (const StateName& n : kStates)
        if (n.state == s)
            return QString::fromLatin1(n.name);
    return {};
}

std::optional<VerdictState> parseVerdictState(const QString& s)
{
    for (const StateName& n : kStates)
        if (s == QLatin1String(n.name))
            return n.state;
    return std::nullopt;
}

QString MappingVerdict::label() const
{
    switch (state) {
    case VerdictState::NotSyncedYet:
        return QStringLiteral("Not synced yet");
    case VerdictState::Trusted:
        return QStringLiteral("Trusted");
    case VerdictState::Degraded:
        return QStringLiteral("Degraded");
    case VerdictState::Broken:
        return QStringLiteral("Broken");
    }
    return {};
}

QString MappingVerdict::summary() const
{
    if (reasons.isEmpty())
        return label();
    QStringList texts;
    for (const VerdictReason& r : reasons)
        texts.append(r.text);
    return QStringLiteral("%1: %2").arg(label(), texts.join(QLatin1Char(' ')));
}

QJsonObject MappingVerdict::toJson() const
{
    QJsonArray why;
    for (const VerdictReason& r : reasons)
        why.append(QJsonObject{{QStringLiteral("code"), r.code},
                               {QStringLiteral("severity"), alertSeverityName(r.severity)},
                               {QStringLiteral("text"), r.text}});
    QJsonObject o{{QStringLiteral("verdict"), verdictStateName(state)},
                  {QStringLiteral("verdict_reasons"), why},
                  {QStringLiteral("last_sync_ms"),
                   lastSyncMs > 0 ? QJsonValue(lastSyncMs) : QJsonValue(QJsonValue::Null)}};
    if (laterRunStatus)
        o.insert(QStringLiteral("later_run"),
                 QJsonObject{{QStringLiteral("status"), runStatusName(*laterRunStatus)},
                             {QStringLiteral("at_ms"), laterRunAtMs},
                             {QStringLiteral("message"), laterRunMessage}});
    return o;
}

bool alertConcerns(const Alert& a, qint64 mappingId)
{
    if (a.mappingId == mappingId)
        return true;
    // Pair alerts are filed under one mapping, subject "pair:<a>:<b>".
    const QStringList parts = a.subject.split(QLatin1Char(':'));
    return parts.size() == 3 && parts[0] == QLatin1String("pair") &&
           (parts[1].toLongLong() == mappingId || parts[2].toLongLong() == mappingId);
}

MappingVerdict judgeMapping(const VerdictInput& in)
{
    MappingVerdict v;
    v.mappingId = in.mapping.id;
    const bool everSynced = in.lastSucceeded.has_value();
    if (everSynced)
        v.lastSyncMs = endOf(*in.lastSucceeded);
    if (in.lastEnded && (!everSynced || in.lastEnded->id > in.lastSucceeded->id)) {
        v.laterRunStatus = in.lastEnded->status;
        v.laterRunAtMs = endOf(*in.lastEnded);
        v.laterRunMessage = in.lastEnded->message;
    }

    QList<VerdictReason> why;
    if (in.lastEnded && v.laterRunStatus)
        if (auto r = laterRunReason(*in.lastEnded, everSynced))
            why.append(*r);
    if (!everSynced && !in.lastEnded)
        why.append(reason(verdictreason::kNeverSynced, AlertSeverity::Warning,
                          QStringLiteral("No sync has run yet.")));
    if (in.mapping.paused)
        why.append(reason(verdictreason::kPaused, AlertSeverity::Warning,
                          everSynced ? QStringLiteral("Paused: Mixpanel keeps the cohort as of "
                                                      "the last sync.")
                                     : QStringLiteral("Paused.")));

    // Info alerts (a segment definition edited) say nothing against the data.
    QList<Alert> alerts;
    for (const Alert& a : in.openAlerts)
        if (a.isOpen() && a.severity != AlertSeverity::Info && alertConcerns(a, in.mapping.id))
            alerts.append(a);
    std::stable_sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
        return int(a.severity) > int(b.severity);
    });
    for (const Alert& a : alerts)
        why.append(VerdictReason{a.rule, a.severity, a.message});

    if (in.lastVerified && in.lastVerified->verification.valueMissing > 0) {
        const EntryVerification& e = in.lastVerified->verification;
        const QString at = when(endOf(*in.lastVerified));
        if (e.valueMissing >= e.verified)
            why.append(reason(verdictreason::kValueMissing, AlertSeverity::Critical,
                              QStringLiteral("None of the %1 entered keys looked up in Mixpanel "
                                             "after the run of %2 carries the cohort value: the "
                                             "project token may write to another project.")
                                  .arg(QString::number(e.verified), at)));
        else
            why.append(
                reason(verdictreason::kValueMissing, AlertSeverity::Warning,
                       QStringLiteral("%1 of the %2 entered keys looked up in Mixpanel "
                                      "after the run of %3 lack the cohort value.")
                           .arg(QString::number(e.valueMissing), QString::number(e.verified), at)));
    }

    // A check made with the mapping as it is now that failed is evidence against it; a
    // check not made yet is only missing evidence (the Rollout column's business).
    if (in.checklist)
        for (const ChecklistItem& i : in.checklist->items)
            if (i.failed)
                why.append(VerdictReason{i.key, AlertSeverity::Warning,
                                         QStringLiteral("%1: %2.").arg(i.title, i.evidence)});

    std::stable_sort(why.begin(), why.end(), [](const VerdictReason& a, const VerdictReason& b) {
        return int(a.severity) > int(b.severity);
    });
    const bool critical = std::any_of(why.begin(), why.end(), [](const VerdictReason& r) {
        return r.severity == AlertSeverity::Critical;
    });
    const bool failedOnly =
        in.lastEnded && v.laterRunStatus &&
        (in.lastEnded->status == RunStatus::Failed || in.lastEnded->status == RunStatus::Partial ||
         in.lastEnded->status == RunStatus::Interrupted);
    if (!everSynced)
        // Nothing reached Mixpanel yet: "broken" only when a run tried and failed.
        v.state = failedOnly ? VerdictState::Broken : VerdictState::NotSyncedYet;
    else if (critical)
        v.state = VerdictState::Broken;
    else if (!why.isEmpty())
        v.state = VerdictState::Degraded;
    else
        v.state = VerdictState::Trusted;
    v.reasons = why;
    return v;
}

Result<MappingVerdict> readVerdict(Workspace& ws, const Mapping& m, const QList<Alert>& openAlerts,
                                   const ChecklistRules& rules)
{
    RunRepository runs(ws);
    VerdictInput in;
    in.mapping = m;
    auto ended = runs.lastEnded(m.id);
    if (!ended)
        return ended.error();
    in.lastEnded = *ended;
    auto succeeded = runs.lastSucceeded(m.id);
    if (!succeeded)
        return succeeded.error();
    in.lastSucceeded = *succeeded;
    auto verified = runs.lastVerified(m.id);
    if (!verified)
        return verified.error();
    in.lastVerified = *verified;
    for (const Alert& a : openAlerts)
        if (alertConcerns(a, m.id))
            in.openAlerts.append(a);
    auto checklist = ChecklistEvaluator(ws, rules).evaluate(m);
    if (!checklist)
        return checklist.error();
    in.checklist = *checklist;
    return judgeMapping(in);
}

Result<QList<MappingVerdict>> readVerdicts(Workspace& ws, const Clock& clock,
                                           const ChecklistRules& rules)
{
    auto mappings = MappingRepository(ws).list();
    if (!mappings)
        return mappings.error();
    auto open = AlertStore(ws, clock).open();
    if (!open)
        return open.error();
    QList<MappingVerdict> out;
    for (const Mapping& m : *mappings) {
        auto v = readVerdict(ws, m, *open, rules);
        if (!v)
            return v.error();
        out.append(*v);
    }
    return out;
}

} // namespace lockstep
