#pragma once
// The Mixpanel side's user profiles keyed by $distinct_id, with the engage operators and
// the cohort definitions evaluated live against them.

#include "jsontree.h"
#include "propvalue.h"
#include "scenario.h"
#include "stringpool.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <cstdint>
#include <vector>

namespace lockstep::sandbox {

struct Profile
{
    bool alive = false;
    std::vector<std::pair<std::uint32_t, PropValue>> props; // key id (interned) -> value
};

struct CohortDef
{
    CohortSpec spec;
    std::uint32_t key = StringPool::kNone;
    std::uint32_t value = StringPool::kNone;
};

// The engage operators, in the order ProfileStore names them.
enum class EngageOp : std::int8_t
{
    None = -1,
    Set,
    SetOnce,
    Add,
    Union,
    Append,
    Remove,
    Unset,
    Delete
};
constexpr int kEngageOpCount = 8;
QLatin1StringView engageOpName(EngageOp op);
EngageOp engageOpOf(std::string_view key); // EngageOp::None if `key` is no operator

// One /engage update read from a JsonTree off the main thread: everything apply() would
// look up in a QJsonObject, found once (keys in QJsonObject's sorted order).
struct ParsedUpdate
{
    bool isObject = false;
    bool tokenOk = false;      // $token equals the project token
    bool tokenMissing = false; // $token absent, empty or not a string
    bool ignoreTime = false;   // $ignore_time is true
    EngageOp op = EngageOp::None;
    EngageOp secondOp = EngageOp::None; // a second operator (an error)
    std::string_view distinctId;        // a string $distinct_id ("" if absent)
    std::uint64_t distinctIdHash =
        0;                         // StringPool::hashOf(distinctId), computed off the main thread
    const JsonNode* arg = nullptr; // the operator's argument
};

struct UpdateResult
{
    QByteArray op; // the operator applied ("$union"), empty if none could be found
    QString error; // empty on success
};

class ProfileStore
{
public:
    void setCohorts(const QList<CohortSpec>& cohorts);

    // Applies one engage update ({$distinct_id, one operator, $ignore_time?}); the token
    // is checked by the caller. An unknown $distinct_id creates the profile.
    UpdateResult apply(const QJsonObject& update);
    // The same for an update read by JsonTree; returns the error (empty on success).
    QString apply(const JsonTree& tree, const ParsedUpdate& update);

    // Creates a profile with the given properties (scenario set-up).
    void seed(QByteArrayView distinctId, const QJsonObject& properties);

    std::uint32_t lookup(QByteArrayView distinctId) const; // kNone if no live profile
    // Warms the cache for a coming apply() of this update.
    void prefetch(const ParsedUpdate& update) const { m_ids.prefetch(update.distinctIdHash); }
    std::uint32_t capacity() const { return std::uint32_t(m_profiles.size()); }
    const Profile& profile(std::uint32_t index) const { return m_profiles[index]; }
    QByteArrayView distinctId(std::uint32_t index) const { return m_ids.view(index); }
    qint64 liveCount() const { return m_live; }

    const std::vector<CohortDef>& cohorts() const { return m_cohorts; }
    const CohortDef* cohort(qint64 id) const;
    bool inCohort(const CohortDef& cohort, std::uint32_t index) const;
    qint64 cohortCount(const CohortDef& cohort) const;

    const PropValue* property(std::uint32_t index, std::uint32_t key) const;
    std::uint32_t keyId(QByteArrayView name) const { return m_strings.find(name); }
    std::uint32_t stringId(QByteArrayView text) const { return m_strings.find(text); }
    const StringPool& strings() const { return m_strings; }

    // {"$distinct_id":..., "$properties":{...}}; `only` (key ids) limits the properties.
    void writeProfile(QByteArray& out, std::uint32_t index, const QSet<std::uint32_t>* only) const;

private:
    std::uint32_t obtain(QByteArrayView distinctId)
    {
        return obtain(distinctId, StringPool::hashOf(distinctId));
    }
    std::uint32_t obtain(QByteArrayView distinctId, std::uint64_t hash);
    std::uint32_t lookup(QByteArrayView distinctId, std::uint64_t hash) const;
    PropValue* slot(Profile& p, std::uint32_t key);
    QString applyOperator(Profile& p, const QByteArray& op, const QJsonValue& arg);
    QString applyOperator(Profile& p, EngageOp op, const JsonTree& tree, const JsonNode& arg);
    PropValue fromNode(const JsonTree& tree, const JsonNode& node);
    void touchLastSeen(Profile& p);

    StringPool m_ids;     // distinct ids; the pool id is the profile index
    StringPool m_strings; // property names and string values
    std::vector<Profile> m_profiles;
    std::vector<CohortDef> m_cohorts;
    qint64 m_live = 0;
    qint64 m_lastSeenSecond = -1; // $last_seen is an ISO time to the second: cache its string
    std::uint32_t m_lastSeenValue = StringPool::kNone;
};

} // namespace lockstep::sandbox
