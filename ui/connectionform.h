// Where Customer.io and Mixpanel are and the secrets to reach them: shared by the
// Settings dialog and the set-up wizard. Secrets are only held in the fields; callers
// decide where they go (the keychain, or this session only).
#pragma once

#include "api/credentials.h"
#include "store/records.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace lockstep {

class ConnectionForm : public QWidget
{
    Q_OBJECT
public:
    // `prefix` names the fields (e.g. "settings" -> settingsCioRegion, settingsCioUrl,
    // settingsMpRegion, settingsMpUrl, settingsCioKey...).
    explicit ConnectionForm(const QString& prefix, QWidget* parent = nullptr);

    void setConnection(const ConnectionSettings& s);
    ConnectionSettings connection() const;
    void setCredentials(const Credentials& c);
    Credentials credentials() const;

Q_SIGNALS:
    void changed();

private:
    void applyCustomerIoRegion();
    void applyMixpanelRegion();

    QComboBox* m_cioRegion;
    QComboBox* m_mpRegion;
    QLineEdit* m_cioUrl;
    QLineEdit* m_mpUrl;
    QLineEdit* m_mpQueryUrl;
    QSpinBox* m_projectId;
    QLineEdit* m_cioKey;
    QLineEdit* m_mpToken;
    QLineEdit* m_serviceAccount;
};

} // namespace lockstep
