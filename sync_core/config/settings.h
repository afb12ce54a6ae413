// Reads and writes the settings table of one workspace through the key table
// (settingkeys.h): typed, validated, defaults applied. The only reader of the table's
// rows besides the connection (SettingsRepository::connection).
#pragma once

#include "settingkeys.h"

#include <QList>

#include <utility>

namespace lockstep {

class Workspace;

// One key as the workspace holds it.
struct SettingReading
{
    const SettingKey* key = nullptr;
    QString value;       // in effect for the workspace: the stored value, else the default
    bool stored = false; // a valid value is stored
    QString invalid;     // a stored value that no longer validates (it reads as the default)
};

class Settings
{
public:
    explicit Settings(Workspace& ws) : m_ws(ws) {}

    // The workspace's value: the stored one, else the default. A stored value that does not
    // validate (written by hand, or by an older Lockstep) reads as the default, with a
    // warning. Environment overrides are not applied here: the engine applies them to
    // its own process (settingOverride), so a console never writes them back.
    template <typename T> Result<T> get(const Key<T>& key)
    {
        auto r = read(*key);
        if (!r)
            return r.error();
        return settingValue<T>(r->value);
    }
    // get(), or the default when the workspace cannot be read (logged): for bookkeeping
    // that must not stop a sync.
    template <typename T> T getOr(const Key<T>& key)
    {
        auto v = get(key);
        if (v)
            return *v;
        warnUnreadable(*key, v.error());
        return key.fallback();
    }
    // Validates, then stores.
    template <typename T> Status set(const Key<T>& key, const T& value)
    {
        return setText(*key, settingText(value));
    }

    Result<SettingReading> read(const SettingKey& key);
    Status setText(const SettingKey& key, const QString& text);
    // Validates every value, then stores them all in one transaction (nothing when one is
    // invalid).
    Status setTexts(const QList<std::pair<const SettingKey*, QString>>& values);

private:
    static void warnUnreadable(const SettingKey& key, const SyncError& error);

    Workspace& m_ws;
};

} // namespace lockstep
