#include "mappingeditor.h"

#include "themes.h"

#include "config/mappingthresholds.h"
#include "engine/synccontroller.h"
#include "namingfeedback.h"
#include "store/mappingrepository.h"
#include "store/mixpanellimits.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <climits>
#include <utility>

namespace lockstep {

MappingEditor::MappingEditor(QWidget* parent)
    : QDialog(parent), m_ownThresholds(new QGroupBox(tr("Health thresholds of its own"), this)),
      m_segmentPicker(new QComboBox(this)), m_segmentNote(new QLabel(this)),
      m_useSuggestion(new QPushButton(tr("Use suggested name"), this)),
      m_segmentId(new QSpinBox(this)), m_segmentName(new QLineEdit(this)),
      m_cohort(new QLineEdit(this)), m_naming(new NamingFeedback(this)),
      m_identity(new QComboBox(this)), m_mode(new QComboBox(this)),
      m_listProperty(new QLineEdit(this)), m_events(new QCheckBox(this)),
      m_owner(new QLineEdit(this)), m_monitor(new QLineEdit(this)), m_decision(new QLineEdit(this)),
      m_reportUrl(new QLineEdit(this)),
      m_reportCurrent(new QCheckBox(tr("The report uses this cohort name"), this)),
      m_schedule(new QSpinBox(this)), m_massExit(new QDoubleSpinBox(this)),
      m_paused(new QCheckBox(tr("Paused (not synced by Resync all)"), this)),
      m_definition(new QLabel(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("mappingEditor"));
    m_segmentPicker->setObjectName(QStringLiteral("mappingEditorSegmentPicker"));
    m_segmentNote->setObjectName(QStringLiteral("mappingEditorSegmentNote"));
    m_useSuggestion->setObjectName(QStringLiteral("mappingEditorUseSuggestion"));
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
    m_segmentPicker->addItem(tr("Segments are read from Customer.io when connected"));
    m_segmentPicker->setEnabled(false);
    m_segmentNote->setWordWrap(true);
    m_segmentNote->setTextFormat(Qt::PlainText);
    m_segmentNote->hide();
    m_useSuggestion->setEnabled(false);
    m_useSuggestion->setToolTip(tr("Replace the cohort name with the suggested one"));
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
    m_error->setStyleSheet(messageStyle(MessageKind::Error));
    m_error->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Segment"), m_segmentPicker);
    form->addRow(tr("Segment id"), m_segmentId);
    form->addRow(QString(), m_segmentNote);
    form->addRow(tr("Segment name"), m_segmentName);
    form->addRow(tr("Cohort name"), m_cohort);
    form->addRow(QString(), m_naming);
    form->addRow(QString(), m_useSuggestion);
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

    // A cohort that churns or swings by design (a 0-24h cart cohort) says so here instead
    // of raising alerts forever; an empty field keeps the workspace's value.
    m_ownThresholds->setObjectName(QStringLiteral("mappingEditorOwnThresholds"));
    m_ownThresholds->setCheckable(true);
    m_ownThresholds->setChecked(false);
    m_ownThresholds->setToolTip(tr("Override the workspace's health thresholds (Settings) for "
                                   "this mapping only"));
    auto* thresholdsPane = new QWidget(m_ownThresholds);
    auto* tf = new QFormLayout(thresholdsPane);
    static const std::pair<const char*, const char*> titles[] = {
        {"churn_ratio", QT_TR_NOOP("Churn ratio")},
        {"collapse_drop_percent", QT_TR_NOOP("Size collapse (%)")},
        {"wow_swing_percent", QT_TR_NOOP("Week-over-week swing (%)")},
        {"stale_factor", QT_TR_NOOP("Stale after (× schedule)")},
        {"not_ready_factor", QT_TR_NOOP("Segment building for (× schedule)")},
        {"drift_percent", QT_TR_NOOP("Drift (%)")},
        {"match_rate_floor", QT_TR_NOOP("Lowest identity match rate (%)")},
        {"unknown_profiles_warning_percent", QT_TR_NOOP("Unknown profiles: warning (%)")},
        {"unknown_profiles_critical_percent", QT_TR_NOOP("Unknown profiles: critical (%)")}};
    for (const auto& [name, title] : titles) {
        auto* edit = new QLineEdit(thresholdsPane);
        edit->setObjectName(QStringLiteral("mappingEditorThreshold_") + QLatin1String(name));
        edit->setClearButtonEnabled(true);
        m_thresholdEdits.insert(QLatin1String(name), edit);
        tf->addRow(tr(title), edit);
    }
    auto* tl = new QVBoxLayout(m_ownThresholds);
    tl->addWidget(thresholdsPane);
    thresholdsPane->setVisible(false);
    connect(m_ownThresholds, &QGroupBox::toggled, thresholdsPane, &QWidget::setVisible);
    form->addRow(m_ownThresholds);

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
    connect(m_useSuggestion, &QPushButton::clicked, this, [this] {
        if (!m_naming->suggestion().isEmpty())
            m_cohort->setText(m_naming->suggestion());
    });
    connect(m_segmentPicker, &QComboBox::activated, this, [this](int index) {
        const QVariant id = m_segmentPicker->itemData(index);
        if (!id.isValid())
            return;
        m_segmentId->setValue(int(id.toLongLong()));
        if (const SegmentChoice* s = segmentChoice(id.toLongLong()))
            m_segmentName->setText(s->info.name);
    });
    connect(m_segmentId, &QSpinBox::valueChanged, this, [this](int id) {
        const int index = m_segmentPicker->findData(qint64(id));
        if (index >= 0)
            m_segmentPicker->setCurrentIndex(index);
        updateSegmentNote();
    });
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
    updateSegmentNote();
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
    m_useSuggestion->setEnabled(!m_naming->suggestion().isEmpty());
    m_listProperty->setEnabled(m.mode == SyncMode::List);
    m_reportCurrent->setEnabled(!m.reportUrl.isEmpty());
    m_definition->setText(m.cohortName.isEmpty() ? QStringLiteral("—") : m.cohortDefinition());
    growToFit();
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

void MappingEditor::setWorkspaceThresholds(const HealthThresholds& t)
{
    const ThresholdOverrides texts = thresholdTexts(t);
    for (auto it = m_thresholdEdits.cbegin(); it != m_thresholdEdits.cend(); ++it)
        it.value()->setPlaceholderText(tr("workspace: %1").arg(texts.value(it.key())));
}

void MappingEditor::setThresholds(const QMap<QString, QString>& own)
{
    m_originalThresholds = own;
    for (auto it = m_thresholdEdits.cbegin(); it != m_thresholdEdits.cend(); ++it)
        it.value()->setText(own.value(it.key()));
    m_ownThresholds->setChecked(!own.isEmpty());
}

QMap<QString, QString> MappingEditor::thresholds() const
{
    QMap<QString, QString> own;
    if (!m_ownThresholds->isChecked())
        return own;
    for (auto it = m_thresholdEdits.cbegin(); it != m_thresholdEdits.cend(); ++it)
        if (const QString t = it.value()->text().trimmed(); !t.isEmpty()) {
            auto canonical = normalizeThresholdOverride(it.key(), t);
            own.insert(it.key(), canonical ? *canonical : t);
        }
    return own;
}

void MappingEditor::setExistingMappings(const QList<Mapping>& mappings)
{
    m_existing = mappings;
    updateSegmentNote();
}

void MappingEditor::loadSegments(SyncController* controller)
{
    if (!controller)
        return;
    m_segmentsState = SegmentsState::Loading;
    m_segmentPicker->setItemText(0, tr("Reading segments from Customer.io…"));
    controller->trust()
        ->loadSegments()
        .then(this, &MappingEditor::setSegments)
        .onFailed(this, [this](const SyncError& e) {
            m_segmentsState = SegmentsState::Failed;
            m_segmentsError = e.message.isEmpty() ? e.toString() : e.message;
            m_segmentPicker->setItemText(0, tr("Segments could not be read"));
            updateSegmentNote();
            if (std::exchange(m_acceptWhenLoaded, false))
                accept();
        });
}

void MappingEditor::setSegments(const QList<SegmentChoice>& segments)
{
    m_segmentsState = SegmentsState::Loaded;
    m_segmentChoices = segments;
    const qint64 current = m_segmentId->value();
    m_segmentPicker->clear();
    m_segmentPicker->addItem(tr("Pick a segment…"));
    for (const SegmentChoice& c : segments) {
        const QString size = c.count >= 0
                                 ? tr("%n people", nullptr, int(std::min<qint64>(c.count, INT_MAX)))
                                 : tr("size unknown");
        const QString state =
            c.info.isReady() ? size
                             : tr("%1, building %2%").arg(size).arg(c.info.progress.value_or(0));
        m_segmentPicker->addItem(
            QStringLiteral("%1 (%2) · %3").arg(c.info.name).arg(c.info.id).arg(state), c.info.id);
    }
    m_segmentPicker->setEnabled(true);
    const int index = m_segmentPicker->findData(current);
    m_segmentPicker->setCurrentIndex(index >= 0 ? index : 0);
    updateSegmentNote();
    if (std::exchange(m_acceptWhenLoaded, false))
        accept();
}

const SegmentChoice* MappingEditor::segmentChoice(qint64 id) const
{
    for (const SegmentChoice& c : m_segmentChoices)
        if (c.info.id == id)
            return &c;
    return nullptr;
}

void MappingEditor::updateSegmentNote()
{
    const qint64 id = m_segmentId->value();
    QStringList notes;
    bool bad = false;
    if (m_segmentsState == SegmentsState::Loaded) {
        const SegmentChoice* c = segmentChoice(id);
        if (!c) {
            notes << tr("Customer.io has no segment %1.").arg(id);
            bad = true;
        } else if (!c->info.isReady()) {
            notes
                << tr("“%1” is still building: runs skip it until it is ready.").arg(c->info.name);
        }
    } else if (m_segmentsState == SegmentsState::Failed) {
        notes << tr("The segment cannot be checked: %1").arg(m_segmentsError);
    }
    QStringList mappedTo;
    for (const Mapping& m : m_existing)
        if (m.segmentId == id && m.id != m_original.id)
            mappedTo << QStringLiteral("“%1”").arg(m.cohortName);
    if (!mappedTo.isEmpty())
        notes << tr("Segment %1 is already mapped to %2.")
                     .arg(QString::number(id), mappedTo.join(QStringLiteral(", ")));
    m_segmentNote->setText(notes.join(QLatin1Char(' ')));
    m_segmentNote->setStyleSheet(messageStyle(bad ? MessageKind::Error : MessageKind::Warning));
    m_segmentNote->setVisible(!notes.isEmpty());
    growToFit();
}

void MappingEditor::growToFit()
{
    // Wrapped notes (naming, segment) get taller as they change: the dialog grows so none
    // is cut off, and never shrinks under the operator's own resizing.
    if (!isVisible() || !layout())
        return;
    layout()->activate();
    const int wanted = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : sizeHint().height();
    if (wanted > height())
        resize(width(), wanted);
}

bool MappingEditor::segmentAcceptable()
{
    // An edit that keeps its segment needs no check: it was checked when it was made.
    const qint64 id = m_segmentId->value();
    if (!isNew() && id == m_original.segmentId)
        return true;
    switch (m_segmentsState) {
    case SegmentsState::NotAsked:
    case SegmentsState::Failed:
        // Not connected, or Customer.io did not answer: the id is taken as typed and the
        // note says it was not checked.
        return true;
    case SegmentsState::Loading:
        m_acceptWhenLoaded = true;
        m_error->setText(tr("Checking the segment in Customer.io…"));
        m_error->show();
        return false;
    case SegmentsState::Loaded:
        break;
    }
    if (segmentChoice(id))
        return true;
    m_error->setText(tr("Customer.io has no segment %1: pick one from the list.").arg(id));
    m_error->show();
    return false;
}

void MappingEditor::accept()
{
    // The repository's own validation, before anything is queued to the engine.
    if (auto st = MappingRepository::validate(mapping()); !st) {
        m_error->setText(st.error().message);
        m_error->show();
        return;
    }
    if (m_ownThresholds->isChecked()) {
        for (auto it = m_thresholdEdits.cbegin(); it != m_thresholdEdits.cend(); ++it) {
            const QString t = it.value()->text().trimmed();
            if (t.isEmpty())
                continue;
            if (auto v = normalizeThresholdOverride(it.key(), t); !v) {
                m_error->setText(tr("%1: %2").arg(it.key(), v.error().message));
                m_error->show();
                it.value()->setFocus();
                return;
            }
        }
    }
    if (!segmentAcceptable())
        return;
    QDialog::accept();
}

} // namespace lockstep
