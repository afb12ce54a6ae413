// Pictures of every page from the real window (`lockstep --screenshot DIR`, and tests),
// so the screenshots in docs/ come from the same code path operators use.
#pragma once

#include <QString>
#include <QStringList>

namespace lockstep {

class MainWindow;

// Shows each page in turn at the window's own size and saves DIR/<page>.png (e.g.
// mappings.png), then Mappings and Health in the other palette (mappings-dark.png and
// health-dark.png, or -light.png from a dark palette). Returns the files written; a page
// that could not be saved is left out.
QStringList saveScreenshots(MainWindow& window, const QString& dir);

// The trust dialogs on the first mapping: a rehearsal on the smallest segment, saved as
// DIR/rehearsal.png, closed keeping its value, then Open rehearsals over the window
// (DIR/open-rehearsals.png) cleaning it up (the workspace keeps no temporary value), and a
// spot check, DIR/spotcheck.png. Runs real checks: needs a connected workspace.
QStringList saveTrustScreenshots(MainWindow& window, const QString& dir);
// The Open rehearsals list over the window, saved as DIR/open-rehearsals.png; cleans up
// every rehearsal it lists.
QStringList saveOpenRehearsalsScreenshot(MainWindow& window, const QString& dir);

// Settings › Check connection after the checks ran (the doctor's table), saved as
// DIR/doctor.png. Runs the real checks: needs a connected workspace and its secrets.
// A mapping's ghost-profile alert on the Health page with the identity advisor's answer
// over it ("ghostprofiles.png").
QStringList saveAdvisorScreenshot(MainWindow& window, const QString& dir);
QStringList saveDoctorScreenshot(MainWindow& window, const QString& dir);

// The safety steps: Add… with its segment picker (DIR/add-mapping.png), the question
// before a full resync of every mapping (DIR/confirm-full-resync.png, then cancelled), the
// question before Resync all (DIR/confirm-resync-all.png, then confirmed: a real sync of
// every mapping), and that sync in flight in the Mappings rows (DIR/mappings-live.png) and
// on the Runs page (DIR/runs-live.png).
QStringList saveSafetyScreenshots(MainWindow& window, const QString& dir);

// Settings › Notifications with the demo's channels, their deliveries and a test
// message's answer, saved as DIR/notifications.png.
QStringList saveNotificationsScreenshot(MainWindow& window, const QString& dir);

} // namespace lockstep
