#include "checklistevaluator.h"

#include "audit/namechecker.h"
#include "truststore.h"

#include <QDateTime>

namespace lockstep {

namespace {
QString when(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}
} // namespace

Result<RolloutChecklist> ChecklistEvaluator::evaluate(const Mapping& m)
{
    RolloutChecklist list;
    list.mappingId = m.id;
    TrustStore store(m_ws);
    const QJsonObject fingerprint = trustFingerprint(m);

    // The newest check of a kind still made with the mapping as it is now.
    auto evidence = [&](const char* kind, const QString& title, const QString& key,
                        const QString& howTo) -> Result<ChecklistItem> {
        ChecklistItem item{key, title, false, {}};
        auto history = store.history(m.id, QString::fromLatin1(kind), 20);
        if (!history)
            return history.error();
        bool stale = false;
        for (const TrustCheckRecord& r : *history) {
            if (r.result.value(QLatin1String("fingerprint")).toObject() != fingerprint) {
                stale = true;
                continue;
            }
            item.done = r.passed;
            item.failed = !r.passed;
            item.evidence = QStringLiteral("%1 on %2: %3")
                                .arg(r.passed ? QStringLiteral("passed") : QStringLiteral("failed"),
                                     when(r.atMs), r.summary);
            if (!r.passed)
                item.evidence += QStringLiteral("; ") + howTo;
            return item;
        }
        item.evidence =
            stale ? QStringLiteral("only checked before the mapping changed; ") + howTo : howTo;
        return item;
    };

    const QString id = QString::number(m.id);
    auto spot =
        evidence(trustkind::kSpotCheck, QStringLiteral("Identity key verified on real people"),
                 QString::fromLatin1(checklistitem::kIdentityVerified),
                 QStringLiteral("run `lockstep spot-check --mapping %1`").arg(id));
    if (!spot)
        return spot.error();
    list.items.append(*spot);
    auto rehearsal = evidence(
        trustkind::kRehearsal, QStringLiteral("Rehearsal on a test segment passed"),
        QString::fromLatin1(checklistitem::kRehearsalPassed),
        QStringLiteral("run `lockstep rehearse --mapping %1 --test-segment ID --cleanup`").arg(id));
    if (!rehearsal)
        return rehearsal.error();
    list.items.append(*rehearsal);

    ChecklistItem name{QString::fromLatin1(checklistitem::kNameConvention),
                       QStringLiteral("Name follows the convention"),
                       false,
                       {}};
    auto checker = NameChecker::create(m_convention);
    if (!checker) {
        name.evidence =
            QStringLiteral("the naming convention does not parse: %1").arg(checker.error().message);
    } else {
        const NameCheck check = checker->check(m.cohortName);
        name.done = check.ok();
        QStringList problems;
        for (const NameProblem& p : check.problems)
            problems.append(p.message);
        name.evidence =
            check.ok() ? QStringLiteral("\"%1\" matches %2").arg(m.cohortName, m_convention.pattern)
                       : problems.join(QStringLiteral("; ")) +
                             (check.suggestion.isEmpty()
                                  ? QString()
                                  : QStringLiteral(" (suggested: \"%1\")").arg(check.suggestion));
    }
    list.items.append(name);

    list.items.append(ChecklistItem{QString::fromLatin1(checklistitem::kOwnerSet),
                                    QStringLiteral("Owner set"), !m.owner.trimmed().isEmpty(),
                                    m.owner.trimmed().isEmpty()
                                        ? QStringLiteral("no owner: who answers for this cohort?")
                                        : m.owner.trimmed()});
    list.items.append(ChecklistItem{
        QString::fromLatin1(checklistitem::kDecisionSet), QStringLiteral("Decision set"),
        !m.decision.trimmed().isEmpty(),
        m.decision.trimmed().isEmpty() ? QStringLiteral("no decision: what does this cohort drive?")
                                       : m.decision.trimmed()});

    auto expectation = store.latencyExpectationMinutes(m.id);
    if (!expectation)
        return expectation.error();
    list.items.append(ChecklistItem{
        QString::fromLatin1(checklistitem::kLatencyExpectationSet),
        QStringLiteral("Latency expectation documented"), *expectation > 0,
        *expectation > 0
            ? QStringLiteral("changes reach Mixpanel within %1 min").arg(*expectation)
            : QStringLiteral("run `lockstep latency --mapping %1 --expect MINUTES`").arg(id)});

    auto cohort =
        evidence(trustkind::kCohortDefinition, QStringLiteral("Mixpanel cohort definition created"),
                 QString::fromLatin1(checklistitem::kCohortDefinitionCreated),
                 QStringLiteral("create the cohort in Mixpanel (%1), then run `lockstep checklist "
                                "--mapping %2`")
                     .arg(m.cohortDefinition(), id));
    if (!cohort)
        return cohort.error();
    list.items.append(*cohort);
    return list;
}

} // namespace lockstep
