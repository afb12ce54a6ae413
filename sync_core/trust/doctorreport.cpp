#include "doctorreport.h"

#include <QJsonArray>

#include <algorithm>

namespace lockstep {

const char* DoctorCheck::statusName(Status s)
{
    switch (s) {
    case Status::Pass:
        return "pass";
    case Status::Fail:
        return "fail";
    case Status::Skip:
        break;
    }
    return "skip";
}

QJsonObject DoctorCheck::toJson() const
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("title"), title},
                       {QStringLiteral("status"), QLatin1String(statusName(status))},
                       {QStringLiteral("detail"), detail},
                       {QStringLiteral("fix"), fix}};
}

bool DoctorReport::passed() const
{
    return failures() == 0;
}

int DoctorReport::failures() const
{
    return int(std::count_if(checks.begin(), checks.end(),
                             [](const DoctorCheck& c) { return c.failed(); }));
}

bool DoctorReport::configFailed() const
{
    return std::any_of(checks.begin(), checks.end(), [](const DoctorCheck& c) {
        return c.failed() && c.kind == DoctorCheck::Kind::Config;
    });
}

bool DoctorReport::serviceFailed() const
{
    return std::any_of(checks.begin(), checks.end(), [](const DoctorCheck& c) {
        return c.failed() && c.kind == DoctorCheck::Kind::Service;
    });
}

const DoctorCheck* DoctorReport::find(const QString& name) const
{
    for (const DoctorCheck& c : checks)
        if (c.name == name)
            return &c;
    return nullptr;
}

QJsonObject DoctorReport::toJson() const
{
    QJsonArray arr;
    for (const DoctorCheck& c : checks)
        arr.append(c.toJson());
    return QJsonObject{
        {QStringLiteral("verdict"), passed() ? QStringLiteral("pass") : QStringLiteral("fail")},
        {QStringLiteral("checks"), arr},
        {QStringLiteral("failures"), failures()},
        {QStringLiteral("duration_ms"), durationMs},
        {QStringLiteral("queries_used"), queriesUsed}};
}

} // namespace lockstep
