// Checks one cohort name against a NamingConvention: finds every problem (prefix,
// part count, window, version, case, spacing) and, when all of them can be fixed
// mechanically, the name it should have. Pure; NamingAuditor adds the cross-mapping
// findings.
#pragma once

#include "auditreport.h"
#include "namingconvention.h"
#include "namingpattern.h"

#include <QMap>

#include <vector>

namespace lockstep {

struct NameProblem
{
    FindingSeverity severity = FindingSeverity::Warning;
    QString code;
    QString message;
};

struct NameCheck
{
    QList<NameProblem> problems;
    QString suggestion;            // canonical name when every problem is fixable
    bool structured = false;       // the parts could be mapped onto the pattern
    QMap<QString, QString> fields; // canonical field values, when structured
    int version = 0;               // the first int field's value (0 = none)
    QString baseKey;               // lower-cased name without its version part

    bool ok() const { return problems.isEmpty(); }
};

class NameChecker
{
public:
    // Fails when the convention's pattern does not parse.
    static Result<NameChecker> create(const NamingConvention& c);

    NameCheck check(const QString& name) const;
    const NamingConvention& convention() const { return m_conv; }
    const NamingPattern& pattern() const { return m_pattern; }
    // False when the pattern has shapes the part-by-part diagnosis cannot follow (an
    // optional group inside a part, a required part after an optional one); names are
    // then only matched as a whole.
    bool diagnosesParts() const { return m_slotsUsable; }

private:
    // A part of the pattern between separators: trimmed literals and fields.
    struct Slot
    {
        bool optional = false;
        std::vector<PatternNode> parts;
    };
    NameChecker() = default;
    void buildSlots();
    NameCheck checkWhole(const QString& name) const;
    // Checks one trimmed part against a slot; returns its canonical text or "" when it
    // cannot be fixed.
    QString checkPart(const Slot& slot, const QString& part, NameCheck& out) const;
    QString checkField(const PatternNode& field, const QString& value, NameCheck& out) const;
    // A suggestion for a name written without separators; "" when none can be guessed.
    QString suggestSeparated(const QStringList& parts, qsizetype required) const;

    NamingConvention m_conv;
    NamingPattern m_pattern;

    std::vector<Slot> m_slots;
    bool m_slotsUsable = false;
};

} // namespace lockstep
