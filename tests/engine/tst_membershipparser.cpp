// The one-pass membership page parser against the QJsonDocument reference it replaces:
// random well-formed pages (unicode, escapes, nulls, numbers, whitespace, key orders,
// duplicate keys, unknown fields) and every malformed variant we could think of
// (truncations and byte edits at every offset, wrong types, bad escapes and UTF-8,
// nesting at the limit, numbers Qt reads leniently, BOM, trailing garbage).
#include "../fuzz/membershipdiff.h"
#include "api/customerioclient.h"

#include <QTest>

#include <random>

using namespace lockstep;

namespace {

QString difference(const QByteArray& body)
{
    const auto fast = CustomerIoClient::parseMembershipPage(body);
    const QString d =
        test::membershipDifference(fast, CustomerIoClient::parseMembershipPageReference(body));
    if (!d.isEmpty())
        return d;
    // The cursor peek never contradicts the parser.
    const std::optional<QString> peeked = CustomerIoClient::peekNext(body);
    if (peeked && fast.ok() && *peeked != fast->next)
        return QStringLiteral("peekNext %1, the page %2")
            .arg(test::describe(peeked), test::describe(fast->next));
    return {};
}

#define CHECK_SAME(body)                                                                           \
    do {                                                                                           \
        const QByteArray b_ = (body);                                                              \
        const QString d_ = difference(b_);                                                         \
        QVERIFY2(d_.isEmpty(), qPrintable(d_ + QStringLiteral("\n  body: ") +                      \
                                          QString::fromLatin1(                                     \
                                              b_.left(400).toPercentEncoding("{}[]:,\"' _-.@")))); \
    } while (0)

// Random JSON text in the shapes a page has, with the lenient corners Qt accepts.
class Generator
{
public:
    explicit Generator(uint64_t seed) : m_rng(seed) {}

    int pick(int n) { return int(m_rng() % uint64_t(n)); }
    bool chance(int percent) { return pick(100) < percent; }

    QByteArray ws()
    {
        static const char spaces[] = {' ', '\t', '\n', '\r'};
        QByteArray out;
        if (chance(70))
            return out;
        const int n = 1 + pick(3);
        for (int i = 0; i < n; ++i)
            out += spaces[pick(4)];
        return out;
    }

    // One character of a string's content, written in one of the ways JSON (and Qt) allow.
    QByteArray stringChar()
    {
        switch (pick(22)) {
        case 0:
            return "\\\"";
        case 1:
            return "\\\\";
        case 2:
            return "\\/";
        case 3:
            return QByteArray("\\") + "bfnrt"[pick(5)];
        case 4:
            return "\\u00e9";
        case 5:
            return "\\u00E9";
        case 6:
            return "\\ud83d\\ude00"; // a surrogate pair
        case 7:
            return "\\ud800"; // lone surrogates: Qt keeps them
        case 8:
            return "\\udfff";
        case 9:
            return "\xc3\xa9"; // é
        case 10:
            return "\xe4\xb8\xad"; // 中
        case 11:
            return "\xf0\x9f\x98\x80"; // 😀
        case 12:
            return "\xef\xbf\xbf"; // U+FFFF, a noncharacter: allowed
        case 13:
            return QByteArray("\\") + "axyz'"[pick(5)]; // Qt: the letter itself
        case 14:
            return QByteArray(1, char(1 + pick(31))); // raw control characters
        case 15:
            return "\\u0000";
        case 16:
            return QByteArray("\\u") + QByteArray::number(0x1000 + pick(0xe000), 16);
        case 17:
            return QByteArray("\\") + char(0x80 + pick(0x42)); // \ + a byte: U+00XX... or
        default:
            return QByteArray(1, "abcxyz019@._- +"[pick(15)]);
        }
    }

    QByteArray string()
    {
        QByteArray out = "\"";
        const int n = chance(10) ? 0 : pick(chance(5) ? 80 : 14);
        for (int i = 0; i < n; ++i)
            out += stringChar();
        return out + '"';
    }

    QByteArray number()
    {
        static const char* const numbers[] = {"0",
                                              "-0",
                                              "1",
                                              "42",
                                              "-17",
                                              "1000001",
                                              "9007199254740993",
                                              "9223372036854775807",
                                              "9223372036854775808",
                                              "-9223372036854775808",
                                              "-9223372036854775809",
                                              "123456789012345678901234567890",
                                              "1.5",
                                              "-0.0",
                                              "1.0",
                                              "0.1",
                                              "1e2",
                                              "1E+2",
                                              "1e-2",
                                              "2.5e10",
                                              ".5",
                                              "5.",
                                              "-.5",
                                              "1e308",
                                              "4.9e-324",
                                              "0.000001",
                                              "1e21",
                                              "3.14159265358979323846"};
        return numbers[pick(int(std::size(numbers)))];
    }

    // Any value, nested at most `depth` more levels.
    QByteArray value(int depth)
    {
        const int k = pick(depth > 0 ? 9 : 6);
        switch (k) {
        case 0:
            return "null";
        case 1:
            return chance(50) ? "true" : "false";
        case 2:
            return number();
        case 3:
        case 4:
        case 5:
            return string();
        case 6:
        case 7: {
            QByteArray out = "[" + ws();
            const int n = pick(4);
            for (int i = 0; i < n; ++i)
                out += (i ? "," + ws() : QByteArray()) + value(depth - 1) + ws();
            return out + "]";
        }
        default: {
            QByteArray out = "{" + ws();
            const int n = pick(4);
            for (int i = 0; i < n; ++i)
                out += (i ? "," + ws() : QByteArray()) + key() + ws() + ":" + ws() +
                       value(depth - 1) + ws();
            return out + "}";
        }
        }
    }

    QByteArray key()
    {
        static const char* const keys[] = {"\"id\"",  "\"email\"",       "\"cio_id\"", "\"next\"",
                                           "\"ids\"", "\"identifiers\"", "\"x\"",      "\"\""};
        return chance(80) ? QByteArray(keys[pick(int(std::size(keys)))]) : string();
    }

    // A member of an identifier: mostly strings, sometimes anything; keys sometimes escaped.
    QByteArray field(const char* name)
    {
        QByteArray k = QByteArray("\"") + name + '"';
        if (chance(3)) // the same key spelled with an escape
            k = QByteArray("\"\\u00") + QByteArray::number(uchar(name[0]), 16) + (name + 1) + '"';
        QByteArray v;
        const int r = pick(100);
        if (r < 70)
            v = string();
        else if (r < 82)
            v = "null";
        else if (r < 90)
            v = number();
        else
            v = value(2);
        return k + ws() + ":" + ws() + v;
    }

    QByteArray identifier()
    {
        if (chance(1))
            return value(1); // not an object: the page is refused
        QList<QByteArray> fields;
        if (!chance(5))
            fields << field("id");
        if (!chance(20))
            fields << field("email");
        if (!chance(3))
            fields << field("cio_id");
        if (chance(10))
            fields << key() + ":" + value(2);
        if (chance(5))
            fields << field(chance(50) ? "id" : "email"); // a duplicate: the last one wins
        std::shuffle(fields.begin(), fields.end(), m_rng);
        QByteArray out = "{" + ws();
        for (qsizetype i = 0; i < fields.size(); ++i)
            out += (i ? "," + ws() : QByteArray()) + fields[i] + ws();
        return out + "}";
    }

    QByteArray array(int n, bool identifiers)
    {
        QByteArray out = "[" + ws();
        for (int i = 0; i < n; ++i) {
            QByteArray v;
            if (identifiers)
                v = identifier();
            else
                v = chance(85) ? string() : value(1);
            out += (i ? "," + ws() : QByteArray()) + v + ws();
        }
        return out + "]";
    }

    QByteArray page()
    {
        QList<QByteArray> fields;
        const int n = pick(12);
        const int shape = pick(10);
        if (shape < 6)
            fields << "\"identifiers\"" + ws() + ":" + ws() + array(n, true);
        if (shape >= 3 && shape < 9)
            fields << "\"ids\"" + ws() + ":" + ws() + array(n, false);
        if (chance(5))
            fields << "\"identifiers\":" + value(2);
        if (chance(5))
            fields << "\"ids\":" + value(2);
        const int next = pick(10);
        if (next < 6)
            fields << "\"next\"" + ws() + ":" + ws() + string();
        else if (next < 8)
            fields << "\"next\":null";
        else if (next < 9)
            fields << "\"next\":" + value(1);
        if (chance(50))
            fields << "\"segment_id\":" + number();
        if (chance(20))
            fields << key() + ":" + value(3);
        if (chance(3))
            fields << "\"n\\u0065xt\":" + string();
        std::shuffle(fields.begin(), fields.end(), m_rng);
        QByteArray out = ws() + "{" + ws();
        for (qsizetype i = 0; i < fields.size(); ++i)
            out += (i ? "," + ws() : QByteArray()) + fields[i] + ws();
        return out + "}" + ws();
    }

private:
    std::mt19937_64 m_rng;
};

QByteArray nested(int depth, const QByteArray& open, const QByteArray& close,
                  const QByteArray& inner = {})
{
    return open.repeated(depth) + inner + close.repeated(depth);
}

const QByteArray kSmallPage = R"({"segment_id":7,"ids":["1","",null],)"
                              R"("identifiers":[{"id":"1","email":"a@b.c","cio_id":"c\u00e91"},)"
                              R"({"id":null,"email":" X\/y ","cio_id":"c2"},{"cio_id":"c3"}],)"
                              R"("next":"MTIz\ud83d\ude00"})";

} // namespace

class TestMembershipParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownPages_data();
    void knownPages();
    void serviceVariants_data();
    void serviceVariants();
    void randomPages();
    void truncatedAtEveryByte();
    void editedAtEveryByte();
    void randomEdits();
    void nesting();
    void benchShapedPage();
};

void TestMembershipParser::knownPages_data()
{
    QTest::addColumn<QByteArray>("body");
    auto row = [](const char* name, const QByteArray& body) { QTest::newRow(name) << body; };
    row("small page", kSmallPage);
    row("ids only", R"({"ids":["a","","b"],"next":"x"})");
    row("identifiers, no next", R"({"identifiers":[{"id":"a","email":null,"cio_id":"c"}]})");
    row("empty arrays", R"({"identifiers":[],"ids":[]})");
    row("empty object", "{}");
    row("empty body", "");
    row("only spaces", " \t\r\n");
    row("array root", "[1,2]");
    row("array root, malformed", "[1,2");
    row("array root, garbage", "[1,2]x");
    row("string root", "\"x\"");
    row("number root", "1");
    row("null root", "null");
    row("html", "<html>502</html>");
    row("trailing garbage", R"({"ids":[]}x)");
    row("trailing NUL", QByteArray("{\"ids\":[]}\0", 11));
    row("trailing whitespace", "{\"ids\":[]} \r\n\t");
    row("trailing vertical tab", "{\"ids\":[]}\v");
    row("leading form feed", "\f{\"ids\":[]}");
    row("two documents", R"({"ids":[]}{"ids":[]})");
    row("BOM", "\xef\xbb\xbf{\"ids\":[\"a\"]}");
    row("BOM then space", "\xef\xbb\xbf {\"ids\":[\"a\"]}");
    row("space then BOM", " \xef\xbb\xbf{\"ids\":[\"a\"]}");
    row("two BOMs", "\xef\xbb\xbf\xef\xbb\xbf{\"ids\":[\"a\"]}");
    row("BOM alone", "\xef\xbb\xbf");
    row("BOM and a brace", "\xef\xbb\xbf{");
    row("BOM and {}", "\xef\xbb\xbf{}");
    row("half a BOM", "\xef\xbb{\"ids\":[]}");
    row("next null", R"({"ids":[],"next":null})");
    row("next empty", R"({"ids":[],"next":""})");
    row("next number", R"({"ids":[],"next":5})");
    row("next true", R"({"ids":[],"next":true})");
    row("next object", R"({"ids":[],"next":{}})");
    row("next array", R"({"ids":[],"next":["x"]})");
    row("next escaped key", R"({"ids":[],"n\u0065xt":"x"})");
    row("next twice, null last", R"({"ids":[],"next":"x","next":null})");
    row("next twice, string last", R"({"ids":[],"next":5,"next":"y"})");
    row("next twice, bad last", R"({"ids":[],"next":"y","next":5})");
    row("nul1", R"({"ids":[],"next":nul})");
    row("nulll", R"({"ids":[],"next":nulll})");
    row("null at end", R"({"ids":[],"next":null)");
    row("identifiers a string", R"({"identifiers":"alice"})");
    row("identifiers a string, ids fine", R"({"identifiers":"alice","ids":["a"]})");
    row("identifiers twice, array last", R"({"identifiers":1,"identifiers":[{"id":"a"}]})");
    row("identifiers twice, array first",
        R"({"identifiers":[{"id":"a"}],"identifiers":1,"ids":["b"]})");
    row("identifiers twice, both arrays",
        R"({"identifiers":[{"id":"a"}],"identifiers":[{"id":"b"},{}]})");
    row("identifiers twice, bad first", R"({"identifiers":[1],"identifiers":[{"id":"b"}]})");
    row("identifiers twice, bad last", R"({"identifiers":[{"id":"b"}],"identifiers":[1]})");
    row("ids twice", R"({"ids":["a"],"ids":["b","c"]})");
    row("ids twice, not array last", R"({"ids":["a"],"ids":"b"})");
    row("identifier not an object", R"({"identifiers":[1]})");
    row("identifier an array", R"({"identifiers":[[]]})");
    row("identifier null", R"({"identifiers":[null]})");
    row("identifier not an object, next bad", R"({"identifiers":[1],"next":1})");
    row("wrong-typed fields", R"({"identifiers":[{"id":true,"email":{},"cio_id":"c1"}]})");
    row("number fields", R"({"identifiers":[{"id":12,"email":-0,"cio_id":1.5e3}]})");
    row("number ids", R"({"ids":[1,-0,-0.0,0.1,1e2,9223372036854775808,.5,5.,-.5]})");
    row("ids of all types", R"({"ids":[null,true,false,{},[],"",{"a":1},[1]]})");
    row("duplicate id", R"({"identifiers":[{"id":"a","id":"b"}]})");
    row("duplicate id, null last", R"({"identifiers":[{"id":"a","id":null}]})");
    row("escaped keys", R"({"identifiers":[{"\u0069d":"a","em\u0061il":"e","cio\u005fid":"c"}]})");
    row("escaped key and plain", R"({"identifiers":[{"\u0069d":"a","id":"b"}]})");
    row("plain key and escaped", R"({"identifiers":[{"id":"b","\u0069d":"a"}]})");
    row("key with a slash escape", R"({"identifiers":[{"i\/d":"a","cio_id":"c"}]})");
    row("almost keys", R"({"identifiers":[{"Id":"a","id ":"b","ids":"c","cio_id\u0000":"d"}]})");
    row("unknown fields", R"({"x":{"y":[1,2,{"z":null}]},"identifiers":[{"id":"a","w":[]}]})");
    row("whitespace everywhere", " \n{ \"ids\" \t: [ \"a\" , \"b\" ] , \"next\" : null } \r\n");
    row("unknown escape", R"({"ids":["\a\x\'"]})");
    row("escape of a high byte", "{\"ids\":[\"\\\xe9\"]}");
    row("escape of a UTF-8 lead", "{\"ids\":[\"\\\xc3\xa9\"]}");
    row("escape of a NUL", QByteArray("{\"ids\":[\"\\\0\"]}", 13));
    row("escape at the end", "{\"ids\":[\"\\");
    row("short \\u", R"({"ids":["\u12"]})");
    row("bad hex", R"({"ids":["\u12g4"]})");
    row("\\u at the end", "{\"ids\":[\"\\u00");
    row("\\U", R"({"ids":["\U0041"]})");
    row("lone high surrogate", R"({"ids":["\ud800"]})");
    row("lone low surrogate", R"({"ids":["x\udc00y"]})");
    row("reversed pair", R"({"ids":["\ude00\ud83d"]})");
    row("surrogate pair", R"({"ids":["\ud83d\ude00"]})");
    row("raw control characters", QByteArray("{\"ids\":[\"a\x01\tb\nc\x1f\"]}"));
    row("raw NUL", QByteArray("{\"ids\":[\"a\0b\"]}", 14));
    row("raw DEL", "{\"ids\":[\"\x7f\"]}");
    row("UTF-8", "{\"ids\":[\"Zo\xc3\xab \xe4\xb8\xad \xf0\x9f\x98\x80\"]}");
    row("invalid UTF-8", "{\"ids\":[\"\xff\xfe\xfd\"]}");
    row("overlong", "{\"ids\":[\"\xc0\xaf\"]}");
    row("overlong 3", "{\"ids\":[\"\xe0\x80\xaf\"]}");
    row("UTF-8 surrogate", "{\"ids\":[\"\xed\xa0\x80\"]}");
    row("above U+10FFFF", "{\"ids\":[\"\xf4\x90\x80\x80\"]}");
    row("U+10FFFF", "{\"ids\":[\"\xf4\x8f\xbf\xbf\"]}");
    row("F5", "{\"ids\":[\"\xf5\x80\x80\x80\"]}");
    row("lone continuation", "{\"ids\":[\"\x80\"]}");
    row("truncated sequence", "{\"ids\":[\"\xe4\xb8\"]}");
    row("UTF-8 in a key", "{\"\xc3\xa9\":1,\"ids\":[]}");
    row("bad UTF-8 in a key", "{\"\xc3\":1,\"ids\":[]}");
    row("bad UTF-8 outside strings", "{\"ids\":[]\xc3\xa9}");
    row("numbers Qt accepts", R"({"ids":[],"a":[.5,5.,-.5,1E2,1e+2,0.0,-0]})");
    row("number -", R"({"ids":[],"a":-})");
    row("number +1", R"({"ids":[],"a":+1})");
    row("number 01", R"({"ids":[],"a":01})");
    row("number 1e", R"({"ids":[],"a":1e})");
    row("number 1e+", R"({"ids":[],"a":1e+})");
    row("number .", R"({"ids":[],"a":.})");
    row("number -.", R"({"ids":[],"a":-.})");
    row("number 1.2.3", R"({"ids":[],"a":1.2.3})");
    row("number 0x10", R"({"ids":[],"a":0x10})");
    row("number 1e400", R"({"ids":[],"a":1e400})");
    row("number -1e400", R"({"ids":[],"a":-1e400})");
    row("number 1e-400", R"({"ids":[],"a":1e-400})");
    row("number 4.9e-324", R"({"ids":[4.9e-324]})");
    row("number 2.4e-324", R"({"ids":[2.4e-324]})");
    row("huge integer", "{\"ids\":[" + QByteArray(400, '9') + "]}");
    row("huge integer, 310 digits", "{\"ids\":[" + QByteArray(310, '9') + "]}");
    row("huge fraction", "{\"ids\":[0." + QByteArray(2000, '1') + "]}");
    row("long zeros", "{\"ids\":[1." + QByteArray(2000, '0') + "]}");
    row("number at the end", R"({"ids":[1)");
    row("Infinity", R"({"ids":[Infinity]})");
    row("NaN", R"({"ids":[NaN]})");
    row("true", R"({"ids":[true,false,null]})");
    row("True", R"({"ids":[True]})");
    row("tru", R"({"ids":[tru]})");
    row("fals", R"({"ids":[fals]})");
    row("true at the end", R"({"ids":[true)");
    row("trailing comma in array", R"({"ids":["a",]})");
    row("trailing comma in object", R"({"ids":["a"],})");
    row("leading comma", R"({,"ids":[]})");
    row("double comma", R"({"ids":["a",,"b"]})");
    row("missing comma", R"({"ids":["a" "b"]})");
    row("missing colon", R"({"ids" ["a"]})");
    row("double colon", R"({"ids"::["a"]})");
    row("colon in array", R"({"ids":["a":"b"]})");
    row("unquoted key", R"({ids:["a"]})");
    row("single quotes", R"({'ids':['a']})");
    row("key not a string", R"({1:2,"ids":[]})");
    row("missing value", R"({"ids":})");
    row("missing value before comma", R"({"ids":,"x":1})");
    row("unterminated string", R"({"ids":["a)");
    row("unterminated key", R"({"ids)");
    row("closing quote last", "{\"ids\":[\"a\"");
    row("mismatched brackets", R"({"ids":["a"}})");
    row("mismatched braces", R"({"ids":["a"]])");
    row("comment", R"({"ids":[] /* x */})");
    row("identifier with trailing comma", R"({"identifiers":[{"id":"a",}]})");
    row("identifier unterminated", R"({"identifiers":[{"id":"a")");
    row("identifier missing colon", R"({"identifiers":[{"id" "a"}]})");
    row("identifier bad value", R"({"identifiers":[{"id":x}]})");
    row("identifier key only", R"({"identifiers":[{"id"}]})");
    row("identifier key prefix at the end", R"({"identifiers":[{"i)");
    row("identifier key id at the end", R"({"identifiers":[{"id)");
    row("identifier key id\" at the end", R"({"identifiers":[{"id")");
    row("identifier cio_id at the end", R"({"identifiers":[{"cio_id")");
    row("identifier email at the end", R"({"identifiers":[{"email)");
    row("very long id", "{\"ids\":[\"" + QByteArray(1 << 20, 'x') + "\"]}");
    row("very long escaped id", "{\"ids\":[\"" + QByteArray("\\u00e9").repeated(1 << 16) + "\"]}");
    QByteArray big = "{\"identifiers\":[";
    for (int i = 0; i < 30001; ++i)
        big += (i ? "," : "") + ("{\"cio_id\":\"c" + QByteArray::number(i) + "\"}");
    row("over the documented 30000 per page", big + "]}");
}

void TestMembershipParser::knownPages()
{
    QFETCH(QByteArray, body);
    CHECK_SAME(body);
    // The raw-data form the engine and the fuzzer use: no terminator after the body.
    CHECK_SAME(QByteArray::fromRawData(body.constData(), body.size()));
}

// What Customer.io leaves undocumented, in every reading the sandbox serves: the cursor in
// base64url or padded standard base64, "next" first or last, the last page's "next" absent,
// null or "". Both parsers agree, read the cursor verbatim, and peekNext never contradicts.
void TestMembershipParser::serviceVariants_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("next");
    QTest::addColumn<int>("members");
    const QByteArray items =
        R"("segment_id":3,"ids":["41","","43"],"identifiers":[{"id":"41","email":"a@x.io","cio_id":"c1"},)"
        R"({"id":null,"email":"b@x.io","cio_id":"c2"},{"id":"43","email":null,"cio_id":"c3"}])";
    const QByteArray idOnly =
        R"("segment_id":3,"ids":["41",""],"identifiers":[{"id":"41","cio_id":"c1"},{"id":null,"cio_id":"c2"}])";
    const struct
    {
        const char* name;
        QByteArray cursor; // as JSON text: a string, null, or empty for no key
        QString next;
    } ends[] = {
        {"base64url", "\"-__-bTE6MjQ\"", QStringLiteral("-__-bTE6MjQ")},
        {"base64 padded", "\"+//+bTE6MjQ=\"", QStringLiteral("+//+bTE6MjQ=")},
        {"base64 escaped slash", "\"+\\/\\/+bTE6NDk=\"", QStringLiteral("+//+bTE6NDk=")},
        {"last, absent", {}, QString()},
        {"last, null", "null", QString()},
        {"last, empty", "\"\"", QString()},
    };
    for (const auto& e : ends) {
        for (const bool first : {false, true}) {
            if (first && e.cursor.isEmpty())
                continue; // no key: nowhere to put it
            for (const bool emails : {true, false}) {
                const QByteArray fields = emails ? items : idOnly;
                QByteArray body;
                if (e.cursor.isEmpty())
                    body = '{' + fields + '}';
                else if (first)
                    body = "{\"next\":" + e.cursor + ',' + fields + '}';
                else
                    body = '{' + fields + ",\"next\":" + e.cursor + '}';
                QTest::addRow("%s, next %s, %s", e.name, first ? "first" : "last",
                              emails ? "email" : "id_only")
                    << body << e.next << (emails ? 3 : 2);
            }
        }
    }
}

void TestMembershipParser::serviceVariants()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, next);
    QFETCH(int, members);
    CHECK_SAME(body);
    const auto page = CustomerIoClient::parseMembershipPage(body);
    QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message));
    QCOMPARE(page->next, next);
    QCOMPARE(int(page->members.size()), members);
    QVERIFY(!page->members[1].id.has_value()); // "" in ids, null in identifiers
    const std::optional<QString> peeked = CustomerIoClient::peekNext(body);
    if (peeked) // nullopt: the engine waits for the full parse instead
        QCOMPARE(*peeked, next);
}

void TestMembershipParser::randomPages()
{
    Generator g(20240611);
    int parsed = 0;
    for (int i = 0; i < 4000; ++i) {
        const QByteArray body = g.page();
        CHECK_SAME(body);
        parsed += CustomerIoClient::parseMembershipPageReference(body).ok();
    }
    // Most generated pages must be valid, or the comparison says little.
    QVERIFY2(parsed > 1500, qPrintable(QString::number(parsed)));
}

void TestMembershipParser::truncatedAtEveryByte()
{
    QList<QByteArray> pages{kSmallPage};
    Generator g(7);
    for (int i = 0; i < 40; ++i)
        pages << g.page();
    for (const QByteArray& page : pages) {
        for (qsizetype n = 0; n <= page.size(); ++n) {
            // A copy: no bytes after the cut for a parser to read by mistake.
            const QByteArray cut(page.constData(), n);
            CHECK_SAME(cut);
        }
    }
}

void TestMembershipParser::editedAtEveryByte()
{
    static const char replacements[] = {'"', '\\', '{',  '}', '[', ']',    ',',    ':',
                                        ' ', '\v', '\0', 'n', '0', '-',    '.',    'e',
                                        'u', 'x',  '/',  '9', 'l', '\x80', '\xc3', '\xff'};
    for (const QByteArray& page : {kSmallPage, QByteArray(R"({"ids":["a\u00e9",1,null]})")}) {
        for (qsizetype i = 0; i < page.size(); ++i) {
            for (char r : replacements) {
                QByteArray edited = page;
                edited[i] = r;
                CHECK_SAME(edited);
                QByteArray inserted = page;
                inserted.insert(i, r);
                CHECK_SAME(inserted);
            }
            QByteArray removed = page;
            removed.remove(i, 1);
            CHECK_SAME(removed);
        }
    }
}

void TestMembershipParser::randomEdits()
{
    Generator g(99);
    std::mt19937 rng(5);
    for (int i = 0; i < 3000; ++i) {
        QByteArray page = g.page();
        const int edits = 1 + int(rng() % 3);
        for (int e = 0; e < edits && !page.isEmpty(); ++e) {
            const qsizetype at = qsizetype(rng() % uint32_t(page.size()));
            switch (rng() % 4) {
            case 0:
                page[at] = char(rng());
                break;
            case 1:
                page.remove(at, 1 + qsizetype(rng() % 4));
                break;
            case 2:
                page.insert(at, page.mid(qsizetype(rng() % uint32_t(page.size())), 6));
                break;
            default:
                page.truncate(at);
                break;
            }
        }
        CHECK_SAME(page);
    }
}

void TestMembershipParser::nesting()
{
    // QJsonDocument allows 1024 levels, the root object included.
    for (int depth : {2, 100, 1021, 1022, 1023, 1024, 1025, 3000}) {
        const QByteArray arrays = nested(depth, "[", "]");
        const QByteArray objects = nested(depth, "{\"a\":", "}", "1");
        CHECK_SAME("{\"ids\":[],\"x\":" + arrays + "}");
        CHECK_SAME("{\"ids\":[],\"x\":" + objects + "}");
        CHECK_SAME("{\"ids\":" + arrays + "}");
        CHECK_SAME("{\"identifiers\":" + arrays + "}");
        CHECK_SAME("{\"identifiers\":[" + arrays + "]}");
        CHECK_SAME("{\"identifiers\":[{\"id\":" + arrays + "}]}");
        CHECK_SAME("{\"identifiers\":[{\"x\":" + objects + ",\"cio_id\":\"c\"}]}");
        CHECK_SAME("{\"ids\":[],\"next\":" + arrays + "}");
        CHECK_SAME(arrays);
        // Unterminated at depth: deep but malformed.
        CHECK_SAME("{\"ids\":[],\"x\":" + QByteArray(depth, '['));
    }
}

void TestMembershipParser::benchShapedPage()
{
    // The bench's shape: ids and identifiers both present, ids first.
    QByteArray ids, ident;
    for (int i = 0; i < 3000; ++i) {
        const QByteArray id = QByteArray::number(1000000 + i);
        ids += (i ? "," : "") + ('"' + id + '"');
        ident += (i ? "," : "") + ("{\"id\":\"" + id + "\",\"email\":" +
                                   (i % 50 ? QByteArray("\" Kate.smith" + id + "@example.com \"")
                                           : QByteArray("null")) +
                                   ",\"cio_id\":\"" + QByteArray::number(i * 7919, 16) + "\"}");
    }
    const QByteArray body = "{\"segment_id\":1,\"ids\":[" + ids + "],\"identifiers\":[" + ident +
                            "],\"next\":\"MzAwMDA=\"}";
    CHECK_SAME(body);
    const auto page = CustomerIoClient::parseMembershipPage(body);
    QVERIFY(page.ok());
    QCOMPARE(qsizetype(page->members.size()), qsizetype(3000));
    QCOMPARE(page->next, QStringLiteral("MzAwMDA="));
    QCOMPARE(CustomerIoClient::peekNext(body), std::optional<QString>(page->next));
}

QTEST_GUILESS_MAIN(TestMembershipParser)
#include "tst_membershipparser.moc"
