#include "mixpanellimits.h"

#include <QCoreApplication>

namespace lockstep {

namespace {
QString what(SyncMode mode)
{
    return mode == SyncMode::Flag
               ? QCoreApplication::translate("MixpanelLimits", "a property name (flag mode)")
               : QCoreApplication::translate("MixpanelLimits", "a list item (list mode)");
}
} // namespace

int utf8Bytes(const QString& s)
{
    return int(s.toUtf8().size());
}

Status checkCohortValueBytes(const QString& cohortName, SyncMode mode)
{
    const int bytes = utf8Bytes(cohortName);
    if (bytes <= kMixpanelMaxStringBytes)
        return {};
    return SyncError::make(
        SyncError::Category::Config,
        QCoreApplication::translate("MixpanelLimits",
                                    "the cohort name is %1 bytes in UTF-8; Mixpanel takes at most "
                                    "%2 bytes for %3: shorten it by %4 bytes")
            .arg(QString::number(bytes), QString::number(kMixpanelMaxStringBytes), what(mode),
                 QString::number(bytes - kMixpanelMaxStringBytes)));
}

Status checkRehearsalValueBytes(const QString& temporaryValue, SyncMode mode)
{
    const int bytes = utf8Bytes(temporaryValue);
    if (bytes <= kMixpanelMaxStringBytes)
        return {};
    return SyncError::make(
        SyncError::Category::Usage,
        QCoreApplication::translate(
            "MixpanelLimits",
            "the rehearsal value \"%1\" would be %2 bytes in UTF-8; Mixpanel takes at most %3 "
            "bytes for %4. A rehearsal adds %5 bytes to the cohort name, so it can rehearse "
            "names of at most %6 bytes (this one has %7)")
            // One pass: the value may itself hold "%1".
            .arg(temporaryValue, QString::number(bytes), QString::number(kMixpanelMaxStringBytes),
                 what(mode), QString::number(kRehearsalSuffixBytes),
                 QString::number(kMixpanelMaxStringBytes - kRehearsalSuffixBytes),
                 QString::number(bytes - kRehearsalSuffixBytes)));
}

} // namespace lockstep
