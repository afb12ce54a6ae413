#include "privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lockstep {

namespace {

SyncError configError(const QString& message)
{
    return SyncError::make(SyncError::Category::Config, message);
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

Status makePrivateFolder(const QString& path)
{
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList missing;
    QString at = absolute;
    while (!QFileInfo(at).exists() && !QFileInfo(at).isSymLink()) {
        missing.prepend(at);
        const QString parent = QFileInfo(at).path();
        if (parent == at)
            break;
        at = parent;
    }
    for (const QString& folder : missing) {
        // mkdir's mode is masked by the umask, which can only take bits away from 0700.
        if (::mkdir(QFile::encodeName(folder).constData(), 0700) != 0 && errno != EEXIST)
            return SyncError::make(
                SyncError::Category::Storage,
                QStringLiteral("cannot create the folder %1: %2").arg(folder, systemError()));
    }
    if (!QFileInfo(absolute).isDir())
        return SyncError::make(SyncError::Category::Storage,
                               QStringLiteral("%1 is not a folder").arg(absolute));
    return {};
}

Status writePrivateFile(const QString& path, const QByteArray& bytes)
{
    const QFileInfo fi(path);
    if (fi.isSymLink())
        return configError(QStringLiteral("%1 is a symbolic link; Lockstep does not write "
                                          "exports through links: remove the link or choose "
                                          "another file name")
                               .arg(path));
    if (fi.exists() && !fi.isFile())
        return configError(QStringLiteral("%1 exists and is not a regular file").arg(path));
    const QDir folder = fi.absoluteDir();
    if (!folder.exists())
        return configError(QStringLiteral("cannot write %1: the folder %2 does not exist")
                               .arg(path, folder.path()));
    // QTemporaryFile creates its file with O_EXCL and mode 0600 in the destination's
    // folder, so the rename below stays on one file system.
    QTemporaryFile tmp(folder.filePath(QStringLiteral(".%1.XXXXXX").arg(fi.fileName())));
    if (!tmp.open())
        return configError(QStringLiteral("cannot write %1: %2").arg(path, tmp.errorString()));
    if (tmp.write(bytes) != bytes.size() || !tmp.flush() || ::fsync(tmp.handle()) != 0)
        return configError(QStringLiteral("cannot write %1: %2").arg(path, tmp.errorString()));
    if (::rename(QFile::encodeName(tmp.fileName()).constData(),
                 QFile::encodeName(fi.absoluteFilePath()).constData()) != 0)
        return configError(QStringLiteral("cannot write %1: %2").arg(path, systemError()));
    tmp.setAutoRemove(false); // renamed: its old name may be someone else's by now
    return {};
}

Result<int> openPrivateLog(const QString& path)
{
    const QFileInfo fi(path);
    if (fi.isSymLink())
        return configError(QStringLiteral("%1 is a symbolic link; Lockstep does not write "
                                          "logs through links: remove the link or choose "
                                          "another file name")
                               .arg(path));
    if (Status st = makePrivateFolder(fi.absolutePath()); !st)
        return st.error();
    // O_NOFOLLOW: a link planted after the check above is refused too.
    const int fd = ::open(QFile::encodeName(fi.absoluteFilePath()).constData(),
                          O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return configError(QStringLiteral("cannot open %1: %2").arg(path, systemError()));
    if (Result<int> mode = restrictToOwner(fi.absoluteFilePath()); !mode) {
        ::close(fd);
        return mode.error();
    }
    return fd;
}

Result<int> restrictToOwner(const QString& path)
{
    struct stat st = {};
    const QByteArray name = QFile::encodeName(path);
    if (::lstat(name.constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    const int mode = int(st.st_mode & 07777);
    // Another user's file (opened read-only, say) is its owner's decision: only the
    // owner may chmod it anyway.
    if ((mode & 077) == 0 || st.st_uid != ::geteuid())
        return 0;
    if (::chmod(name.constData(), mode_t(mode & 0700)) != 0)
        return SyncError::make(SyncError::Category::Storage,
                               QStringLiteral("%1 is readable by other users (mode %2) and "
                                              "cannot be made private: %3")
                                   .arg(path, QString::number(mode, 8), systemError()));
    return mode;
}

} // namespace lockstep
