// Adds or edits one notification channel: its kind and key, where it posts (the URL, kept in the
// keychain), its signing secret and headers (a webhook), the SMTP server and addresses
// (e-mail), and what it subscribes to (severities, mappings). Non-blocking (open()).
#pragma once

#include "health/notificationchannel.h"
#include "notify/channelsecrets.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace lockstep {

class ChannelEditor : public QDialog
{
    Q_OBJECT
public:
    explicit ChannelEditor(QWidget* parent = nullptr);

    void setChannel(const NotificationChannel& channel, const ChannelSecrets& secrets);
    // What the form holds; an error (shown in the dialog) when it is incomplete.
    Result<NotificationChannel> channel() const;
    ChannelSecrets secrets() const;

    void accept() override;

Q_SIGNALS:
    void saved(const lockstep::NotificationChannel& channel,
               const lockstep::ChannelSecrets& secrets);

private:
    void kindChanged();

    qint64 m_id = 0;
    qint64 m_createdAtMs = 0;
    QComboBox* m_kind;
    QLineEdit* m_key;
    QLineEdit* m_name;
    QLineEdit* m_url;
    QLineEdit* m_secret;
    QPlainTextEdit* m_headers;
    QLineEdit* m_smtp;
    QLineEdit* m_password;
    QLineEdit* m_from;
    QLineEdit* m_to;
    QCheckBox* m_toMonitor;
    QCheckBox* m_critical;
    QCheckBox* m_warning;
    QCheckBox* m_info;
    QLineEdit* m_mappings;
    QLabel* m_error;
    QList<QWidget*> m_webhookRows, m_signedRows, m_mailRows;
};

} // namespace lockstep
