// Fuzzes the Customer.io membership page parser and the cheap cursor peek the engine
// uses to request the next page before this one is parsed. Whenever both give an
// answer they must agree, or the engine would follow a cursor the page does not have.
// Differential: the one-pass parser must give exactly what the QJsonDocument reference
// gives (same verdict, same members and strings), or the input is saved as a crash.
#include "api/customerioclient.h"
#include "fuzzcheck.h"
#include "membershipdiff.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // fromRawData: no copy and no terminator, so an over-read past the body is caught.
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    const std::optional<QString> peeked = lockstep::CustomerIoClient::peekNext(body);
    const auto page = lockstep::CustomerIoClient::parseMembershipPage(body);
    const auto reference = lockstep::CustomerIoClient::parseMembershipPageReference(body);
    const QString difference = lockstep::test::membershipDifference(page, reference);
    LOCKSTEP_FUZZ_CHECK(difference.isEmpty(), "the parser and its reference disagree: %s",
                        qPrintable(difference));
    if (peeked && page.ok())
        LOCKSTEP_FUZZ_CHECK(*peeked == page->next, "peekNext \"%s\" but the page says \"%s\"",
                            qPrintable(*peeked), qPrintable(page->next));
    if (!page.ok())
        LOCKSTEP_FUZZ_CHECK(!page.error().message.isEmpty(), "an error without a message");
    (void)lockstep::CustomerIoClient::parseSegments(body);
    return 0;
}
