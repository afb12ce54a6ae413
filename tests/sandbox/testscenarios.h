#pragma once
// Inline scenarios shared by the sandbox tests.

#include <QJsonArray>
#include <QJsonObject>

namespace lockstep::test {

// `people` explicit people then `generated` more; segment 1 holds the explicit ones,
// segment 2 `segmentSize` generated ones.
inline QJsonObject basicScenario(int generated = 2500, int segmentSize = 2345,
                                 const QString& identifiers = QStringLiteral("email"),
                                 const QString& lastPageNext = QStringLiteral("absent"))
{
    return QJsonObject{
        {QStringLiteral("seed"), 11},
        {QStringLiteral("customerio"),
         QJsonObject{{QStringLiteral("app_api_key"), QStringLiteral("key-1")},
                     {QStringLiteral("identifiers"), identifiers},
                     {QStringLiteral("last_page_next"), lastPageNext},
                     {QStringLiteral("rate_limit_per_second"), 10000}}},
        {QStringLiteral("mixpanel"),
         QJsonObject{
             {QStringLiteral("project_token"), QStringLiteral("tok-1")},
             {QStringLiteral("project_id"), 77},
             {QStringLiteral("service_account"), QStringLiteral("sa:secret")},
             {QStringLiteral("query_limit_per_hour"), 100000},
             {QStringLiteral("cohorts"),
              QJsonArray{QJsonObject{{QStringLiteral("id"), 5},
                                     {QStringLiteral("name"), QStringLiteral("CIO | A | 30d")},
                                     {QStringLiteral("property"), QStringLiteral("cio_cohorts")},
                                     {QStringLiteral("value"), QStringLiteral("CIO | A | 30d")}},
                         QJsonObject{{QStringLiteral("id"), 6},
                                     {QStringLiteral("name"), QStringLiteral("CIO | Flag")},
                                     {QStringLiteral("property"), QStringLiteral("CIO | Flag")},
                                     {QStringLiteral("flag"), true}}}}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), generated}}},
        {QStringLiteral("people"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("alice")},
                                {QStringLiteral("email"), QStringLiteral("alice@example.com")},
                                {QStringLiteral("cio_id"), QStringLiteral("cio-alice")}},
                    QJsonObject{{QStringLiteral("id"), QJsonValue::Null},
                                {QStringLiteral("email"), QStringLiteral(" NoId@Example.COM")},
                                {QStringLiteral("cio_id"), QStringLiteral("cio-noid")}},
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("carol")},
                                {QStringLiteral("email"), QJsonValue::Null},
                                {QStringLiteral("cio_id"), QStringLiteral("cio-carol")}}}},
        {QStringLiteral("segments"),
         QJsonArray{
             QJsonObject{{QStringLiteral("id"), 1},
                         {QStringLiteral("name"), QStringLiteral("Exact")},
                         {QStringLiteral("members"),
                          QJsonArray{QStringLiteral("cio-alice"), QStringLiteral("cio-noid"),
                                     QStringLiteral("cio-carol")}}},
             QJsonObject{{QStringLiteral("id"), 2},
                         {QStringLiteral("name"), QStringLiteral("Generated")},
                         {QStringLiteral("size"), segmentSize},
                         {QStringLiteral("churn"), QJsonObject{{QStringLiteral("entered"), 7},
                                                               {QStringLiteral("exited"), 5}}}},
             QJsonObject{{QStringLiteral("id"), 3},
                         {QStringLiteral("name"), QStringLiteral("Building")},
                         {QStringLiteral("size"), 10},
                         {QStringLiteral("state"), QStringLiteral("build")},
                         {QStringLiteral("progress"), 35}}}}};
}

// `scenario` with its "customerio" section's `options` set (pinning undocumented details).
inline QJsonObject withCustomerIo(QJsonObject scenario, const QJsonObject& options)
{
    QJsonObject c = scenario.value(QStringLiteral("customerio")).toObject();
    for (auto it = options.begin(); it != options.end(); ++it)
        c.insert(it.key(), it.value());
    scenario.insert(QStringLiteral("customerio"), c);
    return scenario;
}

} // namespace lockstep::test
