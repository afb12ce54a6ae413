#include "settingsdialog.h"

#include "audit/namechecker.h"
#include "audit/namingpattern.h"
#include "connectionform.h"
#include "doctorview.h"
#include "engine/synccontroller.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>

#include "notificationspage.h"
#include <QVBoxLayout>

namespace lockstep {

namespace {
// A spin box over the key's valid range (shown `scale` times larger, e.g. a share in %),
// so the dialog offers what `lockstep config set` accepts.
QDoubleSpinBox* number(QWidget* parent, const char* name, const SettingKey& key, int decimals,
                       const QString& suffix = {}, double scale = 1)
{
    auto* s = new QDoubleSpinBox(parent);
    s->setObjectName(QLatin1String(name));
    s->setRange(key.min * scale, key.max * scale);
    s->setDecimals(decimals);
    s->setSuffix(suffix);
    return s;
}

// A box rounds to its decimals: unless the operator changes it, the value stays what it
// was, so one set more precisely (`lockstep config set`) survives a save.
void showRounded(QDoubleSpinBox* box, double value, double scale = 1)
{
    box->setValue(value * scale);
    box->setProperty("shown", box->value());
}

double edited(const QDoubleSpinBox* box, double before, double scale = 1)
{
    return box->value() == box->property("shown").toDouble() ? before : box->value() / scale;
}
} // namespace

SettingsDialog::SettingsDialog(SyncController* controller, QWidget* parent)
    : QDialog(parent), m_controller(controller), m_tabs(new QTabWidget(this)),
      m_connection(new ConnectionForm(QStringLiteral("settings"), this)),
      m_testResult(new QLabel(this)), m_doctor(new DoctorView(this)),
      m_collapse(
          number(this, "settingsCollapse", *keys::CollapseDropPercent, 0, QStringLiteral(" %"))),
      m_wow(number(this, "settingsWow", *keys::WowSwingPercent, 0, QStringLiteral(" %"))),
      m_churn(number(this, "settingsChurn", *keys::ChurnRatio, 2)),
      m_stale(number(this, "settingsStale", *keys::StaleFactor, 1, tr(" × schedule"))),
      m_notReady(number(this, "settingsNotReady", *keys::NotReadyFactor, 1, tr(" × schedule"))),
      m_drift(number(this, "settingsDrift", *keys::DriftPercent, 1, QStringLiteral(" %"))),
      m_match(number(this, "settingsMatch", *keys::MatchRateFloor, 1, QStringLiteral(" %"), 100)),
      m_unknownWarning(number(this, "settingsUnknownWarning", *keys::UnknownProfilesWarningPercent,
                              1, QStringLiteral(" %"))),
      m_unknownCritical(number(this, "settingsUnknownCritical",
                               *keys::UnknownProfilesCriticalPercent, 1, QStringLiteral(" %"))),
      m_massExit(number(this, "settingsMassExit", *keys::MassExitPercent, 1, QStringLiteral(" %"))),
      m_pattern(new QLineEdit(this)), m_patternCheck(new QLabel(this)),
      m_patternPreview(new QLabel(this)), m_schedule(new QSpinBox(this)),
      m_theme(new QComboBox(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_testResult->setObjectName(QStringLiteral("settingsTestResult"));
    m_pattern->setObjectName(QStringLiteral("settingsPattern"));
    m_patternCheck->setObjectName(QStringLiteral("settingsPatternCheck"));
    m_patternPreview->setObjectName(QStringLiteral("settingsPatternPreview"));
    m_theme->setObjectName(QStringLiteral("settingsTheme"));
    m_schedule->setObjectName(QStringLiteral("settingsSchedule"));

    auto* test = new QPushButton(tr("Check connection"), this);
    test->setObjectName(QStringLiteral("settingsTest"));
    test->setToolTip(tr("Checks the workspace, both services' hosts and credentials, the "
                        "project token, the query budget, the clock and each mapping's "
                        "segment, as `lockstep doctor` does"));
    connect(test, &QPushButton::clicked, this, &SettingsDialog::checkConnection);
    m_testResult->setWordWrap(true);
    m_doctor->setObjectName(QStringLiteral("settingsDoctor"));
    m_doctor->hide(); // until checked
    auto* secretsNote = new QLabel(
        tr("Secrets are kept in the system keychain (never in the workspace, logs or "
           "exports) and used from there on the next start. Scheduled syncs and the "
           "command line read LOCKSTEP_CUSTOMERIO_APP_API_KEY, "
           "LOCKSTEP_MIXPANEL_PROJECT_TOKEN and LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT instead."),
        this);
    secretsNote->setObjectName(QStringLiteral("settingsSecretsNote"));
    secretsNote->setWordWrap(true);
    secretsNote->setForegroundRole(QPalette::PlaceholderText);
    auto* connectionTab = new QWidget(this);
    auto* cl = new QVBoxLayout(connectionTab);
    cl->addWidget(m_connection);
    cl->addWidget(secretsNote);
    cl->addWidget(test, 0, Qt::AlignLeft);
    cl->addWidget(m_testResult);
    cl->addWidget(m_doctor, 1);
    cl->addStretch();
    m_tabs->addTab(connectionTab, tr("Connections"));

    auto* health = new QWidget(this);
    auto* hf = new QFormLayout(health);
    hf->addRow(tr("Size collapse: drop below the recent median"), m_collapse);
    hf->addRow(tr("Week-over-week swing"), m_wow);
    hf->addRow(tr("Churn ratio (entered + exited ÷ 2 × size)"), m_churn);
    hf->addRow(tr("Stale after"), m_stale);
    hf->addRow(tr("Segment still building for"), m_notReady);
    hf->addRow(tr("Drift between synced and Mixpanel"), m_drift);
    hf->addRow(tr("Lowest identity match rate"), m_match);
    hf->addRow(tr("Entered keys unknown to Mixpanel: warning"), m_unknownWarning);
    hf->addRow(tr("Entered keys unknown to Mixpanel: critical"), m_unknownCritical);
    m_massExit->setToolTip(tr("A run whose exits exceed this share of the last synced size "
                              "removes nobody until someone applies or discards them (0 %: "
                              "off; an empty segment is always held; a mapping may set its "
                              "own in its editor)"));
    hf->addRow(tr("Hold a run's exits above"), m_massExit);
    m_tabs->addTab(health, tr("Health thresholds"));

    auto* naming = new QWidget(this);
    auto* nf = new QFormLayout(naming);
    nf->addRow(tr("Cohort name pattern"), m_pattern);
    nf->addRow(QString(), m_patternCheck);
    nf->addRow(QString(), m_patternPreview);
    m_patternCheck->setWordWrap(true);
    m_patternPreview->setWordWrap(true);
    m_patternPreview->setTextFormat(Qt::PlainText);
    connect(m_pattern, &QLineEdit::textChanged, this, &SettingsDialog::checkPattern);
    m_tabs->addTab(naming, tr("Naming convention"));

    auto* schedule = new QWidget(this);
    auto* sf = new QFormLayout(schedule);
    m_schedule->setRange(int(keys::DefaultScheduleMinutes->min),
                         int(keys::DefaultScheduleMinutes->max));
    m_schedule->setSuffix(tr(" min"));
    sf->addRow(tr("Default schedule for new mappings"), m_schedule);
    m_tabs->addTab(schedule, tr("Schedule"));

    auto* appearance = new QWidget(this);
    auto* af = new QFormLayout(appearance);
    m_theme->addItem(tr("Follow the system"), themeName(Theme::System));
    m_theme->addItem(tr("Light"), themeName(Theme::Light));
    m_theme->addItem(tr("Dark"), themeName(Theme::Dark));
    af->addRow(tr("Theme"), m_theme);
    m_tabs->addTab(appearance, tr("Appearance"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("settingsSave"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(buttons);
    setMinimumWidth(620);
    setSettings(WorkspaceSettings{}, Credentials{});
}

void SettingsDialog::setSettings(const WorkspaceSettings& s, const Credentials& c)
{
    m_base = s;
    m_connection->setConnection(s.connection);
    m_connection->setCredentials(c);
    const HealthThresholds& t = s.thresholds;
    showRounded(m_collapse, t.collapseDropPercent);
    showRounded(m_wow, t.wowSwingPercent);
    showRounded(m_churn, t.churnRatio);
    showRounded(m_stale, t.staleFactor);
    showRounded(m_notReady, t.notReadyFactor);
    showRounded(m_drift, t.driftPercent);
    showRounded(m_match, t.matchRateFloor, 100);
    showRounded(m_unknownWarning, t.unknownProfilesWarningPercent);
    showRounded(m_unknownCritical, t.unknownProfilesCriticalPercent);
    showRounded(m_massExit, s.massExitPercent);
    m_pattern->setText(s.naming.pattern);
    m_schedule->setValue(s.defaultScheduleMinutes);
    checkPattern();
}

WorkspaceSettings SettingsDialog::settings() const
{
    WorkspaceSettings s = m_base;
    s.connection = m_connection->connection();
    HealthThresholds& t = s.thresholds;
    const HealthThresholds& before = m_base.thresholds;
    t.collapseDropPercent = edited(m_collapse, before.collapseDropPercent);
    t.wowSwingPercent = edited(m_wow, before.wowSwingPercent);
    t.churnRatio = edited(m_churn, before.churnRatio);
    t.staleFactor = edited(m_stale, before.staleFactor);
    t.notReadyFactor = edited(m_notReady, before.notReadyFactor);
    t.driftPercent = edited(m_drift, before.driftPercent);
    t.matchRateFloor = edited(m_match, before.matchRateFloor, 100);
    t.unknownProfilesWarningPercent =
        edited(m_unknownWarning, before.unknownProfilesWarningPercent);
    t.unknownProfilesCriticalPercent =
        edited(m_unknownCritical, before.unknownProfilesCriticalPercent);
    s.massExitPercent = edited(m_massExit, m_base.massExitPercent);
    s.naming.pattern = m_pattern->text().trimmed();
    s.defaultScheduleMinutes = m_schedule->value();
    return s;
}

Credentials SettingsDialog::credentials() const
{
    return m_connection->credentials();
}

void SettingsDialog::checkConnection()
{
    m_testResult->setText(tr("Checking…"));
    m_doctor->clearReport();
    auto check = m_controller->setup()->testConnection(m_connection->connection(),
                                                       m_connection->credentials());
    m_check = check.id();
    check.then(this, [this, id = check.id()](const ConnectionTest& t) {
        if (id != m_check)
            return; // a check clicked again since: its answer follows
        m_check = 0;
        const int failures = t.report.failures();
        m_testResult->setText(
            t.ok ? tr("✔ All %n check(s) passed in %1 s.", nullptr, int(t.report.checks.size()))
                       .arg(QString::number(double(t.report.durationMs) / 1000.0, 'f', 1))
                 : tr("✘ %1 of %n check(s) failed: see what to do below.", nullptr,
                      int(t.report.checks.size()))
                       .arg(failures));
        m_doctor->setReport(t.report);
        m_doctor->show();
    });
}

void SettingsDialog::setCohortNames(const QStringList& names)
{
    m_cohortNames = names;
    checkPattern();
}

void SettingsDialog::setTheme(Theme theme)
{
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(themeName(theme))));
}

Theme SettingsDialog::theme() const
{
    return parseTheme(m_theme->currentData().toString());
}

void SettingsDialog::checkPattern()
{
    auto parsed = NamingPattern::parse(m_pattern->text().trimmed());
    m_patternCheck->setText(parsed ? tr("✔ Valid pattern.")
                                   : QStringLiteral("✘ ") + parsed.error().message);
    // What the pattern would say of the workspace's cohorts, before it is saved.
    m_patternPreview->clear();
    if (!parsed || m_cohortNames.isEmpty())
        return;
    NamingConvention convention = m_base.naming;
    convention.pattern = m_pattern->text().trimmed();
    auto checker = NameChecker::create(convention);
    if (!checker)
        return;
    QStringList failing;
    for (const QString& name : m_cohortNames)
        if (!checker->check(name).ok())
            failing << name;
    const int total = int(m_cohortNames.size());
    if (failing.isEmpty()) {
        m_patternPreview->setText(
            tr("All %n cohort(s) of the workspace follow it.", nullptr, total));
        return;
    }
    constexpr int kListed = 6;
    QString list = failing.mid(0, kListed).join(QStringLiteral("\n• "));
    if (failing.size() > kListed)
        list +=
            QStringLiteral("\n• ") + tr("… and %n more", nullptr, int(failing.size() - kListed));
    m_patternPreview->setText(
        tr("%1 of %n cohort(s) would not follow it:", nullptr, total).arg(failing.size()) +
        QStringLiteral("\n• ") + list);
}

void SettingsDialog::accept()
{
    if (!NamingPattern::parse(m_pattern->text().trimmed())) {
        m_tabs->setCurrentIndex(2);
        return;
    }
    Q_EMIT saved(settings(), credentials());
    QDialog::accept();
}

void SettingsDialog::setNotifier(Notifier* notifier)
{
    if (m_notifications || !notifier)
        return;
    m_notifications = new NotificationsPage(notifier, this);
    m_tabs->addTab(m_notifications, tr("Notifications"));
}

void SettingsDialog::showTab(const QString& objectName)
{
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i)->objectName() == objectName)
            m_tabs->setCurrentIndex(i);
}

} // namespace lockstep
