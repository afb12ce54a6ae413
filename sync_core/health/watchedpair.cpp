#include "watchedpair.h"

#include "overlapindex.h"
#include "overlapviews.h"

#include <QLocale>

#include <utility>

namespace lockstep {

WatchedPair WatchedPair::normalized() const
{
    WatchedPair p = *this;
    if (p.mappingA > p.mappingB)
        std::swap(p.mappingA, p.mappingB);
    return p;
}

QString WatchedPair::subject() const
{
    const WatchedPair p = normalized();
    return QStringLiteral("pair:%1:%2").arg(p.mappingA).arg(p.mappingB);
}

namespace {
// One pair judged on `index`: its members are people (cio_ids) or Mixpanel keys.
std::optional<HealthFinding> checkPair(const OverlapIndex& index, const WatchedPair& raw,
                                       size_t sampleKeys, bool byPerson)
{
    static const QLocale en(QLocale::English, QLocale::UnitedStates);
    const OverlapMatrix names = index.matrix({raw.mappingA, raw.mappingB});
    auto nameOf = [&](qint64 id) {
        const qsizetype i = names.mappingIds.indexOf(id);
        return i >= 0 ? names.names[i] : QStringLiteral("mapping %1").arg(id);
    };
    const WatchedPair p = raw.normalized();
    const auto s = index.pair(p.mappingA, p.mappingB);
    if (!s || s->intersection == 0)
        return std::nullopt;
    QStringList sample;
    for (std::string_view k : index.commonKeys(p.mappingA, p.mappingB, sampleKeys))
        sample.append(QString::fromUtf8(k.data(), qsizetype(k.size())));
    HealthFinding f;
    f.mappingId = p.mappingA;
    f.rule = QString::fromLatin1(rule::kWatchedOverlap);
    f.subject = p.subject();
    f.severity = AlertSeverity::Critical;
    f.value = double(s->intersection);
    f.message = QStringLiteral("“%1” and “%2” must not overlap%3, but %4 %5 are in both (%6% "
                               "of “%1”), e.g. %7%8. Check the suppression conditions of the "
                               "campaigns that use them.")
                    .arg(nameOf(p.mappingA), nameOf(p.mappingB),
                         p.label.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(p.label),
                         en.toString(qulonglong(s->intersection)),
                         byPerson ? QStringLiteral("people") : QStringLiteral("members"),
                         QString::number(100.0 * s->shareOfAInB(), 'f', 2),
                         byPerson ? QStringLiteral("cio_id ") : QString(),
                         sample.join(QStringLiteral(", ")));
    return f;
}
} // namespace

std::vector<HealthFinding> checkWatchedPairs(const OverlapIndex& index,
                                             const QList<WatchedPair>& pairs, size_t sampleKeys)
{
    std::vector<HealthFinding> out;
    for (const WatchedPair& p : pairs)
        if (auto f = checkPair(index, p, sampleKeys, /*byPerson=*/false))
            out.push_back(std::move(*f));
    return out;
}

std::vector<HealthFinding> checkWatchedPairs(const OverlapViews& views,
                                             const QList<WatchedPair>& pairs, size_t sampleKeys)
{
    std::vector<HealthFinding> out;
    for (const WatchedPair& p : pairs) {
        const bool byPerson =
            views.people.contains(p.mappingA) && views.people.contains(p.mappingB);
        if (auto f = checkPair(byPerson ? views.people : views.keys, p, sampleKeys, byPerson))
            out.push_back(std::move(*f));
    }
    return out;
}

} // namespace lockstep
