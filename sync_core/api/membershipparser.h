// A one-pass parser for Customer.io membership pages (GET /v1/segments/{id}/membership).
//
// It reads the page straight into MemberIdentifiers, without building a QJsonDocument,
// and gives exactly what the QJsonDocument-based reference
// (CustomerIoClient::parseMembershipPageReference) gives: the same members and strings,
// and an error for exactly the inputs the reference rejects. That includes the lenient
// corners of Qt's JSON parser that a page could hit:
//  - an unknown escape `\x` stands for the byte after the backslash (U+00XX);
//  - `\uXXXX` surrogates are kept as UTF-16 code units, paired or not;
//  - raw control characters in strings are accepted, invalid UTF-8 is not;
//  - numbers are scanned like Qt does (`.5`, `5.` pass) and checked by the same
//    QByteArray::toLongLong / toDouble calls; -0 reads as 0;
//  - at most 1024 nested arrays/objects; a UTF-8 BOM may lead; only space, tab, CR, LF
//    are whitespace;
//  - a duplicate key: the last one wins.
// tests/engine/tst_membershipparser.cpp and tests/fuzz/fuzz_membership_page.cpp compare
// the two.
#pragma once

#include "customerioclient.h"

namespace lockstep {

Result<MembershipPage> parseMembershipPageFast(const QByteArray& body);

} // namespace lockstep
