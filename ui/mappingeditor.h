// Adds or edits one mapping: segment, cohort name (with live naming feedback),
// identity key, mode, owner, decision and schedule. Non-blocking: callers open() it and
// read mapping() on accepted(), so tests drive it with QTest like a person would.
#pragma once

#include "audit/namingconvention.h"
#include "store/records.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QDoubleSpinBox;
class QSpinBox;

namespace lockstep {

class NamingFeedback;

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

    void accept() override;

private:
    void updateState();

    Mapping m_original;
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
