// The Audit page: naming-convention and ownership findings of every mapping, with
// severity and suggested names, exported as CSV, JSON or Markdown to share. "Apply
// suggestion" renames the selected findings' cohorts to their suggested names, after one
// confirmation, the way the mapping editor saves a rename (an in-place update).
#pragma once

#include "page.h"
#include "util/result.h"

#include <QMap>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QMessageBox;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace lockstep {

class AuditFindingsModel;
class EmptyState;
class MappingsModel;
class RowFilterProxy;
class SyncController;

class AuditPage : public Page
{
    Q_OBJECT
public:
    enum class Format
    {
        Csv,
        Json,
        Markdown
    };

    // `mappings`: the mappings as the console last loaded them (what a rename starts from).
    AuditPage(SyncController* controller, MappingsModel* mappings, QWidget* parent = nullptr);

    AuditFindingsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // The renames the selected findings suggest: mapping id -> suggested name (one per
    // mapping, the first finding's; names already in place left out).
    QMap<qint64, QString> selectedSuggestions() const;
    // Asks to rename every selected finding's cohort to its suggested name; the renames
    // are saved when the operator confirms. Null (nothing asked) when none has a suggestion.
    QMessageBox* applySuggestions();
    // True while renames are being saved.
    bool isApplying() const { return m_applying > 0; }
    // Asks for a file name (FileChooser) and writes the whole report.
    void exportReport(Format format);
    // Writes the whole report to `path` (owner-only, never through a link).
    Status writeReport(Format format, const QString& path) const;

protected:
    void reload() override;

private:
    void updateSummary();
    void updateActions();
    void rename(const QMap<qint64, QString>& renames);

    SyncController* m_controller;
    MappingsModel* m_mappings;
    AuditFindingsModel* m_model;
    RowFilterProxy* m_proxy;
    QComboBox* m_severity;
    QLineEdit* m_search;
    QLabel* m_summary;
    QPushButton* m_csv;
    QPushButton* m_json;
    QPushButton* m_markdown;
    QPushButton* m_apply;
    QLabel* m_status;
    QMenu* m_contextMenu;
    QAction* m_applyAction = nullptr;
    int m_applying = 0; // renames asked and not answered yet
    QStackedWidget* m_stack;
    QTableView* m_view;
    EmptyState* m_empty;
};

} // namespace lockstep
