// One membership page as the parser thread digests it: its members go to the resolver,
// the snapshot members it shows are marked seen, and the keys to send before the plan
// come back ready to be cut into batches.
#pragma once

#include "members/memberset.h"
#include "util/syncerror.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace lockstep {

class IdentityResolver;

struct PageDigest
{
    SyncError error;
    qint64 members = 0;  // on the page
    QString next;        // its cursor ("" on the last page)
    QByteArray sendKeys; // keys to send early, joined by '\n'
    int sendCount = 0;
    bool peeked = false; // the cursor was read before parsing
};

// `peeked`: the cursor read before parsing (CustomerIoClient::peekNext), which must agree.
// `previous`: the acknowledged snapshot (null: none is compared, a dry run); a key in it
// is marked in `seen` (one bit per snapshot member) and sent early only if `sendKnown`
// (a full resync); every other key is sent early.
PageDigest digestPage(QByteArray page, const std::optional<QString>& peeked,
                      IdentityResolver& resolver, const MemberSet* previous,
                      std::vector<uint64_t>* seen, bool sendKnown);

// The snapshot members no page showed (indices into the snapshot): the exits.
std::vector<uint32_t> unseenMembers(const std::vector<uint64_t>& seen, size_t snapshotSize);

} // namespace lockstep
