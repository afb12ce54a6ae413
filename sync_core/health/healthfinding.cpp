#include "healthfinding.h"

namespace lockstep {

QString alertSeverityName(AlertSeverity s)
{
    switch (s) {
    case AlertSeverity::Info:
        return QStringLiteral("info");
    case AlertSeverity::Warning:
        return QStringLiteral("warning");
    case AlertSeverity::Critical:
        return QStringLiteral("critical");
    }
    return QStringLiteral("warning");
}

AlertSeverity parseAlertSeverity(const QString& s)
{
    if (s == QLatin1String("info"))
        return AlertSeverity::Info;
    if (s == QLatin1String("critical"))
        return AlertSeverity::Critical;
    return AlertSeverity::Warning;
}

} // namespace lockstep
