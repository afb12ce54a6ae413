// What the trust dialogs (rehearsal, spot check) share: the query budget line, and a
// people table whose rows say who passed and why not.
#pragma once

#include "engine/seamtypes.h"
#include "trust/trustrecords.h"

#include <QString>
#include <QStringList>

class QTableWidget;
class QTableWidgetItem;
class QWidget;

namespace lockstep {

// "58 of 60 Mixpanel queries left this hour", or, when it is used up,
// when the next query frees up.
QString budgetText(const QueryBudgetState& budget);

// A read-only people table with these headers; rows stay in the engine's order.
QTableWidget* makePeopleTable(QWidget* parent, const char* objectName, const QStringList& headers);

// Cells for the common columns. Reason cells show the reason's name, carry its code in
// CodeRole and the engine's one-sentence detail as tooltip; result cells a StatusTone for the badge
// delegate.
QTableWidgetItem* textCell(const QString& text, const QString& tip = {});
QTableWidgetItem* resultCell(const PersonCheck& p);
QTableWidgetItem* yesNoCell(bool yes);
QTableWidgetItem* reasonCell(const PersonCheck& p);

// The operator's words for a reason code ("Profile not in Mixpanel").
QString reasonTitle(const QString& code);

} // namespace lockstep
