#include "namingpattern.h"

#include <QSet>

namespace lockstep {

namespace {

SyncError patternError(qsizetype column, const QString& what)
{
    return SyncError::make(
        SyncError::Category::Config,
        QStringLiteral("naming pattern, column %1: %2").arg(QString::number(column + 1), what));
}

constexpr int kMaxFieldNameLength = 32; // PCRE2's limit for a group name

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || c == QLatin1Char('_');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

class Parser
{
public:
    explicit Parser(const QString& s) : m_s(s) {}

    Result<std::vector<PatternNode>> run()
    {
        auto nodes = items(0);
        if (!nodes)
            return nodes;
        if (m_pos < m_s.size()) // items() only stops early at a stray ']'
            return patternError(m_pos, QStringLiteral("']' without a matching '['"));
        return nodes;
    }

private:
    // Reads items until the end, or a ']' when inside an optional group.
    Result<std::vector<PatternNode>> items(int depth)
    {
        std::vector<PatternNode> out;
        QString literal;
        auto flush = [&] {
            if (!literal.isEmpty()) {
                out.push_back({PatternNode::Kind::Literal, literal, FieldType::Text, {}});
                literal.clear();
            }
        };
        while (m_pos < m_s.size()) {
            const QChar c = m_s[m_pos];
            if (c == QLatin1Char('\\')) {
                if (m_pos + 1 >= m_s.size())
                    return patternError(m_pos, QStringLiteral("'\\' at the end escapes nothing"));
                literal += m_s[m_pos + 1];
                m_pos += 2;
            } else if (c == QLatin1Char('{')) {
                flush();
                if (!out.empty() && out.back().kind == PatternNode::Kind::Field)
                    return patternError(m_pos, QStringLiteral("two fields need literal text "
                                                              "between them"));
                auto f = field();
                if (!f)
                    return f.error();
                out.push_back(std::move(*f));
            } else if (c == QLatin1Char('}')) {
                return patternError(m_pos, QStringLiteral("'}' without a matching '{'"));
            } else if (c == QLatin1Char('[')) {
                flush();
                if (depth + 1 > NamingPattern::kMaxDepth)
                    return patternError(m_pos, QStringLiteral("optional groups nested too deep"));
                const qsizetype open = m_pos++;
                auto inner = items(depth + 1);
                if (!inner)
                    return inner;
                if (m_pos >= m_s.size())
                    return patternError(open, QStringLiteral("'[' is never closed"));
                ++m_pos; // the ']'
                if (inner->empty())
                    return patternError(open, QStringLiteral("empty optional group"));
                PatternNode n;
                n.kind = PatternNode::Kind::Optional;
                n.children = std::move(*inner);
                out.push_back(std::move(n));
            } else if (c == QLatin1Char(']')) {
                if (depth == 0)
                    return patternError(m_pos, QStringLiteral("']' without a matching '['"));
                flush();
                return out;
            } else {
                literal += c;
                ++m_pos;
            }
        }
        flush();
        return out;
    }

    Result<PatternNode> field()
    {
        const qsizetype open = m_pos++;
        const qsizetype close = m_s.indexOf(QLatin1Char('}'), m_pos);
        if (close < 0)
            return patternError(open, QStringLiteral("'{' is never closed"));
        const QString body = m_s.mid(m_pos, close - m_pos);
        const qsizetype colon = body.indexOf(QLatin1Char(':'));
        const QString name = colon < 0 ? body : body.left(colon);
        if (name.isEmpty())
            return patternError(open, QStringLiteral("a field needs a name, e.g. {intent}"));
        // A field becomes a named capture group and PCRE2 caps names at 32 code units;
        // a longer one made toRegex() invalid, so no name matched (found by fuzzing).
        if (name.size() > kMaxFieldNameLength)
            return patternError(
                open,
                QStringLiteral("field name “%1…” is longer than %2 characters")
                    .arg(name.left(kMaxFieldNameLength), QString::number(kMaxFieldNameLength)));
        if (!isNameStart(name[0]))
            return patternError(
                open, QStringLiteral("field name “%1” must start with a-z or _").arg(name));
        for (QChar ch : name)
            if (!isNameChar(ch))
                return patternError(open, QStringLiteral("field name “%1” may only use a-z, "
                                                         "0-9 and _")
                                              .arg(name));
        if (m_names.contains(name))
            return patternError(open, QStringLiteral("field {%1} appears twice").arg(name));
        m_names.insert(name);
        PatternNode n;
        n.kind = PatternNode::Kind::Field;
        n.text = name;
        if (colon < 0) {
            n.type = name == QLatin1String("window")    ? FieldType::Window
                     : name == QLatin1String("version") ? FieldType::Int
                                                        : FieldType::Text;
        } else {
            const QString type = body.mid(colon + 1);
            if (type == QLatin1String("text"))
                n.type = FieldType::Text;
            else if (type == QLatin1String("window"))
                n.type = FieldType::Window;
            else if (type == QLatin1String("int"))
                n.type = FieldType::Int;
            else
                return patternError(open, QStringLiteral("unknown field type “%1” (text, window "
                                                         "or int)")
                                              .arg(type));
        }
        m_pos = close + 1;
        return n;
    }

    const QString& m_s;
    qsizetype m_pos = 0;
    QSet<QString> m_names;
};

void collectNames(const std::vector<PatternNode>& nodes, QStringList& out)
{
    for (const PatternNode& n : nodes) {
        if (n.kind == PatternNode::Kind::Field)
            out.append(n.text);
        else if (n.kind == PatternNode::Kind::Optional)
            collectNames(n.children, out);
    }
}

QString escapeLiteral(const QString& s)
{
    QString out;
    for (QChar c : s) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('{') || c == QLatin1Char('}') ||
            c == QLatin1Char('[') || c == QLatin1Char(']'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

void print(const std::vector<PatternNode>& nodes, QString& out)
{
    for (const PatternNode& n : nodes) {
        switch (n.kind) {
        case PatternNode::Kind::Literal:
            out += escapeLiteral(n.text);
            break;
        case PatternNode::Kind::Field:
            out += QLatin1Char('{') + n.text + QLatin1Char(':') + fieldTypeName(n.type) +
                   QLatin1Char('}');
            break;
        case PatternNode::Kind::Optional:
            out += QLatin1Char('[');
            print(n.children, out);
            out += QLatin1Char(']');
            break;
        }
    }
}

void regex(const std::vector<PatternNode>& nodes, QString& out)
{
    // "{window} [| v{version}]": the space before a group belongs to the group, so the
    // name may end right after the window.
    QString carried;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const PatternNode& n = nodes[i];
        switch (n.kind) {
        case PatternNode::Kind::Literal: {
            QString text = n.text;
            carried.clear();
            if (i + 1 < nodes.size() && nodes[i + 1].kind == PatternNode::Kind::Optional) {
                qsizetype keep = text.size();
                while (keep > 0 && text[keep - 1].isSpace())
                    --keep;
                carried = text.mid(keep);
                text.truncate(keep);
            }
            out += QRegularExpression::escape(text);
            break;
        }
        case PatternNode::Kind::Field:
            carried.clear();
            out += QStringLiteral("(?<") + n.text + QStringLiteral(">.+?)");
            break;
        case PatternNode::Kind::Optional:
            out += QStringLiteral("(?:") + QRegularExpression::escape(carried);
            carried.clear();
            regex(n.children, out);
            out += QStringLiteral(")?");
            break;
        }
    }
}

bool hasContent(const std::vector<PatternNode>& nodes)
{
    for (const PatternNode& n : nodes) {
        if (n.kind == PatternNode::Kind::Field)
            return true;
        if (n.kind == PatternNode::Kind::Literal && !n.text.trimmed().isEmpty())
            return true;
        if (n.kind == PatternNode::Kind::Optional && hasContent(n.children))
            return true;
    }
    return false;
}

} // namespace

QString fieldTypeName(FieldType t)
{
    switch (t) {
    case FieldType::Text:
        return QStringLiteral("text");
    case FieldType::Window:
        return QStringLiteral("window");
    case FieldType::Int:
        return QStringLiteral("int");
    }
    return QStringLiteral("text");
}

bool operator==(const PatternNode& a, const PatternNode& b)
{
    return a.kind == b.kind && a.text == b.text && a.type == b.type && a.children == b.children;
}

Result<NamingPattern> NamingPattern::parse(const QString& source)
{
    if (source.size() > kMaxLength)
        return patternError(
            kMaxLength, QStringLiteral("the pattern is longer than %1 characters").arg(kMaxLength));
    Parser p(source);
    auto nodes = p.run();
    if (!nodes)
        return nodes.error();
    if (!hasContent(*nodes))
        return patternError(0, QStringLiteral("the pattern is empty (no text and no field)"));
    NamingPattern out;
    out.m_source = source;
    out.m_nodes = std::move(*nodes);
    // The limit holds for the pattern written out in full too ("{name}" is stored and
    // exported as "{name:text}"), so whatever is accepted reads back the same.
    if (out.toString().size() > kMaxLength)
        return patternError(kMaxLength,
                            QStringLiteral("the pattern is longer than %1 characters "
                                           "written out in full (each field with its type)")
                                .arg(kMaxLength));
    return out;
}

QStringList NamingPattern::fieldNames() const
{
    QStringList out;
    collectNames(m_nodes, out);
    return out;
}

QString NamingPattern::toString() const
{
    QString out;
    print(m_nodes, out);
    return out;
}

QRegularExpression NamingPattern::toRegex() const
{
    QString re = QStringLiteral("^");
    regex(m_nodes, re);
    re += QLatin1Char('$');
    return QRegularExpression(re);
}

} // namespace lockstep
