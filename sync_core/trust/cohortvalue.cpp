#include "cohortvalue.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace lockstep {

QString CohortValue::literal(const QString& s)
{
    QString out = s;
    out.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

CohortValue CohortValue::forMapping(const Mapping& m, const QString& value)
{
    return CohortValue{m.mode, m.listProperty, value};
}

bool CohortValue::carriedBy(const QJsonObject& properties) const
{
    const QJsonValue v = properties.value(property());
    if (mode == SyncMode::Flag)
        return v.isBool() ? v.toBool() : v.toString() == QLatin1String("true");
    const QJsonArray list = v.toArray();
    return std::any_of(list.begin(), list.end(),
                       [this](const QJsonValue& e) { return e.toString() == value; });
}

QString CohortValue::where() const
{
    if (mode == SyncMode::Flag)
        return QStringLiteral("properties[%1] == true").arg(literal(value));
    return QStringLiteral("%1 in properties[%2]").arg(literal(value), literal(listProperty));
}

QByteArray CohortValue::engageBody(const QString& token, const QStringList& keys, bool add) const
{
    QJsonArray updates;
    for (const QString& key : keys) {
        QJsonObject u{{QStringLiteral("$token"), token},
                      {QStringLiteral("$distinct_id"), key},
                      {QStringLiteral("$ignore_time"), true}};
        if (mode == SyncMode::List) {
            if (add)
                u.insert(QStringLiteral("$union"), QJsonObject{{listProperty, QJsonArray{value}}});
            else
                u.insert(QStringLiteral("$remove"), QJsonObject{{listProperty, value}});
        } else if (add) {
            u.insert(QStringLiteral("$set"), QJsonObject{{value, true}});
        } else {
            u.insert(QStringLiteral("$unset"), QJsonArray{value});
        }
        updates.append(u);
    }
    return QJsonDocument(updates).toJson(QJsonDocument::Compact);
}

} // namespace lockstep
