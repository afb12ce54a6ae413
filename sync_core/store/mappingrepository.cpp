#include "mappingrepository.h"

#include "mixpanellimits.h"
#include "retention.h"
#include "util/clock.h"
#include "workspace.h"

#include <QSqlRecord>
#include <QUrl>
#include <QVariant>

namespace lockstep {

namespace {

const char* kMappingColumns =
    "id, segment_id, segment_name, cohort_name, identity_key, mode, list_property, send_events, "
    "owner, decision, schedule_minutes, paused, version, created_at, updated_at, mapping_key, "
    "revision, health_monitor, report_url, report_cohort, mass_exit_percent";

Mapping mappingFrom(const QSqlQuery& q)
{
    Mapping m;
    m.id = q.value(0).toLongLong();
    m.segmentId = q.value(1).toLongLong();
    m.segmentName = q.value(2).toString();
    m.cohortName = q.value(3).toString();
    m.identity = parseIdentityKey(q.value(4).toString()).value_or(IdentityKey::Email);
    m.mode = parseSyncMode(q.value(5).toString()).value_or(SyncMode::List);
    m.listProperty = q.value(6).toString();
    m.sendEvents = q.value(7).toInt() != 0;
    m.owner = q.value(8).toString();
    m.decision = q.value(9).toString();
    m.scheduleMinutes = q.value(10).toInt();
    m.paused = q.value(11).toInt() != 0;
    m.version = q.value(12).toInt();
    m.createdAt = q.value(13).toLongLong();
    m.updatedAt = q.value(14).toLongLong();
    m.key = q.value(15).toString();
    m.revision = q.value(16).toLongLong();
    m.healthMonitor = q.value(17).toString();
    m.reportUrl = q.value(18).toString();
    m.reportCohort = q.value(19).toString();
    m.massExitPercent = q.value(20).toDouble();
    return m;
}

void bindMapping(QSqlQuery& q, const Mapping& m)
{
    q.addBindValue(m.segmentId);
    q.addBindValue(Workspace::text(m.segmentName));
    q.addBindValue(Workspace::text(m.cohortName));
    q.addBindValue(identityKeyName(m.identity));
    q.addBindValue(syncModeName(m.mode));
    q.addBindValue(Workspace::text(m.listProperty));
    q.addBindValue(m.sendEvents ? 1 : 0);
    q.addBindValue(Workspace::text(m.owner));
    q.addBindValue(Workspace::text(m.decision));
    q.addBindValue(m.scheduleMinutes);
    q.addBindValue(m.paused ? 1 : 0);
    q.addBindValue(m.version);
    q.addBindValue(Workspace::text(m.key));
    q.addBindValue(Workspace::text(m.healthMonitor));
    q.addBindValue(Workspace::text(m.reportUrl));
    q.addBindValue(Workspace::text(m.reportCohort));
    q.addBindValue(m.usesWorkspaceMassExit() ? Mapping::kWorkspaceMassExit : m.massExitPercent);
}

SyncError invalid(const QString& msg)
{
    return SyncError::make(SyncError::Category::Config, msg);
}

// Bidirectional formatting characters (embeddings, overrides, isolates, marks): invisible,
// they reorder what follows, so "CIO | VIP\u202E..." can look like another cohort's name in
// the console, an export or Mixpanel.
bool isBidiControl(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069) || u == 0x200E ||
           u == 0x200F || u == 0x061C;
}

QString bidiRefusal(const QString& what, QChar c)
{
    return QStringLiteral("the %1 contains an invisible bidirectional control character "
                          "(U+%2), which can make it look like another name: remove it")
        .arg(what, QStringLiteral("%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0')).toUpper());
}

} // namespace

Status MappingRepository::validateReportUrl(const QString& url)
{
    const QString text = url.trimmed();
    if (text.isEmpty())
        return {};
    if (text.size() > kMaxReportUrl)
        return invalid(
            QStringLiteral("the report URL is longer than %1 characters").arg(kMaxReportUrl));
    const QUrl u(text, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty() ||
        (u.scheme() != QLatin1String("https") && u.scheme() != QLatin1String("http")))
        return invalid(QStringLiteral("the report URL must be an http(s) address, such as "
                                      "https://mixpanel.com/project/1/view/2/app/boards#id=3, "
                                      "not %1")
                           .arg(text));
    // The console opens it and exports carry it: no credentials in it.
    if (!u.userInfo().isEmpty())
        return invalid(QStringLiteral("the report URL must not hold a user name or password"));
    return {};
}

Status MappingRepository::validate(const Mapping& m)
{
    if (!m.key.isEmpty())
        if (const QString wrong = checkMappingKey(m.key); !wrong.isEmpty())
            return invalid(wrong);
    if (m.segmentId <= 0)
        return invalid(QStringLiteral("the segment id must be a positive number"));
    const QString name = m.cohortName.trimmed();
    if (name.isEmpty())
        return invalid(QStringLiteral("the cohort name is empty"));
    // The value as written to Mixpanel, which counts bytes, not characters.
    if (auto st = checkCohortValueBytes(m.cohortName, m.mode); !st)
        return st;
    for (const QChar c : m.cohortName) {
        if (c.category() == QChar::Other_Control)
            return invalid(QStringLiteral("the cohort name contains a control character"));
        if (isBidiControl(c))
            return invalid(bidiRefusal(QStringLiteral("cohort name"), c));
    }
    for (const QChar c : m.listProperty)
        if (isBidiControl(c))
            return invalid(bidiRefusal(QStringLiteral("list property"), c));
    if (m.mode == SyncMode::List) {
        if (m.listProperty.trimmed().isEmpty())
            return invalid(QStringLiteral("list mode needs a list property name"));
        if (m.listProperty.startsWith(QLatin1Char('$')))
            return invalid(QStringLiteral("the list property may not start with '$' "
                                          "(reserved by Mixpanel)"));
    } else if (m.cohortName.startsWith(QLatin1Char('$'))) {
        return invalid(QStringLiteral("in flag mode the cohort name is a property name and "
                                      "may not start with '$'"));
    }
    if (m.scheduleMinutes < 1)
        return invalid(QStringLiteral("the schedule must be at least one minute"));
    if (auto st = validateReportUrl(m.reportUrl); !st)
        return st;
    if (!m.usesWorkspaceMassExit() && !(m.massExitPercent <= 100))
        return invalid(QStringLiteral("the mass-exit share is a percentage from 0 (off) to 100"));
    return {};
}

Result<std::optional<qint64>> MappingRepository::keyHolder(const QString& key, qint64 except)
{
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT id FROM mappings WHERE mapping_key=? AND deleted=0 AND id<>?"));
    q.addBindValue(key);
    q.addBindValue(except);
    if (auto st = Workspace::exec(q, "cannot read mapping keys"); !st)
        return st.error();
    if (!q.next())
        return std::optional<qint64>();
    return std::optional<qint64>(q.value(0).toLongLong());
}

Status MappingRepository::checkKeyFree(const QString& key, qint64 except)
{
    auto holder = keyHolder(key, except);
    if (!holder)
        return holder.error();
    if (*holder)
        return invalid(QStringLiteral("the key %1 is already mapping %2's")
                           .arg(key, QString::number(**holder)));
    return {};
}

Result<qint64> MappingRepository::add(Mapping m)
{
    if (auto st = validate(m); !st)
        return st.error();
    if (m.key.isEmpty()) {
        // The cohort name's words, made unique with a number: readable in a mappings file.
        const QString base = mappingKeyFromName(m.cohortName);
        for (int n = 1;; ++n) {
            const QString suffix = n == 1 ? QString() : QStringLiteral("-%1").arg(n);
            const QString candidate = base.left(64 - suffix.size()) + suffix;
            auto holder = keyHolder(candidate, 0);
            if (!holder)
                return holder.error();
            if (!*holder) {
                m.key = candidate;
                break;
            }
        }
    } else if (auto st = checkKeyFree(m.key, 0); !st) {
        return st.error();
    }
    const qint64 now = Clock::system()->nowSecs();
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO mappings (segment_id, segment_name, cohort_name, identity_key, mode, "
        "list_property, send_events, owner, decision, schedule_minutes, paused, version, "
        "mapping_key, health_monitor, report_url, report_cohort, mass_exit_percent, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    bindMapping(q, m);
    q.addBindValue(now);
    q.addBindValue(now);
    if (auto st = Workspace::exec(q, "cannot add the mapping"); !st)
        return st.error();
    const QVariant id = q.lastInsertId();
    if (id.isValid())
        return id.toLongLong();
    // PostgreSQL through QPSQL: read it back by its key (unique among live mappings; MAX(id)
    // could be another process's insert).
    auto back = keyHolder(m.key, 0);
    if (!back)
        return back.error();
    if (!*back)
        return SyncError::make(SyncError::Category::Storage,
                               QStringLiteral("cannot read the new mapping id"));
    return **back;
}

Status MappingRepository::update(Mapping& m)
{
    if (auto st = validate(m); !st)
        return st;
    if (m.key.isEmpty()) {
        QSqlQuery key = m_ws.query(QStringLiteral("SELECT mapping_key FROM mappings WHERE id=?"));
        key.addBindValue(m.id);
        if (auto st = Workspace::exec(key, "cannot read the mapping"); !st)
            return st;
        if (key.next())
            m.key = key.value(0).toString();
    }
    if (auto st = checkKeyFree(m.key, m.id); !st)
        return st;
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE mappings SET segment_id=?, segment_name=?, cohort_name=?, identity_key=?, "
        "mode=?, list_property=?, send_events=?, owner=?, decision=?, schedule_minutes=?, "
        "paused=?, version=?, mapping_key=?, health_monitor=?, report_url=?, report_cohort=?, "
        "mass_exit_percent=?, updated_at=?, revision=revision+1 WHERE id=? AND deleted=0 AND "
        "revision=?"));
    bindMapping(q, m);
    q.addBindValue(Clock::system()->nowSecs());
    q.addBindValue(m.id);
    q.addBindValue(m.revision);
    if (auto st = Workspace::exec(q, "cannot update the mapping"); !st)
        return st;
    if (q.numRowsAffected() == 0) {
        if (auto now = get(m.id); now)
            return SyncError::make(
                SyncError::Category::Usage,
                QStringLiteral("mapping %1 was changed elsewhere (another console, the command "
                               "line or a mappings file) since this copy was read; nothing was "
                               "saved: reload it and edit again")
                    .arg(m.id));
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("no mapping %1").arg(m.id));
    }
    ++m.revision;
    return {};
}

Status MappingRepository::remove(qint64 id)
{
    Status st = m_ws.transaction([&]() -> Status {
        // The mapping's row stays (deleted=1) so run history and size points keep a name;
        // its members (snapshot keys, journal, mismatches) go with it.
        QSqlQuery q =
            m_ws.query(QStringLiteral("UPDATE mappings SET deleted=1 WHERE id=? AND deleted=0"));
        q.addBindValue(id);
        if (auto st = Workspace::exec(q, "cannot delete the mapping"); !st)
            return st;
        if (q.numRowsAffected() == 0)
            return SyncError::make(SyncError::Category::NotFound,
                                   QStringLiteral("no mapping %1").arg(id));
        return Retention::forgetMappingRows(m_ws, id);
    });
    if (st)
        m_ws.forgetFreedBytes(Workspace::Erase::Quick);
    return st;
}

Result<Mapping> MappingRepository::get(qint64 id)
{
    return read(id, false);
}

Result<Mapping> MappingRepository::getEvenDeleted(qint64 id)
{
    return read(id, true);
}

Result<Mapping> MappingRepository::read(qint64 id, bool evenDeleted)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT %1 FROM mappings WHERE id=?%2")
                                 .arg(QLatin1String(kMappingColumns),
                                      evenDeleted ? QString() : QStringLiteral(" AND deleted=0")));
    q.addBindValue(id);
    if (auto st = Workspace::exec(q, "cannot read the mapping"); !st)
        return st.error();
    if (!q.next())
        return SyncError::make(SyncError::Category::NotFound,
                               QStringLiteral("no mapping %1").arg(id));
    return mappingFrom(q);
}

Result<QList<Mapping>> MappingRepository::list()
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT %1 FROM mappings WHERE deleted=0 ORDER BY id")
                                 .arg(QLatin1String(kMappingColumns)));
    if (auto st = Workspace::exec(q, "cannot list mappings"); !st)
        return st.error();
    QList<Mapping> out;
    while (q.next())
        out.append(mappingFrom(q));
    return out;
}

Result<QString> SettingsRepository::value(const QString& key, const QString& fallback)
{
    auto v = find(key);
    if (!v)
        return v.error();
    return v->value_or(fallback);
}

Result<std::optional<QString>> SettingsRepository::find(const QString& key)
{
    QSqlQuery q = m_ws.query(QStringLiteral("SELECT value FROM settings WHERE key=?"));
    q.addBindValue(key);
    if (auto st = Workspace::exec(q, "cannot read settings"); !st)
        return st.error();
    if (!q.next())
        return std::optional<QString>();
    return std::optional<QString>(q.value(0).toString());
}

Status SettingsRepository::setValue(const QString& key, const QString& value)
{
    return setValues({{key, value}});
}

Status SettingsRepository::setValues(const QList<std::pair<QString, QString>>& values)
{
    return m_ws.transaction([&]() -> Status {
        for (const auto& [key, value] : values) {
            QSqlQuery del = m_ws.query(QStringLiteral("DELETE FROM settings WHERE key=?"));
            del.addBindValue(key);
            if (auto st = Workspace::exec(del, "cannot write settings"); !st)
                return st;
            QSqlQuery ins =
                m_ws.query(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)"));
            ins.addBindValue(key);
            ins.addBindValue(Workspace::text(value));
            if (auto st = Workspace::exec(ins, "cannot write settings"); !st)
                return st;
        }
        return {};
    });
}

Result<ConnectionSettings> SettingsRepository::connection()
{
    ConnectionSettings s;
    struct Field
    {
        const char* key;
        QString* target;
    };
    for (auto [key, target] :
         {Field{"customerio_url", &s.customerIoUrl}, Field{"mixpanel_url", &s.mixpanelUrl},
          Field{"mixpanel_query_url", &s.mixpanelQueryUrl}}) {
        auto v = value(QString::fromLatin1(key));
        if (!v)
            return v.error();
        *target = *v;
    }
    // Workspaces written before the two regions were separate hold one "region" for both.
    auto shared = value(QStringLiteral("region"));
    if (!shared)
        return shared.error();
    auto cio = value(QStringLiteral("customerio_region"), *shared);
    auto mp = value(QStringLiteral("mixpanel_region"), *shared);
    if (!cio)
        return cio.error();
    if (!mp)
        return mp.error();
    s.customerIoRegion = *cio;
    s.mixpanelRegion = *mp;
    auto pid = value(QStringLiteral("project_id"), QStringLiteral("0"));
    if (!pid)
        return pid.error();
    s.projectId = pid->toLongLong();
    return s;
}

Status SettingsRepository::setConnection(const ConnectionSettings& s)
{
    return m_ws.transaction([&]() -> Status {
        const std::pair<const char*, QString> values[] = {
            {"customerio_url", s.customerIoUrl},
            {"mixpanel_url", s.mixpanelUrl},
            {"mixpanel_query_url", s.mixpanelQueryUrl},
            {"customerio_region", s.customerIoRegion},
            {"mixpanel_region", s.mixpanelRegion},
            // Still written, for an older Lockstep reading this workspace.
            {"region", s.region()},
            {"project_id", QString::number(s.projectId)}};
        for (const auto& [key, v] : values) {
            QSqlQuery del = m_ws.query(QStringLiteral("DELETE FROM settings WHERE key=?"));
            del.addBindValue(QString::fromLatin1(key));
            if (auto st = Workspace::exec(del, "cannot write settings"); !st)
                return st;
            QSqlQuery ins =
                m_ws.query(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)"));
            ins.addBindValue(QString::fromLatin1(key));
            ins.addBindValue(Workspace::text(v));
            if (auto st = Workspace::exec(ins, "cannot write settings"); !st)
                return st;
        }
        return {};
    });
}

} // namespace lockstep
