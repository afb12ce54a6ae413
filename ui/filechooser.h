// Where exports are saved: a native save dialog for people, and a hook for tests so no
// blocking dialog opens under QTest.
#pragma once

#include <QString>

class QWidget;

namespace lockstep {

class FileChooser
{
public:
    // The path the user chose, or empty when cancelled. With a test answer set, returns
    // it (and clears it) without showing anything.
    static QString saveFileName(QWidget* parent, const QString& caption, const QString& suggested,
                                const QString& filter);
    static void setTestAnswer(const QString& path);

private:
    static QString& testAnswer();
};

} // namespace lockstep
