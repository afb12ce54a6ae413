#include "whereexpression.h"

#include "profilestore.h"

#include <QList>

#include <vector>

namespace lockstep::sandbox {

struct WhereExpression::Node
{
    enum class Kind
    {
        Literal,
        Property,
        Defined,
        Not,
        And,
        Or,
        Compare
    };
    Kind kind = Kind::Literal;
    QByteArray op;   // Compare: == != < > <= >= in
    QByteArray text; // Literal string / Property name
    enum class Lit
    {
        String,
        Number,
        Bool,
        Null
    } lit = Lit::Null;
    double number = 0;
    bool boolean = false;
    std::shared_ptr<const Node> a, b;
};

namespace {

using Node = WhereExpression::Node;
using NodePtr = std::shared_ptr<const Node>;

struct Token
{
    enum class T
    {
        Ident,
        String,
        Number,
        Op,
        End
    } t = T::End;
    QByteArray text;
};

std::variant<std::vector<Token>, QString> tokenize(const QByteArray& s)
{
    std::vector<Token> out;
    qsizetype i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++i;
        } else if (c == '"' || c == '\'') {
            QByteArray text;
            ++i;
            while (i < s.size() && s[i] != c) {
                if (s[i] == '\\' && i + 1 < s.size())
                    ++i;
                text.append(s[i++]);
            }
            if (i >= s.size())
                return QStringLiteral("unterminated string in where");
            ++i;
            out.push_back({Token::T::String, text});
        } else if ((c >= '0' && c <= '9') ||
                   (c == '-' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9')) {
            qsizetype j = i + 1;
            while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
                ++j;
            out.push_back({Token::T::Number, s.mid(i, j - i)});
            i = j;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
            qsizetype j = i + 1;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
                ++j;
            out.push_back({Token::T::Ident, s.mid(i, j - i)});
            i = j;
        } else if ((c == '=' || c == '!' || c == '<' || c == '>') && i + 1 < s.size() &&
                   s[i + 1] == '=') {
            out.push_back({Token::T::Op, s.mid(i, 2)});
            i += 2;
        } else if (c == '<' || c == '>' || c == '(' || c == ')' || c == '[' || c == ']') {
            out.push_back({Token::T::Op, QByteArray(1, c)});
            ++i;
        } else {
            return QStringLiteral("unexpected character '%1' in where").arg(QLatin1Char(c));
        }
    }
    out.push_back({});
    return out;
}

class Parser
{
public:
    explicit Parser(std::vector<Token> tokens) : m_t(std::move(tokens)) {}
    NodePtr parse()
    {
        NodePtr n = parseOr();
        if (n && peek().t != Token::T::End)
            fail(QStringLiteral("unexpected '%1' in where").arg(QString::fromUtf8(peek().text)));
        return m_error.isEmpty() ? n : nullptr;
    }
    QString error() const { return m_error; }

private:
    const Token& peek() const { return m_t[m_pos]; }
    bool isIdent(const char* word) const
    {
        return peek().t == Token::T::Ident && peek().text == word;
    }
    bool isOp(const char* op) const { return peek().t == Token::T::Op && peek().text == op; }
    void fail(const QString& m)
    {
        if (m_error.isEmpty())
            m_error = m;
    }
    bool expectOp(const char* op)
    {
        if (!isOp(op)) {
            fail(QStringLiteral("expected '%1' in where").arg(QLatin1StringView(op)));
            return false;
        }
        ++m_pos;
        return true;
    }
    static NodePtr make(Node::Kind k, NodePtr a, NodePtr b = nullptr, QByteArray op = {})
    {
        auto n = std::make_shared<Node>();
        n->kind = k;
        n->a = std::move(a);
        n->b = std::move(b);
        n->op = std::move(op);
        return n;
    }
    NodePtr parseOr()
    {
        NodePtr l = parseAnd();
        while (l && isIdent("or")) {
            ++m_pos;
            l = make(Node::Kind::Or, l, parseAnd());
        }
        return l;
    }
    NodePtr parseAnd()
    {
        NodePtr l = parseNot();
        while (l && isIdent("and")) {
            ++m_pos;
            l = make(Node::Kind::And, l, parseNot());
        }
        return l;
    }
    NodePtr parseNot()
    {
        if (isIdent("not")) {
            ++m_pos;
            return make(Node::Kind::Not, parseNot());
        }
        return parseCompare();
    }
    NodePtr parseCompare()
    {
        NodePtr l = parsePrimary();
        if (!l)
            return l;
        for (const char* op : {"==", "!=", "<=", ">=", "<", ">"}) {
            if (isOp(op)) {
                ++m_pos;
                return make(Node::Kind::Compare, l, parsePrimary(), op);
            }
        }
        if (isIdent("in")) {
            ++m_pos;
            return make(Node::Kind::Compare, l, parsePrimary(), "in");
        }
        return l;
    }
    NodePtr parseProperty()
    {
        ++m_pos; // properties / user
        if (!expectOp("["))
            return nullptr;
        if (peek().t != Token::T::String) {
            fail(QStringLiteral("expected a property name in quotes"));
            return nullptr;
        }
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::Property;
        n->text = peek().text;
        ++m_pos;
        if (!expectOp("]"))
            return nullptr;
        return n;
    }
    NodePtr parsePrimary()
    {
        const Token t = peek();
        if (t.t == Token::T::Op && t.text == "(") {
            ++m_pos;
            NodePtr n = parseOr();
            return expectOp(")") ? n : nullptr;
        }
        if (t.t == Token::T::Ident && (t.text == "properties" || t.text == "user"))
            return parseProperty();
        if (t.t == Token::T::Ident && t.text == "defined") {
            ++m_pos;
            if (!expectOp("("))
                return nullptr;
            if (!isIdent("properties") && !isIdent("user")) {
                fail(QStringLiteral("defined() takes properties[\"name\"]"));
                return nullptr;
            }
            NodePtr p = parseProperty();
            if (!p || !expectOp(")"))
                return nullptr;
            return make(Node::Kind::Defined, p);
        }
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::Literal;
        if (t.t == Token::T::String) {
            n->lit = Node::Lit::String;
            n->text = t.text;
        } else if (t.t == Token::T::Number) {
            n->lit = Node::Lit::Number;
            n->number = t.text.toDouble();
        } else if (t.t == Token::T::Ident && (t.text == "true" || t.text == "false")) {
            n->lit = Node::Lit::Bool;
            n->boolean = t.text == "true";
        } else if (t.t == Token::T::Ident && t.text == "null") {
            n->lit = Node::Lit::Null;
        } else {
            fail(t.t == Token::T::End
                     ? QStringLiteral("where ends too early")
                     : QStringLiteral("unexpected '%1' in where").arg(QString::fromUtf8(t.text)));
            return nullptr;
        }
        ++m_pos;
        return n;
    }

    std::vector<Token> m_t;
    std::size_t m_pos = 0;
    QString m_error;
};

// A value during evaluation: a literal or a profile property (possibly undefined).
struct Val
{
    enum class T
    {
        Undefined,
        Null,
        Bool,
        Number,
        String,
        List
    } t = T::Undefined;
    bool b = false;
    double n = 0;
    QByteArray s;
    const PropValue* list = nullptr;
};

Val fromProp(const ProfileStore& store, const PropValue* v)
{
    Val out;
    if (!v)
        return out;
    switch (v->type) {
    case PropValue::Type::Null:
        out.t = Val::T::Null;
        break;
    case PropValue::Type::Bool:
        out.t = Val::T::Bool;
        out.b = v->boolean;
        break;
    case PropValue::Type::Number:
        out.t = Val::T::Number;
        out.n = v->number;
        break;
    case PropValue::Type::String:
    case PropValue::Type::Raw:
        out.t = Val::T::String;
        out.s = store.strings().bytes(v->str);
        break;
    case PropValue::Type::List:
        out.t = Val::T::List;
        out.list = v;
        break;
    }
    return out;
}

Val evaluate(const Node& n, const ProfileStore& store, std::uint32_t profile);

bool truthy(const Val& v)
{
    switch (v.t) {
    case Val::T::Undefined:
    case Val::T::Null:
        return false;
    case Val::T::Bool:
        return v.b;
    case Val::T::Number:
        return v.n != 0;
    case Val::T::String:
        return !v.s.isEmpty();
    case Val::T::List:
        return !v.list->list.empty();
    }
    return false;
}

bool equal(const ProfileStore& store, const Val& a, const Val& b)
{
    if (a.t != b.t)
        return false;
    switch (a.t) {
    case Val::T::Undefined:
    case Val::T::Null:
        return true;
    case Val::T::Bool:
        return a.b == b.b;
    case Val::T::Number:
        return a.n == b.n;
    case Val::T::String:
        return a.s == b.s;
    case Val::T::List:
        return *a.list == *b.list;
    }
    Q_UNUSED(store);
    return false;
}

Val boolVal(bool b)
{
    Val v;
    v.t = Val::T::Bool;
    v.b = b;
    return v;
}

Val evaluate(const Node& n, const ProfileStore& store, std::uint32_t profile)
{
    switch (n.kind) {
    case Node::Kind::Literal: {
        Val v;
        switch (n.lit) {
        case Node::Lit::String:
            v.t = Val::T::String;
            v.s = n.text;
            break;
        case Node::Lit::Number:
            v.t = Val::T::Number;
            v.n = n.number;
            break;
        case Node::Lit::Bool:
            v.t = Val::T::Bool;
            v.b = n.boolean;
            break;
        case Node::Lit::Null:
            v.t = Val::T::Null;
            break;
        }
        return v;
    }
    case Node::Kind::Property: {
        const std::uint32_t key = store.keyId(n.text);
        return fromProp(store, key == StringPool::kNone ? nullptr : store.property(profile, key));
    }
    case Node::Kind::Defined:
        return boolVal(evaluate(*n.a, store, profile).t != Val::T::Undefined);
    case Node::Kind::Not:
        return boolVal(!truthy(evaluate(*n.a, store, profile)));
    case Node::Kind::And:
        return boolVal(truthy(evaluate(*n.a, store, profile)) &&
                       truthy(evaluate(*n.b, store, profile)));
    case Node::Kind::Or:
        return boolVal(truthy(evaluate(*n.a, store, profile)) ||
                       truthy(evaluate(*n.b, store, profile)));
    case Node::Kind::Compare: {
        const Val a = evaluate(*n.a, store, profile);
        const Val b = evaluate(*n.b, store, profile);
        if (n.op == "in") {
            if (b.t == Val::T::List) {
                for (const PropValue& item : b.list->list) {
                    if (equal(store, a, fromProp(store, &item)))
                        return boolVal(true);
                }
                return boolVal(false);
            }
            if (b.t == Val::T::String && a.t == Val::T::String)
                return boolVal(b.s.contains(a.s));
            return boolVal(false);
        }
        if (n.op == "==")
            return boolVal(equal(store, a, b));
        if (n.op == "!=")
            return boolVal(!equal(store, a, b));
        if (a.t == Val::T::Number && b.t == Val::T::Number) {
            if (n.op == "<")
                return boolVal(a.n < b.n);
            if (n.op == ">")
                return boolVal(a.n > b.n);
            if (n.op == "<=")
                return boolVal(a.n <= b.n);
            if (n.op == ">=")
                return boolVal(a.n >= b.n);
        }
        if (a.t == Val::T::String && b.t == Val::T::String) {
            if (n.op == "<")
                return boolVal(a.s < b.s);
            if (n.op == ">")
                return boolVal(a.s > b.s);
            if (n.op == "<=")
                return boolVal(a.s <= b.s);
            if (n.op == ">=")
                return boolVal(a.s >= b.s);
        }
        return boolVal(false);
    }
    }
    return {};
}

} // namespace

WhereExpression::~WhereExpression() = default;

std::variant<WhereExpression, QString> WhereExpression::parse(const QString& text)
{
    auto tokens = tokenize(text.toUtf8());
    if (auto* err = std::get_if<QString>(&tokens))
        return *err;
    Parser parser(std::get<std::vector<Token>>(std::move(tokens)));
    NodePtr root = parser.parse();
    if (!root)
        return parser.error().isEmpty() ? QStringLiteral("empty where expression") : parser.error();
    WhereExpression e;
    e.m_root = root;
    return e;
}

bool WhereExpression::matches(const ProfileStore& store, std::uint32_t profile) const
{
    return truthy(evaluate(*m_root, store, profile));
}

} // namespace lockstep::sandbox
