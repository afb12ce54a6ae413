// How a mapping's verdict (trust/verdict.h) reads in the console: its label, its colour,
// the Last sync cell, and the tray notice when verdicts worsen or alerts are raised. The
// verdict itself is judged in sync_core only; this file only words it.
#pragma once

#include "health/alert.h"
#include "modelroles.h"
#include "trust/verdict.h"

#include <QHash>
#include <QList>
#include <QString>

namespace lockstep {

namespace format {
// "Trusted", "Degraded", "Broken", "Not synced yet".
QString verdict(VerdictState s);
StatusTone tone(VerdictState s);
// The label and every reason, one per line (tooltips, the Health page).
QString verdictDetail(const MappingVerdict& v);
// The last successful sync, and beside it a later run that did not succeed:
// "2024-05-01 10:00:00 · last run failed", "never", "never · last run skipped".
QString lastSync(const MappingVerdict& v);
} // namespace format

struct TrayNotice
{
    QString title;
    QString message;
    bool critical = false;

    bool isEmpty() const { return title.isEmpty(); }
};

// What the tray says after the verdicts were reloaded: the mappings whose verdict got
// worse since `before` (mappings not in `before` were not known yet and say nothing), and
// the alerts an evaluation raised, each with its mapping's verdict. Empty when nothing
// is worth a notice.
TrayNotice verdictNotice(const QHash<qint64, MappingVerdict>& before,
                         const QList<MappingVerdict>& now, const QHash<qint64, QString>& names,
                         const QList<Alert>& raised = {});

} // namespace lockstep
