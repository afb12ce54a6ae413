#include "namingauditor.h"

#include "editdistance.h"
#include "namechecker.h"

#include <QHash>

#include <algorithm>
#include <map>
#include <set>

namespace lockstep {

namespace {

AuditFinding findingFor(const Mapping& m, FindingSeverity s, const QString& code,
                        const QString& message)
{
    AuditFinding f;
    f.severity = s;
    f.code = code;
    f.mappingId = m.id;
    f.segmentId = m.segmentId;
    f.segmentName = m.segmentName;
    f.cohortName = m.cohortName;
    f.message = message;
    return f;
}

QString label(const Mapping& m)
{
    return QStringLiteral("mapping %1 (“%2”)").arg(QString::number(m.id), m.cohortName);
}

// What two names are compared on for near-duplicates: the text fields when both follow
// the pattern (different windows or versions are different cohorts on purpose), else
// the whole name; lower-cased with spaces collapsed either way.
QString comparable(const NameCheck& c, const QString& name, const QStringList& typedFields,
                   QString* typedKey)
{
    if (!c.structured) {
        typedKey->clear();
        return name.simplified().toLower();
    }
    QStringList text, typed;
    for (auto it = c.fields.begin(); it != c.fields.end(); ++it) {
        if (typedFields.contains(it.key()))
            typed.append(it.key() + QLatin1Char('=') + it.value());
        else
            text.append(it.value().simplified().toLower());
    }
    *typedKey = typed.join(QLatin1Char(';'));
    return text.join(QLatin1Char(' '));
}

void typedFieldNames(const std::vector<PatternNode>& nodes, QStringList& out)
{
    for (const PatternNode& n : nodes) {
        if (n.kind == PatternNode::Kind::Optional)
            typedFieldNames(n.children, out);
        else if (n.kind == PatternNode::Kind::Field && n.type != FieldType::Text)
            out.append(n.text);
    }
}

} // namespace

Result<AuditReport> auditMappings(const QList<Mapping>& input, const NamingConvention& conv,
                                  qint64 generatedAtMs)
{
    auto checker = NameChecker::create(conv);
    if (!checker)
        return checker.error();

    QList<Mapping> mappings = input;
    std::sort(mappings.begin(), mappings.end(),
              [](const Mapping& a, const Mapping& b) { return a.id < b.id; });

    AuditReport report;
    report.generatedAtMs = generatedAtMs;
    report.pattern = conv.pattern;
    report.mappingCount = int(mappings.size());

    QStringList typed;
    typedFieldNames(checker->pattern().nodes(), typed);

    std::vector<NameCheck> checks;
    checks.reserve(size_t(mappings.size()));
    // Per-mapping findings first, collected per mapping so the report reads by mapping.
    std::map<qint64, QList<AuditFinding>> perMapping;
    for (const Mapping& m : mappings) {
        checks.push_back(checker->check(m.cohortName));
        const NameCheck& c = checks.back();
        QList<AuditFinding>& out = perMapping[m.id];
        for (const NameProblem& p : c.problems) {
            AuditFinding f = findingFor(m, p.severity, p.code,
                                        QStringLiteral("“%1”: %2").arg(m.cohortName, p.message));
            f.suggestedName = c.suggestion;
            out.append(f);
        }
        if (m.owner.trimmed().isEmpty())
            out.append(findingFor(m, FindingSeverity::Warning,
                                  QString::fromLatin1(finding::kMissingOwner),
                                  QStringLiteral("%1 has no owner: nobody is answerable when it "
                                                 "degrades")
                                      .arg(label(m))));
        if (m.decision.trimmed().isEmpty())
            out.append(findingFor(m, FindingSeverity::Warning,
                                  QString::fromLatin1(finding::kMissingDecision),
                                  QStringLiteral("%1 has no decision: record what this cohort "
                                                 "is used to decide, or retire it")
                                      .arg(label(m))));
    }

    // Pair findings, filed under the later mapping and pointing at the earlier one.
    for (qsizetype j = 0; j < mappings.size(); ++j) {
        const Mapping& b = mappings[j];
        QList<AuditFinding>& out = perMapping[b.id];
        QString typedB;
        const QString cmpB = comparable(checks[size_t(j)], b.cohortName, typed, &typedB);
        for (qsizetype i = 0; i < j; ++i) {
            const Mapping& a = mappings[i];
            if (a.segmentId == b.segmentId) {
                AuditFinding f = findingFor(
                    b, FindingSeverity::Warning, QString::fromLatin1(finding::kSegmentMappedTwice),
                    QStringLiteral("segment %1 (“%2”) is mapped by %3 and %4: each Mixpanel "
                                   "cohort is written twice; pause or delete one")
                        .arg(QString::number(b.segmentId), b.segmentName, label(a), label(b)));
                f.relatedMappingId = a.id;
                out.append(f);
            }
            if (a.cohortName == b.cohortName && a.segmentId != b.segmentId) {
                AuditFinding f = findingFor(
                    b, FindingSeverity::Error, QString::fromLatin1(finding::kNameOnTwoSegments),
                    QStringLiteral("cohort name “%1” is used by segments %2 and %3: their "
                                   "members are merged in Mixpanel")
                        .arg(b.cohortName, QString::number(a.segmentId),
                             QString::number(b.segmentId)));
                f.relatedMappingId = a.id;
                out.append(f);
                continue;
            }
            if (a.cohortName == b.cohortName)
                continue;
            QString typedA;
            const QString cmpA = comparable(checks[size_t(i)], a.cohortName, typed, &typedA);
            if (typedA != typedB)
                continue;
            const double d = normalizedEditDistance(cmpA, cmpB);
            if (d <= conv.nearDuplicateThreshold) {
                AuditFinding f = findingFor(
                    b, FindingSeverity::Warning, QString::fromLatin1(finding::kNearDuplicate),
                    QStringLiteral("“%1” is nearly the same name as “%2” (mapping %3, distance "
                                   "%4): one cohort under two spellings splits the analysis")
                        .arg(b.cohortName, a.cohortName, QString::number(a.id),
                             QString::number(d, 'f', 2)));
                f.suggestedName = a.cohortName;
                f.relatedMappingId = a.id;
                out.append(f);
            }
        }
    }

    // Version gaps: per base name, the versions in use must run without holes. An
    // unversioned name counts as v1.
    std::map<QString, std::map<int, qint64>> versions; // base -> version -> mapping id
    for (qsizetype i = 0; i < mappings.size(); ++i) {
        const NameCheck& c = checks[size_t(i)];
        if (!c.structured)
            continue;
        versions[c.baseKey].emplace(c.version == 0 ? 1 : c.version, mappings[i].id);
    }
    QHash<qint64, const Mapping*> byId;
    for (const Mapping& m : mappings)
        byId.insert(m.id, &m);
    for (const auto& [base, vs] : versions) {
        if (vs.size() < 1)
            continue;
        const int lo = vs.begin()->first, hi = vs.rbegin()->first;
        QStringList missing;
        for (int v = lo + 1; v < hi; ++v)
            if (!vs.count(v))
                missing.append(QStringLiteral("v%1").arg(v));
        if (missing.isEmpty())
            continue;
        const Mapping& newest = *byId.value(vs.rbegin()->second);
        QStringList present;
        for (const auto& [v, id] : vs)
            present.append(QStringLiteral("v%1").arg(v));
        perMapping[newest.id].append(findingFor(
            newest, FindingSeverity::Info, QString::fromLatin1(finding::kVersionGap),
            QStringLiteral("versions %1 of “%2” are mapped but %3 %4 not: check that no "
                           "version was skipped or lost")
                .arg(present.join(QStringLiteral(", ")), newest.cohortName,
                     missing.join(QStringLiteral(", ")),
                     missing.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"))));
    }

    for (auto& [id, list] : perMapping)
        report.findings.append(list);
    return report;
}

} // namespace lockstep
