#include "screenshots.h"

#include "mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QPixmap>

namespace lockstep {

QStringList saveScreenshots(MainWindow& window, const QString& dir)
{
    QStringList written;
    if (!QDir().mkpath(dir))
        return written;
    const QString previous = window.currentPageKey();
    // Large enough for every column of the Mappings table and a readable chart.
    window.resize(window.size().expandedTo(QSize(1600, 900)));
    if (!window.isVisible())
        window.show();
    for (const QString& key : window.pageKeys()) {
        window.showPage(key);
        // A page asks the engine for its data when shown: let the answers arrive and the
        // layouts settle before grabbing (the worker answers within milliseconds).
        QElapsedTimer settle;
        settle.start();
        while (settle.elapsed() < 700)
            QApplication::processEvents(QEventLoop::AllEvents, 50);
        const QString path = QDir(dir).filePath(key + QStringLiteral(".png"));
        if (window.grab().save(path))
            written.append(path);
    }
    window.showPage(previous);
    return written;
}

} // namespace lockstep
