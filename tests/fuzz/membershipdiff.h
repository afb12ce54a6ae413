// Compares the one-pass membership page parser with the QJsonDocument reference: the
// same verdict (both parse or both fail, as a protocol error) and, when they parse, the
// same page, string by string (UTF-16 units, nullness of optionals). Shared by
// tests/engine/tst_membershipparser.cpp and fuzz_membership_page.
#pragma once

#include "api/customerioclient.h"

#include <QString>

namespace lockstep::test {

inline QString describe(const std::optional<QString>& s)
{
    if (!s)
        return QStringLiteral("<none>");
    QString units;
    for (QChar c : *s)
        units += QString::number(c.unicode(), 16) + QLatin1Char(' ');
    return QLatin1Char('"') + *s + QStringLiteral("\" [") + units.trimmed() + QLatin1Char(']');
}

// "" when `fast` and `reference` agree, else what differs.
inline QString membershipDifference(const Result<MembershipPage>& fast,
                                    const Result<MembershipPage>& reference)
{
    if (fast.ok() != reference.ok())
        return QStringLiteral("fast %1, reference %2")
            .arg(fast.ok() ? QStringLiteral("parses")
                           : QStringLiteral("fails: ") + fast.error().message,
                 reference.ok() ? QStringLiteral("parses")
                                : QStringLiteral("fails: ") + reference.error().message);
    if (!fast.ok()) {
        if (fast.error().category != SyncError::Category::Protocol)
            return QStringLiteral("fast fails without a protocol error");
        // Malformed JSON is reported at a byte that may differ; the reasons found in a
        // well-formed reply are worded the same.
        const QString malformed =
            QStringLiteral("Customer.io sent an unexpected reply: malformed JSON at byte ");
        const QString& a = fast.error().message;
        const QString& b = reference.error().message;
        if (a.startsWith(malformed) ? !b.startsWith(malformed) : a != b)
            return QStringLiteral("both fail, fast: %1, reference: %2").arg(a, b);
        return {};
    }
    if (fast->next != reference->next)
        return QStringLiteral("next: fast %1, reference %2")
            .arg(describe(fast->next), describe(reference->next));
    if (fast->members.size() != reference->members.size())
        return QStringLiteral("members: fast %1, reference %2")
            .arg(fast->members.size())
            .arg(reference->members.size());
    for (size_t i = 0; i < fast->members.size(); ++i) {
        const MemberIdentifiers& a = fast->members[i];
        const MemberIdentifiers& b = reference->members[i];
        if (a.id != b.id)
            return QStringLiteral("member %1 id: fast %2, reference %3")
                .arg(i)
                .arg(describe(a.id), describe(b.id));
        if (a.email != b.email)
            return QStringLiteral("member %1 email: fast %2, reference %3")
                .arg(i)
                .arg(describe(a.email), describe(b.email));
        if (a.cioId != b.cioId)
            return QStringLiteral("member %1 cio_id: fast %2, reference %3")
                .arg(i)
                .arg(describe(a.cioId), describe(b.cioId));
    }
    return {};
}

} // namespace lockstep::test
