// The Audit page: naming-convention and ownership findings of every mapping, with
// severity and suggested names, exported as CSV, JSON or Markdown to share.
#pragma once

#include "page.h"
#include "util/result.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace lockstep {

class AuditFindingsModel;
class EmptyState;
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

    AuditPage(SyncController* controller, QWidget* parent = nullptr);

    AuditFindingsModel* model() const { return m_model; }
    // Asks for a file name (FileChooser) and writes the whole report.
    void exportReport(Format format);
    // Writes the whole report to `path` (owner-only, never through a link).
    Status writeReport(Format format, const QString& path) const;

protected:
    void reload() override;

private:
    void updateSummary();

    SyncController* m_controller;
    AuditFindingsModel* m_model;
    RowFilterProxy* m_proxy;
    QComboBox* m_severity;
    QLineEdit* m_search;
    QLabel* m_summary;
    QPushButton* m_csv;
    QPushButton* m_json;
    QPushButton* m_markdown;
    QStackedWidget* m_stack;
    QTableView* m_view;
    EmptyState* m_empty;
};

} // namespace lockstep
