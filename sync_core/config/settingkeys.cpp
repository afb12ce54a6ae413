#include "settingkeys.h"

#include "audit/namingpattern.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcConfig, "lockstep.config")

namespace lockstep {

namespace {

QString number(double v)
{
    return QString::number(v, 'g', 15);
}

SyncError invalid(const SettingKey& key, const QString& text, const QString& why = {})
{
    QString message = QStringLiteral("%1 takes %2, not \"%3\"")
                          .arg(QString::fromUtf8(key.name), settingRange(key), text);
    if (!why.isEmpty())
        message += QStringLiteral(": ") + why;
    return SyncError::make(SyncError::Category::Config, message);
}

// A number of the key's type, range not checked; nullopt when the text is not one.
std::optional<double> parseNumber(const SettingKey& key, const QString& text)
{
    bool ok = false;
    if (key.type == SettingType::Integer) {
        const qint64 v = text.toLongLong(&ok);
        return ok ? std::optional<double>(double(v)) : std::nullopt;
    }
    const double v = text.toDouble(&ok);
    return ok && std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

} // namespace

std::span<const SettingKey> settingKeys()
{
    return settingtable::kRows;
}

const SettingKey* findSettingKey(const QString& name)
{
    for (const SettingKey& k : settingtable::kRows)
        if (name == QLatin1String(k.name) || name == QLatin1String(k.storedAs))
            return &k;
    return nullptr;
}

QString settingRange(const SettingKey& key)
{
    switch (key.type) {
    case SettingType::Integer:
    case SettingType::Number: {
        const QString range =
            QStringLiteral("%1 from %2 to %3")
                .arg(key.type == SettingType::Integer ? QStringLiteral("a whole number")
                                                      : QStringLiteral("a number"),
                     number(key.min), number(key.max));
        const QString unit = QString::fromUtf8(key.unit);
        return unit.isEmpty() ? range : range + QLatin1Char(' ') + unit;
    }
    case SettingType::Pattern:
        return QStringLiteral("a naming pattern such as \"%1\"")
            .arg(QString::fromUtf8(kDefaultNamingPattern));
    case SettingType::Text:
        break;
    }
    return QStringLiteral("any text");
}

QString settingDefault(const SettingKey& key)
{
    return key.isNumeric() ? number(key.fallback) : QString::fromUtf8(key.fallbackText);
}

Result<QString> normalizeSetting(const SettingKey& key, const QString& text)
{
    switch (key.type) {
    case SettingType::Integer:
    case SettingType::Number: {
        const auto v = parseNumber(key, text.trimmed());
        if (!v || *v < key.min || *v > key.max)
            return invalid(key, text);
        return number(*v);
    }
    case SettingType::Pattern: {
        const QString pattern = text.trimmed();
        auto parsed = NamingPattern::parse(pattern);
        if (!parsed)
            return invalid(key, text, parsed.error().message);
        return pattern;
    }
    case SettingType::Text:
        break;
    }
    return text;
}

std::optional<QString> settingFromEnvironment(const SettingKey& key)
{
    if (!key.env || !qEnvironmentVariableIsSet(key.env))
        return std::nullopt;
    const QString text = qEnvironmentVariable(key.env).trimmed();
    if (!key.isNumeric())
        return normalizeSetting(key, text).ok() ? std::optional<QString>(text) : std::nullopt;
    const auto v = parseNumber(key, text);
    if (!v) {
        qCWarning(lcConfig).noquote() << key.env << "is not a number, ignored:" << text;
        return std::nullopt;
    }
    // As before the table: out of range is clamped, not refused.
    return number(std::clamp(*v, key.min, key.max));
}

} // namespace lockstep
