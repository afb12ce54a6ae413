#include "identitymismatch.h"

namespace lockstep {

namespace {
const char* const kReasonNames[kMismatchReasonCount] = {
    "missing_key",          "invalid_email",       "placeholder_id",
    "invalid_key",          "duplicate_key",       "normalisation_collision",
    "vanished_after_merge", "unknown_to_mixpanel", "value_missing"};
} // namespace

QString mismatchReasonName(MismatchReason r)
{
    return QString::fromLatin1(kReasonNames[int(r)]);
}

std::optional<MismatchReason> parseMismatchReason(const QString& s)
{
    for (int i = 0; i < kMismatchReasonCount; ++i)
        if (s == QLatin1String(kReasonNames[i]))
            return MismatchReason(i);
    return std::nullopt;
}

bool mismatchIsWarning(MismatchReason r)
{
    return r == MismatchReason::DuplicateKey || r == MismatchReason::NormalisationCollision;
}

} // namespace lockstep
