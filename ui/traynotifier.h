// Desktop notifications for what an operator must not miss while the window is in the
// background: failed runs and new health alerts. Uses the system tray when there is
// one; the last message is kept either way (status bar and tests read it).
#pragma once

#include <QObject>
#include <QString>

class QSystemTrayIcon;

namespace lockstep {

class TrayNotifier : public QObject
{
    Q_OBJECT
public:
    explicit TrayNotifier(QObject* parent = nullptr);

    bool hasTray() const { return m_tray != nullptr; }
    void notify(const QString& title, const QString& message, bool critical);

    QString lastTitle() const { return m_lastTitle; }
    QString lastMessage() const { return m_lastMessage; }
    int count() const { return m_count; }

Q_SIGNALS:
    // The notification (or the tray icon) was clicked: show the window.
    void activated();

private:
    QSystemTrayIcon* m_tray = nullptr;
    QString m_lastTitle;
    QString m_lastMessage;
    int m_count = 0;
};

} // namespace lockstep
