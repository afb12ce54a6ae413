// Lockstep's compiled-in icons: the application mark and the page and action icons,
// each with several pixel sizes so they stay sharp on high-DPI screens.
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

} // namespace lockstep
