#include "auditreport.h"

namespace lockstep {

QString findingSeverityName(FindingSeverity s)
{
    switch (s) {
    case FindingSeverity::Info: return QStringLiteral("info");
    case FindingSeverity::Warning: return QStringLiteral("warning");
    case FindingSeverity::Error: return QStringLiteral("error");
    }
    return QStringLiteral("warning");
}

} // namespace lockstep
