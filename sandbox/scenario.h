#pragma once
// A scenario file parsed and validated: everything the emulators start from. The format
// is documented in docs/SANDBOX.md; every rejected field is named in the error.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace lockstep::sandbox {

// Details Customer.io leaves undocumented (API.md: UNCONFIRMED). Unless the scenario pins
// one, the seed picks it, so a seed sweep shows the client every reading.
enum class CursorEncoding
{
    Base64Url,
    Base64
}; // unpadded -_ / padded +/=
enum class PageOrder
{
    Ascending,
    Shuffled
}; // person order (ascending ids) / a seeded stable order
enum class NextPosition
{
    Last,
    First
}; // where "next" sits in the page object
enum class LastPageNext
{
    Absent,
    Null,
    Empty
}; // the last page's "next": no key, null, ""

struct ChurnSpec
{
    // Ticks [fromTick, toTick] with their own churn, e.g. an event that stopped flowing
    // (nobody enters, members keep leaving) and its recovery.
    struct Period
    {
        int fromTick = 1;
        int toTick = 1;
        int entered = 0;
        int exited = 0;
    };

    int entered = 0;
    int exited = 0;
    // Seven factors on `entered`, tick 1 reading the first: a weekly rhythm when a tick is
    // a day. Empty: the same every tick.
    QList<double> weekly;
    QList<Period> periods;

    // The churn of tick `tick` (from 1): a period's, else `entered` times the day's factor.
    ChurnSpec atTick(int tick) const;
};

struct SegmentSpec
{
    int id = 0;
    QString name;
    QString description;
    qint64 size = -1;          // absolute member count, or
    double share = -1.0;       // share of the population
    QList<int> disjointWith;   // earlier segments that never share a member with this one
    int overlapWith = -1;      // draw members preferably from this segment ...
    double overlapShare = 0.5; // ... for this share of them
    QString state = QStringLiteral("finished"); // manual segments: "events"
    std::optional<int> progress;                // set while building (null otherwise)
    QString type = QStringLiteral("dynamic");
    QStringList tags;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    ChurnSpec churn;
    QList<int> definitionEdits;         // ticks at which the definition changes (updated_at moves)
    int finishAfterTicks = -1;          // a building segment becomes "finished" after N ticks
    std::optional<QStringList> members; // explicit members (cio_id, id or email of a person)
};

struct CohortSpec
{
    int id = 0;
    QString name;
    QString description;
    QString property;
    QString value;     // list mode: property contains value
    bool flag = false; // flag mode: property is true
    bool visible = true;
};

struct PersonSpec
{
    std::optional<QString> id;
    std::optional<QString> email;
    std::optional<QString> cioId;
};

struct AnomalyShares
{
    double missingEmail = 0;
    double mixedCaseEmail = 0;
    double duplicateEmail = 0;
    double placeholderId = 0;
    double missingId = 0;
    double merged = 0;
};

struct Scenario
{
    quint64 seed = 1;
    // Customer.io
    QString appApiKey = QStringLiteral("sandbox-app-api-key");
    bool emailIdentifiers = true; // false: id-only workspace, items are {id, cio_id}
    CursorEncoding cursorEncoding = CursorEncoding::Base64Url;
    PageOrder pageOrder = PageOrder::Ascending;
    NextPosition nextPosition = NextPosition::Last;
    LastPageNext lastPageNext = LastPageNext::Absent;
    int rateLimitPerSecond = 10;
    // Mixpanel
    QString projectToken = QStringLiteral("sandbox-project-token");
    qint64 projectId = 1;
    QString serviceAccount = QStringLiteral("sandbox-sa:sandbox-secret");
    // false (as Mixpanel): /engage answers 1 to a token of another project and drops its
    // updates; true: a batch without a valid token is answered 401.
    bool strictToken = false;
    QList<CohortSpec> cohorts;
    double existingProfileShare = 0.0;
    QString existingProfileKey = QStringLiteral("id"); // id | email | cio_id
    int queryLimitPerHour = 60;
    int queryHourSeconds = 3600;
    int queryConcurrency = 5;
    bool queryRetryAfter = false; // documented: the query API's 429 has no Retry-After
    // Population and segments
    qint64 populationSize = 0;
    AnomalyShares anomalies;
    QList<PersonSpec> people;
    QList<SegmentSpec> segments;
    QJsonArray faults;
    int tickIntervalMs = 0;
    // Added to the time in every reply's Date header (tests skew the services' clock).
    qint64 dateSkewSeconds = 0;
};

struct ScenarioError
{
    QString field;
    QString message;
    QString toString() const
    {
        return field.isEmpty() ? message : field + QStringLiteral(": ") + message;
    }
};

using ScenarioResult = std::variant<Scenario, ScenarioError>;

// The variant of each undocumented detail a seed picks when the scenario does not pin it.
CursorEncoding defaultCursorEncoding(quint64 seed);
PageOrder defaultPageOrder(quint64 seed);
NextPosition defaultNextPosition(quint64 seed);
LastPageNext defaultLastPageNext(quint64 seed);

ScenarioResult parseScenario(const QJsonObject& root);
ScenarioResult loadScenarioFile(const QString& path);

} // namespace lockstep::sandbox
