#pragma once
// The subset of Mixpanel's segmentation expressions that profile queries need:
// `"V" in properties["P"]`, `properties["P"] == "V"` (also !=, <, >, <=, >=),
// `defined(properties["P"])`, `not`, `and`, `or`, parentheses, string/number/bool literals.

#include <QByteArray>
#include <QString>

#include <memory>
#include <variant>

namespace lockstep::sandbox {

class ProfileStore;

class WhereExpression
{
public:
    struct Node;

    // An error message (for a 400 reply) or the parsed expression.
    static std::variant<WhereExpression, QString> parse(const QString& text);

    bool matches(const ProfileStore& store, std::uint32_t profile) const;

    WhereExpression(const WhereExpression&) = default;
    WhereExpression& operator=(const WhereExpression&) = default;
    ~WhereExpression();

private:
    WhereExpression() = default;
    std::shared_ptr<const Node> m_root;
};

} // namespace lockstep::sandbox
