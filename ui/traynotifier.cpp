#include "traynotifier.h"

#include "lockstepresources.h"

#include <QSystemTrayIcon>

namespace lockstep {

TrayNotifier::TrayNotifier(QObject* parent) : QObject(parent)
{
    setObjectName(QStringLiteral("trayNotifier"));
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(appIcon(), this);
    m_tray->setToolTip(tr("Lockstep"));
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::activated);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this] { Q_EMIT activated(); });
    m_tray->show();
}

void TrayNotifier::notify(const QString& title, const QString& message, bool critical)
{
    m_lastTitle = title;
    m_lastMessage = message;
    ++m_count;
    if (m_tray)
        m_tray->showMessage(title, message,
                            critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning, 8000);
}

} // namespace lockstep
