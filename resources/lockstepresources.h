// Lockstep's compiled-in resources: the application mark and the page and action icons,
// each with several pixel sizes so they stay sharp on high-DPI screens, and the
// console's translations.
#pragma once

#include <QIcon>
#include <QString>

namespace lockstep {

// Registers the resources of this static library; safe to call more than once.
void initResources();

QIcon appIcon();
// Keys: "mappings", "health", "overlap", "identity", "audit", "runs". Null icon otherwise.
QIcon pageIcon(const QString& key);
// Keys: "resync", "resync-all", "dry-run", "cancel", "refresh". Null icon otherwise.
QIcon actionIcon(const QString& key);

// Installs the console's translations on the running application: the English
// catalogue, which gives the source texts their plural forms ("1 run", "4 runs"), then
// the catalogue of the user's language when one is compiled in. Call once the
// application object exists, before any window is built. False when the English
// catalogue is missing (a plural then reads "%n run(s)" with the number filled in).
bool installTranslations();

} // namespace lockstep
