#include "watchedpair.h"

#include "overlapindex.h"

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

std::vector<HealthFinding> checkWatchedPairs(const OverlapIndex& index,
                                             const QList<WatchedPair>& pairs, size_t sampleKeys)
{
    static const QLocale en(QLocale::English, QLocale::UnitedStates);
    std::vector<HealthFinding> out;
    const OverlapMatrix names = index.matrix();
    auto nameOf = [&](qint64 id) {
        const qsizetype i = names.mappingIds.indexOf(id);
        return i >= 0 ? names.names[i] : QStringLiteral("mapping %1").arg(id);
    };
    for (const WatchedPair& raw : pairs) {
        const WatchedPair p = raw.normalized();
        const auto s = index.pair(p.mappingA, p.mappingB);
        if (!s || s->intersection == 0)
            continue;
        QStringList sample;
        for (std::string_view k : index.commonKeys(p.mappingA, p.mappingB, sampleKeys))
            sample.append(QString::fromUtf8(k.data(), qsizetype(k.size())));
        HealthFinding f;
        f.mappingId = p.mappingA;
        f.rule = QString::fromLatin1(rule::kWatchedOverlap);
        f.subject = p.subject();
        f.severity = AlertSeverity::Critical;
        f.value = double(s->intersection);
        f.message =
            QStringLiteral("“%1” and “%2” must not overlap%3, but %4 members are in both (%5% "
                           "of “%1”), e.g. %6. Check the suppression conditions of the "
                           "campaigns that use them.")
                .arg(nameOf(p.mappingA), nameOf(p.mappingB),
                     p.label.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(p.label),
                     en.toString(qulonglong(s->intersection)),
                     QString::number(100.0 * s->shareOfAInB(), 'f', 2),
                     sample.join(QStringLiteral(", ")));
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace lockstep
