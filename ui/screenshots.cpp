#include "screenshots.h"

#include "mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>

namespace lockstep {

QStringList saveScreenshots(MainWindow& window, const QString& dir)
{
    QStringList written;
    if (!QDir().mkpath(dir))
        return written;
    const QString previous = window.currentPageKey();
    if (!window.isVisible())
        window.show();
    for (const QString& key : window.pageKeys()) {
        window.showPage(key);
        // Let layouts and pending model updates settle before grabbing.
        QApplication::processEvents();
        const QString path = QDir(dir).filePath(key + QStringLiteral(".png"));
        if (window.grab().save(path))
            written.append(path);
    }
    window.showPage(previous);
    return written;
}

} // namespace lockstep
