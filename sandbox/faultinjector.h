#pragma once
// Scripted failures per route: an injected status (with or without Retry-After), added
// latency, hangs, truncated bodies, malformed JSON, connection resets, 429 storms.
// Installed from the scenario's "faults" or POST /_sandbox/faults.

#include "prng.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace lockstep::sandbox {

struct FaultRule
{
    QString route = QStringLiteral("*"); // a route name, a prefix ending in "*", or "*"
    int status = 0;                      // 0: keep the real reply
    int retryAfter = -1;                 // seconds; < 0: no Retry-After header
    std::optional<QByteArray> body;      // replaces the default error body
    int latencyMs = 0;
    bool hang = false;
    bool truncate = false;
    bool malformed = false;
    bool reset = false;
    int count = -1;           // how many matching requests it hits; < 0: unlimited
    double probability = 1.0; // chance to hit each matching request
    int skip = 0;             // let this many matching requests pass first
    qint64 untilMs = 0;       // epoch ms after which the rule expires (0: never)
    qint64 hits = 0;

    QJsonObject toJson() const;
};

struct FaultDecision
{
    bool any = false;
    FaultRule rule; // a copy of the rule that fired
};

class FaultInjector
{
public:
    explicit FaultInjector(quint64 seed) : m_prng(seed ^ 0xFA17ull) {}

    // Parses one rule or an array of rules; returns an error naming the field, or empty.
    QString install(const QJsonValue& rules);
    void clear() { m_rules.clear(); }
    QJsonArray toJson() const;

    // Consumes one hit of the first rule matching `route`, if any.
    FaultDecision decide(const QString& route, qint64 nowMs);

private:
    std::vector<FaultRule> m_rules;
    Prng m_prng;
};

} // namespace lockstep::sandbox
