#include "channeleditor.h"

#include "themes.h"

#include "notify/channelsender.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QUrl>

namespace lockstep {

ChannelEditor::ChannelEditor(QWidget* parent)
    : QDialog(parent), m_kind(new QComboBox(this)), m_key(new QLineEdit(this)),
      m_name(new QLineEdit(this)), m_url(new QLineEdit(this)), m_secret(new QLineEdit(this)),
      m_headers(new QPlainTextEdit(this)), m_smtp(new QLineEdit(this)),
      m_password(new QLineEdit(this)), m_from(new QLineEdit(this)), m_to(new QLineEdit(this)),
      m_toMonitor(new QCheckBox(tr("Also the mapping's health monitor"), this)),
      m_critical(new QCheckBox(tr("Critical"), this)),
      m_warning(new QCheckBox(tr("Warning"), this)), m_info(new QCheckBox(tr("Info"), this)),
      m_mappings(new QLineEdit(this)), m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("channelEditor"));
    setWindowTitle(tr("Notification channel"));
    m_kind->setObjectName(QStringLiteral("channelKind"));
    m_kind->addItem(tr("Slack incoming webhook"), int(ChannelKind::Slack));
    m_kind->addItem(tr("Microsoft Teams workflow webhook"), int(ChannelKind::Teams));
    m_kind->addItem(tr("Webhook (signed JSON)"), int(ChannelKind::Webhook));
    m_kind->addItem(tr("E-mail (SMTP)"), int(ChannelKind::Email));
    m_key->setObjectName(QStringLiteral("channelKey"));
    m_key->setPlaceholderText(tr("Made from the kind and id when left empty"));
    m_key->setToolTip(tr("The channel's name in mappings files. A runner also finds its "
                         "secrets under it: LOCKSTEP_NOTIFY_<KEY>_URL, with the key upper-cased "
                         "and every other character than a letter or digit as _."));
    m_url->setObjectName(QStringLiteral("channelUrl"));
    // The URL is the credential: shown as a password is.
    m_url->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_secret->setObjectName(QStringLiteral("channelSecret"));
    m_secret->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_headers->setObjectName(QStringLiteral("channelHeaders"));
    m_headers->setPlaceholderText(tr("One per line: Name: value"));
    m_headers->setMaximumHeight(70);
    m_smtp->setObjectName(QStringLiteral("channelSmtp"));
    m_smtp->setPlaceholderText(QStringLiteral("smtp://user@smtp.example.com:587"));
    m_password->setObjectName(QStringLiteral("channelPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_from->setObjectName(QStringLiteral("channelFrom"));
    m_to->setObjectName(QStringLiteral("channelTo"));
    m_to->setPlaceholderText(tr("Addresses, separated by commas"));
    m_toMonitor->setObjectName(QStringLiteral("channelToMonitor"));
    m_toMonitor->setToolTip(tr("Each alert also goes to the health monitor of its mapping, "
                               "when the monitor is given as an e-mail address."));
    m_mappings->setObjectName(QStringLiteral("channelMappings"));
    m_mappings->setPlaceholderText(tr("Mapping ids, separated by commas (empty: every mapping)"));
    m_critical->setChecked(true);
    m_warning->setChecked(true);
    m_error->setObjectName(QStringLiteral("channelError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(messageStyle(MessageKind::Error));

    auto* form = new QFormLayout;
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("Key"), m_key);
    form->addRow(tr("Name"), m_name);
    auto row = [&](const QString& label, QWidget* field, QList<QWidget*>& group) {
        auto* l = new QLabel(label, this);
        form->addRow(l, field);
        group << l << field;
    };
    row(tr("Webhook URL"), m_url, m_webhookRows);
    row(tr("Signing secret"), m_secret, m_signedRows);
    row(tr("Headers"), m_headers, m_signedRows);
    row(tr("SMTP server"), m_smtp, m_mailRows);
    row(tr("SMTP password"), m_password, m_mailRows);
    row(tr("From"), m_from, m_mailRows);
    row(tr("To"), m_to, m_mailRows);
    row(QString(), m_toMonitor, m_mailRows);
    auto* severities = new QWidget(this);
    auto* sl = new QHBoxLayout(severities);
    sl->setContentsMargins(0, 0, 0, 0);
    sl->addWidget(m_critical);
    sl->addWidget(m_warning);
    sl->addWidget(m_info);
    sl->addStretch();
    form->addRow(tr("Severities"), severities);
    form->addRow(tr("Mappings"), m_mappings);
    auto* note = new QLabel(tr("The URL, the signing secret, header values and the SMTP password "
                               "are kept in the system keychain, never in the workspace. A "
                               "runner reads them from LOCKSTEP_NOTIFY_<ID>_URL, _HMAC_SECRET, "
                               "_HEADERS and _SMTP_PASSWORD, or the same under the key "
                               "(LOCKSTEP_NOTIFY_<KEY>_URL, ...)."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("channelSave"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ChannelEditor::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ChannelEditor::reject);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ChannelEditor::kindChanged);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(560);
    kindChanged();
}

void ChannelEditor::kindChanged()
{
    const auto kind = ChannelKind(m_kind->currentData().toInt());
    for (QWidget* w : std::as_const(m_webhookRows))
        w->setVisible(kind != ChannelKind::Email);
    for (QWidget* w : std::as_const(m_signedRows))
        w->setVisible(kind == ChannelKind::Webhook);
    for (QWidget* w : std::as_const(m_mailRows))
        w->setVisible(kind == ChannelKind::Email);
}

void ChannelEditor::setChannel(const NotificationChannel& c, const ChannelSecrets& s)
{
    m_id = c.id;
    m_createdAtMs = c.createdAtMs;
    m_kind->setCurrentIndex(m_kind->findData(int(c.kind)));
    m_kind->setEnabled(c.id == 0);
    m_key->setText(c.key);
    m_name->setText(c.name);
    m_url->setText(s.url);
    m_secret->setText(s.hmacSecret);
    QStringList headers;
    for (const auto& [name, value] : s.headers)
        headers << name + QStringLiteral(": ") + value;
    m_headers->setPlainText(headers.join(QLatin1Char('\n')));
    m_smtp->setText(c.smtpUrl);
    m_password->setText(s.smtpPassword);
    m_from->setText(c.mailFrom);
    m_to->setText(c.mailTo.join(QStringLiteral(", ")));
    m_toMonitor->setChecked(c.mailMonitor);
    m_critical->setChecked(c.severities.contains(AlertSeverity::Critical));
    m_warning->setChecked(c.severities.contains(AlertSeverity::Warning));
    m_info->setChecked(c.severities.contains(AlertSeverity::Info));
    QStringList ids;
    for (qint64 id : c.mappingIds)
        ids << QString::number(id);
    m_mappings->setText(ids.join(QStringLiteral(", ")));
    kindChanged();
}

ChannelSecrets ChannelEditor::secrets() const
{
    ChannelSecrets s;
    const auto kind = ChannelKind(m_kind->currentData().toInt());
    if (kind == ChannelKind::Email) {
        s.smtpPassword = m_password->text();
        return s;
    }
    s.url = m_url->text().trimmed();
    if (kind == ChannelKind::Webhook) {
        s.hmacSecret = m_secret->text();
        for (const QString& line :
             m_headers->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const qsizetype colon = line.indexOf(QLatin1Char(':'));
            if (colon > 0)
                s.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
    }
    return s;
}

Result<NotificationChannel> ChannelEditor::channel() const
{
    NotificationChannel c;
    c.id = m_id;
    c.createdAtMs = m_createdAtMs;
    c.kind = ChannelKind(m_kind->currentData().toInt());
    c.key = m_key->text().trimmed();
    if (!c.key.isEmpty())
        if (const QString wrong = checkChannelKey(c.key); !wrong.isEmpty())
            return SyncError::make(SyncError::Category::Usage, wrong);
    if (c.key.isEmpty() && c.id != 0)
        return SyncError::make(SyncError::Category::Usage, tr("Give the channel a key."));
    c.name = m_name->text().trimmed();
    c.severities.clear();
    if (m_critical->isChecked())
        c.severities << AlertSeverity::Critical;
    if (m_warning->isChecked())
        c.severities << AlertSeverity::Warning;
    if (m_info->isChecked())
        c.severities << AlertSeverity::Info;
    if (c.severities.isEmpty())
        return SyncError::make(SyncError::Category::Usage, tr("Choose at least one severity."));
    for (const QString& part : m_mappings->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = part.trimmed().toLongLong(&ok);
        if (!ok || id <= 0)
            return SyncError::make(SyncError::Category::Usage,
                                   tr("Not a mapping id: %1").arg(part.trimmed()));
        c.mappingIds << id;
    }
    const ChannelSecrets s = secrets();
    if (c.kind == ChannelKind::Email) {
        c.smtpUrl = m_smtp->text().trimmed();
        c.mailFrom = m_from->text().trimmed();
        for (const QString& to : m_to->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            c.mailTo << to.trimmed();
        c.mailMonitor = m_toMonitor->isChecked();
        QUrl shown(c.smtpUrl);
        shown.setUserInfo(QString());
        c.target = shown.toString();
    } else {
        const QUrl url(s.url);
        QUrl shown;
        shown.setScheme(url.scheme());
        shown.setHost(url.host());
        shown.setPort(url.port());
        c.target = shown.toString() + QStringLiteral("/…");
        for (const auto& h : s.headers)
            c.headerNames << h.first;
    }
    ChannelSecrets check = s;
    if (c.kind == ChannelKind::Webhook && check.hmacSecret.isEmpty())
        return SyncError::make(SyncError::Category::Usage,
                               tr("A webhook needs a signing secret: its receiver verifies "
                                  "X-Lockstep-Signature with it."));
    if (auto st = checkChannel(c, check); !st)
        return st.error();
    return c;
}

void ChannelEditor::accept()
{
    auto c = channel();
    if (!c) {
        m_error->setText(c.error().message);
        return;
    }
    m_error->clear();
    Q_EMIT saved(*c, secrets());
    QDialog::accept();
}

} // namespace lockstep
