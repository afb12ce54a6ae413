#include "auditreport.h"

namespace lockstep {

QString findingSeverityName(FindingSeverity s)
{
    switch (s) {
    case FindingSeverity::Info:
        return QStringLiteral("info");
    case FindingSeverity::Warning:
        return QStringLiteral("warning");
    case FindingSeverity::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("warning");
}

bool AuditChecklist::ready() const
{
    return !items.isEmpty() && doneCount() == items.size();
}

int AuditChecklist::doneCount() const
{
    int n = 0;
    for (const ChecklistItem& i : items)
        n += i.done ? 1 : 0;
    return n;
}

QStringList AuditChecklist::missingTitles() const
{
    QStringList out;
    for (const ChecklistItem& i : items)
        if (!i.done)
            out.append(i.title);
    return out;
}

} // namespace lockstep
