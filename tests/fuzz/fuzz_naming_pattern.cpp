// Fuzzes the naming-convention pattern parser. A pattern that parses must print back
// to a pattern with the same tree, compile to a valid regular expression, and match
// names in bounded time (libFuzzer's -timeout catches a runaway regex).
#include "audit/namingpattern.h"
#include "fuzzcheck.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // Split the input: the pattern, then (after a NUL) a name to match against it.
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype nul = bytes.indexOf('\0');
    const QString source = QString::fromUtf8(nul < 0 ? bytes : bytes.left(nul));
    const QString name = nul < 0 ? source : QString::fromUtf8(bytes.mid(nul + 1));

    const auto p = lockstep::NamingPattern::parse(source);
    if (!p.ok()) {
        LOCKSTEP_FUZZ_CHECK(!p.error().message.isEmpty(), "an error without a message");
        return 0;
    }
    const QString printed = p->toString();
    const auto again = lockstep::NamingPattern::parse(printed);
    LOCKSTEP_FUZZ_CHECK(again.ok(), "toString() \"%s\" does not parse: %s", qPrintable(printed),
                        qPrintable(again.error().message));
    LOCKSTEP_FUZZ_CHECK(again->nodes() == p->nodes(), "\"%s\" printed as \"%s\" is another tree",
                        qPrintable(source), qPrintable(printed));
    const QRegularExpression re = p->toRegex();
    LOCKSTEP_FUZZ_CHECK(re.isValid(), "invalid regex \"%s\": %s", qPrintable(re.pattern()),
                        qPrintable(re.errorString()));
    (void)re.match(name).hasMatch();
    return 0;
}
