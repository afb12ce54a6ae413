#include "filechooser.h"

#include <QFileDialog>
#include <QStandardPaths>

namespace lockstep {

QString& FileChooser::testAnswer()
{
    static QString answer;
    return answer;
}

void FileChooser::setTestAnswer(const QString& path)
{
    testAnswer() = path;
}

QString FileChooser::saveFileName(QWidget* parent, const QString& caption, const QString& suggested,
                                  const QString& filter)
{
    if (!testAnswer().isEmpty())
        return std::exchange(testAnswer(), QString());
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileDialog::getSaveFileName(parent, caption, dir + QLatin1Char('/') + suggested,
                                        filter);
}

} // namespace lockstep
