#include "connectionform.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace lockstep {

ConnectionForm::ConnectionForm(const QString& prefix, QWidget* parent)
    : QWidget(parent), m_region(new QComboBox(this)), m_cioUrl(new QLineEdit(this)),
      m_mpUrl(new QLineEdit(this)), m_mpQueryUrl(new QLineEdit(this)),
      m_projectId(new QSpinBox(this)), m_cioKey(new QLineEdit(this)),
      m_mpToken(new QLineEdit(this)), m_serviceAccount(new QLineEdit(this))
{
    const auto name = [&prefix](const char* s) -> QString { return prefix + QLatin1String(s); };
    m_region->setObjectName(name("Region"));
    m_cioUrl->setObjectName(name("CioUrl"));
    m_mpUrl->setObjectName(name("MpUrl"));
    m_mpQueryUrl->setObjectName(name("MpQueryUrl"));
    m_projectId->setObjectName(name("ProjectId"));
    m_cioKey->setObjectName(name("CioKey"));
    m_mpToken->setObjectName(name("MpToken"));
    m_serviceAccount->setObjectName(name("MpServiceAccount"));

    m_region->addItem(QStringLiteral("United States"), QStringLiteral("us"));
    m_region->addItem(QStringLiteral("European Union"), QStringLiteral("eu"));
    m_region->addItem(QStringLiteral("Custom addresses (sandbox, proxy)"), QString());
    m_projectId->setRange(0, std::numeric_limits<int>::max());
    for (QLineEdit* secret : {m_cioKey, m_mpToken, m_serviceAccount}) {
        secret->setEchoMode(QLineEdit::Password);
        secret->setClearButtonEnabled(true);
    }
    m_serviceAccount->setPlaceholderText(QStringLiteral("user:secret (to verify cohort counts)"));
    m_cioUrl->setPlaceholderText(QStringLiteral("https://api.customer.io"));

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(QStringLiteral("Region"), m_region);
    form->addRow(QStringLiteral("Customer.io App API"), m_cioUrl);
    form->addRow(QStringLiteral("Mixpanel ingestion"), m_mpUrl);
    form->addRow(QStringLiteral("Mixpanel query API"), m_mpQueryUrl);
    form->addRow(QStringLiteral("Mixpanel project id"), m_projectId);
    form->addRow(QStringLiteral("Customer.io App API key"), m_cioKey);
    form->addRow(QStringLiteral("Mixpanel project token"), m_mpToken);
    form->addRow(QStringLiteral("Mixpanel service account"), m_serviceAccount);

    connect(m_region, &QComboBox::currentIndexChanged, this, &ConnectionForm::applyRegion);
    for (QLineEdit* e : {m_cioUrl, m_mpUrl, m_mpQueryUrl, m_cioKey, m_mpToken, m_serviceAccount})
        connect(e, &QLineEdit::textChanged, this, &ConnectionForm::changed);
    connect(m_projectId, &QSpinBox::valueChanged, this, &ConnectionForm::changed);
    m_region->setCurrentIndex(2);
}

void ConnectionForm::applyRegion()
{
    const QString region = m_region->currentData().toString();
    const bool custom = region.isEmpty();
    for (QLineEdit* e : {m_cioUrl, m_mpUrl, m_mpQueryUrl})
        e->setReadOnly(!custom);
    if (auto s = ConnectionSettings::forRegion(region, m_projectId->value())) {
        m_cioUrl->setText(s->customerIoUrl);
        m_mpUrl->setText(s->mixpanelUrl);
        m_mpQueryUrl->setText(s->mixpanelQueryUrl);
    }
    Q_EMIT changed();
}

void ConnectionForm::setConnection(const ConnectionSettings& s)
{
    const int index = m_region->findData(s.region);
    m_region->setCurrentIndex(index >= 0 && !s.region.isEmpty() ? index : 2);
    m_cioUrl->setText(s.customerIoUrl);
    m_mpUrl->setText(s.mixpanelUrl);
    m_mpQueryUrl->setText(s.mixpanelQueryUrl);
    m_projectId->setValue(int(s.projectId));
}

ConnectionSettings ConnectionForm::connection() const
{
    ConnectionSettings s;
    s.region = m_region->currentData().toString();
    s.customerIoUrl = m_cioUrl->text().trimmed();
    s.mixpanelUrl = m_mpUrl->text().trimmed();
    s.mixpanelQueryUrl = m_mpQueryUrl->text().trimmed();
    s.projectId = m_projectId->value();
    return s;
}

void ConnectionForm::setCredentials(const Credentials& c)
{
    m_cioKey->setText(c.customerIoAppApiKey);
    m_mpToken->setText(c.mixpanelProjectToken);
    m_serviceAccount->setText(c.mixpanelServiceAccount);
}

Credentials ConnectionForm::credentials() const
{
    return Credentials{m_cioKey->text().trimmed(), m_mpToken->text().trimmed(),
                       m_serviceAccount->text().trimmed()};
}

} // namespace lockstep
