#include "jsontree.h"

#include <algorithm>
#include <charconv>

namespace lockstep::sandbox {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isContinuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool readHex4(const char* p, const char* end, std::uint32_t& out)
{
    if (end - p < 4)
        return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
        const int h = hexValue(p[i]);
        if (h < 0)
            return false;
        out = out << 4 | std::uint32_t(h);
    }
    return true;
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | cp >> 6));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | cp >> 12));
        out.push_back(char(0x80 | (cp >> 6 & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | cp >> 18));
        out.push_back(char(0x80 | (cp >> 12 & 0x3F)));
        out.push_back(char(0x80 | (cp >> 6 & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

// Length of the well-formed UTF-8 sequence at p (a lead byte >= 0x80), or 0. Rejects
// overlong forms, surrogates and code points above U+10FFFF, as Qt's parser does.
int utf8Length(const unsigned char* p, const unsigned char* end)
{
    const unsigned char c = p[0];
    int n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (end - p < n || p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; ++i) {
        if (!isContinuation(p[i]))
            return 0;
    }
    return n;
}

} // namespace

bool JsonTree::parse(QByteArrayView text)
{
    m_begin = text.data();
    m_p = m_begin;
    m_end = m_begin + text.size();
    m_nodes.clear();
    m_nodes.reserve(std::size_t(text.size() / 24 + 16));
    m_stack.clear();
    m_arena.clear();
    m_root = JsonNode();
    if (!parseValue(m_root, 0))
        return false;
    skipSpace();
    if (m_p != m_end)
        return false;
    // Qt reads top-level scalars too, but the callers only take arrays and objects.
    return m_root.type == JsonNode::Type::Array || m_root.type == JsonNode::Type::Object;
}

bool JsonTree::parseValue(JsonNode& out, int depth)
{
    skipSpace();
    if (m_p >= m_end)
        return false;
    const char c = *m_p;
    if (c == '{' || c == '[') {
        if (depth >= kMaxDepth)
            return false;
        const bool object = c == '{';
        const char close = object ? '}' : ']';
        ++m_p;
        const std::size_t mark = m_stack.size();
        skipSpace();
        if (m_p < m_end && *m_p == close) {
            ++m_p;
            return closeContainer(out, mark, object);
        }
        while (true) {
            std::string_view key;
            if (object) {
                skipSpace();
                bool ascii = true;
                if (m_p >= m_end || *m_p != '"' || !parseString(key, ascii) || !ascii)
                    return false;
                skipSpace();
                if (m_p >= m_end || *m_p != ':')
                    return false;
                ++m_p;
            }
            JsonNode value;
            if (!parseValue(value, depth + 1))
                return false;
            value.key = key;
            m_stack.push_back(value);
            skipSpace();
            if (m_p >= m_end)
                return false;
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p != close)
                return false;
            ++m_p;
            return closeContainer(out, mark, object);
        }
    }
    if (c == '"') {
        bool ascii = true;
        out.type = JsonNode::Type::String;
        return parseString(out.text, ascii);
    }
    auto literal = [this](std::string_view word) {
        if (std::size_t(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word)
            return false;
        m_p += word.size();
        return true;
    };
    if (c == 't' || c == 'f') {
        out.type = JsonNode::Type::Bool;
        out.boolean = c == 't';
        return literal(out.boolean ? "true" : "false");
    }
    if (c == 'n') {
        out.type = JsonNode::Type::Null;
        return literal("null");
    }
    if (c == '-' || isDigit(c))
        return parseNumber(out);
    return false;
}

bool JsonTree::closeContainer(JsonNode& out, std::size_t mark, bool object)
{
    const auto begin = m_stack.begin() + std::ptrdiff_t(mark);
    if (object) {
        // QJsonObject iterates keys in sorted order; duplicate keys (Qt keeps the last) are
        // left to Qt.
        std::sort(begin, m_stack.end(),
                  [](const JsonNode& a, const JsonNode& b) { return a.key < b.key; });
        for (auto it = begin; it != m_stack.end() && it + 1 != m_stack.end(); ++it) {
            if (it->key == (it + 1)->key)
                return false;
        }
    }
    out.type = object ? JsonNode::Type::Object : JsonNode::Type::Array;
    out.first = std::uint32_t(m_nodes.size());
    out.count = std::uint32_t(m_stack.size() - mark);
    m_nodes.insert(m_nodes.end(), begin, m_stack.end());
    m_stack.resize(mark);
    return true;
}

bool JsonTree::parseString(std::string_view& out, bool& ascii)
{
    ++m_p; // the opening quote
    const char* start = m_p;
    const auto* end = reinterpret_cast<const unsigned char*>(m_end);
    // Plain characters: a view into the payload.
    while (m_p < m_end) {
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            out = std::string_view(start, std::size_t(m_p - start));
            ++m_p;
            return true;
        }
        if (c == '\\')
            break;
        if (c < 0x20)
            return false; // Qt takes raw control characters; leave them to it
        if (c >= 0x80) {
            const int n = utf8Length(reinterpret_cast<const unsigned char*>(m_p), end);
            if (!n)
                return false;
            ascii = false;
            m_p += n;
            continue;
        }
        ++m_p;
    }
    if (m_p >= m_end)
        return false;
    // Escapes: unescape into the arena. Reserved for the whole payload once, so no view
    // into it moves (an unescaped string is never longer than its source).
    if (m_arena.capacity() < std::size_t(m_end - m_begin))
        m_arena.reserve(std::size_t(m_end - m_begin));
    const std::size_t from = m_arena.size();
    m_arena.append(start, std::size_t(m_p - start));
    while (m_p < m_end) {
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            out = std::string_view(m_arena.data() + from, m_arena.size() - from);
            ++m_p;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c >= 0x80) {
            const int n = utf8Length(reinterpret_cast<const unsigned char*>(m_p), end);
            if (!n)
                return false;
            ascii = false;
            m_arena.append(m_p, std::size_t(n));
            m_p += n;
            continue;
        }
        if (c != '\\') {
            m_arena.push_back(char(c));
            ++m_p;
            continue;
        }
        if (m_end - m_p < 2)
            return false;
        const char e = m_p[1];
        m_p += 2;
        switch (e) {
        case '"':
            m_arena.push_back('"');
            break;
        case '\\':
            m_arena.push_back('\\');
            break;
        case '/':
            m_arena.push_back('/');
            break;
        case 'b':
            m_arena.push_back('\b');
            break;
        case 'f':
            m_arena.push_back('\f');
            break;
        case 'n':
            m_arena.push_back('\n');
            break;
        case 'r':
            m_arena.push_back('\r');
            break;
        case 't':
            m_arena.push_back('\t');
            break;
        case 'u': {
            std::uint32_t cp;
            if (!readHex4(m_p, m_end, cp))
                return false;
            m_p += 4;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return false; // a lone low surrogate: Qt's conversion decides
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                std::uint32_t low;
                if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u' ||
                    !readHex4(m_p + 2, m_end, low) || low < 0xDC00 || low > 0xDFFF)
                    return false;
                m_p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            if (cp >= 0x80)
                ascii = false;
            appendUtf8(m_arena, cp);
            break;
        }
        default:
            return false;
        }
    }
    return false;
}

bool JsonTree::parseNumber(JsonNode& out)
{
    // RFC 8259 grammar, strictly (Qt also takes "1." and the like: those go to Qt).
    const char* start = m_p;
    if (*m_p == '-')
        ++m_p;
    if (m_p >= m_end)
        return false;
    if (*m_p == '0') {
        ++m_p;
    } else if (isDigit(*m_p)) {
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    } else {
        return false;
    }
    bool integral = true;
    if (m_p < m_end && *m_p == '.') {
        integral = false;
        ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return false;
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
        integral = false;
        ++m_p;
        if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
            ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return false;
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    }
    out.type = JsonNode::Type::Number;
    if (integral) {
        long long n = 0;
        const auto r = std::from_chars(start, m_p, n);
        if (r.ec == std::errc() && r.ptr == m_p) {
            out.number = double(n);
            return true;
        }
    }
    double d = 0;
    const auto r = std::from_chars(start, m_p, d);
    if (r.ec != std::errc() || r.ptr != m_p)
        return false; // out of range: Qt answers "illegal number"
    // Qt stores integral doubles as integers, so -0.0 reads back as 0.
    out.number = d == 0.0 ? 0.0 : d;
    return true;
}

const JsonNode* JsonTree::member(const JsonNode& object, std::string_view key) const
{
    if (object.type != JsonNode::Type::Object)
        return nullptr;
    const auto begin = m_nodes.begin() + std::ptrdiff_t(object.first);
    const auto end = begin + std::ptrdiff_t(object.count);
    const auto it = std::lower_bound(
        begin, end, key, [](const JsonNode& n, std::string_view k) { return n.key < k; });
    return it != end && it->key == key ? &*it : nullptr;
}

bool JsonTree::containsObject(const JsonNode& node) const
{
    if (node.type == JsonNode::Type::Object)
        return true;
    if (node.type != JsonNode::Type::Array)
        return false;
    for (std::uint32_t i = 0; i < node.count; ++i) {
        if (containsObject(m_nodes[node.first + i]))
            return true;
    }
    return false;
}

} // namespace lockstep::sandbox
