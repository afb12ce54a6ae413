// Pictures of every page from the real window (`lockstep --screenshot DIR`, and tests),
// so the screenshots in docs/ come from the same code path operators use.
#pragma once

#include <QString>
#include <QStringList>

namespace lockstep {

class MainWindow;

// Shows each page in turn and saves DIR/<page>.png (e.g. mappings.png), then runs the
// trust dialogs on the first mapping and saves DIR/rehearsal.png and DIR/spotcheck.png.
// Returns the files written; a picture that could not be saved is left out.
QStringList saveScreenshots(MainWindow& window, const QString& dir);

} // namespace lockstep
