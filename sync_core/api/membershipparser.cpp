#include "membershipparser.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace lockstep {

namespace {

// QJsonDocument's limit: the root counts as one level.
constexpr int kNestingLimit = 1024;

SyncError protocol(const QString& what)
{
    return SyncError::make(SyncError::Category::Protocol,
                           QStringLiteral("Customer.io sent an unexpected reply: ") + what);
}

// Bytes a string scan can step over without a second look: ASCII other than '"' and '\'.
constexpr std::array<bool, 256> plainTable()
{
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x80; ++c)
        t[size_t(c)] = c != '"' && c != '\\';
    return t;
}
constexpr std::array<bool, 256> kPlain = plainTable();

bool isSpace(char c)
{
    const uchar u = uchar(c);
    return u <= ' ' && (u == ' ' || u == '\t' || u == '\n' || u == '\r');
}

// Steps over the plain bytes (kPlain) at p, eight at a time while eight are left.
const char* skipPlain(const char* p, const char* end)
{
    constexpr uint64_t ones = 0x0101010101010101ull;
    constexpr uint64_t highs = 0x8080808080808080ull;
    while (end - p >= 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        const uint64_t quote = v ^ (ones * '"');
        const uint64_t backslash = v ^ (ones * '\\');
        // A byte of `special` has its high bit set where v has '"', '\\' or a byte >= 0x80
        // (the classic "has a zero byte" test, exact for the lowest such byte).
        const uint64_t special = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | v;
        const uint64_t hit = special & highs;
        if (hit)
            return p + (std::countr_zero(hit) >> 3);
        p += 8;
    }
    while (p < end && kPlain[uchar(*p)])
        ++p;
    return p;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
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

// The length of the well-formed UTF-8 sequence at p (lead byte >= 0x80), or 0: no
// overlong forms, no surrogates, nothing above U+10FFFF (noncharacters are fine), as
// QUtf8Functions::fromUtf8 checks for the JSON parser.
int utf8Sequence(const uchar* p, const uchar* end, char32_t* codePoint)
{
    const uchar b = p[0];
    int n;
    char32_t min;
    char32_t uc;
    if (b < 0xc2)
        return 0;
    if (b < 0xe0) {
        n = 2;
        min = 0x80;
        uc = b & 0x1f;
    } else if (b < 0xf0) {
        n = 3;
        min = 0x800;
        uc = b & 0x0f;
    } else if (b < 0xf5) {
        n = 4;
        min = 0x10000;
        uc = b & 0x07;
    } else {
        return 0;
    }
    if (end - p < n)
        return 0;
    for (int i = 1; i < n; ++i) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        uc = (uc << 6) | (p[i] & 0x3f);
    }
    if (uc < min || (uc >= 0xd800 && uc <= 0xdfff) || uc > 0x10ffff)
        return 0;
    *codePoint = uc;
    return n;
}

// A string's text between its quotes, still encoded.
struct Span
{
    const char* begin = nullptr;
    const char* end = nullptr;
    bool escaped = false; // has a backslash
    bool ascii = true;    // no byte >= 0x80 (meaningful when not escaped)
};

// What the page holds where a string is expected.
struct Field
{
    enum Kind : uchar
    {
        Absent,
        String,
        Number,
        Other
    } kind = Absent; // Other: null, bool, ...
    Span text;
    double number = 0;
};

// The text of a scanned (hence well-formed) string.
QString decode(const Span& s)
{
    const qsizetype len = s.end - s.begin;
    if (!s.escaped)
        return s.ascii ? QString::fromLatin1(s.begin, len) : QString::fromUtf8(s.begin, len);
    // Every escape and UTF-8 sequence yields at most as many UTF-16 units as it has bytes.
    QString out(len, Qt::Uninitialized);
    char16_t* d = reinterpret_cast<char16_t*>(out.data());
    char16_t* const start = d;
    const char* p = s.begin;
    while (p < s.end) {
        const uchar c = uchar(*p);
        if (c == '\\') {
            const uchar e = uchar(p[1]);
            p += 2;
            switch (e) {
            case 'b':
                *d++ = 0x08;
                break;
            case 'f':
                *d++ = 0x0c;
                break;
            case 'n':
                *d++ = 0x0a;
                break;
            case 'r':
                *d++ = 0x0d;
                break;
            case 't':
                *d++ = 0x09;
                break;
            case 'u':
                *d++ = char16_t((hexValue(p[0]) << 12) | (hexValue(p[1]) << 8) |
                                (hexValue(p[2]) << 4) | hexValue(p[3]));
                p += 4;
                break;
            default:
                *d++ = e;
                break; // '"', '\\', '/' and Qt's lenient "any other byte"
            }
        } else if (c < 0x80) {
            *d++ = c;
            ++p;
        } else {
            char32_t cp = 0;
            const int n = utf8Sequence(reinterpret_cast<const uchar*>(p),
                                       reinterpret_cast<const uchar*>(s.end), &cp);
            Q_ASSERT(n > 0);
            p += n;
            if (cp >= 0x10000) {
                *d++ = char16_t(0xd800 + ((cp - 0x10000) >> 10));
                *d++ = char16_t(0xdc00 + ((cp - 0x10000) & 0x3ff));
            } else {
                *d++ = char16_t(cp);
            }
        }
    }
    out.resize(d - start);
    return out;
}

// nullableString() of the reference: a string, a number's text, or nothing.
std::optional<QString> nullableString(const Field& f)
{
    switch (f.kind) {
    case Field::String:
        return decode(f.text);
    case Field::Number:
        return QString::number(f.number, 'g', 17);
    default:
        return std::nullopt;
    }
}

bool keyIs(const Span& key, QLatin1StringView name)
{
    if (!key.escaped)
        return key.end - key.begin == name.size() &&
               std::memcmp(key.begin, name.data(), size_t(name.size())) == 0;
    return decode(key) == name;
}

class PageParser
{
public:
    PageParser(const char* begin, const char* end) : m_begin(begin), m_p(begin), m_end(end) {}

    Result<MembershipPage> run();

    // The older shape's members from an "ids" array already checked by a full scan;
    // m_p at its '['.
    bool idsArray(std::vector<MemberIdentifiers>& out);

    const char* m_begin;
    const char* m_p;
    const char* m_end;
    const char* m_error = nullptr;
    qsizetype m_errorAt = 0;

private:
    bool fail(const char* what)
    {
        if (!m_error) {
            m_error = what;
            m_errorAt = m_p - m_begin;
        }
        return false;
    }
    // Skips whitespace; false at the end of the input.
    bool space()
    {
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
        return m_p < m_end;
    }
    // The next structural byte after whitespace, consumed; 0 for anything else.
    char token()
    {
        if (!space())
            return 0;
        const char c = *m_p++;
        switch (c) {
        case '{':
        case '}':
        case '[':
        case ']':
        case ':':
        case ',':
        case '"':
            return c;
        default:
            return 0;
        }
    }

    bool string(Span& s);
    bool number(double* value);
    bool literal(const char* word, int length);
    bool value(int depth);
    bool array(int depth);
    bool object(int depth);
    bool field(int depth, Field& f);
    bool member();
    bool identifiers(int depth);

    // The root's fields, the last of each key.
    Field m_next;
    enum class Shape : uchar
    {
        Absent,
        Array,
        Other
    };
    Shape m_identifiers = Shape::Absent;
    bool m_identifierNotObject = false;
    std::vector<MemberIdentifiers> m_members;
    Shape m_ids = Shape::Absent;
    const char* m_idsAt = nullptr;
    const char* m_idsEnd = nullptr;
};

// m_p after the opening quote; leaves it after the closing one.
bool PageParser::string(Span& s)
{
    const char* p = m_p;
    const char* const end = m_end;
    s.begin = p;
    s.escaped = false;
    s.ascii = true;
    for (;;) {
        p = skipPlain(p, end);
        if (p >= end) {
            m_p = p;
            return fail("unterminated string");
        }
        const uchar c = uchar(*p);
        if (c == '"')
            break;
        if (c == '\\') {
            s.escaped = true;
            if (end - p < 2) {
                m_p = p;
                return fail("illegal escape sequence");
            }
            if (p[1] == 'u') {
                if (end - p < 6 || hexValue(p[2]) < 0 || hexValue(p[3]) < 0 || hexValue(p[4]) < 0 ||
                    hexValue(p[5]) < 0) {
                    m_p = p;
                    return fail("illegal escape sequence");
                }
                p += 6;
            } else {
                p += 2; // any other byte stands for itself, as in QJsonDocument
            }
            continue;
        }
        char32_t cp;
        const int n = utf8Sequence(reinterpret_cast<const uchar*>(p),
                                   reinterpret_cast<const uchar*>(end), &cp);
        if (n == 0) {
            m_p = p;
            return fail("invalid UTF-8 in a string");
        }
        s.ascii = false;
        p += n;
    }
    s.end = p;
    m_p = p + 1;
    return true;
}

// Scans like QJsonDocument (lenient: ".5", "5.", "-" are all scanned) and lets the same
// QByteArray conversions decide.
bool PageParser::number(double* value)
{
    const char* const start = m_p;
    const char* p = m_p;
    const char* const end = m_end;
    bool isInt = true;
    if (p < end && *p == '-')
        ++p;
    if (p < end && *p == '0') {
        ++p;
    } else {
        while (p < end && isDigit(*p))
            ++p;
    }
    if (p < end && *p == '.') {
        ++p;
        while (p < end && isDigit(*p)) {
            isInt = isInt && *p == '0';
            ++p;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        isInt = false;
        ++p;
        if (p < end && (*p == '-' || *p == '+'))
            ++p;
        while (p < end && isDigit(*p))
            ++p;
    }
    m_p = p;
    if (p >= end)
        return fail("the input ends in a number");
    const QByteArray text = QByteArray::fromRawData(start, p - start);
    bool ok = false;
    if (isInt) {
        const qlonglong n = text.toLongLong(&ok);
        if (ok) {
            *value = double(n);
            return true;
        }
    }
    const double d = text.toDouble(&ok);
    if (!ok) {
        m_p = start;
        return fail("illegal number");
    }
    // QJsonDocument stores integral doubles as integers, so -0 comes back as 0.
    *value = d == 0 ? 0.0 : d;
    return true;
}

// m_p at the literal's first letter. Like QJsonDocument, wants a byte after it.
bool PageParser::literal(const char* word, int length)
{
    if (m_end - m_p <= length || std::memcmp(m_p + 1, word + 1, size_t(length - 1)) != 0)
        return fail("illegal value");
    m_p += length;
    return true;
}

// Any value, checked and skipped; m_p at its first byte (the caller saw one is there).
bool PageParser::value(int depth)
{
    switch (*m_p) {
    case '"': {
        ++m_p;
        Span s;
        return string(s);
    }
    case '{':
        ++m_p;
        return object(depth + 1);
    case '[':
        ++m_p;
        return array(depth + 1);
    case 'n':
        return literal("null", 4);
    case 't':
        return literal("true", 4);
    case 'f':
        return literal("false", 5);
    case ',':
    case ']':
    case '}':
        return fail("missing value");
    default: {
        double d;
        return number(&d);
    }
    }
}

// After '['.
bool PageParser::array(int depth)
{
    if (depth > kNestingLimit)
        return fail("too deeply nested");
    if (!space())
        return fail("unterminated array");
    if (*m_p == ']') {
        ++m_p;
        return true;
    }
    for (;;) {
        if (!space())
            return fail("unterminated array");
        if (!value(depth))
            return false;
        const char t = token();
        if (t == ']')
            return true;
        if (t != ',')
            return fail("missing value separator");
    }
}

// A member's ':' and the whitespace before its value; m_p after the key.
bool PageParser::member()
{
    if (token() != ':')
        return fail("missing name separator");
    if (!space())
        return fail("unterminated object");
    return true;
}

// After '{': an object whose content does not matter.
bool PageParser::object(int depth)
{
    if (depth > kNestingLimit)
        return fail("too deeply nested");
    char t = token();
    while (t == '"') {
        Span key;
        if (!string(key) || !member() || !value(depth))
            return false;
        t = token();
        if (t != ',')
            break;
        t = token();
        if (t == '}')
            return fail("missing member");
    }
    if (t != '}')
        return fail("unterminated object");
    return true;
}

// A value where a string is expected; m_p at its first byte.
bool PageParser::field(int depth, Field& f)
{
    switch (*m_p) {
    case '"':
        ++m_p;
        f.kind = Field::String;
        return string(f.text);
    case '{':
    case '[':
    case 'n':
    case 't':
    case 'f':
    case ',':
    case ']':
    case '}':
        f.kind = Field::Other;
        return value(depth);
    default:
        f.kind = Field::Number;
        return number(&f.number);
    }
}

// After the '[' of "identifiers" (depth: the array's).
bool PageParser::identifiers(int depth)
{
    if (depth > kNestingLimit)
        return fail("too deeply nested");
    m_members.clear();
    m_identifierNotObject = false;
    if (!space())
        return fail("unterminated array");
    if (*m_p == ']') {
        ++m_p;
        return true;
    }
    m_members.reserve(
        size_t(std::min<qsizetype>((m_end - m_p) / 48 + 1, CustomerIoClient::kMaxPageSize)));
    for (;;) {
        if (!space())
            return fail("unterminated array");
        if (*m_p != '{') {
            m_identifierNotObject = true;
            if (!value(depth))
                return false;
        } else {
            ++m_p;
            const int inner = depth + 1;
            if (inner > kNestingLimit)
                return fail("too deeply nested");
            Field id, email, cioId;
            char t = token();
            while (t == '"') {
                // The usual keys, spelled without escapes, are told by their bytes.
                Field* target = nullptr;
                const char* k = m_p;
                const qsizetype left = m_end - k;
                if (left >= 3 && k[0] == 'i' && k[1] == 'd' && k[2] == '"') {
                    target = &id;
                    m_p += 3;
                } else if (left >= 6 && std::memcmp(k, "email\"", 6) == 0) {
                    target = &email;
                    m_p += 6;
                } else if (left >= 7 && std::memcmp(k, "cio_id\"", 7) == 0) {
                    target = &cioId;
                    m_p += 7;
                } else {
                    Span key;
                    if (!string(key))
                        return false;
                    if (keyIs(key, QLatin1StringView("id")))
                        target = &id;
                    else if (keyIs(key, QLatin1StringView("email")))
                        target = &email;
                    else if (keyIs(key, QLatin1StringView("cio_id")))
                        target = &cioId;
                }
                if (!member())
                    return false;
                if (!(target ? field(inner, *target) : value(inner)))
                    return false;
                t = token();
                if (t != ',')
                    break;
                t = token();
                if (t == '}')
                    return fail("missing member");
            }
            if (t != '}')
                return fail("unterminated object");
            if (!m_identifierNotObject) {
                MemberIdentifiers& m = m_members.emplace_back();
                m.id = nullableString(id);
                m.email = nullableString(email);
                if (cioId.kind == Field::String || cioId.kind == Field::Number)
                    m.cioId = *nullableString(cioId);
            }
        }
        const char t = token();
        if (t == ']')
            return true;
        if (t != ',')
            return fail("missing value separator");
    }
}

bool PageParser::idsArray(std::vector<MemberIdentifiers>& out)
{
    ++m_p; // '['
    if (!space())
        return fail("unterminated array");
    if (*m_p == ']')
        return true;
    out.reserve(size_t(std::min<qsizetype>((m_end - m_p) / 8 + 1, CustomerIoClient::kMaxPageSize)));
    for (;;) {
        if (!space())
            return fail("unterminated array");
        Field f;
        if (!field(2, f))
            return false;
        MemberIdentifiers m;
        m.id = nullableString(f);
        out.push_back(std::move(m));
        const char t = token();
        if (t == ']')
            return true;
        if (t != ',')
            return fail("missing value separator");
    }
}

Result<MembershipPage> PageParser::run()
{
    const auto malformed = [this] {
        return protocol(QStringLiteral("malformed JSON at byte %1 (%2)")
                            .arg(QString::number(m_errorAt), QLatin1StringView(m_error)));
    };
    if (m_end - m_p > 3 && std::memcmp(m_p, "\xef\xbb\xbf", 3) == 0)
        m_p += 3; // a UTF-8 byte order mark
    const char first = token();
    if (first == '[') {
        if (!array(1))
            return malformed();
        if (space()) {
            fail("garbage at the end of the document");
            return malformed();
        }
        return protocol(QStringLiteral("expected a JSON object"));
    }
    if (first != '{') {
        if (m_p > m_begin)
            --m_p;
        fail("illegal value");
        return malformed();
    }

    char t = token();
    while (t == '"') {
        Span key;
        if (!string(key) || !member())
            return malformed();
        bool ok;
        if (keyIs(key, QLatin1StringView("identifiers"))) {
            if (*m_p == '[') {
                ++m_p;
                m_identifiers = Shape::Array;
                ok = identifiers(2);
            } else {
                m_identifiers = Shape::Other;
                m_members.clear();
                ok = value(1);
            }
        } else if (keyIs(key, QLatin1StringView("ids"))) {
            m_ids = *m_p == '[' ? Shape::Array : Shape::Other;
            m_idsAt = m_p;
            ok = value(1);
            m_idsEnd = m_p;
        } else if (keyIs(key, QLatin1StringView("next"))) {
            if (*m_p == 'n') { // null: the same as no "next"
                m_next.kind = Field::Absent;
                ok = literal("null", 4);
            } else {
                ok = field(1, m_next);
            }
        } else {
            ok = value(1);
        }
        if (!ok)
            return malformed();
        t = token();
        if (t != ',')
            break;
        t = token();
        if (t == '}') {
            fail("missing member");
            return malformed();
        }
    }
    if (t != '}') {
        fail("unterminated object");
        return malformed();
    }
    if (space()) {
        fail("garbage at the end of the document");
        return malformed();
    }

    // The reference's checks, in its order.
    MembershipPage page;
    if (m_next.kind == Field::String)
        page.next = decode(m_next.text);
    else if (m_next.kind != Field::Absent)
        return protocol(QStringLiteral("\"next\" is not a string"));
    if (m_identifiers == Shape::Array) {
        if (m_identifierNotObject)
            return protocol(QStringLiteral("an identifier is not an object"));
        page.members = std::move(m_members);
    } else if (m_ids == Shape::Array) {
        // Older shape: ids only. "" stands for a member without an id.
        PageParser ids(m_begin, m_idsEnd);
        ids.m_p = m_idsAt;
        if (!ids.idsArray(page.members)) // cannot happen: the scan above checked it
            return protocol(QStringLiteral("malformed \"ids\""));
    } else {
        return protocol(QStringLiteral("neither \"identifiers\" nor \"ids\" in a membership page"));
    }
    return page;
}

} // namespace

Result<MembershipPage> parseMembershipPageFast(const QByteArray& body)
{
    PageParser parser(body.constData(), body.constData() + body.size());
    return parser.run();
}

} // namespace lockstep
