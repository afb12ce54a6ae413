// Adds or edits one mapping: segment, cohort name (with live naming feedback),
// identity key, mode, owner, decision and schedule. Non-blocking: callers open() it and
// read mapping() on accepted(), so tests drive it with QTest like a person would.
#pragma once

#include "audit/namingconvention.h"
#include "engine/seamtypes.h"
#include "health/healththresholds.h"
#include "store/records.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;

namespace lockstep {

class NamingFeedback;
class SyncController;

class MappingEditor : public QDialog
{
    Q_OBJECT
public:
    explicit MappingEditor(QWidget* parent = nullptr);

    // An existing mapping (edit) or a new one with defaults (id 0: add).
    void setMapping(const Mapping& m);
    Mapping mapping() const;
    bool isNew() const { return m_original.id == 0; }
    void setConvention(const NamingConvention& c);
    // The workspace's other mappings: picking a segment one of them maps warns.
    void setExistingMappings(const QList<Mapping>& mappings);
    // Reads Customer.io's segments through the engine for the picker; Save then refuses
    // a segment Customer.io does not have.
    void loadSegments(SyncController* controller);
    // The segments as the picker lists them (tests and loadSegments()).
    void setSegments(const QList<SegmentChoice>& segments);
    bool segmentsLoaded() const { return m_segmentsState == SegmentsState::Loaded; }
    // Health thresholds: the workspace's (shown as what an empty field means) and the
    // mapping's own (config/mappingthresholds.h), setting name -> text.
    void setWorkspaceThresholds(const HealthThresholds& t);
    void setThresholds(const QMap<QString, QString>& own);
    QMap<QString, QString> thresholds() const;
    bool thresholdsChanged() const { return thresholds() != m_originalThresholds; }

    void accept() override;

private:
    void updateState();
    void updateSegmentNote();
    void growToFit();
    // Whether Save may go ahead as far as the segment goes; sets m_error when not.
    bool segmentAcceptable();
    const SegmentChoice* segmentChoice(qint64 id) const;

    Mapping m_original;
    enum class SegmentsState
    {
        NotAsked,
        Loading,
        Loaded,
        Failed
    };
    SegmentsState m_segmentsState = SegmentsState::NotAsked;
    QList<SegmentChoice> m_segmentChoices;
    QString m_segmentsError;
    QList<Mapping> m_existing;
    bool m_acceptWhenLoaded = false; // Save pressed while the segments were being read
    QGroupBox* m_ownThresholds;
    QMap<QString, QLineEdit*> m_thresholdEdits;
    QMap<QString, QString> m_originalThresholds;
    QComboBox* m_segmentPicker;
    QLabel* m_segmentNote;
    QPushButton* m_useSuggestion;
    QSpinBox* m_segmentId;
    QLineEdit* m_segmentName;
    QLineEdit* m_cohort;
    NamingFeedback* m_naming;
    QComboBox* m_identity;
    QComboBox* m_mode;
    QLineEdit* m_listProperty;
    QCheckBox* m_events;
    QLineEdit* m_owner; // the segment owner
    QLineEdit* m_monitor;
    QLineEdit* m_decision;
    QLineEdit* m_reportUrl;
    QCheckBox* m_reportCurrent; // the report uses the cohort as it is named now
    QSpinBox* m_schedule;
    QDoubleSpinBox* m_massExit; // the minimum (-1) reads "workspace default"
    QCheckBox* m_paused;
    QLabel* m_definition;
    QLabel* m_error;
    QString m_lengthError; // what m_error shows for the byte limit, if anything
    QDialogButtonBox* m_buttons;
};

} // namespace lockstep
