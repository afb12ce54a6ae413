#include "secretscan.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace lockstep {

namespace {

enum class CharClass
{
    Other,
    Lower,
    Upper,
    Digit
};

CharClass classOf(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'a' && u <= u'z')
        return CharClass::Lower;
    if (u >= u'A' && u <= u'Z')
        return CharClass::Upper;
    if (u >= u'0' && u <= u'9')
        return CharClass::Digit;
    return CharClass::Other;
}

// Generated keys (hex, base62, base64) switch between lower case, upper case and digits
// every few characters; words and names with a number in them do not.
bool generatedLooking(const QString& value)
{
    constexpr int kMinRun = 24;
    constexpr int kMinSwitches = 8;
    int run = 0;
    int switches = 0;
    int digits = 0;
    CharClass last = CharClass::Other;
    const auto endRun = [&] {
        const bool hit = run >= kMinRun && switches >= kMinSwitches && digits > 0;
        run = switches = digits = 0;
        last = CharClass::Other;
        return hit;
    };
    for (const QChar c : value) {
        // '+' and '=' belong to base64; '-', '_' and '/' separate words in names, keys and
        // URL paths.
        const CharClass cls = classOf(c);
        const bool inRun =
            cls != CharClass::Other || c == QLatin1Char('+') || c == QLatin1Char('=');
        if (!inRun) {
            if (endRun())
                return true;
            continue;
        }
        if (cls != CharClass::Other) {
            if (last != CharClass::Other && cls != last)
                ++switches;
            last = cls;
        }
        if (cls == CharClass::Digit)
            ++digits;
        ++run;
    }
    return endRun();
}

} // namespace

QString secretReason(const QString& value, const QStringList& known)
{
    for (const QString& secret : known)
        if (secret.size() >= 6 && value.contains(secret))
            return QStringLiteral("it holds one of the credentials this process was given");
    static const QRegularExpression scheme(QStringLiteral("\\b(Bearer|Basic)\\s+\\S{8,}"),
                                           QRegularExpression::CaseInsensitiveOption);
    if (scheme.match(value).hasMatch())
        return QStringLiteral("it holds an HTTP authorization value");
    if (value.contains(QLatin1String("-----BEGIN")))
        return QStringLiteral("it holds a PEM block (a key or certificate)");
    static const QRegularExpression urlRe(QStringLiteral("[a-zA-Z][a-zA-Z0-9+.-]*://\\S+"));
    for (auto it = urlRe.globalMatch(value); it.hasNext();) {
        const QUrl url(it.next().captured(0));
        // A user name alone is how an SMTP address says whom to log in as; the password
        // is what must not be there.
        const bool userAllowed = url.scheme() == QLatin1String("mailto") ||
                                 url.scheme() == QLatin1String("smtp") ||
                                 url.scheme() == QLatin1String("smtps");
        if (!url.password().isEmpty() || (!url.userName().isEmpty() && !userAllowed))
            return QStringLiteral("it holds credentials in a URL (user:password@)");
        const QUrlQuery query(url);
        for (const auto& [name, v] : query.queryItems()) {
            static const QRegularExpression secretName(
                QStringLiteral("token|secret|password|passwd|api_?key|apikey|access_key|sig"),
                QRegularExpression::CaseInsensitiveOption);
            if (secretName.match(name).hasMatch() && !v.isEmpty())
                return QStringLiteral("it holds a URL with a %1 parameter").arg(name);
        }
    }
    if (generatedLooking(value))
        return QStringLiteral("it holds a long run of mixed letters and digits, like an API key "
                              "or token");
    return {};
}

} // namespace lockstep
