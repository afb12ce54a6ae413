// A YAML or JSON document read into a small tree whose nodes know their line and column,
// with limits that refuse hostile input early: the size, the nesting, the values that
// aliases expand to (YAML bombs), duplicate keys, tags, several documents.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace lockstep {

// 1-based; 0 when unknown.
struct SpecPosition
{
    int line = 0;
    int column = 0;
};

struct SpecError
{
    SpecPosition at;
    QString message;

    // "FILE:LINE:COLUMN: message" (the position left out when unknown).
    QString toString(const QString& file) const;
};

struct SpecEntry;

struct SpecNode
{
    enum class Kind
    {
        Null,
        Scalar,
        Sequence,
        Map
    };
    Kind kind = Kind::Null;
    QString text;       // a scalar's value
    bool plain = false; // a scalar written without quotes (`12`, `true` are then typed)
    SpecPosition at;
    std::vector<SpecNode> items;    // a sequence's
    std::vector<SpecEntry> entries; // a map's, in file order

    bool isScalar() const { return kind == Kind::Scalar; }
    bool isMap() const { return kind == Kind::Map; }
    bool isSequence() const { return kind == Kind::Sequence; }
    bool isNull() const { return kind == Kind::Null; }
    // "a list", "a map", "a value", "nothing": for messages.
    QString kindName() const;
};

struct SpecEntry
{
    SpecNode key;
    SpecNode value;
};

struct SpecLimits
{
    qint64 maxBytes = 4 * 1024 * 1024; // a file of 200 mappings is about 80 KB
    int maxDepth = 16;                 // the format needs 4
    qint64 maxNodes = 200000;          // counting what aliases expand to
};

struct SpecDocument
{
    std::optional<SpecNode> root; // absent when the text could not be read
    QList<SpecError> errors;
    bool json = false; // the text was JSON (a '{' or '[' first)
};

// Reads YAML 1.2 (yaml-cpp) or JSON (checked as strict JSON by QJsonDocument first). A
// UTF-8 byte order mark and CRLF line ends are read as if absent; other encodings,
// NUL bytes and invalid UTF-8 are errors with their position.
SpecDocument readSpecDocument(const QByteArray& bytes, const SpecLimits& limits = {});

// Reads a file with the size limit checked before its contents are read.
SpecDocument readSpecFile(const QString& path, const SpecLimits& limits = {});

} // namespace lockstep
