#include "scenario.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <cmath>

namespace lockstep::sandbox {
namespace {

// Reads typed fields and remembers the first problem with its full field path, so a
// bad scenario is reported as e.g. "segments[2].churn.entered: must be an integer >= 0".
class Reader
{
public:
    bool ok() const { return !m_error.has_value(); }
    ScenarioError error() const { return *m_error; }

    void fail(const QString& field, const QString& message)
    {
        if (!m_error)
            m_error = ScenarioError{field, message};
    }

    static QString join(const QString& path, const QString& key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }

    QJsonObject object(const QJsonObject& o, const QString& key, const QString& path)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject())
            fail(join(path, key), QStringLiteral("must be an object"));
        return v.toObject();
    }

    QJsonArray array(const QJsonObject& o, const QString& key, const QString& path)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isArray())
            fail(join(path, key), QStringLiteral("must be an array"));
        return v.toArray();
    }

    qint64 integer(const QJsonObject& o, const QString& key, const QString& path, qint64 def,
                   qint64 min, qint64 max = std::numeric_limits<qint32>::max())
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return def;
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || d != std::floor(d) || d < double(min) || d > double(max)) {
            fail(join(path, key),
                 QStringLiteral("must be an integer between %1 and %2").arg(min).arg(max));
            return def;
        }
        return qint64(d);
    }

    double share(const QJsonObject& o, const QString& key, const QString& path, double def)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return def;
        if (!v.isDouble() || v.toDouble() < 0.0 || v.toDouble() > 1.0) {
            fail(join(path, key), QStringLiteral("must be a number between 0 and 1"));
            return def;
        }
        return v.toDouble();
    }

    QString string(const QJsonObject& o, const QString& key, const QString& path,
                   const QString& def, bool required = false)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(join(path, key), QStringLiteral("is required"));
            return def;
        }
        if (!v.isString()) {
            fail(join(path, key), QStringLiteral("must be a string"));
            return def;
        }
        return v.toString();
    }

    QString oneOf(const QJsonObject& o, const QString& key, const QString& path, const QString& def,
                  const QStringList& allowed)
    {
        const QString s = string(o, key, path, def);
        if (!allowed.contains(s))
            fail(join(path, key),
                 QStringLiteral("must be one of: ") + allowed.join(QStringLiteral(", ")));
        return s;
    }

    bool boolean(const QJsonObject& o, const QString& key, const QString& path, bool def)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return def;
        if (!v.isBool())
            fail(join(path, key), QStringLiteral("must be true or false"));
        return v.toBool(def);
    }

    std::optional<QString> nullableString(const QJsonObject& o, const QString& key,
                                          const QString& path)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isString()) {
            fail(join(path, key), QStringLiteral("must be a string or null"));
            return std::nullopt;
        }
        return v.toString();
    }

private:
    std::optional<ScenarioError> m_error;
};

bool isBuildingState(const QString& state)
{
    // The reference does not say which states build; these two name it.
    return state == QStringLiteral("build") || state == QStringLiteral("build_queued");
}

// SplitMix64's finaliser: independent bits of the seed for each detail.
quint64 detailBits(quint64 seed)
{
    quint64 z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void readCustomerIo(Reader& r, const QJsonObject& root, Scenario& s)
{
    const QString p = QStringLiteral("customerio");
    const QJsonObject c = r.object(root, p, QString());
    s.appApiKey = r.string(c, QStringLiteral("app_api_key"), p, s.appApiKey);
    if (s.appApiKey.isEmpty())
        r.fail(p + QStringLiteral(".app_api_key"), QStringLiteral("must not be empty"));
    s.emailIdentifiers =
        r.oneOf(c, QStringLiteral("identifiers"), p, QStringLiteral("email"),
                {QStringLiteral("email"), QStringLiteral("id_only")}) == QStringLiteral("email");
    // Undocumented details: pinned by the scenario, else picked by the seed (read first).
    const QString encoding = r.oneOf(c, QStringLiteral("cursor_encoding"), p,
                                     defaultCursorEncoding(s.seed) == CursorEncoding::Base64
                                         ? QStringLiteral("base64")
                                         : QStringLiteral("base64url"),
                                     {QStringLiteral("base64url"), QStringLiteral("base64")});
    s.cursorEncoding =
        encoding == QStringLiteral("base64") ? CursorEncoding::Base64 : CursorEncoding::Base64Url;
    const QString order =
        r.oneOf(c, QStringLiteral("page_order"), p,
                defaultPageOrder(s.seed) == PageOrder::Shuffled ? QStringLiteral("shuffled")
                                                                : QStringLiteral("ascending"),
                {QStringLiteral("ascending"), QStringLiteral("shuffled")});
    s.pageOrder = order == QStringLiteral("shuffled") ? PageOrder::Shuffled : PageOrder::Ascending;
    const QString position =
        r.oneOf(c, QStringLiteral("next_position"), p,
                defaultNextPosition(s.seed) == NextPosition::First ? QStringLiteral("first")
                                                                   : QStringLiteral("last"),
                {QStringLiteral("first"), QStringLiteral("last")});
    s.nextPosition = position == QStringLiteral("first") ? NextPosition::First : NextPosition::Last;
    static const QStringList lastValues = {QStringLiteral("absent"), QStringLiteral("null"),
                                           QStringLiteral("empty")};
    const QString last = r.oneOf(c, QStringLiteral("last_page_next"), p,
                                 lastValues.at(int(defaultLastPageNext(s.seed))), lastValues);
    s.lastPageNext = LastPageNext(std::max<qsizetype>(0, lastValues.indexOf(last)));
    s.rateLimitPerSecond =
        int(r.integer(c, QStringLiteral("rate_limit_per_second"), p, 10, 1, 100000));
}

void readCohorts(Reader& r, const QJsonObject& m, Scenario& s)
{
    const QJsonArray cohorts = r.array(m, QStringLiteral("cohorts"), QStringLiteral("mixpanel"));
    QSet<int> ids;
    for (int i = 0; i < cohorts.size(); ++i) {
        const QString p = QStringLiteral("mixpanel.cohorts[%1]").arg(i);
        if (!cohorts.at(i).isObject()) {
            r.fail(p, QStringLiteral("must be an object"));
            return;
        }
        const QJsonObject o = cohorts.at(i).toObject();
        CohortSpec c;
        c.id = int(r.integer(o, QStringLiteral("id"), p, -1, 1));
        if (!o.contains(QStringLiteral("id")))
            r.fail(p + QStringLiteral(".id"), QStringLiteral("is required"));
        if (ids.contains(c.id))
            r.fail(p + QStringLiteral(".id"), QStringLiteral("duplicate cohort id %1").arg(c.id));
        ids.insert(c.id);
        c.name = r.string(o, QStringLiteral("name"), p, QString(), true);
        c.description = r.string(o, QStringLiteral("description"), p, QString());
        c.property = r.string(o, QStringLiteral("property"), p, QString(), true);
        c.flag = r.boolean(o, QStringLiteral("flag"), p, false);
        c.visible = r.boolean(o, QStringLiteral("visible"), p, true);
        c.value = r.string(o, QStringLiteral("value"), p, QString(), !c.flag);
        s.cohorts.push_back(c);
    }
}

void readMixpanel(Reader& r, const QJsonObject& root, Scenario& s)
{
    const QString p = QStringLiteral("mixpanel");
    const QJsonObject m = r.object(root, p, QString());
    s.projectToken = r.string(m, QStringLiteral("project_token"), p, s.projectToken);
    s.projectId = r.integer(m, QStringLiteral("project_id"), p, s.projectId, 1, qint64(1) << 52);
    s.serviceAccount = r.string(m, QStringLiteral("service_account"), p, s.serviceAccount);
    s.strictToken = r.boolean(m, QStringLiteral("strict_token"), p, false);
    if (!s.serviceAccount.contains(QLatin1Char(':')))
        r.fail(p + QStringLiteral(".service_account"), QStringLiteral("must be \"user:secret\""));
    s.existingProfileShare = r.share(m, QStringLiteral("existing_profile_share"), p, 0.0);
    s.existingProfileKey =
        r.oneOf(m, QStringLiteral("existing_profile_key"), p, QStringLiteral("id"),
                {QStringLiteral("id"), QStringLiteral("email"), QStringLiteral("cio_id")});
    s.queryLimitPerHour =
        int(r.integer(m, QStringLiteral("query_limit_per_hour"), p, 60, 1, 1000000));
    s.queryHourSeconds = int(r.integer(m, QStringLiteral("query_hour_seconds"), p, 3600, 1, 86400));
    s.queryConcurrency = int(r.integer(m, QStringLiteral("query_concurrency"), p, 5, 1, 1000));
    s.queryRetryAfter = r.boolean(m, QStringLiteral("query_retry_after"), p, false);
    readCohorts(r, m, s);
}

void readPopulation(Reader& r, const QJsonObject& root, Scenario& s)
{
    const QString p = QStringLiteral("population");
    const QJsonObject pop = r.object(root, p, QString());
    s.populationSize = r.integer(pop, QStringLiteral("size"), p, 0, 0, 50'000'000);
    const QString ap = p + QStringLiteral(".anomalies");
    const QJsonObject a = r.object(pop, QStringLiteral("anomalies"), p);
    s.anomalies.missingEmail = r.share(a, QStringLiteral("missing_email"), ap, 0);
    s.anomalies.mixedCaseEmail = r.share(a, QStringLiteral("mixed_case_email"), ap, 0);
    s.anomalies.duplicateEmail = r.share(a, QStringLiteral("duplicate_email"), ap, 0);
    s.anomalies.placeholderId = r.share(a, QStringLiteral("placeholder_id"), ap, 0);
    s.anomalies.missingId = r.share(a, QStringLiteral("missing_id"), ap, 0);
    s.anomalies.merged = r.share(a, QStringLiteral("merged"), ap, 0);
    for (const QString& k : a.keys()) {
        static const QStringList known = {
            QStringLiteral("missing_email"),   QStringLiteral("mixed_case_email"),
            QStringLiteral("duplicate_email"), QStringLiteral("placeholder_id"),
            QStringLiteral("missing_id"),      QStringLiteral("merged")};
        if (!known.contains(k))
            r.fail(ap + QLatin1Char('.') + k, QStringLiteral("unknown anomaly"));
    }

    const QJsonArray people = r.array(root, QStringLiteral("people"), QString());
    for (int i = 0; i < people.size(); ++i) {
        const QString pp = QStringLiteral("people[%1]").arg(i);
        if (!people.at(i).isObject()) {
            r.fail(pp, QStringLiteral("must be an object"));
            return;
        }
        const QJsonObject o = people.at(i).toObject();
        s.people.push_back({r.nullableString(o, QStringLiteral("id"), pp),
                            r.nullableString(o, QStringLiteral("email"), pp),
                            r.nullableString(o, QStringLiteral("cio_id"), pp)});
    }
}

void readSegments(Reader& r, const QJsonObject& root, Scenario& s)
{
    const QJsonArray segments = r.array(root, QStringLiteral("segments"), QString());
    QSet<int> ids;
    for (int i = 0; i < segments.size(); ++i) {
        const QString p = QStringLiteral("segments[%1]").arg(i);
        if (!segments.at(i).isObject()) {
            r.fail(p, QStringLiteral("must be an object"));
            return;
        }
        const QJsonObject o = segments.at(i).toObject();
        SegmentSpec g;
        if (!o.contains(QStringLiteral("id")))
            r.fail(p + QStringLiteral(".id"), QStringLiteral("is required"));
        g.id = int(r.integer(o, QStringLiteral("id"), p, 0, 1));
        if (ids.contains(g.id))
            r.fail(p + QStringLiteral(".id"), QStringLiteral("duplicate segment id %1").arg(g.id));
        ids.insert(g.id);
        g.name = r.string(o, QStringLiteral("name"), p, QString(), true);
        g.description = r.string(o, QStringLiteral("description"), p, QString());
        g.size = r.integer(o, QStringLiteral("size"), p, -1, 0, 50'000'000);
        g.share = r.share(o, QStringLiteral("share"), p, -1.0);
        g.overlapWith = int(r.integer(o, QStringLiteral("overlap_with"), p, -1, 1));
        g.overlapShare = r.share(o, QStringLiteral("overlap_share"), p, 0.5);
        if (g.overlapWith > 0 && !ids.contains(g.overlapWith))
            r.fail(p + QStringLiteral(".overlap_with"),
                   QStringLiteral("must name an earlier segment"));
        const QJsonArray disjoint = r.array(o, QStringLiteral("disjoint_with"), p);
        for (int k = 0; k < disjoint.size(); ++k) {
            const int other = disjoint.at(k).toInt(-1);
            if (!disjoint.at(k).isDouble() || !ids.contains(other) || other == g.id)
                r.fail(p + QStringLiteral(".disjoint_with[%1]").arg(k),
                       QStringLiteral("must name an earlier segment"));
            g.disjointWith.push_back(other);
        }
        g.type = r.oneOf(o, QStringLiteral("type"), p, QStringLiteral("dynamic"),
                         {QStringLiteral("dynamic"), QStringLiteral("manual")});
        // The App API reference's own example is a manual segment in "events" with progress
        // null (ready); a data-driven one reports a percentage while it builds.
        const bool manual = g.type == QStringLiteral("manual");
        g.state = r.oneOf(o, QStringLiteral("state"), p,
                          manual ? QStringLiteral("events") : QStringLiteral("finished"),
                          {QStringLiteral("events"), QStringLiteral("build"),
                           QStringLiteral("events_queued"), QStringLiteral("build_queued"),
                           QStringLiteral("finished")});
        // An explicit null is a ready segment whatever its state; left out, a data-driven
        // segment in a building state starts at 0 %, every other one is ready.
        if (o.contains(QStringLiteral("progress")) && !o.value(QStringLiteral("progress")).isNull())
            g.progress = int(r.integer(o, QStringLiteral("progress"), p, 0, 0, 100));
        else if (!o.contains(QStringLiteral("progress")) && !manual && isBuildingState(g.state))
            g.progress = 0;
        for (const QJsonValue& t : r.array(o, QStringLiteral("tags"), p))
            g.tags.push_back(t.toString());
        g.createdAt = r.integer(o, QStringLiteral("created_at"), p, 1700000000, 0, qint64(1) << 40);
        g.updatedAt =
            r.integer(o, QStringLiteral("updated_at"), p, g.createdAt, 0, qint64(1) << 40);
        const QJsonObject churn = r.object(o, QStringLiteral("churn"), p);
        g.churn.entered =
            int(r.integer(churn, QStringLiteral("entered"), p + QStringLiteral(".churn"), 0, 0));
        g.churn.exited =
            int(r.integer(churn, QStringLiteral("exited"), p + QStringLiteral(".churn"), 0, 0));
        const QString churnPath = p + QStringLiteral(".churn");
        const QJsonArray weekly = r.array(churn, QStringLiteral("weekly"), churnPath);
        if (!weekly.isEmpty() && weekly.size() != 7)
            r.fail(churnPath + QStringLiteral(".weekly"),
                   QStringLiteral("must hold 7 factors, one per day of the week"));
        for (int k = 0; k < weekly.size(); ++k) {
            if (!weekly.at(k).isDouble() || weekly.at(k).toDouble() < 0 ||
                weekly.at(k).toDouble() > 100)
                r.fail(churnPath + QStringLiteral(".weekly[%1]").arg(k),
                       QStringLiteral("must be a number between 0 and 100"));
            g.churn.weekly.push_back(weekly.at(k).toDouble());
        }
        const QJsonArray periods = r.array(churn, QStringLiteral("periods"), churnPath);
        for (int k = 0; k < periods.size(); ++k) {
            const QString pp = churnPath + QStringLiteral(".periods[%1]").arg(k);
            const QJsonObject po = periods.at(k).toObject();
            if (!periods.at(k).isObject()) {
                r.fail(pp, QStringLiteral("must be an object"));
                continue;
            }
            ChurnSpec::Period period;
            period.fromTick = int(r.integer(po, QStringLiteral("from_tick"), pp, 0, 1));
            period.toTick = int(r.integer(po, QStringLiteral("to_tick"), pp, period.fromTick, 1));
            period.entered = int(r.integer(po, QStringLiteral("entered"), pp, 0, 0));
            period.exited = int(r.integer(po, QStringLiteral("exited"), pp, 0, 0));
            if (!po.contains(QStringLiteral("from_tick")))
                r.fail(pp + QStringLiteral(".from_tick"), QStringLiteral("is required"));
            if (period.toTick < period.fromTick)
                r.fail(pp + QStringLiteral(".to_tick"),
                       QStringLiteral("must not be before from_tick"));
            g.churn.periods.push_back(period);
        }
        const QJsonArray edits = r.array(o, QStringLiteral("definition_edits"), p);
        for (int k = 0; k < edits.size(); ++k) {
            if (!edits.at(k).isDouble() || edits.at(k).toInt(-1) < 1)
                r.fail(p + QStringLiteral(".definition_edits[%1]").arg(k),
                       QStringLiteral("must be a tick number >= 1"));
            g.definitionEdits.push_back(edits.at(k).toInt());
        }
        g.finishAfterTicks = int(r.integer(o, QStringLiteral("finish_after_ticks"), p, -1, 1));
        if (o.contains(QStringLiteral("members"))) {
            QStringList members;
            const QJsonArray arr = r.array(o, QStringLiteral("members"), p);
            for (int k = 0; k < arr.size(); ++k) {
                if (!arr.at(k).isString())
                    r.fail(p + QStringLiteral(".members[%1]").arg(k),
                           QStringLiteral("must be a string"));
                members.push_back(arr.at(k).toString());
            }
            g.members = members;
        } else if (g.size < 0 && g.share < 0) {
            r.fail(p, QStringLiteral("needs one of size, share or members"));
        }
        s.segments.push_back(g);
    }
}

} // namespace

CursorEncoding defaultCursorEncoding(quint64 seed)
{
    return detailBits(seed) & 1 ? CursorEncoding::Base64 : CursorEncoding::Base64Url;
}

PageOrder defaultPageOrder(quint64 seed)
{
    return detailBits(seed) & 2 ? PageOrder::Shuffled : PageOrder::Ascending;
}

NextPosition defaultNextPosition(quint64 seed)
{
    return detailBits(seed) & 4 ? NextPosition::First : NextPosition::Last;
}

LastPageNext defaultLastPageNext(quint64 seed)
{
    return LastPageNext((detailBits(seed) >> 3) % 3);
}

ScenarioResult parseScenario(const QJsonObject& root)
{
    Reader r;
    Scenario s;
    static const QStringList known = {QStringLiteral("name"),
                                      QStringLiteral("description"),
                                      QStringLiteral("seed"),
                                      QStringLiteral("customerio"),
                                      QStringLiteral("mixpanel"),
                                      QStringLiteral("population"),
                                      QStringLiteral("people"),
                                      QStringLiteral("segments"),
                                      QStringLiteral("faults"),
                                      QStringLiteral("tick_interval_ms"),
                                      QStringLiteral("date_skew_seconds")};
    for (const QString& k : root.keys()) {
        if (!known.contains(k))
            r.fail(k, QStringLiteral("unknown field"));
    }
    s.seed = quint64(r.integer(root, QStringLiteral("seed"), QString(), 1, 0, (qint64(1) << 53)));
    readCustomerIo(r, root, s);
    readMixpanel(r, root, s);
    readPopulation(r, root, s);
    readSegments(r, root, s);
    s.faults = r.array(root, QStringLiteral("faults"), QString());
    s.tickIntervalMs = int(r.integer(root, QStringLiteral("tick_interval_ms"), QString(), 0, 0));
    // Up to a year either way: enough for any clock-skew test.
    s.dateSkewSeconds = r.integer(root, QStringLiteral("date_skew_seconds"), QString(), 0,
                                  -366 * 86400, 366 * 86400);
    if (!r.ok())
        return r.error();
    return s;
}

ScenarioResult loadScenarioFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ScenarioError{
            QString(),
            QStringLiteral("cannot read scenario file %1: %2").arg(path, file.errorString())};
    QJsonParseError pe;
    const QByteArray bytes = file.readAll();
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        // Name the line and column (1-based, columns in characters) an editor shows.
        const QByteArray before = bytes.left(pe.offset);
        const qsizetype lineStart = before.lastIndexOf('\n') + 1;
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = QString::fromUtf8(before.mid(lineStart)).size() + 1;
        return ScenarioError{QString(), QStringLiteral("%1:%2:%3: not valid JSON (offset %4): %5")
                                            .arg(path)
                                            .arg(line)
                                            .arg(column)
                                            .arg(pe.offset)
                                            .arg(pe.errorString())};
    }
    if (!doc.isObject())
        return ScenarioError{QString(),
                             QStringLiteral("%1: the top level must be a JSON object").arg(path)};
    return parseScenario(doc.object());
}

ChurnSpec ChurnSpec::atTick(int tick) const
{
    for (const Period& p : periods)
        if (tick >= p.fromTick && tick <= p.toTick)
            return ChurnSpec{p.entered, p.exited, {}, {}};
    ChurnSpec c{entered, exited, {}, {}};
    if (weekly.size() == 7 && tick >= 1)
        c.entered = int(std::lround(entered * weekly.at((tick - 1) % 7)));
    return c;
}

} // namespace lockstep::sandbox
