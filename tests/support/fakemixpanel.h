#pragma once
// A small Mixpanel for FakeNetwork: profiles written through the ingestion API's batch
// POST /engage ($set, $set_once, $unset, $union, $remove, $add, $delete; a token of
// another project is answered 1 and dropped, as Mixpanel does), events through POST
// /import (strict validation, $insert_id dedup), and the query API's POST /engage
// (distinct_ids, where, filter_by_cohort, paging) and /cohorts/list. Shapes follow
// docs/API.md and tests/contract/fixtures. Thread-safe; the full emulator is the sandbox.
//
//     FakeMixpanel mp;
//     mp.addCohort(1, "CIO | Trial", "cio_cohorts", "CIO | Trial");
//     script->addFallback(mp.handler());
//     ... mp.profilesWith("cio_cohorts", "CIO | Trial")

#include "fakescript.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace lockstep::test {

class FakeMixpanel
{
public:
    explicit FakeMixpanel(const QString& ingestionHost = QStringLiteral("api.mixpanel.com"),
                          const QString& queryHost = QStringLiteral("mixpanel.com"));
    ~FakeMixpanel();

    QUrl ingestionUrl() const; // https://<ingestion host>
    QUrl queryUrl() const;     // https://<query host>/api/query
    QString projectToken() const;
    QString serviceAccount() const; // "user:secret"
    qint64 projectId() const;

    // A cohort of the profiles whose `property` holds `value` (a list item, or the value).
    void addCohort(qint64 id, const QString& name, const QString& property, const QString& value);
    void setProfile(const QString& distinctId, const QJsonObject& properties);
    QJsonObject profile(const QString& distinctId) const;
    // Profiles whose `property` holds `value`, sorted.
    QStringList profilesWith(const QString& property, const QString& value) const;
    QJsonArray events() const; // imported, in order, without duplicates

    // Answers both hosts' requests; nullopt for any other host.
    FakeScript::Fallback handler() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace lockstep::test
