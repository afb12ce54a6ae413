// Files that hold personal data (the SQLite workspace, its lock folder, exports, logs):
// readable by their owner only, and never written through a symbolic link.
#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

namespace lockstep {

// Creates `path` and its missing parents, each created folder 0700 (folders that exist
// already are left as they are: they may be the user's home or a shared folder).
Status makePrivateFolder(const QString& path);

// Writes `bytes` to a new 0600 temporary file in the destination's folder, then renames
// it onto `path` (all or nothing; rename replaces a name, it never follows a link). A
// destination that is a symbolic link, dangling or not, is refused: writing would
// replace the link (or, done naively, overwrite or create its target). Errors are Config
// (exit 2) and name the path.
Status writePrivateFile(const QString& path, const QByteArray& bytes);

// Opens `path` for appending (created 0600; its folder 0700 when created); refuses a
// symbolic link. Returns the open file descriptor, owned by the caller.
Result<int> openPrivateLog(const QString& path);

// Makes an existing file of this user owner-only when group or others may read or write
// it. Returns the mode it had when it changed it, 0 when nothing was to do (also for
// another user's file); an error when it could not change it.
Result<int> restrictToOwner(const QString& path);

} // namespace lockstep
