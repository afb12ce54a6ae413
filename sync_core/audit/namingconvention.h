// The team's naming convention for cohorts and the audit's tunables. The default is
// the product's convention: "CIO | <Intent> | <Window>" with an optional " | v<N>".
#pragma once

#include <QChar>
#include <QString>

namespace lockstep {

// The product's convention, also the default of the naming_convention setting.
inline constexpr char kDefaultNamingPattern[] = "CIO | {intent} | {window} [| v{version}]";

struct NamingConvention
{
    // See NamingPattern for the syntax.
    QString pattern = QString::fromUtf8(kDefaultNamingPattern);
    // Splits a name into parts; canonical names put one space on each side.
    QChar separator = QLatin1Char('|');
    // Two names whose normalised edit distance is at or below this are near duplicates
    // (compared on the intent when both names follow the pattern, else on the whole
    // name; lower-cased, spaces collapsed).
    double nearDuplicateThreshold = 0.2;
    // Text fields (the intent) start with a capital letter: "Winback", not "winback".
    bool capitalizeText = true;

    bool operator==(const NamingConvention&) const = default;
};

} // namespace lockstep
