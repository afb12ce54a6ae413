#include "settings.h"

#include "store/mappingrepository.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcConfig)

namespace lockstep {

Result<SettingReading> Settings::read(const SettingKey& key)
{
    auto stored = SettingsRepository(m_ws).find(QString::fromUtf8(key.storedAs));
    if (!stored)
        return stored.error();
    SettingReading r;
    r.key = &key;
    r.value = settingDefault(key);
    if (!*stored)
        return r;
    auto canonical = normalizeSetting(key, **stored);
    if (!canonical) {
        qCWarning(lcConfig).noquote() << "the stored" << key.name << "is not valid, the default"
                                      << r.value << "applies:" << canonical.error().message;
        r.invalid = **stored;
        return r;
    }
    r.value = *canonical;
    r.stored = true;
    return r;
}

void Settings::warnUnreadable(const SettingKey& key, const SyncError& error)
{
    qCWarning(lcConfig).noquote() << "cannot read" << key.name
                                  << "- the default applies:" << error.message;
}

Status Settings::setText(const SettingKey& key, const QString& text)
{
    return setTexts({{&key, text}});
}

Status Settings::setTexts(const QList<std::pair<const SettingKey*, QString>>& values)
{
    QList<std::pair<QString, QString>> rows;
    for (const auto& [key, text] : values) {
        auto canonical = normalizeSetting(*key, text);
        if (!canonical)
            return canonical.error();
        rows.append({QString::fromUtf8(key->storedAs), *canonical});
    }
    return SettingsRepository(m_ws).setValues(rows);
}

} // namespace lockstep
