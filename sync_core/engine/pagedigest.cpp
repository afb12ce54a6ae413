#include "pagedigest.h"

#include "api/customerioclient.h"
#include "identity/identityresolver.h"

#include <bit>
#include <functional>

namespace lockstep {

PageDigest digestPage(QByteArray page, const std::optional<QString>& peeked,
                      IdentityResolver& resolver, const MemberSet* previous,
                      std::vector<uint64_t>* seen, bool sendKnown)
{
    PageDigest d;
    auto parsed = CustomerIoClient::parseMembershipPage(page);
    page = QByteArray(); // the raw page is the biggest thing alive here
    if (!parsed) {
        d.error = parsed.error();
        return d;
    }
    d.next = parsed->next;
    d.members = qint64(parsed->members.size());
    if (peeked && *peeked != d.next) {
        d.error = SyncError::make(SyncError::Category::Protocol,
                                  QStringLiteral("Customer.io sent a membership page whose "
                                                 "cursor could not be read consistently"));
        return d;
    }
    for (const MemberIdentifiers& m : parsed->members)
        resolver.add(m);
    parsed->members.clear();
    parsed->members.shrink_to_fit();
    // The page's keys come out of the sort that seals them as a run; in order, they walk
    // the sorted snapshot forward.
    size_t at = 0;
    std::string_view last;
    bool any = false;
    std::function<void(std::string_view)> visit;
    if (previous)
        visit = [&](std::string_view k) {
            if (any && k == last)
                return;
            any = true;
            last = k;
            at = previous->lowerBound(k, at);
            if (at < previous->size() && previous->key(at) == k) {
                if (seen)
                    (*seen)[at / 64] |= uint64_t(1) << (at % 64);
                if (!sendKnown)
                    return;
            }
            if (d.sendCount++)
                d.sendKeys += '\n';
            d.sendKeys.append(k.data(), qsizetype(k.size()));
        };
    resolver.sealRun(visit);
    return d;
}

std::vector<uint32_t> unseenMembers(const std::vector<uint64_t>& seen, size_t snapshotSize)
{
    std::vector<uint32_t> out;
    for (size_t w = 0; w < seen.size(); ++w) {
        uint64_t unseen = ~seen[w];
        while (unseen) {
            const size_t i = w * 64 + size_t(std::countr_zero(unseen));
            unseen &= unseen - 1;
            if (i >= snapshotSize)
                break;
            out.push_back(uint32_t(i));
        }
    }
    return out;
}

} // namespace lockstep
