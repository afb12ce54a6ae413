#include "windowformat.h"

#include <QRegularExpression>

namespace lockstep {

namespace {

enum class Unit
{
    None,
    Hour,
    Day,
    Week,
    Month,
    Unknown
};

Unit unitOf(const QString& u)
{
    static const QStringList hours = {QStringLiteral("h"), QStringLiteral("hr"),
                                      QStringLiteral("hrs"), QStringLiteral("hour"),
                                      QStringLiteral("hours")};
    static const QStringList days = {QStringLiteral("d"), QStringLiteral("day"),
                                     QStringLiteral("days")};
    static const QStringList weeks = {QStringLiteral("w"), QStringLiteral("wk"),
                                      QStringLiteral("wks"), QStringLiteral("week"),
                                      QStringLiteral("weeks")};
    static const QStringList months = {QStringLiteral("m"), QStringLiteral("mo"),
                                       QStringLiteral("mos"), QStringLiteral("month"),
                                       QStringLiteral("months")};
    if (u.isEmpty())
        return Unit::None;
    if (hours.contains(u))
        return Unit::Hour;
    if (days.contains(u))
        return Unit::Day;
    if (weeks.contains(u))
        return Unit::Week;
    if (months.contains(u))
        return Unit::Month;
    return Unit::Unknown;
}

WindowCheck invalid(const QString& problem)
{
    WindowCheck c;
    c.problem = problem;
    return c;
}

} // namespace

WindowCheck checkWindow(const QString& text)
{
    static const QRegularExpression canonical(
        QStringLiteral("^(?:0|[1-9][0-9]{0,5})(?:-[1-9][0-9]{0,5})?[hd]$"));
    static const QRegularExpression loose(
        QStringLiteral("^([0-9]{1,6})([a-z]*)(?:-([0-9]{1,6})([a-z]*))?$"));
    const QString t = text.trimmed();
    if (t.isEmpty())
        return invalid(QStringLiteral("the window is empty"));

    // Lower-case, one kind of dash, no spaces: what remains must be number-unit shaped.
    QString n = t.toLower();
    n.replace(QChar(0x2013), QLatin1Char('-')).replace(QChar(0x2014), QLatin1Char('-'));
    n.remove(QLatin1Char(' '));
    const QRegularExpressionMatch m = loose.match(n);
    if (!m.hasMatch())
        return invalid(QStringLiteral("“%1” is not a window such as 30d, 0-24h or 45-60d").arg(t));

    const bool range = m.hasCaptured(3);
    qint64 a = m.captured(1).toLongLong();
    qint64 b = range ? m.captured(3).toLongLong() : 0;
    const Unit ua = unitOf(m.captured(2));
    const Unit ub = range ? unitOf(m.captured(4)) : Unit::None;
    if (ua == Unit::Unknown || ub == Unit::Unknown)
        return invalid(QStringLiteral("“%1” has an unknown unit (use h or d)").arg(t));
    if (ua == Unit::Month || ub == Unit::Month)
        return invalid(QStringLiteral("“%1” counts months, which have no fixed length (use "
                                      "days, e.g. 30d)")
                           .arg(t));
    // "45-60d" puts the unit once; "45d-60d" twice (must agree); "45d-60" is malformed.
    Unit unit = range ? ub : ua;
    if (range && ua != Unit::None && ua != ub)
        return invalid(QStringLiteral("“%1” mixes units").arg(t));
    if (unit == Unit::None)
        return invalid(QStringLiteral("“%1” has no unit (h or d)").arg(t));
    if (unit == Unit::Week) {
        a *= 7;
        b *= 7;
        unit = Unit::Day;
    }
    if (range && a > b)
        std::swap(a, b);
    if (range && a == b)
        return invalid(QStringLiteral("“%1” is an empty range").arg(t));
    if (!range && a == 0)
        return invalid(QStringLiteral("“%1” is a zero-length window").arg(t));

    const QChar u = unit == Unit::Hour ? QLatin1Char('h') : QLatin1Char('d');
    const QString suggestion = range ? QStringLiteral("%1-%2%3").arg(a).arg(b).arg(u)
                                     : QStringLiteral("%1%2").arg(a).arg(u);
    if (suggestion == t && canonical.match(t).hasMatch()) {
        WindowCheck ok;
        ok.valid = true;
        return ok;
    }
    WindowCheck c;
    c.suggestion = suggestion;
    c.problem = QStringLiteral("window “%1” should be written “%2”").arg(t, suggestion);
    return c;
}

} // namespace lockstep
