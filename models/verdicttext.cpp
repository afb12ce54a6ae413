#include "verdicttext.h"

#include "displayformat.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace lockstep {

namespace {
struct VerdictText
{
    Q_DECLARE_TR_FUNCTIONS(lockstep::VerdictText)
};

// How bad a state is, for "got worse": a mapping not synced yet is no worse than one
// that is trusted.
int rank(VerdictState s)
{
    switch (s) {
    case VerdictState::NotSyncedYet:
    case VerdictState::Trusted:
        return 0;
    case VerdictState::Degraded:
        return 1;
    case VerdictState::Broken:
        return 2;
    }
    return 0;
}

QString laterRun(RunStatus s)
{
    switch (s) {
    case RunStatus::Failed:
        return VerdictText::tr("last run failed");
    case RunStatus::Skipped:
        return VerdictText::tr("last run skipped");
    case RunStatus::Partial:
        return VerdictText::tr("last run partial");
    case RunStatus::Cancelled:
        return VerdictText::tr("last run cancelled");
    case RunStatus::Interrupted:
        return VerdictText::tr("last run interrupted");
    case RunStatus::Running:
    case RunStatus::Succeeded:
        break;
    }
    return {};
}

QString nameOf(const QHash<qint64, QString>& names, qint64 id)
{
    return names.value(id, VerdictText::tr("mapping %1").arg(id));
}

// "CIO | Winback — Broken: <first reason>"
QString line(const MappingVerdict& v, const QHash<qint64, QString>& names)
{
    const QString head =
        VerdictText::tr("%1 — %2").arg(nameOf(names, v.mappingId), format::verdict(v.state));
    return v.reasons.isEmpty() ? head : VerdictText::tr("%1: %2").arg(head, v.reasons.first().text);
}
} // namespace

namespace format {

QString verdict(VerdictState s)
{
    switch (s) {
    case VerdictState::NotSyncedYet:
        return VerdictText::tr("Not synced yet");
    case VerdictState::Trusted:
        return VerdictText::tr("Trusted");
    case VerdictState::Degraded:
        return VerdictText::tr("Degraded");
    case VerdictState::Broken:
        return VerdictText::tr("Broken");
    }
    return {};
}

StatusTone tone(VerdictState s)
{
    switch (s) {
    case VerdictState::NotSyncedYet:
        return StatusTone::Neutral;
    case VerdictState::Trusted:
        return StatusTone::Good;
    case VerdictState::Degraded:
        return StatusTone::Warning;
    case VerdictState::Broken:
        return StatusTone::Bad;
    }
    return StatusTone::Neutral;
}

QString verdictDetail(const MappingVerdict& v)
{
    QString text = verdict(v.state);
    for (const VerdictReason& r : v.reasons)
        text += QStringLiteral("\n• ") + r.text;
    return text;
}

QString lastSync(const MappingVerdict& v)
{
    const QString synced = v.lastSyncMs > 0 ? timestamp(v.lastSyncMs) : VerdictText::tr("never");
    if (!v.laterRunStatus)
        return synced;
    const QString later = laterRun(*v.laterRunStatus);
    return later.isEmpty() ? synced : VerdictText::tr("%1 · %2").arg(synced, later);
}

} // namespace format

TrayNotice verdictNotice(const QHash<qint64, MappingVerdict>& before,
                         const QList<MappingVerdict>& now, const QHash<qint64, QString>& names,
                         const QList<Alert>& raised)
{
    QList<MappingVerdict> worse;
    QHash<qint64, MappingVerdict> byId;
    for (const MappingVerdict& v : now) {
        byId.insert(v.mappingId, v);
        const auto was = before.constFind(v.mappingId);
        if (was != before.cend() && rank(v.state) > rank(was->state))
            worse.append(v);
    }
    // Alerts raised on mappings whose verdict did not change: said with that verdict.
    QList<const Alert*> news;
    for (const Alert& a : raised) {
        const bool told = std::any_of(worse.begin(), worse.end(), [&](const MappingVerdict& v) {
            return alertConcerns(a, v.mappingId);
        });
        if (!told)
            news.append(&a);
    }
    TrayNotice n;
    for (const MappingVerdict& v : worse)
        n.critical = n.critical || v.state == VerdictState::Broken;
    for (const Alert* a : news)
        n.critical = n.critical || a->severity == AlertSeverity::Critical;

    if (worse.size() == 1 && news.isEmpty()) {
        const MappingVerdict& v = worse.first();
        //: %1 is a cohort name, %2 a verdict ("Broken", "Degraded")
        n.title = VerdictText::tr("Lockstep: %1 is %2")
                      .arg(nameOf(names, v.mappingId), format::verdict(v.state));
        QStringList texts;
        for (const VerdictReason& r : v.reasons)
            texts.append(r.text);
        n.message = texts.join(QLatin1Char('\n'));
        return n;
    }
    QStringList lines;
    for (const MappingVerdict& v : worse)
        lines.append(line(v, names));
    for (const Alert* a : news) {
        const auto v = byId.constFind(a->mappingId);
        const QString verdict =
            v == byId.cend() ? QString() : QStringLiteral(" — ") + format::verdict(v->state);
        lines.append(
            VerdictText::tr("%1%2: %3").arg(nameOf(names, a->mappingId), verdict, a->message));
    }
    if (lines.isEmpty())
        return {};
    if (worse.isEmpty())
        n.title = news.size() == 1 ? VerdictText::tr("Lockstep: new health alert")
                                   : VerdictText::tr("Lockstep: %n new health alert(s)", nullptr,
                                                     int(news.size()));
    else {
        QSet<qint64> concerned;
        for (const MappingVerdict& v : worse)
            concerned.insert(v.mappingId);
        for (const Alert* a : news)
            concerned.insert(a->mappingId);
        n.title = VerdictText::tr("Lockstep: %n mapping(s) need attention", nullptr,
                                  int(concerned.size()));
    }
    n.message = lines.join(QLatin1Char('\n'));
    return n;
}

} // namespace lockstep
