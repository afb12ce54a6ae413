// A member who could not be sent (or shares a key with another), and why: found by
// IdentityResolver, stored by MismatchRepository, shown by the console.
#pragma once

#include <QString>

#include <optional>

namespace lockstep {

enum class MismatchReason
{
    MissingKey,             // the chosen identifier is null or empty
    InvalidEmail,           // not an e-mail address
    PlaceholderId,          // "null", "0", "anon", the all-zero UUID...: Mixpanel rejects them
    InvalidKey,             // control characters, or longer than Mixpanel accepts
    DuplicateKey,           // two people with the same key (warning: key still sent)
    NormalisationCollision, // two spellings that normalise to one key (warning)
    VanishedAfterMerge,     // the cio_id left every segment after a Customer.io merge
    UnknownToMixpanel,      // verified: no such profile in Mixpanel
    ValueMissing,           // verified: the profile exists without the cohort value sent
};
constexpr int kMismatchReasonCount = 9;
QString mismatchReasonName(MismatchReason r); // "missing_key", ...
std::optional<MismatchReason> parseMismatchReason(const QString& s);
// Warnings are members that were still sent.
bool mismatchIsWarning(MismatchReason r);

struct IdentityMismatch
{
    MismatchReason reason = MismatchReason::MissingKey;
    QString cioId;
    std::optional<QString> personId;
    std::optional<QString> email;
    QString distinctId; // the (normalised) key, when there was one
};

} // namespace lockstep
