// One cohort value as it sits on Mixpanel profiles: a value in a list property (list
// mode) or a boolean property named after the cohort (flag mode). Builds the profile
// updates that add or remove it, the query filter that finds it and the test on a
// profile's properties, so rehearsals and spot checks read what syncs write.
#pragma once

#include "store/records.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace lockstep {

struct CohortValue
{
    SyncMode mode = SyncMode::List;
    QString listProperty; // list mode only
    QString value;        // the cohort name (or a rehearsal's temporary name)

    static CohortValue forMapping(const Mapping& m, const QString& value);
    static CohortValue forMapping(const Mapping& m) { return forMapping(m, m.cohortName); }

    // The profile property that holds it.
    QString property() const { return mode == SyncMode::List ? listProperty : value; }
    bool carriedBy(const QJsonObject& properties) const;
    // A Mixpanel `where` expression matching the profiles that carry it.
    QString where() const;
    // A string literal of Mixpanel's expression language (quoted, escaped).
    static QString literal(const QString& s);
    // A JSON array of profile updates ($union/$set to add, $remove/$unset to remove),
    // with $ignore_time so the write does not look like user activity.
    QByteArray engageBody(const QString& token, const QStringList& keys, bool add) const;
};

} // namespace lockstep
