#include "specdocument.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>

namespace lockstep {

QString SpecError::toString(const QString& file) const
{
    if (at.line <= 0)
        return QStringLiteral("%1: %2").arg(file, message);
    return QStringLiteral("%1:%2:%3: %4")
        .arg(file, QString::number(at.line), QString::number(at.column), message);
}

QString SpecNode::kindName() const
{
    switch (kind) {
    case Kind::Null:
        return QStringLiteral("nothing");
    case Kind::Scalar:
        return QStringLiteral("a value");
    case Kind::Sequence:
        return QStringLiteral("a list");
    case Kind::Map:
        return QStringLiteral("a map");
    }
    return {};
}

namespace {

// Positions as a person counts them: lines and characters (not bytes) from 1. Every node
// asks for one, so each answer is cheap whatever the line's length (a one-line JSON file
// of megabytes): line starts by binary search, characters counted from a checkpoint.
class PositionMap
{
public:
    explicit PositionMap(const QByteArray& text) : m_text(text)
    {
        m_lineStarts.push_back(0);
        qint64 chars = 0;
        for (qint64 i = 0; i < text.size(); ++i) {
            if ((i & (kStride - 1)) == 0)
                m_checkpoints.push_back(chars);
            if ((uchar(text[i]) & 0xC0) != 0x80) // not a continuation byte
                ++chars;
            if (text[i] == '\n')
                m_lineStarts.push_back(i + 1);
        }
        m_checkpoints.push_back(chars);
    }

    SpecPosition at(qint64 offset) const
    {
        offset = std::clamp<qint64>(offset, 0, m_text.size());
        const auto line = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset) - 1;
        return {int(line - m_lineStarts.begin()) + 1,
                int(charsBefore(offset) - charsBefore(*line)) + 1};
    }
    // yaml-cpp's marks: an offset in bytes of the text it was given.
    SpecPosition at(const YAML::Mark& mark) const
    {
        if (mark.is_null() || mark.pos < 0)
            return {};
        return at(qint64(mark.pos));
    }

private:
    static constexpr qint64 kStride = 256;

    qint64 charsBefore(qint64 offset) const
    {
        const qint64 block = offset / kStride;
        qint64 chars = m_checkpoints[size_t(block)];
        for (qint64 i = block * kStride; i < offset; ++i)
            if ((uchar(m_text[i]) & 0xC0) != 0x80)
                ++chars;
        return chars;
    }

    const QByteArray& m_text;
    std::vector<qint64> m_lineStarts;
    std::vector<qint64> m_checkpoints; // characters before each kStride-th byte
};

// The offset of the first byte that breaks UTF-8, or -1.
qint64 invalidUtf8At(const QByteArray& b)
{
    const auto* p = reinterpret_cast<const uchar*>(b.constData());
    const qint64 n = b.size();
    for (qint64 i = 0; i < n;) {
        const uchar c = p[i];
        int extra = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + extra >= n)
            return i;
        for (int k = 1; k <= extra; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past Unicode's last.
        static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += extra + 1;
    }
    return -1;
}

// Whether the quoted scalar opening at `pos` is closed. yaml-cpp ends an unclosed one at
// the end of the text, keeping whatever followed the quote as its value.
bool quoteClosed(const QByteArray& text, qint64 pos)
{
    const char quote = text[pos];
    for (qint64 i = pos + 1; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i;
            continue;
        }
        if (text[i] != quote)
            continue;
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
            ++i; // '' is a quote inside single quotes
            continue;
        }
        return true;
    }
    return false;
}

// Thrown from the event handler to stop yaml-cpp at the first limit crossed.
struct Stop
{
    SpecError error;
};

bool standardTag(const std::string& tag)
{
    // "?" plain, "!" quoted, and the core schema's own tags.
    static const char* const allowed[] = {"",
                                          "?",
                                          "!",
                                          "tag:yaml.org,2002:str",
                                          "tag:yaml.org,2002:int",
                                          "tag:yaml.org,2002:float",
                                          "tag:yaml.org,2002:bool",
                                          "tag:yaml.org,2002:null",
                                          "tag:yaml.org,2002:map",
                                          "tag:yaml.org,2002:seq"};
    for (const char* a : allowed)
        if (tag == a)
            return true;
    return false;
}

// Builds the tree from yaml-cpp's events, expanding aliases by copy while counting.
class TreeBuilder : public YAML::EventHandler
{
public:
    TreeBuilder(const QByteArray& text, const PositionMap& positions, const SpecLimits& limits,
                QList<SpecError>& errors)
        : m_text(text), m_positions(positions), m_limits(limits), m_errors(errors)
    {}

    std::optional<SpecNode> root;
    int documents = 0;

    void OnDocumentStart(const YAML::Mark& mark) override
    {
        if (++documents > 1)
            throw Stop{{m_positions.at(mark),
                        QStringLiteral("the file holds more than one YAML document (a second "
                                       "`---`); put everything in one")}};
    }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override
    {
        SpecNode n;
        n.at = m_positions.at(mark);
        finish(std::move(n), anchor, 1, 1);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override
    {
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end())
            throw Stop{{m_positions.at(mark), QStringLiteral("an alias to an unknown anchor")}};
        // A copy: what the alias expands to counts against the limits like written values,
        // so nested aliases (a "billion laughs", or a chain of deep ones) stop at the limits,
        // not in memory or on the stack.
        const Anchored& anchored = it->second;
        count(anchored.size, mark);
        if (int(m_stack.size()) + anchored.height > m_limits.maxDepth)
            throw Stop{tooDeep(mark)};
        SpecNode copy = anchored.node;
        copy.at = m_positions.at(mark);
        finish(std::move(copy), 0, anchored.size, anchored.height);
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override
    {
        checkTag(tag, mark);
        if (tag == "!" && mark.pos >= 0 && mark.pos < m_text.size() &&
            (m_text[mark.pos] == '"' || m_text[mark.pos] == '\'') && !quoteClosed(m_text, mark.pos))
            throw Stop{{m_positions.at(mark), QStringLiteral("not valid YAML: this quoted value "
                                                             "is never closed")}};
        SpecNode n;
        n.kind = SpecNode::Kind::Scalar;
        n.text = QString::fromStdString(value);
        n.plain = tag == "?";
        n.at = m_positions.at(mark);
        count(1, mark);
        finish(std::move(n), anchor, 1, 1);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(SpecNode::Kind::Sequence, mark, tag, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(SpecNode::Kind::Map, mark, tag, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame
    {
        SpecNode node;
        YAML::anchor_t anchor = 0;
        qint64 firstCount = 0; // m_nodes when it opened: its size is the difference
        int height = 0;        // of its tallest child
        std::optional<SpecNode> key;
    };
    struct Anchored
    {
        SpecNode node;
        qint64 size = 0;
        int height = 0;
    };

    SpecError tooDeep(const YAML::Mark& mark) const
    {
        return {m_positions.at(mark),
                QStringLiteral("nested deeper than %1 levels; a mappings file needs 4")
                    .arg(m_limits.maxDepth)};
    }

    void checkTag(const std::string& tag, const YAML::Mark& mark)
    {
        if (!standardTag(tag))
            m_errors.append({m_positions.at(mark),
                             QStringLiteral("the tag %1 is not supported (write the plain value)")
                                 .arg(QString::fromStdString(tag))});
    }
    void count(qint64 n, const YAML::Mark& mark)
    {
        m_nodes += n;
        if (m_nodes > m_limits.maxNodes)
            throw Stop{{m_positions.at(mark),
                        QStringLiteral("the file expands to more than %1 values (aliases of "
                                       "aliases?); a mappings file needs far fewer")
                            .arg(m_limits.maxNodes)}};
    }
    void open(SpecNode::Kind kind, const YAML::Mark& mark, const std::string& tag,
              YAML::anchor_t anchor)
    {
        checkTag(tag, mark);
        if (int(m_stack.size()) >= m_limits.maxDepth)
            throw Stop{tooDeep(mark)};
        count(1, mark);
        Frame f;
        f.node.kind = kind;
        f.node.at = m_positions.at(mark);
        f.anchor = anchor;
        f.firstCount = m_nodes - 1;
        m_stack.push_back(std::move(f));
    }
    void close()
    {
        Frame f = std::move(m_stack.back());
        m_stack.pop_back();
        finish(std::move(f.node), f.anchor, m_nodes - f.firstCount, f.height + 1);
    }
    void finish(SpecNode n, YAML::anchor_t anchor, qint64 size, int height)
    {
        if (anchor != 0)
            m_anchors[anchor] = {n, size, height};
        if (m_stack.empty()) {
            root = std::move(n);
            return;
        }
        Frame& parent = m_stack.back();
        parent.height = std::max(parent.height, height);
        if (parent.node.kind == SpecNode::Kind::Sequence) {
            parent.node.items.push_back(std::move(n));
            return;
        }
        if (!parent.key) {
            if (!n.isScalar())
                m_errors.append(
                    {n.at,
                     QStringLiteral("a key must be a plain value, not %1").arg(n.kindName())});
            parent.key = std::move(n);
            return;
        }
        parent.node.entries.push_back(SpecEntry{std::move(*parent.key), std::move(n)});
        parent.key.reset();
    }

    const QByteArray& m_text;
    const PositionMap& m_positions;
    const SpecLimits& m_limits;
    QList<SpecError>& m_errors;
    std::vector<Frame> m_stack;
    std::map<YAML::anchor_t, Anchored> m_anchors;
    qint64 m_nodes = 0;
};

// Duplicate keys, anywhere: YAML forbids them, and a reader that kept the first or the
// last would hide half of what a reviewer read.
void checkDuplicateKeys(const SpecNode& n, QList<SpecError>& errors)
{
    if (n.isMap()) {
        std::map<QString, SpecPosition> seen;
        for (const auto& [key, value] : n.entries) {
            if (key.isScalar()) {
                const auto [it, inserted] = seen.emplace(key.text, key.at);
                if (!inserted)
                    errors.append({key.at, QStringLiteral("the key `%1` appears twice in this map "
                                                          "(first at line %2)")
                                               .arg(key.text)
                                               .arg(it->second.line)});
            }
            checkDuplicateKeys(value, errors);
        }
    }
    for (const SpecNode& item : n.items)
        checkDuplicateKeys(item, errors);
}

} // namespace

SpecDocument readSpecDocument(const QByteArray& input, const SpecLimits& limits)
{
    SpecDocument doc;
    if (input.size() > limits.maxBytes) {
        doc.errors.append({{1, 1},
                           QStringLiteral("the file is %1 bytes; a mappings file may have at most "
                                          "%2")
                               .arg(input.size())
                               .arg(limits.maxBytes)});
        return doc;
    }
    QByteArray text = input;
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3); // a UTF-8 byte order mark, as some editors write
    else if (text.startsWith("\xFF\xFE") || text.startsWith("\xFE\xFF") ||
             text.startsWith(QByteArray("\x00\x00\xFE\xFF", 4))) {
        doc.errors.append({{1, 1},
                           QStringLiteral("the file is UTF-16 or UTF-32 (it starts with "
                                          "a byte order mark for it); save it as UTF-8")});
        return doc;
    }
    text.replace("\r\n", "\n");
    const PositionMap positions(text);
    if (const qsizetype nul = text.indexOf('\0'); nul >= 0) {
        doc.errors.append(
            {positions.at(nul), QStringLiteral("a NUL byte: this is not a text file")});
        return doc;
    }
    if (const qint64 bad = invalidUtf8At(text); bad >= 0) {
        doc.errors.append({positions.at(bad), QStringLiteral("not valid UTF-8 (byte 0x%1)")
                                                  .arg(uchar(text[bad]), 2, 16, QLatin1Char('0'))});
        return doc;
    }

    const QByteArray trimmed = text.trimmed();
    doc.json = trimmed.startsWith('{') || trimmed.startsWith('[');
    if (doc.json) {
        // Strict JSON first: YAML would accept what JSON tools reject (comments, trailing
        // commas), and a .json file should fail where jq would.
        QJsonParseError error;
        QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError) {
            doc.errors.append({positions.at(error.offset),
                               QStringLiteral("not valid JSON: %1").arg(error.errorString())});
            return doc;
        }
    }

    std::istringstream in(text.toStdString());
    TreeBuilder builder(text, positions, limits, doc.errors);
    try {
        YAML::Parser parser(in);
        while (parser.HandleNextDocument(builder)) {
        }
    } catch (const Stop& stop) {
        doc.errors.append(stop.error);
        return doc;
    } catch (const YAML::Exception& e) {
        QString message = QStringLiteral("not valid YAML: %1").arg(QString::fromStdString(e.msg));
        // The most common cause of a puzzling message: an editor that indents with tabs.
        const qsizetype lineStart =
            e.mark.pos > 0 ? text.lastIndexOf('\n', qsizetype(e.mark.pos) - 1) + 1 : 0;
        if (lineStart < text.size() && text[lineStart] == '\t')
            message += QStringLiteral(" (tabs cannot indent YAML: use spaces)");
        doc.errors.append({positions.at(e.mark), message});
        return doc;
    }
    if (!builder.root) {
        doc.root = SpecNode{};
        return doc;
    }
    checkDuplicateKeys(*builder.root, doc.errors);
    doc.root = std::move(builder.root);
    return doc;
}

SpecDocument readSpecFile(const QString& path, const SpecLimits& limits)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        SpecDocument doc;
        doc.errors.append({{}, QStringLiteral("cannot read it: %1").arg(f.errorString())});
        return doc;
    }
    // Never more than the limit in memory, whatever the file claims to be (a FIFO, /dev/zero).
    if (f.size() > limits.maxBytes) {
        SpecDocument doc;
        doc.errors.append({{1, 1},
                           QStringLiteral("the file is %1 bytes; a mappings file may have at most "
                                          "%2")
                               .arg(f.size())
                               .arg(limits.maxBytes)});
        return doc;
    }
    return readSpecDocument(f.read(limits.maxBytes + 1), limits);
}

} // namespace lockstep
