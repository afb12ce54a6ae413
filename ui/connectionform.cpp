#include "connectionform.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace lockstep {

ConnectionForm::ConnectionForm(const QString& prefix, QWidget* parent)
    : QWidget(parent), m_cioRegion(new QComboBox(this)), m_mpRegion(new QComboBox(this)),
      m_cioUrl(new QLineEdit(this)), m_mpUrl(new QLineEdit(this)),
      m_mpQueryUrl(new QLineEdit(this)), m_projectId(new QSpinBox(this)),
      m_cioKey(new QLineEdit(this)), m_mpToken(new QLineEdit(this)),
      m_serviceAccount(new QLineEdit(this))
{
    const auto name = [&prefix](const char* s) -> QString { return prefix + QLatin1String(s); };
    m_cioRegion->setObjectName(name("CioRegion"));
    m_mpRegion->setObjectName(name("MpRegion"));
    m_cioUrl->setObjectName(name("CioUrl"));
    m_mpUrl->setObjectName(name("MpUrl"));
    m_mpQueryUrl->setObjectName(name("MpQueryUrl"));
    m_projectId->setObjectName(name("ProjectId"));
    m_cioKey->setObjectName(name("CioKey"));
    m_mpToken->setObjectName(name("MpToken"));
    m_serviceAccount->setObjectName(name("MpServiceAccount"));

    // Each service has its own region: an EU Customer.io account may report to a
    // Mixpanel project in the US or India. The empty value is "addresses given by hand".
    m_cioRegion->addItem(tr("United States"), QStringLiteral("us"));
    m_cioRegion->addItem(tr("European Union"), QStringLiteral("eu"));
    m_cioRegion->addItem(tr("Custom address (sandbox, proxy)"), QString());
    m_mpRegion->addItem(tr("United States"), QStringLiteral("us"));
    m_mpRegion->addItem(tr("European Union"), QStringLiteral("eu"));
    m_mpRegion->addItem(tr("India"), QStringLiteral("in"));
    m_mpRegion->addItem(tr("Custom addresses (sandbox, proxy)"), QString());
    m_projectId->setRange(0, std::numeric_limits<int>::max());
    for (QLineEdit* secret : {m_cioKey, m_mpToken, m_serviceAccount}) {
        secret->setEchoMode(QLineEdit::Password);
        secret->setClearButtonEnabled(true);
    }
    m_serviceAccount->setPlaceholderText(tr("user:secret (to verify cohort counts)"));
    m_cioUrl->setPlaceholderText(QStringLiteral("https://api.customer.io"));

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Customer.io region"), m_cioRegion);
    form->addRow(tr("Customer.io App API"), m_cioUrl);
    form->addRow(tr("Mixpanel region"), m_mpRegion);
    form->addRow(tr("Mixpanel ingestion"), m_mpUrl);
    form->addRow(tr("Mixpanel query API"), m_mpQueryUrl);
    form->addRow(tr("Mixpanel project id"), m_projectId);
    form->addRow(tr("Customer.io App API key"), m_cioKey);
    form->addRow(tr("Mixpanel project token"), m_mpToken);
    form->addRow(tr("Mixpanel service account"), m_serviceAccount);

    connect(m_cioRegion, &QComboBox::currentIndexChanged, this,
            &ConnectionForm::applyCustomerIoRegion);
    connect(m_mpRegion, &QComboBox::currentIndexChanged, this,
            &ConnectionForm::applyMixpanelRegion);
    for (QLineEdit* e : {m_cioUrl, m_mpUrl, m_mpQueryUrl, m_cioKey, m_mpToken, m_serviceAccount})
        connect(e, &QLineEdit::textChanged, this, &ConnectionForm::changed);
    connect(m_projectId, &QSpinBox::valueChanged, this, &ConnectionForm::changed);
    // Custom addresses (the last item of each) until a region is chosen.
    m_cioRegion->setCurrentIndex(m_cioRegion->count() - 1);
    m_mpRegion->setCurrentIndex(m_mpRegion->count() - 1);
}

void ConnectionForm::applyCustomerIoRegion()
{
    const QString region = m_cioRegion->currentData().toString();
    m_cioUrl->setReadOnly(!region.isEmpty());
    if (const auto url = ConnectionSettings::customerIoUrlFor(region))
        m_cioUrl->setText(*url);
    Q_EMIT changed();
}

void ConnectionForm::applyMixpanelRegion()
{
    const QString region = m_mpRegion->currentData().toString();
    m_mpUrl->setReadOnly(!region.isEmpty());
    m_mpQueryUrl->setReadOnly(!region.isEmpty());
    if (const auto urls = ConnectionSettings::mixpanelUrlsFor(region)) {
        m_mpUrl->setText(urls->ingestion);
        m_mpQueryUrl->setText(urls->query);
    }
    Q_EMIT changed();
}

void ConnectionForm::setConnection(const ConnectionSettings& s)
{
    // Unknown or empty regions show as custom addresses.
    const auto select = [](QComboBox* box, const QString& region) {
        const int index = region.isEmpty() ? -1 : box->findData(region);
        box->setCurrentIndex(index >= 0 ? index : box->count() - 1);
    };
    select(m_cioRegion, s.customerIoRegion);
    select(m_mpRegion, s.mixpanelRegion);
    m_cioUrl->setText(s.customerIoUrl);
    m_mpUrl->setText(s.mixpanelUrl);
    m_mpQueryUrl->setText(s.mixpanelQueryUrl);
    m_projectId->setValue(int(s.projectId));
}

ConnectionSettings ConnectionForm::connection() const
{
    ConnectionSettings s;
    s.customerIoRegion = m_cioRegion->currentData().toString();
    s.mixpanelRegion = m_mpRegion->currentData().toString();
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
