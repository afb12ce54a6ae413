// The doctor's checks as a table (Settings › Check connection, the set-up wizard): one
// row per check with a pass/fail mark, what was found and what to do.
#pragma once

#include "trust/doctorreport.h"

#include <QTableWidget>

namespace lockstep {

class DoctorView : public QTableWidget
{
    Q_OBJECT
public:
    enum Column
    {
        MarkColumn,
        CheckColumn,
        DetailColumn,
        FixColumn,
        ColumnCount
    };

    explicit DoctorView(QWidget* parent = nullptr);

    void setReport(const DoctorReport& report);
    void clearReport();
    // The check name (doctorcheck::k*) of a row, for tests.
    QString checkName(int row) const;
    DoctorCheck::Status status(int row) const;

protected:
    void resizeEvent(QResizeEvent* event) override;
};

} // namespace lockstep
