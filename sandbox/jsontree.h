#pragma once
// A strict single-pass JSON reader for ingestion bodies (/engage batches): one flat vector
// of nodes, strings as views into the payload (or an arena when they hold escapes), no
// QJsonValue/QString per value. It only vouches for documents QJsonDocument reads the same
// way: parse() returns false for anything it does not handle exactly like Qt (invalid JSON,
// duplicate or non-ASCII object keys, lone surrogates, numbers out of range, deep nesting),
// and the caller then falls back to QJsonDocument, so replies and errors stay Qt's.
// Object members are sorted by key, as QJsonObject iterates them.

#include <QByteArrayView>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::sandbox {

struct JsonNode
{
    enum class Type : std::uint8_t
    {
        Null,
        Bool,
        Number,
        String,
        Array,
        Object
    };

    Type type = Type::Null;
    bool boolean = false;
    std::uint32_t first = 0; // Array / Object: children are nodes [first, first + count)
    std::uint32_t count = 0;
    double number = 0.0;
    std::string_view text; // String: the UTF-8 value
    std::string_view key;  // a member of an object: its key
};

class JsonTree
{
public:
    // `text` must outlive the tree (strings without escapes point into it).
    bool parse(QByteArrayView text);

    const JsonNode& root() const { return m_root; }
    const JsonNode& child(const JsonNode& container, std::uint32_t i) const
    {
        return m_nodes[container.first + i];
    }
    // The member `key` of an object (keys are unique), or nullptr.
    const JsonNode* member(const JsonNode& object, std::string_view key) const;
    // True if `node` is or contains an object (PropValue keeps those as Qt's compact JSON).
    bool containsObject(const JsonNode& node) const;

private:
    bool parseValue(JsonNode& out, int depth);
    bool parseString(std::string_view& out, bool& ascii);
    bool parseNumber(JsonNode& out);
    bool closeContainer(JsonNode& out, std::size_t mark, bool object);
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    static constexpr int kMaxDepth = 64;
    const char* m_begin = nullptr;
    const char* m_p = nullptr;
    const char* m_end = nullptr;
    std::vector<JsonNode> m_nodes;
    std::vector<JsonNode> m_stack; // children of the containers being read
    std::string m_arena;           // unescaped strings; reserved once so views stay valid
    JsonNode m_root;
};

} // namespace lockstep::sandbox
