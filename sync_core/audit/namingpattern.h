// The small pattern language that describes a cohort naming convention, e.g.
//     CIO | {intent} | {window} [| v{version}]
// Literal text must appear as written; {name} or {name:type} is a field (types: text,
// window, int; a field named "window" defaults to window, "version" to int, others to
// text); [ ... ] is an optional group (may nest); a backslash escapes the next
// character. The parser is pure and total (every input yields a pattern or an error
// with its column), so it can be fuzzed on its own.
#pragma once

#include "util/result.h"

#include <QRegularExpression>
#include <QStringList>

#include <vector>

namespace lockstep {

enum class FieldType
{
    Text,
    Window,
    Int
};
QString fieldTypeName(FieldType t);

struct PatternNode
{
    enum class Kind
    {
        Literal,
        Field,
        Optional
    };
    Kind kind = Kind::Literal;
    QString text;                      // the literal, or the field name
    FieldType type = FieldType::Text;  // fields only
    std::vector<PatternNode> children; // optional groups only
};

class NamingPattern
{
public:
    static constexpr int kMaxLength = 1000;
    static constexpr int kMaxDepth = 8;

    static Result<NamingPattern> parse(const QString& source);

    const QString& source() const { return m_source; }
    const std::vector<PatternNode>& nodes() const { return m_nodes; }
    // Field names in order of appearance.
    QStringList fieldNames() const;
    // The canonical spelling; parse(toString()) yields an equal pattern.
    QString toString() const;
    // An anchored regular expression: literals exact, each field a named capture group
    // matching anything but the separator-free text of its type (checked separately).
    QRegularExpression toRegex() const;

private:
    QString m_source;
    std::vector<PatternNode> m_nodes;
};

bool operator==(const PatternNode& a, const PatternNode& b);

} // namespace lockstep
