// Settings › Notifications: the workspace's alert channels (what each subscribes to and
// how its recent deliveries went), add / edit / delete, and "Send test message", which
// shows the receiver's answer. Reads and writes through the process's Notifier, off the
// GUI thread; secrets go to the keychain.
#pragma once

#include "health/alertoutbox.h"
#include "health/notificationchannel.h"
#include "notify/channelsecrets.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace lockstep {

class Notifier;
class SecretStore;

class NotificationsPage : public QWidget
{
    Q_OBJECT
public:
    NotificationsPage(Notifier* notifier, QWidget* parent = nullptr);

    void reload();
    void addChannel();
    void editSelected();
    void deleteSelected();
    void testSelected();
    // For tests and screenshots: the rows shown and whether an answer is awaited.
    QTableWidget* channelsTable() const { return m_channels; }
    QTableWidget* deliveriesTable() const { return m_deliveries; }
    QLabel* testAnswer() const { return m_answer; }
    bool isBusy() const { return m_busy > 0; }
    void selectChannel(qint64 id);

Q_SIGNALS:
    void loaded();

private:
    qint64 selectedId() const;
    void showDeliveries();
    void store(const NotificationChannel& channel, const ChannelSecrets& secrets);

    Notifier* m_notifier;
    SecretStore* m_keychain;
    QTableWidget* m_channels;
    QTableWidget* m_deliveries;
    QLabel* m_answer;
    QPushButton* m_edit;
    QPushButton* m_delete;
    QPushButton* m_test;
    QList<NotificationChannel> m_list;
    QList<OutboxDelivery> m_recent;
    int m_busy = 0;
};

} // namespace lockstep
