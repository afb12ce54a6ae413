// The identity advisor's answer as the console shows it, from the Health page's
// unknown_profiles alert ("Ask the advisor", IdentityAdviceDialog) and the set-up wizard's
// identity step: the recommendation in words, each identifier's match rate, and for a stored
// mapping whose key should change, the one click that applies it (a new version keyed by the
// recommended identifier; this one paused).
#pragma once

#include "trust/identityadvisor.h"

#include <QDialog>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableWidget;

namespace lockstep {

class SyncController;

class IdentityAdviceView : public QWidget
{
    Q_OBJECT
public:
    // Children are named `<prefix>Summary`, `<prefix>Keys` and `<prefix>Switch`.
    IdentityAdviceView(const QString& prefix, QWidget* parent = nullptr);

    void setBusy(const QString& step);
    void setError(const QString& message);
    void setAdvice(const IdentityAdvice& advice);
    const std::optional<IdentityAdvice>& advice() const { return m_advice; }
    // Shows the "Switch to …" button for a recommendation that changes a stored mapping.
    void setSwitchable(bool on);
    QLabel* summary() const { return m_summary; }

Q_SIGNALS:
    void switchRequested(qint64 mappingId, lockstep::IdentityKey key);

private:
    void updateSwitch();

    QLabel* m_summary;
    QTableWidget* m_keys;
    QPushButton* m_switch;
    bool m_switchable = false;
    std::optional<IdentityAdvice> m_advice;
};

// "Ask the advisor" for one stored mapping: runs it at once, shows the answer, applies it.
class IdentityAdviceDialog : public QDialog
{
    Q_OBJECT
public:
    IdentityAdviceDialog(SyncController* controller, const Mapping& mapping,
                         QWidget* parent = nullptr);

    void run();
    bool isBusy() const { return m_pending; }
    IdentityAdviceView* view() const { return m_view; }
    // The new version made by the switch, once saved (0 before).
    qint64 newVersionId() const { return m_newVersion; }

Q_SIGNALS:
    void advised(const lockstep::IdentityAdvice& advice);
    void switched(qint64 newMappingId);

private:
    SyncController* m_controller;
    Mapping m_mapping;
    IdentityAdviceView* m_view;
    QLabel* m_outcome;
    bool m_pending = false;
    bool m_switching = false;
    qint64 m_newVersion = 0;
};

} // namespace lockstep
