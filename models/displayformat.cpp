#include "displayformat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QStringList>

namespace lockstep::format {

namespace {
// Free functions have no tr() of their own: this gives their strings one context.
struct FormatText
{
    Q_DECLARE_TR_FUNCTIONS(lockstep::format)
};
} // namespace

QString count(qint64 n)
{
    return QLocale().toString(n);
}

QString timestamp(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString duration(qint64 ms)
{
    if (ms < 1000)
        return FormatText::tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return FormatText::tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return FormatText::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return FormatText::tr("%1 h %2 min")
        .arg(s / 3600)
        .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString runStatus(RunStatus s)
{
    switch (s) {
    case RunStatus::Running:
        return FormatText::tr("Running");
    case RunStatus::Succeeded:
        return FormatText::tr("Succeeded");
    case RunStatus::Partial:
        return FormatText::tr("Partial");
    case RunStatus::Failed:
        return FormatText::tr("Failed");
    case RunStatus::Skipped:
        return FormatText::tr("Skipped");
    case RunStatus::Cancelled:
        return FormatText::tr("Cancelled");
    case RunStatus::Interrupted:
        return FormatText::tr("Interrupted");
    }
    return runStatusName(s);
}

QString runKind(RunKind k)
{
    switch (k) {
    case RunKind::Incremental:
        return FormatText::tr("Incremental");
    case RunKind::Full:
        return FormatText::tr("Full");
    case RunKind::DryRun:
        return FormatText::tr("Dry run");
    }
    return runKindName(k);
}

StatusTone tone(RunStatus s)
{
    switch (s) {
    case RunStatus::Succeeded:
        return StatusTone::Good;
    case RunStatus::Running:
        return StatusTone::Busy;
    case RunStatus::Skipped:
        // Not a success and not a failure: the segment was still building.
        return StatusTone::Waiting;
    case RunStatus::Partial:
    case RunStatus::Cancelled:
    case RunStatus::Interrupted:
        return StatusTone::Warning;
    case RunStatus::Failed:
        return StatusTone::Bad;
    }
    return StatusTone::Neutral;
}

QString syncPhase(const QString& phase)
{
    if (phase == QLatin1String("reading"))
        return FormatText::tr("reading");
    if (phase == QLatin1String("checking Mixpanel"))
        return FormatText::tr("checking Mixpanel");
    if (phase == QLatin1String("diffing"))
        return FormatText::tr("comparing");
    if (phase == QLatin1String("sending"))
        return FormatText::tr("sending");
    if (phase == QLatin1String("done"))
        return FormatText::tr("finishing");
    return humanized(phase).toLower();
}

QString progressDetail(const SyncProgress& p)
{
    // Before the first page there is nothing to count.
    const QString pages =
        p.pagesRead > 0 ? FormatText::tr("%Ln page(s) read", nullptr, p.pagesRead) : QString();
    const QString batches =
        p.batchesPlanned > 0 ? FormatText::tr("%1 of %Ln batch(es) sent", nullptr, p.batchesPlanned)
                                   .arg(count(p.batchesSent))
                             : QString();
    // The phase's own figure first: where a narrow cell cuts the text, it keeps that.
    QStringList parts{syncPhase(p.phase)};
    if (p.phase == QLatin1String("sending"))
        parts << batches << pages;
    else
        parts << pages << batches;
    parts.removeAll(QString());
    return parts.join(QStringLiteral(", "));
}

QString humanized(const QString& code)
{
    QString text = code;
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace lockstep::format
