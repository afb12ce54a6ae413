#include "mappingeditor.h"

#include "namingfeedback.h"
#include "store/mappingrepository.h"
#include "store/mixpanellimits.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lockstep {

MappingEditor::MappingEditor(QWidget* parent)
    : QDialog(parent), m_segmentId(new QSpinBox(this)), m_segmentName(new QLineEdit(this)),
      m_cohort(new QLineEdit(this)), m_naming(new NamingFeedback(this)),
      m_identity(new QComboBox(this)), m_mode(new QComboBox(this)),
      m_listProperty(new QLineEdit(this)), m_events(new QCheckBox(this)),
      m_owner(new QLineEdit(this)), m_monitor(new QLineEdit(this)), m_decision(new QLineEdit(this)),
      m_reportUrl(new QLineEdit(this)),
      m_reportCurrent(new QCheckBox(tr("The report uses this cohort name"), this)),
      m_schedule(new QSpinBox(this)),
      m_massExit(new QDoubleSpinBox(this)),
      m_paused(new QCheckBox(tr("Paused (not synced by Resync all)"), this)),
      m_definition(new QLabel(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("mappingEditor"));
    m_segmentId->setObjectName(QStringLiteral("mappingEditorSegmentId"));
    m_segmentName->setObjectName(QStringLiteral("mappingEditorSegmentName"));
    m_cohort->setObjectName(QStringLiteral("mappingEditorCohort"));
    m_naming->setObjectName(QStringLiteral("mappingEditorNaming"));
    m_identity->setObjectName(QStringLiteral("mappingEditorIdentity"));
    m_mode->setObjectName(QStringLiteral("mappingEditorMode"));
    m_listProperty->setObjectName(QStringLiteral("mappingEditorListProperty"));
    m_events->setObjectName(QStringLiteral("mappingEditorEvents"));
    m_owner->setObjectName(QStringLiteral("mappingEditorOwner"));
    m_decision->setObjectName(QStringLiteral("mappingEditorDecision"));
    m_monitor->setObjectName(QStringLiteral("mappingEditorHealthMonitor"));
    m_reportUrl->setObjectName(QStringLiteral("mappingEditorReportUrl"));
    m_reportCurrent->setObjectName(QStringLiteral("mappingEditorReportCurrent"));
    m_owner->setPlaceholderText(tr("who edits the segment in Customer.io"));
    m_monitor->setPlaceholderText(tr("who answers this cohort's alerts"));
    m_reportUrl->setPlaceholderText(
        QStringLiteral("https://mixpanel.com/project/…/view/…/app/boards#id=…"));
    m_reportCurrent->setToolTip(tr("A new version writes another cohort value: tick this once the "
                                   "board or report uses it"));
    m_schedule->setObjectName(QStringLiteral("mappingEditorSchedule"));
    m_massExit->setObjectName(QStringLiteral("mappingEditorMassExit"));
    m_paused->setObjectName(QStringLiteral("mappingEditorPaused"));
    m_definition->setObjectName(QStringLiteral("mappingEditorDefinition"));
    m_error->setObjectName(QStringLiteral("mappingEditorError"));
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("mappingEditorSave"));
    m_buttons->button(QDialogButtonBox::Cancel)
        ->setObjectName(QStringLiteral("mappingEditorCancel"));

    m_segmentId->setRange(1, std::numeric_limits<int>::max());
    m_segmentName->setPlaceholderText(tr("as named in Customer.io (optional)"));
    m_cohort->setPlaceholderText(QStringLiteral("CIO | Winback | 45-60d"));
    m_identity->addItem(tr("e-mail (trimmed, lower-case)"), int(IdentityKey::Email));
    m_identity->addItem(QStringLiteral("id"), int(IdentityKey::Id));
    m_identity->addItem(QStringLiteral("cio_id"), int(IdentityKey::CioId));
    m_mode->addItem(tr("List property ($union / $remove)"), int(SyncMode::List));
    m_mode->addItem(tr("Flag property ($set / $unset)"), int(SyncMode::Flag));
    m_events->setText(tr("Also send Cohort Entered / Exited events"));
    m_schedule->setRange(1, 7 * 24 * 60);
    m_schedule->setSuffix(tr(" min"));
    m_massExit->setRange(Mapping::kWorkspaceMassExit, 100);
    m_massExit->setDecimals(1);
    m_massExit->setSingleStep(5);
    m_massExit->setSuffix(QStringLiteral(" %"));
    m_massExit->setSpecialValueText(tr("Workspace default"));
    m_massExit->setToolTip(tr("A run whose exits exceed this share of the last synced size "
                              "removes nobody until someone applies or discards them on the "
                              "Health page (0 %: off; an empty segment is always held)"));
    m_definition->setWordWrap(true);
    m_definition->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_error->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Segment id"), m_segmentId);
    form->addRow(tr("Segment name"), m_segmentName);
    form->addRow(tr("Cohort name"), m_cohort);
    form->addRow(QString(), m_naming);
    form->addRow(tr("Identity key"), m_identity);
    form->addRow(tr("Mode"), m_mode);
    form->addRow(tr("List property"), m_listProperty);
    form->addRow(QString(), m_events);
    form->addRow(tr("Segment owner"), m_owner);
    form->addRow(tr("Health monitor"), m_monitor);
    form->addRow(tr("Decision it informs"), m_decision);
    form->addRow(tr("Report (Mixpanel)"), m_reportUrl);
    form->addRow(QString(), m_reportCurrent);
    form->addRow(tr("Schedule"), m_schedule);
    form->addRow(tr("Hold exits above"), m_massExit);
    form->addRow(QString(), m_paused);
    form->addRow(tr("Mixpanel cohort"), m_definition);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &MappingEditor::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &MappingEditor::reject);
    connect(m_cohort, &QLineEdit::textChanged, this, &MappingEditor::updateState);
    connect(m_listProperty, &QLineEdit::textChanged, this, &MappingEditor::updateState);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &MappingEditor::updateState);
    // A URL typed here is for the cohort as it is named now.
    connect(m_reportUrl, &QLineEdit::textEdited, this,
            [this] { m_reportCurrent->setChecked(!m_reportUrl->text().trimmed().isEmpty()); });
    connect(m_reportUrl, &QLineEdit::textChanged, this, &MappingEditor::updateState);
    setMinimumWidth(520);
    setMapping(Mapping{});
}

void MappingEditor::setConvention(const NamingConvention& c)
{
    m_naming->setConvention(c);
    updateState();
}

void MappingEditor::setMapping(const Mapping& m)
{
    m_original = m;
    setWindowTitle(m.id == 0 ? tr("Add mapping") : tr("Edit mapping: %1").arg(m.cohortName));
    m_segmentId->setValue(int(std::max<qint64>(1, m.segmentId)));
    m_segmentName->setText(m.segmentName);
    m_cohort->setText(m.cohortName);
    m_identity->setCurrentIndex(m_identity->findData(int(m.identity)));
    m_mode->setCurrentIndex(m_mode->findData(int(m.mode)));
    m_listProperty->setText(m.listProperty);
    m_events->setChecked(m.sendEvents);
    m_owner->setText(m.owner);
    m_monitor->setText(m.healthMonitor);
    m_decision->setText(m.decision);
    m_reportUrl->setText(m.reportUrl);
    m_reportCurrent->setChecked(m.reportPlanCurrent());
    m_schedule->setValue(m.scheduleMinutes);
    m_massExit->setValue(m.usesWorkspaceMassExit() ? Mapping::kWorkspaceMassExit
                                                   : m.massExitPercent);
    m_paused->setChecked(m.paused);
    m_error->hide();
    updateState();
}

Mapping MappingEditor::mapping() const
{
    Mapping m = m_original;
    m.segmentId = m_segmentId->value();
    m.segmentName = m_segmentName->text().trimmed();
    m.cohortName = m_cohort->text().trimmed();
    m.identity = IdentityKey(m_identity->currentData().toInt());
    m.mode = SyncMode(m_mode->currentData().toInt());
    m.listProperty = m_listProperty->text().trimmed();
    m.sendEvents = m_events->isChecked();
    m.owner = m_owner->text().trimmed();
    m.healthMonitor = m_monitor->text().trimmed();
    m.decision = m_decision->text().trimmed();
    m.reportUrl = m_reportUrl->text().trimmed();
    if (m.reportUrl.isEmpty())
        m.reportCohort.clear();
    else if (m_reportCurrent->isChecked())
        m.reportCohort = m.cohortName;
    else if (m.reportCohort == m.cohortName)
        m.reportCohort.clear();
    m.scheduleMinutes = m_schedule->value();
    // The special value, or a typed share below zero: the workspace's.
    m.massExitPercent = m_massExit->value() < 0 ? Mapping::kWorkspaceMassExit : m_massExit->value();
    // An unchanged control keeps a share the spin box cannot show exactly.
    if (!m_original.usesWorkspaceMassExit() &&
        qAbs(m_massExit->value() - m_original.massExitPercent) < 0.05)
        m.massExitPercent = m_original.massExitPercent;
    m.paused = m_paused->isChecked();
    return m;
}

void MappingEditor::updateState()
{
    const Mapping m = mapping();
    m_naming->check(m.cohortName);
    m_listProperty->setEnabled(m.mode == SyncMode::List);
    m_reportCurrent->setEnabled(!m.reportUrl.isEmpty());
    m_definition->setText(m.cohortName.isEmpty() ? QStringLiteral("—") : m.cohortDefinition());
    // Mixpanel's byte limit is known while typing: say so now and keep Save off.
    const Status fits = checkCohortValueBytes(m.cohortName, m.mode);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(fits.ok());
    if (!fits) {
        m_error->setText(fits.error().message);
        m_error->show();
    } else if (m_error->text() == m_lengthError) {
        m_error->hide();
    }
    m_lengthError = fits ? QString() : fits.error().message;
}

void MappingEditor::accept()
{
    // The repository's own validation, before anything is queued to the engine.
    if (auto st = MappingRepository::validate(mapping()); !st) {
        m_error->setText(st.error().message);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace lockstep
