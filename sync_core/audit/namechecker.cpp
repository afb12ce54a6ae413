#include "namechecker.h"

#include "windowformat.h"

#include <QRegularExpression>

#include <algorithm>
#include <functional>

namespace lockstep {

namespace {

void add(NameCheck& out, FindingSeverity s, const char* code, const QString& msg)
{
    out.problems.append({s, QString::fromLatin1(code), msg});
}

QString collapseSpaces(const QString& s)
{
    return s.simplified();
}

bool isLiteralSlot(const std::vector<PatternNode>& parts)
{
    for (const PatternNode& n : parts)
        if (n.kind != PatternNode::Kind::Literal)
            return false;
    return true;
}

QString literalText(const std::vector<PatternNode>& parts)
{
    QString s;
    for (const PatternNode& n : parts)
        s += n.text;
    return s;
}

// The part as the pattern spells it, e.g. "v{version}".
QString slotText(const std::vector<PatternNode>& parts)
{
    QString s;
    for (const PatternNode& n : parts)
        s += n.kind == PatternNode::Kind::Field ? QLatin1Char('{') + n.text + QLatin1Char('}')
                                                : n.text;
    return s;
}

} // namespace

Result<NameChecker> NameChecker::create(const NamingConvention& c)
{
    auto p = NamingPattern::parse(c.pattern);
    if (!p)
        return p.error();
    NameChecker nc;
    nc.m_conv = c;
    nc.m_pattern = std::move(*p);
    nc.buildSlots();
    return nc;
}

void NameChecker::buildSlots()
{
    m_slots.clear();
    m_slotsUsable = true;
    m_slots.push_back({});
    // Walks the pattern; a separator inside a literal closes the current slot.
    std::function<void(const std::vector<PatternNode>&, int)> walk =
        [&](const std::vector<PatternNode>& nodes, int depth) {
            for (const PatternNode& n : nodes) {
                if (n.kind == PatternNode::Kind::Literal) {
                    const QStringList pieces = n.text.split(m_conv.separator);
                    for (qsizetype i = 0; i < pieces.size(); ++i) {
                        if (i > 0) {
                            m_slots.push_back({});
                            m_slots.back().optional = depth > 0;
                        }
                        const QString t = pieces[i].trimmed();
                        if (t.isEmpty())
                            continue;
                        // Content of an optional group before its first separator
                        // would make a part optional in the middle.
                        if (depth > 0 && !m_slots.back().optional)
                            m_slotsUsable = false;
                        m_slots.back().parts.push_back(
                            {PatternNode::Kind::Literal, t, FieldType::Text, {}});
                    }
                } else if (n.kind == PatternNode::Kind::Field) {
                    if (depth > 0 && !m_slots.back().optional)
                        m_slotsUsable = false;
                    m_slots.back().parts.push_back(n);
                } else {
                    walk(n.children, depth + 1);
                }
            }
        };
    walk(m_pattern.nodes(), 0);
    bool seenOptional = false;
    for (const Slot& s : m_slots) {
        if (s.parts.empty())
            m_slotsUsable = false;
        if (s.optional)
            seenOptional = true;
        else if (seenOptional)
            m_slotsUsable = false;
        // Two literals in a row come from escapes; fine. A slot with two fields and no
        // literal between them cannot be split.
        for (size_t i = 1; i < s.parts.size(); ++i)
            if (s.parts[i].kind == PatternNode::Kind::Field &&
                s.parts[i - 1].kind == PatternNode::Kind::Field)
                m_slotsUsable = false;
    }
}

QString NameChecker::checkField(const PatternNode& field, const QString& raw, NameCheck& out) const
{
    const QString value = raw.trimmed();
    if (value.isEmpty()) {
        add(out, FindingSeverity::Error, finding::kEmptyPart,
            QStringLiteral("the {%1} part is empty").arg(field.text));
        return {};
    }
    if (value != raw)
        add(out, FindingSeverity::Warning, finding::kSpacing,
            QStringLiteral("stray spaces in the {%1} part").arg(field.text));
    switch (field.type) {
    case FieldType::Window: {
        const WindowCheck w = checkWindow(value);
        if (w.valid)
            return value;
        add(out, w.suggestion.isEmpty() ? FindingSeverity::Error : FindingSeverity::Warning,
            finding::kWindowFormat, w.problem);
        return w.suggestion;
    }
    case FieldType::Int: {
        static const QRegularExpression digits(QStringLiteral("^[0-9]{1,9}$"));
        if (!digits.match(value).hasMatch() || value.toInt() == 0) {
            add(out, FindingSeverity::Error, finding::kVersionFormat,
                QStringLiteral("{%1} must be a whole number from 1, not “%2”")
                    .arg(field.text, value));
            return {};
        }
        const QString canonical = QString::number(value.toInt());
        if (canonical != value)
            add(out, FindingSeverity::Warning, finding::kVersionFormat,
                QStringLiteral("{%1} “%2” should be written “%3”")
                    .arg(field.text, value, canonical));
        return canonical;
    }
    case FieldType::Text: {
        QString fixed = collapseSpaces(value);
        if (m_conv.capitalizeText && fixed[0].isLower()) {
            fixed[0] = fixed[0].toUpper();
            add(out, FindingSeverity::Info, finding::kIntentCase,
                QStringLiteral("{%1} “%2” should start with a capital letter")
                    .arg(field.text, value));
        }
        return fixed;
    }
    }
    return value;
}

QString NameChecker::checkPart(const Slot& slot, const QString& part, NameCheck& out) const
{
    if (isLiteralSlot(slot.parts)) {
        const QString want = literalText(slot.parts);
        if (part == want)
            return want;
        if (collapseSpaces(part).compare(want, Qt::CaseInsensitive) == 0) {
            add(out, FindingSeverity::Warning,
                &slot == &m_slots.front() ? finding::kPrefixCase : finding::kPatternMismatch,
                QStringLiteral("“%1” should be written “%2”").arg(part, want));
            return want;
        }
        add(out, FindingSeverity::Error, finding::kPatternMismatch,
            QStringLiteral("“%1” should be “%2”").arg(part, want));
        return {};
    }
    // Literals of the part must match (case-insensitively; the case is then reported);
    // each field takes the text between them.
    QString re = QStringLiteral("^\\s*");
    for (const PatternNode& n : slot.parts)
        re += n.kind == PatternNode::Kind::Literal
                  ? QRegularExpression::escape(n.text).replace(QStringLiteral("\\ "),
                                                               QStringLiteral("\\s*"))
                  : QStringLiteral("(.*?)");
    re += QStringLiteral("\\s*$");
    const QRegularExpression rx(re, QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = rx.match(part);
    QString fieldName;
    for (const PatternNode& n : slot.parts)
        if (n.kind == PatternNode::Kind::Field && fieldName.isEmpty())
            fieldName = n.text;
    if (!m.hasMatch()) {
        add(out, FindingSeverity::Error, finding::kPatternMismatch,
            QStringLiteral("“%1” does not have the shape “%2”").arg(part, slotText(slot.parts)));
        return {};
    }
    const qsizetype before = out.problems.size();
    QString canonical;
    bool fixable = true;
    int group = 1;
    for (const PatternNode& n : slot.parts) {
        if (n.kind == PatternNode::Kind::Literal) {
            canonical += n.text;
            continue;
        }
        const QString fixed = checkField(n, m.captured(group++), out);
        if (fixed.isEmpty()) {
            fixable = false;
            continue;
        }
        out.fields.insert(n.text, fixed);
        if (n.type == FieldType::Int && out.version == 0)
            out.version = fixed.toInt();
        canonical += fixed;
    }
    // The fields were fine but the literals around them were not written as in the
    // pattern ("V2", "v 2").
    if (fixable && out.problems.size() == before && part.simplified() != canonical) {
        const bool intSlot =
            std::any_of(slot.parts.begin(), slot.parts.end(), [](const PatternNode& n) {
                return n.kind == PatternNode::Kind::Field && n.type == FieldType::Int;
            });
        add(out, FindingSeverity::Warning,
            intSlot ? finding::kVersionFormat : finding::kPatternMismatch,
            QStringLiteral("“%1” should be written “%2”").arg(part, canonical));
    }
    return fixable ? canonical : QString();
}

NameCheck NameChecker::checkWhole(const QString& name) const
{
    NameCheck out;
    const QRegularExpressionMatch m = m_pattern.toRegex().match(name);
    if (!m.hasMatch()) {
        add(out, FindingSeverity::Error, finding::kPatternMismatch,
            QStringLiteral("does not follow the pattern “%1”").arg(m_pattern.source()));
        return out;
    }
    std::function<void(const std::vector<PatternNode>&)> fields =
        [&](const std::vector<PatternNode>& nodes) {
            for (const PatternNode& n : nodes) {
                if (n.kind == PatternNode::Kind::Optional) {
                    fields(n.children);
                } else if (n.kind == PatternNode::Kind::Field && m.hasCaptured(n.text)) {
                    const QString fixed = checkField(n, m.captured(n.text), out);
                    if (!fixed.isEmpty())
                        out.fields.insert(n.text, fixed);
                    if (n.type == FieldType::Int && out.version == 0 && !fixed.isEmpty())
                        out.version = fixed.toInt();
                }
            }
        };
    fields(m_pattern.nodes());
    out.structured = out.problems.isEmpty();
    out.baseKey = name.simplified().toLower();
    return out;
}

QString NameChecker::suggestSeparated(const QStringList& parts, qsizetype required) const
{
    // A name typed without separators ("winback 60-90 days"): when the pattern asks for
    // a prefix (already put back in `parts`), then words, then one last part, try the
    // trailing one, two or three words as that last part and keep the first split that
    // the checker accepts or can fix. A guess, so only ever a suggestion.
    if (parts.size() != 2 || required != 3)
        return {};
    QStringList words = parts[1].simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (!words.isEmpty() && words.first().compare(parts[0], Qt::CaseInsensitive) == 0)
        words.removeFirst(); // "CIO winback 30d": the prefix was there, without its separator
    const QString joiner = QLatin1Char(' ') + QString(m_conv.separator) + QLatin1Char(' ');
    for (qsizetype tail = 1; tail <= 3 && tail < words.size(); ++tail) {
        const QString candidate = parts[0] + joiner +
                                  words.mid(0, words.size() - tail).join(QLatin1Char(' ')) +
                                  joiner + words.mid(words.size() - tail).join(QLatin1Char(' '));
        const NameCheck c = check(candidate);
        if (c.ok())
            return candidate;
        if (!c.suggestion.isEmpty() && check(c.suggestion).ok())
            return c.suggestion;
    }
    return {};
}

NameCheck NameChecker::check(const QString& name) const
{
    if (!m_slotsUsable)
        return checkWhole(name);
    NameCheck out;
    const QChar sep = m_conv.separator;
    const QStringList raw = name.split(sep);

    // Spacing: one space on each side of every separator, none at the ends, no doubles.
    QStringList spacing;
    if (name != name.trimmed())
        spacing.append(QStringLiteral("leading or trailing spaces"));
    bool aroundSep = false, doubles = false;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QString& r = raw[i];
        if (i > 0 && (!r.startsWith(QLatin1Char(' ')) || r.startsWith(QLatin1String("  "))))
            aroundSep = true;
        if (i + 1 < raw.size() &&
            (!r.endsWith(QLatin1Char(' ')) || r.endsWith(QLatin1String("  "))))
            aroundSep = true;
        if (r.trimmed().contains(QLatin1String("  ")))
            doubles = true;
    }
    if (raw.size() > 1 && aroundSep && name.trimmed().size() > 0)
        spacing.append(QStringLiteral("put exactly one space on each side of “%1”").arg(sep));
    if (doubles)
        spacing.append(QStringLiteral("double spaces"));
    if (!spacing.isEmpty())
        add(out, FindingSeverity::Warning, finding::kSpacing, spacing.join(QStringLiteral("; ")));

    QStringList parts;
    for (const QString& r : raw)
        parts.append(r.trimmed());

    const Slot& first = m_slots.front();
    if (isLiteralSlot(first.parts)) {
        const QString want = literalText(first.parts);
        if (parts.front() != want &&
            parts.front().simplified().compare(want, Qt::CaseInsensitive) != 0) {
            add(out, FindingSeverity::Error, finding::kMissingPrefix,
                QStringLiteral("does not start with “%1 %2 ”").arg(want, sep));
            parts.prepend(want);
        }
    }

    qsizetype required = 0;
    for (const Slot& s : m_slots)
        required += s.optional ? 0 : 1;
    const qsizetype total = qsizetype(m_slots.size());
    if (parts.size() < required || parts.size() > total) {
        // Counted as written (a prefix added above is not the name's own part).
        const QString wanted = required == total
                                   ? QString::number(total)
                                   : QStringLiteral("%1 to %2").arg(required).arg(total);
        add(out, FindingSeverity::Error, finding::kPartCount,
            raw.size() == 1
                ? QStringLiteral("has no “%1” between its parts; the convention “%2” has %3 "
                                 "parts separated by “%1”")
                      .arg(sep, m_pattern.source(), wanted)
                : QStringLiteral("has %1 parts separated by “%2”; the convention “%3” has %4")
                      .arg(QString::number(raw.size()), sep, m_pattern.source(), wanted));
        if (raw.size() == 1)
            out.suggestion = suggestSeparated(parts, required);
        out.baseKey = name.simplified().toLower();
        return out;
    }

    QStringList canonical, base;
    bool fixable = true;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const Slot& slot = m_slots[size_t(i)];
        const QString c = checkPart(slot, parts[i], out);
        if (c.isEmpty())
            fixable = false;
        canonical.append(c);
        const bool versionSlot =
            slot.optional &&
            std::any_of(slot.parts.begin(), slot.parts.end(), [](const PatternNode& n) {
                return n.kind == PatternNode::Kind::Field && n.type == FieldType::Int;
            });
        if (!versionSlot)
            base.append((c.isEmpty() ? parts[i] : c).simplified().toLower());
    }
    const QString joiner = QLatin1Char(' ') + QString(sep) + QLatin1Char(' ');
    out.structured = fixable;
    out.baseKey = base.join(joiner);
    if (fixable) {
        const QString suggestion = canonical.join(joiner);
        if (suggestion != name)
            out.suggestion = suggestion;
    }
    return out;
}

} // namespace lockstep
