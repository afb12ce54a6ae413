#include "mappingthresholds.h"

#include "settingkeys.h"
#include "store/records.h"
#include "store/workspace.h"

#include <QSqlQuery>
#include <QVariant>

namespace lockstep {

QStringList overridableThresholds()
{
    static const QStringList names = [] {
        QStringList n;
        for (const auto* k :
             {&keys::CollapseDropPercent, &keys::WowSwingPercent, &keys::ChurnRatio,
              &keys::StaleFactor, &keys::NotReadyFactor, &keys::DriftPercent, &keys::MatchRateFloor,
              &keys::UnknownProfilesWarningPercent, &keys::UnknownProfilesCriticalPercent})
            n << QString::fromUtf8((*k)->name);
        return n;
    }();
    return names;
}

Result<QString> normalizeThresholdOverride(const QString& name, const QString& value)
{
    const SettingKey* key = findSettingKey(name);
    if (!key || !overridableThresholds().contains(name))
        return SyncError::make(SyncError::Category::Usage,
                               QStringLiteral("%1 is not a health threshold a mapping can set; "
                                              "these are: %2")
                                   .arg(name, overridableThresholds().join(QStringLiteral(", "))));
    return normalizeSetting(*key, value);
}

Result<ThresholdOverrides> MappingThresholdsRepository::get(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT name, value FROM mapping_thresholds WHERE mapping_id=? ORDER BY name"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the mapping's health thresholds"); !st)
        return st.error();
    ThresholdOverrides out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

Result<QHash<qint64, ThresholdOverrides>> MappingThresholdsRepository::all()
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT mapping_id, name, value FROM mapping_thresholds"));
    if (auto st = Workspace::exec(q, "cannot read the mappings' health thresholds"); !st)
        return st.error();
    QHash<qint64, ThresholdOverrides> out;
    while (q.next())
        out[q.value(0).toLongLong()].insert(q.value(1).toString(), q.value(2).toString());
    return out;
}

Status MappingThresholdsRepository::set(qint64 mappingId, const ThresholdOverrides& overrides)
{
    ThresholdOverrides canonical;
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
        auto v = normalizeThresholdOverride(it.key(), it.value());
        if (!v)
            return v.error();
        canonical.insert(it.key(), *v);
    }
    return m_ws.transaction([&]() -> Status {
        QSqlQuery del =
            m_ws.query(QStringLiteral("DELETE FROM mapping_thresholds WHERE mapping_id=?"));
        del.addBindValue(mappingId);
        if (auto st = Workspace::exec(del, "cannot change the mapping's health thresholds"); !st)
            return st;
        for (auto it = canonical.cbegin(); it != canonical.cend(); ++it) {
            QSqlQuery ins = m_ws.query(QStringLiteral(
                "INSERT INTO mapping_thresholds (mapping_id, name, value) VALUES (?,?,?)"));
            ins.addBindValue(mappingId);
            ins.addBindValue(it.key());
            ins.addBindValue(it.value());
            if (auto st = Workspace::exec(ins, "cannot change the mapping's health thresholds");
                !st)
                return st;
        }
        return {};
    });
}

Result<std::function<HealthThresholds(const Mapping&)>>
thresholdsPerMapping(Workspace& ws, const HealthThresholds& base)
{
    auto all = MappingThresholdsRepository(ws).all();
    if (!all)
        return all.error();
    return std::function<HealthThresholds(const Mapping&)>(
        [base, overrides = *all](const Mapping& m) {
            return applyThresholdOverrides(base, overrides.value(m.id));
        });
}

} // namespace lockstep
